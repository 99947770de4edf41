"""Stored scenarios, their evaluation against the live graph, apply and revert.

The composition the CLI and the API share (they differ only in how they show results):

* **stored** scenarios are documents of the ``scenarios`` collection: the scenario itself, the
  graph version it was resolved against (``base_version``) and the content then of every record
  it touches (``base_records``), its status (draft / applied / reverted) and who did what.
* **evaluate**: today's baseline aggregates are cached per graph version and policy
  (``scenario_baselines`` documents), so evaluating many scenarios costs one full pass per graph
  version plus a small incremental pass per scenario. Evaluation only reads records (a live edit
  in between is detected by the version and the evaluation is redone), so any number of users
  can evaluate at once without interfering with each other or with live edits.
* **apply** writes the scenario's net change set, its audit entry (with the inverse: the previous
  content of every touched record, and the policy before) and the scenario's new status in ONE
  atomic write, conditional on the graph version the scenario was just resolved against. A
  scenario built on an older version is *stale*: apply refuses it (``ScenarioStale``, listing the
  touched records that changed meanwhile) unless asked to rebase (re-resolve against the current
  graph).
* **revert** writes the inverse the same way, after checking that nobody changed the touched
  records since the apply (else ``ScenarioStale`` unless forced).

Typed by the :class:`ScenarioBackend` protocol (what a store offers), never by the Store class.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from graph.coverage.inputs import read_overrides
from graph.coverage.policy import (
    POLICY_COLLECTION,
    POLICY_DOC_ID,
    Policy,
    load_policy,
    policy_document,
)
from graph.errors import RelmapError
from graph.model import Record, RecordKind, record_from_dict, record_to_dict
from graph.scenarios.apply import ResolvedScenario, resolve_scenario
from graph.scenarios.diff import Aggregates
from graph.scenarios.evaluate import Evaluation, baseline_aggregates, evaluate, policy_fingerprint
from graph.scenarios.overlay import TouchedKey
from graph.scenarios.spec import Scenario, ScenarioError, parse_scenario
from graph.store.audit import audit_doc
from graph.store.base import ChangeSet, VersionConflict, WriteResult
from graph.store.reader import DocReader, RecordReader

COLLECTION = "scenarios"
BASELINES = "scenario_baselines"
EVAL_ATTEMPTS = 3


class ScenarioBackend(RecordReader, DocReader, Protocol):
    """What scenarios need of a store: the readers analyses use, plus the graph version and
    conditional atomic writes (the one place here that writes, so it is not a reader)."""

    def version(self) -> int: ...

    def write(
        self,
        changes: ChangeSet,
        *,
        expected_version: int | None = None,
        prevalidated: bool = False,
    ) -> WriteResult: ...


class ScenarioNotFound(RelmapError, LookupError):
    """No stored scenario with that id."""


class ScenarioStateError(ScenarioError):
    """The scenario is in the wrong state for the action (e.g. applied twice)."""


@dataclass(frozen=True)
class RecordDrift:
    """A touched record whose content differs from what the scenario expects."""

    kind: str
    key: str
    expected: dict[str, Any] | None
    current: dict[str, Any] | None

    def describe(self) -> str:
        what = f"{self.kind} {self.key.replace(chr(31), ' -> ')!r}"
        if self.expected is None:
            return f"{what} was created meanwhile"
        if self.current is None:
            return f"{what} was deleted meanwhile"
        fields = sorted(
            k
            for k in set(self.expected) | set(self.current)
            if self.expected.get(k) != self.current.get(k)
        )
        return f"{what} changed meanwhile ({', '.join(fields)})"


class ScenarioStale(ScenarioError):
    """The graph changed since the scenario was resolved (or since it was applied)."""

    def __init__(
        self,
        message: str,
        base_version: int | None,
        current_version: int,
        drift: list[RecordDrift],
        policy_changed: bool = False,
    ) -> None:
        super().__init__(message)
        self.base_version = base_version
        self.current_version = current_version
        self.drift = drift
        self.policy_changed = policy_changed


@dataclass
class StoredScenario:
    scenario: Scenario
    base_version: int | None
    base_records: list[dict[str, Any]]
    status: str = "draft"
    policy: str = ""  # fingerprint of the coverage policy it was resolved with
    created_at: str = ""
    created_by: str = ""
    updated_at: str = ""
    applied: dict[str, Any] | None = None
    history: list[dict[str, Any]] = field(default_factory=list)

    def to_doc(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario.to_data(),
            "base_version": self.base_version,
            "base_records": self.base_records,
            "policy": self.policy,
            "status": self.status,
            "created_at": self.created_at,
            "created_by": self.created_by,
            "updated_at": self.updated_at,
            "applied": self.applied,
            "history": self.history,
        }

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> StoredScenario:
        return cls(
            scenario=parse_scenario(doc["scenario"], "stored scenario"),
            base_version=doc.get("base_version"),
            base_records=list(doc.get("base_records") or []),
            policy=str(doc.get("policy", "")),
            status=str(doc.get("status", "draft")),
            created_at=str(doc.get("created_at", "")),
            created_by=str(doc.get("created_by", "")),
            updated_at=str(doc.get("updated_at", "")),
            applied=doc.get("applied"),
            history=list(doc.get("history") or []),
        )


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def snapshot(content: Mapping[TouchedKey, Record | None]) -> list[dict[str, Any]]:
    """Touched records as plain data: ``[{kind, key, data or None}]`` sorted by kind and key."""
    return [
        {"kind": k.value, "key": key, "data": record_to_dict(r) if r is not None else None}
        for (k, key), r in sorted(content.items(), key=lambda kv: (kv[0][0].value, kv[0][1]))
    ]


def drift(store: ScenarioBackend, expected: list[dict[str, Any]]) -> list[RecordDrift]:
    """Entries of ``expected`` whose current content differs."""
    out = []
    for entry in expected:
        kind = RecordKind(entry["kind"])
        current = store.get(kind, entry["key"])
        now = record_to_dict(current) if current is not None else None
        if now != entry["data"]:
            out.append(RecordDrift(kind.value, entry["key"], entry["data"], now))
    return out


def current_policy(store: ScenarioBackend, policy_file: str | None = None) -> Policy:
    return load_policy(store, policy_file)


# ------------------------------------------------------------------------------------ storage


def get_stored(store: ScenarioBackend, scenario_id: str) -> StoredScenario:
    doc = store.get_doc(COLLECTION, scenario_id)
    if doc is None:
        raise ScenarioNotFound(scenario_id)
    return StoredScenario.from_doc(doc)


def list_stored(
    store: ScenarioBackend, *, after: str | None = None, limit: int = 100
) -> list[StoredScenario]:
    return [
        StoredScenario.from_doc(d)
        for _i, d in store.list_docs(COLLECTION, after=after, limit=limit)
    ]


def save_scenario(
    store: ScenarioBackend,
    scenario: Scenario,
    *,
    actor: str = "cli",
    policy_file: str | None = None,
) -> tuple[StoredScenario, ResolvedScenario]:
    """Validate ``scenario`` against the live graph and store it (replacing a draft of the same
    id), recording the base version and the touched records' content now."""
    existing = store.get_doc(COLLECTION, scenario.id)
    if existing is not None and existing.get("status") == "applied":
        raise ScenarioStateError(f"scenario {scenario.id} is applied: revert it before changing it")
    version = store.version()
    policy = current_policy(store, policy_file)
    resolved = resolve_scenario(store, scenario, policy)
    now = _now()
    stored = StoredScenario(
        scenario=scenario,
        base_version=version,
        base_records=snapshot(resolved.before),
        policy=policy_fingerprint(policy),
        status="draft",
        created_at=str(existing.get("created_at", now)) if existing else now,
        created_by=str(existing.get("created_by", actor)) if existing else actor,
        updated_at=now,
        history=list(existing.get("history") or []) if existing else [],
    )
    store.write(ChangeSet(docs=[(COLLECTION, scenario.id, stored.to_doc())]))
    return stored, resolved


