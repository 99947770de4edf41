"""The org chart's view data: one card per contact with its manager, our people with what they
know, relationship lines with stale ones flagged, and a big account's opening set (the chains
up from its key contacts)."""

from __future__ import annotations

import datetime as dt

import networkx as nx

from graph.accounts.key_contacts import rank_key_contacts
from graph.accounts.map_graph import build_map_graph
from tests.support.map_samples import account_records
from visualize.org_chart import ACCOUNT_ROOT, managers_of, open_ids
from visualize.political_map import MapMode, build_political_map, render_political_map


def test_every_contact_is_a_card_under_its_manager(small_account):
    g, ranking = small_account
    org = build_political_map(g, ranking=ranking).to_data()["org"]
    people = [n for n, t in g.nodes(data="node_type") if t in ("contact", "third_party")]
    assert sorted(c["id"] for c in org["cards"]) == sorted(people)
    ids = {c["id"] for c in org["cards"]}
    for card in org["cards"]:
        assert card["parent"] is None or card["parent"] in ids
        assert card["name"] and card["icon"] and card["colour"].startswith("#")
    keys = [c for c in org["cards"] if c["key"]]
    assert keys and all(c["rank"] for c in keys)
    assert org["root"]["id"] == ACCOUNT_ROOT
    assert org["open"] is None  # a small account opens fully expanded


def test_our_people_and_their_lines(small_account):
    g, ranking = small_account
    org = build_political_map(g, ranking=ranking, today=dt.date(2100, 1, 1)).to_data()["org"]
    ours = {o["id"]: o for o in org["ours"]}
    assert ours and all(o["name"] for o in ours.values())
    assert org["links"] and all(line["from"] in ours for line in org["links"])
    assert all(line["stale"] for line in org["links"])  # nothing touched since 2100
    assert sum(o["knows"] for o in ours.values()) == len(org["links"])
    tip = org["links"][0]["tip"]
    assert "level:" in tip and "last touch:" in tip
    touched = g.copy()
    u, v, k = next(
        (u, v, k)
        for u, v, k, d in touched.edges(keys=True, data=True)
        if d.get("edge_type") == "relationship" and d.get("level", 1) > 0
    )
    touched.edges[u, v, k]["last_touch"] = dt.date(2099, 12, 1)
    fresh = build_political_map(touched, ranking=ranking, today=dt.date(2100, 1, 1))
    lines = fresh.to_data()["org"]["links"]
    assert [line["stale"] for line in lines].count(False) == 1
    assert "2099-12-01 (31 days ago)" in next(li["tip"] for li in lines if not li["stale"])


def test_a_big_account_opens_on_the_chains_to_its_key_contacts():
    _, recs = account_records(300)
    g = build_map_graph(recs)
    view = build_political_map(g, ranking=rank_key_contacts(g))
    org = view.to_data()["org"]
    opened = set(org["open"])
    parents = {c["id"]: c["parent"] for c in org["cards"]}
    contacts = [c for c in org["cards"] if c["type"] == "contact"]
    assert len(opened) < len(contacts)
    for card in contacts:
        if card["key"]:
            node = card["id"]
            while node is not None:
                assert node in opened
                node = parents[node]
    assert view.options["mode"] == MapMode.ORG
    html = render_political_map(view)
    assert 'id="m-org"' in html and 'id="m-network"' in html


def test_managers_form_a_forest_and_the_opening_set_follows_them():
    g = nx.MultiDiGraph()
    for u, v in [("b", "a"), ("c", "b"), ("d", "c"), ("b", "d"), ("e", "a"), ("e", "x")]:
        g.add_edge(u, v, edge_type="reports_to")
    parent = managers_of(g, ["a", "b", "c", "d", "e"])
    for start in parent:  # no loops left
        seen, node = set(), start
        while node in parent:
            assert node not in seen
            seen.add(node)
            node = parent[node]
    assert parent["e"] == "a"  # "x" is not a person on the map
    assert open_ids({"b": "a", "c": "b"}, ["a", "b", "c", "z"], []) == ["a", "z"]


def test_a_viewer_sees_roles_not_names(small_account):
    g, ranking = small_account
    org = build_political_map(g, ranking=ranking, personal_data=False).to_data()["org"]
    names = {str(a.get("name")) for _, a in g.nodes(data=True) if a.get("node_type") == "contact"}
    assert not names & {c["name"] for c in org["cards"]}
    assert all(c["title"] == "" for c in org["cards"])
    assert not any(name in line["tip"] for line in org["links"] for name in names)
