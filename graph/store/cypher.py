"""The fixed Cypher of the Neo4j store: graph shape per record kind and the statements built on it.

Labels, relationship types and property keys come only from the mappings below (keyed by
``RecordKind``) and from the model's own field names; user values always travel as parameters.

Graph shape::

    (:Customer)  (:Contact)  (:Employee)  (:Team)      entities, fields as properties
    (contact)-[:WORKS_AT]->(customer)                   from Contact.customer_id
    (customer)-[:SUBSIDIARY_OF]->(customer)             from Customer.parent_id
    (team)-[:PART_OF]->(team)                           from Team.parent_id
    (contact)-[:REPORTS_TO]->(contact)                  ContactReportsTo
    (contact)-[:INFLUENCES {strength}]->(contact)       Influence
    (employee)-[:MEMBER_OF {role}]->(team)              Membership
    (employee)-[:REPORTS_TO {line}]->(employee)         EmployeeReportsTo
    (team|employee)-[:COVERS {holder_kind, role, credit_share, since}]->(customer)   Coverage
    (employee)-[:KNOWS {strength, desired, last_touch}]->(contact)                   Relationship
    (:Doc {collection, id, json})                       documents
    (:Meta {id: 'graph', version})                      the graph version (and the write lock)

Every link relationship also carries ``k``, the record key (``Record.key``), indexed per
relationship type so link kinds page by key like entities do.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import cache

from graph.model import ENTITY_KINDS, RECORD_TYPES, HolderKind, RecordKind

LABELS: dict[RecordKind, str] = {
    RecordKind.CUSTOMER: "Customer",
    RecordKind.CONTACT: "Contact",
    RecordKind.EMPLOYEE: "Employee",
    RecordKind.TEAM: "Team",
}

KEY_PROPERTY = "k"  # the record key stored on every link relationship


@dataclass(frozen=True)
class EntityEdge:
    """A relationship materialised from an entity's reference field (e.g. Customer.parent_id)."""

    field: str
    rel_type: str
    target_label: str


ENTITY_EDGES: dict[RecordKind, EntityEdge] = {
    RecordKind.CUSTOMER: EntityEdge("parent_id", "SUBSIDIARY_OF", "Customer"),
    RecordKind.CONTACT: EntityEdge("customer_id", "WORKS_AT", "Customer"),
    RecordKind.TEAM: EntityEdge("parent_id", "PART_OF", "Team"),
}


@dataclass(frozen=True)
class LinkShape:
    """How a link kind is stored: (start)-[:rel_type]->(end), endpoints named by key fields."""

    kind: RecordKind
    rel_type: str
    start_field: str
    start_label: str | None  # None: chosen per record by ``HOLDER_LABELS`` (coverage)
    end_field: str
    end_label: str

    def start_labels(self) -> tuple[str, ...]:
        """Every label a start node of this kind can have."""
        return (self.start_label,) if self.start_label else tuple(HOLDER_LABELS.values())


HOLDER_LABELS: dict[str, str] = {
    HolderKind.TEAM.value: "Team",
    HolderKind.EMPLOYEE.value: "Employee",
}

LINKS: dict[RecordKind, LinkShape] = {
    s.kind: s
    for s in (
        LinkShape(
            RecordKind.CONTACT_REPORTS_TO,
            "REPORTS_TO",
            "contact_id",
            "Contact",
            "manager_id",
            "Contact",
        ),
        LinkShape(
            RecordKind.INFLUENCE, "INFLUENCES", "source_id", "Contact", "target_id", "Contact"
        ),
        LinkShape(RecordKind.MEMBERSHIP, "MEMBER_OF", "employee_id", "Employee", "team_id", "Team"),
        LinkShape(
            RecordKind.EMPLOYEE_REPORTS_TO,
            "REPORTS_TO",
            "employee_id",
            "Employee",
            "manager_id",
            "Employee",
        ),
        LinkShape(RecordKind.COVERAGE, "COVERS", "holder_id", None, "customer_id", "Customer"),
        LinkShape(
            RecordKind.RELATIONSHIP, "KNOWS", "employee_id", "Employee", "contact_id", "Contact"
        ),
    )
}

assert set(LABELS) == set(ENTITY_KINDS) and set(LABELS) | set(LINKS) == set(RECORD_TYPES)

