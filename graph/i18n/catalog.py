"""Loading the message catalogs and formatting for a locale (Babel does both)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.numbers import format_compact_currency, format_currency, format_decimal

LANGUAGES = ("en", "zh-CN")
DEFAULT_LANGUAGE = "en"
DOMAIN = "relmap"
LOCALES = Path(__file__).resolve().parent / "locales"
_BABEL_NAMES = {"en": "en", "zh-CN": "zh_Hans_CN"}
_CATALOG_DIRS = {"zh-CN": "zh_CN"}


def language_of(value: str | None) -> str | None:
    """The supported language a tag such as ``zh``, ``zh_CN``, ``zh-Hans`` or ``en-GB`` names."""
    if not value:
        return None
    tag = value.strip().replace("_", "-").lower()
    if tag.startswith("zh"):
        return "zh-CN"
    if tag.startswith("en"):
        return "en"
    return None


def negotiate(accept_language: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """The best supported language of an ``Accept-Language`` header (by q-value, then order)."""
    choices: list[tuple[float, int, str]] = []
    for i, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        lang = language_of(tag)
        if lang and q > 0:
            choices.append((-q, i, lang))
    return min(choices)[2] if choices else (language_of(default) or DEFAULT_LANGUAGE)


@cache
def _catalog(language: str) -> Catalog | None:
    folder = _CATALOG_DIRS.get(language)
    if folder is None:
        return None
    with (LOCALES / folder / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as f:
        return read_po(f, locale=_BABEL_NAMES[language])


@dataclass(frozen=True)
class Translator:
    """Messages and formats of one language. ``gettext`` falls back to the English source."""

    language: str

    @property
    def locale(self) -> Locale:
        return Locale.parse(_BABEL_NAMES[self.language])

    def gettext(self, message: str, **values: object) -> str:
        """``message`` in this language, with ``{name}`` fields filled from ``values``."""
        catalog = _catalog(self.language)
        entry = catalog.get(message) if catalog is not None else None
        text = entry.string if entry is not None and entry.string and not entry.fuzzy else message
        return str(text).format(**values) if values else str(text)

    def number(self, value: float, digits: int = 0) -> str:
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def money(self, value: float, currency: str) -> str:
        """An amount with its currency, whole units: ``¥1,234,568`` (zh-CN), ``CN¥…`` (en)."""
        return format_currency(
            round(value), currency, format="¤#,##0", locale=self.locale, currency_digits=False
        )

    def compact_money(self, value: float, currency: str) -> str:
        """A short amount for charts and cells, about three significant digits: ``CN¥26.3M``,
        ``CN¥950`` (en), ``¥2628万``, ``¥1.5亿`` (zh-CN)."""
        whole = format_compact_currency(value, currency, locale=self.locale, fraction_digits=0)
        if sum(ch.isdigit() for ch in whole) >= 3 or abs(value) < 1000:
            return whole
        return format_compact_currency(value, currency, locale=self.locale, fraction_digits=1)

    def date(self, value: dt.date | None) -> str:
        return format_date(value, format="medium", locale=self.locale) if value else ""


@cache
def translator(language: str | None = None) -> Translator:
    """The translator of ``language`` (any tag :func:`language_of` understands; else English)."""
    return Translator(language_of(language) or DEFAULT_LANGUAGE)
