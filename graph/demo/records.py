"""The demo's records: customers, their contacts and links, coverage and our relationships.

Made account by account from the plan (``account_records``, ``group_records``) and, for the mid
and small customers, one at a time (``broad_records``), each from its own seeded random stream.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator

from graph.demo.account_plan import (
    BROAD_IND,
    BROAD_IND_CUM,
    DEMO_TODAY,
    P_SINGLE,
    PROVINCE_CUM,
    PROVINCE_NAMES,
    Account,
    Plan,
    pick_weighted,
)
from graph.demo.company_names import broad_name, city_in
from graph.demo.contacts import (
    ClientTeam,
    People,
    build_large,
    build_small,
    contact_records,
    relationship_records,
)
from graph.model import (
    Coverage,
    CoverageRole,
    Customer,
    HolderKind,
    Record,
    Tier,
)


def _money(rng: random.Random, lo: float, hi: float) -> float:
    return float(round(math.exp(rng.uniform(math.log(lo), math.log(hi))), -3))


_FIGURES: dict[Tier, tuple[float, float, float, float, float, float]] = {
    # revenue lo/hi, potential lo/hi (CNY), reference value lo/hi
    Tier.STRATEGIC: (5e7, 8e8, 1e8, 1.5e9, 0.6, 1.0),
    Tier.KEY: (5e6, 8e7, 1e7, 1.5e8, 0.3, 0.9),
    Tier.MID: (5e5, 6e6, 1e6, 1.2e7, 0.1, 0.6),
    Tier.SMALL: (2e4, 6e5, 5e4, 1.5e6, 0.0, 0.3),
}


def customer_record(
    rng: random.Random,
    cid: str,
    name: str,
    tier: Tier,
    industry: str,
    region: str,
    parent: str | None,
) -> Customer:
    rlo, rhi, plo, phi, flo, fhi = _FIGURES[tier]
    revenue = 0.0 if tier is Tier.SMALL and rng.random() < 0.3 else _money(rng, rlo, rhi)
    return Customer(
        id=cid,
        name=name,
        tier=tier,
        industry=industry,
        region=region,
        revenue=revenue,
        potential=_money(rng, plo, phi),
        reference_value=round(rng.uniform(flo, fhi), 2),
        winnability=round(rng.uniform(0.2, 0.9), 2),
        parent_id=parent,
    )


# ------------------------------------------------------------------------------- records


def since(rng: random.Random) -> dt.date:
    return DEMO_TODAY - dt.timedelta(days=rng.randint(30, 1800))


def _cover(
    rng: random.Random,
    holder_kind: HolderKind,
    holder_id: str,
    customer_id: str,
    role: CoverageRole,
    credit: float,
) -> Coverage:
    """One coverage link, dated ``since`` a random day (drawn from ``rng`` in call order)."""
    return Coverage(
        holder_kind=holder_kind,
        holder_id=holder_id,
        customer_id=customer_id,
        role=role,
        credit_share=credit,
        since=since(rng),
    )


def account_records(rng: random.Random, acc: Account) -> tuple[list[Record], list[Record]]:
    """(customer-side records, coverage and relationship records) of one planned account."""
    parent = acc.parent.cid if acc.parent is not None else None
    customer = customer_record(rng, acc.cid, acc.name, acc.tier, acc.industry, acc.region, parent)
    if acc.tier in (Tier.STRATEGIC, Tier.KEY):
        people = build_large(
            rng,
            acc.industry,
            acc.n_contacts,
            strategic=acc.tier is Tier.STRATEGIC,
            hidden=acc.hidden,
            third_parties=acc.third_parties,
            latin=0.2 if acc.foreign else 0.06,
            western=0.3 if acc.foreign else 0.0,
        )
    else:
        people = build_small(rng, acc.industry, acc.n_contacts, mid=acc.tier is Tier.MID)
    domain = f"{acc.cid.lower()}.example.cn"
    contacts, reports, influence = contact_records(acc.cid, people, domain)
    side: list[Record] = [customer, *contacts, *reports, *influence]
    links: list[Record] = []
    for team, credit in acc.owner_teams:
        links.append(_cover(rng, HolderKind.TEAM, team, acc.cid, CoverageRole.OWNER, credit))
    for emp, credit in acc.ams:
        links.append(_cover(rng, HolderKind.EMPLOYEE, emp, acc.cid, CoverageRole.OWNER, credit))
    for sol, specialist in acc.overlays:
        links.append(_cover(rng, HolderKind.TEAM, sol, acc.cid, CoverageRole.OVERLAY, 1.0))
        links.append(
            _cover(rng, HolderKind.EMPLOYEE, specialist, acc.cid, CoverageRole.OVERLAY, 0.0)
        )
    for team in acc.support_teams:
        links.append(_cover(rng, HolderKind.TEAM, team, acc.cid, CoverageRole.SUPPORT, 0.0))
    for emp in acc.support_people:
        links.append(_cover(rng, HolderKind.EMPLOYEE, emp, acc.cid, CoverageRole.SUPPORT, 0.0))
    if acc.tier in (Tier.STRATEGIC, Tier.KEY):
        client = ClientTeam(
            primary=acc.primary,
            others=tuple(dict.fromkeys(acc.others)),
            sponsor=acc.sponsor,
            single_threaded=acc.plant == P_SINGLE,
            all_others_on_key=acc.all_others_on_key,
            primary_stale_days=acc.primary_stale,
        )
        links.extend(relationship_records(rng, acc.cid, people, client, DEMO_TODAY))
    return side, links


def group_records(plan: Plan, number: int, hq: Account) -> list[Record]:
    """All records of one HQ and its branches: customers first (HQ before branches), then their
    people, then coverage and relationships."""
    rng = random.Random(plan.seed * 1_000_003 + number)
    sides: list[Record] = []
    links: list[Record] = []
    customers: list[Record] = []
    for acc in (hq, *hq.branches):
        side, link = account_records(rng, acc)
        customers.append(side[0])
        sides.extend(side[1:])
        links.extend(link)
    return [*customers, *sides, *links]


def broad_records(plan: Plan) -> Iterator[list[Record]]:
    """Mid and small customers, one (or an HQ with its small branches) at a time."""
    rng = random.Random(plan.seed * 7_919 + 17)
    mid_left, small_left = plan.broad_mid, plan.broad_small
    number = plan.first_broad_number
    offices = plan.office_of_region
    ams = plan.regional_ams
    visited = 0
    while mid_left + small_left > 0:
        mid = rng.random() * (mid_left + small_left) < mid_left
        # the first customers visit every province once, so no regional office is idle
        region = (
            PROVINCE_NAMES[visited]
            if visited < len(PROVINCE_NAMES)
            else pick_weighted(rng, PROVINCE_NAMES, PROVINCE_CUM)
        )
        visited += 1
        industry = pick_weighted(rng, BROAD_IND, BROAD_IND_CUM)
        tier = Tier.MID if mid else Tier.SMALL
        if mid:
            mid_left -= 1
        else:
            small_left -= 1
        n_branches = 0
        if mid and small_left >= 2 and rng.random() < 0.04:
            n_branches = rng.randint(1, 2)
        hq_id = f"C{number:07d}"
        number += 1
        name = broad_name(rng, industry, region)
        out: list[Record] = []
        rest: list[Record] = []
        units: list[tuple[str, str, Tier, str | None]] = [(hq_id, name, tier, None)]
        for _ in range(n_branches):
            small_left -= 1
            bid = f"C{number:07d}"
            number += 1
            units.append((bid, f"{name}{city_in(rng, region)}分公司", Tier.SMALL, hq_id))
        for cid, cname, t, parent in units:
            out.append(customer_record(rng, cid, cname, t, industry, region, parent))
            n = rng.randint(3, 6) if t is Tier.MID else rng.randint(1, 2)
            people = build_small(rng, industry, n, mid=t is Tier.MID)
            domain = f"{cid.lower()}.example.cn" if t is Tier.MID or rng.random() < 0.5 else None
            contacts, reports, influence = contact_records(cid, people, domain)
            rest.extend(contacts)
            rest.extend(reports)
            rest.extend(influence)
            rest.extend(_broad_links(rng, plan, cid, t, people, ams[offices[region]]))
        yield out + rest


def _broad_links(
    rng: random.Random, plan: Plan, cid: str, tier: Tier, people: People, ams: list[str]
) -> list[Record]:
    """Support coverage now and then, and a regional AM who knows a contact or two."""
    out: list[Record] = []
    x = rng.random()
    if tier is Tier.MID and x < 0.01:
        out.append(_cover(rng, HolderKind.TEAM, plan.partner_team, cid, CoverageRole.SUPPORT, 0.0))
    elif tier is Tier.SMALL and x < 0.02:
        out.append(_cover(rng, HolderKind.TEAM, plan.inside_team, cid, CoverageRole.SUPPORT, 0.0))
    if rng.random() < (0.5 if tier is Tier.MID else 0.15):
        am = rng.choice(ams)
        known = range(min(len(people.people), rng.randint(1, 2)))
        client = ClientTeam(primary=am)
        sub = People(people=[people.people[i] for i in known])
        out.extend(relationship_records(rng, cid, sub, client, DEMO_TODAY))
    return out


class Batcher:
    """Cuts a stream of records into lists of at most ``size`` records, keeping order."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.buf: list[Record] = []

    def push(self, records: list[Record]) -> Iterator[list[Record]]:
        self.buf.extend(records)
        while len(self.buf) >= self.size:
            yield self.buf[: self.size]
            self.buf = self.buf[self.size :]

    def flush(self) -> Iterator[list[Record]]:
        if self.buf:
            yield self.buf
            self.buf = []
