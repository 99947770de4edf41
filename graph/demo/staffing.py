"""Staffing the demo: every team's lead and members, then the people named on each account.

``staff`` sizes the teams from the plan (DOMAIN.md ratios, with headroom); ``assign`` names the
owners, AMs, presales, specialists and sponsors of every planned account, planting the
ownership problems (conflicts, inflation, missing or inactive AMs, overloaded books).
"""

from __future__ import annotations

import math
import random
from collections import defaultdict

from graph.demo.account_plan import (
    CLEAN,
    DOTTED_AREAS,
    MID_BOOK,
    P_CONFLICT_BANK,
    P_CONFLICT_SPLIT,
    P_INACTIVE,
    P_INFLATION,
    P_LEFT_REGIONAL,
    P_NO_AM,
    P_OVERLOADED,
    P_STRAT_NO_AM,
    POOL_BOOK,
    PROVINCE_NAMES,
    SMALL_BOOK,
    SOLUTIONS,
    Account,
    team_region,
    walk,
)
from graph.demo.names import (
    AREAS,
    KA_ZONES,
    PROVINCE_BY_NAME,
    PROVINCES,
    REGIONAL_OFFICES,
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
    TeamKind,
    Tier,
)

_LEAD_TITLES: dict[TeamKind, str] = {
    TeamKind.REGIONAL: "办事处主任",
    TeamKind.KEY_ACCOUNT: "大客户总监",
    TeamKind.GOVERNMENT: "政府事业部总经理",
    TeamKind.SOLUTION: "解决方案总监",
    TeamKind.DELIVERY: "交付服务总监",
    TeamKind.PARTNER: "渠道总监",
    TeamKind.INSIDE_SALES: "电话销售总监",
}