# Which link kinds touch an entity kind (for cascading deletes): entity -> ((link kind, the
# label of the other end or None for any), ...). The pattern is undirected, so a link between two
# deleted entities is found from both ends and deleted once (``WITH DISTINCT r``).
TOUCHING: dict[RecordKind, tuple[tuple[RecordKind, str | None], ...]] = {
    RecordKind.CUSTOMER: ((RecordKind.COVERAGE, None),),
    RecordKind.CONTACT: (
        (RecordKind.CONTACT_REPORTS_TO, "Contact"),
        (RecordKind.INFLUENCE, "Contact"),
        (RecordKind.RELATIONSHIP, "Employee"),
    ),
    RecordKind.EMPLOYEE: (
        (RecordKind.MEMBERSHIP, "Team"),
        (RecordKind.EMPLOYEE_REPORTS_TO, "Employee"),
        (RecordKind.COVERAGE, "Customer"),
        (RecordKind.RELATIONSHIP, "Contact"),
    ),
    RecordKind.TEAM: ((RecordKind.MEMBERSHIP, "Employee"), (RecordKind.COVERAGE, "Customer")),
}

# Node properties filtered on (range indexes besides the uniqueness constraints). Every index
# costs on each write (index updates are applied at commit), so only the segmenting fields and
# the contact's customer; hierarchies are walked over relationships, not parent_id.
NODE_INDEXES: dict[RecordKind, tuple[str, ...]] = {
    RecordKind.CUSTOMER: ("tier", "industry", "region"),
    RecordKind.CONTACT: ("customer_id",),
    RecordKind.EMPLOYEE: ("region",),
    RecordKind.TEAM: ("team_kind",),
}

REL_INDEX_TYPES: tuple[str, ...] = tuple(sorted({s.rel_type for s in LINKS.values()}))


