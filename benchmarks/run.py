"""Benchmark runner: ``python -m benchmarks.run NAME [args]`` runs ``benchmarks/NAME.py``.

``python -m benchmarks.run`` (or ``--help``) lists the benchmarks with their one-line summary;
``python -m benchmarks.run NAME --help`` shows that benchmark's own options. A benchmark module
is any module in this package with a ``main(argv: list[str] | None)`` function; it returns an
exit code (int) or a measurement such as a ratio (anything else, meaning success).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

PACKAGE = "benchmarks"
NOT_BENCHMARKS = {"run", "__init__", "__main__"}


def available() -> dict[str, str]:
    """Benchmark names mapped to the first line of their docstring (modules are not imported,
    so listing is cheap and a broken benchmark does not hide the others)."""
    out: dict[str, str] = {}
    folder = Path(__file__).resolve().parent
    for info in sorted(pkgutil.iter_modules([str(folder)]), key=lambda m: m.name):
        if info.name in NOT_BENCHMARKS or info.name.startswith("_") or info.ispkg:
            continue
        out[info.name] = _summary(folder / f"{info.name}.py")
    return out


def _summary(path: Path) -> str:
    import ast

    try:
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    except (OSError, SyntaxError, ValueError):
        return ""
    return doc.strip().splitlines()[0] if doc else ""


def usage() -> str:
    lines = [
        "usage: python -m benchmarks.run NAME [args...]",
        "       python -m benchmarks.run NAME --help   (the benchmark's own options)",
        "",
        "benchmarks:",
    ]
    names = available()
    width = max((len(n) for n in names), default=0)
    lines += [f"  {name:<{width}}  {summary}" for name, summary in names.items()]
    if not names:
        lines.append("  (none found)")
    return "\n".join(lines)


def load(name: str) -> Callable[[list[str] | None], object]:
    """The ``main`` of benchmark ``name``; raises SystemExit with the list if unknown."""
    if name not in available():
        raise SystemExit(f"unknown benchmark {name!r}\n\n{usage()}")
    module: ModuleType = importlib.import_module(f"{PACKAGE}.{name}")
    main = getattr(module, "main", None)
    if not callable(main):
        raise SystemExit(f"benchmark {name!r} has no main(argv) function")
    return main  # type: ignore[no-any-return]


def exit_code(result: object) -> int:
    """A benchmark's ``main`` may return an exit code, or a measurement (a ratio) meaning 0."""
    if isinstance(result, int) and not isinstance(result, bool):
        return result
    return 0


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help", "list"):
        print(usage())
        return 0
    name, rest = args[0], args[1:]
    return exit_code(load(name)(rest))


if __name__ == "__main__":
    sys.exit(main())
