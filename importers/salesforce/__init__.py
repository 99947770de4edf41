"""Importing a Salesforce data export: its objects and ids, the folding of owners, splits and
team members into coverage, and the source the import pipeline reads.

- :mod:`importers.salesforce.objects`: which table holds which object, ids in 18-character form,
  cell parsing and person names;
- :mod:`importers.salesforce.roles`: the role tables (TeamMemberRole, contact roles, tiers);
- :mod:`importers.salesforce.scratch`: the scratch database's schema, SQL and helpers;
- :mod:`importers.salesforce.aggregate`: contact roles, opportunities, splits, account owners
  and team members folded there into one coverage per person and account;
- :mod:`importers.salesforce.source`: :class:`SalesforceSource`, the records as they stream.
"""

from importers.salesforce.objects import (
    OBJECTS,
    looks_like_salesforce,
    object_of,
    person_name,
    sf_id18,
)
from importers.salesforce.roles import DECISION_SENIORITY, SalesforceMapping
from importers.salesforce.source import SalesforceSource

__all__ = [
    "DECISION_SENIORITY",
    "OBJECTS",
    "SalesforceMapping",
    "SalesforceSource",
    "looks_like_salesforce",
    "object_of",
    "person_name",
    "sf_id18",
]
