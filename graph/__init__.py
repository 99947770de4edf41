"""relmap's domain: the record model and settings at the root, one subpackage per concern.

Dependencies point one way: ``model``, ``settings``, ``tabular`` (the CSV/XLSX writer) and
``prefetch`` (reading ahead in a thread) at the bottom; ``store``, ``coverage``, ``accounts``
and ``demo`` above them; ``scenarios`` and ``auth`` on top. Analyses
(``coverage``, ``accounts``) never import a store: they read through small protocols.
"""

__all__ = [
    "accounts",
    "auth",
    "coverage",
    "demo",
    "i18n",
    "model",
    "prefetch",
    "scenarios",
    "settings",
    "store",
    "tabular",
]
