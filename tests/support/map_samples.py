"""Hand-built accounts for map tests: a realistic org of N contacts with Chinese names, hostile
names (XSS payloads), third parties, reporting lines, influence and our relationships.

Deterministic for a given size and seed. The same records feed the unit tests (as a graph) and
the browser tests (written to a real store behind the running API).
"""

from __future__ import annotations

import random

from graph.accounts.map_graph import AccountRecords
from graph.model import (
    Contact,
    ContactKind,
    ContactReportsTo,
    Customer,
    DecisionRole,
    Employee,
    Influence,
    Record,
    Relationship,
    RelationshipStrength,
    Stance,
    Tier,
)

XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "</script><script>alert(1)</script>"
XSS_NAMES = (XSS_IMG, XSS_SCRIPT)
CHINESE_NAME = "王小明"
CHINESE_DEPT = "采购部"
ACCOUNT_ID = "acme"
ACCOUNT_NAME = "华东重工 <b>Acme</b> & Co"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
DEPARTMENTS = (
    "采购部",
    "信息技术部",
    "<i>Strategy</i>",
    "财务部",
    "生产部",
    "研发部",
    "质量部",
    "法务部",
    "Operations",
    "Marketing & Sales",
)
TITLES = ("总经理", "副总经理", "部门经理", "主管", "工程师", "专员")


