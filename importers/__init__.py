"""Importing CRM exports into a store, and exporting a store in relmap's own format.

``files`` reads CSV, XLSX and JSON tables; ``detect`` tells relmap's format (``relmap_format``)
from a Salesforce export (``salesforce``) and opens the source; ``pipeline`` validates every row
(with ``key_index`` and ``hierarchy_check``) and then writes in batches, reporting through
``report``; ``export`` writes a store back out; ``demo_data`` writes demo files to import.
"""

__all__ = [
    "demo_data",
    "detect",
    "export",
    "files",
    "hierarchy_check",
    "key_index",
    "pipeline",
    "relmap_format",
    "report",
    "salesforce",
    "source",
]
