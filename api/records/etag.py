"""ETags of records and the ``If-Match`` preconditions of the record routes.

An ETag is strong: a hash of the record's canonical JSON, so any change of any field changes it.
Replacing and patching need ``If-Match`` (428 without it, 412 when the record changed since it
was read); deleting honours it when given.
"""

from __future__ import annotations

import hashlib
import json

from fastapi import HTTPException, status

from graph.model import Record, record_to_dict

__all__ = ["check_if_match", "etag_of", "matches", "require_if_match"]


def etag_of(record: Record) -> str:
    """Strong ETag: hash of the record's canonical JSON, so any change of any field changes it."""
    text = json.dumps(record_to_dict(record), sort_keys=True, separators=(",", ":"))
    return '"' + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32] + '"'


def matches(if_match: str, etag: str) -> bool:
    """Whether an ``If-Match`` header names ``etag`` (or ``*``; weak forms accepted)."""
    tags = [t.strip() for t in if_match.split(",")]
    return "*" in tags or etag in tags or f"W/{etag}" in tags


def require_if_match(if_match: str | None) -> str:
    """The ``If-Match`` header of a replace or patch; 428 when it is missing."""
    if not if_match:
        raise HTTPException(
            status.HTTP_428_PRECONDITION_REQUIRED,
            "send If-Match with the ETag of the record you read (GET it first)",
        )
    return if_match


def check_if_match(if_match: str, current: Record, detail: str) -> None:
    """412 (with the current ETag) unless ``if_match`` names ``current``'s ETag."""
    tag_now = etag_of(current)
    if not matches(if_match, tag_now):
        raise HTTPException(status.HTTP_412_PRECONDITION_FAILED, detail, {"ETag": tag_now})
