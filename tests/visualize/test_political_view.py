"""The political map view encodes the vocabulary: colour = stance, shape = decision role,
size = key-contact score, our people distinct, edge styles per link, flags, legend, filters'
inputs, layouts, and redaction for viewers."""

from __future__ import annotations

import time

from graph.accounts.key_contacts import rank_key_contacts
from graph.accounts.map_graph import build_map_graph
from tests.support.map_samples import CHINESE_DEPT, CHINESE_NAME, account_records
from visualize import style
from visualize.html import AssetMode
from visualize.political_map import (
    PHYSICS_LIMIT,
    build_political_map,
    legend_html,
    render_political_map,
)


def nodes_by_id(view) -> dict[str, dict]:
    return {n["id"]: n for n in view.nodes}


def test_fill_is_the_stance_colour_and_shape_the_decision_role(small_account):
    g, ranking = small_account
    nodes = nodes_by_id(build_political_map(g, ranking=ranking))
    for key, attrs in g.nodes(data=True):
        if attrs["node_type"] == "employee":
            continue
        node = nodes[key]
        assert node["color"]["background"] == style.STANCE_COLOURS[attrs["stance"]]
        assert node["shape"] == style.ROLE_SHAPES[attrs["decision_role"]]


def test_size_grows_with_the_key_contact_score(small_account):
    g, ranking = small_account
    nodes = nodes_by_id(build_political_map(g, ranking=ranking))
    ordered = sorted(ranking.contacts, key=lambda k: k.score)
    low, high = ordered[0], ordered[-1]
    assert nodes[high.node]["size"] > nodes[low.node]["size"]
    assert [nodes[k.node]["key"] for k in ranking.contacts] == [k.is_key for k in ranking.contacts]


def test_our_people_are_blue_boxes_and_third_parties_purple(small_account):
    g, ranking = small_account
    view = build_political_map(g, ranking=ranking)
    ours = [n for n in view.nodes if n["kind"] == "employee"]
    third = [n for n in view.nodes if n["kind"] == "third_party"]
    assert ours and all(n["shape"] == "box" for n in ours)
    assert all(n["color"]["background"] == style.EMPLOYEE_COLOUR for n in ours)
    assert third and all(n["font"]["color"] == style.THIRD_PARTY_FONT for n in third)


def test_each_link_type_has_its_own_style(small_account):
    g, ranking = small_account
    edges = build_political_map(g, ranking=ranking).edges
    kinds = {e["kind"] for e in edges}
    assert kinds == {"reports_to", "influences", "relationship"}
    for e in edges:
        st = style.EDGE_STYLES[e["kind"]]
        assert e["color"]["color"] == st.colour
        assert e["arrows"]["to"]["enabled"] is st.arrow
        assert e["dashes"] == (list(st.dashes) if st.dashes else False)
    influence = [e for e in edges if e["kind"] == "influences"]
    assert len({e["width"] for e in influence}) > 1  # width follows strength


def test_contacts_without_a_relationship_are_flagged_and_key_ones_ringed_red(small_account):
    g, ranking = small_account
    view = build_political_map(g, ranking=ranking)
    known = {
        v for _, v, d in g.edges(data=True) if d["edge_type"] == "relationship" and d["level"] > 0
    }
    for n in view.nodes:
        if n["kind"] == "employee":
            continue
        assert n["uncovered"] is (n["id"] not in known)
        if n["uncovered"] and n["key"]:
            assert n["color"]["border"] == style.BORDER_UNCOVERED
        if n["uncovered"]:
            assert n["shapeProperties"]["borderDashes"]
    assert view.stats["uncovered"] == sum(1 for n in view.nodes if n["uncovered"])


def test_tooltip_tells_who_of_ours_knows_the_contact_and_why_they_are_key(small_account):
    g, ranking = small_account
    view = build_political_map(g, ranking=ranking)
    ceo = nodes_by_id(view)["contact:acme-c0"]
    notes = " ".join(ceo["tip"]["notes"])
    assert "Known by Alice Chen: trusted advisor" in notes
    assert "Key contact:" in notes
    lines = dict(ceo["tip"]["lines"])
    assert lines["Decision role"] == "Decision maker" and lines["Department"] == "总经办"


def test_legend_lists_every_colour_shape_and_line(small_account):
    html = legend_html()
    for label in [*style.STANCE_LABELS.values(), *style.ROLE_LABELS.values()]:
        assert label.split(" (")[0] in html
    for st in style.EDGE_STYLES.values():
        assert st.label in html
    assert "Our people" in html and "No relationship with us" in html
    assert html.count("<svg") >= len(style.STANCE_LABELS) + len(style.EDGE_STYLES)


