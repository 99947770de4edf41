"""relmap's own format into both stores: round trip, validation, lenient, encodings, upsert."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
from import_helpers import RELMAP_EXAMPLE, import_paths, write_csv

from graph.model import WRITE_ORDER, Customer, RecordKind, record_to_dict
from graph.store.base import Store
from importers.export import export_store

CUSTOMER_HEADER = ["id", "name", "tier", "industry", "region", "revenue", "parent_id"]


def snapshot(store: Store) -> dict[str, list[dict[str, object]]]:
    return {k.value: [record_to_dict(r) for r in store.scan(k)] for k in WRITE_ORDER}


def total(store: Store) -> int:
    return sum(store.count(k) for k in WRITE_ORDER)


def test_example_set_imports_every_kind_and_reimport_changes_nothing(store: Store) -> None:
    first = import_paths(store, RELMAP_EXAMPLE, batch_size=4)
    assert first.ok and first.written
    assert first.of(RecordKind.CUSTOMER).created == 6
    assert first.of(RecordKind.COVERAGE).created == 9
    assert store.get(RecordKind.CONTACT, "K007").title == "Plant Manager\n(Shenzhen site)"  # type: ignore[union-attr]
    team = store.get(RecordKind.TEAM, "T-EAST")
    assert team is not None and team.regions == ("上海", "江苏", "浙江", "安徽")  # type: ignore[attr-defined]
    version = store.version()

    again = import_paths(store, RELMAP_EXAMPLE)
    assert all(s.created == s.updated == 0 for _, s in again.summary_rows())
    assert sum(s.unchanged for _, s in again.summary_rows()) == total(store) == 48
    assert store.version() == version


def test_export_then_import_round_trips_in_csv_xlsx_and_json(store: Store, tmp_path: Path) -> None:
    import_paths(store, RELMAP_EXAMPLE)
    before = snapshot(store)
    for fmt in ("csv", "xlsx", "json"):
        folder = tmp_path / fmt
        counts = export_store(store, folder, fmt)
        assert sum(counts.values()) == 48
        store.clear()
        report = import_paths(store, folder)
        assert report.ok, [str(p) for p in report.problems]
        assert snapshot(store) == before, fmt
        again = import_paths(store, folder)
        assert sum(s.unchanged for _, s in again.summary_rows()) == 48


def test_round_trip_of_generated_demo_data(store: Store, tmp_path: Path) -> None:
    from importers.demo_data import demo_batches

    for batch in demo_batches(customers=40, seed=3):
        store.upsert(batch)
    before = snapshot(store)
    export_store(store, tmp_path / "out")
    store.clear()
    report = import_paths(store, tmp_path / "out", batch_size=50)
    assert report.ok, [str(p) for p in report.problems[:5]]
    assert snapshot(store) == before
    assert sum(len(v) for v in before.values()) > 200


def _bad_file_set(folder: Path) -> None:
    write_csv(
        folder / "customer.csv",
        CUSTOMER_HEADER,
        [
            ["C1", "华东银行总行", "strategic", "finance", "上海", "1000", ""],  # row 2: fine
            ["C2", "", "key", "", "", "", ""],  # row 3: name empty
            ["C3", "Gamma", "platinum", "", "", "", ""],  # row 4: tier unknown
            ["C4", "Delta", "mid", "", "", "lots", ""],  # row 5: revenue not a number
            ["C5", "Epsilon", "small", "", "", "-5", ""],  # row 6: revenue negative
            ["C6", "Zeta", "small", "", "", "", "C99"],  # row 7: parent unknown
            ["C1", "华东银行 again", "key", "", "", "", ""],  # row 8: duplicate id
            ["C7", "Eta", "small", "", "", "", "C7"],  # row 9: own parent
        ],
    )
    write_csv(
        folder / "contact.csv",
        ["id", "customer_id", "name", "level", "decision_role"],
        [
            ["K1", "C1", "赵强", "1", "decision_maker"],  # row 2: fine
            ["K2", "C1", "孙丽", "11", ""],  # row 3: level out of range
            ["K3", "C404", "周杰", "", ""],  # row 4: unknown customer
            ["K4", "C1", "吴敏", "", "boss"],  # row 5: decision role unknown
            ["K5", "C3", "郑浩", "", ""],  # row 6: customer whose row is bad
        ],
    )
    write_csv(
        folder / "contact_reports_to.csv",
        ["contact_id", "manager_id"],
        [["K1", "K4"], ["K4", "K1"]],  # K4's own row is bad; K1 -> K4 -> K1 still a cycle
    )
    write_csv(
        folder / "coverage.csv",
        ["holder_kind", "holder_id", "customer_id", "role", "credit_share"],
        [
            ["team", "T1", "C1", "support", "0.5"],  # row 2: support with credit; team unknown
            ["robot", "E1", "C1", "owner", "1"],  # row 3: holder kind unknown
        ],
    )


def test_bad_file_set_reports_every_problem_with_its_row_and_writes_nothing(
    store: Store, tmp_path: Path
) -> None:
    _bad_file_set(tmp_path)
    report = import_paths(store, tmp_path, batch_size=2)
    assert not report.written
    assert total(store) == 0
    found = {(p.file, p.row, p.column) for p in report.problems}
    expected = {
        ("customer.csv", 3, "name"),
        ("customer.csv", 4, "tier"),
        ("customer.csv", 5, "revenue"),
        ("customer.csv", 6, "revenue"),
        ("customer.csv", 7, "parent_id"),
        ("customer.csv", 8, "id"),
        ("customer.csv", 9, "parent_id"),
        ("contact.csv", 3, "level"),
        ("contact.csv", 4, "customer_id"),
        ("contact.csv", 5, "decision_role"),
        ("contact.csv", 6, "customer_id"),
        ("coverage.csv", 2, "credit_share"),
        ("coverage.csv", 3, "holder_kind"),
    }
    assert expected <= found, expected - found
    messages = {(p.file, p.row): p.message for p in report.problems}
    assert "more than once" in messages[("customer.csv", 8)]
    assert "C404" in messages[("contact.csv", 4)]
    assert "whose own row has errors" in messages[("contact.csv", 6)]
    assert "C99" in messages[("customer.csv", 7)]
    # the reporting line to the bad contact K4 is reported too
    assert any(p.file == "contact_reports_to.csv" for p in report.problems)
    assert all(p.file and p.message for p in report.problems)


def test_cycle_in_reporting_lines_is_reported_on_a_row_of_the_file(
    store: Store, tmp_path: Path
) -> None:
    write_csv(tmp_path / "customer.csv", ["id", "name"], [["C1", "A"]])
    write_csv(
        tmp_path / "contact.csv",
        ["id", "customer_id", "name"],
        [["K1", "C1", "a"], ["K2", "C1", "b"], ["K3", "C1", "c"]],
    )
    write_csv(
        tmp_path / "contact_reports_to.csv",
        ["contact_id", "manager_id"],
        [["K1", "K2"], ["K2", "K3"], ["K3", "K1"]],
    )
    report = import_paths(store, tmp_path)
    (problem,) = report.problems
    assert problem.file == "contact_reports_to.csv" and problem.column == "manager_id"
    assert "cycle" in problem.message and problem.row in (2, 3, 4)
    assert total(store) == 0


def test_customer_hierarchy_cycle_through_stored_parents_is_found(
    store: Store, tmp_path: Path
) -> None:
    store.upsert([Customer(id="A", name="A"), Customer(id="B", name="B", parent_id="A")])
    write_csv(tmp_path / "customer.csv", CUSTOMER_HEADER, [["A", "A", "", "", "", "", "B"]])
    report = import_paths(store, tmp_path)
    assert [(p.row, p.column) for p in report.problems] == [(2, "parent_id")]
    assert store.get(RecordKind.CUSTOMER, "A").parent_id is None  # type: ignore[union-attr]


def test_missing_required_column_is_reported_once_by_name(store: Store, tmp_path: Path) -> None:
    write_csv(tmp_path / "contact.csv", ["id", "name", "colour"], [["K1", "a"], ["K2", "b"]])
    report = import_paths(store, tmp_path)
    assert [(p.file, p.column) for p in report.problems] == [("contact.csv", "customer_id")]
    assert "missing" in report.problems[0].message
    assert any("colour" in w for w in report.warnings)


def test_lenient_imports_the_good_rows_and_writes_rejects_with_reasons(
    store: Store, tmp_path: Path
) -> None:
    _bad_file_set(tmp_path / "in")
    rejects = tmp_path / "rejects.csv"
    report = import_paths(store, tmp_path / "in", lenient=True, rejects=rejects)
    assert report.written
    assert [r.key for r in store.scan(RecordKind.CUSTOMER)] == ["C1"]
    assert [r.key for r in store.scan(RecordKind.CONTACT)] == ["K1"]
    assert store.count(RecordKind.CONTACT_REPORTS_TO) == 0
    assert report.of(RecordKind.CUSTOMER).rejected == 7
    assert report.of(RecordKind.CUSTOMER).created == 1
    with rejects.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {(r["file"], r["row"]) for r in rows} >= {("customer.csv", "3"), ("contact.csv", "4")}
    tier_row = next(r for r in rows if r["row"] == "4" and r["file"] == "customer.csv")
    assert tier_row["column"] == "tier" and json.loads(tier_row["values"])["tier"] == "platinum"


def test_gb18030_file_with_chinese_names_imports(store: Store, tmp_path: Path) -> None:
    write_csv(
        tmp_path / "customer.csv",
        CUSTOMER_HEADER,
        [
            ["C1", "华东银行总行", "Strategic", "金融", "上海", "", ""],
            ["C2", "欧阳制造", "mid", "", "广东", "", ""],
        ],
        "gb18030",
    )
    write_csv(
        tmp_path / "contact.csv",
        ["id", "customer_id", "name", "title", "decision_role"],
        [["K1", "C1", "赵强", "首席信息官", "Decision Maker"]],
        "gb18030",
    )
    report = import_paths(store, tmp_path)
    assert report.ok, [str(p) for p in report.problems]
    assert store.get(RecordKind.CUSTOMER, "C2").name == "欧阳制造"  # type: ignore[union-attr]
    contact = store.get(RecordKind.CONTACT, "K1")
    assert contact is not None and contact.name == "赵强" and contact.title == "首席信息官"  # type: ignore[attr-defined]
    assert contact.decision_role.value == "decision_maker"  # type: ignore[attr-defined]


def test_xlsx_workbook_with_a_sheet_per_kind_imports(store: Store, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "customer"
    sheet.append(["id", "name", "tier", "revenue"])
    sheet.append(["C1", "华东银行总行", "key", 2500000])
    sheet.append([1002, "Northwind", "mid", 12.5])
    contacts = book.create_sheet("contact")
    contacts.append(["id", "customer_id", "name", "level"])
    contacts.append(["K1", "C1", "孙丽", 4])
    book.save(tmp_path / "accounts.xlsx")
    report = import_paths(store, tmp_path / "accounts.xlsx")
    assert report.ok, [str(p) for p in report.problems]
    assert store.get(RecordKind.CUSTOMER, "1002").revenue == 12.5  # type: ignore[union-attr]
    assert store.get(RecordKind.CONTACT, "K1").level == 4  # type: ignore[union-attr]


def test_xlsx_errors_name_the_sheet_and_row(store: Store, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "customer"
    sheet.append(["id", "name", "tier"])
    sheet.append(["C1", "A", "gold"])
    book.save(tmp_path / "b.xlsx")
    report = import_paths(store, tmp_path / "b.xlsx")
    assert [str(p).split(":")[0] for p in report.problems] == [
        "b.xlsx sheet customer row 2, column tier"
    ]


def test_changed_file_updates_only_what_changed(store: Store, tmp_path: Path) -> None:
    rows = [["C1", "A", "key", "", "", "10", ""], ["C2", "B", "mid", "", "", "20", ""]]
    write_csv(tmp_path / "customer.csv", CUSTOMER_HEADER, rows)
    import_paths(store, tmp_path)
    rows[1][5] = "25"
    rows.append(["C3", "C", "small", "", "", "", "C1"])
    write_csv(tmp_path / "customer.csv", CUSTOMER_HEADER, rows)
    summary = import_paths(store, tmp_path).of(RecordKind.CUSTOMER)
    assert (summary.created, summary.updated, summary.unchanged) == (1, 1, 1)
    assert store.get(RecordKind.CUSTOMER, "C2").revenue == 25  # type: ignore[union-attr]


def test_branch_listed_before_its_headquarters_is_written_after_it(
    store: Store, tmp_path: Path
) -> None:
    write_csv(
        tmp_path / "customer.csv",
        CUSTOMER_HEADER,
        [
            ["B2", "Branch of branch", "", "", "", "", "B1"],
            ["B1", "Branch", "", "", "", "", "HQ"],
            ["HQ", "Headquarters", "", "", "", "", ""],
        ],
    )
    report = import_paths(store, tmp_path, batch_size=1)
    assert report.ok and report.of(RecordKind.CUSTOMER).created == 3
    assert store.get(RecordKind.CUSTOMER, "B2").parent_id == "B1"  # type: ignore[union-attr]


def test_links_may_refer_to_records_already_stored(store: Store, tmp_path: Path) -> None:
    store.upsert([Customer(id="C1", name="A")])
    write_csv(tmp_path / "contact.csv", ["id", "customer_id", "name"], [["K1", "C1", "a"]])
    assert import_paths(store, tmp_path).ok
    assert store.count(RecordKind.CONTACT) == 1


def test_prune_dry_run_shows_what_would_go_then_deletes_it(store: Store, tmp_path: Path) -> None:
    import_paths(store, RELMAP_EXAMPLE)
    folder = tmp_path / "full"
    export_store(store, folder)
    lines = (folder / "customer.csv").read_text(encoding="utf-8-sig").splitlines()
    (folder / "customer.csv").write_text(
        "\n".join(line for line in lines if not line.startswith("C005")) + "\n", encoding="utf-8"
    )
    dry = import_paths(store, folder, prune=True, dry_run=True)
    assert dry.prune_counts[RecordKind.CUSTOMER] == 1
    assert dry.prune_candidates[RecordKind.CUSTOMER] == ["C005"]
    assert dry.prune_counts[RecordKind.CONTACT] == 0
    assert store.get(RecordKind.CUSTOMER, "C005") is not None
    done = import_paths(store, folder, prune=True)
    assert done.of(RecordKind.CUSTOMER).deleted == 1
    assert store.get(RecordKind.CUSTOMER, "C005") is None
    assert store.count(RecordKind.CUSTOMER) == 5


def test_prune_refuses_references_to_records_the_full_export_drops(
    store: Store, tmp_path: Path
) -> None:
    import_paths(store, RELMAP_EXAMPLE)
    write_csv(tmp_path / "customer.csv", ["id", "name"], [["C001", "华东银行总行"]])
    write_csv(tmp_path / "contact.csv", ["id", "customer_id", "name"], [["K006", "C004", "Smith"]])
    report = import_paths(store, tmp_path, prune=True)
    assert [(p.file, p.row, p.column) for p in report.problems] == [
        ("contact.csv", 2, "customer_id")
    ]
    assert store.count(RecordKind.CUSTOMER) == 6


def test_reporting_line_closing_a_cycle_with_stored_lines_is_found(
    store: Store, tmp_path: Path
) -> None:
    from graph.model import Contact, ContactReportsTo

    store.upsert(
        [
            Customer(id="C1", name="A"),
            *(Contact(id=k, customer_id="C1", name=k) for k in ("K1", "K2", "K3")),
            ContactReportsTo(contact_id="K1", manager_id="K2"),
            ContactReportsTo(contact_id="K2", manager_id="K3"),
        ]
    )
    write_csv(tmp_path / "contact_reports_to.csv", ["contact_id", "manager_id"], [["K3", "K1"]])
    report = import_paths(store, tmp_path)
    (problem,) = report.problems
    assert (problem.row, problem.column) == (2, "manager_id")
    assert "'K3' -> 'K1' -> 'K2' -> 'K3'" in problem.message
    assert store.count(RecordKind.CONTACT_REPORTS_TO) == 2
