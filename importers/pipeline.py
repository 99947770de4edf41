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

from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from graph.errors import RelmapError
from graph.model import (
    ENTITY_KINDS,
    HIERARCHIES,
    WRITE_ORDER,
    Record,
    RecordKind,
)
from graph.prefetch import prefetched
from graph.store.base import ChangeSet, Store, ValidationFailed
from importers.hierarchy_check import LOOKUP_CHUNK, CycleCheck, write_levels
from importers.key_index import (
    contains,
    key_hash,
    missing,
    new_hashes,
    repeated,
    sorted_hashes,
)
from importers.report import ImportProblem, ImportReport, RejectWriter
from importers.source import Source, SourceRow, build_record

# Kinds whose records refer to records of the same kind by a parent field.
SELF_REFERRING = frozenset(k for k in ENTITY_KINDS if k in HIERARCHIES)
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
        """Cycles the import's hierarchy edges make, together with the stored ones (see
        :class:`importers.hierarchy_check.CycleCheck`)."""
        check = CycleCheck(
            self.store, self.source, self._sorted, self._rejected_rows, self._fail_late
        )
        check.run(self._edge_child, self._edge_parent)

    def _compute_levels(self) -> None:
        """Write rounds for self-referring kinds (headquarters before branches)."""
        self._levels = write_levels(self._parent_of, self._forward)
        self._parent_of.clear()
        self._forward.clear()

    # ------------------------------------------------------------------------------ pass 2

    def _write_all(self) -> None:
        """Pass 2: a reader thread reads and builds the next batches while this thread writes
        the current one (the store waits on the database most of the time); a failed write
        stops the reader."""
        total = sum(s.rows - s.rejected for s in self.report.kinds.values())
        self.progress.phase("writing", total)
        batches = prefetched(
            self._batches(), 2, name="relmap-import-reader", poll=0.2, join_timeout=10
        )
        with closing(batches):
            for batch in batches:
                self._flush(batch)
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
