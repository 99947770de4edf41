"""The Neo4j store's statements built per call, and conversions between records and rows.

``graph.store.cypher`` holds the fixed statements and the graph shape; here are the parts that
depend on a call's arguments: filter conditions (the store filter rule of
``graph.store.reader`` in Cypher), keyset page and count statements, the lookups validation runs
inside a write's transaction, the graph-wide write lock, and records to and from UNWIND rows and
stored properties. Used by ``graph.store.neo4j`` (reads) and ``graph.store.neo4j_write``
(change sets).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import Any, TypeVar

import neo4j
from neo4j import ManagedTransaction

from graph.model import HIERARCHIES, RECORD_TYPES, Record, RecordKind, record_to_dict, split_key
from graph.store import cypher as cy
from graph.store.base import Position, filter_value
from graph.store.reader import Where, is_membership

T = TypeVar("T")

LOOKUP_CHUNK = 10_000  # keys per existence / parent lookup statement


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """``items`` in slices of at most ``size`` (one UNWIND statement each)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def where_cypher(
    kind: RecordKind, where: Where | None, seekable: set[str] | None = None
) -> tuple[list[str], dict[str, Any]]:
    """Cypher conditions and parameters for a filter; field names are checked against the
    model and mapped to fixed expressions, values travel as parameters. ``seekable`` collects
    the fields compared with non-null values only (an index can start from those)."""
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if not where:
        return clauses, params
    exprs = cy.field_expressions(kind)
    for i, (field, value) in enumerate(where.items()):
        expr = exprs.get(field)
        if expr is None:
            raise ValueError(f"{kind.value} has no field {field!r}")
        name = f"w{i}"
        if is_membership(value):
            values = [filter_value(kind, field, v) for v in value]
            present = [v for v in values if v is not None]
            parts = [f"{expr} IN ${name}"] if present else []
            if present:
                params[name] = present
            if len(present) < len(values):
                parts.append(f"{expr} IS NULL")
            elif present and seekable is not None:
                seekable.add(field)
            clauses.append("(" + " OR ".join(parts) + ")" if parts else "false")
        else:
            stored = filter_value(kind, field, value)
            if stored is None:
                clauses.append(f"{expr} IS NULL")
            else:
                clauses.append(f"{expr} = ${name}")
                params[name] = stored
                if seekable is not None:
                    seekable.add(field)
    return clauses, params


def keyset_cypher(
    expr: str, key: str, descending: bool, position: Position | None
) -> tuple[str, dict[str, Any]]:
    """The condition resuming a (field, key) ordered listing after ``position`` (none without
    one). Neo4j sorts nulls (absent properties) last ascending and first descending, after
    every value; the condition follows that order. ``expr`` and ``key`` are fixed expressions
    of the model's fields, the cursor travels as parameters."""
    if position is None:
        return "", {}
    params: dict[str, Any] = {"sk": position.key}
    if position.value is None:
        if descending:
            return f"({expr} IS NOT NULL OR {key} < $sk)", params
        return f"({expr} IS NULL AND {key} > $sk)", params
    params["sv"] = position.value
    if descending:
        return f"({expr} < $sv OR ({expr} = $sv AND {key} < $sk))", params
    return f"({expr} > $sv OR ({expr} = $sv AND {key} > $sk) OR {expr} IS NULL)", params


def entity_props(record: Record) -> dict[str, Any]:
    """Node properties of an entity: its JSON fields, without the ``None`` ones (Neo4j stores
    no nulls; an absent property reads back as the field's default ``None``)."""
    return {k: v for k, v in record_to_dict(record).items() if v is not None}


def link_row(record: Record) -> tuple[str, dict[str, Any]]:
    """(start label, UNWIND row) of a link record: endpoint ids, key and properties."""
    shape = cy.LINKS[record.kind]
    data = record_to_dict(record)
    a = data.pop(shape.start_field)
    b = data.pop(shape.end_field)
    props = {k: v for k, v in data.items() if v is not None}
    key = props[cy.KEY_PROPERTY] = record.key
    label = shape.start_label or cy.HOLDER_LABELS[props["holder_kind"]]
    return label, {"a": a, "b": b, "k": key, "p": props}


def link_key_row(kind: RecordKind, key: str) -> tuple[str, dict[str, Any]] | None:
    """(start label, row) addressing a link by its key, or None if the key cannot be one."""
    shape = cy.LINKS[kind]
    fields = RECORD_TYPES[kind].key_fields
    parts = split_key(key)
    if len(parts) != len(fields):
        return None
    named = dict(zip(fields, parts, strict=True))
    if shape.start_label:
        label = shape.start_label
    else:
        found = cy.HOLDER_LABELS.get(named.get("holder_kind", ""))
        if found is None:
            return None
        label = found
    return label, {"a": named[shape.start_field], "b": named[shape.end_field], "k": key}


def single_list(result: neo4j.Result, field: str) -> list[Any]:
    """The list in ``field`` of a statement that aggregates into one row (one Bolt message
    instead of one per row: much cheaper for the driver)."""
    row = result.single()
    return list(row[field]) if row else []


def record_of(kind: RecordKind, props: dict[str, Any]) -> Record:
    """A record from stored properties (links: key fields restored from ``k``)."""
    if kind not in cy.LABELS:
        props = dict(props)
        key = props.pop(cy.KEY_PROPERTY)
        props.update(zip(RECORD_TYPES[kind].key_fields, split_key(key), strict=True))
    return RECORD_TYPES[kind].model_validate(props)


