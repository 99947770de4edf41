"""Neo4j-only behaviour of ``Neo4jStore``: schema, graph shape, atomicity across batches,
concurrency, unreachable servers and URI schemes. The shared behaviour is in tests/contract."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from graph.model import (
    Contact,
    ContactReportsTo,
    Coverage,
    Customer,
    Employee,
    HolderKind,
    Influence,
    Membership,
    Record,
    RecordKind,
    Relationship,
    RelationshipStrength,
    Team,
    TeamKind,
    Tier,
)
from graph.store.base import ChangeSet, StoreUnavailable, ValidationFailed, VersionConflict
from graph.store.neo4j import Neo4jStore
from tests.support.stores import NEO4J_PASSWORD

pytestmark = pytest.mark.neo4j


def _open(url: str, batch_size: int = 5000) -> Neo4jStore:
    return Neo4jStore(
        url, user="neo4j", password=NEO4J_PASSWORD, database="neo4j", batch_size=batch_size
    )


@pytest.fixture
def neo(neo4j_url: str) -> Iterator[Neo4jStore]:
    """An empty Neo4j store with a tiny batch size, so small change sets span many batches."""
    store = _open(neo4j_url, batch_size=7)
    store.ensure_schema()
    store.clear()
    try:
        yield store
    finally:
        store.close()


def _cypher(store: Neo4jStore, query: str, **params: Any) -> list[dict[str, Any]]:
    with store._session() as session:
        return [dict(r) for r in session.run(query, params)]


def _small_graph() -> list[Record]:
    return [
        Customer(id="hq", name="华东银行总行", tier=Tier.KEY),
        Customer(id="br1", name="华东银行苏州分行", parent_id="hq"),
        Contact(id="c1", customer_id="hq", name="张伟", title="CIO"),
        Contact(id="c2", customer_id="hq", name="李娜"),
        Employee(id="e1", name="王芳"),
        Team(id="t0", name="Finance", team_kind=TeamKind.KEY_ACCOUNT),
        Team(id="t1", name="Finance East", team_kind=TeamKind.KEY_ACCOUNT, parent_id="t0"),
        ContactReportsTo(contact_id="c2", manager_id="c1"),
        Influence(source_id="c2", target_id="c1", strength=0.8),
        Membership(employee_id="e1", team_id="t1", role="account manager"),
        Coverage(holder_kind=HolderKind.TEAM, holder_id="t1", customer_id="hq"),
        Coverage(holder_kind=HolderKind.EMPLOYEE, holder_id="e1", customer_id="hq"),
        Relationship(
            employee_id="e1", contact_id="c1", strength=RelationshipStrength.TRUSTED_ADVISOR
        ),
    ]


def test_ensure_schema_twice_changes_nothing(neo: Neo4jStore) -> None:
    before = _cypher(neo, "SHOW CONSTRAINTS YIELD name RETURN name ORDER BY name")
    indexes = _cypher(neo, "SHOW INDEXES YIELD name RETURN name ORDER BY name")
    neo.ensure_schema()
    neo.ensure_schema()
    assert _cypher(neo, "SHOW CONSTRAINTS YIELD name RETURN name ORDER BY name") == before
    assert _cypher(neo, "SHOW INDEXES YIELD name RETURN name ORDER BY name") == indexes


def test_uniqueness_constraints_cover_every_entity_and_documents(neo: Neo4jStore) -> None:
    rows = _cypher(
        neo,
        "SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties "
        "WHERE type = 'UNIQUENESS' RETURN labelsOrTypes[0] AS label, properties AS props",
    )
    found = {(r["label"], tuple(r["props"])) for r in rows}
    for label in ("Customer", "Contact", "Employee", "Team", "Meta"):
        assert (label, ("id",)) in found
    assert ("Doc", ("collection", "id")) in found


def test_filtered_properties_and_link_keys_are_indexed(neo: Neo4jStore) -> None:
    rows = _cypher(
        neo,
        "SHOW INDEXES YIELD type, labelsOrTypes, properties, state "
        "WHERE type = 'RANGE' RETURN labelsOrTypes[0] AS on, properties[0] AS prop, state",
    )
    found = {(r["on"], r["prop"]) for r in rows}
    assert {("Customer", "tier"), ("Customer", "industry"), ("Customer", "region")} <= found
    assert ("Contact", "customer_id") in found
    for rel_type in ("REPORTS_TO", "INFLUENCES", "MEMBER_OF", "COVERS", "KNOWS"):
        assert (rel_type, "k") in found
    assert {r["state"] for r in rows} == {"ONLINE"}


def test_duplicate_ids_are_refused_by_the_database_itself(neo: Neo4jStore) -> None:
    from neo4j.exceptions import ConstraintError

    _cypher(neo, "CREATE (:Customer {id: 'dup', name: 'a'})")
    with pytest.raises(ConstraintError):
        _cypher(neo, "CREATE (:Customer {id: 'dup', name: 'b'})")


def test_records_become_the_documented_graph_shape(neo: Neo4jStore) -> None:
    neo.upsert(_small_graph())
    rels = _cypher(
        neo,
        "MATCH (a)-[r]->(b) RETURN labels(a)[0] AS a, a.id AS aid, type(r) AS t, "
        "labels(b)[0] AS b, b.id AS bid ORDER BY t, aid, bid",
    )
    shape = {(r["a"], r["aid"], r["t"], r["b"], r["bid"]) for r in rels}
    assert shape == {
        ("Customer", "br1", "SUBSIDIARY_OF", "Customer", "hq"),
        ("Contact", "c1", "WORKS_AT", "Customer", "hq"),
        ("Contact", "c2", "WORKS_AT", "Customer", "hq"),
        ("Team", "t1", "PART_OF", "Team", "t0"),
        ("Contact", "c2", "REPORTS_TO", "Contact", "c1"),
        ("Contact", "c2", "INFLUENCES", "Contact", "c1"),
        ("Employee", "e1", "MEMBER_OF", "Team", "t1"),
        ("Team", "t1", "COVERS", "Customer", "hq"),
        ("Employee", "e1", "COVERS", "Customer", "hq"),
        ("Employee", "e1", "KNOWS", "Contact", "c1"),
    }
    [covers] = _cypher(
        neo, "MATCH (:Team)-[r:COVERS]->() RETURN r.role AS role, r.credit_share AS share"
    )
    assert covers == {"role": "owner", "share": 1.0}
    [customer] = _cypher(neo, "MATCH (n:Customer {id: 'hq'}) RETURN n.tier AS tier, n.name AS name")
    assert customer == {"tier": "key", "name": "华东银行总行"}
    [meta] = _cypher(neo, "MATCH (m:Meta {id: 'graph'}) RETURN m.version AS v")
    assert meta["v"] == neo.version()


def test_changing_parent_id_moves_the_subsidiary_relationship(neo: Neo4jStore) -> None:
    neo.upsert(_small_graph())
    neo.upsert([Customer(id="hq2", name="Other HQ")])
    neo.upsert([Customer(id="br1", name="华东银行苏州分行", parent_id="hq2")])
    parents = _cypher(neo, "MATCH (:Customer {id: 'br1'})-[:SUBSIDIARY_OF]->(p) RETURN p.id AS id")
    assert parents == [{"id": "hq2"}]
    neo.upsert([Customer(id="br1", name="华东银行苏州分行")])
    assert _cypher(neo, "MATCH (:Customer {id: 'br1'})-[r:SUBSIDIARY_OF]->() RETURN r") == []
    assert neo.parents(RecordKind.CUSTOMER, ["br1"]) == {}


def test_moving_a_contact_moves_works_at(neo: Neo4jStore) -> None:
    neo.upsert(_small_graph())
    neo.upsert([Contact(id="c1", customer_id="br1", name="张伟", title="CIO")])
    rows = _cypher(neo, "MATCH (:Contact {id: 'c1'})-[:WORKS_AT]->(c) RETURN c.id AS id")
    assert rows == [{"id": "br1"}]


def test_unchanged_upsert_does_not_rewrite_or_bump(neo: Neo4jStore) -> None:
    neo.upsert(_small_graph())
    version = neo.version()
    result = neo.upsert(_small_graph())
    assert result.changed == 0
    assert neo.version() == version
    assert all(c.created == c.updated == 0 for c in result.counts.values())


def test_a_failure_in_a_late_batch_leaves_nothing_written(neo: Neo4jStore) -> None:
    """Every batch of a change set is in one transaction: a late failure rolls back the rest."""

    class FailingLate(Neo4jStore):
        def _upsert_links(self, tx: Any, kind: RecordKind, records: Any, result: Any) -> None:
            if kind is RecordKind.RELATIONSHIP:
                raise RuntimeError("injected failure after the entities were written")
            super()._upsert_links(tx, kind, records, result)

    failing = FailingLate(
        neo.uri, user="neo4j", password=NEO4J_PASSWORD, database="neo4j", batch_size=7
    )
    customers = [Customer(id=f"cu{i:03d}", name=f"客户{i}") for i in range(50)]
    version = neo.version()
    try:
        with pytest.raises(RuntimeError):
            failing.upsert([*customers, *_small_graph()])
    finally:
        failing.close()
    assert neo.count(RecordKind.CUSTOMER) == 0
    assert neo.version() == version


def test_an_invalid_record_anywhere_rejects_all_batches(neo: Neo4jStore) -> None:
    customers = [Customer(id=f"cu{i:03d}", name=f"客户{i}") for i in range(40)]
    bad = Contact(id="x", customer_id="nowhere", name="无名")
    with pytest.raises(ValidationFailed, match="nowhere"):
        neo.upsert([*customers, bad])
    assert neo.count(RecordKind.CUSTOMER) == 0


def test_concurrent_writers_with_the_same_expected_version_conflict(neo: Neo4jStore) -> None:
    version = neo.version()
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def writer(i: int) -> None:
        barrier.wait()
        try:
            neo.write(ChangeSet().add(Customer(id=f"w{i}", name="并发")), expected_version=version)
            outcomes.append("ok")
        except VersionConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "ok"]
    assert neo.version() == version + 1


def test_scan_streams_past_max_page_in_key_order(neo: Neo4jStore) -> None:
    ids = [f"c{i:05d}" for i in range(2500)]
    big = _open(neo.uri, batch_size=1000)
    try:
        big.upsert([Customer(id=i, name="客户") for i in reversed(ids)])
        assert [c.key for c in big.scan(RecordKind.CUSTOMER, batch_size=1200)] == ids
        tiers = list(big.scan(RecordKind.CUSTOMER, where={"tier": "small"}, batch_size=999))
        assert len(tiers) == 2500
    finally:
        big.close()


def test_link_pages_follow_python_key_order(neo: Neo4jStore) -> None:
    neo.upsert(_small_graph())
    more = [Coverage(holder_kind=HolderKind.TEAM, holder_id="t0", customer_id="br1")]
    neo.upsert(more)
    keys = [r.key for r in neo.page(RecordKind.COVERAGE)]
    assert keys == sorted(keys) and len(keys) == 3
    assert [r.key for r in neo.page(RecordKind.COVERAGE, after=keys[0])] == keys[1:]


def test_clear_empties_the_graph_and_bumps_the_version(neo: Neo4jStore) -> None:
    neo.upsert(_small_graph())
    neo.put_doc("scenarios", "s1", {"name": "重组"})
    version = neo.version()
    neo.clear()
    assert _cypher(neo, "MATCH (n) WHERE NOT n:Meta RETURN count(n) AS n") == [{"n": 0}]
    assert neo.version() == version + 1


def test_unreachable_server_is_unhealthy_and_writes_fail_fast() -> None:
    store = _open("bolt://127.0.0.1:1")
    try:
        started = time.monotonic()
        health = store.health()
        assert not health.ok and "127.0.0.1:1" in health.detail
        with pytest.raises(StoreUnavailable, match="unavailable"):
            store.upsert([Customer(id="c", name="n")])
        with pytest.raises(StoreUnavailable):
            store.version()
        # Not the driver's default of 30 s of retries per call; generous for slow machines.
        assert time.monotonic() - started < 20
    finally:
        store.close()


def test_wrong_password_is_store_unavailable_naming_the_user(neo4j_url: str) -> None:
    store = Neo4jStore(neo4j_url, user="neo4j", password="wrong", database="neo4j", batch_size=10)
    try:
        assert not store.health().ok
        with pytest.raises(StoreUnavailable, match="credentials of user 'neo4j'"):
            store.version()
    finally:
        store.close()


def test_unknown_database_is_store_unavailable(neo4j_url: str) -> None:
    store = Neo4jStore(
        neo4j_url, user="neo4j", password=NEO4J_PASSWORD, database="nosuchdb", batch_size=10
    )
    try:
        with pytest.raises(StoreUnavailable, match="nosuchdb"):
            store.version()
    finally:
        store.close()


def test_routing_uri_works_against_the_single_local_instance(neo: Neo4jStore) -> None:
    url = neo.uri.replace("bolt://", "neo4j://", 1)
    routed = _open(url)
    try:
        health = routed.health()
        assert health.ok, health.detail
        routed.upsert([Customer(id="r1", name="路由")])
        assert neo.get(RecordKind.CUSTOMER, "r1") == Customer(id="r1", name="路由")
    finally:
        routed.close()


def test_replicas_ensuring_the_schema_at_once_do_not_fail(neo: Neo4jStore) -> None:
    replicas = [_open(neo.uri) for _ in range(3)]
    errors: list[BaseException] = []

    def ensure(store: Neo4jStore) -> None:
        try:
            store.ensure_schema()
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=ensure, args=(r,)) for r in replicas]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        for r in replicas:
            r.close()
    assert errors == []


def test_a_new_contact_gets_exactly_one_works_at_also_after_moves(neo: Neo4jStore) -> None:
    neo.upsert(_small_graph())
    neo.upsert([Contact(id="c3", customer_id="br1", name="赵敏")])
    neo.upsert([Contact(id="c3", customer_id="hq", name="赵敏")])
    neo.upsert([Contact(id="c3", customer_id="hq", name="赵敏", title="CFO")])
    rows = _cypher(neo, "MATCH (:Contact {id: 'c3'})-[r:WORKS_AT]->(c) RETURN c.id AS id")
    assert rows == [{"id": "hq"}]


SCANS = {"AllNodesScan", "NodeByLabelScan", "NodeIndexScan", "DirectedRelationshipTypeScan"}


def _operators(plan: dict[str, Any]) -> set[str]:
    ops = {str(plan["operatorType"]).split("@")[0]}
    for child in plan.get("children", []):
        ops |= _operators(child)
    return ops


def _lookup_statements() -> list[str]:
    from graph.store import cypher as cy

    out = [cy.cascade_contacts()]
    for kind in cy.LABELS:
        out += [cy.upsert_entities(kind), cy.delete_entities(kind), cy.existing_entities(kind)]
        out.append(cy.get_entity(kind))
        for link, other in cy.TOUCHING[kind]:
            out.append(cy.delete_touching(kind, link, other))
    for kind in cy.ENTITY_EDGES:
        out += [cy.unlink_entity_edges(kind), cy.link_entity_edges(kind)]
    for kind in (RecordKind.CUSTOMER, RecordKind.TEAM):
        out += [cy.children(kind), cy.parents_of_entities(kind)]
    for kind, shape in cy.LINKS.items():
        for label in shape.start_labels():
            out += [cy.upsert_links(kind, label), cy.delete_links(kind, label)]
            out += [cy.existing_links(kind, label), cy.get_link(kind, label)]
        if shape.start_label:
            out.append(cy.parents_of_links(kind))
    return out


def test_lookups_planned_on_an_empty_graph_still_seek_the_indexes(neo: Neo4jStore) -> None:
    """Statements are planned once and cached: a plan made from statistics of a nearly empty
    label scanned the whole label per UNWIND row once the graph had grown (90 million rows for
    3,000 ids, 135 s for one validation lookup). Index hints make every lookup a seek whatever
    the statistics say."""
    statements = _lookup_statements()
    for query in statements:
        with neo._session() as session:
            plan = session.run("EXPLAIN " + query, rows=[], ids=[], id="x", a="x", b="y").consume()
        assert plan.plan is not None
        assert not _operators(plan.plan) & SCANS, query


def test_pages_planned_on_an_empty_graph_walk_an_index(neo: Neo4jStore) -> None:
    wheres: list[tuple[RecordKind, dict[str, Any] | None]] = [(k, None) for k in RecordKind]
    wheres += [
        (RecordKind.CONTACT, {"customer_id": "hq"}),
        (RecordKind.CUSTOMER, {"tier": ["key", "strategic"]}),
        (RecordKind.COVERAGE, {"customer_id": "hq"}),
        (RecordKind.RELATIONSHIP, {"employee_id": "e1"}),
    ]
    for kind, where in wheres:
        query, params = neo._page_query(kind, where)
        with neo._session() as session:
            plan = session.run("EXPLAIN " + query, params, after="", limit=10).consume()
        assert plan.plan is not None
        assert not _operators(plan.plan) & SCANS, (kind, where)


def test_concurrent_writers_all_commit_one_after_another(neo: Neo4jStore) -> None:
    """Writers queue on the Meta node's lock: none deadlocks, every one bumps the version."""
    version = neo.version()
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def writer(i: int) -> None:
        barrier.wait()
        try:
            for j in range(3):
                neo.upsert(
                    [Customer(id=f"p{i}-{j}", name="并行"), Customer(id="shared", name=f"{i}")]
                )
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert neo.count(RecordKind.CUSTOMER) == 6 * 3 + 1
    assert neo.version() == version + 6 * 3  # every write created a customer
