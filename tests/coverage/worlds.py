"""Small hand-built worlds whose coverage findings can be checked by eye.

``sales_world()``: five teams, a handful of people, and one customer per finding:

* ``cu-gansu`` 甘肃农村信用社: small credit union in 甘肃, a region no regional team covers:
  nobody owns it (gap).
* ``bank-zs`` 招商银行: key account claimed as owner by KA-FIN (named AM am-li, 0.5 credit) and
  by regional team R-SH (0.5 credit): a conflict, no inflation (shares sum to 1).
* ``ins-pa`` 平安保险: key account owned by am-wang AND her own team KA-FIN, each at full
  credit: one owner (no conflict) but owner credit 2.0: inflation.
* ``fac-bj`` 北京机床厂: mid customer in 北京 owned by territory (R-BJ) with solution overlay
  SOL at full credit: legitimate dual credit, listed not flagged.
* ``k01``..``k11``: eleven key accounts held by am-busy: overloaded (norm max 10).
* ``hq-grp`` 华北集团 (key, am-li) with branches ``br-gansu`` (甘肃, nobody: uncovered branch of a
  covered HQ, and a gap) and ``br-bj`` (北京, territory R-BJ while the HQ is with KA-FIN: an
  HQ-branch conflict).
* ``st-one``: strategic account with a dedicated AM am-zhao.
* am-idle: an account manager of KA-RET (no customers) with an empty book: idle. rs-chen of
  R-BJ has no named account but works the 北京 territory: not idle.
"""

from __future__ import annotations

import datetime as dt

from graph.model import (
    Coverage,
    CoverageRole,
    Customer,
    Employee,
    HolderKind,
    Membership,
    Record,
    Team,
    TeamKind,
    Tier,
)

AM = "account_manager"


def team_cov(
    team: str,
    customer: str,
    role: CoverageRole = CoverageRole.OWNER,
    share: float = 1.0,
    since: dt.date | None = None,
) -> Coverage:
    return Coverage(
        holder_kind=HolderKind.TEAM,
        holder_id=team,
        customer_id=customer,
        role=role,
        credit_share=share,
        since=since,
    )


def emp_cov(
    emp: str,
    customer: str,
    role: CoverageRole = CoverageRole.OWNER,
    share: float = 1.0,
    since: dt.date | None = None,
) -> Coverage:
    return Coverage(
        holder_kind=HolderKind.EMPLOYEE,
        holder_id=emp,
        customer_id=customer,
        role=role,
        credit_share=share,
        since=since,
    )


def org_records() -> list[Record]:
    teams = [
        Team(id="R-BJ", name="北京区域", team_kind=TeamKind.REGIONAL, regions=("北京",)),
        Team(id="R-SH", name="上海区域", team_kind=TeamKind.REGIONAL, regions=("上海",)),
        Team(id="KA", name="大客户部", team_kind=TeamKind.KEY_ACCOUNT),
        Team(
            id="KA-FIN",
            name="金融行业部",
            team_kind=TeamKind.KEY_ACCOUNT,
            industry="finance",
            parent_id="KA",
        ),
        Team(id="SOL", name="解决方案部", team_kind=TeamKind.SOLUTION),
        Team(
            id="KA-RET",
            name="零售行业部",
            team_kind=TeamKind.KEY_ACCOUNT,
            industry="retail",
            parent_id="KA",
        ),
    ]
    people = ["am-li", "am-wang", "am-busy", "am-zhao", "am-idle", "rs-chen", "sol-xu"]
    employees = [Employee(id=p, name=p) for p in people]
    memberships = [
        Membership(employee_id="am-li", team_id="KA-FIN", role=AM),
        Membership(employee_id="am-wang", team_id="KA-FIN", role=AM),
        Membership(employee_id="am-busy", team_id="KA-FIN", role=AM),
        Membership(employee_id="am-zhao", team_id="KA", role=AM),
        Membership(employee_id="am-idle", team_id="KA-RET", role=AM),
        Membership(employee_id="rs-chen", team_id="R-BJ", role=AM),
        Membership(employee_id="sol-xu", team_id="SOL", role="specialist"),
    ]
    return [*teams, *employees, *memberships]