def schema_statements() -> list[str]:
    """Constraints and indexes, idempotent (``IF NOT EXISTS``); Community 5.26 compatible."""
    out = []
    for kind, label in LABELS.items():
        out.append(
            f"CREATE CONSTRAINT {kind.value}_id IF NOT EXISTS "
            f"FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        )
    out.append(
        "CREATE CONSTRAINT doc_key IF NOT EXISTS FOR (d:Doc) REQUIRE (d.collection, d.id) IS UNIQUE"
    )
    out.append("CREATE CONSTRAINT meta_id IF NOT EXISTS FOR (m:Meta) REQUIRE m.id IS UNIQUE")
    for kind, fields in NODE_INDEXES.items():
        for f in fields:
            out.append(
                f"CREATE INDEX {kind.value}_{f} IF NOT EXISTS FOR (n:{LABELS[kind]}) ON (n.{f})"
            )
    for rel_type in REL_INDEX_TYPES:
        out.append(
            f"CREATE INDEX rel_{rel_type.lower()}_k IF NOT EXISTS "
            f"FOR ()-[r:{rel_type}]-() ON (r.{KEY_PROPERTY})"
        )
    return out


# ------------------------------------------------------------------------------ index hints


def by_id(var: str, label: str) -> str:
    """Hint: look ``var`` up through the id uniqueness index. Without it a plan cached while a
    label was empty (a fresh or just cleared database) can scan the whole label once per
    UNWIND row; statements are planned once and reused, so lookups must not depend on that.
    SEEK, not a plain index hint: a plain hint is also met by scanning the whole index per row
    (seen: 600M index hits for one 10,000-id validation lookup)."""
    return f"USING INDEX SEEK {var}:{label}(id)"


# ------------------------------------------------------------------------------ meta and docs

LOCK_META = (
    # Writing a property takes the node's write lock: concurrent writers queue here, so the
    # version check and the validation lookups below see a stable graph. MATCH, not MERGE:
    # MERGE's shared lock upgraded by SET deadlocks two concurrent writers.
    "MATCH (m:Meta {id: 'graph'}) SET m.writes = coalesce(m.writes, 0) + 1 RETURN m.version AS v"
)
ENSURE_META = "MERGE (m:Meta {id: 'graph'}) ON CREATE SET m.version = 0"
READ_VERSION = "OPTIONAL MATCH (m:Meta {id: 'graph'}) RETURN coalesce(m.version, 0) AS v"
BUMP_VERSION = "MATCH (m:Meta {id: 'graph'}) SET m.version = m.version + 1 RETURN m.version AS v"

PUT_DOCS = "UNWIND $rows AS row MERGE (d:Doc {collection: row.c, id: row.id}) SET d.json = row.json"
DOC_INDEX = "USING INDEX d:Doc(collection, id)"
DELETE_DOCS = (
    f"UNWIND $rows AS row MATCH (d:Doc {{collection: row.c, id: row.id}}) {DOC_INDEX} DELETE d"
)
GET_DOC = f"MATCH (d:Doc {{collection: $c, id: $id}}) {DOC_INDEX} RETURN d.json AS json"
LIST_DOCS = (
    f"MATCH (d:Doc) {DOC_INDEX} WHERE d.collection = $c AND d.id > $after "
    "RETURN d.id AS id, d.json AS json ORDER BY d.id LIMIT $limit"
)

# Batched so a big graph does not need one huge transaction (auto-commit session only).
CLEAR_LABELS: tuple[str, ...] = (*LABELS.values(), "Doc")
CLEAR = (
    "MATCH (n) WHERE " + " OR ".join(f"n:{label}" for label in CLEAR_LABELS) + " "
    "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF $rows ROWS"
)


# ------------------------------------------------------------------------------ entity writes


def edge_created_inline(kind: RecordKind) -> bool:
    """Whether new nodes of ``kind`` get their structural relationship in the upsert statement
    itself: when it points at another, earlier written kind (a contact's customer). A customer's
    or team's parent may come later in the same change set, so those get a second pass."""
    edge = ENTITY_EDGES.get(kind)
    return edge is not None and edge.target_label != LABELS[kind]


@cache
def upsert_entities(kind: RecordKind) -> str:
    """Create or replace entity nodes by id; returns per status (0 created, 1 updated,
    2 unchanged) the count and the ids whose structural relationship still needs linking: none
    for a kind without one, the updated ones when new nodes get theirs inline, else the created
    and updated ones. Unchanged nodes are not rewritten."""
    label = LABELS[kind]
    if kind not in ENTITY_EDGES:
        wanted = "false"
    elif edge_created_inline(kind):
        wanted = "st = 1"
    else:
        wanted = "st < 2"
    if edge_created_inline(kind):
        edge = ENTITY_EDGES[kind]
        target = (
            f"OPTIONAL MATCH (p:{edge.target_label} {{id: CASE WHEN st = 0 THEN row.ref END}}) "
            f"{by_id('p', edge.target_label)} "
        )
        create = f"CREATE (m:{label})-[:{edge.rel_type}]->(p) SET m = row.p"
    else:
        target = ""
        create = f"CREATE (m:{label}) SET m = row.p"
    return (
        "UNWIND $rows AS row "
        f"OPTIONAL MATCH (n:{label} {{id: row.id}}) {by_id('n', label)} "
        "WITH row, n, "
        "CASE WHEN n IS NULL THEN 0 WHEN properties(n) = row.p THEN 2 ELSE 1 END AS st "
        f"{target}"
        f"FOREACH (_ IN CASE WHEN st = 0 THEN [1] ELSE [] END | {create}) "
        "FOREACH (_ IN CASE WHEN st = 1 THEN [1] ELSE [] END | SET n = row.p) "
        f"RETURN st, count(*) AS n, collect(CASE WHEN {wanted} THEN row.id END) AS ids"
    )


@cache
def unlink_entity_edges(kind: RecordKind) -> str:
    """Remove an entity's structural relationship where it no longer matches its field."""
    edge = ENTITY_EDGES[kind]
    return (
        "UNWIND $rows AS row "
        f"MATCH (n:{LABELS[kind]} {{id: row.id}})-[old:{edge.rel_type}]->(p:{edge.target_label}) "
        f"{by_id('n', LABELS[kind])} "
        "WHERE row.ref IS NULL OR p.id <> row.ref "
        "DELETE old"
    )


@cache
def link_entity_edges(kind: RecordKind) -> str:
    """Make an entity's structural relationship match its field (idempotent MERGE); returns
    how many rows found both ends (fewer than sent means a referenced record is missing)."""
    edge = ENTITY_EDGES[kind]
    return (
        "UNWIND $rows AS row "
        f"MATCH (n:{LABELS[kind]} {{id: row.id}}) {by_id('n', LABELS[kind])} "
        f"MATCH (p:{edge.target_label} {{id: row.ref}}) {by_id('p', edge.target_label)} "
        f"MERGE (n)-[:{edge.rel_type}]->(p) "
        "RETURN count(*) AS n"
    )


@cache
def cascade_contacts() -> str:
    """Contacts of the given customers (they go when their customer is deleted)."""
    return (
        "UNWIND $ids AS id MATCH (c:Contact)-[:WORKS_AT]->(u:Customer {id: id}) "
        f"{by_id('u', 'Customer')} RETURN collect(c.id) AS ids"
    )


@cache
def delete_touching(entity: RecordKind, link: RecordKind, other: str | None) -> str:
    """Delete the ``link`` relationships touching the given entities; returns how many."""
    shape = LINKS[link]
    other_pat = f"(:{other})" if other else "()"
    return (
        "UNWIND $ids AS id "
        f"MATCH (n:{LABELS[entity]} {{id: id}})-[r:{shape.rel_type}]-{other_pat} "
        f"{by_id('n', LABELS[entity])} "
        "WITH DISTINCT r DELETE r RETURN count(*) AS n"
    )


@cache
def delete_entities(kind: RecordKind) -> str:
    """Delete entity nodes with their remaining (structural) relationships; returns how many."""
    return (
        f"UNWIND $ids AS id MATCH (n:{LABELS[kind]} {{id: id}}) {by_id('n', LABELS[kind])} "
        "DETACH DELETE n RETURN count(*) AS n"
    )


@cache
def children(kind: RecordKind) -> str:
    """Stored children (by parent_id) of each given parent: customer branches, sub-teams."""
    edge = ENTITY_EDGES[kind]
    label = LABELS[kind]
    # WITH fixes the start: the planner may not begin from a label scan of the other end.
    return (
        f"UNWIND $ids AS id MATCH (p:{label} {{id: id}}) {by_id('p', label)} "
        f"WITH id, p MATCH (c)-[:{edge.rel_type}]->(p) WHERE c:{label} "
        "RETURN collect([id, c.id]) AS pairs"
    )


# ------------------------------------------------------------------------------ link writes


@cache
def upsert_links(kind: RecordKind, start_label: str) -> str:
    """Create or replace link relationships between existing endpoints; per status counts."""
    s = LINKS[kind]
    return (
        "UNWIND $rows AS row "
        f"MATCH (a:{start_label} {{id: row.a}}) {by_id('a', start_label)} "
        f"MATCH (b:{s.end_label} {{id: row.b}}) {by_id('b', s.end_label)} "
        f"OPTIONAL MATCH (a)-[r:{s.rel_type}]->(b) "
        "WITH a, b, row, r, "
        "CASE WHEN r IS NULL THEN 0 WHEN properties(r) = row.p THEN 2 ELSE 1 END AS st "
        "FOREACH (_ IN CASE WHEN st = 0 THEN [1] ELSE [] END | "
        f"CREATE (a)-[x:{s.rel_type}]->(b) SET x = row.p) "
        "FOREACH (_ IN CASE WHEN st = 1 THEN [1] ELSE [] END | SET r = row.p) "
        "RETURN st, count(*) AS n"
    )


@cache
def delete_links(kind: RecordKind, start_label: str) -> str:
    """Delete named link relationships by endpoints; returns how many."""
    s = LINKS[kind]
    return (
        "UNWIND $rows AS row "
        f"MATCH (a:{start_label} {{id: row.a}})-[r:{s.rel_type}]->(:{s.end_label} {{id: row.b}}) "
        f"{by_id('a', start_label)} DELETE r RETURN count(*) AS n"
    )


@cache
def existing_links(kind: RecordKind, start_label: str) -> str:
    s = LINKS[kind]
    return (
        "UNWIND $rows AS row "
        f"MATCH (a:{start_label} {{id: row.a}})-[:{s.rel_type}]->(:{s.end_label} {{id: row.b}}) "
        f"{by_id('a', start_label)} RETURN collect(DISTINCT row.k) AS ks"
    )


# ------------------------------------------------------------------------------ reads


@cache
def existing_entities(kind: RecordKind) -> str:
    label = LABELS[kind]
    return (
        f"UNWIND $ids AS id MATCH (n:{label} {{id: id}}) {by_id('n', label)} "
        "RETURN collect(id) AS ks"
    )


@cache
def get_entity(kind: RecordKind) -> str:
    label = LABELS[kind]
    return f"MATCH (n:{label} {{id: $id}}) {by_id('n', label)} RETURN properties(n) AS p"


@cache
def get_link(kind: RecordKind, start_label: str) -> str:
    s = LINKS[kind]
    return (
        f"MATCH (a:{start_label} {{id: $a}})-[r:{s.rel_type}]->(:{s.end_label} {{id: $b}}) "
        f"{by_id('a', start_label)} RETURN properties(r) AS p LIMIT 1"
    )


@cache
def parents_of_entities(kind: RecordKind) -> str:
    edge = ENTITY_EDGES[kind]
    return (
        f"UNWIND $ids AS id MATCH (c:{LABELS[kind]} {{id: id}}) {by_id('c', LABELS[kind])} "
        f"WITH id, c MATCH (c)-[:{edge.rel_type}]->(p) WHERE p:{edge.target_label} "
        "RETURN collect([id, p.id]) AS pairs"
    )


@cache
def parents_of_links(kind: RecordKind) -> str:
    s = LINKS[kind]
    # WITH fixes the start (a plan from stale statistics once scanned every Contact per row).
    return (
        f"UNWIND $ids AS id MATCH (c:{s.start_label} {{id: id}}) {by_id('c', str(s.start_label))} "
        f"WITH id, c MATCH (c)-[:{s.rel_type}]->(p) WHERE p:{s.end_label} "
        "RETURN collect([id, p.id]) AS pairs"
    )


def field_expressions(kind: RecordKind) -> dict[str, str]:
    """Cypher expression of every model field of ``kind`` in the read pattern (``n`` for
    entities; ``(a)-[r]->(b)`` for links, where key endpoint fields are the endpoints' ids)."""
    fields = RECORD_TYPES[kind].model_fields
    if kind in LABELS:
        return {f: f"n.{f}" for f in fields}
    shape = LINKS[kind]
    out = {f: f"r.{f}" for f in fields}
    out[shape.start_field] = "a.id"
    out[shape.end_field] = "b.id"
    return out


def match_pattern(kind: RecordKind) -> str:
    """The MATCH pattern reading records of ``kind``; key in ``n.id`` or ``r.k``."""
    if kind in LABELS:
        return f"MATCH (n:{LABELS[kind]})"
    s = LINKS[kind]
    start = f"a:{s.start_label}" if s.start_label else "a"
    return f"MATCH ({start})-[r:{s.rel_type}]->(b:{s.end_label})"


# Filter fields selective enough to start from their index (one customer's contacts, one
# endpoint's links) rather than walking the key order.
SEEK_FIELDS: dict[RecordKind, dict[str, str]] = {RecordKind.CONTACT: {"customer_id": "n"}}


def seek_hint(kind: RecordKind, fields: Collection[str]) -> str | None:
    """Index hint for a read of ``kind`` filtered with a value on each of ``fields``: the
    index of a selective field if there is one, else None."""
    if kind in LABELS:
        for f in fields:
            if f in SEEK_FIELDS.get(kind, {}):
                return f"USING INDEX n:{LABELS[kind]}({f})"
        return None
    shape = LINKS[kind]
    if shape.start_field in fields and shape.start_label:
        return by_id("a", shape.start_label)
    if shape.end_field in fields:
        return by_id("b", shape.end_label)
    return None


def filter_hint(kind: RecordKind, fields: Collection[str]) -> str | None:
    """Index hint for an entity read filtered on its own ids (an account manager's accounts):
    seek those ids instead of scanning the label. None otherwise."""
    if kind in LABELS and "id" in fields:
        return by_id("n", LABELS[kind])
    return None


def order_hint(kind: RecordKind) -> str:
    """Index hint walking ``kind`` in key order (keyset pages)."""
    if kind in LABELS:
        return by_id("n", LABELS[kind])
    return f"USING INDEX r:{LINKS[kind].rel_type}({KEY_PROPERTY})"


def key_expression(kind: RecordKind) -> str:
    return "n.id" if kind in LABELS else f"r.{KEY_PROPERTY}"


def value_expression(kind: RecordKind) -> str:
    return "properties(n)" if kind in LABELS else "properties(r)"
