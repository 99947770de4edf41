"""Planning the demo: our teams, every strategic and key account, the planted problems, and ids.

``plan_demo(customers, seed)`` draws everything from one ``random.Random(seed)`` in a fixed
order, so the same arguments always give the same plan; ``graph.demo.staffing`` adds our people.
"""

from __future__ import annotations

import random
from collections import defaultdict

from graph.demo.account_plan import (
    BROAD_IND,
    BROAD_IND_CUM,
    CLEAN,
    CONFLICT_BANK_NAME,
    CREDIT_UNION_NAME,
    OVERLOAD_BOOK,
    P_CONFLICT_BANK,
    P_CONFLICT_SPLIT,
    P_GAP,
    P_HQ_BRANCH,
    P_INACTIVE,
    P_INFLATION,
    P_LEFT_REGIONAL,
    P_NO_AM,
    P_OVERLOADED,
    P_SINGLE,
    P_STRAT_NO_AM,
    P_UNCOVERED_BRANCH,
    PROVINCE_NAMES,
    SOLUTIONS,
    Account,
    Plan,
    branch_of,
    ka_team,
    key_industry,
    key_region,
    pick_weighted,
    plant_counts,
    tier_counts,
    walk,
    zone_of,
)
from graph.demo.company_names import account_name, broad_name
from graph.demo.names import (
    AREAS,
    FINANCE,
    GOVERNMENT,
    KA_INDUSTRIES,
    KA_ZONES,
    MANUFACTURING,
    PROVINCE_BY_NAME,
    PROVINCES,
    REGIONAL_OFFICES,
    UNCOVERED_REGION,
)
from graph.demo.org import (
    ACCOUNT_MANAGER,
    OrgBuilder,
)
from graph.demo.staffing import assign, staff
from graph.model import (
    TeamKind,
    Tier,
)


def build_teams(org: OrgBuilder) -> dict[str, str]:
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
    for tid, name, _ in SOLUTIONS:
        org.team(tid, name, TeamKind.SOLUTION, parent="team-solutions")
    org.team("team-delivery", "交付服务部", TeamKind.DELIVERY)
    org.team("team-partners", "渠道合作部", TeamKind.PARTNER)
    org.team("team-inside-sales", "电话销售与市场部", TeamKind.INSIDE_SALES)
    return office_of


def plan_demo(customers: int, seed: int) -> Plan:
    """Decide every strategic and key account, the planted problems and our organisation."""
    return _Planner(customers, seed).plan()


