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
  ``account_plan.plant_counts``), and below ~40 customers most regional offices have no customer
  at all.
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

import random
from collections.abc import Iterator
from dataclasses import dataclass

from graph.demo.account_plan import (
    CONFLICT_BANK_NAME,
    DEMO_TODAY,
    P_CONFLICT_BANK,
    P_CONFLICT_SPLIT,
    P_HQ_BRANCH,
    P_INACTIVE,
    P_INFLATION,
    P_LEFT_REGIONAL,
    P_NO_AM,
    P_SINGLE,
    P_STRAT_NO_AM,
    P_UNCOVERED_BRANCH,
    tier_counts,
    walk,
)
from graph.demo.contacts import (
    contact_id,
)
from graph.demo.names import (
    UNCOVERED_REGION,
)
from graph.demo.planning import plan_demo
from graph.demo.records import Batcher, account_records, broad_records, group_records
from graph.model import (
    Record,
    Tier,
)

__all__ = ["DEMO_TODAY", "DemoManifest", "generate", "manifest", "tier_counts"]


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


def generate(
    customers: int = 2000, seed: int = 7, *, batch_size: int = 5000
) -> Iterator[list[Record]]:
    """Stream the demo data set: lists of at most ``batch_size`` records whose references all
    point at records of the same or an earlier list. Deterministic for ``(customers, seed)``."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    plan = plan_demo(customers, seed)
    batcher = Batcher(batch_size)
    yield from batcher.push(list(plan.org.records()))
    for number, hq in enumerate(plan.groups):
        yield from batcher.push(group_records(plan, number, hq))
    for i, gap in enumerate(plan.gaps):
        rng = random.Random(plan.seed * 1_000_003 + len(plan.groups) + i)
        side, links = account_records(rng, gap)
        yield from batcher.push(side + links)
    for records in broad_records(plan):
        yield from batcher.push(records)
    yield from batcher.flush()


def manifest(customers: int = 2000, seed: int = 7) -> DemoManifest:
    """The planted problems of ``generate(customers, seed)``, computed from the plan alone."""
    plan = plan_demo(customers, seed)
    accounts = list(walk(plan.groups))

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
