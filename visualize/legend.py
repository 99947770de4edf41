"""The political map's legends (network view and org chart) and their swatches: tiny inline
SVGs that show a map's shapes, fills and line styles.

Why SVG presentation attributes (``fill="#..."``) and not ``style=""``: a strict
Content-Security-Policy blocks inline style attributes but not SVG attributes, so the legend
keeps its colours under the pages' CSP. Every colour comes from ``visualize.style`` (constants,
never user data).
"""

from __future__ import annotations

from graph.i18n import Translator, translator
from graph.i18n.vocabulary import term
from visualize import style
from visualize.html import esc


def shape_swatch(shape: str, fill: str, border: str, dashed: bool = False) -> str:
    """A tiny SVG swatch (presentation attributes only: allowed by a strict CSP)."""
    dash = ' stroke-dasharray="3 2"' if dashed else ""
    stroke = f'fill="{fill}" stroke="{border}" stroke-width="1.5"{dash}'
    shapes = {
        "dot": f'<circle cx="9" cy="9" r="6" {stroke}/>',
        "square": f'<rect x="3" y="3" width="12" height="12" {stroke}/>',
        "diamond": f'<polygon points="9,2 16,9 9,16 2,9" {stroke}/>',
        "triangle": f'<polygon points="9,2 16,15 2,15" {stroke}/>',
        "triangleDown": f'<polygon points="2,3 16,3 9,16" {stroke}/>',
        "hexagon": f'<polygon points="5,2 13,2 17,9 13,16 5,16 1,9" {stroke}/>',
        "star": f'<polygon points="9,1 11,7 17,7 12,11 14,17 9,13 4,17 6,11 1,7 7,7" {stroke}/>',
        "box": f'<rect x="1" y="4" width="16" height="10" rx="2" {stroke}/>',
    }
    return (
        '<svg class="swatch" width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">'
        f"{shapes[shape]}</svg>"
    )


def line_swatch(colour: str, dashes: tuple[int, ...] | None, arrow: bool) -> str:
    """A short SVG line in a link's colour and dash pattern, with an arrow head if directed."""
    dash = f' stroke-dasharray="{" ".join(map(str, dashes))}"' if dashes else ""
    head = f'<polygon points="26,9 20,5 20,13" fill="{colour}"/>' if arrow else ""
    return (
        '<svg class="swatch" width="28" height="18" viewBox="0 0 28 18" aria-hidden="true">'
        f'<line x1="1" y1="9" x2="{22 if arrow else 27}" y2="9" stroke="{colour}" '
        f'stroke-width="2.5"{dash}/>{head}</svg>'
    )


def legend_html() -> str:
    """The legend: every colour, shape, border and line the map uses, from ``style``."""
    items: list[str] = ["<h2>Legend</h2>", "<h3>Stance (fill)</h3><ul>"]
    for key, label in style.STANCE_LABELS.items():
        items.append(
            f"<li>{shape_swatch('dot', style.STANCE_COLOURS[key], style.BORDER_DEFAULT)}"
            f"{esc(label)}</li>"
        )
    items.append("</ul><h3>Decision role (shape)</h3><ul>")
    for key, label in style.ROLE_LABELS.items():
        if key in ("coach", "unknown"):
            continue
        items.append(
            f"<li>{shape_swatch(style.ROLE_SHAPES[key], '#eeeeee', style.BORDER_DEFAULT)}"
            f"{esc(label)}</li>"
        )
    items.append(
        f"<li>{shape_swatch('dot', '#eeeeee', style.BORDER_COACH)}Coach (gold ring)</li>"
        f"<li>{shape_swatch('dot', '#eeeeee', style.BORDER_DEFAULT)}Role unknown</li>"
        "</ul><h3>People</h3><ul>"
        f"<li>{shape_swatch('box', style.EMPLOYEE_COLOUR, style.EMPLOYEE_BORDER)}Our people</li>"
        f"<li>{shape_swatch('dot', '#eeeeee', style.BORDER_DEFAULT, dashed=True)}"
        "No relationship with us</li>"
        f"<li>{shape_swatch('dot', '#eeeeee', style.BORDER_UNCOVERED, dashed=True)}"
        "Key contact, no relationship</li>"
        '<li><span class="third-party-sample">Purple name</span> third party</li>'
        "<li>Bigger = higher key-contact score</li>"
        "</ul><h3>Links</h3><ul>"
    )
    for st in style.EDGE_STYLES.values():
        items.append(f"<li>{line_swatch(st.colour, st.dashes, st.arrow)}{esc(st.label)}</li>")
    items.append("</ul>")
    return "".join(items)


def org_legend_html(tr: Translator | None = None) -> str:
    """The org chart's legend: stance colours, role glyphs, badges and line styles (folds away
    to give the chart the width), in ``tr``'s language."""
    tr = tr or translator()
    g = tr.gettext
    english = tr.language == "en"

    def label(key: str, english_label: str) -> str:
        return english_label if english else term(tr, key)

    items = [f'<details open><summary class="legend-title">{esc(g("Legend"))}</summary>']
    items.append(f"<h3>{esc(g('Stance (card colour)'))}</h3><ul>")
    for key, text in style.STANCE_LABELS.items():
        swatch = shape_swatch("box", style.STANCE_COLOURS[key], style.BORDER_DEFAULT)
        items.append(f"<li>{swatch}{esc(label(key, text))}</li>")
    items.append(f"</ul><h3>{esc(g('Decision role'))}</h3><ul>")
    for key, text in style.ROLE_LABELS.items():
        icon = esc(style.ROLE_ICONS[key])
        items.append(f'<li><span class="org-icon">{icon}</span>{esc(label(key, text))}</li>')
    rows = [
        ('<span class="org-badge key">' + esc(g("KEY {n}").replace("{n}", "1")) + "</span>",
         g("key contact and rank")),
        ('<span class="org-flag">' + esc(g("✕ Nobody of ours")) + "</span>",
         g("none of our people knows them")),
        ('<span class="org-more">+12</span>', g("collapsed: click to open")),
    ]  # fmt: skip
    items.append(f"</ul><h3>{esc(g('Marks'))}</h3><ul>")
    items.extend(f"<li>{mark}{esc(text)}</li>" for mark, text in rows)
    lines = [
        (line_swatch(style.EMPLOYEE_COLOUR, None, False), g("our relationship (width = strength)")),
        (line_swatch(style.STALE_LINE, (4, 3), False), g("stale relationship")),
        (line_swatch("#555555", None, False), g("reports to")),
        (line_swatch(style.EDGE_STYLES["influences"].colour, (8, 6), True),
         g("influence (when switched on)")),
    ]  # fmt: skip
    items.append(f"</ul><h3>{esc(g('Lines'))}</h3><ul>")
    items.extend(f"<li>{swatch}{esc(text)}</li>" for swatch, text in lines)
    items.append("</ul></details>")
    return "".join(items)
