"""Relationship coverage of an account's key contacts, and what breaks when one of ours leaves.

Given a political map (``graph.accounts.map_graph``) and its key-contact ranking
(``graph.accounts.key_contacts``), this module answers the account manager's questions of DOMAIN.md
section 4:

- for each key contact, our **strongest relationship** and who holds it;
- **uncovered** key contacts: nobody of ours knows them (at least ``covered_at``);
- **stale** relationships: no touch for ``stale_days`` against a given ``today`` (a relationship
  never touched counts as stale);
- **single-threaded** key contacts (known by one of our people only) and accounts (all their
  covered key contacts are known by the same one person);
- **buying-roles completeness**: the roles the policy asks for: a decision maker or economic
  buyer and a champion among the customer's people, each known by us, and an executive sponsor
  on our side (one of ours with a senior title who knows someone on the map);
- **what if X leaves**: the relationships lost with an employee and the key contacts left
  without any relationship, per account and across all of that employee's accounts.

A relationship *counts* when its strength reaches ``RelationshipPolicy.covered_at`` (default
acquainted); a recorded strength of ``none`` is no relationship, so nothing is lost with it.
All results are frozen dataclasses, sorted deterministically (key contacts by rank; people and
contacts by id).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from graph.accounts.key_contacts import KeyContact, KeyContactsResult
from graph.accounts.map_graph import EdgeType, edges_of_type, record_id
from graph.model import DecisionRole, RelationshipStrength, Stance

DEFAULT_SPONSOR_TITLES: tuple[str, ...] = (
    "vp",
    "svp",
    "evp",
    "vice president",
    "president",
    "chief",
    "ceo",
    "coo",
    "cfo",
    "cto",
    "cio",
    "executive",
    "sponsor",
    "general manager",
    "managing director",
    "副总",
    "总裁",
    "总经理",
    "董事",
    "高管",
)


@dataclass(frozen=True)
class RelationshipPolicy:
    """What the coverage checks ask for (small on purpose; the org-wide coverage policy lives in
    ``graph.coverage.policy``)."""

    covered_at: RelationshipStrength = RelationshipStrength.ACQUAINTED
    stale_days: int = 180
    min_threads: int = 2
    decision_roles: frozenset[DecisionRole] = frozenset(
        {DecisionRole.DECISION_MAKER, DecisionRole.ECONOMIC_BUYER}
    )
    champion_stances: frozenset[Stance] = frozenset({Stance.CHAMPION})
    require_executive_sponsor: bool = True
    sponsor_titles: tuple[str, ...] = DEFAULT_SPONSOR_TITLES

    def counts(self, strength: RelationshipStrength) -> bool:
        """Whether a relationship of ``strength`` covers a contact."""
        return strength.level >= self.covered_at.level and strength.level > 0

    def is_sponsor_title(self, title: str) -> bool:
        """A senior title by keyword: whole words for Latin keywords, substrings for CJK.

        >>> p = RelationshipPolicy()
        >>> [p.is_sponsor_title(t) for t in ("VP Sales", "MVP engineer", "区域副总经理")]
        [True, False, True]
        """
        low = title.lower()
        for kw in self.sponsor_titles:
            if kw.isascii():
                if re.search(rf"(?<![a-z0-9]){re.escape(kw)}(?![a-z0-9])", low):
                    return True
            elif kw in title:
                return True
        return False


# ---------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Holder:
    """One of our people's relationship to one contact."""

    employee_id: str
    employee_name: str
    employee_title: str
    strength: RelationshipStrength
    desired: RelationshipStrength | None
    last_touch: dt.date | None


@dataclass(frozen=True)
class ContactCoverage:
    """How well we cover one key contact."""

    contact_id: str
    name: str
    title: str
    department: str
    customer_id: str
    decision_role: DecisionRole
    stance: str
    rank: int
    score: float
    hidden_influencer: bool
    strongest: RelationshipStrength
    strongest_holders: tuple[str, ...]
    holders: tuple[Holder, ...]
    threads: int
    covered: bool
    single_threaded: bool
    desired: RelationshipStrength | None
    gap: int  # desired level minus strongest level (0 when no target or already there)


