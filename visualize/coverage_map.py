"""The coverage map for org designers: our teams and people -> the customers they cover, with
gaps (nobody owns it), conflicts (several owners) and misfits (owned, but not as the tier needs)
highlighted, and the book clustered by region or industry so thousands of customers stay
readable.

Input is the output of the coverage analyses (``graph.coverage.resolve``: each customer's effective
coverage including territory claims; ``graph.coverage.gaps`` / ``graph.coverage.conflicts``
reports), plus our
org records for names. Output is a view the shared map script draws: teams as boxes coloured by
team kind, named people as small blue dots, customers as dots sized by tier and coloured by
status, one line per claim (solid owner, dashed overlay, dotted support; grey for territory
claims, dark for explicit links).

Big books: positions are precomputed per group (region or industry; both are shipped, the page
switches between them) and the browser starts with one cluster node per group, labelled with
its customer, gap and conflict counts; double-click opens a cluster. Customers beyond
``max_customers`` are not drawn when they are healthy mid/small ones (the subtitle says how
many), so problems are never hidden by the cap.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.coverage.conflicts import ConflictReport
from graph.coverage.gaps import GapKind, GapReport
from graph.coverage.inputs import OrgRecords
from graph.coverage.resolve import CustomerCoverage
from graph.model import TIER_ORDER, Tier
from visualize import style
from visualize.html import AssetMode, esc, render_document, template
from visualize.layout import circle_positions, ring_discs, spiral_positions
from visualize.legend import line_swatch, shape_swatch

GROUPINGS = ("region", "industry")
NONE_VALUE = "(none)"
DEFAULT_MAX_CUSTOMERS = 4000
CLUSTER_ABOVE = 250  # start clustered when more customers than this are drawn
STATUS_ORDER = ("gap", "conflict", "misfit", "ok")


@dataclass
class CoverageView:
    """Everything the browser needs to draw the coverage map."""

    title: str
    subtitle: str
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    groups: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    stats: dict[str, int] = field(default_factory=dict)

    def to_data(self) -> dict[str, Any]:
        return {
            "kind": "coverage",
            "title": self.title,
            "subtitle": self.subtitle,
            "nodes": self.nodes,
            "edges": self.edges,
            "groups": self.groups,
            "options": self.options,
            "stats": self.stats,
        }


def _tip(heading: str, lines: list[tuple[str, str]], notes: Iterable[str] = ()) -> dict:
    return {
        "heading": heading,
        "lines": [[k, v] for k, v in lines if v],
        "notes": [n for n in notes if n],
    }


def customer_status(
    cc: CustomerCoverage, gap_kinds: Mapping[str, set[GapKind]], conflicted: set[str]
) -> str:
    """gap (no owner) > conflict (several owners) > misfit (any other gap finding) > ok."""
    cid = cc.customer.id
    kinds = gap_kinds.get(cid, set())
    if not cc.owners or GapKind.NO_OWNER in kinds:
        return "gap"
    if cid in conflicted or len(cc.owners) > 1:
        return "conflict"
    if kinds:
        return "misfit"
    return "ok"


def _select(
    coverages: Sequence[CustomerCoverage], status: Mapping[str, str], cap: int
) -> tuple[list[CustomerCoverage], int]:
    """Which customers to draw: all if they fit, else problems and strategic/key accounts
    first, then the biggest of the rest."""
    if len(coverages) <= cap:
        return list(coverages), 0
    tier_rank = {t: i for i, t in enumerate(TIER_ORDER)}

    def priority(cc: CustomerCoverage) -> tuple[int, int, float, str]:
        c = cc.customer
        problem = status[c.id] != "ok"
        big = c.tier in (Tier.STRATEGIC, Tier.KEY)
        return (0 if problem or big else 1, tier_rank[c.tier], -c.revenue, c.id)

    chosen = sorted(coverages, key=priority)[:cap]
    return chosen, len(coverages) - len(chosen)


class CoverageCollector:
    """Keeps what the coverage map can draw while the analyses stream a big book past it.

    Every customer with a visible problem (no owner, several owners, an inactive named owner)
    and every strategic or key account is kept; of the healthy rest only the ``cap`` biggest
    by revenue. Memory stays bounded by the problems plus ``cap``, whatever the book's size.
    Use ``add`` as the ``on_coverage`` callback of ``graph.coverage.report``.
    """

    def __init__(self, cap: int = DEFAULT_MAX_CUSTOMERS) -> None:
        self.cap = cap
        self.kept: list[CustomerCoverage] = []
        self._heap: list[tuple[float, str, CustomerCoverage]] = []
        self.dropped = 0

    def add(self, cc: CustomerCoverage) -> None:
        c = cc.customer
        if (
            len(cc.owners) != 1
            or cc.inactive_account_managers
            or c.tier in (Tier.STRATEGIC, Tier.KEY)
        ):
            self.kept.append(cc)
            return
        item = (c.revenue, c.id, cc)
        if len(self._heap) < self.cap:
            heapq.heappush(self._heap, item)
        else:
            heapq.heappushpop(self._heap, item)
            self.dropped += 1

    def coverages(self) -> list[CustomerCoverage]:
        """What was kept, in customer id order."""
        return sorted(self.kept + [cc for _, _, cc in self._heap], key=lambda cc: cc.customer.id)


def build_coverage_map(
    org: OrgRecords,
    coverages: Iterable[CustomerCoverage],
    *,
    gaps: GapReport | None = None,
    conflicts: ConflictReport | None = None,
    title: str = "Coverage map",
    subtitle: str = "",
    group_by: str = "region",
    max_customers: int = DEFAULT_MAX_CUSTOMERS,
    not_passed: int = 0,
    layout_seed: int = 11,
) -> CoverageView:
    """The view of the coverage map (see the module docstring). ``not_passed`` counts healthy
    customers a :class:`CoverageCollector` already left out (shown in the subtitle)."""
    if group_by not in GROUPINGS:
        raise ValueError(f"group_by must be one of {GROUPINGS}, not {group_by!r}")
    all_cov = list(coverages)
    gap_kinds: dict[str, set[GapKind]] = defaultdict(set)
    gap_details: dict[str, list[str]] = defaultdict(list)
    for f in gaps.findings if gaps else ():
        gap_kinds[f.customer_id].add(f.kind)
        gap_details[f.customer_id].append(f"{f.kind.value.replace('_', ' ')}: {f.detail}")
    conflicted = {c.customer_id for c in conflicts.conflicts} if conflicts else set()
    status = {cc.customer.id: customer_status(cc, gap_kinds, conflicted) for cc in all_cov}
    drawn, left_out = _select(all_cov, status, max_customers)
    left_out += not_passed

    teams = {t.id: t for t in org.teams}
    employees = {e.id: e for e in org.employees}

    def team_name(tid: str) -> str:
        return teams[tid].name if tid in teams else tid

    def holder_node(kind: str, hid: str) -> str:
        return f"{kind}:{hid}"

    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    used_employees: set[str] = set()
    team_load: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # owned, overlay, support
    edge_seen: set[tuple[str, str, str]] = set()
    counts = dict.fromkeys(STATUS_ORDER, 0)

    def add_edge(src: str, dst: str, role: str, explicit: bool, tip: dict) -> None:
        key = (src, dst, role)
        if key in edge_seen:
            return
        edge_seen.add(key)
        dashes = style.COVERAGE_ROLE_DASHES.get(role)
        colour = style.CLAIM_EXPLICIT_COLOUR if explicit else style.CLAIM_TERRITORY_COLOUR
        edges.append(
            {
                "id": f"c{len(edges)}",
                "from": src,
                "to": dst,
                "kind": role,
                "color": {"color": colour, "highlight": "#000000", "opacity": 0.7},
                "dashes": list(dashes) if dashes else False,
                "width": 2 if role == "owner" else 1.2,
                "arrows": {"to": {"enabled": False}},
                "tip": tip,
            }
        )

    for cc in drawn:
        c = cc.customer
        st = status[c.id]
        counts[st] += 1
        cnode = f"customer:{c.id}"
        owners = [
            g.label if not g.teams else " + ".join(team_name(t) for t in g.teams) for g in cc.owners
        ]
        ams = [employees[e].name if e in employees else e for e in cc.account_managers]
        lines = [
            ("Tier", c.tier.value),
            ("Industry", c.industry),
            ("Region", c.region),
            ("Status", style.CUSTOMER_STATUS_LABELS[st]),
            ("Owner(s)", "; ".join(owners) or "nobody"),
            ("Account manager", ", ".join(ams)),
            ("Overlay", "; ".join(_claim_label(x, teams, employees) for x in cc.overlays)),
            ("Support", "; ".join(_claim_label(x, teams, employees) for x in cc.support)),
            ("Owner credit", f"{cc.owner_credit:.2f}" if cc.owners else ""),
            ("Revenue (2y)", f"{c.revenue:,.0f}" if c.revenue else ""),
        ]
        nodes.append(
            {
                "id": cnode,
                "label": c.name if c.tier in (Tier.STRATEGIC, Tier.KEY) or st != "ok" else "",
                "kind": "customer",
                "shape": "dot",
                "size": style.TIER_SIZES.get(c.tier.value, 8),
                "color": {
                    "background": style.CUSTOMER_STATUS_COLOURS[st],
                    "border": style.CUSTOMER_STATUS_BORDERS[st],
                    "highlight": {
                        "background": style.CUSTOMER_STATUS_COLOURS[st],
                        "border": "#000000",
                    },
                },
                "borderWidth": 2 if st != "ok" else 1,
                "font": {"size": 14, "face": "sans-serif", "color": "#222222"},
                "status": st,
                "tier": c.tier.value,
                "grp": {"region": c.region or NONE_VALUE, "industry": c.industry or NONE_VALUE},
                "tip": _tip(c.name, lines, gap_details.get(c.id, [])),
            }
        )
        for g in cc.owners:
            for claim in g.claims:
                if claim.holder_kind.value == "employee":
                    used_employees.add(claim.holder_id)
                src = holder_node(claim.holder_kind.value, claim.holder_id)
                add_edge(
                    src,
                    cnode,
                    "owner",
                    claim.source.value == "explicit",
                    _tip(
                        "Owner",
                        [
                            ("Customer", c.name),
                            ("Why", claim.reason),
                            ("Credit", f"{claim.credit_share:.2f}"),
                        ],
                    ),
                )
            for tid in g.teams:
                team_load[tid][0] += 1
        for role, claims in (("overlay", cc.overlays), ("support", cc.support)):
            for claim in claims:
                if claim.holder_kind.value == "employee":
                    used_employees.add(claim.holder_id)
                src = holder_node(claim.holder_kind.value, claim.holder_id)
                add_edge(
                    src,
                    cnode,
                    role,
                    True,
                    _tip(
                        role.capitalize(),
                        [
                            ("Customer", c.name),
                            ("Why", claim.reason),
                            ("Credit", f"{claim.credit_share:.2f}"),
                        ],
                    ),
                )
                for tid in claim.teams:
                    team_load[tid][1 if role == "overlay" else 2] += 1

    # our side: every team, and the people who hold coverage in their own name
    memberships = [m for m in org.memberships if m.employee_id in used_employees]
    for t in sorted(teams.values(), key=lambda t: t.id):
        owned, overlay, support = team_load.get(t.id, [0, 0, 0])
        nodes.append(
            {
                "id": holder_node("team", t.id),
                "label": t.name,
                "kind": "team",
                "shape": "box",
                "color": {
                    "background": style.TEAM_KIND_COLOURS.get(t.team_kind.value, "#777777"),
                    "border": "#222222",
                    "highlight": {"background": "#000000", "border": "#000000"},
                },
                "font": {"color": "#ffffff", "size": 22, "face": "sans-serif"},
                "tip": _tip(
                    t.name,
                    [
                        ("Kind", t.team_kind.value.replace("_", " ")),
                        ("Industry", t.industry),
                        ("Regions", ", ".join(t.regions)),
                        ("Parent team", team_name(t.parent_id) if t.parent_id else ""),
                        ("Owns", f"{owned} drawn customer(s)"),
                        ("Overlay / support", f"{overlay} / {support}"),
                    ],
                ),
            }
        )
    for eid in sorted(used_employees):
        e = employees.get(eid)
        name = e.name if e else eid
        nodes.append(
            {
                "id": holder_node("employee", eid),
                "label": name,
                "kind": "employee",
                "shape": "dot",
                "size": 9,
                "color": {
                    "background": style.EMPLOYEE_COLOUR if (e is None or e.active) else "#ffffff",
                    "border": style.EMPLOYEE_BORDER,
                    "highlight": {"background": "#4393c3", "border": "#000000"},
                },
                "font": {"size": 13, "face": "sans-serif", "color": "#0b3c6f"},
                "tip": _tip(
                    name,
                    [
                        ("Ours", "named person"),
                        ("Title", e.title if e else ""),
                        ("Region", e.region if e else ""),
                        ("Active", "" if e is None or e.active else "no: reassign their accounts"),
                    ],
                ),
            }
        )
    for m in memberships:
        if m.team_id in teams:
            edges.append(
                {
                    "id": f"m{len(edges)}",
                    "from": holder_node("employee", m.employee_id),
                    "to": holder_node("team", m.team_id),
                    "kind": "member",
                    "color": {"color": style.MEMBERSHIP_COLOUR, "opacity": 0.6},
                    "dashes": False,
                    "width": 1,
                    "arrows": {"to": {"enabled": False}},
                    "tip": _tip(
                        "Member",
                        [
                            (
                                "Person",
                                employees[m.employee_id].name
                                if m.employee_id in employees
                                else m.employee_id,
                            ),
                            ("Team", team_name(m.team_id)),
                            ("Role", m.role),
                        ],
                    ),
                }
            )

    # positions for both groupings, and the cluster summary of each group
    customers = [n for n in nodes if n["kind"] == "customer"]
    member_teams: dict[str, list[str]] = defaultdict(list)
    for m in memberships:
        if m.team_id in teams:
            member_teams[m.employee_id].append(m.team_id)
    groups: dict[str, list[dict[str, Any]]] = {}
    for grouping in GROUPINGS:
        positions, summary = _layout(grouping, nodes, customers, edges, member_teams)
        for n in nodes:
            n.setdefault("pos", {})[grouping] = list(positions[n["id"]])
        groups[grouping] = summary

    drawn_count = len(drawn)
    subtitle_parts = [subtitle] if subtitle else []
    subtitle_parts.append(
        f"{drawn_count} customers drawn"
        + (f", {left_out} healthy smaller ones left out" if left_out else "")
    )
    return CoverageView(
        title=title,
        subtitle=" · ".join(subtitle_parts),
        nodes=nodes,
        edges=edges,
        groups=groups,
        options={"group_by": group_by, "cluster": drawn_count > CLUSTER_ABOVE},
        stats={
            "customers": drawn_count,
            "left_out": left_out,
            "teams": len(teams),
            "people": len(used_employees),
            **{s: counts[s] for s in STATUS_ORDER},
        },
    )


def _layout(
    grouping: str,
    nodes: list[dict[str, Any]],
    customers: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    member_teams: Mapping[str, list[str]],
) -> tuple[dict[str, tuple[float, float]], list[dict[str, Any]]]:
    """Hub and ring: our teams in the middle, each group's customers in a disc on a ring
    around them (problems in the middle of each disc), each team turned toward the groups it
    covers and its named people just outside it."""
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    members: dict[str, list[str]] = defaultdict(list)
    for n in sorted(customers, key=lambda n: (rank[n["status"]], -n["size"], n["id"])):
        members[n["grp"][grouping]].append(n["id"])
    team_ids = [n["id"] for n in nodes if n["kind"] == "team"]
    people = [n["id"] for n in nodes if n["kind"] == "employee"]
    # teams alternate between two circles, so ~80 teams still have room for their labels
    hub = max(110.0 * math.sqrt(max(len(team_ids), 1)) + 80.0, len(team_ids) * 80.0 / math.tau)
    discs = ring_discs({k: len(v) for k, v in members.items()}, inner_radius=hub + 160.0)
    positions: dict[str, tuple[float, float]] = {}
    for name, ids in members.items():
        cx, cy, r = discs[name]
        positions.update(spiral_positions(ids, (cx, cy), r))

    group_of = {n["id"]: n["grp"][grouping] for n in customers}
    pull: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for e in edges:
        target = group_of.get(e["to"])
        if target is None:
            continue
        cx, cy, _ = discs[target]
        norm = math.hypot(cx, cy) or 1.0
        holders = [e["from"]]
        if e["from"].startswith("employee:"):
            holders += [f"team:{t}" for t in member_teams.get(e["from"][9:], [])]
        for h in holders:
            pull[h][0] += cx / norm
            pull[h][1] += cy / norm
    preferred = {
        t: math.atan2(pull[t][1], pull[t][0]) if t in pull else 2 * math.pi * i / len(team_ids)
        for i, t in enumerate(team_ids)
    }
    on_circle = circle_positions(preferred, hub) if team_ids else {}
    for i, (t, (x, y)) in enumerate(
        sorted(on_circle.items(), key=lambda kv: math.atan2(kv[1][1], kv[1][0]))
    ):
        f = 0.86 if i % 2 else 1.0
        positions[t] = (round(x * f, 1), round(y * f, 1))
    placed: dict[str, int] = defaultdict(int)
    loose: dict[str, float] = {}
    for p in people:
        own = [f"team:{t}" for t in member_teams.get(p[9:], []) if f"team:{t}" in positions]
        if not own:
            loose[p] = math.atan2(pull[p][1], pull[p][0]) if p in pull else 0.0
            continue
        tx, ty = positions[own[0]]
        k = placed[own[0]]
        placed[own[0]] += 1
        angle = math.atan2(ty, tx) + (k - 1) * 0.18
        dist = math.hypot(tx, ty) + 90.0 + 20.0 * (k // 3)
        positions[p] = (round(dist * math.cos(angle), 1), round(dist * math.sin(angle), 1))
    positions.update(circle_positions(loose, hub * 0.45) if loose else {})

    by_id = {n["id"]: n for n in customers}
    summary = []
    for name, ids in sorted(members.items()):
        cx, cy, r = discs[name]
        tally = dict.fromkeys(STATUS_ORDER, 0)
        for cid in ids:
            tally[by_id[cid]["status"]] += 1
        # closed clusters sit on a tighter ring than the open discs, so the overview stays big
        d = math.hypot(cx, cy) or 1.0
        ring = max(hub + 420.0, len(members) * 360.0 / math.tau)  # ~360 px of arc each
        summary.append(
            {
                "name": name,
                "x": cx,
                "y": cy,
                "r": round(r, 1),
                "size": len(ids),
                "cx": round(cx / d * ring, 1),
                "cy": round(cy / d * ring, 1),
                **tally,
            }
        )
    return positions, summary


def _claim_label(claim: Any, teams: Mapping[str, Any], employees: Mapping[str, Any]) -> str:
    if claim.holder_kind.value == "team":
        t = teams.get(claim.holder_id)
        return t.name if t else claim.holder_id
    e = employees.get(claim.holder_id)
    return e.name if e else claim.holder_id


def coverage_legend_html() -> str:
    """Legend of the coverage map, from ``visualize.style``."""
    parts = ["<h2>Legend</h2><h3>Customers (fill)</h3><ul>"]
    for key in STATUS_ORDER:
        parts.append(
            f"<li>{shape_swatch('dot', style.CUSTOMER_STATUS_COLOURS[key], '#333333')}"
            f"{esc(style.CUSTOMER_STATUS_LABELS[key])}</li>"
        )
    parts.append("<li>Bigger = higher tier (strategic, key, mid, small)</li>")
    parts.append(
        f"<li>{shape_swatch('dot', style.CLUSTER_COLOUR, '#8c6d31')}"
        "Cluster: a region or industry (double-click to open)</li>"
        f"<li>{shape_swatch('dot', style.CLUSTER_COLOUR, style.CUSTOMER_STATUS_COLOURS['gap'])}"
        "Red ring: it holds gaps; orange: conflicts</li>"
    )
    parts.append("</ul><h3>Our side</h3><ul>")
    for kind, colour in style.TEAM_KIND_COLOURS.items():
        parts.append(
            f"<li>{shape_swatch('box', colour, '#222222')}Team: {esc(kind.replace('_', ' '))}</li>"
        )
    parts.append(
        f"<li>{shape_swatch('dot', style.EMPLOYEE_COLOUR, style.EMPLOYEE_BORDER)}"
        "Named person (white = inactive)</li></ul><h3>Claims (lines)</h3><ul>"
    )
    for role, label in style.COVERAGE_ROLE_LABELS.items():
        swatch = line_swatch(style.CLAIM_EXPLICIT_COLOUR, style.COVERAGE_ROLE_DASHES[role], False)
        parts.append(f"<li>{swatch}{esc(label)}</li>")
    parts.append(
        f"<li>{line_swatch(style.CLAIM_TERRITORY_COLOUR, None, False)}"
        "Owner by territory rule</li>"
        f"<li>{line_swatch(style.MEMBERSHIP_COLOUR, None, False)}Member of team</li></ul>"
    )
    return "".join(parts)


def render_coverage_map(
    view: CoverageView,
    *,
    mode: AssetMode = AssetMode.SERVED,
    static_prefix: str = "/static",
    links: list[tuple[str, str]] | None = None,
) -> str:
    """The coverage map as one HTML document."""
    s = view.stats
    summary = (
        f"{s.get('gap', 0)} gaps · {s.get('conflict', 0)} conflicts · "
        f"{s.get('misfit', 0)} misfits · {s.get('ok', 0)} fine · {s.get('teams', 0)} teams"
    )
    group_options = "".join(
        f'<option value="{g}"{" selected" if view.options.get("group_by") == g else ""}>'
        f"{g.capitalize()}</option>"
        for g in GROUPINGS
    )
    nav = " ".join(f'<a href="{esc(h)}">{esc(t)}</a>' for h, t in (links or []))
    body = template("coverage_map.html").substitute(
        title=esc(view.title),
        subtitle=esc(view.subtitle),
        summary=esc(summary),
        nav=nav,
        group_options=group_options,
        cluster_checked=" checked" if view.options.get("cluster") else "",
        legend=coverage_legend_html(),
    )
    return render_document(
        title=view.title,
        body=body,
        scripts=("vis-network.min.js", "relmap-map.js"),
        styles=("vis-network.css", "relmap.css"),
        data=view.to_data(),
        mode=mode,
        static_prefix=static_prefix,
    )
