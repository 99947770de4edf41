"""The import pipeline: read every row and validate it all first, then write in batches.

Why two passes: a store write is atomic per change set, but a million customers do not fit in
one change set. So pass 1 streams through every file, validates each row with the model, checks
duplicate keys, references (against the rows of this import, then against the store, batched)
and hierarchy cycles, and collects *every* problem while holding only a compact index (hashes of
the keys seen). Only when nothing is wrong (or with ``lenient``) does pass 2 stream the files
again and upsert them in batches, kinds in ``WRITE_ORDER`` so that links come after the records
they join, and branches after their headquarters.

Crash safety follows from the same design: every batch is an idempotent upsert by key written
in dependency order, so an import killed at any point and run again completes with no duplicates
(keys are unique) and no orphans (a link is only written once its ends are).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from graph.model import (
    ENTITY_KINDS,
    HIERARCHIES,
    KEY_SEPARATOR,
    WRITE_ORDER,
    Record,
    RecordKind,
    record_from_dict,
    record_to_dict,
)
from graph.store import ChangeSet, Store, ValidationFailed
from graph.validation import errors_from_pydantic
from importers.report import ImportProblem, ImportReport, RejectWriter
from importers.source import Source, SourceRow

LOOKUP_CHUNK = 2000
PENDING_FLUSH = 20_000
PRUNE_SHOW = 20


@dataclass
class ImportOptions:
    """How to import: ``lenient`` writes the good rows (rejects to ``rejects``); ``prune``
    deletes stored records of the imported kinds that the files do not hold (``dry_run`` only
    reports what would be written and pruned)."""

    lenient: bool = False
    rejects: Path | None = None
    prune: bool = False
    dry_run: bool = False
    batch_size: int = 5000


class ProgressSink:
    """Where the pipeline reports progress (the CLI draws a bar; the API ignores it)."""

    def phase(self, name: str, total: int | None) -> None:  # noqa: B027 - optional hook
        """A new phase begins (``total`` rows, if known)."""

    def advance(self, n: int) -> None:  # noqa: B027 - optional hook
        """``n`` more rows done."""


_Loc = tuple[str, int | None, str, str]  # file, row, column, record label


@dataclass(slots=True)
class _Pending:
    """A reference not yet resolved: to a key not (yet) among this import's rows."""

    ref_kind: RecordKind
    ref_key: str
    field: str
    row: SourceRow
    label: str
    checked_store: bool = False


def _source_text(row: SourceRow) -> str:
    return f"{row.file} row {row.row}" if row.row is not None else row.file


def _label(kind: RecordKind, data: dict[str, object], record: Record | None) -> str:
    if record is not None:
        return record.label()
    from graph.model import RECORD_TYPES

    key = " -> ".join(str(data.get(f, "?")) for f in RECORD_TYPES[kind].key_fields)
    return f"{kind.value} {key!r}"


def build_record(row: SourceRow) -> tuple[Record | None, list[ImportProblem]]:
    """The record of a row, or the problems that stop it, each naming the column at fault."""
    problems = list(row.problems)
    try:
        record = record_from_dict(row.kind, row.data)
    except ValidationError as exc:
        for err in errors_from_pydantic(row.kind, row.data, exc):
            field = err.field.split(".", 1)[0]
            message = err.message
            if field and field not in row.data and message == "Field required":
                message = "is required but empty"
            problems.append(row.problem(row.column(field) if field else "", message, err.record))
        return None, problems
    return record, problems


