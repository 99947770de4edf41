"""The pyvis network for notebooks: the same nodes, edges and styles as the page's map, and
every user string escaped before pyvis puts it into HTML."""

from __future__ import annotations

from graph.accounts.key_contacts import rank_key_contacts
from graph.accounts.map_graph import build_map_graph
from tests.support.map_samples import CHINESE_NAME, XSS_IMG, XSS_SCRIPT, account_records
from visualize.notebook import account_network
from visualize.political_map import build_political_map


def _graph():  # type: ignore[no-untyped-def]
    _, records = account_records(40)
    return build_map_graph(records)


def test_the_network_holds_the_views_nodes_and_edges_with_their_styles() -> None:
    g = _graph()
    ranking = rank_key_contacts(g)
    view = build_political_map(g, ranking=ranking)
    net = account_network(g, ranking)
    assert sorted(n["id"] for n in net.nodes) == sorted(n["id"] for n in view.nodes)
    assert len(net.edges) == len(view.edges)
    by_id = {n["id"]: n for n in net.nodes}
    for node in view.nodes:
        assert by_id[node["id"]]["color"] == node["color"]
        assert by_id[node["id"]]["shape"] == node["shape"]


def test_hostile_names_are_escaped_in_labels_tooltips_and_the_html() -> None:
    g = _graph()
    net = account_network(g)
    labels = " ".join(n["label"] + n["title"] for n in net.nodes)
    assert CHINESE_NAME in labels
    html = net.generate_html(notebook=False)
    for payload in (XSS_IMG, XSS_SCRIPT):
        assert payload not in html
        assert payload not in labels
    assert "&lt;img src=x onerror=alert(1)&gt;" in labels
