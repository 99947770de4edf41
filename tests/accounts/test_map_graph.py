"""The political map graph: nodes, edges and attribute names the renderers rely on."""

from __future__ import annotations

from graph.accounts.gather import gather_account
from graph.accounts.map_graph import (
    EdgeType,
    NodeType,
    build_map_graph,
    contact_nodes,
    employee_nodes,
    map_to_json,
)
from graph.model import Record
from graph.store.reader import MemorySource


def test_map_holds_the_account_and_its_subsidiary_but_not_other_accounts(records: list[Record]):
    g = build_map_graph(gather_account(MemorySource(records), "acme"))
    assert g.graph["account_id"] == "acme"
    assert g.graph["customer_ids"] == ["acme", "acme-sh"]
    ids = ["b", "i1", "i2", "i3", "s1", "s2", "s3", "sh1"]
    assert contact_nodes(g) == [f"contact:{c}" for c in ids]
    assert employee_nodes(g) == ["employee:e1", "employee:e2"]


def test_without_subsidiaries_the_subsidiary_contacts_and_their_people_drop_out(records):
    g = build_map_graph(gather_account(MemorySource(records), "acme", include_subsidiaries=False))
    assert "contact:sh1" not in g
    assert g.graph["customer_ids"] == ["acme"]
    # e2 still knows s1 at the HQ, so e2 stays
    assert "employee:e2" in g


def test_nodes_carry_node_type_label_and_every_record_field(records):
    g = build_map_graph(gather_account(MemorySource(records), "acme"))
    b = g.nodes["contact:b"]
    assert b["node_type"] == NodeType.CONTACT
    assert (b["label"], b["name"], b["title"], b["department"], b["level"]) == (
        "王芳",
        "王芳",
        "Finance analyst",
        "Finance",
        5,
    )
    assert b["decision_role"] == "user" and b["stance"] == "unknown"
    assert g.nodes["employee:e1"]["node_type"] == NodeType.EMPLOYEE
    assert g.nodes["employee:e1"]["name"] == "Ann"


def test_edges_carry_edge_type_weight_and_link_fields(records):
    g = build_map_graph(gather_account(MemorySource(records), "acme"))
    rep = g.edges["contact:s2", "contact:s1", EdgeType.REPORTS_TO.value]
    assert (rep["edge_type"], rep["weight"]) == ("reports_to", 1.0)
    inf = g.edges["contact:b", "contact:i1", EdgeType.INFLUENCES.value]
    assert (inf["edge_type"], inf["strength"], inf["weight"]) == ("influences", 0.9, 0.9)
    rel = g.edges["employee:e1", "contact:i1", EdgeType.RELATIONSHIP.value]
    assert rel["strength"] == "acquainted" and rel["level"] == 1
    assert rel["desired"] == "problem_solver" and rel["desired_level"] == 3
    assert rel["last_touch"].isoformat() == "2025-01-15"


def test_third_parties_are_typed_apart_from_customer_people():
    from graph.accounts.map_graph import AccountRecords
    from graph.model import Contact, ContactKind, Customer

    g = build_map_graph(
        AccountRecords(
            "a",
            [Customer(id="a", name="A")],
            [Contact(id="k", customer_id="a", name="KPMG", contact_kind=ContactKind.CONSULTANT)],
        )
    )
    assert g.nodes["contact:k"]["node_type"] == NodeType.THIRD_PARTY


def test_map_json_is_plain_data_with_iso_dates(records):
    import json

    g = build_map_graph(gather_account(MemorySource(records), "acme"))
    data = map_to_json(g)
    text = json.dumps(data, ensure_ascii=False)
    assert "2025-01-15" in text
    assert len(data["nodes"]) == g.number_of_nodes()
    assert len(data["edges"]) == g.number_of_edges()
    assert {e["edge_type"] for e in data["edges"]} == {"reports_to", "influences", "relationship"}


def test_every_edge_carries_every_field_of_its_link_record(records):
    from graph.model import ContactReportsTo, Influence, Relationship

    g = build_map_graph(gather_account(MemorySource(records), "acme"))
    fields = {"reports_to": ContactReportsTo, "influences": Influence, "relationship": Relationship}
    for _, _, data in g.edges(data=True):
        model = fields[data["edge_type"]]
        assert set(model.model_fields) <= set(data), data["edge_type"]


def test_every_node_carries_every_field_of_its_record(records):
    from graph.model import Contact, Employee

    g = build_map_graph(gather_account(MemorySource(records), "acme"))
    for _, data in g.nodes(data=True):
        model = Employee if data["node_type"] == "employee" else Contact
        assert set(model.model_fields) <= set(data)
