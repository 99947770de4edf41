"""Listing cursors of the record routes: opaque, and valid only with the sort they were made for.

A cursor is base64url of JSON naming the sort (``s``), the last record's key (``k``) and, for
field sorts, its value of the sort field (``v``); the stores resume after that keyset position
(``Store.page``). A bare key (cursors from before sorting by fields) is a key-order position.
Anything else is 422 naming ``query.after``.

>>> sort_field("-revenue"), sort_field("key")
('revenue', None)
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from fastapi import HTTPException

from graph.model import RECORD_TYPES, Record, RecordKind
from graph.store.base import Position, position_of, sortable_fields

__all__ = [
    "CURSOR_MAX",
    "bad_cursor",
    "decode_cursor",
    "encode_cursor",
    "sort_field",
    "sort_values",
]

CURSOR_MAX = 4096  # a cursor holds a key (links: up to three ids) and a field value, base64


def bad_cursor(message: str) -> HTTPException:
    """422 for an ``after`` that is not a cursor of this listing."""
    return HTTPException(
        422,
        {"detail": f"after: {message}", "errors": [{"field": "query.after", "message": message}]},
    )


def encode_cursor(sort: str, record: Record) -> str:
    """The cursor resuming a listing sorted by ``sort`` after ``record``: base64url of JSON
    naming the sort, the record's key and (field sorts) its value of the sort field."""
    order_by = sort_field(sort)
    position = position_of(record, order_by)
    payload: dict[str, Any] = {"s": sort, "k": position.key}
    if order_by is not None:
        payload["v"] = position.value
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, sort: str) -> Position:
    """The position a cursor stands for; 422 naming ``query.after`` if it is not one of ours or
    was made for another sort. A bare key (cursors before sorting by fields) is a key-order
    position."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        text = ""
    if not text:
        raise bad_cursor("not a cursor from this API")
    try:
        payload = json.loads(text)
    except ValueError:
        payload = None
    if not (isinstance(payload, dict) and set(payload) <= {"s", "k", "v"} and "s" in payload):
        if sort_field(sort) is not None:
            raise bad_cursor(f"not a cursor for sort={sort} (it is one for key order)")
        return Position(text)
    made_for, key = payload.get("s"), payload.get("k")
    if made_for != sort:
        raise bad_cursor(f"this cursor was made for sort={made_for}, not sort={sort}")
    if not isinstance(key, str) or not key:
        raise bad_cursor("not a cursor from this API")
    return Position(key, payload.get("v"))


def sort_field(sort: str) -> str | None:
    """The field a ``sort`` value orders by (None: the key)."""
    name = sort.removeprefix("-")
    return None if name == "key" else name


def sort_values(kind: RecordKind) -> tuple[str, ...]:
    """Every ``sort`` a listing of ``kind`` accepts: key and each sortable field (an entity's
    id is its key, so not listed twice), ascending and descending."""
    names = ["key"] + [f for f in sortable_fields(kind) if (f,) != RECORD_TYPES[kind].key_fields]
    return tuple(v for name in names for v in (name, f"-{name}"))
