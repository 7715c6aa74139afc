"""Invented names for the demo city 星澜市: places, roads, compounds, organisations, people.

None of the place names is meant to name a real place; common words are
combined so that no famous district, street or town name appears.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

CITY = "星澜市"
COUNTY_CODE = "990102"

STREETS = ("澜汀", "星畴", "栖梧", "沐桥", "青苇")

COMMUNITIES = (
    "晨曦",
    "枫影",
    "柳岸",
    "桂苑",
    "芷兰",
    "松涛",
    "杏园",
    "银杉",
    "金穗",
    "碧溪",
    "锦绣",
    "和煦",
    "春晖",
    "润泽",
    "安澜",
    "鸣鹤",
    "望云",
    "听涛",
    "拾光",
    "揽月",
    "清漪",
    "映雪",
    "书香",
    "丰乐",
    "瑞景",
    "景明",
    "澄心",
    "雁回",
    "采薇",
)

ROADS_EW = (
    "星澜大道",
    "澜汀路",
    "星畴路",
    "栖梧路",
    "沐桥路",
    "青苇路",
    "文澜路",
    "学府路",
    "兴业路",
    "振华路",
    "富民路",
    "长青路",
)
ROADS_NS = (
    "云杉路",
    "白鹭路",
    "丹桂路",
    "紫薇路",
    "海棠路",
    "玉兰路",
    "香樟路",
    "梧桐路",
    "樱花路",
    "茉莉路",
    "杜鹃路",
    "合欢路",
    "石榴路",
    "蔷薇路",
    "凌霄路",
    "木槿路",
)

ADDRESS_SUFFIX = ("", "", "", "附近", "东侧", "西侧", "南侧", "北侧", "路口", "旁")

_COMPOUND_HEAD = (
    "锦澜",
    "星河",
    "翠庭",
    "御景",
    "金域",
    "兰亭",
    "澜山",
    "云栖",
    "枫丹",
    "悦澜",
    "荷风",
    "竹韵",
    "清晖",
    "雅颂",
    "嘉园",
    "怡景",
    "和鸣",
    "丽水",
    "蓝湾",
    "青禾",
    "紫宸",
    "映月",
    "望澜",
    "汀兰",
    "翡翠",
    "银河",
    "晴岚",
    "朗润",
    "观澜",
    "春和",
    "景泰",
    "福源",
    "瑞祥",
    "康乐",
    "泰和",
    "鸿运",
    "聚福",
    "安居",
    "宜居",
    "乐府",
    "书院",
    "学士",
    "华府",
    "君悦",
    "铂悦",
    "璟园",
    "栖云",
    "松庭",
    "杉林",
    "梧桐",
    "桂香",
    "樱语",
    "橙果",
    "麦田",
    "新月",
    "朝露",
    "星辰",
    "流云",
    "溪岸",
    "湖畔",
)
_COMPOUND_TAIL = ("苑", "园", "小区", "家园", "花园", "公寓", "雅居", "华庭", "佳苑", "新城", "名邸", "府")
_OLD_TAIL = ("新村", "小区", "里", "巷小区")
_DORM_OWNER = (
    "第一纺织厂",
    "第二机械厂",
    "农机公司",
    "粮食局",
    "供销社",
    "水泥厂",
    "印染厂",
    "自来水公司",
    "客运站",
    "电机厂",
    "化肥厂",
    "棉纺厂",
    "食品公司",
    "建筑公司",
    "木材公司",
    "物资局",
    "轴承厂",
    "造纸厂",
)

SURNAMES = (
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "黄",
    "赵",
    "吴",
    "周",
    "徐",
    "孙",
    "马",
    "朱",
    "胡",
    "郭",
    "何",
    "高",
    "林",
    "罗",
    "郑",
    "梁",
    "谢",
    "宋",
    "唐",
    "许",
    "韩",
    "冯",
    "邓",
    "曹",
    "彭",
    "曾",
    "肖",
    "田",
    "董",
    "袁",
    "潘",
    "于",
    "蒋",
    "蔡",
    "余",
    "杜",
    "叶",
    "程",
    "苏",
    "魏",
    "吕",
    "丁",
    "任",
    "沈",
    "姚",
    "卢",
    "姜",
    "崔",
    "钟",
    "谭",
    "陆",
    "汪",
    "范",
    "金",
    "石",
    "廖",
    "贾",
    "夏",
    "韦",
    "付",
    "方",
    "白",
    "邹",
    "孟",
    "熊",
    "秦",
)
GIVEN = (
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "霞",
    "平",
    "刚",
    "燕",
    "辉",
    "玲",
    "桂",
    "丹",
    "萍",
    "鹏",
    "华",
    "红",
    "玉",
    "飞",
    "斌",
    "宇",
    "浩",
    "凯",
    "秀",
    "英",
    "文",
    "建",
    "国",
    "志",
    "海",
    "波",
    "宁",
    "欣",
    "怡",
    "婷",
    "雪",
    "琳",
    "晨",
    "博",
    "睿",
    "子",
    "梓",
    "涵",
    "轩",
    "佳",
    "俊",
    "思",
    "雨",
    "晓",
    "嘉",
    "瑶",
    "诗",
    "慧",
    "颖",
    "倩",
    "茜",
    "航",
    "昊",
    "天",
    "成",
)

_COMPANY_WORD = (
    "澜庭",
    "恒安",
    "佳信",
    "德邻",
    "嘉和",
    "安泰",
    "锦程",
    "宏誉",
    "康居",
    "悦家",
    "致诚",
    "汇邻",
    "同心",
    "盛邦",
    "众和",
    "睿家",
    "惠民",
    "万邻",
    "金管家",
    "百合",
    "信达",
    "联创",
    "优居",
    "乐邻",
    "新澜",
    "星悦",
    "瑞安",
    "华居",
    "鼎盛",
    "长和",
    "融信",
    "怡和",
    "诚邦",
    "民安",
    "宜家",
    "广厦",
    "天恒",
    "正和",
    "永泰",
    "和信",
    "博安",
    "润邻",
    "泰康",
    "嘉禧",
    "启明",
    "映澜",
    "青禾",
    "益家",
    "善邻",
    "臻品",
    "立信",
    "明泰",
    "和悦",
    "上居",
    "雅筑",
    "安诺",
    "德信",
    "卓越",
    "汇泽",
    "宏安",
    "承泽",
    "君安",
    "居安",
    "朗居",
    "聚邻",
    "福临",
    "丰泽",
    "通达",
    "锦华",
    "仁和",
    "景和",
    "恒信",
    "美邻",
    "佳境",
    "凯旋",
)

CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def unique(
    rng: np.random.Generator,
    make: Callable[[np.random.Generator], str],
    n: int,
    taken: set[str] | None = None,
) -> list[str]:
    """``n`` distinct names from ``make`` (deterministic given the stream)."""
    seen = set(taken or ())
    out: list[str] = []
    for _ in range(200 * n + 200):
        if len(out) == n:
            return out
        name = make(rng)
        if name not in seen:
            seen.add(name)
            out.append(name)
    if len(out) == n:
        return out
    raise RuntimeError(f"name pool too small for {n} distinct names")


def person(rng: np.random.Generator) -> str:
    surname = SURNAMES[int(rng.integers(len(SURNAMES)))]
    given = "".join(GIVEN[int(i)] for i in rng.integers(0, len(GIVEN), int(rng.choice([1, 2], p=[0.3, 0.7]))))
    return surname + given


def people(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` person names (repeats allowed, as in real life)."""
    surnames = rng.integers(0, len(SURNAMES), n)
    g1 = rng.integers(0, len(GIVEN), n)
    g2 = rng.integers(0, len(GIVEN), n)
    two = rng.random(n) < 0.7
    return [
        SURNAMES[s] + GIVEN[a] + (GIVEN[b] if t else "")
        for s, a, b, t in zip(surnames.tolist(), g1.tolist(), g2.tolist(), two.tolist(), strict=True)
    ]


