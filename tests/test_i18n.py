"""The interface's languages: catalogs complete for every string the code marks, negotiation
from Accept-Language, and local formats of numbers, amounts and dates."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.i18n import LANGUAGES, negotiate, translator
from graph.i18n.extract import marked_messages, missing


# gettext, and ``g``: the local alias pages use (``g = tr.gettext``)
def test_every_marked_message_has_a_chinese_translation() -> None:
    marked = marked_messages()
    assert "hidden at this width: {columns} (--wide shows all)" in marked
    assert "Account team" in marked  # a call inside an f-string counts too
    assert missing("zh-CN") == []


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("zh-CN,zh;q=0.9", "zh-CN"),
        ("zh-TW", "zh-CN"),
        ("en-US,en;q=0.9,zh;q=0.8", "en"),
        ("de-DE,zh;q=0.5,en;q=0.4", "zh-CN"),
        ("fr-FR", "en"),
        ("", "en"),
        ("zh;q=0", "en"),
        ("garbage;q=x", "en"),
    ],
)
def test_accept_language_picks_the_best_language_we_speak(header: str, expected: str) -> None:
    assert negotiate(header) == expected


def test_the_configured_default_applies_when_the_browser_asks_for_none_we_speak() -> None:
    assert negotiate("fr-FR", default="zh-CN") == "zh-CN"


def test_numbers_amounts_and_dates_follow_the_locale() -> None:
    zh, en = translator("zh-CN"), translator("en")
    assert zh.number(1234567) == "1,234,567"
    assert zh.money(26_280_000, "CNY") == "¥26,280,000"
    assert en.money(26_280_000, "USD") == "$26,280,000"
    assert zh.date(dt.date(2026, 12, 3)) == "2026年12月3日"
    assert en.date(dt.date(2026, 12, 3)) == "Dec 3, 2026"


def test_an_untranslated_message_falls_back_to_english_with_its_fields() -> None:
    assert translator("zh-CN").gettext("no such {n}", n=3) == "no such 3"
    assert set(LANGUAGES) == {"en", "zh-CN"}
