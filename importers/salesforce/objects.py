"""The Salesforce objects an export holds: which table is which object, its columns, its ids.

Objects are recognised by file or sheet name (``Account.csv``, ``Contacts``), else by the
columns only that object carries (:data:`OBJECTS`). Headers are compared normalised (see
:func:`importers.files.normalise_header`), so Data Loader's quoted upper-case headers and the
weekly export's CamelCase both work. Ids are turned into their 18-character, case-safe form
(:func:`sf_id18`), which becomes each record's external id.
"""

from __future__ import annotations

from dataclasses import dataclass

from importers.files import Table, normalise_header
from importers.source import cells

__all__ = [
    "OBJECTS",
    "ObjectTable",
    "api_name",
    "has_salesforce_columns",
    "looks_like_salesforce",
    "object_of",
    "parse_bool",
    "parse_number",
    "person_name",
    "sf_id18",
]

_SUFFIX_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"

# object -> (required columns, columns that identify the object when the file name does not)
OBJECTS: dict[str, tuple[tuple[str, ...], tuple[frozenset[str], ...]]] = {
    "opportunitysplittype": (("id", "istotalvalidated"), (frozenset({"istotalvalidated"}),)),
    "opportunitysplit": (
        ("opportunityid", "splitownerid", "splitpercentage", "splittypeid"),
        (frozenset({"splitownerid", "splitpercentage"}),),
    ),
    "opportunitycontactrole": (
        ("contactid", "role"),
        (frozenset({"contactid", "role", "opportunityid"}),),
    ),
    "accountteammember": (
        ("accountid", "userid", "teammemberrole"),
        (frozenset({"teammemberrole"}),),
    ),
    "opportunity": (
        ("id", "accountid"),
        (frozenset({"stagename"}), frozenset({"closedate", "accountid"})),
    ),
    "contact": (
        ("id", "accountid", "lastname"),
        (frozenset({"accountid", "lastname"}), frozenset({"reportstoid"})),
    ),
    "user": (
        ("id",),
        (frozenset({"username"}), frozenset({"isactive", "managerid"}), frozenset({"userroleid"})),
    ),
    "account": (
        ("id", "name"),
        (
            frozenset({"billingcountry"}),
            frozenset({"billingstate"}),
            frozenset({"annualrevenue"}),
            frozenset({"ownerid", "industry"}),
        ),
    ),
}


def sf_id18(value: str) -> str:
    """The 18-character form of a Salesforce id given in 15- or 18-character form.

    Raises ValueError for anything else. For an 18-character id whose letters a spreadsheet
    upper- or lower-cased, the case is restored from the checksum suffix."""
    text = value.strip()
    if not text.isascii() or not text.isalnum() or len(text) not in (15, 18):
        raise ValueError(f"{value!r} is not a Salesforce id (15 or 18 letters and digits)")
    if len(text) == 18:
        suffix = text[15:].upper()
        if any(c not in _SUFFIX_CHARS for c in suffix):
            raise ValueError(f"{value!r} is not a Salesforce id (bad checksum characters)")
        chars = []
        for i, s in enumerate(suffix):
            bits = _SUFFIX_CHARS.index(s)
            for j, c in enumerate(text[i * 5 : i * 5 + 5]):
                chars.append(c.upper() if bits >> j & 1 else c.lower())
        base = "".join(chars)
    else:
        base = text
    out = []
    for i in range(3):
        chunk = base[i * 5 : i * 5 + 5]
        bits = sum(1 << j for j, c in enumerate(chunk) if "A" <= c <= "Z")
        out.append(_SUFFIX_CHARS[bits])
    return base + "".join(out)


def object_of(table: Table) -> str | None:
    """Which Salesforce object a table holds: by file/sheet name, else by its columns."""
    name = "".join(c for c in normalise_header(table.name) if c.isalnum())
    if name in OBJECTS:
        return name
    if name.endswith("s") and name[:-1] in OBJECTS:
        return name[:-1]
    headers = table.index.keys()
    for obj, (_required, signatures) in OBJECTS.items():
        if any(sig <= headers for sig in signatures):
            return obj
    return None


def looks_like_salesforce(table: Table) -> bool:
    """Salesforce exports carry CamelCase API names such as AccountId or OwnerId."""
    return has_salesforce_columns(table) and object_of(table) is not None


def has_salesforce_columns(table: Table) -> bool:
    """Whether a table has a column only Salesforce exports have (AccountId, OwnerId...)."""
    specific = {
        "accountid", "ownerid", "firstname", "lastname", "reportstoid", "teammemberrole",
        "splitpercentage", "istotalvalidated", "isactive", "billingcountry", "billingstate",
        "annualrevenue", "userroleid", "managerid", "stagename", "splitownerid", "parentid",
    }  # fmt: skip
    return bool(table.index.keys() & specific)


def parse_bool(text: str) -> bool | None:
    """A Salesforce checkbox cell (true/false, 1/0, yes/no...); None when it is neither."""
    t = text.strip().lower()
    if t in ("true", "1", "yes", "y", "t"):
        return True
    if t in ("false", "0", "no", "n", "f"):
        return False
    return None


def parse_number(text: str) -> float:
    """A number or percentage cell, thousands separators allowed; ValueError otherwise."""
    return float(text.replace(",", "").replace("%", "").strip())


def _is_cjk(text: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" for c in text)


def person_name(first: str, last: str) -> str:
    """Western names as "First Last"; Chinese names family name first with no space (王 + 伟 ->
    王伟)."""
    if first and last and _is_cjk(first) and _is_cjk(last):
        return last + first
    return " ".join(p for p in (first, last) if p)


@dataclass
class ObjectTable:
    """A table recognised as one Salesforce object, with its normalised header index."""

    table: Table
    index: dict[str, str]  # normalised -> header as written
    number: int = 0  # position among the source's tables: how the scratch database names it

    def get(self, values: dict[str, str], name: str) -> str:
        return cells(values, self.index, name)

    def col(self, name: str) -> str:
        return self.index.get(name, name)


_API_NAMES = {
    "id": "Id", "name": "Name", "accountid": "AccountId", "lastname": "LastName",
    "userid": "UserId", "teammemberrole": "TeamMemberRole", "opportunityid": "OpportunityId",
    "splitownerid": "SplitOwnerId", "splitpercentage": "SplitPercentage",
    "splittypeid": "SplitTypeId", "istotalvalidated": "IsTotalValidated",
    "contactid": "ContactId", "role": "Role",
}  # fmt: skip


def api_name(column: str) -> str:
    """A required column's field API name as Salesforce writes it (for a missing column)."""
    return _API_NAMES.get(column, column)
