"""The fast centrality functions give networkx's numbers (to 1e-9) on random graphs."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from graph.accounts.centrality import Engine, betweenness, clear_cache, nx_pagerank, pagerank

TOL = 1e-9


def _random_graph(seed: int, directed: bool, multi: bool = False) -> nx.Graph:
    rnd = random.Random(seed)
    n = rnd.randint(5, 80)
    g = nx.gnm_random_graph(n, rnd.randint(n, 4 * n), seed=seed, directed=directed)
    if multi:
        g = nx.MultiDiGraph(g) if directed else nx.MultiGraph(g)
        for u, v in list(g.edges())[: n // 2]:
            g.add_edge(u, v)
    g.add_nodes_from([f"isolated-{seed}", f"lonely-{seed}"])  # dangling and mixed-type keys
    for _, _, data in g.edges(data=True):
        data["weight"] = rnd.uniform(0.1, 1.0)
        data["hops"] = rnd.randint(1, 3)
    return g


def _close(a: dict, b: dict) -> float:
    assert set(a) == set(b)
    return max((abs(a[k] - b[k]) for k in a), default=0.0)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("directed", [True, False], ids=["directed", "undirected"])
def test_pagerank_equals_networkx_on_random_weighted_graphs(seed: int, directed: bool):
    g = _random_graph(seed, directed)
    assert _close(pagerank(g, engine=Engine.IGRAPH), nx_pagerank(g)) < TOL
    assert _close(pagerank(g, weight=None, engine=Engine.IGRAPH), nx_pagerank(g, weight=None)) < TOL


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("directed", [True, False], ids=["directed", "undirected"])
def test_betweenness_equals_networkx_on_random_graphs(seed: int, directed: bool):
    g = _random_graph(seed, directed)
    assert _close(betweenness(g, engine=Engine.IGRAPH), nx.betweenness_centrality(g)) < TOL
    raw = betweenness(g, normalized=False, engine=Engine.IGRAPH)
    assert _close(raw, nx.betweenness_centrality(g, normalized=False)) < TOL
    hops = betweenness(g, weight="hops", engine=Engine.IGRAPH)
    assert _close(hops, nx.betweenness_centrality(g, weight="hops")) < TOL


@pytest.mark.parametrize("seed", range(4))
def test_multigraphs_sum_weights_for_pagerank_and_count_one_path_per_pair(seed: int):
    g = _random_graph(seed, directed=True, multi=True)
    assert _close(pagerank(g, engine=Engine.IGRAPH), nx_pagerank(g)) < TOL
    assert (
        _close(betweenness(g, engine=Engine.IGRAPH), betweenness(g, engine=Engine.NETWORKX)) < TOL
    )
    assert (
        _close(betweenness(g, engine=Engine.IGRAPH), nx.betweenness_centrality(nx.DiGraph(g))) < TOL
    )


@pytest.mark.parametrize("n", [0, 1, 2])
def test_tiny_graphs_agree_with_networkx(n: int):
    g = nx.path_graph(n)
    assert _close(betweenness(g, engine=Engine.IGRAPH), nx.betweenness_centrality(g)) < TOL
    assert _close(pagerank(g, engine=Engine.IGRAPH), nx_pagerank(g) if n else {}) < TOL


def test_a_cache_key_returns_the_remembered_result_and_a_new_key_recomputes():
    clear_cache()
    star = nx.star_graph(4)
    first = betweenness(star, cache_key=("star", 1))
    assert first[0] == 1.0
    # same key: remembered even though the graph passed differs (the key is the contract)
    assert betweenness(nx.path_graph(5), cache_key=("star", 1)) == first
    assert betweenness(nx.path_graph(5), cache_key=("path", 1))[2] == pytest.approx(4 / 6)
    clear_cache()
