"""The customer side of one account in the demo data: its people, their formal reporting tree,
informal influence, third parties, and our people's relationships to them.

Everything for one customer is generated from one ``random.Random`` with memory local to that
customer, so the generator can stream a million customers. Contact ids are
``<customer id>-<nnn>``: customer contacts 1..n, then the hidden influencer (if any) as n+1,
then third parties, so a plan can name the hidden influencer without generating.

Shape guarantees the analyses can rely on (see ``graph.demo.generate`` for the whole "clean"
contract):

* reporting lines form a tree per customer (each contact reports to one contact created before
  it, at a lower level number), so they are acyclic;
* *key contacts* are customer contacts whose decision role is decision maker, economic buyer or
  technical buyer;
* informal influence runs among the top people only (level 3 or less: board, executives, heads
  of department; in mid customers the managers), and from third parties to them;
* so nobody below level 3 has any influence link, except a planted hidden influencer (level 6-7,
  a "modest title"), who sways 10-16 of the top people;
* departments are wide and shallow (half of the staff report to the head), so the people who
  broker between departments are the heads, not mid-level managers;
* third parties (consultant, integrator, design institute; level 3) have no reporting line and
  sway 2-4 of the top people.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from graph.demo.names import (
    BASE_DEPARTMENTS,
    GOVERNMENT,
    HEALTHCARE,
    HIDDEN_TITLES,
    INDUSTRY_DEPARTMENTS,
    THIRD_PARTIES,
    person_name,
    staff_title,
)
from graph.model import (
    Contact,
    ContactKind,
    ContactReportsTo,
    DecisionRole,
    Influence,
    Relationship,
    RelationshipStrength,
    Stance,
)

KEY_ROLES: frozenset[DecisionRole] = frozenset(
    {DecisionRole.DECISION_MAKER, DecisionRole.ECONOMIC_BUYER, DecisionRole.TECHNICAL_BUYER}
)
MODEST_LEVEL = 6

_STANCES: tuple[Stance, ...] = (
    Stance.CHAMPION,
    Stance.SUPPORTER,
    Stance.NEUTRAL,
    Stance.SKEPTIC,
    Stance.BLOCKER,
    Stance.UNKNOWN,
)
_STANCE_CUM: tuple[int, ...] = tuple(accumulate((5, 20, 40, 12, 5, 18)))
_STRENGTHS: tuple[RelationshipStrength, ...] = (
    RelationshipStrength.ACQUAINTED,
    RelationshipStrength.CREDIBLE_SOURCE,
    RelationshipStrength.PROBLEM_SOLVER,
    RelationshipStrength.TRUSTED_ADVISOR,
)
_KEY_STRENGTH_CUM = tuple(accumulate((25, 35, 25, 15)))
_OTHER_STRENGTH_CUM = tuple(accumulate((50, 30, 15, 5)))


def _stance(rng: random.Random) -> Stance:
    return _STANCES[bisect(_STANCE_CUM, rng.random() * _STANCE_CUM[-1])]


@dataclass(slots=True)
class Person:
    """A contact while the account is being built (``manager`` is an index into the list)."""

    name: str
    handle: str
    title: str
    department: str
    level: int
    role: DecisionRole
    manager: int | None
    kind: ContactKind = ContactKind.CUSTOMER
    stance: Stance = Stance.UNKNOWN
    hidden: bool = False


@dataclass(slots=True)
class People:
    """The people of one account and the informal links among them (indices into ``people``)."""

    people: list[Person] = field(default_factory=list)
    influence: dict[tuple[int, int], float] = field(default_factory=dict)
    hidden_index: int | None = None

    def add(self, person: Person) -> int:
        self.people.append(person)
        return len(self.people) - 1


def contact_id(customer_id: str, index: int) -> str:
    """Id of the contact at list position ``index`` (0-based) of a customer."""
    return f"{customer_id}-{index + 1:03d}"


def _name(rng: random.Random, latin: float, western: float) -> tuple[str, str]:
    n = person_name(rng, latin=latin, western=western)
    return n.display, n.handle


def _top_titles(industry: str) -> tuple[str, str, str]:
    """(chair, chief executive, board member) titles for an industry."""
    if industry == GOVERNMENT:
        return "党组书记", "局长", "党组成员"
    if industry == HEALTHCARE:
        return "党委书记", "院长", "党委委员"
    return "董事长", "总经理", "董事"


def _dept_head_role(dept: str, rng: random.Random) -> DecisionRole:
    if dept == "财务部":
        return DecisionRole.ECONOMIC_BUYER
    if dept in ("信息技术部", "信息中心", "金融科技部"):
        return DecisionRole.TECHNICAL_BUYER
    if dept == "采购部":
        return DecisionRole.GATEKEEPER
    return rng.choice((DecisionRole.INFLUENCER, DecisionRole.EVALUATOR, DecisionRole.USER))


def _staff_role(dept: str, level: int, rng: random.Random) -> DecisionRole:
    if level <= 5:
        if dept in ("信息技术部", "信息中心", "金融科技部"):
            return DecisionRole.EVALUATOR
        if dept == "采购部":
            return rng.choice((DecisionRole.GATEKEEPER, DecisionRole.EVALUATOR))
        return rng.choice((DecisionRole.INFLUENCER, DecisionRole.EVALUATOR, DecisionRole.USER))
    x = rng.random()
    if x < 0.05:
        return DecisionRole.COACH
    if x < 0.2:
        return DecisionRole.UNKNOWN
    return DecisionRole.USER


def build_large(
    rng: random.Random,
    industry: str,
    n: int,
    *,
    strategic: bool,
    hidden: bool,
    third_parties: int,
    latin: float = 0.06,
    western: float = 0.0,
) -> People:
    """The people of a strategic or key account: ``n`` customer contacts in departments under a
    board (strategic) or a chief executive (key), then an optional hidden influencer, then
    ``third_parties`` outsiders; with an influence network among senior people."""
    acc = People()
    chair_t, ceo_t, board_t = _top_titles(industry)

    def add(title: str, dept: str, level: int, role: DecisionRole, manager: int | None) -> int:
        name, handle = _name(rng, latin, western)
        stance = _stance(rng)
        return acc.add(Person(name, handle, title, dept, level, role, manager, stance=stance))

    ceo_dept = "总经理办公室" if industry not in (GOVERNMENT, HEALTHCARE) else "领导班子"
    chair = None
    if strategic:
        chair = add(
            chair_t,
            "董事会" if ceo_dept == "总经理办公室" else ceo_dept,
            0,
            DecisionRole.DECISION_MAKER,
            None,
        )
    ceo = add(ceo_t, ceo_dept, 1, DecisionRole.DECISION_MAKER, chair)
    if strategic:
        for _ in range(2):
            add(
                board_t,
                "董事会" if ceo_dept == "总经理办公室" else ceo_dept,
                1,
                DecisionRole.INFLUENCER,
                chair,
            )
    specific = INDUSTRY_DEPARTMENTS.get(industry, ())
    core = ("采购部", "信息技术部", "财务部")
    pool = [d for d in (*specific, *BASE_DEPARTMENTS) if d not in core]
    k = rng.randint(8, 12) if strategic else rng.randint(3, 6)
    depts = [*core, *rng.sample(pool, min(len(pool), k - 3))]
    vps: list[int] = []
    cfo = cio = None
    if strategic:
        cfo = add("首席财务官", "财务部", 2, DecisionRole.ECONOMIC_BUYER, ceo)
        cio = add("首席信息官", "信息技术部", 2, DecisionRole.TECHNICAL_BUYER, ceo)
        for _ in range(rng.randint(2, 3)):
            vps.append(add("副总经理", ceo_dept, 2, DecisionRole.INFLUENCER, ceo))
    elif n >= 25:
        vps.append(add("副总经理", ceo_dept, 2, DecisionRole.INFLUENCER, ceo))
    members: dict[str, list[int]] = {}
    for dept in depts:
        if dept == "财务部" and cfo is not None:
            boss = cfo
        elif dept == "信息技术部" and cio is not None:
            boss = cio
        else:
            boss = rng.choice(vps) if vps and rng.random() < 0.7 else ceo
        head = add(staff_title(dept, 3, rng), dept, 3, _dept_head_role(dept, rng), boss)
        members[dept] = [head]
    cum = list(accumulate(rng.uniform(0.5, 2.0) for _ in depts))
    while len(acc.people) < n:
        dept = depts[bisect(cum, rng.random() * cum[-1])]
        # half report to the head directly: departments stay wide and shallow, so the people
        # who broker between departments are the heads, not mid-level managers
        if rng.random() < 0.5:
            boss = members[dept][0]
        else:
            boss = rng.choice([i for i in members[dept] if acc.people[i].level < 8])
        level = acc.people[boss].level + 1
        idx = add(staff_title(dept, level, rng), dept, level, _staff_role(dept, level, rng), boss)
        members[dept].append(idx)
    top = [i for i, p in enumerate(acc.people) if p.level <= 3]

    def link(src: int, dst: int, lo: float, hi: float) -> None:
        if src != dst and (src, dst) not in acc.influence:
            acc.influence[(src, dst)] = round(rng.uniform(lo, hi), 2)

    for i in top:
        level = acc.people[i].level
        if strategic:
            out = rng.randint(2, 5) if level <= 2 else rng.randint(1, 4)
        else:
            out = rng.randint(1, 3)
        for _ in range(out):
            link(i, rng.choice(top), 0.2, 0.9)
    if hidden:
        title, dept = rng.choice(HIDDEN_TITLES)
        boss = ceo if chair is None or dept != "董事会" else chair
        if dept in members:
            boss = members[dept][0]
        name, handle = _name(rng, latin, western)
        h = acc.add(
            Person(
                name,
                handle,
                title,
                dept,
                MODEST_LEVEL + rng.randint(0, 1),
                DecisionRole.UNKNOWN,
                boss,
                hidden=True,
            )
        )
        acc.hidden_index = h
        for target in rng.sample(top, min(len(top), rng.randint(10, 16))):
            link(h, target, 0.6, 0.95)
    for _ in range(third_parties):
        kind, firms, titles = rng.choice(THIRD_PARTIES)
        name, handle = _name(rng, 0.1, 0.0)
        t = acc.add(
            Person(
                name,
                handle,
                rng.choice(titles),
                rng.choice(firms),
                3,
                rng.choice((DecisionRole.INFLUENCER, DecisionRole.INFLUENCER, DecisionRole.COACH)),
                None,
                kind=ContactKind(kind),
                stance=_stance(rng),
            )
        )
        for target in rng.sample(top, min(len(top), rng.randint(2, 4))):
            link(t, target, 0.4, 0.9)
    return acc


_MID_ROLES: tuple[tuple[str, str, DecisionRole], ...] = (
    ("信息技术部", "信息技术经理", DecisionRole.TECHNICAL_BUYER),
    ("财务部", "财务经理", DecisionRole.ECONOMIC_BUYER),
    ("采购部", "采购经理", DecisionRole.GATEKEEPER),
    ("运营部", "运营经理", DecisionRole.INFLUENCER),
)
_SMALL_SECOND: tuple[tuple[str, str, DecisionRole], ...] = (
    ("财务部", "财务主管", DecisionRole.ECONOMIC_BUYER),
    ("信息技术部", "网络管理员", DecisionRole.USER),
    ("办公室", "办公室主任", DecisionRole.GATEKEEPER),
)


def build_small(rng: random.Random, industry: str, n: int, *, mid: bool) -> People:
    """The people of a mid (3-6 contacts: a chief, managers, staff) or small (1-2: the boss and
    one more) customer."""
    acc = People()
    _, ceo_t, _ = _top_titles(industry)
    stance = _stance(rng)
    name, handle = _name(rng, 0.05, 0.0)
    ceo = acc.add(
        Person(name, handle, ceo_t, "管理层", 1, DecisionRole.DECISION_MAKER, None, stance=stance)
    )
    if not mid:
        if n >= 2:
            dept, title, role = rng.choice(_SMALL_SECOND)
            name, handle = _name(rng, 0.05, 0.0)
            acc.add(Person(name, handle, title, dept, 6, role, ceo))
        return acc
    managers: list[int] = []
    for dept, title, role in rng.sample(_MID_ROLES, min(len(_MID_ROLES), max(1, n - 2))):
        if len(acc.people) >= n:
            break
        name, handle = _name(rng, 0.05, 0.0)
        st = _stance(rng)
        managers.append(acc.add(Person(name, handle, title, dept, 3, role, ceo, stance=st)))
    while len(acc.people) < n:
        boss = rng.choice(managers)
        dept = acc.people[boss].department
        name, handle = _name(rng, 0.05, 0.0)
        acc.add(Person(name, handle, staff_title(dept, 6, rng), dept, 6, DecisionRole.USER, boss))
    if len(managers) >= 2 and rng.random() < 0.5:
        a, b = rng.sample(managers, 2)
        acc.influence[(a, b)] = round(rng.uniform(0.2, 0.8), 2)
    return acc


def contact_records(
    customer_id: str, acc: People, email_domain: str | None
) -> tuple[list[Contact], list[ContactReportsTo], list[Influence]]:
    """The records of an account's people: contacts, reporting lines, influence links."""
    ids = [contact_id(customer_id, i) for i in range(len(acc.people))]
    contacts: list[Contact] = []
    seen: set[str] = set()
    for i, p in enumerate(acc.people):
        email = ""
        if email_domain and p.kind is ContactKind.CUSTOMER:
            handle = p.handle if p.handle not in seen else f"{p.handle}{i + 1}"
            seen.add(handle)
            email = f"{handle}@{email_domain}"
        contacts.append(
            Contact(
                id=ids[i],
                customer_id=customer_id,
                name=p.name,
                title=p.title,
                department=p.department,
                level=p.level,
                decision_role=p.role,
                stance=p.stance,
                contact_kind=p.kind,
                email=email,
            )
        )
    reports = [
        ContactReportsTo(contact_id=ids[i], manager_id=ids[p.manager])
        for i, p in enumerate(acc.people)
        if p.manager is not None
    ]
    influence = [
        Influence(source_id=ids[s], target_id=ids[t], strength=w)
        for (s, t), w in acc.influence.items()
    ]
    return contacts, reports, influence


