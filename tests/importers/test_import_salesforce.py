"""Salesforce exports: ids, headers, the mapping, splits into dual credit, on both stores."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from import_helpers import SALESFORCE_EXAMPLE, import_paths, write_csv

from graph.model import CoverageRole, DecisionRole, RecordKind, Tier
from graph.store.base import Store
from importers.detect import open_source
from importers.salesforce import person_name, sf_id18
from importers.salesforce.roles import SalesforceMapping

WANG, ZHANG, TOM, CHEN, LI = (f"0055gUx0000000{i}ABA" for i in (2, 3, 4, 5, 1))
HQ, SUZHOU, HANGZHOU, NORTHWIND = (f"0015gAc0000000{i}ABA" for i in (1, 2, 3, 4))


# ------------------------------------------------------------------------------------ ids


def test_15_char_id_gets_the_case_safe_suffix() -> None:
    assert sf_id18("0015000000VALDt") == "0015000000VALDtAAP"
    assert sf_id18("001A0000006Vm9r") == "001A0000006Vm9rIAC"


def test_18_char_id_is_kept_and_its_case_restored_when_a_spreadsheet_changed_it() -> None:
    assert sf_id18("0015000000VALDtAAP") == "0015000000VALDtAAP"
    assert sf_id18("0015000000valdtaap") == "0015000000VALDtAAP"
    assert sf_id18("0015000000VALDTAAP") == "0015000000VALDtAAP"


def test_15_char_ids_differing_only_in_case_are_different_records() -> None:
    assert sf_id18("0015000000VALDt") != sf_id18("0015000000VALDT")


@pytest.mark.parametrize("bad", ["", "001", "0015000000VALDt!", "0015000000VALDtAA9"])
def test_anything_else_is_not_an_id(bad: str) -> None:
    with pytest.raises(ValueError, match="not a Salesforce id"):
        sf_id18(bad)


def test_chinese_names_are_family_name_first_without_a_space() -> None:
    assert person_name("伟", "王") == "王伟"
    assert person_name("John", "Smith") == "John Smith"
    assert person_name("", "Smith") == "Smith"


# ------------------------------------------------------------------------------------ mapping


def test_example_export_is_detected_and_maps_hierarchy_teams_and_roles(store: Store) -> None:
    report = import_paths(store, SALESFORCE_EXAMPLE)
    assert report.format == "salesforce"
    assert report.ok, [str(p) for p in report.problems]
    # 15-char ParentId and 18-char Id resolve to the same customer
    assert store.get(RecordKind.CUSTOMER, SUZHOU).parent_id == HQ  # type: ignore[union-attr]
    hq = store.get(RecordKind.CUSTOMER, HQ)
    assert hq is not None and hq.tier is Tier.STRATEGIC and hq.region == "上海"  # type: ignore[attr-defined]
    hangzhou = store.get(RecordKind.CUSTOMER, HANGZHOU)
    assert hangzhou.region == "China" and hangzhou.tier is Tier.MID  # type: ignore[union-attr]
    # inactive owner kept, visible as such
    tom = store.get(RecordKind.EMPLOYEE, TOM)
    assert tom is not None and tom.active is False  # type: ignore[attr-defined]
    # contacts: Chinese names, decision role = most senior opportunity role
    sun = store.get(RecordKind.CONTACT, "0035gCo00000002ABA")
    assert sun is not None and sun.name == "孙丽"  # type: ignore[attr-defined]
    assert sun.decision_role is DecisionRole.ECONOMIC_BUYER  # type: ignore[attr-defined]
    smith = store.get(RecordKind.CONTACT, "0035gCo00000005ABA")
    assert smith.decision_role is DecisionRole.DECISION_MAKER  # type: ignore[union-attr]
    assert store.count(RecordKind.CONTACT_REPORTS_TO) == 3
    assert store.count(RecordKind.EMPLOYEE_REPORTS_TO) == 4


def _coverage(store: Store) -> dict[tuple[str, str], tuple[CoverageRole, float]]:
    return {
        (c.holder_id, c.customer_id): (c.role, c.credit_share)  # type: ignore[attr-defined]
        for c in store.scan(RecordKind.COVERAGE)
    }


def test_splits_give_owner_credit_shares_and_overlay_dual_credit(store: Store) -> None:
    import_paths(store, SALESFORCE_EXAMPLE)
    cov = _coverage(store)
    # revenue splits weighted by amount: 3M at 100% + 1M at 50% -> 87.5% / 12.5%
    assert cov[(WANG, HQ)] == (CoverageRole.OWNER, 0.875)
    assert cov[(TOM, HQ)] == (CoverageRole.OWNER, 0.125)
    # overlay split 100% on both deals: dual credit on top of the owners' 100%
    assert cov[(ZHANG, HQ)] == (CoverageRole.OVERLAY, 1.0)
    credit = sum(share for (_, account), (_, share) in cov.items() if account == HQ)
    assert credit == pytest.approx(2.0)
    # team roles from the table; no splits: the account owner carries 100%
    assert cov[(LI, HQ)] == (CoverageRole.SUPPORT, 0.0)  # Executive Sponsor
    assert cov[(CHEN, SUZHOU)] == (CoverageRole.SUPPORT, 0.0)  # Channel Manager
    assert cov[(WANG, SUZHOU)] == (CoverageRole.OWNER, 1.0)
    assert cov[(TOM, NORTHWIND)] == (CoverageRole.OWNER, 1.0)


def test_reimporting_the_export_changes_nothing(store: Store) -> None:
    import_paths(store, SALESFORCE_EXAMPLE)
    version = store.version()
    again = import_paths(store, SALESFORCE_EXAMPLE)
    assert all(s.created == s.updated == 0 for _, s in again.summary_rows())
    assert store.version() == version


def test_data_loader_headers_and_15_char_ids_import_the_same_records(
    store: Store, tmp_path: Path
) -> None:
    import_paths(store, SALESFORCE_EXAMPLE)
    version = store.version()
    # The same users as Data Loader writes them: upper-case quoted headers, 15-char ids.
    lines = (SALESFORCE_EXAMPLE / "User.csv").read_text(encoding="utf-8").splitlines()
    header = ",".join(f'"{h.upper()}"' for h in lines[0].split(","))
    body = []
    for line in lines[1:]:
        cells = line.split(",")
        cells[0] = cells[0][:15]
        cells[4] = cells[4][:15]
        body.append(",".join(f'"{c}"' for c in cells))
    (tmp_path / "extract.csv").write_text("\n".join([header, *body]) + "\n", encoding="utf-8")
    report = import_paths(store, tmp_path / "extract.csv", fmt="salesforce")
    assert report.ok, [str(p) for p in report.problems]
    assert report.of(RecordKind.EMPLOYEE).unchanged == 5
    assert store.version() == version


def test_unknown_columns_are_ignored_and_a_missing_required_column_reported_once(
    store: Store, tmp_path: Path
) -> None:
    write_csv(
        tmp_path / "Contact.csv",
        ["Id", "FirstName", "LastName", "Favourite_Colour__c"],
        [["0035gCo00000001", "强", "赵", "red"], ["0035gCo00000002", "丽", "孙", "blue"]],
    )
    report = import_paths(store, tmp_path, fmt="salesforce")
    assert [(p.file, p.column, p.message) for p in report.problems] == [
        ("Contact.csv", "AccountId", "required column is missing")
    ]


def test_revenue_splits_not_totalling_100_percent_are_reported_with_their_row(
    store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "sf"
    shutil.copytree(SALESFORCE_EXAMPLE, folder)
    split = folder / "OpportunitySplit.csv"
    split.write_text(split.read_text(encoding="utf-8").replace(",50,", ",40,", 1), encoding="utf-8")
    report = import_paths(store, folder)
    assert not report.written
    assert [(p.file, p.row, p.column) for p in report.problems] == [
        ("OpportunitySplit.csv", 3, "SplitPercentage")
    ]
    assert "total 90%" in report.problems[0].message


def test_bad_ids_and_references_name_file_row_and_column(store: Store, tmp_path: Path) -> None:
    write_csv(
        tmp_path / "User.csv", ["Id", "Name", "IsActive"], [["0055gUx00000001", "李娜", "maybe"]]
    )
    write_csv(
        tmp_path / "Account.csv",
        ["Id", "Name", "OwnerId", "AnnualRevenue"],
        [
            ["0015gAc00000001", "A", "0055gUx00000001", "1,000"],
            ["12345", "B", "", ""],
            ["0015gAc00000003", "C", "0055gUx00000009", "n/a"],
        ],
    )
    report = import_paths(store, tmp_path)
    found = {(p.file, p.row, p.column) for p in report.problems}
    assert found == {
        ("User.csv", 2, "IsActive"),
        ("Account.csv", 3, "Id"),
        ("Account.csv", 4, "AnnualRevenue"),
        ("Account.csv", 4, "OwnerId"),  # owner coverage refers to an unknown user
        ("Account.csv", 4, "Id"),  # ... and to the account whose row is bad
        ("Account.csv", 2, "OwnerId"),  # owner coverage by a user whose row is bad
    }
    assert store.count(RecordKind.CUSTOMER) == 0


def test_team_role_table_is_configurable(tmp_path: Path) -> None:
    mapping_file = tmp_path / "mapping.yaml"
    mapping_file.write_text(
        "team_roles:\n  Pre-Sales Consultant: overlay\n  Hunter: owner\n"
        "tier_bands: {strategic: 1.0e10, key: 1.0e9, mid: 1.0e6}\n",
        encoding="utf-8",
    )
    mapping = SalesforceMapping.load(mapping_file)
    assert mapping.team_role("pre-sales consultant") == (CoverageRole.OVERLAY, True)
    assert mapping.team_role("HUNTER") == (CoverageRole.OWNER, True)
    assert mapping.team_role("Astrologer") == (CoverageRole.SUPPORT, False)
    assert mapping.tier("", 2.5e9) is Tier.KEY
    source = open_source([SALESFORCE_EXAMPLE], mapping=mapping)
    coverage = {
        (r.data["holder_id"], r.data["customer_id"]): r.data["role"]
        for r in source.rows(RecordKind.COVERAGE)
    }
    assert coverage[(ZHANG, HQ)] is CoverageRole.OVERLAY


def test_mapping_file_with_an_unknown_setting_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "m.json"
    bad.write_text('{"team_rolez": {}}', encoding="utf-8")
    with pytest.raises(ValueError, match="team_rolez"):
        SalesforceMapping.load(bad)


def test_mapping_file_that_is_not_yaml_is_refused_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "roles.yaml"
    bad.write_text("team_roles: [unclosed", encoding="utf-8")
    with pytest.raises(ValueError, match="roles.yaml"):
        SalesforceMapping.load(bad)
    bad.write_text("team_roles:\n  Hunter: boss\n", encoding="utf-8")
    with pytest.raises(ValueError, match="boss"):
        SalesforceMapping.load(bad)
