"""Key contacts of an account: who matters, by position in the influence network and by
formal decision role, with every score explained.

Titles alone mislead (DOMAIN.md section 4): the map should surface the people through whom
influence actually flows. Each contact and third party on a political map
(``graph.accounts.map_graph``) gets four parts, each normalised to 0..1 within the account:

``pagerank``             who is listened to: weighted PageRank on the *listening graph*, where an
                         edge points from a listener to the person they listen to: a contact to
                         their manager (weight ``report_weight``) and the target of an influence
                         link to its source (weight = the influence strength);
``betweenness``          who brokers: betweenness on the undirected reporting + influence network
                         (hops, unweighted), high for people bridging departments;
``influence_in_degree``  how many people listen to them informally: the summed strength of the
                         influence links they exert (their in-degree on the listening graph);
``role``                 the formal decision role's weight (decision maker 1.0 ... unknown 0.1).

The ``score`` adds the parts times their weights (:class:`KeyContactParams`, summing to 1);
``centrality`` is the same mix without the role. A contact is *key* when its score reaches
``key_threshold``, its decision role is a formal buying role, or it is a hidden influencer.
A **hidden influencer** has high centrality (at least ``hidden_centrality``, default 0.4, of
the account's most central contact, and within the top ``max(3, 10%)`` by centrality: in big
accounts a CEO often dominates, so the bar is relative), someone who listens to them (a lone
contact's PageRank says nothing), but a modest title (``level`` at least ``modest_level``, and
no decision-maker / economic-buyer role).

Results are deterministic: values are rounded to 12 decimals (so the igraph and NetworkX engines
agree exactly) and ties are broken by contact id.

>>> from graph.model import Contact, ContactReportsTo, Customer
>>> from graph.accounts.map_graph import AccountRecords, build_map_graph
>>> people = [Contact(id=i, customer_id="a", name=i, level=lvl) for i, lvl in
...           [("boss", 1), ("x", 5), ("y", 5)]]
>>> lines = [ContactReportsTo(contact_id=i, manager_id="boss") for i in ("x", "y")]
>>> g = build_map_graph(AccountRecords("a", [Customer(id="a", name="A")], people, lines))
>>> [(k.contact_id, k.rank) for k in rank_key_contacts(g).contacts]
[('boss', 1), ('x', 2), ('y', 3)]
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import networkx as nx

from graph.accounts.centrality import Engine, betweenness, pagerank
from graph.accounts.map_graph import EdgeType, contact_nodes, record_id
from graph.model import DecisionRole

DEFAULT_ROLE_WEIGHTS: Mapping[DecisionRole, float] = MappingProxyType(
    {
        DecisionRole.DECISION_MAKER: 1.0,
        DecisionRole.ECONOMIC_BUYER: 1.0,
        DecisionRole.TECHNICAL_BUYER: 0.7,
        DecisionRole.EVALUATOR: 0.5,
        DecisionRole.INFLUENCER: 0.5,
        DecisionRole.COACH: 0.4,
        DecisionRole.GATEKEEPER: 0.4,
        DecisionRole.USER: 0.2,
        DecisionRole.UNKNOWN: 0.1,
    }
)

# Decision roles that make a contact key whatever the network says.
FORMAL_BUYING_ROLES: frozenset[DecisionRole] = frozenset(
    {DecisionRole.DECISION_MAKER, DecisionRole.ECONOMIC_BUYER, DecisionRole.TECHNICAL_BUYER}
)
# Roles whose holders are never "hidden": their title already says they decide.
SENIOR_ROLES: frozenset[DecisionRole] = frozenset(
    {DecisionRole.DECISION_MAKER, DecisionRole.ECONOMIC_BUYER}
)

_DIGITS = 12


@dataclass(frozen=True)
class KeyContactParams:
    """Weights and thresholds of the ranking (defaults documented in the module docstring)."""

    pagerank_weight: float = 0.35
    betweenness_weight: float = 0.25
    influence_weight: float = 0.15
    role_weight: float = 0.25
    report_weight: float = 1.0
    alpha: float = 0.85
    key_threshold: float = 0.45
    hidden_centrality: float = 0.4
    modest_level: int = 4
    role_weights: Mapping[DecisionRole, float] = field(default_factory=lambda: DEFAULT_ROLE_WEIGHTS)

    def __hash__(self) -> int:
        return hash(
            (
                self.pagerank_weight,
                self.betweenness_weight,
                self.influence_weight,
                self.role_weight,
                self.report_weight,
                self.alpha,
                self.key_threshold,
                self.hidden_centrality,
                self.modest_level,
                tuple(sorted(self.role_weights.items())),
            )
        )


@dataclass(frozen=True)
class ScorePart:
    """One part of a contact's score: its raw value, normalised value, weight, contribution."""

    name: str
    raw: float
    normalized: float
    weight: float
    contribution: float


