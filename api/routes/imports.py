"""``POST /v1/imports``: upload relmap files or a Salesforce export (multipart), same checks and
report as ``relmap import``.

Form fields: ``files`` (one or more CSV / XLSX / JSON files), ``format`` (relmap|salesforce,
detected when omitted), ``encoding``, ``lenient`` and ``dry_run``. Answers:

* 200 with the per-kind summary (created, updated, unchanged, rejected) when written (with
  ``lenient``, the rejected rows are listed under ``problems``);
* 413 when the upload is over ``RELMAP_MAX_UPLOAD_BYTES``;
* 422 (problem+json) listing every problem with file, row and column; nothing was written.

Org designers (and admins) may import.
"""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, UploadFile, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from api.deps import RequireOrgDesigner, SettingsDep, StoreDep
from api.errors import problem
from graph.store.base import Store
from importers.detect import FORMATS, open_source
from importers.files import TABULAR_SUFFIXES
from importers.pipeline import ImportOptions, run_import
from importers.report import ImportReport

router = APIRouter(tags=["imports"])

_COPY_CHUNK = 1 << 20


def _safe_name(name: str | None, seen: set[str]) -> str:
    """The upload's base name (no folders), checked for a readable suffix and uniqueness."""
    base = PurePath((name or "").replace("\\", "/")).name.strip()
    if not base or base.startswith("."):
        raise HTTPException(422, f"upload has no usable file name: {name!r}")
    if PurePath(base).suffix.lower() not in TABULAR_SUFFIXES:
        raise HTTPException(422, f"{base}: only CSV, XLSX and JSON files can be imported")
    if base.lower() in seen:
        raise HTTPException(422, f"{base}: uploaded twice")
    seen.add(base.lower())
    return base


async def _save(files: list[UploadFile], folder: Path, limit: int) -> list[Path]:
    """Copy uploads to ``folder`` counting bytes (413 past ``limit``, whatever the headers)."""
    seen: set[str] = set()
    total = 0
    paths = []
    for upload in files:
        path = folder / _safe_name(upload.filename, seen)
        with path.open("wb") as out:
            while chunk := await upload.read(_COPY_CHUNK):
                total += len(chunk)
                if total > limit:
                    raise HTTPException(
                        status.HTTP_413_CONTENT_TOO_LARGE,
                        f"upload over the limit of {limit} bytes",
                    )
                out.write(chunk)
        paths.append(path)
    return paths


def _import(
    store: Store,
    paths: list[Path],
    fmt: str | None,
    encoding: str | None,
    options: ImportOptions,
) -> ImportReport:
    source = open_source(paths, fmt, encoding)
    return run_import(store, source, options)


def _audit(store: Store, actor: str, role: str, names: list[str], body: dict[str, Any]) -> None:
    """Record the import in the audit trail (the import itself writes in batches, so this entry
    follows its last batch rather than sharing one transaction with it)."""
    from graph.store.audit import audit_doc
    from graph.store.base import ChangeSet

    entry = audit_doc(
        actor=actor,
        role=role,
        action="import",
        kind="import",
        key=",".join(names)[:500],
        changes={"summary": body.get("summary", {})},
    )
    store.write(ChangeSet(docs=[entry]))


@router.post("/imports", summary="Import relmap files or a Salesforce export")
async def create_import(
    store: StoreDep,
    principal: RequireOrgDesigner,
    settings: SettingsDep,
    files: Annotated[list[UploadFile], File(description="CSV, XLSX or JSON files")],
    format: Annotated[str | None, Form(description="relmap or salesforce")] = None,  # noqa: A002
    encoding: Annotated[str | None, Form(description="e.g. gb18030; detected if omitted")] = None,
    lenient: Annotated[bool, Form(description="write the good rows, list the rejected")] = False,
    dry_run: Annotated[bool, Form(description="check everything, write nothing")] = False,
) -> JSONResponse:
    if format is not None and format not in FORMATS:
        return problem(422, f"format must be one of {', '.join(FORMATS)}")
    options = ImportOptions(lenient=lenient, dry_run=dry_run, batch_size=settings.write_batch_size)
    with tempfile.TemporaryDirectory(prefix="relmap-import-") as tmp:
        paths = await _save(files, Path(tmp), settings.max_upload_bytes)
        try:  # FileProblem and ImportAborted are answered by api.errors
            report = await run_in_threadpool(_import, store, paths, format, encoding, options)
        except ValueError as exc:  # e.g. an unusable mapping file: as unreadable as a bad file
            return problem(422, str(exc), title="Unreadable file", errors=[])
    body = report.to_dict()
    if not dry_run and not (report.problems and not lenient):
        _audit(store, principal.id, principal.role.value, [f.filename or "" for f in files], body)
    if report.problems and not lenient:
        return problem(
            422,
            f"{len(report.problems)} problem(s) found: nothing was written",
            errors=body["problems"],
            summary=body["summary"],
            warnings=body["warnings"],
        )
    return JSONResponse(body)
