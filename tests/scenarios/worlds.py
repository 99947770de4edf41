"""A small org checkable by eye, for scenario tests.

Teams: regional R-N (region north) and R-S (south), key-account KA-FIN (finance) and KA-MFG
(manufacturing), solution SOL. People: am-fin1, am-fin2 (KA-FIN), am-mfg (KA-MFG), rs-n (R-N),
rs-s (R-S), sol-1 (SOL), all account managers except sol-1; lead-n leads R-N.

Customers and what is wrong with them today:

* ``bank-n`` key finance bank in the north, revenue 1000: owned by am-fin1 (0.5) AND by the
  regional team R-N (0.5): a **conflict** between the regional and the industry team.
* ``bank-s`` key finance bank in the south, revenue 800: am-fin2. Fine.
* ``plant-n`` key manufacturing plant in the north, 600: owned by R-N explicitly: a key account
  left to a regional team (**owner_kind_misfit**).
* ``pump-s`` key manufacturing in the south, 400: owned by team KA-MFG without a named AM
  (**key_without_named_am**).
* ``mill-n`` mid manufacturing in the north, 200: territory R-N, SOL overlay at full credit
  (intended dual credit: 200 counted twice, allowed).
* ``shop-s`` small retail in the south, 50: territory R-S.
* ``shop-w`` small retail in the west, 30: no regional team covers the west (**no_owner**).
* ``grid`` strategic energy in the north, 5000: am-mfg, dedicated.
* ``rail`` strategic energy in the south, 3000: owned by team KA without a named AM
  (**strategic_without_dedicated_am**).

Contacts at bank-n: c-cio (decision maker, known only by am-fin1) and c-it (user, known by rs-n).
"""

from __future__ import annotations

from graph.model import (
    Contact,
    Coverage,
    CoverageRole,
    Customer,
    DecisionRole,
    Employee,
    EmployeeReportsTo,
    HolderKind,
    Membership,
    Record,
    RecordKind,
    Relationship,
    RelationshipStrength,
    ReportingLine,
    Team,
    TeamKind,
    Tier,
)
from graph.scenarios.spec import Scenario, parse_scenario

AM = "account_manager"


def team_cov(
    team: str, customer: str, role: CoverageRole = CoverageRole.OWNER, share: float = 1.0
) -> Coverage:
    return Coverage(
        holder_kind=HolderKind.TEAM,
        holder_id=team,
        customer_id=customer,
        role=role,
        credit_share=share,
    )


def emp_cov(
    emp: str, customer: str, role: CoverageRole = CoverageRole.OWNER, share: float = 1.0
) -> Coverage:
    return Coverage(
        holder_kind=HolderKind.EMPLOYEE,
        holder_id=emp,
        customer_id=customer,
        role=role,
        credit_share=share,
    )


