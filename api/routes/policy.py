"""``GET|PUT /v1/policy``: the coverage policy every analysis reads (org designers change it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body

from api.audited import write_audited_doc
from api.deps import PolicyDep, PrincipalDep, RequireOrgDesigner, StoreDep
from graph.coverage.policy import POLICY_COLLECTION, POLICY_DOC_ID, Policy, policy_document

router = APIRouter(tags=["analytics"])


@router.get("/policy", response_model=Policy)
def get_policy(principal: PrincipalDep, policy: PolicyDep) -> Policy:
    """The coverage policy in force (stored, else the policy file, else the default)."""
    return policy


@router.put("/policy", response_model=Policy)
def put_policy(
    store: StoreDep, principal: RequireOrgDesigner, policy: Annotated[Policy, Body()]
) -> Policy:
    """Replace the stored policy (org designers); every analysis reads it from now on."""
    doc = policy_document(policy)
    write_audited_doc(store, principal, "update", POLICY_COLLECTION, POLICY_DOC_ID, doc)
    return policy