@dataclass(frozen=True, slots=True)
class ClientTeam:
    """Our people around one account: the primary relationship holder (usually the named AM),
    the others who should also know the key contacts, and the executive sponsor."""

    primary: str | None
    others: Sequence[str] = ()
    sponsor: str | None = None
    single_threaded: bool = False
    all_others_on_key: bool = False
    primary_stale_days: int = 0


def relationship_records(
    rng: random.Random, customer_id: str, acc: People, team: ClientTeam, today: dt.date
) -> list[Relationship]:
    """Our people's relationships to the account's contacts.

    Every key contact is known by the primary and by one other person (by all others when
    ``all_others_on_key``), so a clean account is never single-threaded; a single-threaded
    account has relationships from the primary only. Hidden influencers are known by nobody.
    """
    out: dict[tuple[str, int], Relationship] = {}
    others = [o for o in team.others if o and o != team.primary]

    def rel(emp: str | None, i: int, key: bool, stale: int = 0) -> None:
        if not emp or (emp, i) in out:
            return
        p = acc.people[i]
        cum = _KEY_STRENGTH_CUM if key else _OTHER_STRENGTH_CUM
        strength = _STRENGTHS[bisect(cum, rng.random() * cum[-1])]
        if key:
            desired: RelationshipStrength | None = (
                RelationshipStrength.TRUSTED_ADVISOR
                if p.role in (DecisionRole.DECISION_MAKER, DecisionRole.ECONOMIC_BUYER)
                else RelationshipStrength.PROBLEM_SOLVER
            )
        elif p.level <= 5 and rng.random() < 0.5:
            desired = RelationshipStrength.CREDIBLE_SOURCE
        else:
            desired = None
        days = min(900, int(rng.expovariate(1 / 70))) + stale
        out[(emp, i)] = Relationship(
            employee_id=emp,
            contact_id=contact_id(customer_id, i),
            strength=strength,
            desired=desired,
            last_touch=today - dt.timedelta(days=days),
        )

    for i, p in enumerate(acc.people):
        if p.hidden:
            continue
        key = p.kind is ContactKind.CUSTOMER and p.role in KEY_ROLES
        primary_stale = team.primary_stale_days
        if team.single_threaded:
            if key or rng.random() < (0.5 if p.level <= 5 else 0.1):
                rel(team.primary, i, key, primary_stale)
            continue
        if key:
            if team.primary:
                rel(team.primary, i, key, primary_stale)
            if team.all_others_on_key or not team.primary:
                for o in others:
                    rel(o, i, key)
            elif others:
                rel(rng.choice(others), i, key)
            if team.sponsor and p.level <= 1:
                rel(team.sponsor, i, key)
        elif p.kind is not ContactKind.CUSTOMER:
            if rng.random() < 0.5:
                rel(team.primary or (others[0] if others else None), i, key)
        else:
            senior = p.level <= 5
            if rng.random() < (0.45 if senior else 0.1):
                rel(team.primary, i, key, primary_stale)
            if others and rng.random() < (0.15 if senior else 0.05):
                rel(rng.choice(others), i, key)
    return list(out.values())