def world() -> list[Record]:
    teams = [
        Team(id="R-N", name="North region", team_kind=TeamKind.REGIONAL, regions=("north",)),
        Team(id="R-S", name="South region", team_kind=TeamKind.REGIONAL, regions=("south",)),
        Team(id="KA", name="Key accounts", team_kind=TeamKind.KEY_ACCOUNT),
        Team(
            id="KA-FIN",
            name="Finance",
            team_kind=TeamKind.KEY_ACCOUNT,
            industry="finance",
            parent_id="KA",
        ),
        Team(
            id="KA-MFG",
            name="Manufacturing",
            team_kind=TeamKind.KEY_ACCOUNT,
            industry="manufacturing",
            parent_id="KA",
        ),
        Team(id="SOL", name="Solutions", team_kind=TeamKind.SOLUTION),
    ]
    people = ["am-fin1", "am-fin2", "am-mfg", "rs-n", "rs-s", "sol-1", "lead-n"]
    employees = [
        Employee(id=p, name=p.upper(), title="VP" if p == "lead-n" else "AM") for p in people
    ]
    memberships = [
        Membership(employee_id="am-fin1", team_id="KA-FIN", role=AM),
        Membership(employee_id="am-fin2", team_id="KA-FIN", role=AM),
        Membership(employee_id="am-mfg", team_id="KA-MFG", role=AM),
        Membership(employee_id="rs-n", team_id="R-N", role=AM),
        Membership(employee_id="rs-s", team_id="R-S", role=AM),
        Membership(employee_id="sol-1", team_id="SOL", role="specialist"),
        Membership(employee_id="lead-n", team_id="R-N", role="team_lead"),
    ]
    reports = [
        EmployeeReportsTo(employee_id="rs-n", manager_id="lead-n"),
        EmployeeReportsTo(employee_id="rs-s", manager_id="lead-n"),
    ]
    customers = [
        Customer(
            id="bank-n",
            name="North Bank",
            tier=Tier.KEY,
            industry="finance",
            region="north",
            revenue=1000,
        ),
        Customer(
            id="bank-s",
            name="South Bank",
            tier=Tier.KEY,
            industry="finance",
            region="south",
            revenue=800,
        ),
        Customer(
            id="plant-n",
            name="North Plant",
            tier=Tier.KEY,
            industry="manufacturing",
            region="north",
            revenue=600,
        ),
        Customer(
            id="pump-s",
            name="South Pumps",
            tier=Tier.KEY,
            industry="manufacturing",
            region="south",
            revenue=400,
        ),
        Customer(
            id="mill-n",
            name="North Mill",
            tier=Tier.MID,
            industry="manufacturing",
            region="north",
            revenue=200,
        ),
        Customer(
            id="shop-s",
            name="South Shop",
            tier=Tier.SMALL,
            industry="retail",
            region="south",
            revenue=50,
        ),
        Customer(
            id="shop-w",
            name="West Shop",
            tier=Tier.SMALL,
            industry="retail",
            region="west",
            revenue=30,
        ),
        Customer(
            id="grid",
            name="Grid",
            tier=Tier.STRATEGIC,
            industry="energy",
            region="north",
            revenue=5000,
        ),
        Customer(
            id="rail",
            name="Rail",
            tier=Tier.STRATEGIC,
            industry="energy",
            region="south",
            revenue=3000,
        ),
    ]
    coverage = [
        emp_cov("am-fin1", "bank-n", share=0.5),
        team_cov("R-N", "bank-n", share=0.5),
        emp_cov("am-fin2", "bank-s"),
        team_cov("R-N", "plant-n"),
        team_cov("KA-MFG", "pump-s"),
        team_cov("SOL", "mill-n", role=CoverageRole.OVERLAY),
        emp_cov("am-mfg", "grid"),
        team_cov("KA", "rail"),
    ]
    contacts = [
        Contact(
            id="c-cio",
            customer_id="bank-n",
            name="Chen CIO",
            title="CIO",
            decision_role=DecisionRole.DECISION_MAKER,
            level=1,
        ),
        Contact(
            id="c-it",
            customer_id="bank-n",
            name="Wu IT",
            title="IT manager",
            decision_role=DecisionRole.USER,
            level=4,
        ),
    ]
    relationships = [
        Relationship(
            employee_id="am-fin1", contact_id="c-cio", strength=RelationshipStrength.TRUSTED_ADVISOR
        ),
        Relationship(
            employee_id="rs-n", contact_id="c-it", strength=RelationshipStrength.ACQUAINTED
        ),
    ]
    return [
        *teams,
        *employees,
        *memberships,
        *reports,
        *customers,
        *coverage,
        *contacts,
        *relationships,
    ]


def scenario(*changes: dict, sid: str = "s1") -> Scenario:
    return parse_scenario({"id": sid, "name": f"Scenario {sid}", "changes": list(changes)})


def graph_snapshot(store) -> dict[str, list[dict]]:  # type: ignore[no-untyped-def]
    """Every record of every kind as plain data, plus the policy document."""
    from graph.model import record_to_dict

    out = {k.value: [record_to_dict(r) for r in store.scan(k)] for k in RecordKind}
    out["policy"] = [store.get_doc("policy", "current") or {}]
    return out


__all__ = ["ReportingLine", "emp_cov", "graph_snapshot", "scenario", "team_cov", "world"]