def delete_stored(store: ScenarioBackend, scenario_id: str) -> None:
    stored = get_stored(store, scenario_id)
    if stored.status == "applied":
        raise ScenarioStateError(f"scenario {scenario_id} is applied: revert it first")
    store.write(ChangeSet(docs=[(COLLECTION, scenario_id, None)]))


# ------------------------------------------------------------------------------------ evaluate


def cached_baseline(store: ScenarioBackend, policy: Policy, version: int) -> Aggregates:
    """Today's aggregates for ``version`` and ``policy``: from the cache document, or computed by
    one full pass and cached (older baselines are dropped)."""
    doc_id = f"v{version:012d}-{policy_fingerprint(policy)}"
    doc = store.get_doc(BASELINES, doc_id)
    if doc is not None:
        return Aggregates.from_doc(doc)
    agg = baseline_aggregates(store, policy)
    if store.version() != version:
        return agg  # a live edit slipped in: do not cache under the wrong version
    old = [(BASELINES, i, None) for i, _d in store.list_docs(BASELINES, limit=50) if i != doc_id]
    store.write(ChangeSet(docs=[(BASELINES, doc_id, agg.to_doc()), *old]))
    return agg


def evaluate_scenario(
    store: ScenarioBackend,
    scenario: Scenario,
    *,
    policy_file: str | None = None,
    force_full: bool = False,
    today: dt.date | None = None,
) -> tuple[Evaluation, int]:
    """Evaluate against the live graph; returns the evaluation and the graph version it holds
    for. Redone when a live edit lands during the evaluation (read-only otherwise)."""
    last: tuple[Evaluation, int] | None = None
    for _ in range(EVAL_ATTEMPTS):
        version = store.version()
        policy = current_policy(store, policy_file)
        baseline = None if force_full else cached_baseline(store, policy, version)
        resolved = resolve_scenario(store, scenario, policy)
        overrides = (
            read_overrides(store)
            if resolved.policy_before.scoring != resolved.policy_after.scoring
            else None
        )
        ev = evaluate(
            store, resolved, baseline, force_full=force_full, today=today, overrides=overrides
        )
        last = (ev, version)
        if store.version() == version:
            return last
    assert last is not None
    return last


