"""Exact PageRank and betweenness of a NetworkX graph, fast.

NetworkX stays the graph model every analysis is written against, but its pure-Python
betweenness takes seconds on a 1,000-contact account. The functions here take a NetworkX graph
and return exactly what ``networkx.pagerank`` (at convergence) and
``networkx.betweenness_centrality`` return, keyed by the same nodes, computed by python-igraph's C
core when it is installed (NetworkX otherwise, or with ``engine=Engine.NETWORKX``). The
equivalence is proven by ``tests/accounts/test_centrality.py`` on random graphs to 1e-9.

Multigraphs are collapsed to simple graphs first: parallel edge weights are *summed* for
PageRank (as NetworkX's ``stochastic_graph`` does) and the *smallest* weight is kept for
betweenness (the shortest way between two nodes).

Results can be cached: pass ``cache_key`` (anything hashable that changes whenever the graph
does, e.g. ``(account_id, store_version)``) and a repeated call returns the cached dict.

>>> import networkx as nx
>>> g = nx.path_graph(["a", "b", "c"])
>>> betweenness(g)
{'a': 0.0, 'b': 1.0, 'c': 0.0}
>>> round(sum(pagerank(nx.DiGraph([("a", "b"), ("b", "c")])).values()), 12)
1.0
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from enum import StrEnum
from threading import Lock
from typing import Any

import networkx as nx

try:  # python-igraph is a dependency, but the analyses must still run without it
    import igraph as _ig
except ImportError:  # pragma: no cover - exercised only where igraph is missing
    _ig = None


class Engine(StrEnum):
    """Which library computes: igraph (C, fast) or networkx (the reference)."""

    AUTO = "auto"
    IGRAPH = "igraph"
    NETWORKX = "networkx"


def igraph_available() -> bool:
    return _ig is not None


_CACHE_SIZE = 256
_cache: OrderedDict[Hashable, dict[Any, float]] = OrderedDict()
_cache_lock = Lock()


def _cached(key: Hashable | None) -> dict[Any, float] | None:
    if key is None:
        return None
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
        return None if hit is None else dict(hit)


def _remember(key: Hashable | None, value: dict[Any, float]) -> None:
    if key is None:
        return
    with _cache_lock:
        _cache[key] = dict(value)
        _cache.move_to_end(key)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)


def clear_cache() -> None:
    """Forget every cached result (tests, benchmarks)."""
    with _cache_lock:
        _cache.clear()


def _use_igraph(engine: Engine) -> bool:
    if engine is Engine.NETWORKX:
        return False
    if engine is Engine.IGRAPH and _ig is None:
        raise RuntimeError("python-igraph is not installed")
    return _ig is not None


def _simple_edges(
    g: nx.Graph, weight: str | None, combine: str
) -> tuple[list[Any], list[tuple[int, int]], list[float]]:
    """Nodes in the graph's order, and simple edges as index pairs with combined weights.

    For undirected graphs each edge appears once (smaller index first)."""
    nodes = list(g)
    index = {n: i for i, n in enumerate(nodes)}
    if not g.is_multigraph():  # already simple: no combining needed (the common, fast path)
        directed = g.is_directed()
        pairs, weights = [], []
        for u, nbrs in g.adjacency():
            i = index[u]
            for v, data in nbrs.items():
                j = index[v]
                if (not directed and j < i) or (i == j and combine == "min"):
                    continue  # undirected edges are listed from both ends; keep one
                pairs.append((i, j))
                weights.append(1.0 if weight is None else float(data.get(weight, 1.0)))
        return nodes, pairs, weights
    directed = g.is_directed()
    acc: dict[tuple[int, int], float] = {}
    for u, v, data in g.edges(data=True):
        if u == v and combine == "min":
            continue  # a self loop never lies on a shortest path
        i, j = index[u], index[v]
        if not directed and i > j:
            i, j = j, i
        w = 1.0 if weight is None else float(data.get(weight, 1.0))
        if (i, j) in acc:
            acc[(i, j)] = acc[(i, j)] + w if combine == "sum" else min(acc[(i, j)], w)
        else:
            acc[(i, j)] = w
    pairs = list(acc)
    return nodes, pairs, [acc[p] for p in pairs]


def pagerank(
    g: nx.Graph,
    *,
    alpha: float = 0.85,
    weight: str | None = "weight",
    engine: Engine = Engine.AUTO,
    cache_key: Hashable | None = None,
) -> dict[Any, float]:
    """PageRank of every node: the stationary share of a random walk along edges.

    Same result as ``networkx.pagerank(g, alpha=alpha, weight=weight)`` iterated to convergence
    (no personalization; dangling nodes spread their rank uniformly; undirected edges count in
    both directions). Edges without the ``weight`` attribute weigh 1.

    >>> import networkx as nx
    >>> ranks = pagerank(nx.DiGraph([("a", "c"), ("b", "c")]))
    >>> max(ranks, key=ranks.get)
    'c'
    """
    hit = _cached(None if cache_key is None else ("pagerank", cache_key, alpha, weight))
    if hit is not None:
        return hit
    n = g.number_of_nodes()
    if n == 0:
        return {}
    if _use_igraph(engine):
        nodes, pairs, weights = _simple_edges(g, weight, "sum")
        h = _ig.Graph(n=n, edges=pairs, directed=g.is_directed())
        values = h.pagerank(
            directed=g.is_directed(),
            damping=alpha,
            weights=weights if weight is not None else None,
            implementation="prpack",
        )
        result = {node: float(v) for node, v in zip(nodes, values, strict=True)}
    else:
        result = nx_pagerank(g, alpha=alpha, weight=weight)
    _remember(None if cache_key is None else ("pagerank", cache_key, alpha, weight), result)
    return result


def betweenness(
    g: nx.Graph,
    *,
    normalized: bool = True,
    weight: str | None = None,
    engine: Engine = Engine.AUTO,
    cache_key: Hashable | None = None,
) -> dict[Any, float]:
    """Betweenness of every node: the share of shortest paths between other pairs through it.

    Same result as ``networkx.betweenness_centrality(g, normalized=normalized, weight=weight)``
    (exact, all sources). With ``weight`` the edge attribute is a *distance*; note that with
    non-integer distances floating-point ties between equally long paths may be judged
    differently by the two engines, so political-map brokerage uses unweighted hops.

    >>> import networkx as nx
    >>> b = betweenness(nx.star_graph(3))
    >>> b[0], b[1]
    (1.0, 0.0)
    """
    key = None if cache_key is None else ("betweenness", cache_key, normalized, weight)
    hit = _cached(key)
    if hit is not None:
        return hit
    n = g.number_of_nodes()
    if n == 0:
        return {}
    if _use_igraph(engine):
        directed = g.is_directed()
        nodes, pairs, weights = _simple_edges(g, weight, "min")
        h = _ig.Graph(n=n, edges=pairs, directed=directed)
        raw = h.betweenness(directed=directed, weights=weights if weight is not None else None)
        # igraph counts each unordered pair once; networkx's normalisation follows its own
        # accumulation (each pair twice for undirected graphs, then halved or normalised).
        if normalized:
            scale = 1.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0
            if not directed:
                scale *= 2.0
        else:
            scale = 1.0
        result = {node: float(v) * scale for node, v in zip(nodes, raw, strict=True)}
    else:
        simple = _collapse_for_nx(g, weight)
        result = nx.betweenness_centrality(simple, normalized=normalized, weight=weight)
    _remember(key, result)
    return result


def _collapse_for_nx(g: nx.Graph, weight: str | None) -> nx.Graph:
    """A simple graph with the smallest parallel weight (networkx's own multigraph handling in
    betweenness does not read per-edge weights)."""
    if not g.is_multigraph():
        return g
    simple: nx.Graph = nx.DiGraph() if g.is_directed() else nx.Graph()
    simple.add_nodes_from(g)
    for u, v, data in g.edges(data=True):
        if u == v:
            continue
        w = 1.0 if weight is None else float(data.get(weight, 1.0))
        if simple.has_edge(u, v):
            if weight is not None:
                simple[u][v][weight] = min(simple[u][v][weight], w)
        else:
            simple.add_edge(u, v, **({weight: w} if weight is not None else {}))
    return simple


def nx_pagerank(
    g: nx.Graph, *, alpha: float = 0.85, weight: str | None = "weight"
) -> dict[Any, float]:
    """NetworkX's own PageRank iterated to convergence (tolerance 1e-13), the reference.

    ``networkx.pagerank`` needs numpy/scipy, which relmap does not require, so this calls
    networkx's pure-Python power iteration, the same algorithm."""
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

    result: dict[Any, float] = _pagerank_python(
        g, alpha=alpha, weight=weight, tol=1e-13, max_iter=100_000
    )
    return result
