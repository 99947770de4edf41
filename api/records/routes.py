"""Generic CRUD for every record kind under ``/v1``: list, get, create, replace, patch, delete.

One set of routes per ``RecordKind`` (``/v1/customers``, ``/v1/contacts``, ...; links are
addressed by their composite key as path segments, e.g. ``/v1/coverage/team/T1/C1``):

* **list**: filters are query parameters named after the model's fields (a fixed set: unknown
  parameters are 422), pushed into the store; cursor pagination ``?after=&limit=`` (capped at
  ``MAX_LIMIT``), answer ``{items, next_cursor}``. ``sort`` is ``key`` (default), ``-key``, or
  any scalar field of the kind (``name``, ``revenue``, ``tier``, ...), ``-`` first for
  descending; ties go by key, nulls last ascending and first descending, enums by their value
  text. The stores sort and resume after a keyset cursor (``Store.page``), so every sort pages
  through any number of records; a cursor encodes its sort and position and is 422 with another
  sort. Account managers' lists are narrowed to their accounts in the store filter whatever the
  sort.
* **get** answers the record with an ``ETag``.
* **create** (``POST``) is 409 if the key exists.
* **replace** (``PUT``) and **patch** (``PATCH``, JSON merge patch of non-key fields) need
  ``If-Match`` with the ETag read before (428 without it, 412 when the record changed meanwhile),
  so two editors never silently overwrite each other. The check and the write are atomic: the
  write is conditional on the graph version read before the ETag was compared, and retried when
  another write slipped in between.
* **delete** honours ``If-Match`` when given.

Every write carries its audit entry (``graph.store.audit``) in the same change set. Who may do what
is decided in ``api.records.access``.
"""

# No ``from __future__ import annotations``: the route signatures use per-kind models made at
# run time, which FastAPI must see as objects, not as names to resolve.

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, HTTPException, Query, Response, status
from pydantic import BaseModel, ValidationError

from api.deps import PrincipalDep, StoreDep
from api.records.access import Scope, check_read, check_write, forbid, not_found
from api.records.commit import commit
from api.records.cursor import bad_cursor, decode_cursor, encode_cursor, sort_field
from api.records.etag import check_if_match, etag_of, require_if_match
from api.records.schema import (
    EXAMPLES,
    PATHS,
    Page,
    Resource,
    filter_model,
    key_dependency,
    patch_model,
)
from graph.auth.principal import Principal
from graph.model import Record, RecordKind, record_from_dict, record_to_dict
from graph.store.audit import audit_doc, diff
from graph.store.base import ChangeSet, Store, resolve_order

__all__ = ["add_resource", "build_router", "router"]

ETAG_HEADER = {
    "ETag": {"description": "version of the record for If-Match", "schema": {"type": "string"}}
}
UPDATE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"headers": ETAG_HEADER},
    412: {"description": "the record changed since you read it"},
    428: {"description": "If-Match missing"},
}
IfMatch = Annotated[
    str | None,
    Header(alias="If-Match", max_length=2000, description="ETag from GET (required)"),
]


def _audit(
    principal: Principal, action: str, record: Record, changes: dict[str, Any]
) -> tuple[str, str, dict[str, Any]]:
    return audit_doc(
        actor=principal.id,
        role=principal.role.value,
        action=action,
        kind=record.kind.value,
        key=record.key,
        changes=changes,
    )


def _visible_or_404(scope: Scope, kind: RecordKind, key: str, record: Record | None) -> Record:
    if record is None or not scope.sees(record):
        raise not_found(kind, key)
    return record