# ------------------------------------------------------------------------------------ apply


def staleness(
    store: ScenarioBackend, stored: StoredScenario, policy_file: str | None = None
) -> ScenarioStale | None:
    """``None`` when the scenario was resolved against the current graph version and policy;
    else what changed meanwhile among the records it touches (and whether the policy did)."""
    current = store.version()
    policy_changed = bool(stored.policy) and stored.policy != policy_fingerprint(
        current_policy(store, policy_file)
    )
    if stored.base_version == current and not policy_changed:
        return None
    changes = drift(store, stored.base_records) if stored.base_version != current else []
    listed = "; ".join(d.describe() for d in changes[:10]) or (
        "none of the records it touches changed"
    )
    if policy_changed:
        listed += "; the coverage policy changed"
    return ScenarioStale(
        f"scenario {stored.scenario.id} was built on graph version {stored.base_version}, the "
        f"graph is now at {current}: {listed}. Rebase to apply it to the current graph.",
        stored.base_version,
        current,
        changes,
        policy_changed,
    )


def rebase_scenario(
    store: ScenarioBackend,
    scenario_id: str,
    *,
    actor: str = "cli",
    policy_file: str | None = None,
) -> StoredScenario:
    """Re-resolve a stored draft against the current graph and move its base there."""
    stored = get_stored(store, scenario_id)
    if stored.status == "applied":
        raise ScenarioStateError(f"scenario {scenario_id} is applied: nothing to rebase")
    rebased, _ = save_scenario(store, stored.scenario, actor=actor, policy_file=policy_file)
    return rebased


@dataclass(frozen=True)
class ApplyResult:
    scenario_id: str
    audit_id: str
    version_before: int
    version_after: int
    upserts: int
    deletes: int
    policy_changed: bool
    rebased: bool
    warnings: tuple[str, ...]


def apply_scenario(
    store: ScenarioBackend,
    scenario_id: str,
    *,
    actor: str,
    role: str,
    rebase: bool = False,
    policy_file: str | None = None,
) -> ApplyResult:
    """Apply a stored scenario to the live graph atomically (see the module docstring)."""
    stored = get_stored(store, scenario_id)
    if stored.status == "applied":
        raise ScenarioStateError(f"scenario {scenario_id} is applied already")
    stale = staleness(store, stored, policy_file)
    if stale is not None and not rebase:
        raise stale
    version = store.version()
    policy = current_policy(store, policy_file)
    resolved = resolve_scenario(store, stored.scenario, policy)
    if stale is None and snapshot(resolved.before) != stored.base_records:
        raise ScenarioStale(
            f"scenario {scenario_id}: the records it touches differ from when it was built",
            stored.base_version,
            version,
            drift(store, stored.base_records),
        )
    policy_doc_before = store.get_doc(POLICY_COLLECTION, POLICY_DOC_ID)
    after = snapshot(resolved.after())
    inverse = snapshot(resolved.before)
    changes: dict[str, Any] = {
        "inverse": inverse,
        "after": after,
        "policy_changed": resolved.policy_changed,
        "policy_before": policy_doc_before,
        "policy_after": policy_document(resolved.policy_after) if resolved.policy_changed else None,
        "base_version": version,
    }
    detail = (
        f"scenario {scenario_id} ({stored.scenario.name}): {len(resolved.upserts)} upserts, "
        f"{len(resolved.deletes)} deletes" + (", policy changed" if resolved.policy_changed else "")
    )
    entry = audit_doc(
        actor=actor,
        role=role,
        action="apply",
        kind="scenario",
        key=scenario_id,
        changes=changes,
        detail=detail,
    )
    now = _now()
    stored.status = "applied"
    stored.base_version = version
    stored.policy = policy_fingerprint(policy)
    stored.base_records = inverse
    stored.updated_at = now
    stored.applied = {"at": now, "by": actor, "audit_id": entry[1], "version_before": version}
    stored.history.append(
        {
            "action": "apply",
            "at": now,
            "by": actor,
            "audit_id": entry[1],
            "rebased": stale is not None,
        }
    )
    docs: list[tuple[str, str, dict[str, Any] | None]] = [entry]
    if resolved.policy_changed:
        docs.append((POLICY_COLLECTION, POLICY_DOC_ID, policy_document(resolved.policy_after)))
    docs.append((COLLECTION, scenario_id, stored.to_doc()))
    cs = ChangeSet(
        upserts=list(resolved.upserts),
        deletes=list(resolved.deletes),
        docs=docs,
    )
    result = store.write(cs, expected_version=version)
    return ApplyResult(
        scenario_id,
        entry[1],
        version,
        result.version,
        len(resolved.upserts),
        len(resolved.deletes),
        resolved.policy_changed,
        stale is not None,
        tuple(resolved.warnings),
    )


