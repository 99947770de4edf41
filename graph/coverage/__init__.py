"""The coverage model's analyses: who covers which customer, and is that sound.

``policy`` (credit rules, tier norms, weights), ``inputs`` (reading coverage records),
``resolve`` (each customer's effective coverage and owner credit), ``gaps``, ``conflicts``
(and dual credit), ``capacity`` (overload), ``scoring`` (key-account score and tier fit),
``hierarchy`` (head office and branches), ``customer_table``, ``report`` (all of them in one pass
over the data) and ``export`` (CSV/XLSX of any report). Pure: no module here imports a store.
"""

__all__ = [
    "capacity",
    "conflicts",
    "customer_table",
    "export",
    "gaps",
    "hierarchy",
    "inputs",
    "policy",
    "report",
    "resolve",
    "scoring",
]