def page_query(
    kind: RecordKind,
    where: Where | None,
    order_by: str | None = None,
    descending: bool = False,
    position: Position | None = None,
) -> tuple[str, dict[str, Any]]:
    """One page's statement and parameters (besides ``$limit``)."""
    seekable: set[str] = set()
    clauses, params = where_cypher(kind, where, seekable)
    key = cy.key_expression(kind)
    var = "n" if kind in cy.LABELS else "r"
    if order_by is None and not descending:
        conditions = [f"{key} > $after", *clauses]
        params["after"] = position.key if position else ""  # "" is before every key
        # Hints keep pages index-driven whatever the planner's (possibly stale) statistics
        # say.
        hint = cy.seek_hint(kind, seekable) or cy.order_hint(kind)
        order = key
    elif order_by is None:
        # Descending key order walks the same index backwards; ``>= ""`` (every key) gives
        # the first page a range predicate to seek with.
        cond = f"{key} < $after" if position else f'{key} >= ""'
        if position:
            params["after"] = position.key
        conditions = [cond, *clauses]
        hint = cy.seek_hint(kind, seekable) or cy.order_hint(kind)
        order = f"{key} DESC"
    else:
        expr = cy.field_expressions(kind)[order_by]
        keyset, keyset_params = keyset_cypher(expr, key, descending, position)
        conditions = [*clauses, *([keyset] if keyset else [])]
        params.update(keyset_params)
        # A selective filter's index if there is one; else the planner's choice (a label or
        # type scan feeding a top-N sort: no index holds the (field, key) order).
        hint = cy.seek_hint(kind, seekable) or cy.filter_hint(kind, seekable) or ""
        way = " DESC" if descending else ""
        var = f"{var}, {expr} AS sv"
        order = f"sv{way}, {key}{way}"
    where_text = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    hint_text = f" {hint}" if hint else ""
    # One aggregated row per page: one Bolt message instead of one per record, which makes
    # the driver several times faster; collect keeps the order.
    query = (
        f"{cy.match_pattern(kind)}{hint_text}{where_text} "
        f"WITH {var} ORDER BY {order} LIMIT $limit "
        f"RETURN collect({cy.value_expression(kind)}) AS ps"
    )
    return query, params


def count_query(kind: RecordKind, where: Where | None) -> tuple[str, dict[str, Any]]:
    """The statement counting the records of ``kind`` matching ``where``, and its parameters."""
    seekable: set[str] = set()
    clauses, params = where_cypher(kind, where, seekable)
    var = "n" if kind in cy.LABELS else "r"
    cond = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    hint = cy.seek_hint(kind, seekable)
    hint = f" {hint}" if hint else ""
    return f"{cy.match_pattern(kind)}{hint}{cond} RETURN count({var}) AS n", params


def existing_keys(tx: ManagedTransaction, kind: RecordKind, keys: Collection[str]) -> set[str]:
    """Which of ``keys`` exist, in any transaction (validation runs inside the write's)."""
    out: set[str] = set()
    if kind in cy.LABELS:
        for ids in chunks(list(keys), LOOKUP_CHUNK):
            out.update(single_list(tx.run(cy.existing_entities(kind), ids=list(ids)), "ks"))
        return out
    by_label: dict[str, list[dict[str, Any]]] = {}
    for key in keys:
        addressed = link_key_row(kind, key)
        if addressed is not None:
            by_label.setdefault(addressed[0], []).append(addressed[1])
    for label, rows in by_label.items():
        for chunk in chunks(rows, LOOKUP_CHUNK):
            found = tx.run(cy.existing_links(kind, label), rows=list(chunk))
            out.update(single_list(found, "ks"))
    return out


def parents(
    tx: ManagedTransaction, kind: RecordKind, children: Collection[str]
) -> dict[str, list[str]]:
    """The stored parents of each child of a hierarchy kind."""
    if kind not in HIERARCHIES:
        raise ValueError(f"{kind.value} is not a hierarchy kind")
    query = cy.parents_of_entities(kind) if kind in cy.LABELS else cy.parents_of_links(kind)
    out: dict[str, list[str]] = {}
    for ids in chunks(list(children), LOOKUP_CHUNK):
        for child, parent in single_list(tx.run(query, ids=list(ids)), "pairs"):
            out.setdefault(child, []).append(parent)
    return {k: sorted(v) for k, v in out.items()}


def children(
    tx: ManagedTransaction, kind: RecordKind, parents: Collection[str]
) -> dict[str, list[str]]:
    """Stored children (by parent_id) of each given customer or team."""
    out: dict[str, list[str]] = {}
    for ids in chunks(list(parents), LOOKUP_CHUNK):
        for parent, child in single_list(tx.run(cy.children(kind), ids=list(ids)), "pairs"):
            out.setdefault(parent, []).append(child)
    return {k: sorted(v) for k, v in out.items()}


def lock_meta(tx: ManagedTransaction) -> Any:
    """Take the graph-wide write lock (the Meta node), creating the node if a fresh database
    lacks it; returns the row holding the current version."""
    row = tx.run(cy.LOCK_META).single()
    if row is None:
        tx.run(cy.ENSURE_META).consume()
        row = tx.run(cy.LOCK_META).single()
    return row
