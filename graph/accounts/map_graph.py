"""The political map of one account as a NetworkX graph: who the customer's people are, who
reports to and who influences whom, and which of our people know them how well.

The map is the one graph model every political-map analysis (``graph.accounts.key_contacts``,
``graph.accounts.relationship_coverage``) and every renderer (``visualize/``,
``/v1/accounts/{id}/map.json``)
reads. It is built from plain records (``graph.model``) by :func:`build_map_graph`; reading those
records from a store is ``graph.accounts.gather``'s job, so this module imports no store.

Graph
-----
A ``networkx.MultiDiGraph``. Graph-level attributes (``G.graph``):

``account_id``     the customer id the map was asked for (the HQ when subsidiaries are included)
``customer_ids``   sorted list of every customer id on the map (the account and its subsidiaries)
``customers``      dict customer id -> that customer's record fields (``Customer.model_dump()``)
``version``        the store's graph version the records were read at, or ``None`` (hand-built)

Nodes
-----
Node keys are namespaced so that a contact and an employee with the same id never collide:
``"contact:<id>"`` for the customer's people and third parties, ``"employee:<id>"`` for ours
(see :func:`contact_node`, :func:`employee_node`, :func:`record_id`). Every node has:

``node_type``  ``"contact"`` (a customer's person, ``contact_kind == "customer"``),
               ``"third_party"`` (a contact whose ``contact_kind`` is consultant, integrator,
               design institute or partner) or ``"employee"`` (one of our people)
``label``      the display name (the record's ``name``)

plus every field of the record, as ``record.model_dump()`` gives it (enums as ``StrEnum``
members, which are ``str``; dates as ``datetime.date``):

- contact / third_party: ``id, customer_id, name, title, department, level, decision_role,
  stance, contact_kind, email``
- employee: ``id, name, email, title, region, active``

Edges
-----
Edge keys are the ``edge_type`` (at most one edge of each type between two nodes). Every edge has
``edge_type`` and ``weight`` plus the link record's fields:

``"reports_to"``    contact -> their manager (contact). Fields ``contact_id, manager_id``.
                    ``weight`` = 1.0.
``"influences"``    source contact -> the contact they sway. Fields ``source_id, target_id,
                    strength`` (float in (0, 1]). ``weight`` = ``strength``.
``"relationship"``  employee -> contact. Fields ``employee_id, contact_id, strength`` (a
                    ``RelationshipStrength``: none / acquainted / credible_source /
                    problem_solver / trusted_advisor), ``desired`` (the same scale or ``None``),
                    ``last_touch`` (``datetime.date`` or ``None``), plus ``level`` (0-4, the
                    strength's position on the scale), ``desired_level`` (0-4 or ``None``).
                    ``weight`` = ``level``.

Links whose two ends are not both on the map (a reporting line to someone at another customer,
a relationship of ours to a contact elsewhere) are left out, so every edge joins two map nodes.
Employees appear only when they have a relationship to a contact on the map.

Example
-------
>>> from graph.model import Contact, Customer, Employee, Relationship
>>> g = build_map_graph(
...     AccountRecords(
...         account_id="acme",
...         customers=[Customer(id="acme", name="Acme")],
...         contacts=[Contact(id="c1", customer_id="acme", name="王伟", title="CIO")],
...         employees=[Employee(id="e1", name="Ann")],
...         relationships=[Relationship(employee_id="e1", contact_id="c1")],
...     )
... )
>>> sorted(g.nodes)
['contact:c1', 'employee:e1']
>>> g.nodes["contact:c1"]["node_type"], g.nodes["contact:c1"]["label"]
('contact', '王伟')
>>> [(u, v, d["edge_type"], d["level"]) for u, v, d in g.edges(data=True)]
[('employee:e1', 'contact:c1', 'relationship', 1)]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import networkx as nx

from graph.model import (
    Contact,
    ContactKind,
    ContactReportsTo,
    Customer,
    Employee,
    Influence,
    Relationship,
)


class NodeType(StrEnum):
    """What a node of the political map stands for."""

    CONTACT = "contact"
    THIRD_PARTY = "third_party"
    EMPLOYEE = "employee"


class EdgeType(StrEnum):
    """What an edge of the political map stands for."""

    REPORTS_TO = "reports_to"
    INFLUENCES = "influences"
    RELATIONSHIP = "relationship"


CONTACT_PREFIX = "contact:"
EMPLOYEE_PREFIX = "employee:"


def contact_node(contact_id: str) -> str:
    """Node key of a contact (customer person or third party).

    >>> contact_node("c1")
    'contact:c1'
    """
    return CONTACT_PREFIX + contact_id


def employee_node(employee_id: str) -> str:
    """Node key of one of our people.

    >>> employee_node("e1")
    'employee:e1'
    """
    return EMPLOYEE_PREFIX + employee_id


def record_id(node: str) -> str:
    """The record id behind a node key (inverse of :func:`contact_node` / :func:`employee_node`).

    >>> record_id("employee:e:1")
    'e:1'
    """
    return node.split(":", 1)[1]


def is_person_of_customer(node_type: str) -> bool:
    """True for contacts and third parties: the nodes key-contact analysis ranks."""
    return node_type in (NodeType.CONTACT, NodeType.THIRD_PARTY)


@dataclass(frozen=True)
class AccountRecords:
    """Every record one account's political map is drawn from."""

    account_id: str
    customers: Sequence[Customer] = ()
    contacts: Sequence[Contact] = ()
    reports: Sequence[ContactReportsTo] = ()
    influences: Sequence[Influence] = ()
    relationships: Sequence[Relationship] = ()
    employees: Sequence[Employee] = ()
    version: int | None = None


