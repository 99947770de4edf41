"""Who of ours could reach a contact nobody of ours knows: warm introductions on the map.

For a contact without a relationship, the people around them on the customer's side are their
manager, their direct reports and the contacts they influence or are influenced by. Where one
of our people knows such a neighbour, that colleague can ask for the introduction. Each path is
rated by our relationship's strength level (1-4) times the link's weight (a reporting line 1.0,
an influence link its strength), so a trusted advisor of the target's boss comes first.

>>> from graph.accounts.map_graph import AccountRecords, build_map_graph
>>> from graph.model import (Contact, ContactReportsTo, Customer, Employee, Relationship,
...     RelationshipStrength)
>>> g = build_map_graph(AccountRecords(
...     account_id="acme",
...     customers=[Customer(id="acme", name="Acme")],
...     contacts=[Contact(id="ceo", customer_id="acme", name="Wu"),
...               Contact(id="cfo", customer_id="acme", name="Li")],
...     reports=[ContactReportsTo(contact_id="cfo", manager_id="ceo")],
...     employees=[Employee(id="e1", name="Ann")],
...     relationships=[Relationship(employee_id="e1", contact_id="cfo",
...                                 strength=RelationshipStrength.TRUSTED_ADVISOR)],
... ))
>>> [(i.employee_name, i.via_name, i.link) for i in introductions(g, ["ceo"])["ceo"]]
[('Ann', 'Li', 'direct_report')]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from graph.accounts.map_graph import EdgeType, contact_node
from graph.model import RelationshipStrength

PER_CONTACT = 3


@dataclass(frozen=True)
class Introduction:
    """Our ``employee`` knows ``via``, who is the target's ``link`` (manager, direct report,
    influences them, influenced by them)."""

    contact_id: str
    employee_id: str
    employee_name: str
    strength: RelationshipStrength
    via_id: str
    via_name: str
    link: str  # "manager" | "direct_report" | "influencer" | "influenced"
    score: float


def _neighbours(g: nx.MultiDiGraph, node: str) -> Iterable[tuple[str, str, float]]:
    """(neighbour, link, weight) of a contact on the customer's side."""
    for _, v, data in g.out_edges(node, data=True):
        if data["edge_type"] == EdgeType.REPORTS_TO:
            yield v, "manager", 1.0
        elif data["edge_type"] == EdgeType.INFLUENCES:
            yield v, "influenced", float(data.get("weight", 0.5))
    for u, _, data in g.in_edges(node, data=True):
        if data["edge_type"] == EdgeType.REPORTS_TO:
            yield u, "direct_report", 1.0
        elif data["edge_type"] == EdgeType.INFLUENCES:
            yield u, "influencer", float(data.get("weight", 0.5))


def introductions(
    g: nx.MultiDiGraph, contact_ids: Iterable[str], per_contact: int = PER_CONTACT
) -> dict[str, tuple[Introduction, ...]]:
    """For each contact id, the best ``per_contact`` introductions (strongest first); a contact
    with none gets an empty tuple. Linear in the edges around the targets and their neighbours."""
    out: dict[str, tuple[Introduction, ...]] = {}
    for cid in contact_ids:
        node = contact_node(cid)
        if node not in g:
            out[cid] = ()
            continue
        best: dict[str, Introduction] = {}
        for via, link, weight in _neighbours(g, node):
            via_data = g.nodes[via]
            for emp, _, rel in g.in_edges(via, data=True):
                if rel["edge_type"] != EdgeType.RELATIONSHIP:
                    continue
                strength = RelationshipStrength(rel["strength"])
                score = strength.level * weight
                employee_id = str(g.nodes[emp].get("id", emp))
                seen = best.get(employee_id)
                if strength.level and (seen is None or score > seen.score):
                    best[employee_id] = Introduction(
                        cid,
                        employee_id,
                        str(g.nodes[emp].get("label") or employee_id),
                        strength,
                        str(via_data.get("id", via)),
                        str(via_data.get("label") or via),
                        link,
                        score,
                    )
        ranked = sorted(best.values(), key=lambda i: (-i.score, i.employee_name, i.employee_id))
        out[cid] = tuple(ranked[:per_contact])
    return out
