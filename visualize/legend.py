"""Legend swatches: tiny inline SVGs that show a map's shapes, fills and line styles.

Why SVG presentation attributes (``fill="#..."``) and not ``style=""``: a strict
Content-Security-Policy blocks inline style attributes but not SVG attributes, so the legend
keeps its colours under the pages' CSP. Every colour comes from ``visualize.style`` (constants,
never user data).
"""

from __future__ import annotations


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
