"""The layout's rules hold: dependencies point one way and modules stay a readable size.

Read from the source with ``ast`` (imports inside functions count too), so a new module that
breaks the rule fails here instead of in review. See docs/architecture.md.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("graph", "api", "importers", "visualize", "cli")
MAX_MODULE_LINES = 600
MAX_ROUTE_MODULE_LINES = 400
MAX_LOOSE_GRAPH_MODULES = 5  # model, settings, errors, tabular, prefetch: the bottom layer


def _modules() -> dict[str, Path]:
    out: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            out[name] = path
    return out


MODULES = _modules()


def _imports(path: Path) -> set[str]:
    """Every relmap module ``path`` imports, at any depth of the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return {n for n in found if n in MODULES}


# The reading protocols and the in-memory source: what analyses read through, not a store.
PROTOCOLS = ("graph.store.reader",)


def _offenders(importers: str, forbidden: tuple[str, ...]) -> list[str]:
    bad = []
    for name, path in MODULES.items():
        if name == importers or name.startswith(importers + "."):
            for target in _imports(path):
                if target in PROTOCOLS:
                    continue
                if any(target == f or target.startswith(f + ".") for f in forbidden):
                    bad.append(f"{name} imports {target}")
    return sorted(bad)


def test_the_modules_are_found() -> None:
    assert "graph.model" in MODULES and "api.app" in MODULES and "cli.main" in MODULES


@pytest.mark.parametrize("layer", ["graph", "importers", "visualize", "cli"])
def test_nothing_below_the_api_imports_it(layer: str) -> None:
    assert _offenders(layer, ("api",)) == []


@pytest.mark.parametrize("analyses", ["graph.coverage", "graph.accounts"])
def test_analyses_never_import_a_store(analyses: str) -> None:
    assert _offenders(analyses, ("graph.store", "graph.scenarios", "importers")) == []


def test_visualize_imports_no_store_importer_or_cli() -> None:
    assert _offenders("visualize", ("graph.store", "importers", "cli")) == []


@pytest.mark.parametrize("bottom", ["graph.model", "graph.settings"])
def test_model_and_settings_import_nothing_of_ours(bottom: str) -> None:
    assert _offenders(bottom, tuple(p for p in PACKAGES)) == []


def test_stores_and_importers_never_import_analyses_above_them() -> None:
    assert _offenders("graph.store", ("graph.scenarios", "importers", "visualize", "cli")) == []


def test_no_module_is_over_the_size_limit() -> None:
    sizes = {n: len(p.read_text(encoding="utf-8").splitlines()) for n, p in MODULES.items()}
    assert {n: s for n, s in sizes.items() if s > MAX_MODULE_LINES} == {}
    routes = {n: s for n, s in sizes.items() if n.startswith("api.routes.")}
    assert {n: s for n, s in routes.items() if s > MAX_ROUTE_MODULE_LINES} == {}


def test_graph_holds_packages_not_loose_modules() -> None:
    loose = sorted(p.name for p in (ROOT / "graph").glob("*.py") if p.name != "__init__.py")
    assert len(loose) <= MAX_LOOSE_GRAPH_MODULES, loose
    assert {"model.py", "settings.py"} <= set(loose)


def test_every_package_declares_what_it_exposes() -> None:
    missing = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "graph").rglob("__init__.py")
        if "__all__" not in p.read_text(encoding="utf-8")
    ]
    assert missing == []