def _invalid(exc: ValidationError) -> HTTPException:
    errors = [
        {"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()
    ]
    return HTTPException(422, {"detail": f"{len(errors)} invalid field(s)", "errors": errors})


def _examples(res: Resource) -> tuple[dict[str, Any], dict[str, Any]]:
    """OpenAPI examples of a whole record and of a patch (two of its non-key fields)."""
    example = EXAMPLES[res.kind]
    whole = {"example": {"summary": f"a {res.kind.value}", "value": example}}
    patch_value = {k: v for k, v in example.items() if k not in res.model.key_fields}
    patch = {
        "example": {"summary": "change some fields", "value": dict(list(patch_value.items())[:2])}
    }
    return whole, patch


def _list_page(
    store: Store, principal: Principal, kind: RecordKind, filters: BaseModel
) -> Page[Any]:
    """One page of a listing: filters pushed into the store, narrowed to what the caller sees."""
    data = filters.model_dump()
    after, limit, sort = data.pop("after"), data.pop("limit"), data.pop("sort")
    order_by, descending = sort_field(sort), sort.startswith("-")
    where = {k: v for k, v in data.items() if v is not None}
    cursor = decode_cursor(after, sort) if after else None
    if cursor is not None:
        try:  # the store's own check of a cursor (a forged value of the wrong type)
            resolve_order(kind, order_by, cursor)
        except ValueError:
            raise bad_cursor("not a cursor from this API") from None
    scoped = Scope.of(store, principal).restrict(kind, where)
    if scoped is None:
        return Page[Any](items=[], next_cursor=None)
    try:
        rows = store.page(
            kind,
            where=scoped or None,
            after=cursor,
            limit=limit + 1,
            order_by=order_by,
            descending=descending,
        )
    except ValueError as exc:  # the sort is checked above: a bug, said clearly all the same
        raise HTTPException(
            422, {"detail": str(exc), "errors": [{"field": "query.sort", "message": str(exc)}]}
        ) from None
    more = len(rows) > limit
    rows = rows[:limit]
    return Page[Any](items=rows, next_cursor=encode_cursor(sort, rows[-1]) if more else None)


def _add_reads(router: APIRouter, res: Resource, key_dep: Any) -> None:
    """``GET /v1/{kind}`` (list) and ``GET`` of one record."""
    kind, model = res.kind, res.model
    filters_model = filter_model(kind, model)

    @router.get(
        f"/v1/{res.path}",
        response_model=Page[model],  # type: ignore[valid-type]
        summary=f"List {res.path}",
        operation_id=f"list_{kind.value}",
        tags=[res.path],
    )
    def list_records(
        principal: PrincipalDep,
        store: StoreDep,
        filters: Annotated[filters_model, Query()],  # type: ignore[valid-type]
    ) -> Page[Any]:
        check_read(principal, kind)
        return _list_page(store, principal, kind, filters)

    @router.get(
        res.item_path,
        response_model=model,
        summary=f"Get one {kind.value}",
        operation_id=f"get_{kind.value}",
        tags=[res.path],
        responses={
            200: {"headers": ETAG_HEADER},
            404: {"description": "no such record (or not yours)"},
        },
    )
    def get_record(
        key: key_dep, principal: PrincipalDep, store: StoreDep, response: Response
    ) -> Record:
        check_read(principal, kind)
        record = _visible_or_404(Scope.of(store, principal), kind, key, store.get(kind, key))
        response.headers["ETag"] = etag_of(record)
        return record

    del list_records, get_record  # registered by the decorators


def _add_create(router: APIRouter, res: Resource) -> None:
    """``POST /v1/{kind}``: 409 if the key exists."""
    kind, model = res.kind, res.model
    examples, _patch = _examples(res)

    @router.post(
        f"/v1/{res.path}",
        response_model=model,
        status_code=status.HTTP_201_CREATED,
        summary=f"Create a {kind.value}",
        operation_id=f"create_{kind.value}",
        tags=[res.path],
        responses={201: {"headers": ETAG_HEADER}, 409: {"description": "the key exists already"}},
    )
    def create_record(
        body: Annotated[model, Body(openapi_examples=examples)],  # type: ignore[valid-type]
        principal: PrincipalDep,
        store: StoreDep,
        response: Response,
    ) -> Record:
        check_read(principal, kind)
        check_write(principal, kind)
        record: Record = body
        Scope.of(store, principal).check_new(record, None)

        def build() -> ChangeSet:
            if store.get(kind, record.key) is not None:
                raise HTTPException(
                    status.HTTP_409_CONFLICT, f"{record.label()} exists already; use PUT or PATCH"
                )
            audit = _audit(principal, "create", record, record_to_dict(record))
            return ChangeSet(upserts=[record], docs=[audit])

        commit(store, build)
        response.headers["ETag"] = etag_of(record)
        response.headers["Location"] = res.url_of(record)
        return record

    del create_record


def _update(
    kind: RecordKind,
    key: str,
    principal: Principal,
    store: Store,
    if_match: str | None,
    action: str,
    make: Callable[[Record], Record],
    response: Response,
) -> Record:
    """Replace or patch one record: ``If-Match`` checked and the write made in one commit."""
    check_read(principal, kind)
    check_write(principal, kind)
    expected = require_if_match(if_match)
    scope = Scope.of(store, principal)
    result: dict[str, Record] = {}

    def build() -> ChangeSet | None:
        current = _visible_or_404(scope, kind, key, store.get(kind, key))
        check_if_match(
            expected,
            current,
            f"{current.label()} changed since you read it: GET it again and reapply",
        )
        new = make(current)
        scope.check_new(new, current)
        result["record"] = new
        changes = diff(record_to_dict(current), record_to_dict(new))
        if not changes:
            return None
        return ChangeSet(upserts=[new], docs=[_audit(principal, action, new, changes)])

    commit(store, build)
    response.headers["ETag"] = etag_of(result["record"])
    return result["record"]


def _add_updates(router: APIRouter, res: Resource, key_dep: Any) -> None:
    """``PUT`` (replace) and ``PATCH`` (JSON merge patch of non-key fields) of one record."""
    kind, model = res.kind, res.model
    patch_body = patch_model(model)
    examples, patch_examples = _examples(res)

    @router.put(
        res.item_path,
        response_model=model,
        summary=f"Replace a {kind.value}",
        operation_id=f"replace_{kind.value}",
        tags=[res.path],
        responses=UPDATE_RESPONSES,
    )
    def replace_record(
        key: key_dep,
        body: Annotated[model, Body(openapi_examples=examples)],  # type: ignore[valid-type]
        principal: PrincipalDep,
        store: StoreDep,
        response: Response,
        if_match: IfMatch = None,
    ) -> Record:
        record: Record = body
        if record.key != key:
            raise HTTPException(
                422,
                {
                    "detail": "the body's key fields must match the path",
                    "errors": [
                        {"field": f, "message": "differs from the path"} for f in model.key_fields
                    ],
                },
            )
        return _update(kind, key, principal, store, if_match, "replace", lambda _: record, response)

    @router.patch(
        res.item_path,
        response_model=model,
        summary=f"Change some fields of a {kind.value}",
        operation_id=f"patch_{kind.value}",
        tags=[res.path],
        responses=UPDATE_RESPONSES,
    )
    def patch_record(
        key: key_dep,
        body: Annotated[patch_body, Body(openapi_examples=patch_examples)],  # type: ignore[valid-type]
        principal: PrincipalDep,
        store: StoreDep,
        response: Response,
        if_match: IfMatch = None,
    ) -> Record:
        changes = body.model_dump(mode="json", exclude_unset=True)  # type: ignore[attr-defined]

        def make(current: Record) -> Record:
            data = record_to_dict(current)
            data.update(changes)
            try:
                return record_from_dict(kind, data)
            except ValidationError as exc:
                raise _invalid(exc) from None

        return _update(kind, key, principal, store, if_match, "patch", make, response)

    del replace_record, patch_record


def _add_delete(router: APIRouter, res: Resource, key_dep: Any) -> None:
    """``DELETE`` of one record (an entity's links go with it); honours ``If-Match``."""
    kind = res.kind

    @router.delete(
        res.item_path,
        status_code=status.HTTP_204_NO_CONTENT,
        summary=f"Delete a {kind.value} (an entity's links go with it)",
        operation_id=f"delete_{kind.value}",
        tags=[res.path],
        responses={412: {"description": "the record changed since you read it"}},
    )
    def delete_record(
        key: key_dep,
        principal: PrincipalDep,
        store: StoreDep,
        if_match: IfMatch = None,
    ) -> Response:
        check_read(principal, kind)
        check_write(principal, kind)
        if kind is RecordKind.CUSTOMER and not Scope.of(store, principal).unrestricted:
            raise forbid("account managers may not delete customers")
        scope = Scope.of(store, principal)

        def build() -> ChangeSet:
            current = _visible_or_404(scope, kind, key, store.get(kind, key))
            if if_match:
                check_if_match(if_match, current, f"{current.label()} changed since you read it")
            audit = _audit(principal, "delete", current, record_to_dict(current))
            return ChangeSet(deletes=[(kind, key)], docs=[audit])

        commit(store, build)
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    del delete_record


def add_resource(router: APIRouter, res: Resource) -> None:
    """Register the six routes of one record kind."""
    key_dep = Annotated[str, Depends(key_dependency(res.model))]
    _add_reads(router, res, key_dep)
    _add_create(router, res)
    _add_updates(router, res, key_dep)
    _add_delete(router, res, key_dep)


def build_router() -> APIRouter:
    """One router with the routes of every record kind."""
    router = APIRouter()
    for kind, path in PATHS.items():
        add_resource(router, Resource(kind, path))
    return router


router = build_router()
