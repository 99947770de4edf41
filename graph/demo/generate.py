"""Demo data: a seeded, streaming generator of a realistic sales organisation and its customers,
with coverage problems planted on purpose so every analysis has something real to find.

``generate(customers, seed)`` yields lists of records (at most ``batch_size`` each) in dependency
order: teams, employees, memberships and reporting lines first; then, account by account, the
customers (HQ before branch), their contacts, reporting lines, influence, coverage and our
relationships. Memory is bounded: only the plan of strategic and key accounts (a few percent of
customers) and our organisation are held; mid and small customers are made one at a time
(1,000,000 customers: about 8 million records, peak RSS about 100 MB). Every account is generated
from its own ``random.Random`` seeded from ``seed``, never the global one, and nothing depends on
the clock (dates are relative to ``DEMO_TODAY``): the same arguments always give the same
records. ``manifest(customers, seed)`` lists the planted problems from the plan alone, without
generating the records (under a second for 1,000,000 customers).

Conventions (what the analyses may rely on)
-------------------------------------------
* Tiers: ~0.2% strategic (at least 3 from 50 customers), ~3% key (at least 40 from 200 customers,
  so every planted problem fits in small test sets), ~15% mid, the rest small. Every planted
  problem is present from 200 customers on; below that, some are left out (see
  ``_plant_counts``), and below ~40 customers most regional offices have no customer at all.
* Teams: 29 regional offices (``team_kind`` regional) whose ``regions`` are disjoint and cover all
  31 provinces; parent regional teams (区域销售部, the 大区) have empty ``regions``. Key-account
  teams per industry (金融, 制造, 能源, 电信, 零售, 医疗) and zone (北区/东区/南区/西区) list their
  zone's provinces in ``regions`` for information only: **territory ownership applies to regional
  teams only**. One government team, four solution (overlay) teams, delivery, partner and inside
  sales teams.
* Region ``UNCOVERED_REGION`` (雄安新区) is in no team's ``regions``: its customers have no owner.
* Owner credit of a customer is the sum of ``credit_share`` over ALL its owner links, team and
  employee. An owning team's link carries 1.0; its named AM's owner link carries 0.0 (the AM is
  accountable, the team carries the number). Overlay credit: the solution team's overlay link
  carries 1.0 (intended dual credit), the specialist's overlay link 0.0. Support links carry 0.
* Membership role ``account_manager`` makes someone an AM; nobody is a member of two teams.
  A few former employees (inactive, in no team, owning nothing) are kept as records.
* Ids: customers ``C0000001``..., employees ``E000001``..., contacts ``<customer id>-001``...,
  teams ``team-reg-gd``, ``team-ka-fin-east``, ``team-gov``, ``team-sol-cloud``... Dates are
  relative to ``DEMO_TODAY`` (relationships touched up to ~2.5 years before, ~7% over 180 days).

What "clean" means: every customer NOT listed in a manifest field satisfies all of these
--------------------------------------------------------------------------------------
* Strategic: exactly one owner link by a team (key-account or government, credit 1.0) and
  exactly one named AM owner link (credit 0.0) whose holder is active, a member of that team with
  role account_manager, and named owner of no other customer (a dedicated AM). Plus overlay links
  (solution team 1.0, specialist 0.0), support links (delivery team, executive sponsor, presales).
* Key: exactly one owner team link (key-account or government, 1.0) and exactly one active named
  AM (0.0), member of that team as account_manager; that AM is named owner of at most 6
  customers (unless it is one of the ``overloaded_account_managers``, whose accounts are
  otherwise clean). Some have one overlay (then they are in ``overlay_customers``, which is
  legitimate).
* Mid and small: no owner link at all; owned by exactly one regional team by the territory rule
  (its region is in exactly one regional team's ``regions``). A few have support links (credit 0)
  from the partner or inside-sales team.
* Branches (``parent_id`` set) have the same owner team as their HQ: branches of strategic and
  key HQs are key accounts owned explicitly by the HQ's team (with their own AM); branches of mid
  HQs are small customers in the HQ's province.
* Every key contact (decision maker, economic buyer, technical buyer) of a strategic or key
  account has relationships from at least two of our active people.
* Influence links touch only the top people of an account (level <= 3) and third parties,
  except ``hidden_influencers`` (level 6-7); see ``graph.demo.contacts``.
* Every named owner is active; every team that owns customers has AMs and an average load
  within one full book; no AM of an owning team has an empty book.

``tests/demo/test_demo.py`` checks this contract on the records themselves, and checks that the
analyses with their default settings (coverage report: gaps, conflicts, credit, capacity,
hierarchy; key-contact ranking; relationship coverage) flag exactly the manifest's ids.

The planted problems (fields of ``DemoManifest``; one problem each unless said otherwise)
--------------------------------------------------------------------------------------
* ``gap_customers``: customers in 雄安新区 with no coverage at all, among them the rural credit
  union 雄县农村信用合作社 (small, 金融), and the ``uncovered_branches``.
* ``conflict_customers``: several owner teams. The joint-stock bank 江南联合银行股份有限公司 (and
  more like it at scale) is claimed by its regional office AND the finance key-account team,
  each with its own named AM and credit 1.0 (so it is in ``inflation_customers`` too); the other
  conflicts are two key-account teams of one industry (in tiny demos possibly of two industries)
  claiming 0.5 each (no inflation).
* ``inflation_customers``: owner credit above 1.0: the regional-vs-finance conflicts above, and
  single-owner accounts whose named AM link carries 1.0 next to its team's 1.0 (sum 2.0).
* ``overlay_customers``: every customer with an overlay link (all strategic accounts, some key
  accounts): legitimate dual credit, not a problem.
* ``overloaded_account_managers``: key-account AMs named owner of 14 (more at scale) key accounts;
  those accounts are otherwise clean.
* ``strategic_without_dedicated_am``: strategic accounts owned by their team with no named AM.
* ``key_without_named_am``: key accounts owned by their team, no named AM.
* ``key_left_to_regional``: key accounts whose only owner is their regional office (explicit
  team link 1.0 plus a regional AM 0.0).
* ``uncovered_branches``: branches (small, in 雄安新区) of clean key HQs; nobody owns them (also
  in ``gap_customers``; not counted as ``hq_branch_conflicts``).
* ``hq_branch_conflicts``: mid branches of clean key HQs, in another province, with no owner link:
  their regional office owns them by territory while the HQ belongs to a key-account team.
* ``single_threaded_customers``: key accounts whose contacts are all known by one person only
  (the named AM).
* ``hidden_influencers``: one contact per strategic account: level 6-7 (秘书, 助理, 专员...),
  decision role unknown, sways 10-16 of the top people (level <= 3), known by none of us.
* ``inactive_owners`` / ``inactive_owner_customers``: a named AM who left (inactive, still a
  member of the team) remains owner of a key account next to the active AM who replaced them;
  they hold the account's relationships (last touch > 200 days ago); the new AM and presales know
  its key contacts too.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from bisect import bisect
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate

from graph.demo.contacts import (
    ClientTeam,
    People,
    build_large,
    build_small,
    contact_id,
    contact_records,
    relationship_records,
)
from graph.demo.names import (
    AREAS,
    BRAND_CHARS,
    BROAD_INDUSTRY_WEIGHTS,
    COMPANY_WORDS,
    ENERGY,
    FINANCE,
    FOREIGN_BRANDS,
    FOREIGN_WORDS,
    GOVERNMENT,
    HEALTHCARE,
    HOSPITAL_WORDS,
    KA_INDUSTRIES,
    KA_ZONES,
    KEY_INDUSTRY_WEIGHTS,
    MANUFACTURING,
    PROVINCE_BY_NAME,
    PROVINCES,
    REGIONAL_OFFICES,
    RETAIL,
    TELECOM,
    UNCOVERED_REGION,
    UNCOVERED_TOWNS,
    ZONE_OF_AREA,
    brand,
    pick,
)
from graph.demo.org import (
    ACCOUNT_MANAGER,
    DELIVERY_MANAGER,
    EXECUTIVE_SPONSOR,
    INSIDE_SALES_REP,
    PARTNER_MANAGER,
    PRESALES,
    REGIONAL_KA_DIRECTOR,
    SOLUTION_SPECIALIST,
    TEAM_LEAD,
    OrgBuilder,
)
from graph.model import (
    Coverage,
    CoverageRole,
    Customer,
    HolderKind,
    Record,
    TeamKind,
    Tier,
)

__all__ = ["DEMO_TODAY", "DemoManifest", "generate", "manifest", "tier_counts"]

DEMO_TODAY = dt.date(2026, 11, 1)

CREDIT_UNION_NAME = "雄县农村信用合作社"
CONFLICT_BANK_NAME = "江南联合银行股份有限公司"
OVERLOAD_BOOK = 14  # key accounts per overloaded AM below 100k customers (more above)
POOL_BOOK = 6  # most key accounts a regular key-account AM is named owner of
MID_BOOK = 500  # mid customers one regional AM can carry (DOMAIN.md: hundreds)
SMALL_BOOK = 5000  # small customers one regional AM can carry (DOMAIN.md: thousands)

# ------------------------------------------------------------------------------- manifest


@dataclass(frozen=True)
class DemoManifest:
    """The ids of every planted problem (see the module docstring for exact definitions)."""

    customers: int
    seed: int
    customers_by_tier: dict[str, int]
    uncovered_region: str
    strategic_customers: tuple[str, ...]
    gap_customers: tuple[str, ...]
    conflict_customers: tuple[str, ...]
    overlay_customers: tuple[str, ...]
    inflation_customers: tuple[str, ...]
    overloaded_account_managers: tuple[str, ...]
    strategic_without_dedicated_am: tuple[str, ...]
    key_without_named_am: tuple[str, ...]
    key_left_to_regional: tuple[str, ...]
    uncovered_branches: tuple[str, ...]
    hq_branch_conflicts: tuple[str, ...]
    single_threaded_customers: tuple[str, ...]
    hidden_influencers: tuple[str, ...]
    inactive_owners: tuple[str, ...]
    inactive_owner_customers: tuple[str, ...]
    credit_union: str = ""
    conflict_bank: str = ""


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
class _Account:
    """The plan of one strategic/key customer (or a planted branch / gap customer)."""

    tier: Tier
    industry: str
    region: str
    plant: str = CLEAN
    cid: str = ""
    name: str = ""
    parent: _Account | None = None
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
    branches: list[_Account] = field(default_factory=list)
    needs_pool_am: bool = True


@dataclass
class _Plan:
    customers: int
    seed: int
    org: OrgBuilder
    groups: list[_Account]
    gaps: list[_Account]
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


_PROVINCE_NAMES = tuple(p.name for p in PROVINCES)
_PROVINCE_CUM = tuple(accumulate(p.weight for p in PROVINCES))
_KEY_IND = tuple(i for i, _ in KEY_INDUSTRY_WEIGHTS)
_KEY_IND_CUM = tuple(accumulate(w for _, w in KEY_INDUSTRY_WEIGHTS))
_BROAD_IND = tuple(i for i, _ in BROAD_INDUSTRY_WEIGHTS)
_BROAD_IND_CUM = tuple(accumulate(w for _, w in BROAD_INDUSTRY_WEIGHTS))
_IND_CODE = dict(KA_INDUSTRIES)
_ZONE_NAME = {code: name for name, code, _ in KA_ZONES}
_ZONE_HOME = {"north": "北京", "east": "上海", "south": "广东", "west": "四川"}
_SOLUTIONS: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("team-sol-cloud", "云计算解决方案", frozenset()),
    ("team-sol-data", "数据分析解决方案", frozenset({FINANCE, RETAIL, TELECOM, HEALTHCARE})),
    ("team-sol-security", "网络安全解决方案", frozenset({FINANCE, GOVERNMENT, TELECOM})),
    ("team-sol-smartmfg", "智能制造解决方案", frozenset({MANUFACTURING, ENERGY})),
)
_DOTTED_AREAS = frozenset({"华东", "西南"})


def _pick(rng: random.Random, values: tuple[str, ...], cum: tuple[float, ...]) -> str:
    return values[bisect(cum, rng.random() * cum[-1])]


def _zone(region: str) -> str:
    return ZONE_OF_AREA[PROVINCE_BY_NAME[region].area]


def _ka_team(industry: str, region: str) -> str:
    if industry == GOVERNMENT:
        return "team-gov"
    return f"team-ka-{_IND_CODE[industry]}-{_zone(region)}"


def _build_teams(org: OrgBuilder) -> dict[str, str]:
    """Every team of the demo organisation; returns province -> regional office team id."""
    office_of: dict[str, str] = {}
    org.team("team-regional-sales", "区域销售部", TeamKind.REGIONAL)
    for area, code in AREAS:
        org.team(
            f"team-area-{code}", f"{area}大区", TeamKind.REGIONAL, parent="team-regional-sales"
        )
    for office, regions in REGIONAL_OFFICES:
        p = PROVINCE_BY_NAME[office]
        area_code = dict(AREAS)[p.area]
        tid = org.team(
            f"team-reg-{p.code}",
            f"{office}办事处",
            TeamKind.REGIONAL,
            regions=regions,
            parent=f"team-area-{area_code}",
        )
        for r in regions:
            office_of[r] = tid
    org.team("team-key-accounts", "大客户销售部", TeamKind.KEY_ACCOUNT)
    for industry, icode in KA_INDUSTRIES:
        org.team(
            f"team-ka-{icode}",
            f"{industry}行业部",
            TeamKind.KEY_ACCOUNT,
            industry=industry,
            parent="team-key-accounts",
        )
        for zname, zcode, areas in KA_ZONES:
            regions = tuple(p.name for p in PROVINCES if p.area in areas)
            org.team(
                f"team-ka-{icode}-{zcode}",
                f"{industry}行业部-{zname}",
                TeamKind.KEY_ACCOUNT,
                regions=regions,
                industry=industry,
                parent=f"team-ka-{icode}",
            )
    org.team("team-gov", "政府事业部", TeamKind.GOVERNMENT, industry=GOVERNMENT)
    org.team("team-solutions", "解决方案部", TeamKind.SOLUTION)
    for tid, name, _ in _SOLUTIONS:
        org.team(tid, name, TeamKind.SOLUTION, parent="team-solutions")
    org.team("team-delivery", "交付服务部", TeamKind.DELIVERY)
    org.team("team-partners", "渠道合作部", TeamKind.PARTNER)
    org.team("team-inside-sales", "电话销售与市场部", TeamKind.INSIDE_SALES)
    return office_of


_LEAD_TITLES: dict[TeamKind, str] = {
    TeamKind.REGIONAL: "办事处主任",
    TeamKind.KEY_ACCOUNT: "大客户总监",
    TeamKind.GOVERNMENT: "政府事业部总经理",
    TeamKind.SOLUTION: "解决方案总监",
    TeamKind.DELIVERY: "交付服务总监",
    TeamKind.PARTNER: "渠道总监",
    TeamKind.INSIDE_SALES: "电话销售总监",
}


def _team_region(org: OrgBuilder, team_id: str) -> str:
    team = org.team_by_id[team_id]
    if team.regions:
        return team.regions[0]
    code = team_id.rsplit("-", 1)[-1]
    if team_id.startswith("team-area-"):
        area = next(name for name, c in AREAS if c == code)
        return next(p.name for p in PROVINCES if p.area == area)
    return _ZONE_HOME.get(code, "北京")


def _plant_counts(customers: int) -> dict[str, int]:
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


def _key_region(rng: random.Random) -> str:
    return _pick(rng, _PROVINCE_NAMES, _PROVINCE_CUM)


def _key_industry(rng: random.Random, *, government: bool = True) -> str:
    while True:
        ind = _pick(rng, _KEY_IND, _KEY_IND_CUM)
        if government or ind != GOVERNMENT:
            return ind


def _plan(customers: int, seed: int) -> _Plan:
    """Decide every strategic and key account, the planted problems and our organisation."""
    rng = random.Random(seed)
    counts = tier_counts(customers)
    want = _plant_counts(customers)
    key_left = counts[Tier.KEY]
    mid_left = counts[Tier.MID]
    small_left = counts[Tier.SMALL]
    org = OrgBuilder(random.Random(seed + 1))
    office_of = _build_teams(org)

    groups: list[_Account] = []
    gaps: list[_Account] = []

    def key_account(plant: str, industry: str | None = None, region: str | None = None) -> _Account:
        nonlocal key_left
        key_left -= 1
        ind = industry or _key_industry(rng, government=False)
        reg = region or _key_region(rng)
        acc = _Account(Tier.KEY, ind, reg, plant)
        acc.team = _ka_team(ind, reg)
        acc.n_contacts = rng.randint(12, 44)
        acc.third_parties = 1 if rng.random() < 0.3 else 0
        groups.append(acc)
        return acc

    # --- planted key accounts, in priority order, as long as the key budget lasts
    for plant in (
        P_CONFLICT_BANK,
        P_NO_AM,
        P_LEFT_REGIONAL,
        P_SINGLE,
        P_INACTIVE,
        P_INFLATION,
        P_CONFLICT_SPLIT,
    ):
        for i in range(want[plant]):
            if key_left < 1:
                break
            if plant == P_CONFLICT_BANK:
                acc = key_account(plant, FINANCE, "江苏" if i == 0 else _key_region(rng))
            elif plant == P_CONFLICT_SPLIT:
                acc = key_account(plant, MANUFACTURING)
            else:
                acc = key_account(plant)
    for plant, branch_tier in ((P_HQ_BRANCH, Tier.MID), (P_UNCOVERED_BRANCH, Tier.SMALL)):
        for _ in range(want[plant]):
            if key_left < 1 or (mid_left if branch_tier is Tier.MID else small_left) < 1:
                break
            hq = key_account(CLEAN)
            if branch_tier is Tier.MID:
                mid_left -= 1
                region = rng.choice([p for p in _PROVINCE_NAMES if p != hq.region])
                branch = _Account(
                    Tier.MID,
                    hq.industry,
                    region,
                    plant,
                    parent=hq,
                    n_contacts=rng.randint(3, 6),
                    needs_pool_am=False,
                )
            else:
                small_left -= 1
                branch = _Account(
                    Tier.SMALL,
                    hq.industry,
                    UNCOVERED_REGION,
                    plant,
                    parent=hq,
                    n_contacts=rng.randint(1, 2),
                    needs_pool_am=False,
                )
            hq.branches.append(branch)
    overloaded_books: list[list[_Account]] = []
    book = OVERLOAD_BOOK if customers < 100_000 else 0
    for i in range(want[P_OVERLOADED]):
        size = book or rng.randint(20, 40)
        if key_left < size:
            break
        # the first book sits in the biggest team (制造, 东区) so the team's average load stays
        # within norm: the finding is the person, not the team
        industry = MANUFACTURING if i == 0 else _key_industry(rng, government=False)
        zone = "east" if i == 0 else _zone(_key_region(rng))
        same_zone = [p for p in _PROVINCE_NAMES if _zone(p) == zone]
        accounts = [key_account(P_OVERLOADED, industry, rng.choice(same_zone)) for _ in range(size)]
        for a in accounts:
            a.needs_pool_am = False
        overloaded_books.append(accounts)

    # --- strategic accounts with their key branches
    strategic: list[_Account] = []
    n_strat_no_am = min(want[P_STRAT_NO_AM], counts[Tier.STRATEGIC] - 1)
    branch_budget = int(key_left * 0.4)
    for i in range(counts[Tier.STRATEGIC]):
        industry = _key_industry(rng)
        region = _key_region(rng)
        plant = P_STRAT_NO_AM if i < n_strat_no_am else CLEAN
        acc = _Account(Tier.STRATEGIC, industry, region, plant, team=_ka_team(industry, region))
        acc.n_contacts = rng.randint(100, 290)
        acc.third_parties = rng.randint(2, 5)
        acc.hidden = True
        acc.needs_pool_am = False
        if industry != GOVERNMENT:
            for _ in range(min(rng.randint(2, 5), branch_budget)):
                branch_budget -= 1
                key_left -= 1
                acc.branches.append(_branch_of(rng, acc))
        strategic.append(acc)
        groups.append(acc)

    # --- clean key accounts fill the rest of the key budget, some with key branches
    while key_left > 0:
        hq = key_account(CLEAN, _key_industry(rng))
        if hq.industry != GOVERNMENT and key_left >= 1 and rng.random() < 0.12:
            for _ in range(min(rng.randint(1, 2), key_left)):
                key_left -= 1
                hq.branches.append(_branch_of(rng, hq))

    # --- gap customers (in the uncovered region); the credit union first
    for i in range(want[P_GAP]):
        tier = Tier.MID if i % 4 == 3 and mid_left > 0 else Tier.SMALL
        if (small_left if tier is Tier.SMALL else mid_left) < 1:
            break
        if tier is Tier.SMALL:
            small_left -= 1
        else:
            mid_left -= 1
        industry = FINANCE if i == 0 else _pick(rng, _BROAD_IND, _BROAD_IND_CUM)
        gap = _Account(tier, industry, UNCOVERED_REGION, P_GAP, needs_pool_am=False)
        gap.n_contacts = rng.randint(1, 2) if tier is Tier.SMALL else rng.randint(3, 6)
        gap.name = CREDIT_UNION_NAME if i == 0 else _broad_name(rng, industry, UNCOVERED_REGION)
        gaps.append(gap)

    # --- accounts without a named AM go to teams that have AMs (a team with no AMs at all
    # would be a second, unplanned finding)
    models = [
        a
        for a in groups
        if a.tier is Tier.KEY and a.plant == CLEAN and a.parent is None and a.industry != GOVERNMENT
    ]
    for acc in groups:
        if acc.plant in (P_NO_AM, P_STRAT_NO_AM) and models:
            model = rng.choice(models)
            acc.industry, acc.region, acc.team = model.industry, model.region, model.team
            for branch in acc.branches:
                branch.team = acc.team
                if branch.region == acc.region:
                    branch.region = rng.choice([p for p in _PROVINCE_NAMES if p != acc.region])

    for acc in _walk(groups):
        if acc.tier is Tier.STRATEGIC:
            options = [s for s in _SOLUTIONS if not s[2] or acc.industry in s[2]]
            for sol in rng.sample(options, min(len(options), rng.randint(1, 2))):
                acc.overlays.append((sol[0], ""))
        elif (
            acc.tier is Tier.KEY
            and acc.plant in (CLEAN, P_OVERLOADED)
            and acc.parent is None
            and rng.random() < 0.2
        ):
            options = [s for s in _SOLUTIONS if not s[2] or acc.industry in s[2]]
            acc.overlays.append((rng.choice(options)[0], ""))

    # --- our people
    _staff(rng, org, customers, counts, groups, strategic, overloaded_books, office_of)
    regional_ams: dict[str, list[str]] = defaultdict(list)
    for m in org.memberships:
        if m.role == ACCOUNT_MANAGER and m.team_id.startswith("team-reg-"):
            regional_ams[m.team_id].append(m.employee_id)
    _assign(rng, org, groups, strategic, overloaded_books, office_of, regional_ams)

    # --- ids and names, in a shuffled account order
    rng.shuffle(groups)
    number = 0
    for hq in groups:
        for acc in (hq, *hq.branches):
            number += 1
            acc.cid = f"C{number:07d}"
            if not acc.name:
                acc.name = _account_name(rng, acc)
    for i, gap in enumerate(gaps):
        number += 1
        gap.cid = f"C{number:07d}"
        if i == 0:
            gap.name = CREDIT_UNION_NAME
    for i, acc in enumerate(a for a in groups if a.plant == P_CONFLICT_BANK):
        if i == 0:
            acc.name = CONFLICT_BANK_NAME
    tiers = {t.value: c for t, c in counts.items()}
    if key_left < 0:
        raise AssertionError("key budget overrun")
    return _Plan(
        customers=customers,
        seed=seed,
        org=org,
        groups=groups,
        gaps=gaps,
        broad_mid=mid_left,
        broad_small=small_left,
        first_broad_number=number + 1,
        office_of_region=office_of,
        regional_ams=dict(regional_ams),
        partner_team="team-partners",
        inside_team="team-inside-sales",
        tiers=tiers,
        overloaded=[b[0].ams[0][0] for b in overloaded_books],
        inactive=[a.ams[-1][0] for a in _walk(groups) if a.plant == P_INACTIVE],
    )


def _walk(groups: Iterable[_Account]) -> Iterator[_Account]:
    for hq in groups:
        yield hq
        yield from hq.branches


def _branch_of(rng: random.Random, hq: _Account) -> _Account:
    region = rng.choice([p for p in _PROVINCE_NAMES if p != hq.region])
    branch = _Account(Tier.KEY, hq.industry, region, CLEAN, parent=hq, team=hq.team)
    branch.n_contacts = rng.randint(10, 30)
    return branch


def _staff(
    rng: random.Random,
    org: OrgBuilder,
    customers: int,
    counts: dict[Tier, int],
    groups: list[_Account],
    strategic: list[_Account],
    overloaded_books: list[list[_Account]],
    office_of: dict[str, str],
) -> None:
    """Create our people: every team's lead first, then the members each team needs."""
    for team in list(org.teams):
        title = _LEAD_TITLES[team.team_kind]
        if team.id == "team-regional-sales":
            title = "区域销售副总裁"
        elif team.id.startswith("team-area-"):
            title = "大区总经理"
        elif team.id == "team-key-accounts":
            title = "大客户销售副总裁"
        elif team.id.startswith("team-ka-") and team.id.count("-") == 2:
            title = "行业总经理"
        org.person(team.id, TEAM_LEAD, title, _team_region(org, team.id))
    ka_directors: dict[str, str] = {}
    for area, code in AREAS:
        tid = f"team-area-{code}"
        home = next(p.name for p in PROVINCES if p.area == area)
        ka_directors[area] = org.person(tid, REGIONAL_KA_DIRECTOR, "大区大客户总监", home)
    for _ in range(max(1, math.ceil(len(strategic) / 5))):
        org.person("team-key-accounts", EXECUTIVE_SPONSOR, "副总裁", "北京")
    total_weight = sum(p.weight for p in PROVINCES)
    for office, regions in REGIONAL_OFFICES:
        tid = office_of[office]
        share = sum(PROVINCE_BY_NAME[r].weight for r in regions) / total_weight
        # DOMAIN.md ratios: one AM carries up to 500 mid or 5000 small customers; 30% headroom
        office_load = (counts[Tier.MID] / MID_BOOK + counts[Tier.SMALL] / SMALL_BOOK) * share
        n_am = max(2, math.ceil(office_load * 1.3))
        area = PROVINCE_BY_NAME[office].area
        dotted = ka_directors[area] if area in _DOTTED_AREAS else None
        for _ in range(n_am):
            title = rng.choice(("客户经理", "客户经理", "高级客户经理"))
            org.person(tid, ACCOUNT_MANAGER, title, office, dotted=dotted)
        org.person(tid, PRESALES, "售前工程师", office)
    # key-account and government teams: AM pools, presales
    per_team: dict[str, int] = defaultdict(int)
    accounts_of: dict[str, int] = defaultdict(int)
    load: dict[str, float] = defaultdict(float)  # weighted load: strategic 1, key 0.1
    own_ams: dict[str, int] = defaultdict(int)  # AMs a team gets besides its pool
    for acc in _walk(groups):
        if acc.tier in (Tier.KEY, Tier.STRATEGIC) and acc.team.startswith(("team-ka-", "team-gov")):
            accounts_of[acc.team] += 1
            if acc.plant == P_LEFT_REGIONAL:
                continue
            load[acc.team] += 1.0 if acc.tier is Tier.STRATEGIC else 0.1
            if acc.needs_pool_am and acc.plant != P_NO_AM:
                per_team[acc.team] += 1
            if (acc.tier is Tier.STRATEGIC and acc.plant == CLEAN) or acc.plant == P_INACTIVE:
                own_ams[acc.team] += 1
    for book in overloaded_books:
        own_ams[book[0].team] += 1
    for team in org.teams:
        if team.team_kind not in (TeamKind.KEY_ACCOUNT, TeamKind.GOVERNMENT):
            continue
        if team.id in ("team-key-accounts",) or (team.id.count("-") == 2 and team.id != "team-gov"):
            continue
        region = _team_region(org, team.id)
        # enough AMs for every pool account's AM to hold at most POOL_BOOK, and for the team's
        # average load to stay within one full book; never more AMs than pool accounts (idle)
        need = max(
            math.ceil(per_team[team.id] / POOL_BOOK),
            math.ceil(load[team.id] - own_ams[team.id] - 1e-9),
        )
        n_am = min(per_team[team.id], need)
        for _ in range(n_am):
            title = rng.choice(("大客户经理", "高级大客户经理"))
            org.person(team.id, ACCOUNT_MANAGER, title, region)
        for _ in range(max(1, math.ceil(accounts_of[team.id] / 15))):
            org.person(team.id, PRESALES, rng.choice(("售前工程师", "售前经理")), region)
    overlays: dict[str, int] = defaultdict(int)
    for acc in _walk(groups):
        for sol, _ in acc.overlays:
            overlays[sol] += 1
    for sol, _name, _ in _SOLUTIONS:
        for _ in range(max(2, math.ceil(overlays[sol] / 15))):
            org.person(sol, SOLUTION_SPECIALIST, "解决方案专家", "北京")
    for _ in range(max(2, math.ceil(len(strategic) / 8))):
        org.person("team-delivery", DELIVERY_MANAGER, "交付经理", "北京")
    for _ in range(2 + customers // 200_000):
        org.person("team-partners", PARTNER_MANAGER, "渠道经理", "上海")
    for _ in range(3 + customers // 100_000):
        org.person("team-inside-sales", INSIDE_SALES_REP, "电话销售代表", "广东")
    for _ in range(max(2, len(org.employees) // 500)):
        org.former_employee("客户经理", rng.choice(_PROVINCE_NAMES))


def _assign(
    rng: random.Random,
    org: OrgBuilder,
    groups: list[_Account],
    strategic: list[_Account],
    overloaded_books: list[list[_Account]],
    office_of: dict[str, str],
    regional_ams: dict[str, list[str]],
) -> None:
    """Name the people of every planned account: owners, AMs, presales, specialists, sponsors."""
    by_team_role: dict[tuple[str, str], list[str]] = defaultdict(list)
    for m in org.memberships:
        by_team_role[(m.team_id, m.role)].append(m.employee_id)
    cursor: dict[tuple[str, str], int] = defaultdict(int)

    def next_of(team: str, role: str) -> str:
        pool = by_team_role[(team, role)]
        i = cursor[(team, role)]
        cursor[(team, role)] = i + 1
        return pool[i % len(pool)]

    lead = org.leads
    sponsors = by_team_role[("team-key-accounts", EXECUTIVE_SPONSOR)]
    strategic_rank = {id(acc): i for i, acc in enumerate(strategic)}
    accounts = list(_walk(groups))
    rng.shuffle(accounts)  # spread accounts over the AM pools at random
    for acc in accounts:
        if acc.tier is Tier.MID or acc.tier is Tier.SMALL:
            continue  # planted branches: no explicit coverage
        team = acc.team
        presales = next_of(team, PRESALES)
        for sol, _ in list(acc.overlays):
            acc.overlays.remove((sol, ""))
            acc.overlays.append((sol, next_of(sol, SOLUTION_SPECIALIST)))
        specialists = [s for _, s in acc.overlays]
        acc.owner_teams = [(team, 1.0)]
        acc.others = [presales, *specialists]
        if acc.tier is Tier.STRATEGIC:
            acc.sponsor = sponsors[strategic_rank[id(acc)] // 5 % len(sponsors)]
            acc.support_teams = ["team-delivery"]
            acc.support_people = [p for p in (acc.sponsor, presales) if p]
            acc.others.append(lead[team])
            if acc.plant == P_STRAT_NO_AM:
                acc.ams = []
            else:
                region = _team_region(org, team)
                am = org.person(team, ACCOUNT_MANAGER, "战略客户经理", region)
                acc.ams = [(am, 0.0)]
            continue
        plant = acc.plant
        if plant == P_OVERLOADED:
            continue  # settled per book below
        if plant == P_LEFT_REGIONAL:
            office = office_of[acc.region]
            acc.team = office
            acc.owner_teams = [(office, 1.0)]
            acc.ams = [(next_of(office, ACCOUNT_MANAGER), 0.0)]
            acc.others = [next_of(office, PRESALES), lead[office]]
        elif plant == P_NO_AM:
            acc.ams = []
            acc.others = [presales, lead[team], *specialists]
        elif plant == P_CONFLICT_BANK:
            office = office_of[acc.region]
            regional_am = next_of(office, ACCOUNT_MANAGER)
            acc.owner_teams = [(team, 1.0), (office, 1.0)]
            acc.ams = [(next_of(team, ACCOUNT_MANAGER), 0.0), (regional_am, 0.0)]
            acc.others = [presales, regional_am]
        elif plant == P_CONFLICT_SPLIT:
            rivals = [
                f"{team.rsplit('-', 1)[0]}-{z}"
                for _, z, _ in KA_ZONES
                if z != team.rsplit("-", 1)[-1]
            ]
            staffed = [t for t in rivals if by_team_role[(t, ACCOUNT_MANAGER)]]
            if not staffed:  # tiny demos: a team of another industry claims it
                staffed = sorted(
                    t
                    for (t, r), ams in by_team_role.items()
                    if r == ACCOUNT_MANAGER and ams and t != team and t.startswith("team-ka-")
                )
            rival = rng.choice(staffed or rivals)
            acc.owner_teams = [(team, 0.5), (rival, 0.5)]
            acc.ams = [(next_of(team, ACCOUNT_MANAGER), 0.0)]
        elif plant == P_INFLATION:
            acc.ams = [(next_of(team, ACCOUNT_MANAGER), 1.0)]
        elif plant == P_INACTIVE:
            region = _team_region(org, team)
            gone = org.person(team, ACCOUNT_MANAGER, "大客户经理", region, active=False)
            new = next_of(team, ACCOUNT_MANAGER)
            acc.ams = [(new, 0.0), (gone, 0.0)]
            acc.primary = gone
            acc.primary_stale = 200
            acc.others = [new, presales]
            acc.all_others_on_key = True
        else:
            acc.ams = [(next_of(team, ACCOUNT_MANAGER), 0.0)]
    for book in overloaded_books:
        team = book[0].team
        region = _team_region(org, team)
        am = org.person(team, ACCOUNT_MANAGER, "资深大客户经理", region)
        for acc in book:
            acc.team = team
            acc.owner_teams = [(team, 1.0)]
            acc.ams = [(am, 0.0)]
            acc.others = [next_of(team, PRESALES), *(s for _, s in acc.overlays)]
    for acc in _walk(groups):
        if acc.primary is None and acc.ams:
            acc.primary = acc.ams[0][0]


def _money(rng: random.Random, lo: float, hi: float) -> float:
    return float(round(math.exp(rng.uniform(math.log(lo), math.log(hi))), -3))


_FIGURES: dict[Tier, tuple[float, float, float, float, float, float]] = {
    # revenue lo/hi, potential lo/hi (CNY), reference value lo/hi
    Tier.STRATEGIC: (5e7, 8e8, 1e8, 1.5e9, 0.6, 1.0),
    Tier.KEY: (5e6, 8e7, 1e7, 1.5e8, 0.3, 0.9),
    Tier.MID: (5e5, 6e6, 1e6, 1.2e7, 0.1, 0.6),
    Tier.SMALL: (2e4, 6e5, 5e4, 1.5e6, 0.0, 0.3),
}


def _customer(
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


def _city(rng: random.Random, region: str) -> str:
    if region == UNCOVERED_REGION:
        return rng.choice(UNCOVERED_TOWNS)
    return pick(rng, PROVINCE_BY_NAME[region].cities)


def _broad_name(rng: random.Random, industry: str, region: str) -> str:
    word, suffix = pick(rng, COMPANY_WORDS[industry])
    city = _city(rng, region)
    if industry == GOVERNMENT:
        return f"{city}{word if region != UNCOVERED_REGION else word.removeprefix('市')}"
    if industry == HEALTHCARE and rng.random() < 0.3:
        return f"{city}{rng.choice(('第一', '第二', '第三', ''))}{rng.choice(HOSPITAL_WORDS)}"
    return f"{city}{pick(rng, BRAND_CHARS)}{pick(rng, BRAND_CHARS)}{word}{suffix}"


_COMPANY_SUFFIXES: tuple[str, ...] = (
    "集团有限责任公司",
    "集团有限公司",
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    " Co., Ltd.",
)


def _account_name(rng: random.Random, acc: _Account) -> str:
    if acc.parent is not None:
        hq = acc.parent.name
        short = hq
        for suffix in _COMPANY_SUFFIXES:
            short = short.removesuffix(suffix)
        place = "雄安" if acc.region == UNCOVERED_REGION else acc.region
        if "银行" in hq:
            return f"{short}{place}分行"
        if "医院" in hq:
            return f"{short}{place}分院"
        if "Co., Ltd." in hq:
            return f"{short} {place} Branch"
        return f"{short}{place}分公司"
    city = _city(rng, acc.region)
    if acc.plant == P_CONFLICT_BANK:  # joint-stock banks, like 江南联合银行 (named in _plan)
        return f"{city}{brand(rng)}银行股份有限公司"
    if acc.industry in FOREIGN_WORDS and rng.random() < 0.08:
        acc.foreign = True
        words = FOREIGN_WORDS[acc.industry]
        return f"{rng.choice(FOREIGN_BRANDS)} {rng.choice(words)} ({city}) Co., Ltd."
    if acc.industry == GOVERNMENT:
        word, _ = rng.choice(COMPANY_WORDS[GOVERNMENT])
        if acc.tier is Tier.STRATEGIC:  # a provincial bureau
            level = "市" if city == acc.region else "省"
            word = word.removeprefix("市")
            if word in ("财政局", "公安局", "人力资源和社会保障局"):
                word = word.replace("局", "厅")
            return f"{acc.region}{level}{word}"
        return f"{city}{word}"
    if acc.industry == HEALTHCARE and rng.random() < 0.5:
        return f"{city}市{rng.choice(('第一', '第二', '第三', ''))}{rng.choice(HOSPITAL_WORDS)}"
    word, suffix = rng.choice(COMPANY_WORDS[acc.industry])
    if acc.tier is Tier.STRATEGIC:
        prefix = "中国" if rng.random() < 0.5 else ""
        if acc.industry == FINANCE:
            word = rng.choice(("银行", "银行", "人寿保险", "证券"))
            return f"{prefix}{brand(rng)}{word}股份有限公司"
        return f"{prefix}{brand(rng)}{word}集团有限公司"
    return f"{city}{brand(rng)}{word}{suffix}"


# ------------------------------------------------------------------------------- records


def _since(rng: random.Random) -> dt.date:
    return DEMO_TODAY - dt.timedelta(days=rng.randint(30, 1800))


def _account_records(rng: random.Random, acc: _Account) -> tuple[list[Record], list[Record]]:
    """(customer-side records, coverage and relationship records) of one planned account."""
    parent = acc.parent.cid if acc.parent is not None else None
    customer = _customer(rng, acc.cid, acc.name, acc.tier, acc.industry, acc.region, parent)
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
        links.append(
            Coverage(
                holder_kind=HolderKind.TEAM,
                holder_id=team,
                customer_id=acc.cid,
                role=CoverageRole.OWNER,
                credit_share=credit,
                since=_since(rng),
            )
        )
    for emp, credit in acc.ams:
        links.append(
            Coverage(
                holder_kind=HolderKind.EMPLOYEE,
                holder_id=emp,
                customer_id=acc.cid,
                role=CoverageRole.OWNER,
                credit_share=credit,
                since=_since(rng),
            )
        )
    for sol, specialist in acc.overlays:
        links.append(
            Coverage(
                holder_kind=HolderKind.TEAM,
                holder_id=sol,
                customer_id=acc.cid,
                role=CoverageRole.OVERLAY,
                credit_share=1.0,
                since=_since(rng),
            )
        )
        links.append(
            Coverage(
                holder_kind=HolderKind.EMPLOYEE,
                holder_id=specialist,
                customer_id=acc.cid,
                role=CoverageRole.OVERLAY,
                credit_share=0.0,
                since=_since(rng),
            )
        )
    for team in acc.support_teams:
        links.append(
            Coverage(
                holder_kind=HolderKind.TEAM,
                holder_id=team,
                customer_id=acc.cid,
                role=CoverageRole.SUPPORT,
                credit_share=0.0,
                since=_since(rng),
            )
        )
    for emp in acc.support_people:
        links.append(
            Coverage(
                holder_kind=HolderKind.EMPLOYEE,
                holder_id=emp,
                customer_id=acc.cid,
                role=CoverageRole.SUPPORT,
                credit_share=0.0,
                since=_since(rng),
            )
        )
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


def _group_records(plan: _Plan, number: int, hq: _Account) -> list[Record]:
    """All records of one HQ and its branches: customers first (HQ before branches), then their
    people, then coverage and relationships."""
    rng = random.Random(plan.seed * 1_000_003 + number)
    sides: list[Record] = []
    links: list[Record] = []
    customers: list[Record] = []
    for acc in (hq, *hq.branches):
        side, link = _account_records(rng, acc)
        customers.append(side[0])
        sides.extend(side[1:])
        links.extend(link)
    return [*customers, *sides, *links]


def _broad_records(plan: _Plan) -> Iterator[list[Record]]:
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
            _PROVINCE_NAMES[visited]
            if visited < len(_PROVINCE_NAMES)
            else _pick(rng, _PROVINCE_NAMES, _PROVINCE_CUM)
        )
        visited += 1
        industry = _pick(rng, _BROAD_IND, _BROAD_IND_CUM)
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
        name = _broad_name(rng, industry, region)
        out: list[Record] = []
        rest: list[Record] = []
        units: list[tuple[str, str, Tier, str | None]] = [(hq_id, name, tier, None)]
        for _ in range(n_branches):
            small_left -= 1
            bid = f"C{number:07d}"
            number += 1
            units.append((bid, f"{name}{_city(rng, region)}分公司", Tier.SMALL, hq_id))
        for cid, cname, t, parent in units:
            out.append(_customer(rng, cid, cname, t, industry, region, parent))
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
    rng: random.Random, plan: _Plan, cid: str, tier: Tier, people: People, ams: list[str]
) -> list[Record]:
    """Support coverage now and then, and a regional AM who knows a contact or two."""
    out: list[Record] = []
    x = rng.random()
    if tier is Tier.MID and x < 0.01:
        out.append(
            Coverage(
                holder_kind=HolderKind.TEAM,
                holder_id=plan.partner_team,
                customer_id=cid,
                role=CoverageRole.SUPPORT,
                credit_share=0.0,
                since=_since(rng),
            )
        )
    elif tier is Tier.SMALL and x < 0.02:
        out.append(
            Coverage(
                holder_kind=HolderKind.TEAM,
                holder_id=plan.inside_team,
                customer_id=cid,
                role=CoverageRole.SUPPORT,
                credit_share=0.0,
                since=_since(rng),
            )
        )
    if rng.random() < (0.5 if tier is Tier.MID else 0.15):
        am = rng.choice(ams)
        known = range(min(len(people.people), rng.randint(1, 2)))
        client = ClientTeam(primary=am)
        sub = People(people=[people.people[i] for i in known])
        out.extend(relationship_records(rng, cid, sub, client, DEMO_TODAY))
    return out


class _Batcher:
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


def generate(
    customers: int = 2000, seed: int = 7, *, batch_size: int = 5000
) -> Iterator[list[Record]]:
    """Stream the demo data set: lists of at most ``batch_size`` records whose references all
    point at records of the same or an earlier list. Deterministic for ``(customers, seed)``."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    plan = _plan(customers, seed)
    batcher = _Batcher(batch_size)
    yield from batcher.push(list(plan.org.records()))
    for number, hq in enumerate(plan.groups):
        yield from batcher.push(_group_records(plan, number, hq))
    for i, gap in enumerate(plan.gaps):
        rng = random.Random(plan.seed * 1_000_003 + len(plan.groups) + i)
        side, links = _account_records(rng, gap)
        yield from batcher.push(side + links)
    for records in _broad_records(plan):
        yield from batcher.push(records)
    yield from batcher.flush()


def manifest(customers: int = 2000, seed: int = 7) -> DemoManifest:
    """The planted problems of ``generate(customers, seed)``, computed from the plan alone."""
    plan = _plan(customers, seed)
    accounts = list(_walk(plan.groups))

    def ids(*plants: str) -> tuple[str, ...]:
        return tuple(sorted(a.cid for a in accounts if a.plant in plants))

    gaps = sorted([g.cid for g in plan.gaps] + list(ids(P_UNCOVERED_BRANCH)))
    bank = next((a.cid for a in accounts if a.name == CONFLICT_BANK_NAME), "")
    union = plan.gaps[0].cid if plan.gaps else ""
    return DemoManifest(
        customers=customers,
        seed=seed,
        customers_by_tier=dict(plan.tiers),
        uncovered_region=UNCOVERED_REGION,
        strategic_customers=tuple(sorted(a.cid for a in accounts if a.tier is Tier.STRATEGIC)),
        gap_customers=tuple(gaps),
        conflict_customers=ids(P_CONFLICT_BANK, P_CONFLICT_SPLIT),
        overlay_customers=tuple(sorted(a.cid for a in accounts if a.overlays)),
        inflation_customers=ids(P_CONFLICT_BANK, P_INFLATION),
        overloaded_account_managers=tuple(sorted(plan.overloaded)),
        strategic_without_dedicated_am=ids(P_STRAT_NO_AM),
        key_without_named_am=ids(P_NO_AM),
        key_left_to_regional=ids(P_LEFT_REGIONAL),
        uncovered_branches=ids(P_UNCOVERED_BRANCH),
        hq_branch_conflicts=ids(P_HQ_BRANCH),
        single_threaded_customers=ids(P_SINGLE),
        hidden_influencers=tuple(
            sorted(contact_id(a.cid, a.n_contacts) for a in accounts if a.hidden)
        ),
        inactive_owners=tuple(sorted(plan.inactive)),
        inactive_owner_customers=ids(P_INACTIVE),
        credit_union=union,
        conflict_bank=bank,
    )
