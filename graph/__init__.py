"""relmap's domain: the record model and settings at the root, one subpackage per concern.

Dependencies point one way: ``model`` and ``settings`` at the bottom; ``store``, ``coverage``,
``accounts`` and ``demo`` above them; ``scenarios`` and ``auth`` on top. Analyses
(``coverage``, ``accounts``) never import a store: they read through small protocols.
"""

__all__ = ["accounts", "auth", "coverage", "demo", "model", "scenarios", "settings", "store"]
