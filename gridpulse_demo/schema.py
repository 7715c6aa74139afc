"""What each export looks like: headers in order, the kind of every column, the record key,
coordinates, quarantine checks and the wording variants written for some values.

Column kinds steer the mess (docs/demo-exports.md):
``id``/``code``/``phone`` may get full-width digits and stray spaces; ``ts``/``date``
get other date formats (and full-width digits when in the standard format);
``str``/``val``/``text`` get stray spaces; ``val`` also wording variants;
``num``/``coord`` are left alone (and written as numbers in Excel).
"""

from __future__ import annotations

from dataclasses import dataclass, field

ID, CODE, PHONE, TS, DATE, STR, VAL, TEXT, NUM, COORD = (
    "id",
    "code",
    "phone",
    "ts",
    "date",
    "str",
    "val",
    "text",
    "num",
    "coord",
)


@dataclass(frozen=True)
class Entity:
    source: str
    entity: str
    columns: tuple[tuple[str, str], ...]  # (header, kind)
    key: tuple[str, ...]
    geo: tuple[str, str] | None = None  # (lon header, lat header)
    datum: str | None = None  # header holding WGS84 / GCJ02
    closed_check: tuple[str, str] | None = None  # (closed header, reported header)
    variants: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    @property
    def table(self) -> str:
        return f"{self.source}/{self.entity}"

    @property
    def headers(self) -> list[str]:
        return [h for h, _ in self.columns]

    @property
    def kinds(self) -> list[str]:
        return [k for _, k in self.columns]

    def index(self, header: str) -> int:
        return self.headers.index(header)


DIVISIONS = Entity(
    "divisions",
    "areas",
    (
        ("级别", VAL),
        ("编码", CODE),
        ("名称", STR),
        ("上级编码", CODE),
        ("小区类型", STR),
        ("热点", STR),
    ),
    key=("编码",),
)

GRID_EVENTS = Entity(
    "grid",
    "events",
    (
        ("事件编号", ID),
        ("上报时间", TS),
        ("上报渠道", VAL),
        ("上报人", STR),
        ("联系电话", PHONE),
        ("事件大类", STR),
        ("事件小类", STR),
        ("事件描述", TEXT),
        ("所属街道", STR),
        ("所属社区", STR),
        ("网格编号", CODE),
        ("地址", TEXT),
        ("经度", COORD),
        ("纬度", COORD),
        ("坐标系", VAL),
        ("紧急程度", VAL),
        ("处置层级", VAL),
        ("处置部门", STR),
        ("当前状态", VAL),
        ("受理时间", TS),
        ("派遣时间", TS),
        ("办结时间", TS),
        ("回访时间", TS),
        ("是否联系", VAL),
        ("是否解决", VAL),
        ("满意度", VAL),
    ),
    key=("事件编号",),
    geo=("经度", "纬度"),
    datum="坐标系",
    closed_check=("办结时间", "上报时间"),
    variants={
        "当前状态": {
            "已办结": ("办结", "已结案"),
            "处置中": ("办理中", "处理中"),
            "待受理": ("未受理",),
            "已作废": ("作废",),
        },
        "上报渠道": {"12345转办": ("12345",), "网格员巡查": ("巡查上报",), "居民反映": ("群众反映",)},
        "紧急程度": {"一般": ("普通",), "紧急": ("特急",)},
        "处置层级": {"网格自办": ("网格内解决",), "街道吹哨": ("街道协调",)},
    },
)

PLATFORM_CASES = Entity(
    "platform",
    "cases",
    (
        ("案卷编号", ID),
        ("问题来源", VAL),
        ("问题类型", VAL),
        ("大类", STR),
        ("小类", STR),
        ("设备编号", CODE),
        ("问题描述", TEXT),
        ("地址", TEXT),
        ("所属街道", STR),
        ("所属社区", STR),
        ("单元网格", CODE),
        ("经度", COORD),
        ("纬度", COORD),
        ("上报时间", TS),
        ("紧急程度", VAL),
        ("联系电话", PHONE),
    ),
    key=("案卷编号",),
    geo=("经度", "纬度"),
    variants={
        "问题来源": {
            "视频智能识别": ("视频AI识别", "AI识别"),
            "12345热线": ("12345",),
            "物联感知": ("物联网感知",),
            "信息采集员": ("监督员上报",),
        },
        "紧急程度": {"一般": ("普通",), "紧急": ("特急",)},
    },
)

