"""An account's political map as a ``pyvis.network.Network``, for analysts in notebooks.

The pages draw maps with relmap's own script (see ``visualize.political_map`` for why not
pyvis' page template). In a Jupyter notebook, though, pyvis is what analysts reach for: this
module turns the same map view, with the same colours, shapes and sizes, into a ``Network``
they can filter, restyle and ``show()``. pyvis puts labels and tooltips into HTML, so every
user string is escaped here, once; tooltips are plain text lines.

>>> from graph.accounts.map_graph import AccountRecords, build_map_graph
>>> from graph.model import Contact, Customer, Employee, Relationship
>>> g = build_map_graph(
...     AccountRecords(
...         account_id="acme",
...         customers=[Customer(id="acme", name="Acme")],
...         contacts=[Contact(id="c1", customer_id="acme", name="<b>Wu</b>", title="CIO")],
...         employees=[Employee(id="e1", name="Ann")],
...         relationships=[Relationship(employee_id="e1", contact_id="c1")],
...     )
... )
>>> net = account_network(g)
>>> sorted((n["id"], n["label"]) for n in net.nodes)
[('contact:c1', '&lt;b&gt;Wu&lt;/b&gt;'), ('employee:e1', 'Ann')]
>>> [(e["from"], e["to"]) for e in net.edges]
[('employee:e1', 'contact:c1')]
"""

from __future__ import annotations

from html import escape
from typing import Any

import networkx as nx
from pyvis.network import Network

from graph.accounts.key_contacts import KeyContactsResult
from visualize.political_map import MapView, build_political_map

NODE_KEYS = ("shape", "color", "size", "borderWidth", "x", "y", "physics")
EDGE_KEYS = ("color", "width", "dashes", "arrows")


def _tooltip(tip: dict[str, Any] | None) -> str:
    """A node's or edge's tooltip as escaped plain-text lines (heading, key: value, notes)."""
    if not tip:
        return ""
    lines = [str(tip.get("heading", ""))]
    lines += [f"{k}: {v}" for k, v in tip.get("lines", [])]
    lines += [str(n) for n in tip.get("notes", [])]
    return escape("\n".join(line for line in lines if line))


def network_from_view(view: MapView, *, notebook: bool = True, height: str = "750px") -> Network:
    """The pyvis network of a map view: its nodes and edges with their styles, strings escaped."""
    net = Network(
        height=height,
        width="100%",
        directed=True,
        notebook=notebook,
        cdn_resources="in_line",
        heading=escape(view.title),
    )
    for node in view.nodes:
        attrs = {k: node[k] for k in NODE_KEYS if k in node}
        net.add_node(
            node["id"], label=escape(str(node.get("label", ""))), title=_tooltip(node.get("tip"))
        )
        net.get_node(node["id"]).update(attrs)
    ids = {n["id"] for n in view.nodes}
    for edge in view.edges:
        if edge.get("from") in ids and edge.get("to") in ids:
            attrs = {k: edge[k] for k in EDGE_KEYS if k in edge}
            net.add_edge(edge["from"], edge["to"], title=_tooltip(edge.get("tip")), **attrs)
    net.toggle_physics(bool(view.options.get("physics", True)))
    return net


def account_network(
    g: nx.MultiDiGraph,
    ranking: KeyContactsResult | None = None,
    *,
    personal_data: bool = True,
    notebook: bool = True,
) -> Network:
    """The pyvis network of one account's map graph (``graph.accounts.map_graph``), sized and
    marked by the key-contact ``ranking`` when given."""
    view = build_political_map(g, ranking=ranking, personal_data=personal_data)
    return network_from_view(view, notebook=notebook)
