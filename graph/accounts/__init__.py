"""The political map of one account and its analyses.

``gather`` (reading an account's records through a small reader protocol), ``map_graph`` (the
NetworkX graph every analysis and renderer reads), ``centrality``, ``key_contacts``,
``relationship_coverage`` (who of ours knows whom, what a leaver takes along) and ``analysis``
(all of them for one account). Pure: no module here imports a store.
"""

__all__ = ["analysis", "centrality", "gather", "key_contacts", "map_graph", "relationship_coverage"]
