"""Hierarchy checks of an import: cycles with the stored records, and write rounds.

Pass 1 of the pipeline (:mod:`importers.pipeline`) holds the import's child -> parent edges as
hash pairs (:mod:`importers.key_index`). :class:`CycleCheck` adds the stored edges of the nodes
concerned and reports each cycle on one imported row along it; :func:`write_levels` orders a
self-referring kind (customers, teams) so that headquarters are written before their branches.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator

from graph.model import ENTITY_KINDS, HIERARCHIES, Record, RecordKind
from graph.store.base import Store
from importers.key_index import contains, hierarchy_cycles, key_hash
from importers.source import Source, SourceRow, build_record

__all__ = ["LOOKUP_CHUNK", "CycleCheck", "write_levels"]

LOOKUP_CHUNK = 2000

# A problem found after a row was accepted: (row, column, message, record label).
FailLate = Callable[[SourceRow, str, str, str], None]


class CycleCheck:
    """Finds the cycles an import's hierarchy edges make, together with the stored ones.

    ``imported`` are the sorted key hashes of the import's accepted rows per kind;
    ``rejected_rows`` the (file, row) of rejected rows (left out); ``fail_late`` rejects the
    row a cycle is reported on."""

    def __init__(
        self,
        store: Store,
        source: Source,
        imported: dict[RecordKind, array[int]],
        rejected_rows: set[tuple[str, int | None]],
        fail_late: FailLate,
    ) -> None:
        self.store = store
        self.source = source
        self.imported = imported
        self.rejected_rows = rejected_rows
        self.fail_late = fail_late

    def run(
        self,
        edge_child: dict[RecordKind, array[int]],
        edge_parent: dict[RecordKind, array[int]],
    ) -> None:
        """Cycles the import's hierarchy edges make, together with the stored ones: the import's
        edges are held as hash pairs; stored edges of the nodes concerned are fetched in
        batches and added the same way (for customers and teams an imported row replaces the
        stored parent; reporting lines add to the stored ones)."""
        kinds = [k for k in edge_child if edge_child[k]]
        for kind in kinds:
            children, parents = edge_child.pop(kind), edge_parent.pop(kind)
            names: dict[int, str] = {}
            if self.store.count(kind):
                self._add_stored_edges(kind, children, parents, names)
            found = hierarchy_cycles(children, parents)
            del children, parents
            if found:
                self._report_hash_cycles(kind, found, names)
        edge_child.clear()
        edge_parent.clear()

    def _add_stored_edges(
        self, kind: RecordKind, children: array[int], parents: array[int], names: dict[int, str]
    ) -> None:
        """Append the stored child -> parent edges reachable from the import's hierarchy."""
        replaces = kind in ENTITY_KINDS
        imported = self.imported.get(kind) if replaces else None
        looked: set[int] = set()  # nodes already looked up (each once)

        def wanted(key: str, from_store: bool) -> bool:
            h = key_hash(key)
            if imported is not None and contains(imported, h):
                return False  # an imported customer/team row says who its parent is
            if h in looked:
                return False
            looked.add(h)
            if from_store:
                names[h] = key  # may be a node no imported row names
            return True

        def lookup(keys: list[str]) -> list[str]:
            """Add the stored parents of ``keys``; return the parents still to look up."""
            follow = []
            for child, ups in self.store.parents(kind, keys).items():
                for up in ups:
                    children.append(key_hash(child))
                    parents.append(key_hash(up))
                    if wanted(up, True):
                        follow.append(up)
            return follow

        chunk: list[str] = []
        frontier: list[str] = []
        for _row, _record, child, parent in self._hierarchy_rows(kind):
            for node in (parent,) if replaces else (child, parent):
                if wanted(node, False):
                    chunk.append(node)
            if len(chunk) >= LOOKUP_CHUNK:
                frontier += lookup(chunk)
                chunk = []
        if chunk:
            frontier += lookup(chunk)
        while frontier:
            batch, frontier = frontier[:LOOKUP_CHUNK], frontier[LOOKUP_CHUNK:]
            frontier += lookup(batch)

    def _hierarchy_rows(self, kind: RecordKind) -> Iterator[tuple[SourceRow, Record, str, str]]:
        """Accepted rows of a hierarchy kind with their child and parent keys."""
        child_field, parent_field = HIERARCHIES[kind]
        for row in self.source.rows(kind):
            if (row.file, row.row) in self.rejected_rows:
                continue
            record, _ = build_record(row)
            if record is None:
                continue
            parent = getattr(record, parent_field)
            if parent:
                yield row, record, getattr(record, child_field), parent

    def _report_hash_cycles(
        self, kind: RecordKind, found: list[tuple[int, int, list[int]]], names: dict[int, str]
    ) -> None:
        """Name each cycle and report it on one imported row along it."""
        on_cycle: dict[tuple[int, int], int] = {}
        for index, (_c, _p, path) in enumerate(found):
            for a, b in zip(path, path[1:], strict=False):
                on_cycle.setdefault((a, b), index)
        nodes = {h for _c, _p, path in found for h in path}
        hits: dict[int, tuple[SourceRow, Record]] = {}
        for row, record, child, parent in self._hierarchy_rows(kind):
            hc, hp = key_hash(child), key_hash(parent)
            if hc in nodes:
                names[hc] = child
            if hp in nodes:
                names[hp] = parent
            which = on_cycle.get((hc, hp))
            if which is not None and which not in hits:
                hits[which] = (row, record)
        for which, (row, record) in sorted(hits.items()):
            path = found[which][2][:-1]
            start = path.index(key_hash(getattr(record, HIERARCHIES[kind][0])))
            path = path[start:] + path[:start] + [path[start]]  # begin at this row's record
            loop = " -> ".join(repr(names.get(h, "?")) for h in path)
            self._cycle_problem(kind, row, record, loop)

    def _cycle_problem(self, kind: RecordKind, row: SourceRow, record: Record, loop: str) -> None:
        _child_field, parent_field = HIERARCHIES[kind]
        self.fail_late(
            row,
            row.column(parent_field),
            f"makes a cycle ({loop}): nobody may end up above themselves",
            record.label(),
        )


def write_levels(
    parent_of_kind: dict[RecordKind, dict[str, str]], forward_of_kind: dict[RecordKind, set[str]]
) -> dict[RecordKind, dict[str, int]]:
    """Write rounds for self-referring kinds: a branch listed before its headquarters goes
    one round after it; a branch listed after goes in the same round (the HQ is written in
    an earlier batch or the same one). round(child) = round(parent) + (1 if listed before).

    ``parent_of_kind`` is child -> parent per kind, ``forward_of_kind`` the children listed
    before their parent; only keys of a round above 0 are returned."""
    out: dict[RecordKind, dict[str, int]] = {}
    for kind, parent_of in parent_of_kind.items():
        forward = forward_of_kind.get(kind, set())
        levels: dict[str, int] = {}
        for key in parent_of:
            chain: list[str] = []
            node = key
            while node in parent_of and node not in levels and len(chain) <= len(parent_of):
                chain.append(node)
                node = parent_of[node]
            level = levels.get(node, 0)
            for n in reversed(chain):
                level += 1 if n in forward else 0
                levels[n] = level
        out[kind] = {k: v for k, v in levels.items() if v}
    return out
