"""Key-contact ranking on the hand-built two-department map (see conftest.py)."""

from __future__ import annotations

from graph.accounts.centrality import Engine
from graph.accounts.gather import gather_account
from graph.accounts.key_contacts import KeyContactParams, rank_key_contacts
from graph.accounts.map_graph import AccountRecords, build_map_graph
from graph.model import Contact, ContactReportsTo, Customer, DecisionRole, Record
from graph.store.reader import MemorySource


def _acme(records: list[Record]):
    recs = gather_account(MemorySource(records), "acme", include_subsidiaries=False)
    return build_map_graph(recs)


def test_the_broker_between_two_departments_ranks_top_by_betweenness(records):
    result = rank_key_contacts(_acme(records))
    by_id = result.by_id()
    assert by_id["b"].betweenness_rank == 1
    # 9 of the 15 other pairs route through b only: Sales (3) x IT (3)
    assert abs(by_id["b"].betweenness - 2 * 9 / (6 * 5)) < 1e-12
    assert max(result.contacts, key=lambda c: c.betweenness).contact_id == "b"


def test_a_hidden_influencer_is_surfaced_with_a_reason(records):
    result = rank_key_contacts(_acme(records))
    hidden = [c.contact_id for c in result.hidden_influencers]
    assert hidden == ["b"]
    b = result.by_id()["b"]
    assert b.is_key and "hidden influencer" in b.key_reason
    assert "level 5" in b.hidden_reason and "Finance analyst" in b.hidden_reason


def test_senior_contacts_are_never_hidden_even_when_central(records):
    result = rank_key_contacts(_acme(records))
    assert not result.by_id()["s1"].hidden_influencer


def test_key_contacts_are_the_decision_roles_and_the_hidden_influencer(records):
    result = rank_key_contacts(_acme(records))
    assert sorted(c.contact_id for c in result.key_contacts) == ["b", "i1", "s1"]


def test_every_score_is_the_sum_of_its_explained_parts(records):
    for c in rank_key_contacts(_acme(records)).contacts:
        names = [p.name for p in c.parts]
        assert names == ["pagerank", "betweenness", "influence_in_degree", "role"]
        assert abs(sum(p.contribution for p in c.parts) - c.score) < 1e-9
        for p in c.parts:
            assert abs(p.normalized * p.weight - p.contribution) < 1e-9
        assert c.explanation.startswith(f"score {c.score:.3f}")


def test_influence_in_degree_sums_the_strength_of_links_exerted(records):
    by_id = rank_key_contacts(_acme(records)).by_id()
    assert by_id["b"].influence_in_degree == 1.8
    assert by_id["s3"].influence_in_degree == 0.5
    assert by_id["s1"].influence_in_degree == 0.0


def test_ranks_are_dense_and_ordered_by_score_then_id(records):
    contacts = rank_key_contacts(_acme(records)).contacts
    assert [c.rank for c in contacts] == list(range(1, len(contacts) + 1))
    keys = [(-c.score, c.contact_id) for c in contacts]
    assert keys == sorted(keys)


def test_ties_are_broken_by_contact_id_whatever_the_input_order():
    people = [Contact(id=i, customer_id="a", name=i, level=6) for i in ["z", "m", "a"]]
    g1 = build_map_graph(AccountRecords("a", [Customer(id="a", name="A")], people))
    g2 = build_map_graph(AccountRecords("a", [Customer(id="a", name="A")], people[::-1]))
    assert [c.contact_id for c in rank_key_contacts(g1).contacts] == ["a", "m", "z"]
    assert rank_key_contacts(g1) == rank_key_contacts(g2)


def test_igraph_and_networkx_engines_give_identical_results(records):
    g = _acme(records)
    fast = rank_key_contacts(g, engine=Engine.IGRAPH, use_cache=False)
    ref = rank_key_contacts(g, engine=Engine.NETWORKX, use_cache=False)
    assert fast == ref


def test_the_manager_everyone_reports_to_is_listened_to_most():
    people = [
        Contact(
            id="boss",
            customer_id="a",
            name="Boss",
            level=1,
            decision_role=DecisionRole.DECISION_MAKER,
        )
    ]
    people += [Contact(id=f"r{i}", customer_id="a", name=f"R{i}", level=5) for i in range(4)]
    lines = [ContactReportsTo(contact_id=f"r{i}", manager_id="boss") for i in range(4)]
    result = rank_key_contacts(build_map_graph(AccountRecords("a", (), people, lines)))
    top = result.contacts[0]
    assert top.contact_id == "boss" and top.pagerank_rank == 1 and top.betweenness_rank == 1


def test_a_higher_key_threshold_keeps_only_formal_roles(records):
    result = rank_key_contacts(
        _acme(records), KeyContactParams(key_threshold=1.01, hidden_centrality=1.01)
    )
    assert sorted(c.contact_id for c in result.key_contacts) == ["i1", "s1"]


def test_an_empty_map_ranks_nobody():
    result = rank_key_contacts(build_map_graph(AccountRecords("a")))
    assert result.contacts == ()


def test_on_the_store_the_broker_ranks_top_by_betweenness_and_is_a_hidden_influencer(loaded_store):
    from graph.accounts.analysis import account_key_contacts

    g, result = account_key_contacts(loaded_store, "acme", include_subsidiaries=False)
    assert g.graph["version"] == loaded_store.version()
    by_id = result.by_id()
    assert by_id["b"].betweenness_rank == 1
    assert [c.contact_id for c in result.hidden_influencers] == ["b"]


def test_the_centrality_cache_follows_the_map_content_not_its_version(records):
    from graph.model import Influence

    before = rank_key_contacts(_acme(records))
    assert rank_key_contacts(_acme(records)) == before  # served from the cache, same answer
    # a new influence link between the departments at the same (absent) version
    changed = _acme([*records, Influence(source_id="s2", target_id="i2", strength=0.4)])
    after = rank_key_contacts(changed)
    assert after.by_id()["b"].betweenness < before.by_id()["b"].betweenness
    assert after == rank_key_contacts(changed, use_cache=False)


def test_a_contact_nobody_listens_to_is_never_a_hidden_influencer():
    # alone on the map, a junior contact has all the (uniform) PageRank but no influence
    lone = [Contact(id="o1", customer_id="a", name="Olga", level=6)]
    result = rank_key_contacts(build_map_graph(AccountRecords("a", (), lone)))
    assert result.contacts[0].centrality > 0.4
    assert not result.contacts[0].hidden_influencer and not result.contacts[0].is_key
