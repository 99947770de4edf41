"""The visual vocabulary of relmap maps: one place that says which colour, shape and line
means what, so the map, its legend and the pages can never disagree.

Why constants and not configuration: a legend that is learnt once must mean the same on every
account. Colours are chosen to stay apart for the common colour-vision deficiencies (green/red
pairs differ in lightness as well as hue) and to print legibly in grey.
"""

from __future__ import annotations

from dataclasses import dataclass

# ------------------------------------------------------------------------- contacts: stance
# Fill colour = stance toward us (DOMAIN.md section 4), warm = against us, green = for us.
STANCE_COLOURS: dict[str, str] = {
    "champion": "#1b7837",
    "supporter": "#7fbf7b",
    "neutral": "#d9d9d9",
    "skeptic": "#f4a582",
    "blocker": "#c0392b",
    "unknown": "#ffffff",
}
STANCE_LABELS: dict[str, str] = {
    "champion": "Champion",
    "supporter": "Supporter",
    "neutral": "Neutral",
    "skeptic": "Skeptic",
    "blocker": "Blocker",
    "unknown": "Stance unknown",
}

# ------------------------------------------------------------------- contacts: decision role
# Shape = decision role. vis-network draws the label under these shapes, so the size channel
# stays free for the key-contact score.
ROLE_SHAPES: dict[str, str] = {
    "decision_maker": "star",
    "economic_buyer": "diamond",
    "technical_buyer": "square",
    "evaluator": "triangle",
    "user": "dot",
    "influencer": "triangleDown",
    "gatekeeper": "hexagon",
    "coach": "dot",
    "unknown": "dot",
}
ROLE_LABELS: dict[str, str] = {
    "decision_maker": "Decision maker",
    "economic_buyer": "Economic buyer",
    "technical_buyer": "Technical buyer",
    "evaluator": "Evaluator",
    "user": "User",
    "influencer": "Influencer",
    "gatekeeper": "Gatekeeper",
    "coach": "Coach",
    "unknown": "Role unknown",
}

# Borders carry two flags: a coach gets a gold ring, a contact none of our people knows gets a
# thick red dashed ring (the map's call to action).
BORDER_DEFAULT = "#4d4d4d"
BORDER_COACH = "#d4a017"
BORDER_UNCOVERED = "#d7191c"
THIRD_PARTY_FONT = "#6a3d9a"
CONTACT_FONT = "#222222"

# --------------------------------------------------------------------------------- our people
EMPLOYEE_COLOUR = "#2166ac"
EMPLOYEE_BORDER = "#0b3c6f"
EMPLOYEE_FONT = "#ffffff"

# -------------------------------------------------------------------------------------- edges


@dataclass(frozen=True)
class EdgeStyle:
    """How one kind of link is drawn: colour, dash pattern, arrow."""

    label: str
    colour: str
    dashes: tuple[int, ...] | None
    arrow: bool


EDGE_STYLES: dict[str, EdgeStyle] = {
    "reports_to": EdgeStyle("Reports to (arrow to manager)", "#555555", None, True),
    "influences": EdgeStyle("Influences (width = strength)", "#e08214", (8, 6), True),
    "relationship": EdgeStyle("Our relationship (width = strength)", "#2166ac", (2, 5), False),
}

# ------------------------------------------------------------------------------ coverage map
TEAM_KIND_COLOURS: dict[str, str] = {
    "regional": "#4575b4",
    "key_account": "#542788",
    "government": "#8c510a",
    "solution": "#1a9850",
    "delivery": "#737373",
    "partner": "#bf812d",
    "inside_sales": "#de77ae",
}
CUSTOMER_STATUS_COLOURS: dict[str, str] = {
    "ok": "#a6cee3",
    "gap": "#d7191c",
    "conflict": "#ff7f00",
    "misfit": "#ffd92f",
}
CUSTOMER_STATUS_BORDERS: dict[str, str] = {
    "ok": "#6b8fa8",
    "gap": "#7f0000",
    "conflict": "#a04000",
    "misfit": "#8a6d00",
}
CUSTOMER_STATUS_LABELS: dict[str, str] = {
    "ok": "Customer, one owner",
    "gap": "Gap: nobody owns it",
    "conflict": "Conflict: several owners",
    "misfit": "Covered, but not as its tier needs",
}
COVERAGE_ROLE_DASHES: dict[str, tuple[int, ...] | None] = {
    "owner": None,
    "overlay": (8, 6),
    "support": (2, 5),
}
COVERAGE_ROLE_LABELS: dict[str, str] = {
    "owner": "Owner",
    "overlay": "Overlay (dual credit)",
    "support": "Support (no credit)",
}
TIER_SIZES: dict[str, int] = {"strategic": 30, "key": 20, "mid": 12, "small": 8}
CLUSTER_COLOUR = "#fdd49e"
CLAIM_TERRITORY_COLOUR = "#9e9e9e"
CLAIM_EXPLICIT_COLOUR = "#3f3f3f"
MEMBERSHIP_COLOUR = "#9ecae1"

# ------------------------------------------------------------------------------- org chart
# The org chart draws decision roles as a glyph on the card (the same figure as the network
# view's node shape), so a role reads without a legend lookup once learnt.
ROLE_ICONS: dict[str, str] = {
    "decision_maker": "★",
    "economic_buyer": "◆",
    "technical_buyer": "■",
    "evaluator": "▲",
    "user": "●",
    "influencer": "▼",
    "gatekeeper": "⬢",
    "coach": "⚑",
    "unknown": "○",
}
STALE_LINE = "#9e9e9e"
