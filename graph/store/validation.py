"""Validation of a change set against itself and a store: the one place for the graph's rules.

Field rules (enums, ranges, required fields, self-loops) live on the model and surface here as
pydantic errors; this module adds what needs more than one record: references that exist,
duplicate keys with different content, and reporting / hierarchy cycles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from functools import partial
from typing import Any

from pydantic import ValidationError

from graph.model import ENTITY_KINDS, HIERARCHIES, RECORD_TYPES, Record, RecordKind
from graph.store.base import ChangeSet, RecordError, canonical_json

ExistingKeys = Callable[[RecordKind, Collection[str]], set[str]]
Parents = Callable[[RecordKind, Collection[str]], dict[str, list[str]]]
# For an entity hierarchy kind: the stored children (by parent_id) of each given parent key.
Children = Callable[[RecordKind, Collection[str]], dict[str, list[str]]]


def errors_from_pydantic(
    kind: RecordKind, data: Mapping[str, Any], exc: ValidationError, source: str = ""
) -> list[RecordError]:
    """Turn pydantic's errors for one raw record into RecordErrors naming record and field."""
    key_fields = RECORD_TYPES[kind].key_fields
    key = " -> ".join(str(data.get(f, "?")) for f in key_fields)
    label = f"{kind.value} {key!r}"
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
            if ": " in msg and not loc:
                loc, msg = msg.split(": ", 1)
        out.append(RecordError(label, loc, msg, source))
    return out


def validate_changes(
    changes: ChangeSet, existing_keys: ExistingKeys, parents: Parents
) -> list[RecordError]:
    """All problems of a change set, given how to look up the store; empty means valid."""
    errors: list[RecordError] = []
    by_kind: dict[RecordKind, dict[str, Record]] = defaultdict(dict)
    src = changes.sources

    for record in changes.upserts:
        seen = by_kind[record.kind].get(record.key)
        if seen is not None and seen != record:
            errors.append(
                RecordError(
                    record.label(),
                    "",
                    "appears twice with different values",
                    src.get(id(record), ""),
                )
            )
        by_kind[record.kind][record.key] = record

    deleted: dict[RecordKind, set[str]] = defaultdict(set)
    for kind, key in changes.deletes:
        deleted[kind].add(key)

    errors.extend(_check_references(by_kind, deleted, existing_keys, src))
    errors.extend(_check_cycles(by_kind, parents, src))
    return errors


def validate_deletes(changes: ChangeSet, children: Children) -> list[RecordError]:
    """Problems with a change set's deletes: a key both upserted and deleted (ambiguous), and a
    customer or team deleted while a branch / sub-team still points at it via ``parent_id`` (unless
    that child is deleted too, or moved to another parent, in the same change set)."""
    errors: list[RecordError] = []
    if not changes.deletes:  # the common bulk case: nothing to check, no index of the upserts
        return errors
    upserted: dict[tuple[RecordKind, str], Record] = {(r.kind, r.key): r for r in changes.upserts}
    deleted: dict[RecordKind, set[str]] = defaultdict(set)
    for kind, key in changes.deletes:
        if (kind, key) in upserted and key not in deleted[kind]:
            errors.append(
                RecordError(
                    f"{kind.value} {key!r}", "", "is both upserted and deleted in one change set"
                )
            )
        deleted[kind].add(key)
    for kind, (_child_field, parent_field) in HIERARCHIES.items():
        keys = deleted.get(kind)
        if kind not in ENTITY_KINDS or not keys:
            continue
        for parent, kids in sorted(children(kind, keys).items()):
            for child in sorted(kids):
                if child in keys:
                    continue
                moved = upserted.get((kind, child))
                if moved is not None and getattr(moved, parent_field) != parent:
                    continue
                errors.append(
                    RecordError(
                        f"{kind.value} {child!r}",
                        parent_field,
                        f"still has {kind.value} {parent!r} as parent, which is being deleted: "
                        "delete or move it in the same change set",
                    )
                )
    return errors


