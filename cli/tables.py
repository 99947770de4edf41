"""Terminal tables that stay readable at 80 columns.

Every CLI table goes through :func:`fit_table`. At the terminal's width it keeps the columns a
reader needs first (names before ids, the finding before its metrics), hides the rest with a
caption that names them (``--wide`` shows every column), never breaks a word in the middle
(cells that do not fit end in an ellipsis; only the one long-text column wraps, at spaces), and
right-aligns numbers with thousands separators.

>>> cols = [Col("name"), Col("customer_id", optional=True), Col("revenue", numeric=True)]
>>> t = fit_table("t", cols, [["Acme", "C1", 1200000]], width=30)
>>> [c.header for c in t.columns]
['name', 'revenue']
>>> str(t.caption)
'hidden at this width: customer_id (--wide shows all)'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from graph.i18n import Translator, translator
from graph.settings import load_settings

BORDER_PER_COLUMN = 3  # "│ " before and " " after each cell, with the default box
MIN_WRAP_WIDTH = 16
LONG_TEXT_HEADERS = frozenset({"detail", "details", "reason", "why", "explanation"})
ESSENTIAL_HEADERS = frozenset({"name", "status", "kind", "flag", "owners", "owner", "holders"})


@dataclass(frozen=True)
class Col:
    """A column: ``optional`` ones go first when space is short (ids next to names), then the
    others that are not ``essential`` (names, the finding, its status), right to left; ``wrap``
    marks the one long-text column that may wrap at spaces."""

    header: str
    numeric: bool = False
    optional: bool = False
    wrap: bool = False
    essential: bool = False


def number(value: object) -> str:
    """A number as a reader wants it: ``1,234,567``, ``0.45``; anything else as text."""
    if isinstance(value, bool) or value is None:
        return {True: "yes", False: "no", None: ""}[value]
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
    return str(value)


def columns_for(headers: Sequence[str], sample: Sequence[Sequence[object]]) -> list[Col]:
    """Columns for generic report rows: an id is optional when a name says the same (``x_id``
    beside ``x_name``, or the first column's id beside ``name``); numeric columns are those whose
    sample values are all numbers."""
    names = set(headers)
    cols = []
    for i, h in enumerate(headers):
        is_id = h == "id" or h.endswith("_id")
        own_name = f"{h[:-3]}_name" in names or (i == 0 and "name" in names)
        optional = is_id and own_name
        values = [row[i] for row in sample if row[i] not in (None, "")]
        numeric = bool(values) and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in values
        )
        wrap = h in LONG_TEXT_HEADERS
        essential = i == 0 or wrap or h in ESSENTIAL_HEADERS or h.endswith("_name")
        cols.append(
            Col(h, numeric, optional=optional, wrap=wrap, essential=essential and not optional)
        )
    return cols


def _natural(col: Col, cells: list[str]) -> int:
    widest = max((cell_len(c) for c in cells), default=0)
    return max(cell_len(col.header), min(widest, MIN_WRAP_WIDTH if col.wrap else 40))


def _keep(cols: Sequence[Col], rows: Sequence[Sequence[str]], width: int) -> list[int]:
    """Indexes of the columns that fit: drop optional columns from the right, then the ones that
    are not essential, until the natural widths fit ``width``."""
    widths = [_natural(c, [r[i] for r in rows]) for i, c in enumerate(cols)]
    keep = list(range(len(cols)))

    def total() -> int:
        return sum(widths[i] + BORDER_PER_COLUMN for i in keep) + 1

    for i in reversed(range(len(cols))):
        if total() <= width:
            break
        if cols[i].optional:
            keep.remove(i)
    for i in reversed(range(1, len(cols))):
        if total() <= width:
            break
        if i in keep and not cols[i].essential:
            keep.remove(i)
    return keep


def fit_table(
    title: str,
    cols: Sequence[Col],
    rows: Sequence[Sequence[object]],
    *,
    wide: bool = False,
    width: int = 80,
    caption: str | None = None,
    tr: Translator | None = None,
) -> Table:
    """A rich table of ``rows`` under ``cols`` that fits ``width`` unless ``wide``; its notes
    in the language of ``tr`` (default: ``RELMAP_LANGUAGE``)."""
    tr = tr or translator(load_settings().language)
    text = [[number(v) for v in r] for r in rows]
    keep = list(range(len(cols))) if wide else _keep(cols, text, width)
    hidden = [cols[i].header for i in range(len(cols)) if i not in keep]
    notes = [caption] if caption else []
    if hidden:
        notes.append(
            tr.gettext(
                "hidden at this width: {columns} (--wide shows all)", columns=", ".join(hidden)
            )
        )
    table = Table(
        title=title,
        title_justify="left",
        caption="; ".join(notes) or None,
        caption_justify="left",
    )
    cap = None if wide else max(MIN_WRAP_WIDTH, width // 3)
    for i in keep:
        c = cols[i]
        table.add_column(
            c.header,
            justify="right" if c.numeric else "left",
            no_wrap=not c.wrap,
            overflow="ellipsis",
            min_width=MIN_WRAP_WIDTH if c.wrap else None,
            max_width=None if c.wrap or c.numeric else cap,
        )
    for r in text:  # Text cells: a value such as "[red]" prints as written, never as markup
        table.add_row(*(Text(r[i]) for i in keep))
    return table


def print_table(console: Console, table: Table, wide: bool = False) -> None:
    """Print ``table``; with ``wide`` as wide as its cells need, past the terminal's width."""
    if wide:
        needed = Measurement.get(console, console.options.update_width(10_000), table).maximum
        console = Console(width=max(console.width, needed), file=console.file)
    console.print(table)
