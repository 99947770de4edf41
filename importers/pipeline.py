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

import queue
import threading
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from graph.errors import RelmapError
from graph.model import (
    ENTITY_KINDS,
    HIERARCHIES,
    WRITE_ORDER,
    Record,
    RecordKind,
    record_from_dict,
)
from graph.store.base import ChangeSet, Store, ValidationFailed
from graph.store.validation import errors_from_pydantic
from importers.key_index import (
    contains,
    hierarchy_cycles,
    key_hash,
    missing,
    new_hashes,
    repeated,
    sorted_hashes,
)
from importers.report import ImportProblem, ImportReport, RejectWriter
from importers.source import Source, SourceRow

# Kinds whose records refer to records of the same kind by a parent field.
SELF_REFERRING = frozenset(k for k in ENTITY_KINDS if k in HIERARCHIES)
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


@dataclass(slots=True)
class _Pending:
    """A reference not yet resolved: to a key not (yet) among this import's rows."""

    ref_kind: RecordKind
    ref_key: str
    field: str
    row: SourceRow
    label: str


def _source_text(row: SourceRow) -> str:
    return f"{row.file} row {row.row}" if row.row is not None else row.file


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
        # Pass 1 state, compact: key hashes per kind, referenced hashes per target kind,
        # hierarchy edges as hash pairs (see importers.key_index).
        self._keys: dict[RecordKind, array[int]] = defaultdict(new_hashes)
        self._sorted: dict[RecordKind, array[int]] = {}
        self._refs: dict[RecordKind, array[int]] = defaultdict(new_hashes)
        self._edge_child: dict[RecordKind, array[int]] = defaultdict(new_hashes)
        self._edge_parent: dict[RecordKind, array[int]] = defaultdict(new_hashes)
        # running key sets of kinds that refer to themselves (customer and team parents), to
        # spot a branch listed before its headquarters
        self._seen: dict[RecordKind, set[int]] = {k: set() for k in SELF_REFERRING}
        self._bad_keys: dict[RecordKind, set[str]] = defaultdict(set)
        self._rejected_rows: set[tuple[str, int | None]] = set()
        self._ref_rejected: set[tuple[str, int | None]] = set()
        self._reported: set[ImportProblem] = set()
        # for self-referring kinds: child -> parent, and the children listed before their parent
        self._parent_of: dict[RecordKind, dict[str, str]] = defaultdict(dict)
        self._forward: dict[RecordKind, set[str]] = defaultdict(set)
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
        problems = [p for p in problems if p not in self._reported]
        self._reported.update(problems)
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
        self._seen.clear()
        self._sorted = {kind: sorted_hashes(hashes) for kind, hashes in self._keys.items()}
        self._keys.clear()
        repeats = {kind: repeated(hashes) for kind, hashes in self._sorted.items()}
        unresolved = {
            kind: missing(self._sorted.get(kind), hashes) for kind, hashes in self._refs.items()
        }
        self._refs.clear()
        repeats = {k: v for k, v in repeats.items() if v}
        unresolved = {k: v for k, v in unresolved.items() if v}
        if repeats or unresolved:
            self._recheck(repeats, unresolved)
        self._check_cycles()
        self._compute_levels()

    def _validate_row(self, row: SourceRow) -> None:
        """Field rules now; keys, references and hierarchy edges noted for the checks that
        need the whole import (duplicates, references, cycles)."""
        record, problems = build_record(row)
        kind = row.kind
        if record is None or problems:
            key = record.key if record is not None else row.data.get("id")
            if kind in ENTITY_KINDS and key:
                self._bad_keys[kind].add(str(key))
            self._reject(row, problems)
            return
        key = record.key
        seen = self._seen.get(kind)
        refs = self._refs
        for ref in record.refs():
            if ref.key in self._bad_keys.get(ref.kind, ()):
                problems.append(
                    row.problem(
                        row.column(ref.field),
                        f"refers to {ref.kind.value} {ref.key!r}, whose own row has errors",
                        record.label(),
                    )
                )
                continue
            h = key_hash(ref.key)
            refs[ref.kind].append(h)
            if seen is not None and ref.kind is kind:
                self._parent_of[kind][key] = ref.key
                if h not in seen:
                    self._forward[kind].add(key)
        if problems:
            if kind in ENTITY_KINDS:
                self._bad_keys[kind].add(key)
            self._reject(row, problems)
            self._ref_rejected.add((row.file, row.row))  # its other references still count
            return
        h = key_hash(key)
        self._keys[kind].append(h)
        if seen is not None:
            seen.add(h)
        if kind in HIERARCHIES:
            child_field, parent_field = HIERARCHIES[kind]
            parent = getattr(record, parent_field)
            if parent:
                self._edge_child[kind].append(key_hash(getattr(record, child_field)))
                self._edge_parent[kind].append(key_hash(parent))

    def _recheck(
        self, repeats: dict[RecordKind, set[int]], unresolved: dict[RecordKind, set[int]]
    ) -> None:
        """Read the rows again to name the repeated keys and the references the files do not
        meet (those are looked up in the store, in batches)."""
        self.progress.phase("checking references", None)
        pending: list[_Pending] = []
        for kind in self.source.kinds():
            dup = repeats.get(kind)
            first_at: dict[str, str] = {}
            for row in self.source.rows(kind):
                where_row = (row.file, row.row)
                if where_row in self._rejected_rows and where_row not in self._ref_rejected:
                    continue
                record, _ = build_record(row)
                if record is None:
                    continue
                if dup and where_row not in self._rejected_rows and key_hash(record.key) in dup:
                    where = first_at.setdefault(record.key, _source_text(row))
                    if where != _source_text(row):
                        fields = record.key_fields
                        self._reject(
                            row,
                            [
                                row.problem(
                                    row.column(fields[0]),
                                    f"appears more than once in this import (first at {where}): "
                                    "keep one row per "
                                    + ("id" if len(fields) == 1 else " and ".join(fields)),
                                    record.label(),
                                )
                            ],
                        )
                        continue
                for ref in record.refs():
                    wanted = unresolved.get(ref.kind)
                    if wanted and key_hash(ref.key) in wanted:
                        pending.append(_Pending(ref.kind, ref.key, ref.field, row, record.label()))
                if len(pending) >= PENDING_FLUSH:
                    self._resolve(pending)
                    pending = []
        self._resolve(pending)

    def _existing(self, pending: list[_Pending]) -> dict[RecordKind, set[str]]:
        """Which referenced keys the store holds. With ``prune`` the files are a full export of
        their kinds, so references to those kinds must be met by the files themselves (the
        stored records they do not hold are about to go)."""
        pruned = set(self.source.kinds()) if self.options.prune else set()
        wanted: dict[RecordKind, set[str]] = defaultdict(set)
        for p in pending:
            if p.ref_kind not in pruned and p.ref_key not in self._bad_keys.get(p.ref_kind, ()):
                wanted[p.ref_kind].add(p.ref_key)
        found: dict[RecordKind, set[str]] = defaultdict(set)
        for kind, keys in wanted.items():
            ordered = sorted(keys)
            for start in range(0, len(ordered), LOOKUP_CHUNK):
                found[kind] |= self.store.existing_keys(kind, ordered[start : start + LOOKUP_CHUNK])
        return found

    def _resolve(self, pending: list[_Pending]) -> None:
        found = self._existing(pending)
        for p in pending:
            if p.ref_key in found[p.ref_kind]:
                continue
            if p.ref_key in self._bad_keys.get(p.ref_kind, ()):
                message = f"refers to {p.ref_kind.value} {p.ref_key!r}, whose own row has errors"
            else:
                message = (
                    f"refers to {p.ref_kind.value} {p.ref_key!r}, which is neither in these "
                    "files nor already stored"
                )
            self._fail_late(p.row, p.row.column(p.field), message, p.label)

    def _fail_late(self, row: SourceRow, column: str, message: str, label: str) -> None:
        """A problem found after the row was accepted (reference, cycle): reject it now."""
        self._reject(row, [row.problem(column, message, label)])
        if row.kind in ENTITY_KINDS and row.data.get("id"):
            self._bad_keys[row.kind].add(str(row.data["id"]))

    def _check_cycles(self) -> None:
        """Cycles the import's hierarchy edges make, together with the stored ones: the import's
        edges are held as hash pairs; stored edges of the nodes concerned are fetched in
        batches and added the same way (for customers and teams an imported row replaces the
        stored parent; reporting lines add to the stored ones)."""
        kinds = [k for k in self._edge_child if self._edge_child[k]]
        for kind in kinds:
            children, parents = self._edge_child.pop(kind), self._edge_parent.pop(kind)
            names: dict[int, str] = {}
            if self.store.count(kind):
                self._add_stored_edges(kind, children, parents, names)
            found = hierarchy_cycles(children, parents)
            del children, parents
            if found:
                self._report_hash_cycles(kind, found, names)
        self._edge_child.clear()
        self._edge_parent.clear()

    def _add_stored_edges(
        self, kind: RecordKind, children: array[int], parents: array[int], names: dict[int, str]
    ) -> None:
        """Append the stored child -> parent edges reachable from the import's hierarchy."""
        replaces = kind in ENTITY_KINDS
        imported = self._sorted.get(kind) if replaces else None
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
            if (row.file, row.row) in self._rejected_rows:
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
        self._fail_late(
            row,
            row.column(parent_field),
            f"makes a cycle ({loop}): nobody may end up above themselves",
            record.label(),
        )

    def _compute_levels(self) -> None:
        """Write rounds for self-referring kinds: a branch listed before its headquarters goes
        one round after it; a branch listed after goes in the same round (the HQ is written in
        an earlier batch or the same one). round(child) = round(parent) + (1 if listed before)."""
        for kind, parent_of in self._parent_of.items():
            forward = self._forward.get(kind, set())
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
            self._levels[kind] = {k: v for k, v in levels.items() if v}
        self._parent_of.clear()
        self._forward.clear()

    # ------------------------------------------------------------------------------ pass 2

    def _write_all(self) -> None:
        """Pass 2: a reader thread reads and builds the next batches while this thread writes
        the current one (the store waits on the database most of the time)."""
        total = sum(s.rows - s.rejected for s in self.report.kinds.values())
        self.progress.phase("writing", total)
        batches: queue.Queue[ChangeSet | BaseException | None] = queue.Queue(maxsize=2)
        stop = threading.Event()

        def put(item: ChangeSet | BaseException | None) -> bool:
            while not stop.is_set():
                try:
                    batches.put(item, timeout=0.2)
                    return True
                except queue.Full:
                    continue
            return False

        def read() -> None:
            try:
                for batch in self._batches():
                    if not put(batch):
                        return
                put(None)
            except BaseException as exc:  # handed to the writing thread, raised there
                put(exc)

        reader = threading.Thread(target=read, name="relmap-import-reader", daemon=True)
        reader.start()
        try:
            while True:
                item = batches.get()
                if item is None:
                    break
                if isinstance(item, BaseException):
                    raise item
                self._flush(item)
        finally:
            stop.set()
            reader.join(timeout=10)
        self.report.written = True

    def _batches(self) -> Iterator[ChangeSet]:
        """The accepted rows as change sets of ``batch_size`` records, kinds in write order,
        self-referring kinds in rounds (headquarters before branches)."""
        batch = ChangeSet()
        rejected_keys = self._bad_keys
        for kind in self.source.kinds():
            levels = self._levels.get(kind, {})
            rounds = max(levels.values(), default=0) + 1
            for level in range(rounds):
                for row in self.source.rows(kind):
                    if (row.file, row.row) in self._rejected_rows:
                        continue
                    if levels and levels.get(str(row.data.get("id", "")), 0) != level:
                        continue
                    record, problems = build_record(row)
                    if record is None:  # a file changed between the passes
                        self._reject(row, problems or [row.problem("", "could not be read again")])
                        continue
                    if self.options.lenient and self._refers_to_rejected(
                        row, record, rejected_keys
                    ):
                        continue
                    batch.upserts.append(record)
                    batch.sources[id(record)] = _source_text(row)
                    if len(batch.upserts) >= self.options.batch_size:
                        yield batch
                        batch = ChangeSet()
        if batch.upserts:
            yield batch

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
            # Pass 1 checked every reference and cycle against the store already.
            result = self.store.write(batch, prevalidated=True)
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
            index = self._sorted.get(kind)
            shown: list[str] = []
            count = 0
            for key in self._stored_keys(kind):
                if not contains(index, key_hash(key)):
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
            index = self._sorted.get(kind)
            doomed = [k for k in self._stored_keys(kind) if not contains(index, key_hash(k))]
            for start in range(0, len(doomed), self.options.batch_size):
                chunk = doomed[start : start + self.options.batch_size]
                result = self.store.write(ChangeSet(deletes=[(kind, k) for k in chunk]))
                for k, counts in result.counts.items():
                    self.report.of(k).deleted += counts.deleted


class ImportAborted(RelmapError):
    """The store refused a batch during pass 2 (it changed meanwhile); see ``report``."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__("import stopped: the store refused a batch")
        self.report = report


def run_import(
    store: Store,
    source: Source,
    options: ImportOptions | None = None,
    progress: ProgressSink | None = None,
) -> ImportReport:
    """Validate every row of ``source``, then (if clean, or lenient) write it to ``store``."""
    return ImportRun(store, source, options or ImportOptions(), progress).run()