def phones(rng: np.random.Generator, n: int) -> list[str]:
    """Mobile numbers: 1 + network digit + 9 digits."""
    second = rng.choice(np.array([3, 5, 7, 8, 9]), n)
    third = rng.integers(0, 10, n)
    rest = rng.integers(0, 100_000_000, n)
    return [f"1{a}{b}{c:08d}" for a, b, c in zip(second.tolist(), third.tolist(), rest.tolist(), strict=True)]


def compound(rng: np.random.Generator, kind: str) -> str:
    head = _COMPOUND_HEAD[int(rng.integers(len(_COMPOUND_HEAD)))]
    if kind == "老旧小区":
        return head + _OLD_TAIL[int(rng.integers(len(_OLD_TAIL)))]
    if kind == "单位宿舍":
        return (
            _DORM_OWNER[int(rng.integers(len(_DORM_OWNER)))]
            + ("宿舍", "家属院", "生活区", "职工小区")[int(rng.integers(4))]
        )
    if kind == "保障房":
        return head + ("安居苑", "公租房小区", "人才公寓")[int(rng.integers(3))]
    tail = int(rng.integers(len(_COMPOUND_TAIL)))
    if _COMPOUND_TAIL[tail][0] == head[-1]:  # no 乐府府 or 嘉园园
        tail = (tail + 1) % len(_COMPOUND_TAIL)
    return head + _COMPOUND_TAIL[tail]


