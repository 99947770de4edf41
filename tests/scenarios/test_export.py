"""Comparison exports: one long CSV, a workbook, JSON; spreadsheet formulas neutralised."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from graph.model import Customer, Tier
from graph.scenarios.export import comparison, comparison_data, to_csv, to_xlsx
from graph.scenarios.service import evaluate_scenario
from graph.store.base import ChangeSet, Store
from tests.scenarios.helpers import load_world
from tests.scenarios.worlds import scenario, team_cov


def test_hostile_names_cannot_become_spreadsheet_formulas(store: Store) -> None:
    load_world(store)
    store.write(
        ChangeSet(
            upserts=[
                Customer(
                    id="evil",
                    name='=HYPERLINK("http://x")',
                    tier=Tier.KEY,
                    industry="finance",
                    region="north",
                    revenue=5,
                ),
                team_cov("R-N", "evil"),
            ]
        )
    )
    ev, _v = evaluate_scenario(
        store, scenario({"op": "move_customers", "select": {"ids": ["evil"]}, "to_team": "KA-FIN"})
    )
    comp = comparison([ev])
    rows = list(csv.reader(io.StringIO(to_csv(comp))))
    names = [r[3] for r in rows if r[0] == "customers"]
    assert names and all(n.startswith("'=") for n in names)
    wb = load_workbook(io.BytesIO(to_xlsx(comp)))
    cells = [c.value for row in wb["customers"].iter_rows() for c in row]
    assert '\'=HYPERLINK("http://x")' in cells and '=HYPERLINK("http://x")' not in cells
    data = comparison_data(comp)
    assert data["customers"][0]["name"] == '=HYPERLINK("http://x")'  # JSON keeps the data
    gaps = next(h for h in data["headline"] if h["metric"] == "owner_kind_misfit")
    assert gaps["change"] == {"s1": -1.0}