class _Planner:
    """The steps of ``plan_demo``, in the order they draw from the one random stream; the
    budgets (``key_left``, ``mid_left``, ``small_left``) shrink as accounts are planned."""

    def __init__(self, customers: int, seed: int) -> None:
        self.customers = customers
        self.seed = seed
        self.rng = random.Random(seed)
        self.counts = tier_counts(customers)
        self.want = plant_counts(customers)
        self.key_left = self.counts[Tier.KEY]
        self.mid_left = self.counts[Tier.MID]
        self.small_left = self.counts[Tier.SMALL]
        self.org = OrgBuilder(random.Random(seed + 1))
        self.office_of = build_teams(self.org)
        self.groups: list[Account] = []
        self.gaps: list[Account] = []
        self.strategic: list[Account] = []
        self.overloaded_books: list[list[Account]] = []

    def plan(self) -> Plan:
        self._planted_key_accounts()
        self._planted_branches()
        self._overloaded_books()
        self._strategic_accounts()
        self._clean_key_accounts()
        self._gap_customers()
        self._teams_for_accounts_without_am()
        self._overlays()
        # --- our people
        rng, org = self.rng, self.org
        staff(
            rng,
            org,
            self.customers,
            self.counts,
            self.groups,
            self.strategic,
            self.overloaded_books,
            self.office_of,
        )
        regional_ams: dict[str, list[str]] = defaultdict(list)
        for m in org.memberships:
            if m.role == ACCOUNT_MANAGER and m.team_id.startswith("team-reg-"):
                regional_ams[m.team_id].append(m.employee_id)
        assign(
            rng,
            org,
            self.groups,
            self.strategic,
            self.overloaded_books,
            self.office_of,
            regional_ams,
        )
        number = self._ids_and_names()
        if self.key_left < 0:
            raise AssertionError("key budget overrun")
        return Plan(
            customers=self.customers,
            seed=self.seed,
            org=org,
            groups=self.groups,
            gaps=self.gaps,
            broad_mid=self.mid_left,
            broad_small=self.small_left,
            first_broad_number=number + 1,
            office_of_region=self.office_of,
            regional_ams=dict(regional_ams),
            partner_team="team-partners",
            inside_team="team-inside-sales",
            tiers={t.value: c for t, c in self.counts.items()},
            overloaded=[b[0].ams[0][0] for b in self.overloaded_books],
            inactive=[a.ams[-1][0] for a in walk(self.groups) if a.plant == P_INACTIVE],
        )

    def key_account(
        self, plant: str, industry: str | None = None, region: str | None = None
    ) -> Account:
        """A new key account (from the key budget), planned with its contacts."""
        rng = self.rng
        self.key_left -= 1
        ind = industry or key_industry(rng, government=False)
        reg = region or key_region(rng)
        acc = Account(Tier.KEY, ind, reg, plant)
        acc.team = ka_team(ind, reg)
        acc.n_contacts = rng.randint(12, 44)
        acc.third_parties = 1 if rng.random() < 0.3 else 0
        self.groups.append(acc)
        return acc

    def _planted_key_accounts(self) -> None:
        """Planted key accounts, in priority order, as long as the key budget lasts."""
        for plant in (
            P_CONFLICT_BANK,
            P_NO_AM,
            P_LEFT_REGIONAL,
            P_SINGLE,
            P_INACTIVE,
            P_INFLATION,
            P_CONFLICT_SPLIT,
        ):
            for i in range(self.want[plant]):
                if self.key_left < 1:
                    break
                if plant == P_CONFLICT_BANK:
                    region = "江苏" if i == 0 else key_region(self.rng)
                    self.key_account(plant, FINANCE, region)
                elif plant == P_CONFLICT_SPLIT:
                    self.key_account(plant, MANUFACTURING)
                else:
                    self.key_account(plant)

    def _planted_branches(self) -> None:
        """Clean key HQs with a planted branch: a mid one elsewhere, a small one uncovered."""
        rng = self.rng
        for plant, branch_tier in ((P_HQ_BRANCH, Tier.MID), (P_UNCOVERED_BRANCH, Tier.SMALL)):
            for _ in range(self.want[plant]):
                budget = self.mid_left if branch_tier is Tier.MID else self.small_left
                if self.key_left < 1 or budget < 1:
                    break
                hq = self.key_account(CLEAN)
                if branch_tier is Tier.MID:
                    self.mid_left -= 1
                    region = rng.choice([p for p in PROVINCE_NAMES if p != hq.region])
                    branch = Account(
                        Tier.MID,
                        hq.industry,
                        region,
                        plant,
                        parent=hq,
                        n_contacts=rng.randint(3, 6),
                        needs_pool_am=False,
                    )
                else:
                    self.small_left -= 1
                    branch = Account(
                        Tier.SMALL,
                        hq.industry,
                        UNCOVERED_REGION,
                        plant,
                        parent=hq,
                        n_contacts=rng.randint(1, 2),
                        needs_pool_am=False,
                    )
                hq.branches.append(branch)

    def _overloaded_books(self) -> None:
        """The books of key accounts whose one AM is overloaded."""
        rng = self.rng
        book = OVERLOAD_BOOK if self.customers < 100_000 else 0
        for i in range(self.want[P_OVERLOADED]):
            size = book or rng.randint(20, 40)
            if self.key_left < size:
                break
            # the first book sits in the biggest team (制造, 东区) so the team's average load
            # stays within norm: the finding is the person, not the team
            industry = MANUFACTURING if i == 0 else key_industry(rng, government=False)
            zone = "east" if i == 0 else zone_of(key_region(rng))
            same_zone = [p for p in PROVINCE_NAMES if zone_of(p) == zone]
            accounts = [
                self.key_account(P_OVERLOADED, industry, rng.choice(same_zone)) for _ in range(size)
            ]
            for a in accounts:
                a.needs_pool_am = False
            self.overloaded_books.append(accounts)

    def _strategic_accounts(self) -> None:
        """Strategic accounts with their key branches."""
        rng = self.rng
        n_strat_no_am = min(self.want[P_STRAT_NO_AM], self.counts[Tier.STRATEGIC] - 1)
        branch_budget = int(self.key_left * 0.4)
        for i in range(self.counts[Tier.STRATEGIC]):
            industry = key_industry(rng)
            region = key_region(rng)
            plant = P_STRAT_NO_AM if i < n_strat_no_am else CLEAN
            acc = Account(Tier.STRATEGIC, industry, region, plant, team=ka_team(industry, region))
            acc.n_contacts = rng.randint(100, 290)
            acc.third_parties = rng.randint(2, 5)
            acc.hidden = True
            acc.needs_pool_am = False
            if industry != GOVERNMENT:
                for _ in range(min(rng.randint(2, 5), branch_budget)):
                    branch_budget -= 1
                    self.key_left -= 1
                    acc.branches.append(branch_of(rng, acc))
            self.strategic.append(acc)
            self.groups.append(acc)

    def _clean_key_accounts(self) -> None:
        """Clean key accounts fill the rest of the key budget, some with key branches."""
        rng = self.rng
        while self.key_left > 0:
            hq = self.key_account(CLEAN, key_industry(rng))
            if hq.industry != GOVERNMENT and self.key_left >= 1 and rng.random() < 0.12:
                for _ in range(min(rng.randint(1, 2), self.key_left)):
                    self.key_left -= 1
                    hq.branches.append(branch_of(rng, hq))

    def _gap_customers(self) -> None:
        """Gap customers (in the uncovered region); the credit union first."""
        rng = self.rng
        for i in range(self.want[P_GAP]):
            tier = Tier.MID if i % 4 == 3 and self.mid_left > 0 else Tier.SMALL
            if (self.small_left if tier is Tier.SMALL else self.mid_left) < 1:
                break
            if tier is Tier.SMALL:
                self.small_left -= 1
            else:
                self.mid_left -= 1
            industry = FINANCE if i == 0 else pick_weighted(rng, BROAD_IND, BROAD_IND_CUM)
            gap = Account(tier, industry, UNCOVERED_REGION, P_GAP, needs_pool_am=False)
            gap.n_contacts = rng.randint(1, 2) if tier is Tier.SMALL else rng.randint(3, 6)
            gap.name = CREDIT_UNION_NAME if i == 0 else broad_name(rng, industry, UNCOVERED_REGION)
            self.gaps.append(gap)

    def _teams_for_accounts_without_am(self) -> None:
        """Accounts without a named AM go to teams that have AMs (a team with no AMs at all
        would be a second, unplanned finding)."""
        rng = self.rng
        models = [
            a
            for a in self.groups
            if a.tier is Tier.KEY
            and a.plant == CLEAN
            and a.parent is None
            and a.industry != GOVERNMENT
        ]
        for acc in self.groups:
            if acc.plant in (P_NO_AM, P_STRAT_NO_AM) and models:
                model = rng.choice(models)
                acc.industry, acc.region, acc.team = model.industry, model.region, model.team
                for branch in acc.branches:
                    branch.team = acc.team
                    if branch.region == acc.region:
                        branch.region = rng.choice([p for p in PROVINCE_NAMES if p != acc.region])

    def _overlays(self) -> None:
        """Solution overlays: one or two on every strategic account, one on some key ones."""
        rng = self.rng
        for acc in walk(self.groups):
            if acc.tier is Tier.STRATEGIC:
                options = [s for s in SOLUTIONS if not s[2] or acc.industry in s[2]]
                for sol in rng.sample(options, min(len(options), rng.randint(1, 2))):
                    acc.overlays.append((sol[0], ""))
            elif (
                acc.tier is Tier.KEY
                and acc.plant in (CLEAN, P_OVERLOADED)
                and acc.parent is None
                and rng.random() < 0.2
            ):
                options = [s for s in SOLUTIONS if not s[2] or acc.industry in s[2]]
                acc.overlays.append((rng.choice(options)[0], ""))

    def _ids_and_names(self) -> int:
        """Ids and names, in a shuffled account order; returns the last customer number."""
        rng = self.rng
        rng.shuffle(self.groups)
        number = 0
        for hq in self.groups:
            for acc in (hq, *hq.branches):
                number += 1
                acc.cid = f"C{number:07d}"
                if not acc.name:
                    acc.name = account_name(rng, acc)
        for i, gap in enumerate(self.gaps):
            number += 1
            gap.cid = f"C{number:07d}"
            if i == 0:
                gap.name = CREDIT_UNION_NAME
        for i, acc in enumerate(a for a in self.groups if a.plant == P_CONFLICT_BANK):
            if i == 0:
                acc.name = CONFLICT_BANK_NAME
        return number