def property_company(rng: np.random.Generator) -> str:
    word = _COMPANY_WORD[int(rng.integers(len(_COMPANY_WORD)))]
    form = int(rng.choice(4, p=[0.45, 0.3, 0.15, 0.1]))
    return (
        f"星澜市{word}物业服务有限公司",
        f"{word}物业管理有限公司",
        f"星澜{word}物业服务有限公司",
        f"{word}物业服务有限公司星澜分公司",
    )[form]


def credit_code(rng: np.random.Generator) -> str:
    """An 18-character 统一社会信用代码 of an enterprise registered in the demo county, valid check digit."""
    body = "91" + COUNTY_CODE + "".join(CREDIT_CHARS[int(i)] for i in rng.integers(0, len(CREDIT_CHARS), 9))
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(body, _CREDIT_WEIGHTS, strict=True))
    return body + CREDIT_CHARS[(31 - total % 31) % 31]


_AGENCIES = (
    "发展和改革委员会",
    "教育局",
    "科学技术局",
    "工业和信息化局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "农业农村局",
    "商务局",
    "文化和旅游局",
    "卫生健康委员会",
    "退役军人事务局",
    "审计局",
    "统计局",
    "医疗保障局",
    "信访局",
    "机关事务管理局",
    "政务服务和数据管理局",
    "档案局",
    "林业局",
    "粮食和物资储备局",
    "人民防空办公室",
    "地方金融管理局",
    "乡村振兴局",
    "供销合作社联合社",
    "委办公室",
    "委组织部",
    "委宣传部",
    "委统战部",
    "委政法委员会",
    "人大常委会办公室",
    "政协办公室",
    "纪委监委机关",
    "总工会",
    "妇女联合会",
    "科学技术协会",
    "残疾人联合会",
    "人民法院",
    "人民检察院",
    "税务局",
    "公安局",
    "消防救援支队",
    "气象局",
    "邮政管理局",
    "住房公积金管理中心",
)
AGENCY_COUNT = len(_AGENCIES)

