"""The domain's words in the reader's language: tiers, team kinds, coverage roles, decision roles,
stances and relationship strengths. One place, read by pages, maps, exports and the CLI.

>>> from graph.i18n import translator
>>> from graph.model import TeamKind, Tier
>>> term(translator("zh-CN"), Tier.STRATEGIC), term(translator("en"), TeamKind.KEY_ACCOUNT)
('战略客户', 'key account')
>>> term(translator("zh-CN"), "no such value")
'no such value'
"""

from __future__ import annotations

from enum import Enum

from graph.i18n.catalog import Translator


def _terms(tr: Translator) -> dict[str, str]:
    # written out so the catalog extractor sees every literal
    return {
        "strategic": tr.gettext("strategic"),
        "key": tr.gettext("key"),
        "mid": tr.gettext("mid"),
        "small": tr.gettext("small"),
        "regional": tr.gettext("regional"),
        "key_account": tr.gettext("key account"),
        "government": tr.gettext("government"),
        "solution": tr.gettext("solution"),
        "delivery": tr.gettext("delivery"),
        "partner": tr.gettext("partner"),
        "inside_sales": tr.gettext("inside sales"),
        "owner": tr.gettext("owner"),
        "overlay": tr.gettext("overlay"),
        "support": tr.gettext("support"),
        "decision_maker": tr.gettext("decision maker"),
        "economic_buyer": tr.gettext("economic buyer"),
        "technical_buyer": tr.gettext("technical buyer"),
        "evaluator": tr.gettext("evaluator"),
        "user": tr.gettext("user"),
        "influencer": tr.gettext("influencer"),
        "gatekeeper": tr.gettext("gatekeeper"),
        "coach": tr.gettext("coach"),
        "unknown": tr.gettext("unknown"),
        "champion": tr.gettext("champion"),
        "supporter": tr.gettext("supporter"),
        "neutral": tr.gettext("neutral"),
        "skeptic": tr.gettext("skeptic"),
        "blocker": tr.gettext("blocker"),
        "none": tr.gettext("none"),
        "acquainted": tr.gettext("acquainted"),
        "credible_source": tr.gettext("credible source"),
        "problem_solver": tr.gettext("problem solver"),
        "trusted_advisor": tr.gettext("trusted advisor"),
        "decision_maker_or_economic_buyer": tr.gettext("decision maker or economic buyer"),
        "executive_sponsor": tr.gettext("executive sponsor"),
    }


def term(tr: Translator, value: object) -> str:
    """A domain value (an enum member or its text) in ``tr``'s language; unknown text as is."""
    key = value.value if isinstance(value, Enum) else str(value or "")
    return _terms(tr).get(str(key), str(key).replace("_", " "))
