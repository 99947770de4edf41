"""Names of the demo's customers: companies, banks, hospitals and bureaus, HQs and branches."""

from __future__ import annotations

import random

from graph.demo.account_plan import (
    P_CONFLICT_BANK,
    Account,
)
from graph.demo.names import (
    BRAND_CHARS,
    COMPANY_WORDS,
    FINANCE,
    FOREIGN_BRANDS,
    FOREIGN_WORDS,
    GOVERNMENT,
    HEALTHCARE,
    HOSPITAL_WORDS,
    PROVINCE_BY_NAME,
    UNCOVERED_REGION,
    UNCOVERED_TOWNS,
    brand,
    pick,
)
from graph.model import (
    Tier,
)


def city_in(rng: random.Random, region: str) -> str:
    if region == UNCOVERED_REGION:
        return rng.choice(UNCOVERED_TOWNS)
    return pick(rng, PROVINCE_BY_NAME[region].cities)


def broad_name(rng: random.Random, industry: str, region: str) -> str:
    word, suffix = pick(rng, COMPANY_WORDS[industry])
    city = city_in(rng, region)
    if industry == GOVERNMENT:
        return f"{city}{word if region != UNCOVERED_REGION else word.removeprefix('市')}"
    if industry == HEALTHCARE and rng.random() < 0.3:
        return f"{city}{rng.choice(('第一', '第二', '第三', ''))}{rng.choice(HOSPITAL_WORDS)}"
    return f"{city}{pick(rng, BRAND_CHARS)}{pick(rng, BRAND_CHARS)}{word}{suffix}"


_COMPANY_SUFFIXES: tuple[str, ...] = (
    "集团有限责任公司",
    "集团有限公司",
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    " Co., Ltd.",
)


def account_name(rng: random.Random, acc: Account) -> str:
    if acc.parent is not None:
        hq = acc.parent.name
        short = hq
        for suffix in _COMPANY_SUFFIXES:
            short = short.removesuffix(suffix)
        place = "雄安" if acc.region == UNCOVERED_REGION else acc.region
        if "银行" in hq:
            return f"{short}{place}分行"
        if "医院" in hq:
            return f"{short}{place}分院"
        if "Co., Ltd." in hq:
            return f"{short} {place} Branch"
        return f"{short}{place}分公司"
    city = city_in(rng, acc.region)
    if acc.plant == P_CONFLICT_BANK:  # joint-stock banks, like 江南联合银行 (named in plan_demo)
        return f"{city}{brand(rng)}银行股份有限公司"
    if acc.industry in FOREIGN_WORDS and rng.random() < 0.08:
        acc.foreign = True
        words = FOREIGN_WORDS[acc.industry]
        return f"{rng.choice(FOREIGN_BRANDS)} {rng.choice(words)} ({city}) Co., Ltd."
    if acc.industry == GOVERNMENT:
        word, _ = rng.choice(COMPANY_WORDS[GOVERNMENT])
        if acc.tier is Tier.STRATEGIC:  # a provincial bureau
            level = "市" if city == acc.region else "省"
            word = word.removeprefix("市")
            if word in ("财政局", "公安局", "人力资源和社会保障局"):
                word = word.replace("局", "厅")
            return f"{acc.region}{level}{word}"
        return f"{city}{word}"
    if acc.industry == HEALTHCARE and rng.random() < 0.5:
        return f"{city}市{rng.choice(('第一', '第二', '第三', ''))}{rng.choice(HOSPITAL_WORDS)}"
    word, suffix = rng.choice(COMPANY_WORDS[acc.industry])
    if acc.tier is Tier.STRATEGIC:
        prefix = "中国" if rng.random() < 0.5 else ""
        if acc.industry == FINANCE:
            word = rng.choice(("银行", "银行", "人寿保险", "证券"))
            return f"{prefix}{brand(rng)}{word}股份有限公司"
        return f"{prefix}{brand(rng)}{word}集团有限公司"
    return f"{city}{brand(rng)}{word}{suffix}"
