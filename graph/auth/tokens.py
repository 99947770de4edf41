"""API tokens: created and revoked with the CLI, sent as bearer tokens, stored only as hashes.

A token looks like ``rm_<id>_<secret>``. ``<id>`` (12 hex characters) names the stored document
in the ``tokens`` collection, so a lookup is one document read, never a scan; ``<secret>`` is 32
random bytes (URL-safe base64). The store keeps the SHA-256 of the whole token, compared in
constant time, so a leaked database does not leak usable tokens. The secret is returned once, at
creation, and cannot be shown again.

This module sits in ``graph/`` (not ``api/``) because the CLI and the API both use it and nothing
may import the API.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any

from graph.auth.principal import ROLE_NAMES, Role
from graph.errors import RelmapError
from graph.store.base import ChangeSet, Store

COLLECTION = "tokens"
PREFIX = "rm_"
_TOKEN_RE = re.compile(r"^rm_([0-9a-f]{12})_([A-Za-z0-9_-]{20,100})$")


class TokenError(RelmapError, ValueError):
    """A token cannot be created as asked (unknown role, missing employee...)."""


@dataclass(frozen=True)
class TokenInfo:
    """What is stored about a token (never the secret)."""

    id: str
    name: str
    role: str
    employee_id: str | None
    can_apply: bool
    created: str
    revoked: str | None

    @property
    def active(self) -> bool:
        return self.revoked is None

    def public(self) -> dict[str, Any]:
        """The token's description for listings (no hash)."""
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role,
            "employee_id": self.employee_id,
            "can_apply": self.can_apply,
            "created": self.created,
            "revoked": self.revoked,
        }


def hash_token(token: str) -> str:
    """SHA-256 hex of the whole token text."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _info(doc_id: str, doc: dict[str, Any]) -> TokenInfo:
    return TokenInfo(
        id=doc_id,
        name=str(doc.get("name", "")),
        role=str(doc.get("role", "")),
        employee_id=doc.get("employee_id"),
        can_apply=bool(doc.get("can_apply", False)),
        created=str(doc.get("created", "")),
        revoked=doc.get("revoked"),
    )


def create_token(
    store: Store,
    *,
    name: str,
    role: str,
    employee_id: str | None = None,
    can_apply: bool = False,
) -> tuple[str, TokenInfo]:
    """Create and store a token; returns ``(secret token text, info)``. The text is shown once.

    Account managers must name the employee whose accounts they see; the employee must exist.
    """
    name = name.strip()
    if not name or len(name) > 200:
        raise TokenError("name: give a name of 1-200 characters (who or what uses the token)")
    if role not in ROLE_NAMES:
        raise TokenError(f"role: {role!r} is not one of {', '.join(ROLE_NAMES)}")
    if role == Role.ACCOUNT_MANAGER:
        if not employee_id:
            raise TokenError("employee_id: an account_manager token needs --employee ID")
        from graph.model import RecordKind

        if store.get(RecordKind.EMPLOYEE, employee_id) is None:
            raise TokenError(f"employee_id: no employee {employee_id!r} in the store")
    token, info, doc = mint_token(
        name=name, role=role, employee_id=employee_id, can_apply=can_apply
    )
    store.write(ChangeSet(docs=[(COLLECTION, info.id, doc)]))
    return token, info


def mint_token(
    *, name: str, role: str, employee_id: str | None = None, can_apply: bool = False
) -> tuple[str, TokenInfo, dict[str, Any]]:
    """A new token, its info and the document to store (nothing is written): for callers that
    store it together with other changes in one atomic write."""
    token_id = secrets.token_hex(6)
    token = f"{PREFIX}{token_id}_{secrets.token_urlsafe(32)}"
    created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    doc = {
        "name": name,
        "role": role,
        "employee_id": employee_id or None,
        "can_apply": bool(can_apply),
        "created": created,
        "revoked": None,
        "hash": hash_token(token),
    }
    return token, _info(token_id, doc), doc


def verify_token(store: Store, token: str) -> TokenInfo | None:
    """The active token's info, or None if the text is malformed, unknown, wrong or revoked."""
    match = _TOKEN_RE.match(token)
    if not match:
        return None
    doc = store.get_doc(COLLECTION, match.group(1))
    if not doc or not isinstance(doc.get("hash"), str):
        return None
    if not hmac.compare_digest(doc["hash"], hash_token(token)):
        return None
    info = _info(match.group(1), doc)
    return info if info.active else None


def list_tokens(store: Store, *, after: str | None = None, limit: int = 1000) -> list[TokenInfo]:
    """Stored tokens ordered by id (revoked ones included, marked)."""
    return [
        _info(doc_id, doc) for doc_id, doc in store.list_docs(COLLECTION, after=after, limit=limit)
    ]


def revoke_token(store: Store, token_id: str) -> TokenInfo:
    """Mark a token revoked (kept for the record); raises KeyError if there is none."""
    doc = store.get_doc(COLLECTION, token_id)
    if doc is None:
        raise KeyError(token_id)
    if doc.get("revoked") is None:
        doc = {**doc, "revoked": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        store.write(ChangeSet(docs=[(COLLECTION, token_id, doc)]))
    return _info(token_id, doc)
