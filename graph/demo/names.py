"""Vocabulary of the demo data: Chinese and Latin person names, provinces and their territories,
industries, company-name parts, departments and titles.

Pure data plus tiny helpers that draw from a caller's ``random.Random`` (never the global one),
so the generator in ``graph.demo.generate`` stays deterministic. Imports nothing of relmap's own.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from itertools import accumulate
from typing import NamedTuple, TypeVar

T = TypeVar("T")

# ----------------------------------------------------------------------------- person names

# (hanzi, pinyin, weight): the most common surnames, roughly by frequency.
SURNAMES: tuple[tuple[str, str, int], ...] = (
    ("王", "Wang", 72),
    ("李", "Li", 72),
    ("张", "Zhang", 68),
    ("刘", "Liu", 52),
    ("陈", "Chen", 45),
    ("杨", "Yang", 33),
    ("黄", "Huang", 25),
    ("赵", "Zhao", 22),
    ("吴", "Wu", 21),
    ("周", "Zhou", 21),
    ("徐", "Xu", 16),
    ("孙", "Sun", 15),
    ("马", "Ma", 15),
    ("朱", "Zhu", 14),
    ("胡", "Hu", 13),
    ("郭", "Guo", 12),
    ("何", "He", 12),
    ("林", "Lin", 11),
    ("高", "Gao", 11),
    ("罗", "Luo", 10),
    ("郑", "Zheng", 10),
    ("梁", "Liang", 9),
    ("谢", "Xie", 8),
    ("宋", "Song", 8),
    ("唐", "Tang", 8),
    ("许", "Xu", 7),
    ("邓", "Deng", 7),
    ("韩", "Han", 7),
    ("冯", "Feng", 7),
    ("曹", "Cao", 7),
    ("彭", "Peng", 6),
    ("曾", "Zeng", 6),
    ("肖", "Xiao", 6),
    ("田", "Tian", 6),
    ("董", "Dong", 6),
    ("潘", "Pan", 5),
    ("袁", "Yuan", 5),
    ("蔡", "Cai", 5),
    ("蒋", "Jiang", 5),
    ("余", "Yu", 5),
    ("于", "Yu", 5),
    ("杜", "Du", 5),
    ("叶", "Ye", 5),
    ("程", "Cheng", 4),
    ("魏", "Wei", 4),
    ("苏", "Su", 4),
    ("吕", "Lyu", 4),
    ("丁", "Ding", 4),
    ("任", "Ren", 4),
    ("沈", "Shen", 4),
    ("姚", "Yao", 3),
    ("卢", "Lu", 3),
    ("钟", "Zhong", 3),
    ("姜", "Jiang", 3),
    ("崔", "Cui", 3),
    ("谭", "Tan", 3),
    ("欧阳", "Ouyang", 1),
    ("司马", "Sima", 1),
    ("诸葛", "Zhuge", 1),
)
_SURNAME_CUM: tuple[int, ...] = tuple(accumulate(w for _, _, w in SURNAMES))


def _surname(rng: random.Random) -> tuple[str, str]:
    hanzi, pinyin, _ = SURNAMES[bisect(_SURNAME_CUM, rng.random() * _SURNAME_CUM[-1])]
    return hanzi, pinyin


# (hanzi, pinyin) characters used in given names.
GIVEN_CHARS: tuple[tuple[str, str], ...] = (
    ("伟", "wei"),
    ("芳", "fang"),
    ("娜", "na"),
    ("敏", "min"),
    ("静", "jing"),
    ("丽", "li"),
    ("强", "qiang"),
    ("磊", "lei"),
    ("军", "jun"),
    ("洋", "yang"),
    ("勇", "yong"),
    ("艳", "yan"),
    ("杰", "jie"),
    ("娟", "juan"),
    ("涛", "tao"),
    ("明", "ming"),
    ("超", "chao"),
    ("秀", "xiu"),
    ("霞", "xia"),
    ("平", "ping"),
    ("刚", "gang"),
    ("桂", "gui"),
    ("英", "ying"),
    ("华", "hua"),
    ("文", "wen"),
    ("建", "jian"),
    ("国", "guo"),
    ("志", "zhi"),
    ("红", "hong"),
    ("玲", "ling"),
    ("鹏", "peng"),
    ("辉", "hui"),
    ("宇", "yu"),
    ("浩", "hao"),
    ("婷", "ting"),
    ("雪", "xue"),
    ("晨", "chen"),
    ("欣", "xin"),
    ("思", "si"),
    ("佳", "jia"),
    ("子", "zi"),
    ("涵", "han"),
    ("睿", "rui"),
    ("博", "bo"),
    ("嘉", "jia"),
    ("颖", "ying"),
    ("琳", "lin"),
    ("斌", "bin"),
    ("峰", "feng"),
    ("凯", "kai"),
    ("亮", "liang"),
    ("海", "hai"),
    ("波", "bo"),
    ("倩", "qian"),
    ("慧", "hui"),
    ("俊", "jun"),
    ("晓", "xiao"),
    ("东", "dong"),
    ("春", "chun"),
    ("梅", "mei"),
    ("立", "li"),
    ("新", "xin"),
    ("永", "yong"),
    ("荣", "rong"),
    ("德", "de"),
    ("志", "zhi"),
)

LATIN_FIRST_NAMES: tuple[str, ...] = (
    "Emily",
    "David",
    "Kevin",
    "Grace",
    "Michael",
    "Linda",
    "Jason",
    "Cathy",
    "Vincent",
    "Iris",
    "Tony",
    "Helen",
    "Peter",
    "Amy",
    "Frank",
    "Sophia",
    "Eric",
    "Jenny",
    "Leo",
    "Nina",
    "Ryan",
    "Olivia",
    "Steven",
    "Vivian",
    "Alex",
    "Cindy",
    "Daniel",
    "Monica",
    "Henry",
    "Elaine",
)
WESTERN_SURNAMES: tuple[str, ...] = (
    "Müller",
    "Schmidt",
    "Weber",
    "Fischer",
    "Meyer",
    "Smith",
    "Johnson",
    "Miller",
    "Brown",
    "Dubois",
    "Martin",
    "Rossi",
    "Bianchi",
    "Tanaka",
    "Suzuki",
    "Kim",
    "Park",
    "Andersson",
    "Nielsen",
    "Novak",
    "García",
    "López",
    "Wilson",
    "Taylor",
    "Moreau",
)


class PersonName(NamedTuple):
    """A drawn name with an ASCII handle for e-mail addresses."""

    display: str
    handle: str


def pick(rng: random.Random, seq: Sequence[T]) -> T:
    """``rng.choice`` for hot paths: one ``random()`` call instead of bit-level rejection
    sampling (different draws than ``choice``, equally deterministic)."""
    return seq[int(rng.random() * len(seq))]


def chinese_name(rng: random.Random) -> PersonName:
    """A Chinese name such as 王芳 or 欧阳晓明, with its pinyin handle ``fang.wang``."""
    sur, sur_py = _surname(rng)
    if rng.random() < 0.35:
        g, g_py = pick(rng, GIVEN_CHARS)
    else:
        a, a_py = pick(rng, GIVEN_CHARS)
        b, b_py = pick(rng, GIVEN_CHARS)
        g, g_py = a + b, a_py + b_py
    return PersonName(sur + g, f"{g_py}.{sur_py.lower()}")


def latin_chinese_name(rng: random.Random) -> PersonName:
    """An English first name with a pinyin surname, as many Chinese professionals use
    ("Emily Zhang")."""
    first = pick(rng, LATIN_FIRST_NAMES)
    _, sur_py = _surname(rng)
    return PersonName(f"{first} {sur_py}", f"{first.lower()}.{sur_py.lower()}")


def western_name(rng: random.Random) -> PersonName:
    """A Western name for expatriates at foreign-invested customers ("Anna Müller")."""
    first = rng.choice(LATIN_FIRST_NAMES)
    last = rng.choice(WESTERN_SURNAMES)
    ascii_last = last.translate(_ASCII)
    return PersonName(f"{first} {last}", f"{first.lower()}.{ascii_last.lower()}")


_ASCII = str.maketrans({"ü": "ue", "í": "i", "é": "e", "ó": "o", "ä": "ae", "ö": "oe"})


def person_name(rng: random.Random, *, latin: float = 0.12, western: float = 0.0) -> PersonName:
    """Mostly Chinese names; ``latin`` of them "Emily Zhang" style, ``western`` fully Western."""
    x = rng.random()
    if x < western:
        return western_name(rng)
    if x < western + latin:
        return latin_chinese_name(rng)
    return chinese_name(rng)


# ----------------------------------------------------------------------------- geography


class Province(NamedTuple):
    """A province-level region: name (the ``region`` value), code, large region, cities and an
    economic weight that sets how many customers it has."""

    name: str
    code: str
    area: str
    cities: tuple[str, ...]
    weight: float


PROVINCES: tuple[Province, ...] = (
    Province("北京", "bj", "华北", ("北京",), 6.5),
    Province("天津", "tj", "华北", ("天津",), 2.5),
    Province("河北", "he", "华北", ("石家庄", "唐山", "保定", "廊坊"), 3.5),
    Province("山西", "sx", "华北", ("太原", "大同", "长治"), 1.8),
    Province("内蒙古", "nm", "华北", ("呼和浩特", "包头", "鄂尔多斯"), 1.6),
    Province("辽宁", "ln", "东北", ("沈阳", "大连", "鞍山"), 2.6),
    Province("吉林", "jl", "东北", ("长春", "吉林"), 1.2),
    Province("黑龙江", "hl", "东北", ("哈尔滨", "大庆", "齐齐哈尔"), 1.3),
    Province("上海", "sh", "华东", ("上海",), 6.5),
    Province("江苏", "js", "华东", ("南京", "苏州", "无锡", "常州", "南通"), 9.0),
    Province("浙江", "zj", "华东", ("杭州", "宁波", "温州", "绍兴", "嘉兴"), 7.5),
    Province("安徽", "ah", "华东", ("合肥", "芜湖", "蚌埠"), 3.2),
    Province("福建", "fj", "华东", ("福州", "厦门", "泉州"), 3.8),
    Province("江西", "jx", "华东", ("南昌", "赣州", "九江"), 2.2),
    Province("山东", "sd", "华东", ("济南", "青岛", "烟台", "潍坊"), 6.5),
    Province("河南", "ha", "华中", ("郑州", "洛阳", "新乡"), 4.3),
    Province("湖北", "hb", "华中", ("武汉", "宜昌", "襄阳"), 4.0),
    Province("湖南", "hn", "华中", ("长沙", "株洲", "岳阳"), 3.6),
    Province("广东", "gd", "华南", ("广州", "深圳", "佛山", "东莞", "珠海"), 10.0),
    Province("广西", "gx", "华南", ("南宁", "柳州", "桂林"), 1.9),
    Province("海南", "hi", "华南", ("海口", "三亚"), 0.6),
    Province("重庆", "cq", "西南", ("重庆",), 2.3),
    Province("四川", "sc", "西南", ("成都", "绵阳", "宜宾"), 4.2),
    Province("西藏", "xz", "西南", ("拉萨",), 0.2),
    Province("贵州", "gz", "西南", ("贵阳", "遵义"), 1.5),
    Province("云南", "yn", "西南", ("昆明", "曲靖", "大理"), 2.0),
    Province("陕西", "sn", "西北", ("西安", "宝鸡", "咸阳"), 2.5),
    Province("甘肃", "gs", "西北", ("兰州", "天水"), 0.8),
    Province("青海", "qh", "西北", ("西宁",), 0.3),
    Province("宁夏", "nx", "西北", ("银川",), 0.4),
    Province("新疆", "xj", "西北", ("乌鲁木齐", "克拉玛依"), 1.3),
)
PROVINCE_BY_NAME: dict[str, Province] = {p.name: p for p in PROVINCES}

# The 29 regional offices: most own one province; two small provinces are folded into a
# neighbour's office. Every province is in exactly one office's territory.
REGIONAL_OFFICES: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (p.name, (p.name,)) for p in PROVINCES if p.name not in ("西藏", "青海", "四川", "甘肃")
) + (("四川", ("四川", "西藏")), ("甘肃", ("甘肃", "青海")))

# Large regions (大区) of the regional sales hierarchy, in a fixed order.
AREAS: tuple[tuple[str, str], ...] = (
    ("华北", "north"),
    ("东北", "northeast"),
    ("华东", "east"),
    ("华中", "central"),
    ("华南", "south"),
    ("西南", "southwest"),
    ("西北", "northwest"),
)

# Key-account zones: the industry teams split the country in four.
KA_ZONES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("北区", "north", ("华北", "东北")),
    ("东区", "east", ("华东",)),
    ("南区", "south", ("华南", "华中")),
    ("西区", "west", ("西南", "西北")),
)
ZONE_OF_AREA: dict[str, str] = {a: code for _, code, areas in KA_ZONES for a in areas}

# A new district carved out of 河北 that no regional office has in its territory yet: customers
# here are owned by nobody (the demo's planted coverage gaps live here).
UNCOVERED_REGION = "雄安新区"
UNCOVERED_TOWNS: tuple[str, ...] = ("雄县", "容城县", "安新县")

# ----------------------------------------------------------------------------- industries

FINANCE = "金融"
MANUFACTURING = "制造"
ENERGY = "能源"
TELECOM = "电信"
RETAIL = "零售"
HEALTHCARE = "医疗"
GOVERNMENT = "政府"
EDUCATION = "教育"
LOGISTICS = "交通物流"
INTERNET = "互联网"
REAL_ESTATE = "房地产"

# Industries with a key-account team: (industry, code).
KA_INDUSTRIES: tuple[tuple[str, str], ...] = (
    (FINANCE, "fin"),
    (MANUFACTURING, "mfg"),
    (ENERGY, "energy"),
    (TELECOM, "tel"),
    (RETAIL, "retail"),
    (HEALTHCARE, "health"),
)
# Industry mix of key and strategic accounts (government ones go to the government team).
KEY_INDUSTRY_WEIGHTS: tuple[tuple[str, float], ...] = (
    (FINANCE, 25),
    (MANUFACTURING, 25),
    (ENERGY, 12),
    (TELECOM, 8),
    (RETAIL, 10),
    (HEALTHCARE, 10),
    (GOVERNMENT, 10),
)
# Industry mix of mid and small customers.
BROAD_INDUSTRY_WEIGHTS: tuple[tuple[str, float], ...] = (
    (MANUFACTURING, 30),
    (RETAIL, 18),
    (FINANCE, 6),
    (HEALTHCARE, 8),
    (EDUCATION, 8),
    (LOGISTICS, 8),
    (INTERNET, 8),
    (REAL_ESTATE, 5),
    (GOVERNMENT, 5),
    (ENERGY, 4),
)

BRAND_CHARS: str = "恒华瑞泰达盛信通远宏新安鑫丰源博聚科德中联创金海天润凯嘉汇星光明辰永隆昌祥和兴"

# What a company of an industry calls itself: (core word, suffix) pairs.
COMPANY_WORDS: dict[str, tuple[tuple[str, str], ...]] = {
    FINANCE: (
        ("银行", "股份有限公司"),
        ("证券", "股份有限公司"),
        ("人寿保险", "股份有限公司"),
        ("财产保险", "有限公司"),
        ("信托", "有限责任公司"),
        ("农村商业银行", "股份有限公司"),
        ("小额贷款", "有限公司"),
        ("融资租赁", "有限公司"),
    ),
    MANUFACTURING: (
        ("机械", "股份有限公司"),
        ("精密制造", "有限公司"),
        ("重工", "集团有限公司"),
        ("汽车零部件", "有限公司"),
        ("电子", "科技有限公司"),
        ("化工", "股份有限公司"),
        ("新材料", "有限公司"),
        ("智能装备", "有限公司"),
    ),
    ENERGY: (
        ("电力", "股份有限公司"),
        ("石化", "有限公司"),
        ("燃气", "集团有限公司"),
        ("新能源", "科技有限公司"),
        ("煤业", "集团有限责任公司"),
        ("光伏", "股份有限公司"),
    ),
    TELECOM: (
        ("通信", "股份有限公司"),
        ("网络", "有限公司"),
        ("信息通信", "有限公司"),
        ("数据中心", "有限公司"),
    ),
    RETAIL: (
        ("商贸", "有限公司"),
        ("超市", "连锁有限公司"),
        ("百货", "股份有限公司"),
        ("电子商务", "有限公司"),
        ("便利店", "连锁有限公司"),
    ),
    HEALTHCARE: (
        ("医药", "股份有限公司"),
        ("医疗器械", "有限公司"),
        ("生物科技", "有限公司"),
        ("健康管理", "有限公司"),
    ),
    GOVERNMENT: (
        ("市财政局", ""),
        ("市税务局", ""),
        ("市人力资源和社会保障局", ""),
        ("市大数据管理局", ""),
        ("市公安局", ""),
        ("市卫生健康委员会", ""),
    ),
    EDUCATION: (("大学", ""), ("职业技术学院", ""), ("外国语学校", ""), ("教育科技", "有限公司")),
    LOGISTICS: (
        ("物流", "有限公司"),
        ("航运", "股份有限公司"),
        ("港口", "集团有限公司"),
        ("快递", "有限公司"),
        ("供应链管理", "有限公司"),
    ),
    INTERNET: (("网络科技", "有限公司"), ("数字科技", "有限公司"), ("信息技术", "有限公司")),
    REAL_ESTATE: (("置业", "有限公司"), ("地产", "集团有限公司"), ("物业服务", "有限公司")),
}
HOSPITAL_WORDS: tuple[str, ...] = ("人民医院", "中心医院", "中医院")

# Latin names of foreign-invested manufacturers and retailers.
FOREIGN_BRANDS: tuple[str, ...] = (
    "Nordwind",
    "Alpenglas",
    "Kestrel",
    "Meridian",
    "Vantor",
    "Heliox",
    "Brightwater",
    "Orbis",
    "Tessaline",
    "Quellhaus",
    "Lumbra",
    "Castellan",
)
FOREIGN_WORDS: dict[str, tuple[str, ...]] = {
    MANUFACTURING: ("Automation", "Precision Parts", "Industrial Systems", "Chemicals"),
    RETAIL: ("Retail", "Home Stores", "Fashion Trading"),
    HEALTHCARE: ("Medical Devices", "Pharmaceuticals"),
}


def brand(rng: random.Random) -> str:
    """Two auspicious characters, e.g. 恒瑞."""
    a = rng.choice(BRAND_CHARS)
    b = rng.choice(BRAND_CHARS)
    while b == a:
        b = rng.choice(BRAND_CHARS)
    return a + b


# ----------------------------------------------------------------------------- customer side

BASE_DEPARTMENTS: tuple[str, ...] = (
    "采购部",
    "信息技术部",
    "财务部",
    "法务部",
    "人力资源部",
    "市场部",
    "审计部",
    "战略规划部",
)
INDUSTRY_DEPARTMENTS: dict[str, tuple[str, ...]] = {
    FINANCE: ("风险管理部", "零售银行部", "公司银行部", "运营管理部", "金融科技部", "合规部"),
    MANUFACTURING: ("生产部", "研发中心", "质量管理部", "供应链管理部", "设备部", "工程部"),
    ENERGY: ("生产运营部", "安全环保部", "调度中心", "工程建设部", "设备管理部"),
    TELECOM: ("网络部", "运维中心", "政企事业部", "产品部", "客户服务部"),
    RETAIL: ("门店运营部", "电商事业部", "物流中心", "商品部", "会员中心"),
    HEALTHCARE: ("医务处", "信息中心", "设备科", "药剂科", "护理部"),
    GOVERNMENT: ("办公室", "信息中心", "规划财务处", "政策法规处", "业务处"),
    EDUCATION: ("校长办公室", "信息中心", "教务处", "后勤处"),
    LOGISTICS: ("运营中心", "调度中心", "仓储部", "车队管理部"),
    INTERNET: ("产品部", "研发中心", "运维部", "增长部"),
    REAL_ESTATE: ("工程部", "营销中心", "成本管理部", "物业部"),
}

# Third parties who sway the business: (kind value, firm names, titles).
THIRD_PARTIES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "consultant",
        ("德勤管理咨询", "埃森哲咨询", "普华永道咨询", "华夏智库咨询"),
        ("高级咨询顾问", "咨询总监", "合伙人"),
    ),
    (
        "integrator",
        ("神州数码系统集成", "东软集团", "中软国际", "太极计算机"),
        ("项目经理", "解决方案架构师", "销售总监"),
    ),
    (
        "design_institute",
        ("中国电子工程设计院", "华东建筑设计研究院", "中国电力工程顾问集团"),
        ("总工程师", "设计所所长", "高级工程师"),
    ),
)

# Modest titles of hidden influencers: people through whom influence flows without the rank.
HIDDEN_TITLES: tuple[tuple[str, str], ...] = (
    ("董事长秘书", "董事会"),
    ("总经理助理", "总经理办公室"),
    ("总工办高级工程师", "总经理办公室"),
    ("首席架构师", "信息技术部"),
    ("采购专员", "采购部"),
)


def staff_title(department: str, level: int, rng: random.Random) -> str:
    """A title fitting a level inside a department (3 head ... 8 assistant)."""
    base = department.removesuffix("部").removesuffix("中心").removesuffix("处").removesuffix("科")
    if level <= 3:
        return f"{department}{rng.choice(('总经理', '总监', '负责人'))}"
    if level == 4:
        return f"{department}{rng.choice(('副总经理', '副总监'))}"
    if level == 5:
        return f"{base}{rng.choice(('经理', '高级经理', '处长'))}"
    if level == 6:
        return f"{base}{rng.choice(('主管', '高级工程师', '高级专员'))}"
    if level == 7:
        return f"{base}{rng.choice(('工程师', '专员', '分析师'))}"
    return f"{base}{rng.choice(('助理', '专员', '实习生'))}"
