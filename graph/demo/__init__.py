"""Seeded demo data: an org, customers with political maps and planted coverage problems.

``generate`` (the whole demo and its manifest of planted problems), ``org`` (our people and
teams), ``contacts`` (each account's contacts and links) and ``names`` (Chinese and English
names, deterministic).
"""

__all__ = ["contacts", "generate", "names", "org"]