@dataclass(frozen=True)
class KeyContact:
    """One contact's ranking and the reasons for it."""

    contact_id: str
    node: str
    name: str
    title: str
    department: str
    level: int
    customer_id: str
    node_type: str
    decision_role: DecisionRole
    stance: str
    pagerank: float
    betweenness: float
    influence_in_degree: float
    role_weight: float
    centrality: float
    score: float
    rank: int
    pagerank_rank: int
    betweenness_rank: int
    centrality_rank: int
    is_key: bool
    hidden_influencer: bool
    hidden_reason: str
    key_reason: str
    parts: tuple[ScorePart, ...]

    @property
    def explanation(self) -> str:
        """The score spelled out part by part, with the ranks behind it."""
        return (
            f"score {self.score:.3f} = "
            + " + ".join(f"{x.name} {x.normalized:.2f}x{x.weight:.2f}" for x in self.parts)
            + f"; PageRank {_ordinal(self.pagerank_rank)}, betweenness "
            f"{_ordinal(self.betweenness_rank)}, sways {self.influence_in_degree:.2f} (summed "
            f"influence strength), role {self.decision_role.value}"
        )


@dataclass(frozen=True)
class KeyContactsResult:
    """Every contact of an account, best first."""

    account_id: str
    version: int | None
    contacts: tuple[KeyContact, ...]
    params: KeyContactParams

    @property
    def key_contacts(self) -> tuple[KeyContact, ...]:
        return tuple(c for c in self.contacts if c.is_key)

    @property
    def hidden_influencers(self) -> tuple[KeyContact, ...]:
        return tuple(c for c in self.contacts if c.hidden_influencer)

    def by_id(self) -> dict[str, KeyContact]:
        return {c.contact_id: c for c in self.contacts}


def listening_graph(g: nx.MultiDiGraph, report_weight: float = 1.0) -> nx.DiGraph:
    """Contacts only; an edge listener -> listened-to, weights summed over reporting lines
    (contact -> manager) and reversed influence links (target -> source, the strength).

    >>> from graph.model import Contact, Influence
    >>> from graph.accounts.map_graph import AccountRecords, build_map_graph
    >>> cs = [Contact(id=i, customer_id="a", name=i) for i in "pq"]
    >>> m = build_map_graph(AccountRecords("a", (), cs, influences=[
    ...     Influence(source_id="p", target_id="q", strength=0.8)]))
    >>> list(listening_graph(m).edges(data="weight"))
    [('contact:q', 'contact:p', 0.8)]
    """
    return _network(g, report_weight)[0]


def brokerage_graph(g: nx.MultiDiGraph) -> nx.Graph:
    """Contacts only; an undirected edge wherever a reporting line or influence link joins two."""
    return _network(g, 1.0)[1]


def _network(
    g: nx.MultiDiGraph, report_weight: float
) -> tuple[nx.DiGraph, nx.Graph, dict[str, float]]:
    """The listening graph, the brokerage graph and each contact's summed influence strength,
    in one pass over the map's edges (bulk-loaded: this is on the benchmarked path)."""
    nodes = contact_nodes(g)
    listen: dict[tuple[str, str], float] = {}
    broker: dict[tuple[str, str], None] = {}
    sway = dict.fromkeys(nodes, 0.0)
    reports, influences = EdgeType.REPORTS_TO.value, EdgeType.INFLUENCES.value
    for u, nbrs in g.adjacency():
        for v, keyed in nbrs.items():
            for data in keyed.values():
                kind = data["edge_type"]
                if kind == reports:
                    pair, w = (u, v), report_weight
                elif kind == influences:
                    w = float(data["strength"])
                    pair = (v, u)
                    sway[u] += w
                else:
                    continue
                listen[pair] = listen.get(pair, 0.0) + w
                broker[(u, v) if u <= v else (v, u)] = None
    lg = nx.DiGraph()
    lg.add_nodes_from(nodes)
    lg.add_weighted_edges_from((u, v, w) for (u, v), w in listen.items())
    bg = nx.Graph()
    bg.add_nodes_from(nodes)
    bg.add_edges_from(broker)
    return lg, bg, sway