class ImportRun:
    """One import of one source into one store (use :func:`run_import`)."""

    def __init__(
        self,
        store: Store,
        source: Source,
        options: ImportOptions,
        progress: ProgressSink | None = None,
    ) -> None:
        self.store = store
        self.source = source
        self.options = options
        self.progress = progress or ProgressSink()
        self.report = ImportReport(format=source.format, dry_run=options.dry_run)
        self.rejects = RejectWriter(options.rejects if options.lenient else None)
        self._index: dict[RecordKind, set[int]] = defaultdict(set)
        self._bad_keys: dict[RecordKind, set[str]] = defaultdict(set)
        self._rejected_rows: set[tuple[str, int | None]] = set()
        self._pending: list[_Pending] = []
        # hierarchy edges child -> [(parent, (file, row, column of parent))]
        self._edges: dict[RecordKind, dict[str, list[tuple[str, _Loc]]]] = defaultdict(dict)
        self._forward: dict[RecordKind, dict[str, str]] = defaultdict(dict)
        self._levels: dict[RecordKind, dict[str, int]] = {}

    # ------------------------------------------------------------------------------ driver

    def run(self) -> ImportReport:
        try:
            self.report.problems.extend(self.source.problems)
            self.report.warnings.extend(self.source.warnings)
            self._validate_all()
            if self.report.problems and not self.options.lenient:
                return self.report
            if self.options.prune:
                self._find_prune_candidates()
            if self.options.dry_run:
                return self.report
            self._write_all()
            if self.options.prune and not self.report.problems:
                self._prune()
            elif self.options.prune:
                self.report.warnings.append("nothing pruned: some rows were rejected")
            return self.report
        finally:
            self.rejects.close()
            if self.rejects.count:
                self.report.rejects_file = str(self.rejects.path)

    # ------------------------------------------------------------------------------ pass 1

    def _reject(self, row: SourceRow, problems: Iterable[ImportProblem]) -> None:
        problems = list(problems)
        self.report.problems.extend(problems)
        if (row.file, row.row) not in self._rejected_rows:
            self._rejected_rows.add((row.file, row.row))
            self.report.of(row.kind).rejected += 1
        for p in problems:
            self.rejects.write(p, row.values if row.values is not None else row.data)

    def _validate_all(self) -> None:
        self.progress.phase("checking", None)
        for kind in self.source.kinds():
            summary = self.report.of(kind)
            for row in self.source.rows(kind):
                summary.rows += 1
                self._validate_row(row)
                self.progress.advance(1)
                if len(self._pending) >= PENDING_FLUSH:
                    self._check_pending_in_store()
        self._resolve_pending()
        self._check_cycles()
        self._compute_levels()

    def _validate_row(self, row: SourceRow) -> None:
        record, problems = build_record(row)
        if record is None:
            if row.kind in ENTITY_KINDS and "id" in row.data:
                self._bad_keys[row.kind].add(str(row.data["id"]))
            self._reject(row, problems)
            return
        kind, key = record.kind, record.key
        label = record.label()
        h = hash(key)
        if h in self._index[kind]:
            problems.append(
                row.problem(
                    row.column(record.key_fields[0]),
                    "appears more than once in this import: keep one row per "
                    + ("id" if len(record.key_fields) == 1 else " and ".join(record.key_fields)),
                    label,
                )
            )
            self._reject(row, problems)
            return
        if problems:
            self._bad_keys[kind].add(key)
            self._reject(row, problems)
            return
        for ref in record.refs():
            if ref.key in self._bad_keys.get(ref.kind, ()):
                problems.append(
                    row.problem(
                        row.column(ref.field),
                        f"refers to {ref.kind.value} {ref.key!r}, whose own row has errors",
                        label,
                    )
                )
            elif hash(ref.key) not in self._index[ref.kind]:
                self._pending.append(_Pending(ref.kind, ref.key, ref.field, row, label))
                if ref.kind is kind:
                    self._forward[kind][key] = ref.key
        if problems:
            self._bad_keys[kind].add(key)
            self._reject(row, problems)
            return
        self._index[kind].add(h)
        if kind in HIERARCHIES:
            child_field, parent_field = HIERARCHIES[kind]
            parent = getattr(record, parent_field)
            if parent:
                loc = (row.file, row.row, row.column(parent_field), label)
                self._edges[kind].setdefault(getattr(record, child_field), []).append((parent, loc))

    def _check_pending_in_store(self) -> None:
        """Drop pending references the store already holds (bounded memory on big imports)."""
        todo = [p for p in self._pending if not p.checked_store and hash(p.ref_key) not in self._index[p.ref_kind]]
        found = self._existing(todo)
        keep = []
        for p in self._pending:
            if hash(p.ref_key) in self._index[p.ref_kind]:
                continue
            if not p.checked_store:
                if p.ref_key in found[p.ref_kind]:
                    continue
                p.checked_store = True
            keep.append(p)
        self._pending = keep

    def _existing(self, pending: list[_Pending]) -> dict[RecordKind, set[str]]:
        """Which referenced keys the store holds. With ``prune`` the files are a full export of
        their kinds, so references to those kinds must be met by the files themselves (the
        stored records they do not hold are about to go)."""
        pruned = set(self.source.kinds()) if self.options.prune else set()
        wanted: dict[RecordKind, set[str]] = defaultdict(set)
        for p in pending:
            if p.ref_kind not in pruned:
                wanted[p.ref_kind].add(p.ref_key)
        found: dict[RecordKind, set[str]] = defaultdict(set)
        for kind, keys in wanted.items():
            ordered = sorted(keys)
            for start in range(0, len(ordered), LOOKUP_CHUNK):
                found[kind] |= self.store.existing_keys(kind, ordered[start : start + LOOKUP_CHUNK])
        return found

    def _resolve_pending(self) -> None:
        self._check_pending_in_store()
        for p in self._pending:
            if p.ref_key in self._bad_keys.get(p.ref_kind, ()):
                message = f"refers to {p.ref_kind.value} {p.ref_key!r}, whose own row has errors"
            else:
                message = (
                    f"refers to {p.ref_kind.value} {p.ref_key!r}, which is neither in these "
                    "files nor already stored"
                )
            self._fail_late(p.row, p.row.column(p.field), message, p.label)
        self._pending = []

    def _fail_late(self, row: SourceRow, column: str, message: str, label: str) -> None:
        """A problem found after the row was accepted (reference, cycle): un-accept it."""
        self._reject(row, [row.problem(column, message, label)])
        record, _ = build_record(row)
        if record is not None:
            self._index[row.kind].discard(hash(record.key))
            if row.kind in ENTITY_KINDS:
                self._bad_keys[row.kind].add(record.key)

    def _check_cycles(self) -> None:
        for kind, edges in self._edges.items():
            if not edges:
                continue
            child_field, parent_field = HIERARCHIES[kind]
            for child, parent, loc, path in find_cycles(
                edges, kind in ENTITY_KINDS, lambda keys, k=kind: self.store.parents(k, keys)
            ):
                loop = " -> ".join(repr(n) for n in path)
                file, number, column, label = loc
                row = SourceRow(kind, {child_field: child, parent_field: parent}, file, number)
                self._reject(
                    row,
                    [
                        row.problem(
                            column,
                            f"makes a cycle ({loop}): nobody may end up above themselves",
                            label,
                        )
                    ],
                )
                if kind in ENTITY_KINDS:
                    self._index[kind].discard(hash(child))
                    self._bad_keys[kind].add(child)
                else:
                    self._index[kind].discard(hash(f"{child}{KEY_SEPARATOR}{parent}"))
        self._edges.clear()

    def _compute_levels(self) -> None:
        """Branches whose HQ row comes later in the file are written in a later round."""
        for kind, forward in self._forward.items():
            levels: dict[str, int] = {}
            for key in forward:
                chain, node = [], key
                while node in forward and node not in levels and len(chain) <= len(forward):
                    chain.append(node)
                    node = forward[node]
                base = levels.get(node, 0)
                for depth, n in enumerate(reversed(chain), start=1):
                    levels[n] = base + depth
            self._levels[kind] = levels
        self._forward.clear()

    # ------------------------------------------------------------------------------ pass 2

    def _write_all(self) -> None:
        total = sum(s.rows - s.rejected for s in self.report.kinds.values())
        self.progress.phase("writing", total)
        batch = ChangeSet()
        rejected_keys = self._bad_keys
        for kind in self.source.kinds():
            levels = self._levels.get(kind, {})
            rounds = max(levels.values(), default=0) + 1
            for level in range(rounds):
                for row in self.source.rows(kind):
                    if (row.file, row.row) in self._rejected_rows:
                        continue
                    record, problems = build_record(row)
                    if record is None:  # a file changed between the passes
                        self._reject(row, problems or [row.problem("", "could not be read again")])
                        continue
                    if levels.get(record.key, 0) != level:
                        continue
                    if self.options.lenient and self._refers_to_rejected(row, record, rejected_keys):
                        continue
                    batch.upserts.append(record)
                    batch.sources[id(record)] = _source_text(row)
                    if len(batch.upserts) >= self.options.batch_size:
                        self._flush(batch)
                        batch = ChangeSet()
        self._flush(batch)
        self.report.written = True

    def _refers_to_rejected(
        self, row: SourceRow, record: Record, rejected: dict[RecordKind, set[str]]
    ) -> bool:
        for ref in record.refs():
            if ref.key in rejected.get(ref.kind, ()):
                self._reject(
                    row,
                    [
                        row.problem(
                            row.column(ref.field),
                            f"refers to {ref.kind.value} {ref.key!r}, which was rejected",
                            record.label(),
                        )
                    ],
                )
                if record.kind in ENTITY_KINDS:
                    rejected[record.kind].add(record.key)
                return True
        return False

    def _flush(self, batch: ChangeSet) -> None:
        if not batch.upserts:
            return
        try:
            result = self.store.write(batch)
        except ValidationFailed as exc:
            # Only possible if the store changed between the passes: report, stop.
            for err in exc.errors:
                file, _, rest = err.source.partition(" row ")
                row = int(rest) if rest.isdigit() else None
                self.report.problems.append(
                    ImportProblem(file or "?", row, err.field, err.message, err.record)
                )
            raise ImportAborted(self.report) from exc
        for kind, counts in result.counts.items():
            summary = self.report.of(kind)
            summary.created += counts.created
            summary.updated += counts.updated
            summary.unchanged += counts.unchanged
        self.progress.advance(len(batch.upserts))

    # ------------------------------------------------------------------------------ prune

    def _find_prune_candidates(self) -> None:
        for kind in self.source.kinds():
            index = self._index[kind]
            shown: list[str] = []
            count = 0
            for key in self._stored_keys(kind):
                if hash(key) not in index:
                    count += 1
                    if len(shown) < PRUNE_SHOW:
                        shown.append(key)
            self.report.prune_counts[kind] = count
            self.report.prune_candidates[kind] = shown

    def _stored_keys(self, kind: RecordKind) -> Iterator[str]:
        for record in self.store.scan(kind):
            yield record.key

    def _prune(self) -> None:
        kinds = [k for k in reversed(WRITE_ORDER) if self.report.prune_counts.get(k)]
        for kind in kinds:
            index = self._index[kind]
            doomed = [k for k in self._stored_keys(kind) if hash(k) not in index]
            for start in range(0, len(doomed), self.options.batch_size):
                chunk = doomed[start : start + self.options.batch_size]
                result = self.store.write(ChangeSet(deletes=[(kind, k) for k in chunk]))
                for k, counts in result.counts.items():
                    self.report.of(k).deleted += counts.deleted