def sales_world() -> list[Record]:
    customers = [
        Customer(
            id="cu-gansu",
            name="甘肃农村信用社",
            tier=Tier.SMALL,
            industry="finance",
            region="甘肃",
            revenue=5,
            potential=20,
        ),
        Customer(
            id="bank-zs",
            name="招商银行",
            tier=Tier.KEY,
            industry="finance",
            region="上海",
            revenue=1000,
            potential=3000,
        ),
        Customer(
            id="ins-pa",
            name="平安保险",
            tier=Tier.KEY,
            industry="finance",
            region="上海",
            revenue=800,
            potential=900,
        ),
        Customer(
            id="fac-bj",
            name="北京机床厂",
            tier=Tier.MID,
            industry="manufacturing",
            region="北京",
            revenue=300,
            potential=100,
        ),
        Customer(
            id="hq-grp",
            name="华北集团",
            tier=Tier.KEY,
            industry="energy",
            region="北京",
            revenue=2000,
            potential=500,
        ),
        Customer(
            id="br-gansu",
            name="华北集团甘肃分公司",
            tier=Tier.MID,
            industry="energy",
            region="甘肃",
            revenue=70,
            parent_id="hq-grp",
        ),
        Customer(
            id="br-bj",
            name="华北集团北京分公司",
            tier=Tier.MID,
            industry="energy",
            region="北京",
            revenue=90,
            parent_id="hq-grp",
        ),
        Customer(
            id="st-one",
            name="国家电网",
            tier=Tier.STRATEGIC,
            industry="energy",
            region="北京",
            revenue=9000,
            potential=9000,
        ),
    ]
    customers += [
        Customer(
            id=f"k{i:02d}",
            name=f"重点客户{i:02d}",
            tier=Tier.KEY,
            industry="finance",
            region="上海",
            revenue=100,
            potential=100,
        )
        for i in range(1, 12)
    ]
    coverage = [
        emp_cov("am-li", "bank-zs", share=0.5, since=dt.date(2023, 1, 1)),
        team_cov("R-SH", "bank-zs", share=0.5, since=dt.date(2024, 6, 1)),
        emp_cov("am-wang", "ins-pa", share=1.0),
        team_cov("KA-FIN", "ins-pa", share=1.0),
        team_cov("SOL", "fac-bj", CoverageRole.OVERLAY, share=1.0),
        emp_cov("sol-xu", "bank-zs", CoverageRole.SUPPORT, share=0.0),
        emp_cov("am-li", "hq-grp"),
        emp_cov("am-zhao", "st-one"),
    ]
    coverage += [emp_cov("am-busy", f"k{i:02d}") for i in range(1, 12)]
    return [*org_records(), *customers, *coverage]


def scoring_world() -> list[Record]:
    """Ten finance customers, one key slot at 10 %: each preset promotes a different one.

    Scores (revenue and potential divided by the industry maximum 100):

    ===== ===== ===== ==== ==== ============ ====== ==========
    id    rev   pot   ref  win  new_market   growth saturated
    ===== ===== ===== ==== ==== ============ ====== ==========
    c-rev 100   50    0    0    0.30         0.60   0.45
    c-ref 0     100   1    0    0.80         0.50   0.20
    c-win 80    0     0    1    0.18         0.42   0.72
    c-key 0     0     0    0    0            0      0     (key today: drops to mid)
    ===== ===== ===== ==== ==== ============ ====== ==========
    """

    def cust(
        cid: str, tier: Tier, rev: float = 0, pot: float = 0, ref: float = 0, win: float = 0
    ) -> Customer:
        return Customer(
            id=cid,
            name=cid,
            tier=tier,
            industry="finance",
            revenue=rev,
            potential=pot,
            reference_value=ref,
            winnability=win,
        )

    out: list[Record] = [
        cust("c-rev", Tier.MID, rev=100, pot=50),
        cust("c-ref", Tier.MID, pot=100, ref=1),
        cust("c-win", Tier.MID, rev=80, win=1),
        cust("c-key", Tier.KEY),
    ]
    out += [cust(f"c-fill{i}", Tier.SMALL) for i in range(6)]
    return out