@dataclass(frozen=True)
class StaleRelationship:
    employee_id: str
    employee_name: str
    contact_id: str
    contact_name: str
    strength: RelationshipStrength
    last_touch: dt.date | None
    days_since: int | None  # None: never touched
    key_contact: bool


@dataclass(frozen=True)
class RoleCheck:
    """One buying role the policy asks for: who fills it and whether we have it covered."""

    requirement: str  # "decision_maker_or_economic_buyer" | "champion" | "executive_sponsor"
    met: bool
    identified: tuple[str, ...]  # contact ids (employee ids for the executive sponsor)
    covered: tuple[str, ...]
    detail: str


@dataclass(frozen=True)
class AccountCoverage:
    account_id: str
    customer_ids: tuple[str, ...]
    version: int | None
    today: dt.date
    stale_days: int
    key_contacts: tuple[ContactCoverage, ...]
    uncovered: tuple[str, ...]
    single_threaded_contacts: tuple[str, ...]
    threads: tuple[str, ...]  # our people covering at least one key contact
    single_threaded: bool
    stale: tuple[StaleRelationship, ...]
    roles: tuple[RoleCheck, ...]
    roles_complete: bool


@dataclass(frozen=True)
class LostRelationship:
    employee_id: str
    contact_id: str
    contact_name: str
    customer_id: str
    strength: RelationshipStrength
    last_touch: dt.date | None
    key_contact: bool
    rank: int | None
    still_known_by: tuple[str, ...]  # our other people who cover the contact


@dataclass(frozen=True)
class AccountLoss:
    """What one account loses when an employee leaves."""

    account_id: str
    relationships_lost: tuple[LostRelationship, ...]
    key_contacts_orphaned: tuple[str, ...]  # key contacts whose only relationship was theirs
    contacts_orphaned: tuple[str, ...]  # every contact whose only relationship was theirs
    threads_before: int
    threads_after: int
    becomes_single_threaded: bool
    becomes_uncovered: bool


@dataclass(frozen=True)
class LeaverImpact:
    """What all of an employee's accounts lose when they leave."""

    employee_id: str
    accounts: tuple[AccountLoss, ...]
    relationships_lost: int
    key_contacts_orphaned: int
    accounts_uncovered: tuple[str, ...]
    accounts_single_threaded: tuple[str, ...]


# -------------------------------------------------------------------------------- functions


def _relationships(g: nx.MultiDiGraph) -> dict[str, list[Holder]]:
    """Every relationship on the map by contact node (all strengths), holders by employee id."""
    out: dict[str, list[Holder]] = defaultdict(list)
    for u, v, data in edges_of_type(g, EdgeType.RELATIONSHIP):
        emp = g.nodes[u]
        desired = data.get("desired")
        out[v].append(
            Holder(
                employee_id=record_id(u),
                employee_name=str(emp.get("name", "")),
                employee_title=str(emp.get("title", "")),
                strength=RelationshipStrength(data["strength"]),
                desired=RelationshipStrength(desired) if desired is not None else None,
                last_touch=data.get("last_touch"),
            )
        )
    return out


def _covering(holders: Iterable[Holder], policy: RelationshipPolicy) -> list[Holder]:
    """Holders whose relationship counts, strongest first, then by employee id."""
    return sorted(
        (h for h in holders if policy.counts(h.strength)),
        key=lambda h: (-h.strength.level, h.employee_id),
    )


def contact_coverage(
    g: nx.MultiDiGraph, kc: KeyContact, holders: list[Holder], policy: RelationshipPolicy
) -> ContactCoverage:
    """Coverage of one key contact from the relationships held to it."""
    covering = _covering(holders, policy)
    strongest = covering[0].strength if covering else RelationshipStrength.NONE
    desired_levels = [h.desired for h in holders if h.desired is not None]
    desired = max(desired_levels, key=lambda s: s.level) if desired_levels else None
    return ContactCoverage(
        contact_id=kc.contact_id,
        name=kc.name,
        title=kc.title,
        department=kc.department,
        customer_id=kc.customer_id,
        decision_role=kc.decision_role,
        stance=kc.stance,
        rank=kc.rank,
        score=kc.score,
        hidden_influencer=kc.hidden_influencer,
        strongest=strongest,
        strongest_holders=tuple(h.employee_id for h in covering if h.strength == strongest),
        holders=tuple(covering),
        threads=len(covering),
        covered=bool(covering),
        single_threaded=0 < len(covering) < policy.min_threads,
        desired=desired,
        gap=max(0, desired.level - strongest.level) if desired is not None else 0,
    )