def test_filters_get_departments_and_flags_they_need(small_account):
    g, ranking = small_account
    view = build_political_map(g, ranking=ranking)
    assert CHINESE_DEPT in view.departments and "<i>Strategy</i>" in view.departments
    contacts = [n for n in view.nodes if n["kind"] != "employee"]
    assert all({"dept", "key", "uncovered"} <= n.keys() for n in contacts)
    html = render_political_map(view)
    for control in ('id="f-key"', 'id="f-uncovered"', 'id="f-dept"', 'id="f-hier"'):
        assert control in html


def test_reporting_line_layout_puts_everyone_below_their_manager(small_account):
    g, ranking = small_account
    view = build_political_map(g, ranking=ranking, hierarchical=True)
    nodes = nodes_by_id(view)
    assert view.options["hierarchical"] is True
    assert all("hx" in n and "hy" in n for n in view.nodes)
    assert nodes["contact:acme-c0"]["hy"] == 0  # the chairman, top of the tree
    for u, v, d in g.edges(data=True):
        if d["edge_type"] == "reports_to":
            assert nodes[u]["hy"] > nodes[v]["hy"]
    tree_bottom = max(n["hy"] for n in view.nodes if n["kind"] == "contact")
    assert all(n["hy"] > tree_bottom for n in view.nodes if n["kind"] == "employee")
    spots = {(n["hx"], n["hy"]) for n in view.nodes}
    assert len(spots) == len(view.nodes)  # nobody drawn on top of anyone else


def test_small_maps_use_physics_and_big_ones_precomputed_department_clusters():
    _, small = account_records(PHYSICS_LIMIT // 2)
    g = build_map_graph(small)
    view = build_political_map(g)
    assert view.options["physics"] is True and all("x" not in n for n in view.nodes)

    _, big = account_records(1200, seed=3)
    g = build_map_graph(big)
    first = build_political_map(g, ranking=rank_key_contacts(g))
    again = build_political_map(g, ranking=rank_key_contacts(g))
    assert first.options["physics"] is False and first.options["show_ours"] is False
    assert all("x" in n and "y" in n for n in first.nodes)
    assert [(n["x"], n["y"]) for n in first.nodes] == [(n["x"], n["y"]) for n in again.nodes]
    assert {grp["name"] for grp in first.groups} >= {"Our people", "Third parties", "采购部"}


def test_viewers_get_roles_and_departments_instead_of_names(small_account):
    g, ranking = small_account
    view = build_political_map(g, ranking=ranking, personal_data=False)
    text = str(view.to_data())
    assert CHINESE_NAME not in text and "@acme.example" not in text
    contact = nodes_by_id(view)["contact:acme-c0"]
    assert contact["label"] == "Decision maker (总经办)"
    assert "Title" not in dict(contact["tip"]["lines"])


def test_map_html_for_300_contacts_is_generated_fast():
    _, recs = account_records(300)
    g = build_map_graph(recs)
    started = time.perf_counter()
    ranking = rank_key_contacts(g)
    ranked = time.perf_counter()
    html = render_political_map(build_political_map(g, ranking=ranking), mode=AssetMode.INLINE)
    done = time.perf_counter()
    print(
        f"\n300-contact map: ranking {ranked - started:.3f} s, view + HTML {done - ranked:.3f} s, "
        f"{len(html) / 1e6:.2f} MB (inline assets)"
    )
    assert html.count('"kind":"contact"') + html.count('"kind":"third_party"') == 300


def test_subsidiaries_departments_cluster_apart_from_the_hq_ones():
    from graph.accounts.map_graph import AccountRecords
    from graph.model import Contact, Customer

    hq = Customer(id="hq", name="华东重工集团有限公司")
    branch = Customer(id="br", name="华东重工集团上海分公司", parent_id="hq")
    people = [
        Contact(id=f"c{i}", customer_id="hq" if i % 2 else "br", name=f"p{i}", department="采购部")
        for i in range(PHYSICS_LIMIT + 10)
    ]
    g = build_map_graph(AccountRecords("hq", [hq, branch], people))
    view = build_political_map(g)
    names = {grp["name"] for grp in view.groups}
    assert {"采购部", "上海分公司"} <= names
    assert view.departments == ["采购部"]  # the filter still offers the department once
