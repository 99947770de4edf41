"""Seeded demo data: an org, customers with political maps and planted coverage problems.

``generate`` (the whole demo and its manifest of planted problems), ``account_plan`` (the plan's
accounts, planted-problem labels and lookups), ``planning`` (deciding the accounts and teams),
``staffing`` (our people and who is named on each account), ``records`` (the plan turned into
records), ``company_names`` (customer names), ``org`` (our people and teams), ``contacts`` (each
account's contacts and links) and ``names`` (Chinese and English names, deterministic).
"""

__all__ = [
    "account_plan",
    "company_names",
    "contacts",
    "generate",
    "names",
    "org",
    "planning",
    "records",
    "staffing",
]