@dataclass(frozen=True)
class RevertResult:
    scenario_id: str
    audit_id: str
    version_before: int
    version_after: int
    restored: int
    removed: int


def revert_scenario(
    store: ScenarioBackend, scenario_id: str, *, actor: str, role: str, force: bool = False
) -> RevertResult:
    """Restore the exact previous content of every record the apply touched (atomically, only
    if those records still hold what the apply wrote, unless ``force``)."""
    stored = get_stored(store, scenario_id)
    if stored.status != "applied" or not stored.applied:
        raise ScenarioStateError(f"scenario {scenario_id} is not applied: nothing to revert")
    audit_id = str(stored.applied["audit_id"])
    entry = store.get_doc("audit", audit_id)
    if entry is None:
        raise ScenarioStateError(f"audit entry {audit_id} of scenario {scenario_id} is missing")
    recorded = entry.get("changes") or {}
    version = store.version()
    changed = drift(store, list(recorded.get("after") or []))
    policy_edited = bool(recorded.get("policy_changed")) and store.get_doc(
        POLICY_COLLECTION, POLICY_DOC_ID
    ) != recorded.get("policy_after")
    if (changed or policy_edited) and not force:
        listed = "; ".join(d.describe() for d in changed[:10])
        if policy_edited:
            listed = (listed + "; " if listed else "") + "the coverage policy was changed"
        raise ScenarioStale(
            f"scenario {scenario_id}: records it changed were edited since it was applied: "
            f"{listed}. Revert with force to overwrite them.",
            stored.applied.get("version_before"),
            version,
            changed,
            policy_edited,
        )
    upserts: list[Record] = []
    deletes: list[tuple[RecordKind, str]] = []
    for item in recorded.get("inverse") or []:
        kind = RecordKind(item["kind"])
        if item["data"] is None:
            deletes.append((kind, item["key"]))
        else:
            upserts.append(record_from_dict(kind, item["data"]))
    docs: list[tuple[str, str, dict[str, Any] | None]] = []
    if recorded.get("policy_changed"):
        docs.append((POLICY_COLLECTION, POLICY_DOC_ID, recorded.get("policy_before")))
    rev = audit_doc(
        actor=actor,
        role=role,
        action="revert",
        kind="scenario",
        key=scenario_id,
        changes={"reverts": audit_id, "restored": len(upserts), "removed": len(deletes)},
        detail=f"reverted scenario {scenario_id} (apply {audit_id})",
    )
    docs.append(rev)
    now = _now()
    stored.status = "reverted"
    stored.updated_at = now
    stored.history.append(
        {
            "action": "revert",
            "at": now,
            "by": actor,
            "audit_id": rev[1],
            "forced": bool(changed or policy_edited),
        }
    )
    stored.applied = None
    docs.append((COLLECTION, scenario_id, stored.to_doc()))
    result = store.write(
        ChangeSet(upserts=upserts, deletes=deletes, docs=docs), expected_version=version
    )
    return RevertResult(scenario_id, rev[1], version, result.version, len(upserts), len(deletes))


__all__ = [
    "ApplyResult",
    "RecordDrift",
    "RevertResult",
    "ScenarioBackend",
    "ScenarioNotFound",
    "ScenarioStale",
    "ScenarioStateError",
    "StoredScenario",
    "VersionConflict",
    "apply_scenario",
    "cached_baseline",
    "delete_stored",
    "evaluate_scenario",
    "get_stored",
    "list_stored",
    "rebase_scenario",
    "revert_scenario",
    "save_scenario",
    "staleness",
]