def _contact_type(contact: Contact) -> NodeType:
    if contact.contact_kind is ContactKind.CUSTOMER:
        return NodeType.CONTACT
    return NodeType.THIRD_PARTY


def build_map_graph(records: AccountRecords) -> nx.MultiDiGraph:
    """The political map of an account (see the module docstring for every attribute name).

    Nodes and edges are added in sorted order so that iteration order, and with it every
    analysis built on the map, is the same whatever order the records came in.
    """
    g: nx.MultiDiGraph = nx.MultiDiGraph()
    customers = sorted(records.customers, key=lambda c: c.id)
    g.graph["account_id"] = records.account_id
    g.graph["customer_ids"] = sorted({c.id for c in customers} | {records.account_id})
    g.graph["customers"] = {c.id: c.model_dump() for c in customers}
    g.graph["version"] = records.version

    for contact in sorted(records.contacts, key=lambda c: c.id):
        g.add_node(
            contact_node(contact.id),
            node_type=_contact_type(contact).value,
            label=contact.name,
            **contact.model_dump(),
        )
    # Sorting by the key fields' tuple is the order of ``Record.key`` (ids hold no control
    # characters, so the separator sorts before any id character), without building the keys.
    reports, influences, relationship = (
        EdgeType.REPORTS_TO.value,
        EdgeType.INFLUENCES.value,
        EdgeType.RELATIONSHIP.value,
    )
    nodes = g.nodes
    edges: list[tuple[str, str, str, dict[str, Any]]] = []
    for report in sorted(records.reports, key=lambda r: (r.contact_id, r.manager_id)):
        u, v = contact_node(report.contact_id), contact_node(report.manager_id)
        if u in nodes and v in nodes:
            edges.append((u, v, reports, {"edge_type": reports, "weight": 1.0, **report.__dict__}))
    for inf in sorted(records.influences, key=lambda r: (r.source_id, r.target_id)):
        u, v = contact_node(inf.source_id), contact_node(inf.target_id)
        if u in nodes and v in nodes:
            edges.append(
                (
                    u,
                    v,
                    influences,
                    {"edge_type": influences, "weight": float(inf.strength), **inf.__dict__},
                )
            )

    employees = {e.id: e for e in records.employees}
    for rel in sorted(records.relationships, key=lambda r: (r.employee_id, r.contact_id)):
        v = contact_node(rel.contact_id)
        if v not in nodes or rel.employee_id not in employees:
            continue
        u = employee_node(rel.employee_id)
        if u not in nodes:
            emp = employees[rel.employee_id]
            g.add_node(u, node_type=NodeType.EMPLOYEE.value, label=emp.name, **emp.model_dump())
        edges.append(
            (
                u,
                v,
                relationship,
                {
                    "edge_type": relationship,
                    "weight": float(rel.strength.level),
                    "level": rel.strength.level,
                    "desired_level": rel.desired.level if rel.desired is not None else None,
                    # every field of the record, as model_dump() gives it, but faster
                    **rel.__dict__,
                },
            )
        )
    g.add_edges_from(edges)
    return g


def contact_nodes(g: nx.MultiDiGraph) -> list[str]:
    """Sorted node keys of the customer's people and third parties."""
    return sorted(n for n, t in g.nodes(data="node_type") if is_person_of_customer(t))


def employee_nodes(g: nx.MultiDiGraph) -> list[str]:
    """Sorted node keys of our people on the map."""
    return sorted(n for n, t in g.nodes(data="node_type") if t == NodeType.EMPLOYEE)


def edges_of_type(
    g: nx.MultiDiGraph, edge_type: EdgeType | str
) -> Iterable[tuple[str, str, dict[str, Any]]]:
    """``(u, v, data)`` of every edge of one type, in the graph's (sorted) insertion order."""
    for u, v, data in g.edges(data=True):
        if data["edge_type"] == edge_type:
            yield u, v, data


def map_to_json(g: nx.MultiDiGraph) -> dict[str, Any]:
    """Nodes and edges as JSON-ready data for consumers who render the map themselves.

    ``{"account_id", "customer_ids", "version", "nodes": [{"key", ...attributes}],
    "edges": [{"source", "target", ...attributes}]}``; enums become their values and dates ISO
    strings.
    """

    def plain(value: Any) -> Any:
        if isinstance(value, StrEnum):
            return value.value
        if hasattr(value, "isoformat"):
            return value.isoformat()
        if isinstance(value, tuple | list):
            return [plain(v) for v in value]
        return value

    return {
        "account_id": g.graph.get("account_id"),
        "customer_ids": list(g.graph.get("customer_ids", [])),
        "version": g.graph.get("version"),
        "nodes": [
            {"key": n, **{k: plain(v) for k, v in data.items()}} for n, data in g.nodes(data=True)
        ],
        "edges": [
            {"source": u, "target": v, **{k: plain(val) for k, val in data.items()}}
            for u, v, data in g.edges(data=True)
        ],
    }
