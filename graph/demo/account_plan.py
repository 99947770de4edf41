"""The demo's plan: what each strategic and key account will be, before any record is made.

The planted-problem labels, ``Account`` (the plan of one account: tier, owners, AMs, contacts)
and ``Plan`` (all of them and our organisation), how many customers of each tier and how many of
each problem, and the geography and industry lookups the planning draws from.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate

from graph.demo.names import (
    AREAS,
    BROAD_INDUSTRY_WEIGHTS,
    ENERGY,
    FINANCE,
    GOVERNMENT,
    HEALTHCARE,
    KA_INDUSTRIES,
    KA_ZONES,
    KEY_INDUSTRY_WEIGHTS,
    MANUFACTURING,
    PROVINCE_BY_NAME,
    PROVINCES,
    RETAIL,
    TELECOM,
    ZONE_OF_AREA,
)
from graph.demo.org import (
    OrgBuilder,
)
from graph.model import (
    Tier,
)

DEMO_TODAY = dt.date(2026, 11, 1)

CREDIT_UNION_NAME = "雄县农村信用合作社"
CONFLICT_BANK_NAME = "江南联合银行股份有限公司"
OVERLOAD_BOOK = 14  # key accounts per overloaded AM below 100k customers (more above)
POOL_BOOK = 6  # most key accounts a regular key-account AM is named owner of
MID_BOOK = 500  # mid customers one regional AM can carry (DOMAIN.md: hundreds)
SMALL_BOOK = 5000  # small customers one regional AM can carry (DOMAIN.md: thousands)

# ------------------------------------------------------------------------------- the plan

# Plant labels of accounts (internal).
CLEAN = "clean"
P_CONFLICT_BANK = "conflict_bank"
P_CONFLICT_SPLIT = "conflict_split"
P_INFLATION = "inflation"
P_NO_AM = "key_without_named_am"
P_LEFT_REGIONAL = "key_left_to_regional"
P_SINGLE = "single_threaded"
P_INACTIVE = "inactive_owner"
P_OVERLOADED = "overloaded"
P_STRAT_NO_AM = "strategic_without_dedicated_am"
P_HQ_BRANCH = "hq_branch_conflict"
P_UNCOVERED_BRANCH = "uncovered_branch"
P_GAP = "gap"


@dataclass(slots=True, eq=False)
class Account:
    """The plan of one strategic/key customer (or a planted branch / gap customer)."""

    tier: Tier
    industry: str
    region: str
    plant: str = CLEAN
    cid: str = ""
    name: str = ""
    parent: Account | None = None
    team: str = ""
    owner_teams: list[tuple[str, float]] = field(default_factory=list)
    ams: list[tuple[str, float]] = field(default_factory=list)
    primary: str | None = None
    primary_stale: int = 0
    others: list[str] = field(default_factory=list)
    all_others_on_key: bool = False
    sponsor: str | None = None
    overlays: list[tuple[str, str]] = field(default_factory=list)
    support_teams: list[str] = field(default_factory=list)
    support_people: list[str] = field(default_factory=list)
    n_contacts: int = 0
    third_parties: int = 0
    hidden: bool = False
    foreign: bool = False
    branches: list[Account] = field(default_factory=list)
    needs_pool_am: bool = True


@dataclass
class Plan:
    customers: int
    seed: int
    org: OrgBuilder
    groups: list[Account]
    gaps: list[Account]
    broad_mid: int
    broad_small: int
    first_broad_number: int
    office_of_region: dict[str, str]
    regional_ams: dict[str, list[str]]
    partner_team: str
    inside_team: str
    tiers: dict[str, int]
    overloaded: list[str]
    inactive: list[str]


def tier_counts(customers: int) -> dict[Tier, int]:
    """How many customers of each tier ``generate(customers)`` makes."""
    if customers < 10:
        raise ValueError("the demo needs at least 10 customers")
    strategic = max(3 if customers >= 50 else 1, round(customers * 0.002))
    key = max(round(customers * 0.03), 40 if customers >= 200 else 1)
    mid = round(customers * 0.15)
    small = customers - strategic - key - mid
    return {Tier.STRATEGIC: strategic, Tier.KEY: key, Tier.MID: mid, Tier.SMALL: small}


PROVINCE_NAMES = tuple(p.name for p in PROVINCES)
PROVINCE_CUM = tuple(accumulate(p.weight for p in PROVINCES))
KEY_IND = tuple(i for i, _ in KEY_INDUSTRY_WEIGHTS)
KEY_IND_CUM = tuple(accumulate(w for _, w in KEY_INDUSTRY_WEIGHTS))
BROAD_IND = tuple(i for i, _ in BROAD_INDUSTRY_WEIGHTS)
BROAD_IND_CUM = tuple(accumulate(w for _, w in BROAD_INDUSTRY_WEIGHTS))
IND_CODE = dict(KA_INDUSTRIES)
ZONE_NAME = {code: name for name, code, _ in KA_ZONES}
ZONE_HOME = {"north": "北京", "east": "上海", "south": "广东", "west": "四川"}
SOLUTIONS: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("team-sol-cloud", "云计算解决方案", frozenset()),
    ("team-sol-data", "数据分析解决方案", frozenset({FINANCE, RETAIL, TELECOM, HEALTHCARE})),
    ("team-sol-security", "网络安全解决方案", frozenset({FINANCE, GOVERNMENT, TELECOM})),
    ("team-sol-smartmfg", "智能制造解决方案", frozenset({MANUFACTURING, ENERGY})),
)
DOTTED_AREAS = frozenset({"华东", "西南"})


def pick_weighted(rng: random.Random, values: tuple[str, ...], cum: tuple[float, ...]) -> str:
    return values[bisect(cum, rng.random() * cum[-1])]


def zone_of(region: str) -> str:
    return ZONE_OF_AREA[PROVINCE_BY_NAME[region].area]


def ka_team(industry: str, region: str) -> str:
    if industry == GOVERNMENT:
        return "team-gov"
    return f"team-ka-{IND_CODE[industry]}-{zone_of(region)}"


def team_region(org: OrgBuilder, team_id: str) -> str:
    team = org.team_by_id[team_id]
    if team.regions:
        return team.regions[0]
    code = team_id.rsplit("-", 1)[-1]
    if team_id.startswith("team-area-"):
        area = next(name for name, c in AREAS if c == code)
        return next(p.name for p in PROVINCES if p.area == area)
    return ZONE_HOME.get(code, "北京")


def plant_counts(customers: int) -> dict[str, int]:
    """How many of each problem to plant. Below 200 customers the plants that need several
    staffed teams (a team's only account without an AM, a rival team) are left out, so that they
    cause no second, unplanned finding; the rest are planted as far as the tiers allow."""

    def p(rate: float) -> int:
        return max(1, round(customers * rate))

    if customers < 200:
        return {
            P_CONFLICT_BANK: 1,
            P_NO_AM: 0,
            P_LEFT_REGIONAL: 1,
            P_SINGLE: 1,
            P_INACTIVE: 1,
            P_INFLATION: 1,
            P_CONFLICT_SPLIT: 0,
            P_HQ_BRANCH: 1,
            P_UNCOVERED_BRANCH: 1,
            P_OVERLOADED: 1,
            P_STRAT_NO_AM: 0,
            P_GAP: 1,
        }
    return {
        P_CONFLICT_BANK: p(0.00002),
        P_NO_AM: p(0.00003),
        P_LEFT_REGIONAL: p(0.00003),
        P_SINGLE: p(0.0001),
        P_INACTIVE: p(0.00001),
        P_INFLATION: p(0.00003),
        P_CONFLICT_SPLIT: p(0.00003),
        P_HQ_BRANCH: p(0.00002),
        P_UNCOVERED_BRANCH: p(0.00002),
        P_OVERLOADED: p(0.00001),
        P_STRAT_NO_AM: p(0.000005),
        P_GAP: p(0.0002),
    }


def key_region(rng: random.Random) -> str:
    return pick_weighted(rng, PROVINCE_NAMES, PROVINCE_CUM)


def key_industry(rng: random.Random, *, government: bool = True) -> str:
    while True:
        ind = pick_weighted(rng, KEY_IND, KEY_IND_CUM)
        if government or ind != GOVERNMENT:
            return ind


def walk(groups: Iterable[Account]) -> Iterator[Account]:
    for hq in groups:
        yield hq
        yield from hq.branches


def branch_of(rng: random.Random, hq: Account) -> Account:
    region = rng.choice([p for p in PROVINCE_NAMES if p != hq.region])
    branch = Account(Tier.KEY, hq.industry, region, CLEAN, parent=hq, team=hq.team)
    branch.n_contacts = rng.randint(10, 30)
    return branch