def _check_references(
    by_kind: Mapping[RecordKind, Mapping[str, Record]],
    deleted: Mapping[RecordKind, set[str]],
    existing_keys: ExistingKeys,
    src: Mapping[int, str],
) -> list[RecordError]:
    wanted: dict[RecordKind, set[str]] = defaultdict(set)
    for records in by_kind.values():
        for record in records.values():
            for ref in record.refs():
                if ref.key not in by_kind.get(ref.kind, {}):
                    wanted[ref.kind].add(ref.key)
    found = {
        kind: existing_keys(kind, keys) - deleted.get(kind, set()) for kind, keys in wanted.items()
    }
    errors = []
    for records in by_kind.values():
        for record in records.values():
            for ref in record.refs():
                in_batch = ref.key in by_kind.get(ref.kind, {})
                if not in_batch and ref.key not in found.get(ref.kind, set()):
                    errors.append(
                        RecordError(
                            record.label(),
                            ref.field,
                            f"refers to unknown {ref.kind.value} {ref.key!r}",
                            src.get(id(record), ""),
                        )
                    )
    return errors


def _check_cycles(
    by_kind: Mapping[RecordKind, Mapping[str, Record]], parents: Parents, src: Mapping[int, str]
) -> list[RecordError]:
    """Batch records that close a cycle with the batch and stored edges. Stored parents are
    looked up level by level for all batch nodes at once (one lookup per level, not per
    record); an edge child -> parent closes a cycle iff both lie in one strongly connected
    component of the combined upward graph."""
    errors = []
    for kind, (child_field, parent_field) in HIERARCHIES.items():
        records = by_kind.get(kind)
        if not records:
            continue
        replaces = kind in ENTITY_KINDS  # an entity's parent_id replaces its stored parent
        batch_up: dict[str, list[str]] = defaultdict(list)
        for record in records.values():
            parent = getattr(record, parent_field)
            child = getattr(record, child_field)
            if replaces:
                batch_up[child] = [parent] if parent else []
            elif parent:
                batch_up[child].append(parent)
        up = _upward_graph(batch_up, replaces, partial(parents, kind))
        component = _components(up)
        reported: set[str] = set()
        for record in records.values():
            child, parent = getattr(record, child_field), getattr(record, parent_field)
            if not parent or child in reported:
                continue
            if component[child] == component[parent]:
                reported.add(child)
                errors.append(
                    RecordError(
                        record.label(),
                        parent_field,
                        f"makes a cycle: {parent!r} is already below {child!r}",
                        src.get(id(record), ""),
                    )
                )
    return errors


def _upward_graph(
    batch_up: Mapping[str, list[str]],
    replaces: bool,
    stored: Callable[[list[str]], dict[str, list[str]]],
) -> dict[str, list[str]]:
    """Every node reachable upward from the batch, with its parents: batch edges plus stored
    ones (for entities, a batch parent replaces the stored one)."""
    up: dict[str, list[str]] = {}
    frontier = list(dict.fromkeys([*batch_up, *(p for ps in batch_up.values() for p in ps)]))
    while frontier:
        lookup = [n for n in frontier if not (replaces and n in batch_up)]
        from_store = stored(lookup) if lookup else {}
        nxt: dict[str, None] = {}
        for node in frontier:
            ups = list(batch_up.get(node, []))
            if not (replaces and node in batch_up):
                ups += from_store.get(node, [])
            up[node] = ups
            nxt.update((parent, None) for parent in ups)
        frontier = [n for n in nxt if n not in up]
    return up


def _components(graph: Mapping[str, list[str]]) -> dict[str, int]:
    """Strongly connected component id of every node (iterative Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    comp: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    counter = 0
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            succ = graph.get(node, [])
            descended = False
            while i < len(succ):
                nxt = succ[i]
                i += 1
                if nxt not in index:
                    work.append((node, i))
                    work.append((nxt, 0))
                    descended = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if descended:
                continue
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    comp[member] = index[node]
                    if member == node:
                        break
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return comp


def validate_docs(docs: Iterable[tuple[str, str, Mapping[str, Any] | None]]) -> list[RecordError]:
    """Documents must be JSON objects with a non-empty collection and id."""
    errors = []
    for collection, doc_id, data in docs:
        label = f"document {collection!r}/{doc_id!r}"
        if not collection or not doc_id:
            errors.append(RecordError(label, "id", "collection and id must not be empty"))
        elif data is not None:
            if not isinstance(data, Mapping):
                errors.append(RecordError(label, "data", "must be a JSON object"))
                continue
            try:
                canonical_json(data)
            except (TypeError, ValueError) as exc:
                errors.append(RecordError(label, "data", f"is not JSON: {exc}"))
    return errors
