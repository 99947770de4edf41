"""The interactive political map of one account, as one HTML document.

Input is the map graph of ``graph.accounts.map_graph`` (nodes ``contact:``/``employee:``, edges
reports_to / influences / relationship) and, optionally, the ranking of
``graph.accounts.key_contacts``. Output is a *view*: plain JSON-ready data with every visual
decision
made (colour = stance, shape = decision role, size = key-contact score, our people as blue
boxes, edge styles per link type, borders flagging coaches and uncovered contacts, tooltips
as structured text), which ``relmap-map.js`` draws with the vendored vis-network.

Why a view and not pyvis' ``Network.write_html``: pyvis 0.3.2's template loads Bootstrap from a
CDN even with ``cdn_resources='in_line'`` and does not escape its heading, and its tooltips are
HTML. Here every user string travels as JSON data (``visualize.html.script_json``) and the
script builds tooltips with ``textContent``, so names such as ``</script><script>alert(1)``
display as text and run nothing.

Size: up to ``PHYSICS_LIMIT`` nodes the browser's physics lays the map out (bounded
stabilisation, then physics off); above it positions are precomputed per department
(``visualize.layout``) and the browser only draws, so a 1,000+ contact map opens in seconds.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import networkx as nx

from graph.accounts.key_contacts import KeyContact, KeyContactsResult
from graph.i18n import Translator, translator
from graph.i18n.vocabulary import term
from visualize import style
from visualize.html import AssetMode, esc, render_document, template
from visualize.layout import grouped_positions, tree_positions
from visualize.legend import legend_html, org_legend_html
from visualize.org_chart import org_chart_data
from visualize.shell import topbar

PHYSICS_LIMIT = 150


class MapMode(StrEnum):
    """The view a political map page opens in (the page switches between them)."""

    ORG = "org"
    NETWORK = "network"


OUR_TEAM_GROUP = "Our people"
THIRD_PARTY_GROUP = "Third parties"
NO_DEPARTMENT = "(no department)"
REDACTED = "(hidden)"


def _text(value: Any) -> str:
    """A plain string for display: enum values, ISO dates, '' for None."""
    if value is None:
        return ""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _pretty(value: str) -> str:
    return value.replace("_", " ")


@dataclass
class MapView:
    """Everything the browser needs to draw one map; ``to_data`` is what goes into the page."""

    title: str
    subtitle: str
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    stats: dict[str, int] = field(default_factory=dict)
    groups: list[dict[str, Any]] = field(default_factory=list)
    org: dict[str, Any] = field(default_factory=dict)

    def to_data(self) -> dict[str, Any]:
        return {
            "kind": "political",
            "title": self.title,
            "subtitle": self.subtitle,
            "nodes": self.nodes,
            "edges": self.edges,
            "departments": self.departments,
            "options": self.options,
            "stats": self.stats,
            "groups": self.groups,
            "org": self.org,
        }


def _tip(heading: str, lines: list[tuple[str, str]], notes: list[str] | None = None) -> dict:
    """Tooltip content as data; the script renders it with textContent (never as HTML)."""
    return {
        "heading": heading,
        "lines": [[k, v] for k, v in lines if v],
        "notes": [n for n in (notes or []) if n],
    }


def _relationship_phrase(data: Mapping[str, Any]) -> str:
    strength = _pretty(_text(data.get("strength")) or "acquainted")
    desired = _text(data.get("desired"))
    touch = _text(data.get("last_touch"))
    parts = [strength]
    if desired and desired != _text(data.get("strength")):
        parts.append(f"wanted: {_pretty(desired)}")
    if touch:
        parts.append(f"last touch {touch}")
    return ", ".join(parts)


def build_political_map(
    g: nx.MultiDiGraph,
    *,
    title: str | None = None,
    subtitle: str = "",
    ranking: KeyContactsResult | None = None,
    hierarchical: bool = False,
    personal_data: bool = True,
    layout_seed: int = 7,
    mode: MapMode = MapMode.ORG,
    today: dt.date | None = None,
    tr: Translator | None = None,
) -> MapView:
    """The view of one political map.

    ``ranking`` sizes nodes by key-contact score and marks key contacts and hidden
    influencers; without it every contact gets the same size. ``personal_data=False`` (a
    viewer) replaces names, titles and e-mails by role and department. ``hierarchical`` opens
    the map in the layout along reporting lines (the user can switch either way). ``mode``
    is the view the page opens in: the org chart (``visualize.org_chart``) or the network;
    ``today`` dates stale relationships in the org chart.
    """
    customers: dict[str, dict[str, Any]] = g.graph.get("customers", {}) or {}
    account_id = _text(g.graph.get("account_id"))
    account_name = _text(customers.get(account_id, {}).get("name")) or account_id
    by_node: dict[str, KeyContact] = {k.node: k for k in ranking.contacts} if ranking else {}

    contacts = [n for n, t in g.nodes(data="node_type") if t in ("contact", "third_party")]
    employees = [n for n, t in g.nodes(data="node_type") if t == "employee"]
    contact_set = set(contacts)

    known_by: dict[str, list[tuple[str, Mapping[str, Any]]]] = defaultdict(list)
    knows: dict[str, int] = defaultdict(int)
    for u, v, data in g.edges(data=True):
        if data.get("edge_type") == "relationship":
            emp, con = (u, v) if v in contact_set else (v, u)
            known_by[con].append((emp, data))
            knows[emp] += 1

    def name_of(n: str) -> str:
        a = g.nodes[n]
        if not personal_data and a.get("node_type") != "employee":
            return _anonymous_label(a)
        return _text(a.get("name") or a.get("label") or n)

    top_score = max((k.score for k in by_node.values()), default=0.0) or 1.0
    big = len(contacts) + len(employees) > PHYSICS_LIMIT

    nodes: list[dict[str, Any]] = []
    departments: set[str] = set()
    uncovered = key_count = 0
    for n in contacts:
        a = g.nodes[n]
        third = a.get("node_type") == "third_party"
        role = _text(a.get("decision_role")) or "unknown"
        stance = _text(a.get("stance")) or "unknown"
        dept = _text(a.get("department")) or NO_DEPARTMENT
        departments.add(dept)
        rank = by_node.get(n)
        # a relationship of strength "none" is recorded but covers nothing
        is_uncovered = not any(int(d.get("level", 1)) > 0 for _, d in known_by.get(n, []))
        is_key = bool(rank and rank.is_key)
        uncovered += is_uncovered
        key_count += is_key
        score = rank.score / top_score if rank else 0.0
        border = style.BORDER_DEFAULT
        width = 1.5
        dashes: Any = False
        if role == "coach":
            border, width = style.BORDER_COACH, 4
        if is_uncovered and is_key:
            border, width, dashes = style.BORDER_UNCOVERED, 4, [5, 3]
        elif is_uncovered:
            dashes = [3, 3]
        lines = [
            ("Title", _text(a.get("title")) if personal_data else ""),
            ("Department", dept),
            ("Level", _text(a.get("level"))),
            ("Decision role", style.ROLE_LABELS.get(role, _pretty(role))),
            ("Stance", style.STANCE_LABELS.get(stance, _pretty(stance))),
            ("Kind", _pretty(_text(a.get("contact_kind"))) if third else ""),
            ("E-mail", _text(a.get("email")) if personal_data else ""),
            ("Customer", _text(a.get("customer_id")) if len(customers) > 1 else ""),
        ]
        notes: list[str] = []
        if rank:
            lines.append(("Key-contact score", f"{rank.score:.2f} (rank {rank.rank})"))
            if rank.is_key:
                notes.append(f"Key contact: {rank.key_reason}")
            if rank.hidden_influencer:
                notes.append(f"Hidden influencer: {rank.hidden_reason}")
        if is_uncovered:
            notes.append("None of our people has a relationship with this contact.")
        if known_by.get(n):
            for emp, data in sorted(known_by[n], key=lambda x: -int(x[1].get("level", 0))):
                notes.append(f"Known by {name_of(emp)}: {_relationship_phrase(data)}")
        nodes.append(
            {
                "id": n,
                "label": name_of(n),
                "kind": "third_party" if third else "contact",  # not vis's "group": see script
                "shape": style.ROLE_SHAPES.get(role, "dot"),
                "size": round(12 + 26 * score, 1),
                "color": {
                    "background": style.STANCE_COLOURS.get(stance, "#ffffff"),
                    "border": border,
                    "highlight": {
                        "background": style.STANCE_COLOURS.get(stance, "#ffffff"),
                        "border": "#000000",
                    },
                },
                "borderWidth": width,
                "shapeProperties": {"borderDashes": dashes},
                "font": {
                    "color": style.THIRD_PARTY_FONT if third else style.CONTACT_FONT,
                    # key contacts' names stay legible when a big map is seen whole
                    "size": (34 if big else 20) if is_key else (12 if big else 14),
                    "face": "sans-serif",
                },
                "dept": dept,
                "customer": _text(a.get("customer_id")),
                "key": is_key,
                "uncovered": is_uncovered,
                "hidden": False,
                "tip": _tip(name_of(n), lines, notes),
            }
        )
    nodes.extend(_employee_item(n, g.nodes[n], knows[n], big) for n in employees)

    edges = _edge_items(g, name_of, big)

    _add_tree_positions(g, nodes)
    groups = (
        _department_layout(g, nodes, customers, account_id, account_name, layout_seed)
        if big
        else []
    )

    org = org_chart_data(
        g,
        nodes,
        name_of=name_of,
        ranking=by_node,
        account_name=account_name,
        personal_data=personal_data,
        today=today,
    )
    tr = tr or translator()
    _translate_cards(org, tr)
    org["strings"] = map_words(tr)
    title = title or tr.gettext("Political map: {account}", account=account_name)
    return MapView(
        title=title,
        subtitle=subtitle,
        nodes=nodes,
        edges=edges,
        departments=sorted(departments),
        options={
            "physics": not big,
            "hierarchical": hierarchical,
            "smooth": not big,
            # a big account's relationship lines would hide the org: borders already say who
            # is uncovered, and the "Our people" toggle brings the lines back
            "show_ours": not big,
            "mode": MapMode(mode).value,
        },
        stats={
            "contacts": len(contacts),
            "employees": len(employees),
            "key": key_count,
            "uncovered": uncovered,
            "edges": len(edges),
        },
        groups=groups,
        org=org,
    )


def _employee_item(n: str, a: Mapping[str, Any], knows: int, big: bool) -> dict[str, Any]:
    """One of our people: a blue box, with what they know on this map in the tooltip."""
    return {
        "id": n,
        "label": _text(a.get("name") or a.get("label") or n),
        "kind": "employee",
        "shape": "box",
        "color": {
            "background": style.EMPLOYEE_COLOUR,
            "border": style.EMPLOYEE_BORDER,
            "highlight": {"background": "#4393c3", "border": "#000000"},
        },
        "font": {"color": style.EMPLOYEE_FONT, "size": 12 if big else 14, "face": "sans-serif"},
        "borderWidth": 1,
        "dept": "",
        "key": False,
        "uncovered": False,
        "tip": _tip(
            _text(a.get("name") or n),
            [
                ("Ours", "our person"),
                ("Title", _text(a.get("title"))),
                ("Region", _text(a.get("region"))),
                ("E-mail", _text(a.get("email"))),
                ("Knows", f"{knows} contact(s) on this map"),
            ],
        ),
    }


def _edge_items(
    g: nx.MultiDiGraph, name_of: Callable[[str], str], big: bool
) -> list[dict[str, Any]]:
    """Every link drawn in its style (``style.EDGE_STYLES``), width from its strength."""
    edges: list[dict[str, Any]] = []
    for i, (u, v, data) in enumerate(g.edges(data=True)):
        kind = _text(data.get("edge_type"))
        st = style.EDGE_STYLES.get(kind)
        if st is None:
            continue
        if kind == "influences":
            strength = float(data.get("strength", 0.5))
            width = 1 + 4 * strength
            tip = _tip(
                "Influence",
                [("From", name_of(u)), ("To", name_of(v)), ("Strength", f"{strength:.2f}")],
            )
        elif kind == "relationship":
            width = 1 + 1.2 * float(data.get("level", 1))
            tip = _tip(
                "Our relationship",
                [
                    ("Ours", name_of(u)),
                    ("Contact", name_of(v)),
                    ("How well", _relationship_phrase(data)),
                ],
            )
        else:
            width = 1.5
            tip = _tip("Reports to", [("Contact", name_of(u)), ("Manager", name_of(v))])
        edges.append(
            {
                "id": f"e{i}",
                "from": u,
                "to": v,
                "kind": kind,
                "color": {
                    "color": st.colour,
                    "highlight": "#000000",
                    "opacity": 0.85 if not big or kind == "reports_to" else 0.45,
                },
                "dashes": list(st.dashes) if st.dashes else False,
                "arrows": {"to": {"enabled": st.arrow, "scaleFactor": 0.6}},
                "width": round(width, 2),
                "tip": tip,
            }
        )
    return edges


def _department_layout(
    g: nx.MultiDiGraph,
    nodes: list[dict[str, Any]],
    customers: Mapping[str, Mapping[str, Any]],
    account_id: str,
    account_name: str,
    seed: int,
) -> list[dict[str, Any]]:
    """Precomputed ``x``/``y`` for a big map, one cluster per department of the account, one
    per subsidiary, one for third parties and one for our people; returns the clusters' labels
    (name, position, size) and tags each node with its cluster (``grp``)."""
    group_of: dict[str, list[str]] = defaultdict(list)
    for node in nodes:
        if node["kind"] == "employee":
            node["grp"] = OUR_TEAM_GROUP
        elif node["kind"] == "third_party":
            node["grp"] = THIRD_PARTY_GROUP
        elif node.get("customer", account_id) in ("", account_id):
            node["grp"] = node["dept"]
        else:  # each subsidiary is one cluster of its own, named after it
            node["grp"] = _short_name(
                _text(customers.get(node["customer"], {}).get("name")) or node["customer"],
                account_name,
            )
        group_of[node["grp"]].append(node["id"])
    positions, _discs = grouped_positions(
        group_of,
        ((u, v) for u, v, d in g.edges(data=True) if d.get("edge_type") != "relationship"),
        seed=seed,
    )
    for node in nodes:
        node["x"], node["y"] = positions[node["id"]]
    groups = []
    for name, members in sorted(group_of.items()):
        xs = [positions[m][0] for m in members]
        ys = [positions[m][1] for m in members]
        groups.append(
            {
                "name": name,
                "x": round((min(xs) + max(xs)) / 2, 1),
                "y": round(min(ys) - 40, 1),  # just above the group's topmost node
                "size": len(members),
            }
        )
    return groups


def _short_name(name: str, parent: str) -> str:
    """A subsidiary's name without the part it shares with its parent's name
    (中国新恒融资租赁上海分公司 under 中国新恒融资租赁有限公司 -> 上海分公司)."""
    common = 0
    for a, b in zip(name, parent, strict=False):
        if a != b:
            break
        common += 1
    rest = name[common:].strip(" -·")
    return rest if common >= 2 and len(rest) >= 2 else name


def _add_tree_positions(g: nx.MultiDiGraph, nodes: list[dict[str, Any]]) -> None:
    """``hx``/``hy``: the layout along reporting lines (``visualize.layout.tree_positions``),
    the customer's people as a tree by department, then a row of third parties, then ours."""
    managers: dict[str, list[str]] = defaultdict(list)
    for u, v, data in g.edges(data=True):
        if data.get("edge_type") == "reports_to":
            managers[u].append(v)
    people = [n["id"] for n in nodes if n["kind"] == "contact"]
    tree = tree_positions(
        people,
        {n: sorted(ms)[0] for n, ms in managers.items()},
        order={n["id"]: n["dept"] for n in nodes if n["kind"] == "contact"},
    )
    width = max((x for x, _ in tree.values()), default=0.0)
    y = max((y for _, y in tree.values()), default=0.0) + 220.0
    for group in ("third_party", "employee"):
        members = [n for n in nodes if n["kind"] == group]
        per_row = max(8, int(width // 140) + 1)
        for i, node in enumerate(members):
            node["hx"] = round(70.0 + (i % per_row) * 140.0, 1)
            node["hy"] = round(y + (i // per_row) * 90.0, 1)
        if members:
            y += (math.ceil(len(members) / per_row) + 1) * 90.0
    for node in nodes:
        if node["id"] in tree:
            node["hx"], node["hy"] = tree[node["id"]]


def _anonymous_label(a: Mapping[str, Any]) -> str:
    role = _text(a.get("decision_role")) or "unknown"
    dept = _text(a.get("department"))
    label = style.ROLE_LABELS.get(role, _pretty(role))
    return f"{label} ({dept})" if dept else label


# ------------------------------------------------------------------------------ rendering


def map_words(tr: Translator) -> dict[str, str]:
    """The org chart script's words in ``tr``'s language ({n}, {m}: numbers it fills in)."""
    g = tr.gettext
    return {
        "third_parties": g("Third parties ({n})"),
        "key": g("KEY {n}"),
        "nobody": g("✕ Nobody of ours"),
        "more": g("{n} more below: open the next level"),
        "less": g("Collapse this team"),
        "matches": g("{n} match(es) for the search, highlighted."),
        "no_match": g("Nobody on this map matches the search."),
        "shown": g("{n} of {m} people shown."),
        "drawn": g("Org chart: {n} of {m} people shown. +N opens a team; hover for details."),
        "knows": g("knows {n} here"),
        "knows_nobody": g("knows nobody here"),
        "no_ours": g("Nobody of ours is recorded on this account."),
        "org_size": g("{n} people in the org chart"),
    }


def _translate_cards(org: dict[str, Any], tr: Translator) -> None:
    """Decision roles and stances on the cards in the reader's language."""
    if tr.language == "en":
        return
    for card in org.get("cards", ()):
        if "role_key" in card:
            card["role"] = term(tr, card["role_key"])
        if "stance_key" in card:
            card["stance"] = term(tr, card["stance_key"])


def _template_words(tr: Translator) -> dict[str, str]:
    g = tr.gettext
    return {
        "t_view": g("View"),
        "t_org_chart": g("Org chart"),
        "t_network": g("Network"),
        "t_print": g("Print / PDF"),
        "t_print_tip": g("Print this view, or save it as a PDF from the print dialog"),
        "t_find": g("Find"),
        "t_name_or_title": g("name or title"),
        "t_key_paths_tip": g("Show the top of the org and the chains to the key contacts"),
        "t_key_contacts": g("Key contacts"),
        "t_expand_all": g("Expand all"),
        "t_influence": g("Influence"),
        "t_zoom_out": g("Zoom out"),
        "t_zoom_in": g("Zoom in"),
        "t_key_only": g("Key contacts only"),
        "t_uncovered_only": g("Uncovered only"),
        "t_our_people": g("Our people"),
        "t_department": g("Department"),
        "t_all_departments": g("All departments"),
        "t_reporting_layout": g("Reporting-line layout"),
        "t_name": g("name"),
        "t_fit": g("Fit"),
        "t_drawing": g("Drawing the map…"),
        "t_noscript": g("This map is drawn by JavaScript: allow scripts from this page to see it."),
    }


def render_political_map(
    view: MapView,
    *,
    mode: AssetMode = AssetMode.SERVED,
    static_prefix: str = "/static",
    links: list[tuple[str, str]] | None = None,
    tr: Translator | None = None,
    here: str = "",
) -> str:
    """The map as one HTML document (``mode=INLINE`` for a self-contained file).

    ``links`` are (href, text) pairs shown in the header, e.g. back to the account page. Served
    pages get the shared header (``here`` is the page's address, for the language switch);
    the self-contained file does not link anywhere.
    """
    tr = tr or translator()
    dept_options = "".join(f'<option value="{esc(d)}">{esc(d)}</option>' for d in view.departments)
    nav = " ".join(f'<a href="{esc(h)}">{esc(t)}</a>' for h, t in (links or []))
    s = view.stats
    summary = tr.gettext(
        "{contacts} contacts · {key} key · {uncovered} without a relationship · {ours} of ours",
        contacts=s.get("contacts", 0),
        key=s.get("key", 0),
        uncovered=s.get("uncovered", 0),
        ours=s.get("employees", 0),
    )
    body = template("political_map.html").substitute(
        title=esc(view.title),
        subtitle=esc(view.subtitle),
        summary=esc(summary),
        nav=nav,
        departments=dept_options,
        hierarchical_checked=" checked" if view.options.get("hierarchical") else "",
        ours_checked=" checked" if view.options.get("show_ours", True) else "",
        legend=legend_html(),
        org_legend=org_legend_html(tr),
        topbar=topbar(tr, here=here) if mode is AssetMode.SERVED and here else "",
        **{k: esc(v) for k, v in _template_words(tr).items()},
    )
    return render_document(
        title=view.title,
        body=body,
        scripts=(
            "d3-hierarchy.min.js",
            "relmap-orglane.js",
            "relmap-orgchart.js",
            "vis-network.min.js",
            "relmap-map.js",
        ),
        styles=("vis-network.css", "relmap.css"),
        data=view.to_data(),
        mode=mode,
        static_prefix=static_prefix,
        language=tr.language,
    )