_INSTITUTIONS = (
    "疾病预防控制中心",
    "妇幼保健院",
    "中心医院",
    "中医院",
    "人民医院",
    "图书馆",
    "博物馆",
    "文化馆",
    "广播电视台",
    "不动产登记中心",
    "公共资源交易中心",
    "社会福利院",
    "职业技术学院",
    "青少年活动中心",
    "体育运动学校",
    "城市规划设计院",
    "急救中心",
    "血站",
    "老年大学",
    "特殊教育学校",
    "科技馆",
    "农业科学研究所",
)
_SCHOOL_PLACES = ROADS_EW + ROADS_NS + COMMUNITIES
_SCHOOL_KIND = ("小学", "中学", "幼儿园", "实验学校", "社区卫生服务中心")
INSTITUTION_COUNT = len(_INSTITUTIONS) + len(_SCHOOL_PLACES) * len(_SCHOOL_KIND)

_STATE_FIRMS = (
    "城市建设投资集团有限公司",
    "交通投资集团有限公司",
    "水务集团有限公司",
    "文化旅游投资集团有限公司",
    "国有资产运营有限公司",
    "产业投资集团有限公司",
    "公共交通集团有限公司",
    "建工集团有限公司",
    "农业发展集团有限公司",
    "供销集团有限公司",
    "保安服务有限公司",
    "医药集团有限公司",
    "粮食储备有限公司",
    "农村商业银行",
    "城市发展集团有限公司",
    "环境集团有限公司",
)
_PRIVATE_KIND = (
    "科技有限公司",
    "电子有限公司",
    "食品有限公司",
    "建材有限公司",
    "商贸有限公司",
    "物流有限公司",
    "医疗器械有限公司",
    "信息技术有限公司",
    "新材料有限公司",
    "餐饮管理有限公司",
    "律师事务所",
    "会计师事务所",
    "装饰工程有限公司",
    "教育咨询有限公司",
)
_SOCIAL_KIND = (
    "社会工作服务中心",
    "志愿者协会",
    "慈善总会",
    "个体劳动者协会",
    "养老服务中心",
    "青年创业协会",
    "书画家协会",
    "邻里互助会",
    "心理咨询协会",
    "家庭教育促进会",
    "餐饮行业协会",
    "物业管理协会",
)


def unit_pool(kind: str) -> int | None:
    """How many distinct names :func:`unit` can give for ``kind`` (None: practically endless)."""
    return {
        "党政机关": AGENCY_COUNT,
        "事业单位": INSTITUTION_COUNT,
        "国有企业": len(_STATE_FIRMS) * (1 + len(_COMPANY_WORD)),
        "社会组织": len(_COMPANY_WORD) * len(_SOCIAL_KIND),
    }.get(kind)


def unit(rng: np.random.Generator, kind: str) -> str:
    """A 双报到 unit name of the given 单位类型."""
    if kind == "党政机关":
        agency = _AGENCIES[int(rng.integers(len(_AGENCIES)))]
        return ("中共" + CITY + agency) if agency.startswith("委") else CITY + agency
    if kind == "事业单位":
        k = int(rng.integers(INSTITUTION_COUNT))
        if k < len(_INSTITUTIONS):
            return CITY + _INSTITUTIONS[k]
        k -= len(_INSTITUTIONS)
        place = _SCHOOL_PLACES[k // len(_SCHOOL_KIND)].removesuffix("路").removesuffix("大道")
        return CITY + place + _SCHOOL_KIND[k % len(_SCHOOL_KIND)]
    word = _COMPANY_WORD[int(rng.integers(len(_COMPANY_WORD)))]
    if kind == "国有企业":
        firm = _STATE_FIRMS[int(rng.integers(len(_STATE_FIRMS)))]
        return "星澜" + firm if rng.random() < 0.6 else f"星澜{word}{firm}"
    if kind == "非公企业":
        if rng.random() < 0.3:  # a two-word brand; makes the pool practically endless
            word += _COMPANY_WORD[int(rng.integers(len(_COMPANY_WORD)))]
        return f"星澜{word}{_PRIVATE_KIND[int(rng.integers(len(_PRIVATE_KIND)))]}"
    return f"{CITY}{word}{_SOCIAL_KIND[int(rng.integers(len(_SOCIAL_KIND)))]}"
