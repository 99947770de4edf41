"""The political map as an org chart: the view data ``relmap-orgchart.js`` draws.

Why a second view of the same map: account managers read an account as the customer's org
chart (reporting lines top-down, executives at the top), with their own people beside it and
lines to the contacts they know; a force-directed network of 300 contacts answers none of the
questions of UX.md at a glance. The network view stays, as a second mode of the same page.

Everything visual is decided here (as in ``visualize.political_map``): each contact becomes a
*card* (name, title, department, decision-role glyph, stance colour, key-contact rank, the
"nobody of ours knows them" flag, its manager), our people become *lane cards*, our
relationships *links* (width from strength, stale ones flagged) and influence an optional
overlay. The tree's layout itself is computed in the browser by the vendored d3-hierarchy
(tidy tree), because what is shown changes as the user expands and collapses subtrees.

A big account opens collapsed to what matters: the chain of managers above each key contact,
the key contacts themselves and the top of the org (``open_ids``); the rest is one click away.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import networkx as nx

from graph.accounts.key_contacts import KeyContact
from graph.accounts.relationship_coverage import RelationshipPolicy
from visualize import style

COLLAPSE_ABOVE = 60  # contacts; a smaller account opens fully expanded
ACCOUNT_ROOT = "org:account"


def managers_of(g: nx.MultiDiGraph, people: Iterable[str]) -> dict[str, str]:
    """Each person's one manager in the chart (the first by id when several are recorded),
    with reporting cycles cut, so the result is a forest.

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", edge_type="reports_to")
    >>> _ = g.add_edge("b", "a", edge_type="reports_to")
    >>> managers_of(g, ["a", "b"])
    {'b': 'a'}
    """
    people = set(people)
    recorded: dict[str, list[str]] = {}
    for u, v, data in g.edges(data=True):
        if data.get("edge_type") == "reports_to" and u in people and v in people and u != v:
            recorded.setdefault(u, []).append(v)
    parent = {n: sorted(ms)[0] for n, ms in sorted(recorded.items())}
    for start in sorted(parent):
        seen = {start}
        node = parent.get(start)
        while node is not None:
            if node in seen:  # a loop: its first person (by id) becomes a top of the chart
                parent.pop(start, None)
                break
            seen.add(node)
            node = parent.get(node)
    return parent


def open_ids(parent: Mapping[str, str], people: Iterable[str], keys: Iterable[str]) -> list[str]:
    """The cards a big account opens with: its tops, its key contacts and everyone on the
    chain from a key contact up to the top.

    >>> open_ids({"b": "a", "c": "b", "d": "a"}, ["a", "b", "c", "d"], ["c"])
    ['a', 'b', 'c']
    """
    shown = {n for n in people if n not in parent}
    for key in keys:
        node: str | None = key
        while node is not None and node not in shown - {key}:
            shown.add(node)
            node = parent.get(node)
    return sorted(shown)


def _last_touch(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _link_tip(ours: str, contact: str, data: Mapping[str, Any], stale: bool, today: dt.date) -> str:
    """The text shown when hovering a relationship line (plain text, never HTML)."""
    strength = str(_value(data.get("strength")) or "acquainted").replace("_", " ")
    desired = str(_value(data.get("desired")) or "").replace("_", " ")
    touch = _last_touch(data.get("last_touch"))
    parts = [f"{ours} → {contact}", f"level: {strength}"]
    if desired:
        parts.append(f"desired: {desired}")
    if touch:
        parts.append(f"last touch: {touch.isoformat()} ({(today - touch).days} days ago)")
    else:
        parts.append("last touch: never recorded")
    if stale:
        parts.append("stale")
    return "\n".join(parts)


def _value(v: Any) -> Any:
    return getattr(v, "value", v)


def org_chart_data(
    g: nx.MultiDiGraph,
    nodes: list[dict[str, Any]],
    *,
    name_of: Callable[[str], str],
    ranking: Mapping[str, KeyContact],
    account_name: str,
    personal_data: bool = True,
    today: dt.date | None = None,
    stale_days: int | None = None,
) -> dict[str, Any]:
    """The org chart's part of the map data, from the map graph and the network view's nodes
    (whose ``key``, ``uncovered`` and ``dept`` it reuses, so both modes agree; the script
    takes each card's tooltip from the node of the same id, so it travels once)."""
    today = today or dt.date.today()
    stale_days = RelationshipPolicy().stale_days if stale_days is None else stale_days
    contact_ids = [n["id"] for n in nodes if n["kind"] == "contact"]
    parent = managers_of(g, contact_ids)
    cards = [
        _card(g.nodes[n["id"]], n, parent.get(n["id"]), ranking.get(n["id"]), personal_data)
        for n in nodes
        if n["kind"] in ("contact", "third_party")
    ]
    ours = [n for n in nodes if n["kind"] == "employee"]
    links: list[dict[str, Any]] = []
    knows: dict[str, int] = {}
    influences: list[dict[str, Any]] = []
    for u, v, data in g.edges(data=True):
        kind = data.get("edge_type")
        if kind == "influences":
            influences.append(
                {"from": u, "to": v, "width": round(1 + 3 * float(data.get("strength", 0.5)), 2)}
            )
        if kind != "relationship":
            continue
        if g.nodes[u].get("node_type") != "employee":  # the link may be stored either way
            u, v = v, u
        level = int(data.get("level", 1))
        if level <= 0:  # recorded as "none": no relationship to draw
            continue
        touch = _last_touch(data.get("last_touch"))
        stale = touch is None or (today - touch).days > stale_days
        knows[u] = knows.get(u, 0) + 1
        links.append(
            {
                "from": u,
                "to": v,
                "width": round(1 + 1.2 * level, 1),
                "stale": stale,
                "tip": _link_tip(name_of(u), name_of(v), data, stale, today),
            }
        )
    keys = [c["id"] for c in cards if c["key"]]
    collapse = len(contact_ids) > COLLAPSE_ABOVE
    return {
        "root": {"id": ACCOUNT_ROOT, "name": account_name, "size": len(contact_ids)},
        "cards": cards,
        "ours": sorted(
            (
                {
                    "id": n["id"],
                    "name": n["label"],
                    "title": _title(g.nodes[n["id"]]),
                    "knows": knows.get(n["id"], 0),
                }
                for n in ours
            ),
            key=lambda o: (-o["knows"], o["name"], o["id"]),
        ),
        "links": links,
        "influences": influences,
        "open": open_ids(parent, contact_ids, keys) if collapse else None,
        "colours": {"stale": style.STALE_LINE, "ours": style.EMPLOYEE_COLOUR},
    }


def _title(a: Mapping[str, Any]) -> str:
    title = a.get("title")
    return "" if title is None else str(title)


def _card(
    a: Mapping[str, Any],
    node: Mapping[str, Any],
    manager: str | None,
    rank: KeyContact | None,
    personal_data: bool,
) -> dict[str, Any]:
    role = str(_value(a.get("decision_role")) or "unknown")
    stance = str(_value(a.get("stance")) or "unknown")
    return {
        "id": node["id"],
        "name": node["label"],
        "title": _title(a) if personal_data else "",
        "dept": node["dept"],
        "type": node["kind"],  # not "kind": the page's nodes already say that
        "parent": manager,
        "role": style.ROLE_LABELS.get(role, role.replace("_", " ")),
        "role_key": role,
        "stance_key": stance,
        "icon": style.ROLE_ICONS.get(role, style.ROLE_ICONS["unknown"]),
        "stance": style.STANCE_LABELS.get(stance, stance),
        "colour": style.STANCE_COLOURS.get(stance, style.STANCE_COLOURS["unknown"]),
        "key": bool(node["key"]),
        "rank": rank.rank if rank else None,
        "uncovered": bool(node["uncovered"]),
    }