class ImportAborted(Exception):
    """The store refused a batch during pass 2 (it changed meanwhile); see ``report``."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__("import stopped: the store refused a batch")
        self.report = report


def find_cycles(
    edges: dict[str, list[tuple[str, Any]]],
    replaces: bool,
    stored_parents: Callable[[list[str]], dict[str, list[str]]],
) -> list[tuple[str, str, Any, list[str]]]:
    """Cycles that the import's hierarchy edges (child -> [(parent, row)]) would make, together
    with the stored edges. For entity hierarchies (``replaces``) an imported row replaces the
    child's stored parent; for reporting links the import adds to the stored lines.
    Returns one ``(child, parent, row, path)`` per cycle, naming an imported edge on it."""
    up: dict[str, list[str]] = {c: [p for p, _ in ps] for c, ps in edges.items()}
    looked: set[str] = set()
    frontier = {p for ps in up.values() for p in ps}
    if not replaces:
        frontier |= set(up)
    while frontier:
        todo = sorted(n for n in frontier if n not in looked and not (replaces and n in edges))
        looked.update(todo)
        found: dict[str, list[str]] = {}
        for start in range(0, len(todo), LOOKUP_CHUNK):
            found.update(stored_parents(todo[start : start + LOOKUP_CHUNK]))
        nxt: set[str] = set()
        for node, parents in found.items():
            lst = up.setdefault(node, [])
            for p in parents:
                if p not in lst:
                    lst.append(p)
                if p not in looked:
                    nxt.add(p)
        frontier = nxt

    white, grey, black = 0, 1, 2
    colour: dict[str, int] = {}
    out: list[tuple[str, str, Any, list[str]]] = []
    for start in edges:
        if colour.get(start, white) != white:
            continue
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(up.get(start, ())))]
        path = [start]
        colour[start] = grey
        while stack:
            node, it = stack[-1]
            nxt_node = next(it, None)
            if nxt_node is None:
                colour[node] = black
                stack.pop()
                path.pop()
                continue
            state = colour.get(nxt_node, white)
            if state == white:
                colour[nxt_node] = grey
                stack.append((nxt_node, iter(up.get(nxt_node, ()))))
                path.append(nxt_node)
            elif state == grey:
                cycle = path[path.index(nxt_node) :] + [nxt_node]
                for a, b in zip(cycle, cycle[1:], strict=False):
                    hit = next((r for p, r in edges.get(a, ()) if p == b), None)
                    if hit is not None:
                        out.append((a, b, hit, cycle))
                        break
    return out


def run_import(
    store: Store,
    source: Source,
    options: ImportOptions | None = None,
    progress: ProgressSink | None = None,
) -> ImportReport:
    """Validate every row of ``source``, then (if clean, or lenient) write it to ``store``."""
    return ImportRun(store, source, options or ImportOptions(), progress).run()


def report_records(records: Iterable[Record]) -> list[dict[str, object]]:
    """Plain data of records (used by tests and the API to show what was read)."""
    return [record_to_dict(r) for r in records]
