"""Names, not ids, wherever a person reads: our teams' and people's names by id.

The analyses speak in ids (``owned by team-reg-fj``, ``owner E000232 is inactive``) because ids
are what the API and exports must carry. Pages and reports put a name where a person reads and
keep the id in a tooltip. :class:`NameBook` is the lookup, filled from a coverage report (its
capacity rows name every team and person with a book) or from org records.

>>> book = NameBook({"team-reg-fj": "福建办事处", "E000232": "王丽"})
>>> book.text("key account owned by team-reg-fj (regional); owner E000232 is inactive")
'key account owned by 福建办事处 (regional); owner 王丽 is inactive'
>>> book.name("team-x"), book.names(["E000232", "team-x"])
('team-x', '王丽, team-x')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from graph.coverage.report import CoverageReport

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*[A-Za-z0-9]|[A-Za-z0-9]")


@dataclass(frozen=True)
class NameBook:
    """Display names by id; an id nobody named stays as it is."""

    by_id: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_report(
        cls, report: CoverageReport, extra: Mapping[str, str] | None = None
    ) -> NameBook:
        names = {t.team_id: t.name for t in report.capacity.teams if t.name}
        names.update({p.employee_id: p.name for p in report.capacity.people if p.name})
        names.update(extra or {})
        return cls(names)

    def name(self, key: str) -> str:
        return self.by_id.get(key, key)

    def names(self, keys: Iterable[str], sep: str = ", ") -> str:
        return sep.join(self.name(k) for k in keys)

    def text(self, sentence: str) -> str:
        """``sentence`` with every whole id token that has a name replaced by that name."""
        if not self.by_id or not sentence:
            return sentence
        return _TOKEN.sub(lambda m: self.by_id.get(m.group(0), m.group(0)), sentence)