def _fingerprint(g: nx.Graph) -> str:
    """A digest of nodes and weighted edges, so cached centrality follows the graph's content
    (two stores at the same version number never share a cache entry)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(repr(list(g.nodes)).encode())
    h.update(repr(list(g.edges(data="weight"))).encode())
    return h.hexdigest()


def _ranks(values: Mapping[str, float]) -> dict[str, int]:
    """Competition ranks (1 = highest), ties by node key."""
    order = sorted(values, key=lambda n: (-values[n], n))
    return {n: i + 1 for i, n in enumerate(order)}


def _normalise(values: Mapping[str, float]) -> dict[str, float]:
    top = max(values.values(), default=0.0)
    return {n: (v / top if top > 0 else 0.0) for n, v in values.items()}


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_key_contacts(
    g: nx.MultiDiGraph,
    params: KeyContactParams | None = None,
    *,
    engine: Engine = Engine.AUTO,
    use_cache: bool = True,
) -> KeyContactsResult:
    """Rank every contact and third party of a political map (see the module docstring)."""
    p = params or KeyContactParams()
    nodes = contact_nodes(g)
    lg, bg, sway = _network(g, p.report_weight)
    pr_key: Hashable | None = None
    bt_key: Hashable | None = None
    if use_cache:
        pr_key, bt_key = ("listen", _fingerprint(lg)), ("broker", _fingerprint(bg))
    pr = {
        n: round(v, _DIGITS)
        for n, v in pagerank(
            lg, alpha=p.alpha, weight="weight", engine=engine, cache_key=pr_key
        ).items()
    }
    bt = {n: round(v, _DIGITS) for n, v in betweenness(bg, engine=engine, cache_key=bt_key).items()}
    indeg = {n: round(v, _DIGITS) for n, v in sway.items()}
    pr_n, bt_n, in_n = _normalise(pr), _normalise(bt), _normalise(indeg)

    net_w = p.pagerank_weight + p.betweenness_weight + p.influence_weight
    centrality: dict[str, float] = {}
    score: dict[str, float] = {}
    parts: dict[str, tuple[ScorePart, ...]] = {}
    roles: dict[str, float] = {}
    for n in nodes:
        role = DecisionRole(g.nodes[n]["decision_role"])
        rw = float(p.role_weights.get(role, 0.0))
        roles[n] = rw
        pn, bn, inn = pr_n[n], bt_n[n], in_n[n]
        items = (
            ScorePart("pagerank", pr[n], pn, p.pagerank_weight, pn * p.pagerank_weight),
            ScorePart("betweenness", bt[n], bn, p.betweenness_weight, bn * p.betweenness_weight),
            ScorePart(
                "influence_in_degree", indeg[n], inn, p.influence_weight, inn * p.influence_weight
            ),
            ScorePart("role", rw, rw, p.role_weight, rw * p.role_weight),
        )
        parts[n] = items
        net = sum(x.contribution for x in items[:3])
        centrality[n] = round(net / net_w, _DIGITS) if net_w > 0 else 0.0
        score[n] = round(sum(x.contribution for x in items), _DIGITS)

    pr_rank, bt_rank, c_rank, s_rank = _ranks(pr), _ranks(bt), _ranks(centrality), _ranks(score)
    top_cut = max(3, math.ceil(0.1 * len(nodes)))
    out: list[KeyContact] = []
    for n in sorted(nodes, key=lambda x: s_rank[x]):
        a = g.nodes[n]
        role = DecisionRole(a["decision_role"])
        level = int(a.get("level", 3))
        hidden = (
            centrality[n] >= p.hidden_centrality
            and c_rank[n] <= top_cut
            and lg.in_degree(n) > 0
            and level >= p.modest_level
            and role not in SENIOR_ROLES
        )
        hidden_reason = (
            f"centrality {centrality[n]:.2f} ({_ordinal(c_rank[n])} of {len(nodes)}: PageRank "
            f"{_ordinal(pr_rank[n])}, betweenness {_ordinal(bt_rank[n])}) but a modest position "
            f"(level {level}, {a.get('title') or 'no title'}, role {role.value})"
            if hidden
            else ""
        )
        reasons = []
        if score[n] >= p.key_threshold:
            reasons.append(f"score {score[n]:.2f} >= {p.key_threshold:.2f}")
        if role in FORMAL_BUYING_ROLES:
            reasons.append(f"decision role {role.value}")
        if hidden:
            reasons.append("hidden influencer")
        out.append(
            KeyContact(
                contact_id=record_id(n),
                node=n,
                name=str(a.get("name", "")),
                title=str(a.get("title", "")),
                department=str(a.get("department", "")),
                level=level,
                customer_id=str(a.get("customer_id", "")),
                node_type=str(a["node_type"]),
                decision_role=role,
                stance=str(a.get("stance", "unknown")),
                pagerank=pr.get(n, 0.0),
                betweenness=bt.get(n, 0.0),
                influence_in_degree=indeg[n],
                role_weight=roles[n],
                centrality=centrality[n],
                score=score[n],
                rank=s_rank[n],
                pagerank_rank=pr_rank[n],
                betweenness_rank=bt_rank[n],
                centrality_rank=c_rank[n],
                is_key=bool(reasons),
                hidden_influencer=hidden,
                hidden_reason=hidden_reason,
                key_reason="; ".join(reasons),
                parts=parts[n],
            )
        )
    return KeyContactsResult(
        account_id=str(g.graph.get("account_id", "")),
        version=g.graph.get("version"),
        contacts=tuple(out),
        params=p,
    )