def staff(
    rng: random.Random,
    org: OrgBuilder,
    customers: int,
    counts: dict[Tier, int],
    groups: list[Account],
    strategic: list[Account],
    overloaded_books: list[list[Account]],
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
        org.person(team.id, TEAM_LEAD, title, team_region(org, team.id))
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
        dotted = ka_directors[area] if area in DOTTED_AREAS else None
        for _ in range(n_am):
            title = rng.choice(("客户经理", "客户经理", "高级客户经理"))
            org.person(tid, ACCOUNT_MANAGER, title, office, dotted=dotted)
        org.person(tid, PRESALES, "售前工程师", office)
    # key-account and government teams: AM pools, presales
    per_team: dict[str, int] = defaultdict(int)
    accounts_of: dict[str, int] = defaultdict(int)
    load: dict[str, float] = defaultdict(float)  # weighted load: strategic 1, key 0.1
    own_ams: dict[str, int] = defaultdict(int)  # AMs a team gets besides its pool
    for acc in walk(groups):
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
        region = team_region(org, team.id)
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
    for acc in walk(groups):
        for sol, _ in acc.overlays:
            overlays[sol] += 1
    for sol, _name, _ in SOLUTIONS:
        for _ in range(max(2, math.ceil(overlays[sol] / 15))):
            org.person(sol, SOLUTION_SPECIALIST, "解决方案专家", "北京")
    for _ in range(max(2, math.ceil(len(strategic) / 8))):
        org.person("team-delivery", DELIVERY_MANAGER, "交付经理", "北京")
    for _ in range(2 + customers // 200_000):
        org.person("team-partners", PARTNER_MANAGER, "渠道经理", "上海")
    for _ in range(3 + customers // 100_000):
        org.person("team-inside-sales", INSIDE_SALES_REP, "电话销售代表", "广东")
    for _ in range(max(2, len(org.employees) // 500)):
        org.former_employee("客户经理", rng.choice(PROVINCE_NAMES))


class _Pools:
    """Round-robin picks from the members of each (team, role), in membership order."""

    def __init__(self, org: OrgBuilder) -> None:
        self.by_team_role: dict[tuple[str, str], list[str]] = defaultdict(list)
        for m in org.memberships:
            self.by_team_role[(m.team_id, m.role)].append(m.employee_id)
        self.cursor: dict[tuple[str, str], int] = defaultdict(int)

    def next_of(self, team: str, role: str) -> str:
        pool = self.by_team_role[(team, role)]
        i = self.cursor[(team, role)]
        self.cursor[(team, role)] = i + 1
        return pool[i % len(pool)]


def assign(
    rng: random.Random,
    org: OrgBuilder,
    groups: list[Account],
    strategic: list[Account],
    overloaded_books: list[list[Account]],
    office_of: dict[str, str],
    regional_ams: dict[str, list[str]],
) -> None:
    """Name the people of every planned account: owners, AMs, presales, specialists, sponsors."""
    pools = _Pools(org)
    lead = org.leads
    sponsors = pools.by_team_role[("team-key-accounts", EXECUTIVE_SPONSOR)]
    strategic_rank = {id(acc): i for i, acc in enumerate(strategic)}
    accounts = list(walk(groups))
    rng.shuffle(accounts)  # spread accounts over the AM pools at random
    for acc in accounts:
        if acc.tier is Tier.MID or acc.tier is Tier.SMALL:
            continue  # planted branches: no explicit coverage
        team = acc.team
        presales = pools.next_of(team, PRESALES)
        for sol, _ in list(acc.overlays):
            acc.overlays.remove((sol, ""))
            acc.overlays.append((sol, pools.next_of(sol, SOLUTION_SPECIALIST)))
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
                region = team_region(org, team)
                am = org.person(team, ACCOUNT_MANAGER, "战略客户经理", region)
                acc.ams = [(am, 0.0)]
            continue
        if acc.plant != P_OVERLOADED:  # overloaded books are settled per book below
            _assign_key(rng, org, pools, acc, presales, specialists, office_of)
    for book in overloaded_books:
        team = book[0].team
        region = team_region(org, team)
        am = org.person(team, ACCOUNT_MANAGER, "资深大客户经理", region)
        for acc in book:
            acc.team = team
            acc.owner_teams = [(team, 1.0)]
            acc.ams = [(am, 0.0)]
            acc.others = [pools.next_of(team, PRESALES), *(s for _, s in acc.overlays)]
    for acc in walk(groups):
        if acc.primary is None and acc.ams:
            acc.primary = acc.ams[0][0]


def _assign_key(
    rng: random.Random,
    org: OrgBuilder,
    pools: _Pools,
    acc: Account,
    presales: str,
    specialists: list[str],
    office_of: dict[str, str],
) -> None:
    """The owners and AMs of one key account, planting its ownership problem if it has one."""
    lead = org.leads
    team = acc.team
    next_of = pools.next_of
    plant = acc.plant
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
        rival = _rival_team(rng, pools, team)
        acc.owner_teams = [(team, 0.5), (rival, 0.5)]
        acc.ams = [(next_of(team, ACCOUNT_MANAGER), 0.0)]
    elif plant == P_INFLATION:
        acc.ams = [(next_of(team, ACCOUNT_MANAGER), 1.0)]
    elif plant == P_INACTIVE:
        region = team_region(org, team)
        gone = org.person(team, ACCOUNT_MANAGER, "大客户经理", region, active=False)
        new = next_of(team, ACCOUNT_MANAGER)
        acc.ams = [(new, 0.0), (gone, 0.0)]
        acc.primary = gone
        acc.primary_stale = 200
        acc.others = [new, presales]
        acc.all_others_on_key = True
    else:
        acc.ams = [(next_of(team, ACCOUNT_MANAGER), 0.0)]


def _rival_team(rng: random.Random, pools: _Pools, team: str) -> str:
    """A key-account team of the same industry in another zone that claims the account too."""
    rivals = [
        f"{team.rsplit('-', 1)[0]}-{z}" for _, z, _ in KA_ZONES if z != team.rsplit("-", 1)[-1]
    ]
    staffed = [t for t in rivals if pools.by_team_role[(t, ACCOUNT_MANAGER)]]
    if not staffed:  # tiny demos: a team of another industry claims it
        staffed = sorted(
            t
            for (t, r), ams in pools.by_team_role.items()
            if r == ACCOUNT_MANAGER and ams and t != team and t.startswith("team-ka-")
        )
    return rng.choice(staffed or rivals)