def stale_relationships(
    g: nx.MultiDiGraph,
    today: dt.date,
    stale_days: int,
    key_ids: frozenset[str] = frozenset(),
    policy: RelationshipPolicy | None = None,
) -> tuple[StaleRelationship, ...]:
    """Relationships that count but were last touched more than ``stale_days`` before ``today``
    (or never), never-touched first, then longest untouched, then by contact and employee."""
    p = policy or RelationshipPolicy()
    found: list[StaleRelationship] = []
    for node, holders in _relationships(g).items():
        contact = g.nodes[node]
        for h in holders:
            if not p.counts(h.strength):
                continue
            days = (today - h.last_touch).days if h.last_touch is not None else None
            if days is None or days > stale_days:
                found.append(
                    StaleRelationship(
                        employee_id=h.employee_id,
                        employee_name=h.employee_name,
                        contact_id=record_id(node),
                        contact_name=str(contact.get("name", "")),
                        strength=h.strength,
                        last_touch=h.last_touch,
                        days_since=days,
                        key_contact=record_id(node) in key_ids,
                    )
                )
    found.sort(
        key=lambda s: (s.days_since is not None, -(s.days_since or 0), s.contact_id, s.employee_id)
    )
    return tuple(found)


def role_checks(
    g: nx.MultiDiGraph, rels: dict[str, list[Holder]], policy: RelationshipPolicy
) -> tuple[RoleCheck, ...]:
    """The buying roles the policy asks for, each identified on the map and covered by us."""
    contacts = [(n, a) for n, a in g.nodes(data=True) if a["node_type"] != "employee"]

    def covered(nodes: list[str]) -> tuple[str, ...]:
        return tuple(record_id(n) for n in nodes if _covering(rels.get(n, []), policy))

    checks: list[RoleCheck] = []
    dm = sorted(n for n, a in contacts if DecisionRole(a["decision_role"]) in policy.decision_roles)
    dm_cov = covered(dm)
    checks.append(
        RoleCheck(
            "decision_maker_or_economic_buyer",
            bool(dm_cov),
            tuple(record_id(n) for n in dm),
            dm_cov,
            ("covered: " + ", ".join(dm_cov))
            if dm_cov
            else (
                "identified but nobody of ours knows them"
                if dm
                else "no decision maker or economic buyer identified on the map"
            ),
        )
    )
    ch = sorted(n for n, a in contacts if Stance(a["stance"]) in policy.champion_stances)
    ch_cov = covered(ch)
    checks.append(
        RoleCheck(
            "champion",
            bool(ch_cov),
            tuple(record_id(n) for n in ch),
            ch_cov,
            ("covered: " + ", ".join(ch_cov))
            if ch_cov
            else ("identified but nobody of ours knows them" if ch else "no champion identified"),
        )
    )
    if policy.require_executive_sponsor:
        sponsors = sorted(
            record_id(n)
            for n, a in g.nodes(data=True)
            if a["node_type"] == "employee"
            and policy.is_sponsor_title(str(a.get("title", "")))
            and any(
                policy.counts(RelationshipStrength(d["strength"]))
                for _, _, d in g.out_edges(n, data=True)
                if d["edge_type"] == EdgeType.RELATIONSHIP
            )
        )
        checks.append(
            RoleCheck(
                "executive_sponsor",
                bool(sponsors),
                tuple(sponsors),
                tuple(sponsors),
                ("sponsor: " + ", ".join(sponsors))
                if sponsors
                else "no executive of ours has a relationship on this account",
            )
        )
    return tuple(checks)


