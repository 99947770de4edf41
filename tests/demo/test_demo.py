"""The demo generator: deterministic, streaming, valid, realistic, and every planted problem is
really there (checked from the generated records, not from the generator's plan), while every
customer outside the manifest is clean as ``graph.demo.generate`` documents."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import networkx as nx
import pytest

from graph.demo.generate import DEMO_TODAY, DemoManifest, generate, manifest, tier_counts
from graph.model import (
    HIERARCHIES,
    Contact,
    ContactKind,
    ContactReportsTo,
    Coverage,
    CoverageRole,
    Customer,
    DecisionRole,
    Employee,
    EmployeeReportsTo,
    HolderKind,
    Influence,
    Membership,
    Record,
    RecordKind,
    Relationship,
    Team,
    TeamKind,
    Tier,
)
from graph.store.base import ChangeSet, Store
from graph.store.validation import validate_changes

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")
NAMED_KINDS = {TeamKind.KEY_ACCOUNT, TeamKind.GOVERNMENT}
KEY_ROLES = {DecisionRole.DECISION_MAKER, DecisionRole.ECONOMIC_BUYER, DecisionRole.TECHNICAL_BUYER}


@cache
def batches(
    customers: int, seed: int = 7, batch_size: int = 5000
) -> tuple[tuple[Record, ...], ...]:
    return tuple(tuple(b) for b in generate(customers, seed, batch_size=batch_size))


@dataclass
class Demo:
    """The generated records indexed the way a coverage analysis would look at them."""

    customers: dict[str, Customer] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)
    employees: dict[str, Employee] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    team_of: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    coverage: dict[str, list[Coverage]] = field(default_factory=lambda: defaultdict(list))
    relationships: dict[str, list[Relationship]] = field(default_factory=lambda: defaultdict(list))
    influence_degree: Counter[str] = field(default_factory=Counter)
    influence_out: Counter[str] = field(default_factory=Counter)
    contacts_of: dict[str, list[Contact]] = field(default_factory=lambda: defaultdict(list))
    records: list[Record] = field(default_factory=list)

    def owners(self, cid: str, holder: HolderKind) -> list[Coverage]:
        return [
            c
            for c in self.coverage[cid]
            if c.role is CoverageRole.OWNER and c.holder_kind is holder
        ]

    def territory_teams(self, region: str) -> list[str]:
        return [
            t.id
            for t in self.teams.values()
            if t.team_kind is TeamKind.REGIONAL and region in t.regions
        ]

    def owner_teams(self, cid: str) -> set[str]:
        """Explicit owner teams (team links, and the teams of named AMs); the regional team of
        the territory when no key-account or government team owns the customer."""
        teams = {c.holder_id for c in self.owners(cid, HolderKind.TEAM)}
        for c in self.owners(cid, HolderKind.EMPLOYEE):
            teams.update(t for t, _ in self.team_of[c.holder_id])
        if not any(self.teams[t].team_kind in NAMED_KINDS for t in teams):
            teams.update(self.territory_teams(self.customers[cid].region))
        return teams

    def owner_credit(self, cid: str) -> float:
        return sum(c.credit_share for c in self.coverage[cid] if c.role is CoverageRole.OWNER)

    def named_books(self) -> Counter[str]:
        return Counter(
            c.holder_id
            for covs in self.coverage.values()
            for c in covs
            if c.role is CoverageRole.OWNER and c.holder_kind is HolderKind.EMPLOYEE
        )

    def knowers(self, contact: str) -> set[str]:
        return {r.employee_id for r in self.relationships[contact]}


@cache
def demo(customers: int, seed: int = 7) -> Demo:
    d = Demo()
    for batch in batches(customers, seed):
        for r in batch:
            d.records.append(r)
            if isinstance(r, Customer):
                d.customers[r.id] = r
            elif isinstance(r, Contact):
                d.contacts[r.id] = r
                d.contacts_of[r.customer_id].append(r)
            elif isinstance(r, Employee):
                d.employees[r.id] = r
            elif isinstance(r, Team):
                d.teams[r.id] = r
            elif isinstance(r, Membership):
                d.team_of[r.employee_id].append((r.team_id, r.role))
            elif isinstance(r, Coverage):
                d.coverage[r.customer_id].append(r)
            elif isinstance(r, Relationship):
                d.relationships[r.contact_id].append(r)
            elif isinstance(r, Influence):
                d.influence_degree[r.source_id] += 1
                d.influence_degree[r.target_id] += 1
                d.influence_out[r.source_id] += 1
    return d


def planted_customers(m: DemoManifest) -> set[str]:
    return set().union(
        m.gap_customers,
        m.conflict_customers,
        m.inflation_customers,
        m.strategic_without_dedicated_am,
        m.key_without_named_am,
        m.key_left_to_regional,
        m.uncovered_branches,
        m.hq_branch_conflicts,
        m.single_threaded_customers,
        m.inactive_owner_customers,
    )


# ------------------------------------------------------------------ determinism and streaming


def test_same_seed_yields_identical_batches() -> None:
    first = [list(b) for b in generate(400, seed=11, batch_size=700)]
    second = [list(b) for b in generate(400, seed=11, batch_size=700)]
    assert first == second
    assert manifest(400, seed=11) == manifest(400, seed=11)


def test_output_does_not_depend_on_the_process_hash_seed() -> None:
    script = (
        "import hashlib\n"
        "from graph.demo.generate import generate\n"
        "h = hashlib.sha256()\n"
        "for b in generate(500, 5, batch_size=900):\n"
        "    h.update(repr([r.model_dump(mode='json') for r in b]).encode())\n"
        "print(h.hexdigest())\n"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            cwd=ROOT,
        ).stdout
        for hash_seed in ("1", "2")
    }
    assert len(digests) == 1


def test_manifest_of_a_million_customers_is_computed_from_the_plan_alone() -> None:
    m = manifest(1_000_000)
    assert m.customers_by_tier == {"strategic": 2000, "key": 30000, "mid": 150000, "small": 818000}
    assert len(m.hidden_influencers) == len(m.strategic_customers) == 2000
    assert len(m.overloaded_account_managers) == 10 and len(m.single_threaded_customers) == 100


def test_another_seed_yields_different_data() -> None:
    a = [r for b in batches(300, 7) for r in b if isinstance(r, Customer)]
    b = [r for b in batches(300, 8) for r in b if isinstance(r, Customer)]
    assert len(a) == len(b) == 300
    assert [c.name for c in a] != [c.name for c in b]


def test_every_reference_resolves_to_the_same_or_an_earlier_batch() -> None:
    seen: dict[RecordKind, set[str]] = defaultdict(set)
    for batch in batches(1500, 7, 2000):
        for r in batch:
            seen[r.kind].add(r.key)
        for r in batch:
            for ref in r.refs():
                assert ref.key in seen[ref.kind], f"{r.label()} -> {ref}"


def test_records_come_in_dependency_order_within_the_stream() -> None:
    """Teams and employees first; a customer's HQ before it; a contact's customer before it."""
    seen: dict[RecordKind, set[str]] = defaultdict(set)
    first_customer_at = None
    for i, r in enumerate(r for b in batches(1500) for r in b):
        if isinstance(r, Customer) and first_customer_at is None:
            first_customer_at = i
        if isinstance(r, Team | Employee):
            assert first_customer_at is None
        for ref in r.refs():
            assert ref.key in seen[ref.kind], f"{r.label()} before its {ref}"
        seen[r.kind].add(r.key)


def test_every_batch_passes_graph_validation_given_the_batches_before_it() -> None:
    seen: dict[RecordKind, set[str]] = defaultdict(set)
    parents: dict[RecordKind, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for batch in batches(1500, 7, 2000):
        errors = validate_changes(
            ChangeSet(upserts=list(batch)),
            lambda kind, keys: {k for k in keys if k in seen[kind]},
            lambda kind, keys: {k: parents[kind][k] for k in keys if k in parents[kind]},
        )
        assert errors == []
        for r in batch:
            seen[r.kind].add(r.key)
            if r.kind in HIERARCHIES:
                child_f, parent_f = HIERARCHIES[r.kind]
                if getattr(r, parent_f):
                    parents[r.kind][getattr(r, child_f)].append(getattr(r, parent_f))


def test_record_keys_are_unique() -> None:
    keys = Counter((r.kind, r.key) for r in demo(1500).records)
    assert [k for k, n in keys.items() if n > 1] == []


def test_hierarchies_are_acyclic() -> None:
    d = demo(1500)
    graphs: dict[RecordKind, nx.DiGraph] = defaultdict(nx.DiGraph)
    for r in d.records:
        if r.kind in HIERARCHIES:
            child_f, parent_f = HIERARCHIES[r.kind]
            if getattr(r, parent_f):
                graphs[r.kind].add_edge(getattr(r, child_f), getattr(r, parent_f))
    assert set(graphs) == set(HIERARCHIES)  # every hierarchy is exercised
    for kind, g in graphs.items():
        assert nx.is_directed_acyclic_graph(g), kind


def test_streaming_100k_customers_keeps_every_batch_within_batch_size() -> None:
    sizes = []
    customers = 0
    for batch in generate(100_000, seed=3, batch_size=5000):
        sizes.append(len(batch))
        customers += sum(1 for r in batch if isinstance(r, Customer))
    assert customers == 100_000
    assert max(sizes) == 5000
    assert all(0 < s <= 5000 for s in sizes)


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError):
        next(generate(9))
    with pytest.raises(ValueError):
        next(generate(100, batch_size=0))


# ------------------------------------------------------------------ realism


def test_tier_proportions_follow_the_domain_at_20000_customers() -> None:
    tiers = Counter(r.tier for b in generate(20_000) for r in b if isinstance(r, Customer))
    n = 20_000
    assert tiers[Tier.STRATEGIC] == 40  # 0.2%
    assert tiers[Tier.KEY] == 600  # 3%
    assert tiers[Tier.MID] == 3000  # 15%
    assert tiers[Tier.SMALL] == n - 40 - 600 - 3000
    assert {t.value: c for t, c in tiers.items()} == manifest(n).customers_by_tier


@pytest.mark.parametrize("customers", [10, 50, 300])
def test_manifest_tier_counts_match_the_generated_customers(customers: int) -> None:
    tiers = Counter(c.tier.value for c in demo(customers).customers.values())
    assert dict(tiers) == manifest(customers).customers_by_tier
    assert sum(tiers.values()) == customers
    assert tiers["strategic"] >= (3 if customers >= 50 else 1)
    assert tier_counts(customers)[Tier.STRATEGIC] == tiers["strategic"]


def test_contact_counts_scale_with_tier() -> None:
    d = demo(1500)
    by_tier: dict[Tier, list[int]] = defaultdict(list)
    for cid, c in d.customers.items():
        by_tier[c.tier].append(len(d.contacts_of[cid]))
    assert all(100 <= n <= 300 for n in by_tier[Tier.STRATEGIC])
    assert all(10 <= n <= 50 for n in by_tier[Tier.KEY])
    assert all(3 <= n <= 6 for n in by_tier[Tier.MID])
    assert all(1 <= n <= 2 for n in by_tier[Tier.SMALL])


def test_the_organisation_has_29_regional_offices_and_every_team_kind() -> None:
    d = demo(300)
    offices = [t for t in d.teams.values() if t.team_kind is TeamKind.REGIONAL and t.regions]
    assert len(offices) == 29
    regions = [r for t in offices for r in t.regions]
    assert len(regions) == len(set(regions)) == 31  # disjoint, every province
    assert {t.team_kind for t in d.teams.values()} == set(TeamKind)
    assert len([t for t in d.teams.values() if t.team_kind is TeamKind.GOVERNMENT]) == 1
    assert {"云计算解决方案", "数据分析解决方案"} <= {t.name for t in d.teams.values()}


def test_reporting_lines_include_dotted_lines_to_regional_key_account_directors() -> None:
    d = demo(300)
    dotted = [r for r in d.records if isinstance(r, EmployeeReportsTo) and r.line.value == "dotted"]
    assert dotted
    for r in dotted:
        assert "team-reg-" in d.team_of[r.employee_id][0][0]
        assert d.team_of[r.manager_id][0][1] == "regional_ka_director"


def test_strategic_accounts_have_branches_in_other_provinces() -> None:
    d = demo(1500)
    for cid in manifest(1500).strategic_customers:
        if d.customers[cid].industry == "政府":
            continue
        branches = [c for c in d.customers.values() if c.parent_id == cid]
        assert branches and all(b.region != d.customers[cid].region for b in branches)


def test_chinese_and_latin_names_appear() -> None:
    d = demo(1500)
    for names in (
        [c.name for c in d.customers.values()],
        [c.name for c in d.contacts.values()],
        [e.name for e in d.employees.values()],
    ):
        assert sum(bool(CJK.search(n)) for n in names) > len(names) / 2
    assert any(re.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+", e.name) for e in d.employees.values())
    assert any(re.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+", c.name) for c in d.contacts.values())


def test_third_parties_and_stale_relationships_exist() -> None:
    d = demo(1500)
    kinds = {c.contact_kind for c in d.contacts.values()}
    assert {ContactKind.CONSULTANT, ContactKind.INTEGRATOR} <= kinds
    touches = [r.last_touch for rs in d.relationships.values() for r in rs]
    assert all(t is not None and t <= DEMO_TODAY for t in touches)
    assert any((DEMO_TODAY - t).days > 180 for t in touches if t)


# ------------------------------------------------------------------ planted problems


@pytest.mark.parametrize("customers", [200, 300, 2000])
def test_every_planted_problem_is_present_from_200_customers(customers: int) -> None:
    m = manifest(customers)
    for name, value in vars(m).items():
        if isinstance(value, tuple):
            assert value, name
    d = demo(customers) if customers == 300 else None
    if d is not None:
        for cid in planted_customers(m) | set(m.overlay_customers):
            assert cid in d.customers
        for eid in m.overloaded_account_managers + m.inactive_owners:
            assert eid in d.employees
        for contact in m.hidden_influencers:
            assert contact in d.contacts


@pytest.fixture(params=[300, 2000])
def planted(request: pytest.FixtureRequest) -> tuple[Demo, DemoManifest]:
    return demo(request.param), manifest(request.param)


def test_gap_customers_have_no_coverage_and_no_territory(
    planted: tuple[Demo, DemoManifest],
) -> None:
    d, m = planted
    for cid in m.gap_customers:
        assert d.coverage[cid] == []
        assert d.territory_teams(d.customers[cid].region) == []
        assert d.owner_teams(cid) == set()
    union = d.customers[m.credit_union]
    assert (union.name, union.tier, union.industry) == ("雄县农村信用合作社", Tier.SMALL, "金融")


def test_conflict_customers_have_several_owner_teams(planted: tuple[Demo, DemoManifest]) -> None:
    d, m = planted
    for cid in m.conflict_customers:
        assert len(d.owner_teams(cid)) >= 2
    bank = d.customers[m.conflict_bank]
    assert bank.name == "江南联合银行股份有限公司" and bank.industry == "金融"
    kinds = {d.teams[t].team_kind for t in d.owner_teams(bank.id)}
    assert kinds == {TeamKind.REGIONAL, TeamKind.KEY_ACCOUNT}
    assert any(d.teams[t].industry == "金融" for t in d.owner_teams(bank.id))


def test_inflation_customers_count_owner_credit_above_one(
    planted: tuple[Demo, DemoManifest],
) -> None:
    d, m = planted
    for cid in m.inflation_customers:
        assert d.owner_credit(cid) > 1.0
    only_inflated = set(m.inflation_customers) - set(m.conflict_customers)
    assert only_inflated
    for cid in only_inflated:
        assert len(d.owner_teams(cid)) == 1


def test_overlay_customers_have_solution_team_dual_credit(
    planted: tuple[Demo, DemoManifest],
) -> None:
    d, m = planted
    assert set(m.strategic_customers) <= set(m.overlay_customers)
    for cid in m.overlay_customers:
        overlays = [
            c
            for c in d.coverage[cid]
            if c.role is CoverageRole.OVERLAY and c.holder_kind is HolderKind.TEAM
        ]
        assert overlays and all(
            d.teams[c.holder_id].team_kind is TeamKind.SOLUTION for c in overlays
        )
        assert all(c.credit_share == 1.0 for c in overlays)
    with_overlay = {
        cid for cid, covs in d.coverage.items() if any(c.role is CoverageRole.OVERLAY for c in covs)
    }
    assert with_overlay == set(m.overlay_customers)


def test_overloaded_account_managers_own_far_more_than_ten_key_accounts(
    planted: tuple[Demo, DemoManifest],
) -> None:
    d, m = planted
    books = d.named_books()
    for eid in m.overloaded_account_managers:
        key = [
            c
            for covs in d.coverage.values()
            for c in covs
            if c.holder_id == eid
            and c.role is CoverageRole.OWNER
            and d.customers[c.customer_id].tier is Tier.KEY
        ]
        assert len(key) >= 14
        assert d.team_of[eid][0][1] == "account_manager"
    others = {e: n for e, n in books.items() if e not in m.overloaded_account_managers}
    assert max(others.values()) <= 6


def test_strategic_without_dedicated_am_have_no_named_owner(
    planted: tuple[Demo, DemoManifest],
) -> None:
    d, m = planted
    books = d.named_books()
    for cid in m.strategic_customers:
        named = d.owners(cid, HolderKind.EMPLOYEE)
        if cid in m.strategic_without_dedicated_am:
            assert named == []
            assert len(d.owners(cid, HolderKind.TEAM)) == 1
        else:
            assert len(named) == 1 and books[named[0].holder_id] == 1


def test_key_without_named_am_are_owned_by_a_team_only(planted: tuple[Demo, DemoManifest]) -> None:
    d, m = planted
    for cid in m.key_without_named_am:
        assert d.customers[cid].tier is Tier.KEY
        assert d.owners(cid, HolderKind.EMPLOYEE) == []
        assert [d.teams[c.holder_id].team_kind for c in d.owners(cid, HolderKind.TEAM)] in (
            [TeamKind.KEY_ACCOUNT],
            [TeamKind.GOVERNMENT],
        )


def test_key_left_to_regional_are_owned_by_their_regional_office_only(
    planted: tuple[Demo, DemoManifest],
) -> None:
    d, m = planted
    for cid in m.key_left_to_regional:
        c = d.customers[cid]
        assert c.tier is Tier.KEY
        assert d.owner_teams(cid) == set(d.territory_teams(c.region))


def test_uncovered_branches_belong_to_owned_hqs_but_nobody_owns_them(
    planted: tuple[Demo, DemoManifest],
) -> None:
    d, m = planted
    for cid in m.uncovered_branches:
        branch = d.customers[cid]
        assert branch.parent_id and d.owner_teams(branch.parent_id)
        assert d.owner_teams(cid) == set()
        assert cid in m.gap_customers


def test_hq_branch_conflicts_are_owned_by_another_team_than_their_hq(
    planted: tuple[Demo, DemoManifest],
) -> None:
    d, m = planted
    for cid in m.hq_branch_conflicts:
        branch = d.customers[cid]
        assert branch.parent_id
        mine, hq = d.owner_teams(cid), d.owner_teams(branch.parent_id)
        assert len(mine) == 1 and len(hq) == 1 and mine != hq


def test_single_threaded_accounts_are_known_by_one_person_only(
    planted: tuple[Demo, DemoManifest],
) -> None:
    d, m = planted
    for cid in m.single_threaded_customers:
        assert d.customers[cid].tier in (Tier.KEY, Tier.STRATEGIC)
        knowers = set().union(*(d.knowers(c.id) for c in d.contacts_of[cid]))
        assert len(knowers) == 1


def test_hidden_influencers_have_modest_titles_and_many_influence_links(
    planted: tuple[Demo, DemoManifest],
) -> None:
    d, m = planted
    for contact in m.hidden_influencers:
        c = d.contacts[contact]
        assert c.level >= 6
        assert d.influence_out[contact] >= 10
        assert d.relationships[contact] == []
    hidden = set(m.hidden_influencers)
    for c in d.contacts.values():
        if c.level > 3 and c.id not in hidden:
            assert d.influence_degree[c.id] == 0, c


def test_inactive_owners_still_own_accounts_next_to_their_replacement(
    planted: tuple[Demo, DemoManifest],
) -> None:
    d, m = planted
    for eid in m.inactive_owners:
        assert not d.employees[eid].active
        assert d.team_of[eid]  # still a member of the owning team
    for cid in m.inactive_owner_customers:
        named = [d.employees[c.holder_id] for c in d.owners(cid, HolderKind.EMPLOYEE)]
        assert sorted(e.active for e in named) == [False, True]


# ------------------------------------------------------------------ the clean contract


@pytest.mark.parametrize(("customers", "seed"), [(2000, 7), (1500, 99)])
def test_every_customer_outside_the_manifest_is_clean(customers: int, seed: int) -> None:
    d, m = demo(customers, seed), manifest(customers, seed)
    planted = planted_customers(m)
    books = d.named_books()
    checked = Counter[str]()
    for cid, c in d.customers.items():
        if cid in planted:
            continue
        covs = d.coverage[cid]
        assert all(x.credit_share == 0 for x in covs if x.role is CoverageRole.SUPPORT)
        if c.tier in (Tier.STRATEGIC, Tier.KEY):
            teams = d.owners(cid, HolderKind.TEAM)
            named = d.owners(cid, HolderKind.EMPLOYEE)
            assert len(teams) == 1 and teams[0].credit_share == 1.0, cid
            assert d.teams[teams[0].holder_id].team_kind in NAMED_KINDS
            assert len(named) == 1 and named[0].credit_share == 0.0, cid
            am = named[0].holder_id
            assert d.employees[am].active
            assert d.team_of[am] == [(teams[0].holder_id, "account_manager")]
            if c.tier is Tier.STRATEGIC:
                assert books[am] == 1
            elif am not in m.overloaded_account_managers:
                assert books[am] <= 6
            assert d.owner_credit(cid) == 1.0
            key_contacts = [
                x
                for x in d.contacts_of[cid]
                if x.contact_kind is ContactKind.CUSTOMER and x.decision_role in KEY_ROLES
            ]
            assert key_contacts
            for x in key_contacts:
                knowers = d.knowers(x.id)
                assert len(knowers) >= 2 and all(d.employees[e].active for e in knowers), x.id
        else:
            assert [x for x in covs if x.role is not CoverageRole.SUPPORT] == []
            assert len(d.territory_teams(c.region)) == 1
        if c.parent_id:
            assert d.owner_teams(cid) == d.owner_teams(c.parent_id), cid
        checked[c.tier.value] += 1
    assert all(checked[t.value] > 0 for t in Tier)
    for cid in m.overlay_customers:
        if cid not in planted:
            assert len(d.owner_teams(cid)) == 1


# ------------------------------------------------------------------ what the analyses find


@pytest.mark.parametrize(
    ("customers", "seed"), [(60, 1), (150, 9), (300, 7), (2000, 7), (1500, 99)]
)
def test_the_coverage_report_finds_exactly_the_planted_problems(customers: int, seed: int) -> None:
    """The coverage analyses with the default policy flag the manifest's ids and nothing else."""
    from graph.coverage.gaps import GapKind
    from graph.coverage.report import report_from_records

    m = manifest(customers, seed)
    report = report_from_records(demo(customers, seed).records)
    gaps = report.gaps
    assert gaps.customer_ids(GapKind.NO_OWNER) == sorted(m.gap_customers)
    assert gaps.customer_ids(GapKind.OWNER_KIND_MISFIT) == sorted(m.key_left_to_regional)
    assert gaps.customer_ids(GapKind.KEY_WITHOUT_NAMED_AM) == sorted(m.key_without_named_am)
    assert gaps.customer_ids(GapKind.STRATEGIC_WITHOUT_DEDICATED_AM) == sorted(
        m.strategic_without_dedicated_am
    )
    assert gaps.customer_ids(GapKind.INACTIVE_OWNER) == sorted(m.inactive_owner_customers)
    assert report.conflicts.customer_ids() == sorted(m.conflict_customers)
    assert report.credit.inflation_ids() == sorted(m.inflation_customers)
    assert sorted({o.customer_id for o in report.credit.allowed_overlays}) == sorted(
        m.overlay_customers
    )
    assert report.credit.disallowed_overlays == ()
    assert sorted(p.employee_id for p in report.capacity.overloaded) == sorted(
        m.overloaded_account_managers
    )
    assert report.capacity.idle == ()
    assert [t.team_id for t in report.capacity.teams if t.status.value != "ok"] == []
    assert sorted(b.branch_id for b in report.hierarchy.uncovered_branches) == sorted(
        m.uncovered_branches
    )
    assert sorted(c.branch_id for c in report.hierarchy.conflicts) == sorted(m.hq_branch_conflicts)


