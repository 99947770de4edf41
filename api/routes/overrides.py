"""``/v1/scores/overrides``: manual tier overrides, which survive every re-scoring.

Everyone but viewers lists the overrides of the accounts they see; org designers (and admins)
set and remove them. Every change carries its audit entry in the same write.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, HTTPException, Response, status
from pydantic import BaseModel, Field

from api.audited import write_audited_doc
from api.deps import CustomerIdP, PrincipalDep, RequireOrgDesigner, StoreDep, VisibleCustomerDep
from graph.auth.principal import Role
from graph.coverage.inputs import override_document, read_overrides
from graph.coverage.policy import OVERRIDES_COLLECTION
from graph.coverage.scoring import Override
from graph.model import Tier

router = APIRouter(tags=["analytics"])


class OverrideIn(BaseModel):
    tier: Tier
    reason: str = Field(default="", max_length=500)


class OverrideOut(OverrideIn):
    customer_id: str
    by: str = ""


@router.get("/scores/overrides", response_model=list[OverrideOut])
def list_overrides(store: StoreDep, principal: PrincipalDep) -> list[OverrideOut]:
    """Manual tier overrides (they survive every re-scoring)."""
    if principal.role is Role.VIEWER:
        return []
    return [
        OverrideOut(customer_id=cid, tier=o.tier, reason=o.reason)
        for cid, o in sorted(read_overrides(store).items())
        if principal.sees_customer(cid)
    ]


@router.put("/scores/overrides/{customer_id}", response_model=OverrideOut)
def put_override(
    store: StoreDep,
    principal: RequireOrgDesigner,
    customer: VisibleCustomerDep,
    override: Annotated[OverrideIn, Body()],
) -> OverrideOut:
    """Set the tier of one customer by hand, whatever its score."""
    doc = override_document(Override(override.tier, override.reason), by=principal.id)
    write_audited_doc(store, principal, "update", OVERRIDES_COLLECTION, customer.id, doc)
    return OverrideOut(
        customer_id=customer.id, tier=override.tier, reason=override.reason, by=principal.id
    )


@router.delete("/scores/overrides/{customer_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_override(
    store: StoreDep, principal: RequireOrgDesigner, customer_id: CustomerIdP
) -> Response:
    """Remove a manual override: the score decides again."""
    if store.get_doc(OVERRIDES_COLLECTION, customer_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no override for {customer_id!r}")
    write_audited_doc(store, principal, "delete", OVERRIDES_COLLECTION, customer_id, None)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