def account_records(
    contacts: int = 60,
    *,
    seed: int = 5,
    account_id: str = ACCOUNT_ID,
    employees: int = 8,
) -> tuple[list[Record], AccountRecords]:
    """Records of one account of ``contacts`` people (a CEO, department heads, staff; a few
    third parties) and ``employees`` of ours; returns (records in write order, AccountRecords).
    """
    rnd = random.Random(seed)
    customer = Customer(
        id=account_id,
        name=ACCOUNT_NAME,
        tier=Tier.STRATEGIC,
        industry="manufacturing",
        region="华东",
    )
    people: list[Contact] = []
    reports: list[ContactReportsTo] = []
    depts = DEPARTMENTS[: max(3, min(len(DEPARTMENTS), contacts // 8))]
    ceo = Contact(
        id=f"{account_id}-c0",
        customer_id=account_id,
        name="赵总",
        title="董事长",
        department="总经办",
        level=0,
        decision_role=DecisionRole.DECISION_MAKER,
        stance=Stance.SUPPORTER,
    )
    people.append(ceo)
    heads: dict[str, str] = {}
    roles = list(DecisionRole)
    stances = list(Stance)
    for i in range(1, contacts):
        cid = f"{account_id}-c{i}"
        dept = depts[(i - 1) % len(depts)]
        if i == 1:
            name = XSS_IMG
        elif i == 2:
            name = XSS_SCRIPT
        elif i == 3:
            name, dept = CHINESE_NAME, CHINESE_DEPT
        else:
            name = rnd.choice(SURNAMES) + rnd.choice(GIVEN) + (rnd.choice(GIVEN) if i % 3 else "")
        third = i % 23 == 0
        head = dept not in heads
        people.append(
            Contact(
                id=cid,
                customer_id=account_id,
                name=name,
                title=rnd.choice(TITLES[:3] if head else TITLES[2:])
                + (" <u>x</u>" if i == 4 else ""),
                department=dept,
                level=1 if head else rnd.randint(2, 7),
                decision_role=DecisionRole.ECONOMIC_BUYER if head and i < 4 else rnd.choice(roles),
                stance=rnd.choice(stances),
                contact_kind=ContactKind.CONSULTANT if third else ContactKind.CUSTOMER,
                email=f"p{i}@acme.example",
            )
        )
        if third:
            continue
        if head:
            heads[dept] = cid
            reports.append(ContactReportsTo(contact_id=cid, manager_id=ceo.id))
        else:
            # report to the head or to an earlier colleague of the same department
            same = [
                p.id
                for p in people[:-1]
                if p.department == dept and p.contact_kind is ContactKind.CUSTOMER
            ]
            reports.append(ContactReportsTo(contact_id=cid, manager_id=rnd.choice(same[-6:])))
    influences: list[Influence] = []
    seen: set[tuple[str, str]] = set()
    for _ in range(max(2, contacts // 4)):
        a, b = rnd.sample(people, 2)
        if (a.id, b.id) not in seen:
            seen.add((a.id, b.id))
            influences.append(
                Influence(source_id=a.id, target_id=b.id, strength=round(rnd.uniform(0.2, 1.0), 2))
            )
    ours = [
        Employee(
            id=f"e{j}",
            name=name,
            title="Account manager" if j == 0 else "Presales",
            region="华东",
            email=f"e{j}@relmap.example",
        )
        for j, name in enumerate(
            [
                "Alice Chen",
                "李娜",
                "Bob <script>",
                "周杰",
                "Dana Xu",
                "孙磊",
                "Eve Wu",
                "钱敏",
                "Frank Ma",
                "吴涛",
                "Grace He",
                "郑洁",
            ][:employees]
        )
    ]
    relationships: list[Relationship] = []
    known = rnd.sample(people, max(1, int(len(people) * 0.55)))
    for k, p in enumerate(known):
        if p.name == XSS_SCRIPT:
            continue
        emp = ours[k % len(ours)]
        relationships.append(
            Relationship(
                employee_id=emp.id,
                contact_id=p.id,
                strength=rnd.choice(list(RelationshipStrength)[1:]),
            )
        )
    relationships.append(
        Relationship(
            employee_id=ours[0].id, contact_id=ceo.id, strength=RelationshipStrength.TRUSTED_ADVISOR
        )
    )
    relationships = list({r.key: r for r in relationships}.values())
    recs = AccountRecords(
        account_id=account_id,
        customers=[customer],
        contacts=people,
        reports=reports,
        influences=influences,
        relationships=relationships,
        employees=ours,
    )
    ordered: list[Record] = [customer, *people, *ours, *reports, *influences, *relationships]
    return ordered, recs


# ------------------------------------------------------------------------ a coverage book

COVERED_REGIONS = ("华东", "华北", "华南", "<b>North</b>")
INDUSTRIES = ("manufacturing", "finance", "retail", "government", "energy")


def book_records(customers: int = 400, *, seed: int = 9) -> list[Record]:
    """A sales org and a book of customers with planted gaps (no owner in a region nobody
    covers), conflicts (an industry team and the regional team both own) and overlays.
    Regional teams own their territory by default (the policy's territory rule)."""
    from graph.model import Coverage, CoverageRole, HolderKind, Membership, Team, TeamKind

    rnd = random.Random(seed)
    teams: list[Record] = [
        Team(
            id="t-east",
            name="华东大区 <script>x</script>",
            team_kind=TeamKind.REGIONAL,
            regions=("华东",),
        ),
        Team(
            id="t-north",
            name="华北大区",
            team_kind=TeamKind.REGIONAL,
            regions=("华北", "<b>North</b>"),
        ),
        Team(id="t-south", name="华南大区", team_kind=TeamKind.REGIONAL, regions=("华南",)),
        Team(id="t-fin", name="金融行业部", team_kind=TeamKind.KEY_ACCOUNT, industry="finance"),
        Team(
            id="t-mfg", name="制造行业部", team_kind=TeamKind.KEY_ACCOUNT, industry="manufacturing"
        ),
        Team(id="t-gov", name="政府事业部", team_kind=TeamKind.GOVERNMENT, industry="government"),
        Team(id="t-sol", name="解决方案中心", team_kind=TeamKind.SOLUTION),
    ]
    people = [
        Employee(id=f"am{i}", name=n, title="Account manager", active=i != 3)
        for i, n in enumerate(["陈静", "刘洋", "Ann <i>Lee</i>", "赵磊", "孙丽", "周强"])
    ]
    members = [
        Membership(employee_id="am0", team_id="t-fin", role="account_manager"),
        Membership(employee_id="am1", team_id="t-fin", role="account_manager"),
        Membership(employee_id="am2", team_id="t-mfg", role="account_manager"),
        Membership(employee_id="am3", team_id="t-mfg", role="account_manager"),
        Membership(employee_id="am4", team_id="t-gov", role="account_manager"),
        Membership(employee_id="am5", team_id="t-sol", role="specialist"),
    ]
    book: list[Record] = []
    cover: list[Record] = []
    tiers = [Tier.STRATEGIC] * 1 + [Tier.KEY] * 6 + [Tier.MID] * 25 + [Tier.SMALL] * 68
    industry_team = {
        "finance": ("t-fin", ("am0", "am1")),
        "manufacturing": ("t-mfg", ("am2", "am3")),
        "government": ("t-gov", ("am4",)),
    }
    for i in range(customers):
        # 西南 has no regional team: its customers are gaps unless a named team owns them
        region = "西南" if i % 11 == 0 else COVERED_REGIONS[i % len(COVERED_REGIONS)]
        industry = INDUSTRIES[rnd.randrange(len(INDUSTRIES))]
        tier = tiers[rnd.randrange(len(tiers))] if i > 3 else Tier.STRATEGIC
        name = f"{region}{industry[:3]}客户{i}" if i != 5 else XSS_IMG
        if i == 6:
            name = XSS_SCRIPT
        cid = f"cust{i:04d}"
        book.append(
            Customer(
                id=cid,
                name=name,
                tier=tier,
                industry=industry,
                region=region,
                revenue=float(rnd.randrange(10, 5000)) * 1000,
            )
        )
        if tier in (Tier.STRATEGIC, Tier.KEY) and industry in industry_team:
            team, ams = industry_team[industry]
            cover.append(
                Coverage(
                    holder_kind=HolderKind.EMPLOYEE,
                    holder_id=ams[i % len(ams)],
                    customer_id=cid,
                    role=CoverageRole.OWNER,
                )
            )
            cover.append(
                Coverage(
                    holder_kind=HolderKind.TEAM,
                    holder_id="t-sol",
                    customer_id=cid,
                    role=CoverageRole.OVERLAY,
                    credit_share=0.5,
                )
            )
        elif industry == "finance" and tier is Tier.MID and i % 3 == 0:
            # the joint-stock-bank case: the finance team and the regional team both own it
            cover.append(
                Coverage(
                    holder_kind=HolderKind.TEAM,
                    holder_id="t-fin",
                    customer_id=cid,
                    role=CoverageRole.OWNER,
                )
            )
            regional = {"华东": "t-east", "华南": "t-south"}.get(region, "t-north")
            cover.append(
                Coverage(
                    holder_kind=HolderKind.TEAM,
                    holder_id=regional,
                    customer_id=cid,
                    role=CoverageRole.OWNER,
                )
            )
    return [*teams, *people, *members, *book, *cover]
