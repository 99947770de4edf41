"""The interface's languages: message catalogs (gettext ``.po`` via Babel) and local formats.

relmap speaks English (the source strings) and Simplified Chinese (``zh-CN``). Every person-facing
string in pages, maps, exports' headings and CLI messages goes through a :class:`Translator`,
which also formats numbers, amounts (with the configured currency) and dates for its locale. The
language comes from ``RELMAP_LANGUAGE`` (CLI, exports), or per request from the page switch or
``Accept-Language`` (:func:`negotiate`).

>>> zh = translator("zh-CN")
>>> zh.gettext("Coverage report")
'覆盖报告'
>>> zh.money(1234567.5, "CNY")
'¥1,234,568'
>>> translator("en").money(1234567.5, "CNY")
'CN¥1,234,568'
>>> negotiate("zh-TW,zh;q=0.9,en;q=0.8")
'zh-CN'
>>> negotiate("fr-FR,de;q=0.5")
'en'
"""

from graph.i18n.catalog import LANGUAGES, Translator, negotiate, translator

__all__ = ["LANGUAGES", "Translator", "negotiate", "translator"]
