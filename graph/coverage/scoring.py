"""Key-account scoring: the weighted score of DOMAIN.md section 2 and the quarterly tier
re-evaluation.

* Dimensions: revenue (last 2 years), potential (next 3 years), reference value (0-1),
  winnability (0-1). Revenue and potential are divided by their industry's maximum (or the
  global maximum when ``normalise_per_industry`` is off), so every dimension is on 0-1.
* ``score = w_revenue*revenue + w_potential*potential + w_reference*reference +
  w_winnability*winnability`` with the policy's weights (a preset or custom, summing to 1).
* Ranking: score descending, then id; the top ``ceil(n * key_top_percent / 100)`` customers
  are proposed as key accounts.
* Proposed tier: strategic stays strategic (a leadership designation, changed only by an
  override); a ranked customer becomes key; a key account that drops out becomes mid; mid and
  small keep their tier. A manual override (stored per customer) wins over all of that.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graph.coverage.customer_table import TIER_CODE, CustomerTable, table_from_customers
from graph.coverage.policy import Policy, Weights
from graph.model import TIER_ORDER, Customer, Tier

_KEY = TIER_CODE[Tier.KEY]


@dataclass(frozen=True)
class Override:
    """A manual tier decision that survives re-scoring."""

    tier: Tier
    reason: str = ""


@dataclass(frozen=True)
class ScoredCustomer:
    rank: int
    customer_id: str
    customer_name: str
    industry: str
    score: float
    current_tier: Tier
    proposed_tier: Tier
    reason: str  # "rank", "dropped out of top", "override: ..." or "" when unchanged


@dataclass(frozen=True)
class ScoreReport:
    weights: Weights
    key_top_percent: float
    key_slots: int
    threshold: float  # score of the last ranked key account
    top: tuple[ScoredCustomer, ...]  # the key slots in rank order (at most ``top_limit``)
    changes: tuple[ScoredCustomer, ...]  # tier changes against today, by rank
    proposed_counts: tuple[tuple[Tier, int], ...]

    def change_ids(self) -> list[str]:
        return sorted(c.customer_id for c in self.changes)


def _industry_max(table: CustomerTable, column: Iterable[float], per_industry: bool) -> list[float]:
    values = list(column)
    if not per_industry:
        top = max(values, default=0.0)
        return [top] * max(1, len(table.industry_names))
    tops = [0.0] * max(1, len(table.industry_names))
    for ind, v in zip(table.industries, values, strict=True):
        if v > tops[ind]:
            tops[ind] = v
    return tops


def compute_scores(table: CustomerTable, policy: Policy) -> list[float]:
    """The score of every row of the table, in row order."""
    rules = policy.scoring
    w = rules.effective_weights()
    rev_max = _industry_max(table, table.revenue, rules.normalise_per_industry)
    pot_max = _industry_max(table, table.potential, rules.normalise_per_industry)
    wr, wp, wf, ww = w.revenue, w.potential, w.reference, w.winnability
    scores = []
    for ind, rev, pot, ref, win in zip(
        table.industries,
        table.revenue,
        table.potential,
        table.reference,
        table.winnability,
        strict=True,
    ):
        rm, pm = rev_max[ind], pot_max[ind]
        s = (wr * rev / rm if rm else 0.0) + (wp * pot / pm if pm else 0.0) + wf * ref + ww * win
        scores.append(round(s, 9))
    return scores


def score_table(
    table: CustomerTable,
    policy: Policy,
    overrides: Mapping[str, Override] | None = None,
    top_limit: int = 100,
) -> ScoreReport:
    """Rank the customers, propose tiers and list the changes against today."""
    overrides = overrides or {}
    n = len(table)
    scores = compute_scores(table, policy)
    slots = math.ceil(n * policy.scoring.key_top_percent / 100) if n else 0
    if slots:
        threshold = sorted(scores, reverse=True)[slots - 1]
        above = [i for i, s in enumerate(scores) if s > threshold]
        ties = sorted(
            (i for i, s in enumerate(scores) if s == threshold), key=table.ids.__getitem__
        )
        ranked = (
            sorted(above, key=lambda i: (-scores[i], table.ids[i])) + ties[: slots - len(above)]
        )
    else:
        threshold, ranked = 0.0, []
    rank_of = {row: r for r, row in enumerate(ranked, start=1)}
    override_rows = table.rows_of(overrides) if overrides else {}

    def scored(row: int) -> ScoredCustomer:
        current = table.tier(row)
        cid = table.ids[row]
        ov = overrides.get(cid)
        if ov is not None:
            proposed, reason = ov.tier, f"override: {ov.reason}".rstrip(": ")
        elif row in rank_of:
            proposed = current if current is Tier.STRATEGIC else Tier.KEY
            reason = "in top by score" if proposed is not current else ""
        elif current is Tier.KEY:
            proposed, reason = Tier.MID, "dropped out of top by score"
        else:
            proposed, reason = current, ""
        return ScoredCustomer(
            rank_of.get(row, 0),
            cid,
            table.names[row],
            table.industry(row),
            scores[row],
            current,
            proposed,
            reason,
        )

    # only ranked rows, key accounts and overridden rows can change tier
    candidates = set(ranked) | set(override_rows.values())
    candidates.update(i for i, t in enumerate(table.tiers) if t == _KEY)
    changes = [s for s in map(scored, candidates) if s.proposed_tier is not s.current_tier]
    changes.sort(key=lambda s: (s.rank == 0, s.rank, -s.score, s.customer_id))
    counts = {t: 0 for t in Tier}
    for t in table.tiers:
        counts[TIER_ORDER[t]] += 1
    for s in changes:
        counts[s.current_tier] -= 1
        counts[s.proposed_tier] += 1
    return ScoreReport(
        weights=policy.scoring.effective_weights(),
        key_top_percent=policy.scoring.key_top_percent,
        key_slots=slots,
        threshold=threshold,
        top=tuple(scored(row) for row in ranked[:top_limit]),
        changes=tuple(changes),
        proposed_counts=tuple((t, counts[t]) for t in Tier),
    )


def score_customers(
    customers: Iterable[Customer],
    policy: Policy,
    overrides: Mapping[str, Override] | None = None,
    top_limit: int = 100,
) -> ScoreReport:
    """Score plain customer records (no coverage needed)."""
    return score_table(table_from_customers(customers), policy, overrides, top_limit)