def relationship_coverage(
    g: nx.MultiDiGraph,
    ranking: KeyContactsResult,
    today: dt.date,
    policy: RelationshipPolicy | None = None,
    *,
    stale_days: int | None = None,
) -> AccountCoverage:
    """Coverage of an account's key contacts (see the module docstring)."""
    p = policy or RelationshipPolicy()
    days = p.stale_days if stale_days is None else stale_days
    rels = _relationships(g)
    keys = ranking.key_contacts
    per_contact = tuple(contact_coverage(g, kc, rels.get(kc.node, []), p) for kc in keys)
    threads = sorted({h.employee_id for c in per_contact for h in c.holders})
    roles = role_checks(g, rels, p)
    return AccountCoverage(
        account_id=str(g.graph.get("account_id", ranking.account_id)),
        customer_ids=tuple(g.graph.get("customer_ids", ())),
        version=g.graph.get("version"),
        today=today,
        stale_days=days,
        key_contacts=per_contact,
        uncovered=tuple(c.contact_id for c in per_contact if not c.covered),
        single_threaded_contacts=tuple(c.contact_id for c in per_contact if c.single_threaded),
        threads=tuple(threads),
        single_threaded=0 < len(threads) < p.min_threads,
        stale=stale_relationships(g, today, days, frozenset(k.contact_id for k in keys), p),
        roles=roles,
        roles_complete=all(r.met for r in roles),
    )


def what_if_leaves_account(
    g: nx.MultiDiGraph,
    ranking: KeyContactsResult,
    employee_id: str,
    policy: RelationshipPolicy | None = None,
) -> AccountLoss:
    """What one account loses if ``employee_id`` leaves: their relationships that count, the
    (key) contacts nobody else of ours covers, and how the account's threads change."""
    p = policy or RelationshipPolicy()
    rels = _relationships(g)
    key_by_node = {k.node: k for k in ranking.key_contacts}
    lost: list[LostRelationship] = []
    orphaned: list[str] = []
    for node in sorted(rels):
        covering = _covering(rels[node], p)
        mine = [h for h in covering if h.employee_id == employee_id]
        if not mine:
            continue
        others = tuple(h.employee_id for h in covering if h.employee_id != employee_id)
        kc = key_by_node.get(node)
        a = g.nodes[node]
        lost.append(
            LostRelationship(
                employee_id=employee_id,
                contact_id=record_id(node),
                contact_name=str(a.get("name", "")),
                customer_id=str(a.get("customer_id", "")),
                strength=mine[0].strength,
                last_touch=mine[0].last_touch,
                key_contact=kc is not None,
                rank=kc.rank if kc is not None else None,
                still_known_by=tuple(sorted(others)),
            )
        )
        if not others:
            orphaned.append(record_id(node))
    before = {h.employee_id for k in key_by_node for h in _covering(rels.get(k, []), p)}
    after = before - {employee_id}
    key_ids = {k.contact_id for k in ranking.key_contacts}
    lost.sort(key=lambda r: (not r.key_contact, r.rank or 0, r.contact_id))
    return AccountLoss(
        account_id=str(g.graph.get("account_id", ranking.account_id)),
        relationships_lost=tuple(lost),
        key_contacts_orphaned=tuple(sorted(c for c in orphaned if c in key_ids)),
        contacts_orphaned=tuple(sorted(orphaned)),
        threads_before=len(before),
        threads_after=len(after),
        becomes_single_threaded=len(before) >= p.min_threads and 0 < len(after) < p.min_threads,
        becomes_uncovered=bool(before) and not after,
    )


def what_if_leaves(
    employee_id: str,
    maps: Iterable[tuple[nx.MultiDiGraph, KeyContactsResult]],
    policy: RelationshipPolicy | None = None,
) -> LeaverImpact:
    """What every account in ``maps`` loses if ``employee_id`` leaves (accounts where they hold
    no relationship that counts are left out), sorted by account id."""
    losses = sorted(
        (what_if_leaves_account(g, ranking, employee_id, policy) for g, ranking in maps),
        key=lambda a: a.account_id,
    )
    losses = [a for a in losses if a.relationships_lost]
    return LeaverImpact(
        employee_id=employee_id,
        accounts=tuple(losses),
        relationships_lost=sum(len(a.relationships_lost) for a in losses),
        key_contacts_orphaned=sum(len(a.key_contacts_orphaned) for a in losses),
        accounts_uncovered=tuple(a.account_id for a in losses if a.becomes_uncovered),
        accounts_single_threaded=tuple(a.account_id for a in losses if a.becomes_single_threaded),
    )