@pytest.mark.parametrize(("customers", "seed"), [(2000, 7), (1500, 99)])
def test_political_map_analyses_find_exactly_the_planted_influencers_and_single_threads(
    customers: int,
    seed: int,
) -> None:
    """Key-contact ranking flags exactly the planted hidden influencers; relationship coverage
    calls exactly the planted accounts single-threaded (strategic and key accounts)."""
    from graph.accounts.key_contacts import rank_key_contacts
    from graph.accounts.map_graph import AccountRecords, build_map_graph
    from graph.accounts.relationship_coverage import relationship_coverage

    d, m = demo(customers, seed), manifest(customers, seed)
    reports: dict[str, list[ContactReportsTo]] = defaultdict(list)
    influences: dict[str, list[Influence]] = defaultdict(list)
    for r in d.records:
        if isinstance(r, ContactReportsTo):
            reports[d.contacts[r.contact_id].customer_id].append(r)
        elif isinstance(r, Influence):
            influences[d.contacts[r.source_id].customer_id].append(r)
    employees = list(d.employees.values())
    hidden: set[str] = set()
    single: set[str] = set()
    for cid, c in d.customers.items():
        if c.tier not in (Tier.STRATEGIC, Tier.KEY):
            continue
        contacts = d.contacts_of[cid]
        rels = [r for x in contacts for r in d.relationships[x.id]]
        g = build_map_graph(
            AccountRecords(cid, [c], contacts, reports[cid], influences[cid], rels, employees)
        )
        ranking = rank_key_contacts(g)
        hidden.update(k.contact_id for k in ranking.hidden_influencers)
        if relationship_coverage(g, ranking, DEMO_TODAY).single_threaded:
            single.add(cid)
    assert hidden == set(m.hidden_influencers)
    assert single == set(m.single_threaded_customers)


# ------------------------------------------------------------------ into a store


def test_demo_loads_into_the_store_with_matching_counts(store: Store) -> None:
    expected: Counter[RecordKind] = Counter()
    for batch in generate(300, batch_size=1500):
        store.write(ChangeSet(upserts=batch))
        expected.update(r.kind for r in batch)
    assert expected[RecordKind.CUSTOMER] == 300
    for kind, n in expected.items():
        assert store.count(kind) == n, kind
    m = manifest(300)
    bank = store.get(RecordKind.CUSTOMER, m.conflict_bank)
    assert isinstance(bank, Customer) and bank.name == "江南联合银行股份有限公司"


def test_every_record_kind_is_generated() -> None:
    assert {r.kind for r in demo(300).records} == set(RecordKind)
