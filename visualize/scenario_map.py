"""The scenario coverage map: which coverage edges a restructure adds and removes.

Input is a scenario evaluation (``graph.scenarios.evaluate.Evaluation``): its ``edge_changes``
(holder
covers customer in a role, added or removed) and the customers' owner changes. Output is one
HTML document drawn by the shared map script with the vendored vis-network (no CDN): holders
(teams as boxes, people as dots) in a left column, changed customers in a right column, an
added edge green and solid, a removed edge red and dashed; customers whose owner changes are
outlined. Positions are precomputed (two columns), so even a few hundred changed customers draw
at once. User text reaches the page only as escaped markup or embedded JSON.
"""

from __future__ import annotations

from typing import Any

from graph.scenarios.evaluate import Evaluation
from visualize import style
from visualize.html import AssetMode, esc, render_document
from visualize.legend import line_swatch

ADDED_COLOUR = "#1a9850"
REMOVED_COLOUR = "#d73027"
ROW = 46
CUSTOMER_COLUMN_X = 900


def _tip(heading: str, lines: list[tuple[str, str]]) -> dict[str, Any]:
    return {"heading": heading, "lines": [[k, v] for k, v in lines], "notes": []}


def scenario_map_data(ev: Evaluation, *, limit: int = 300) -> dict[str, Any]:
    """Nodes and edges of the scenario map (at most ``limit`` changed customers)."""
    changes = ev.diff.edge_changes
    customers = sorted({e.customer_id for e in changes})
    shown = set(customers[:limit])
    owner = {o.customer_id: o for o in ev.diff.owner_changes}
    holders = sorted({e.holder for e in changes if e.customer_id in shown})
    nodes: list[dict[str, Any]] = []
    for i, h in enumerate(holders):
        kind, _sep, hid = h.partition(":")
        team = kind == "team"
        nodes.append(
            {
                "id": f"h:{h}",
                "label": hid,
                "group": "employee" if not team else "team",
                "shape": "box" if team else "dot",
                "size": 10,
                "x": 0,
                "y": i * ROW * max(1, len(shown)) / max(1, len(holders)),
                "color": {
                    "background": "#4d4d4d" if team else style.EMPLOYEE_COLOUR,
                    "border": "#222222",
                },
                "font": {"color": "#ffffff" if team else "#0b3c6f", "face": "sans-serif"},
                "tip": _tip(hid, [("Holder", kind)]),
            }
        )
    for j, cid in enumerate(sorted(shown)):
        o = owner.get(cid)
        lines = [("Customer", cid)]
        if o is not None:
            lines += [
                ("Owners before", "; ".join(o.owners_before) or "nobody"),
                ("Owners after", "; ".join(o.owners_after) or "nobody"),
            ]
        nodes.append(
            {
                "id": f"c:{cid}",
                "label": o.name if o is not None else cid,
                "group": "contact",
                "shape": "dot",
                "size": 12,
                "x": CUSTOMER_COLUMN_X,
                "y": j * ROW,
                "borderWidth": 3 if o is not None else 1,
                "color": {
                    "background": "#fdfdfd",
                    "border": "#000000" if o is not None else "#888888",
                },
                "tip": _tip(o.name if o is not None else cid, lines),
            }
        )
    edges: list[dict[str, Any]] = []
    for e in changes:
        if e.customer_id not in shown:
            continue
        added = e.change == "added"
        edges.append(
            {
                "id": f"e{len(edges)}",
                "from": f"h:{e.holder}",
                "to": f"c:{e.customer_id}",
                "kind": e.role,
                "color": {"color": ADDED_COLOUR if added else REMOVED_COLOUR, "opacity": 0.85},
                "dashes": False if added else [6, 6],
                "width": 3 if e.role == "owner" else 1.5,
                "arrows": {"to": {"enabled": False}},
                "tip": _tip(
                    f"{e.change}: {e.role}",
                    [("Holder", e.holder), ("Customer", e.customer_id), ("Why", e.source)],
                ),
            }
        )
    return {
        "kind": "scenario",
        "title": f"Scenario map: {ev.name}",
        "subtitle": f"{len(customers)} customers with changed coverage"
        + (f" ({len(customers) - len(shown)} not drawn)" if len(customers) > len(shown) else ""),
        "nodes": nodes,
        "edges": edges,
        "groups": [],
        "options": {"physics": False},
    }


def render_scenario_map(
    ev: Evaluation,
    *,
    limit: int = 300,
    mode: AssetMode = AssetMode.INLINE,
    static_prefix: str = "/static",
) -> str:
    """The scenario map as one HTML document (self-contained by default)."""
    data = scenario_map_data(ev, limit=limit)
    d = ev.diff
    added = sum(1 for e in d.edge_changes if e.change == "added")
    removed = len(d.edge_changes) - added
    legend = (
        '<ul class="legend-list">'
        f"<li>{line_swatch(ADDED_COLOUR, None, False)}coverage added</li>"
        f"<li>{line_swatch(REMOVED_COLOUR, (6, 6), False)}coverage removed</li>"
        "<li>thick line: owner; thin: overlay or support</li>"
        "<li>black outline: the customer changes owner</li></ul>"
    )
    body = (
        '<div class="map-page"><header class="map-header"><div class="map-titles">'
        f'<h1>{esc(data["title"])}</h1><p class="subtitle">{esc(data["subtitle"])}</p>'
        f'<p class="summary" id="relmap-summary">{added} edges added · {removed} removed · '
        f"{d.owner_change_count} customers change owner</p></div>"
        '<form class="map-controls" id="relmap-controls" autocomplete="off">'
        '<label>Find <input type="search" id="f-find" placeholder="customer or holder"></label>'
        '<button type="button" id="f-fit">Fit</button></form></header>'
        '<div class="map-main"><div id="relmap-network" class="map-canvas" role="img" '
        f'aria-label="{esc(data["title"])}"></div>'
        f'<aside class="legend" id="relmap-legend">{legend}</aside></div>'
        '<p class="status" id="relmap-status" aria-live="polite">Drawing the map…</p></div>'
    )
    return render_document(
        title=str(data["title"]),
        body=body,
        scripts=("vis-network.min.js", "relmap-map.js"),
        styles=("vis-network.css", "relmap.css"),
        data=data,
        mode=mode,
        static_prefix=static_prefix,
    )