PLATFORM_WORKFLOW = Entity(
    "platform",
    "workflow",
    (
        ("案卷编号", ID),
        ("环节", VAL),
        ("操作时间", TS),
        ("操作部门", STR),
        ("备注", TEXT),
    ),
    key=("案卷编号", "环节", "操作时间"),
    variants={
        "环节": {
            "派遣": ("派单",),
            "核查不通过": ("核查不通过(返工)", "返工"),
            "结案": ("已结案",),
            "延期批准": ("同意延期",),
            "回退": ("退回",),
            "处置反馈": ("处置完成",),
        },
    },
)

PLATFORM_DEVICES = Entity(
    "platform",
    "devices",
    (
        ("设备编号", CODE),
        ("设备类型", VAL),
        ("设备名称", TEXT),
        ("经度", COORD),
        ("纬度", COORD),
        ("所属街道", STR),
        ("所属社区", STR),
        ("单元网格", CODE),
        ("安装日期", DATE),
        ("运行状态", VAL),
    ),
    key=("设备编号",),
    geo=("经度", "纬度"),
    variants={
        "运行状态": {"在线": ("正常",), "维修中": ("故障",)},
        "设备类型": {"视频监控": ("摄像头",), "井盖位移传感器": ("井盖传感器",)},
    },
)

PARTY_UNITS = Entity(
    "party",
    "units",
    (
        ("单位名称", STR),
        ("党组织名称", STR),
        ("单位类型", STR),
        ("在职党员数", NUM),
        ("联系社区", STR),
    ),
    key=("单位名称",),
)

PARTY_MEMBERS = Entity(
    "party",
    "members",
    (
        ("党员编号", ID),
        ("姓名", STR),
        ("联系电话", PHONE),
        ("所在单位", STR),
        ("报到社区", STR),
        ("报到日期", DATE),
    ),
    key=("党员编号",),
)

PARTY_ACTIVITIES = Entity(
    "party",
    "activities",
    (
        ("活动编号", ID),
        ("党员编号", CODE),
        ("社区", STR),
        ("活动日期", DATE),
        ("活动类型", VAL),
        ("服务时长(小时)", NUM),
        ("审核状态", VAL),
    ),
    key=("活动编号",),
    variants={
        "审核状态": {"已审核": ("审核通过",), "驳回": ("审核不通过",), "待审核": ("未审核",)},
    },
)

PROPERTY_ASSESSMENTS = Entity(
    "property",
    "assessments",
    (
        ("考评期次", STR),
        ("物业企业", STR),
        ("统一社会信用代码", CODE),
        ("项目名称", STR),
        ("所属街道", STR),
        ("所属社区", STR),
        ("综合管理", NUM),
        ("房屋管理", NUM),
        ("共用设施设备", NUM),
        ("秩序维护", NUM),
        ("环境卫生", NUM),
        ("绿化养护", NUM),
        ("群众满意度", NUM),
        ("总分", NUM),
        ("扣分说明", TEXT),
        ("一票否决", VAL),
        ("榜单", VAL),
    ),
    key=("考评期次", "统一社会信用代码", "项目名称"),
)

ENTITIES = (
    DIVISIONS,
    GRID_EVENTS,
    PLATFORM_CASES,
    PLATFORM_WORKFLOW,
    PLATFORM_DEVICES,
    PARTY_UNITS,
    PARTY_MEMBERS,
    PARTY_ACTIVITIES,
    PROPERTY_ASSESSMENTS,
)


def value_variants() -> dict[str, dict[str, list[str]]]:
    """Every wording variant the generator writes: {header: {canonical: [variants]}} (all tables)."""
    out: dict[str, dict[str, set[str]]] = {}
    for e in ENTITIES:
        for header, mapping in e.variants.items():
            for canonical, variants in mapping.items():
                out.setdefault(header, {}).setdefault(canonical, set()).update(variants)
    return {h: {c: sorted(v) for c, v in sorted(m.items())} for h, m in sorted(out.items())}


@dataclass
class ExportFile:
    """One export file's canonical rows (before cosmetic mess), and how it is written."""

    path: str  # relative POSIX path under the output folder
    entity: Entity
    format: str  # csv | xlsx | geojson
    encoding: str | None
    rows: list[list[str]]
    exported_at: int  # minutes; the Excel document's creation time
    features: list[dict] | None = None
