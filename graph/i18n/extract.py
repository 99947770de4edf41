"""Every message the code marks for translation, and which the Chinese catalog lacks.

A message is the literal first argument of a ``gettext(...)`` call (``tr.gettext``) or of
``g(...)``, the local alias pages use. Read with ``ast``, so calls inside f-strings count too
(Babel's tokenizer-based extractor cannot see them on Python 3.11).

``python -m graph.i18n.extract`` prints the messages the zh-CN catalog lacks, ready to paste
into ``graph/i18n/locales/zh_CN/LC_MESSAGES/relmap.po``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

from graph.i18n.catalog import _catalog

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("graph", "api", "visualize", "cli", "importers")
KEYWORDS = frozenset({"gettext", "g"})


def _called(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def messages_in(path: Path) -> set[str]:
    """The marked messages of one source file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Call) and _called(node) in KEYWORDS and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value)
    return found


def marked_messages(packages: Iterable[str] = PACKAGES) -> set[str]:
    """Every marked message under the given packages."""
    found: set[str] = set()
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            found |= messages_in(path)
    return found


def missing(language: str = "zh-CN") -> list[str]:
    """Marked messages without a translation in ``language``'s catalog, sorted."""
    catalog = _catalog(language)
    if catalog is None:
        return []
    out = []
    for message in marked_messages():
        entry = catalog.get(message)
        if entry is None or not entry.string:
            out.append(message)
    return sorted(out)


def _po_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


if __name__ == "__main__":
    for message in missing():
        print(f'msgid {_po_quote(message)}\nmsgstr ""\n')
