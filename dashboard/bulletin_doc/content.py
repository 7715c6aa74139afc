"""What the 通报 says: its title, the data-basis paragraph, the sections (sentences, tables, charts), all
read from the current release's marts. The Word and PDF renderers lay out this one content model, so
the two formats say the same thing.

A ``street`` (code) limits the document to that street: its own row of the ranking (its city-wide
rank, as the mart has it), sentences about it only, its 红黑榜 entries.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import polars as pl

from dashboard import bulletin as excel
from dashboard import whatif
from dashboard.formatting import pct, score
from dashboard.labels.admin import LABELS as SOURCE_LABELS
from dashboard.queries.filter import Filter

from . import figures, narrative

KINDS = ("streets", "departments", "property", "all")
NUMERALS = "一二三四五六七八九十"
FLAG = "※"
SOURCES = ("platform_cases", "workflow", "grid_events", "report_in", "property")
KIND_TITLES = {
    "streets": "街道综合排名情况",
    "departments": "部门报到综合排名情况",
    "property": "物业服务红黑榜",
    "all": "基层治理综合排名情况",
}
DEFAULTS = {
    "issuing_unit": "（发文机关名称）",
    "doc_code": "××",
    "bulletin_recipients": "各街道党工委、办事处，各有关部门：",
    "bulletin_requirements": "（此处由发文单位填写下一步工作要求。）",
}

Query = Callable[..., pl.DataFrame]


class BulletinError(ValueError):
    """A one-line reason the document cannot be made (unknown period, no ranking, unknown street)."""


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)
    nowrap: int = 0  # the first columns (rank, change, name, score) kept on one line


@dataclass
class Figure:
    caption: str
    png: bytes
    width_mm: float = 150.0


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


@dataclass
class Bulletin:
    city: str
    period_label: str
    period_text: str
    kind: str
    title: str
    intro: str
    sections: list[Section]
    issuing_unit: str
    doc_number: str
    recipients: str
    date_text: str
    release_id: str
    data_as_of: datetime | None
    generated_at: datetime
    street_code: str | None = None
    street_name: str | None = None

    def file_name(self, fmt: str) -> str:
        return f"{self.title}.{fmt}"


def parse_period(text: str) -> tuple[str, date, str]:
    """'2025-11' → month, '2025Q4' (or 2025-Q4, 2025q4) → quarter: (type, first day, label as the marts name it)."""
    text = text.strip()
    if m := re.fullmatch(r"(\d{4})-?[Qq]([1-4])", text):
        year, q = int(m[1]), int(m[2])
        return "quarter", date(year, 3 * q - 2, 1), f"{year}Q{q}"
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        year, month = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            return "month", date(year, month, 1), f"{year}-{month:02d}"
    raise BulletinError(f"not a period: {text!r} (use YYYY-MM for a month or YYYYQn for a quarter)")


def compose(
    query: Query,
    period: str,
    *,
    kind: str = "streets",
    street: str | None = None,
    city: str = "本市",
    release_id: str = "",
    settings: dict[str, Any] | None = None,
    generated_at: datetime | None = None,
    charts: bool = True,
) -> Bulletin:
    """The 通报 of ``period`` from the release ``query`` runs on.

    ``query(name, filter, **params) -> DataFrame`` runs the named query file ``<area>/<name>.sql`` of
    :mod:`dashboard.queries` with the document's data scope applied (see ``generate``)."""
    if kind not in KINDS:
        raise BulletinError(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
    settings = {**DEFAULTS, **{k: v for k, v in (settings or {}).items() if v}}
    generated_at = generated_at or datetime.now()
    period_type, start, label = parse_period(period)
    street, street_name = resolve_street(query, street) if street else (None, None)
    text = excel.period_text(period_type, start)
    clock = query("desk/desk_data_clock")
    as_of = clock["as_of_at"][0] if clock.height else None

    sections: list[Section] = []
    complete = True
    if kind in ("streets", "all"):
        rows = _ranking(query, "street", "街道", period_type, start, label)
        complete = bool(rows.filter(pl.col("period_start") == start)["is_complete_period"][0])
        sections += ranking_sections(rows, start, period_type, "街道", street, charts)
    if kind in ("departments", "all"):
        rows = _ranking(query, "department", "部门", period_type, start, label)
        if kind == "departments":
            complete = bool(rows.filter(pl.col("period_start") == start)["is_complete_period"][0])
        dept = ranking_sections(rows, start, period_type, "部门", None, charts)
        if street:
            dept[0].paragraphs.insert(0, "部门排名为全市口径（各部门处置全市案件的情况）。")
        sections += dept
    quarter = None
    if kind in ("property", "all"):
        section, quarter = property_section(query, start, street)
        if kind == "property" and section is None:
            raise BulletinError(f"no property assessment on or before {label} in this release")
        if section is not None:
            sections.append(section)
    sections.append(Section("工作要求", [settings["bulletin_requirements"]]))
    for i, s in enumerate(sections):
        s.heading = f"{NUMERALS[i]}、{s.heading}"

    if kind == "property" and quarter is not None:
        text = excel.period_text("quarter", quarter[1])
    title = title_for(city, text, kind, street_name)
    intro = _intro(
        query, city, text, kind, street_name or "", period_type, start, complete, as_of, release_id, quarter
    )
    return Bulletin(
        city=city,
        period_label=label,
        period_text=text,
        kind=kind,
        title=title,
        intro=intro,
        sections=sections,
        issuing_unit=settings["issuing_unit"],
        doc_number=f"{settings['doc_code']}〔{generated_at.year}〕　号",
        recipients=settings["bulletin_recipients"],
        date_text=f"{generated_at.year}年　月　日",
        release_id=release_id,
        data_as_of=as_of,
        generated_at=generated_at,
        street_code=street,
        street_name=street_name,
    )


def title_for(city: str, period_text: str, kind: str, street_name: str | None = None) -> str:
    """星澜市2025年5月街道综合排名情况的通报; a street's own: 星澜市2025年5月澜汀街道综合排名情况的通报."""
    what = "综合排名情况" if street_name and kind == "streets" else KIND_TITLES[kind]
    return f"{city}{period_text}{street_name or ''}{what}的通报"


def resolve_street(query: Query, street: str) -> tuple[str, str]:
    """(code, name) of a street given by its code or its name."""
    streets = query("bulletin/streets")
    for code, name in streets.iter_rows() if streets.height else []:
        if street in (code, name):
            return code, name
    raise BulletinError(f"unknown street {street!r} (give a street code or name from dim_streets)")


def _ranking(query: Query, what: str, scope: str, period_type: str, start: date, label: str) -> pl.DataFrame:
    """``what`` (street | department) ranking rows of ``period_type`` up to ``start``."""
    rows = query(f"bulletin/{what}_ranking", Filter(period_type=period_type, start=start))
    if rows.is_empty() or rows.filter(pl.col("period_start") == start).is_empty():
        have = query(f"bulletin/{what}_ranking_periods")
        known = ", ".join(have["period_label"].to_list()) if have.height else "none"
        raise BulletinError(f"no {what} ranking for {label} in this release (periods: {known})")
    return rows


def _intro(
    query: Query,
    city: str,
    text: str,
    kind: str,
    who: str,
    period_type: str,
    start: date,
    complete: bool,
    as_of: datetime | None,
    release_id: str,
    quarter: tuple[str, date] | None,
) -> str:
    if kind == "property" and quarter:  # the lists are the quarter's
        period_type, start, text = "quarter", quarter[1], excel.period_text("quarter", quarter[1])
    counts = query("coverage/source_coverage").row(0, named=True)
    sources = "、".join(SOURCE_LABELS[f"coverage_src_{s}"][0] for s in SOURCES if counts.get(s))
    end = excel.period_end(period_type, start)
    partial = "（本期尚未结束，数据不满整期）" if not complete else ""
    clock = f"，数据截至{_day(as_of)} {as_of:%H:%M}" if as_of else ""
    basis = (
        f"本通报统计周期为{_day(start)}至{_day(end)}{partial}；数据来源于{sources or '（无）'}"
        f"等系统的导出数据{clock}，数据版本{release_id or '—'}，所有数字均取自该版本的数据集市。"
    )
    ranking = (
        "综合得分为各项指标得分按权重的加权平均（只计有数据的指标）；单项得分为实际值与目标值之比"
        "（返工率等越低越好的指标为目标值与实际值之比），达到目标得1分，最高1.25分；得分相同名次并列，"
        f"名次变化与上一{'季度' if period_type == 'quarter' else '月'}比较；样本量低于最小样本量的指标标注"
        f"“{FLAG}”，相关名次仅供参考。"
    )
    prop = "物业服务红黑榜按现行榜单规则由物业考评总分确定，并与已发布榜单逐一比对。"
    method = {"streets": ranking, "departments": ranking, "property": prop, "all": ranking + prop}[kind]
    what = title_for(city, text, kind, who or None).removesuffix("的通报")
    return f"现将{what}通报如下。{basis}{method}"


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def ranking_table(rows: pl.DataFrame, start: date, scope: str, street: str | None) -> Table:
    """Rank, change, composite and every metric's value, best first, as the mart ranks them."""
    table = whatif.table(rows, start)
    values = whatif.metric_matrix(rows, start, "value")
    metrics = (
        rows.filter(pl.col("period_start") == start)
        .select("metric_code", "metric_name", "weight")
        .unique("metric_code")
        .sort("weight", "metric_code", descending=[True, False])
    )
    value_of = {r["entity_code"]: r for r in values.iter_rows(named=True)}
    notes = excel.flag_notes(rows, start)
    shown = table.filter(pl.col("entity_code") == street) if street else table
    body = []
    for r in shown.iter_rows(named=True):
        code = r["entity_code"]
        flagged = list(r["small_metrics"] or [])
        body.append(
            [
                "未排名" if r["composite_rank"] is None else str(r["composite_rank"]),
                excel.change_text(r["rank_change"]),
                r["entity_name"] + (FLAG if flagged else ""),
                score(r["composite_score"]),
                *[pct(value_of.get(code, {}).get(m)) for m in metrics["metric_code"].to_list()],
                (FLAG + "、".join(flagged)) if flagged else "",
            ]
        )
    flag_lines = [
        f"{r['entity_name']}：{notes[r['entity_code']]}。"
        for r in shown.iter_rows(named=True)
        if r["entity_code"] in notes
    ]
    explain = [
        f"注：名次变化中 ↑ 为上升、↓ 为下降；标“{FLAG}”的{scope}有指标样本量（分母）低于最小样本量，"
        "该项数值受个别案件影响较大，相关名次仅供参考" + ("，具体如下：" if flag_lines else "。")
    ]
    # a street's document holds only its own rows: the mart's ranked_entities counts the city's
    this = rows.filter(pl.col("period_start") == start)
    ranked = max(int(table["composite_rank"].is_not_null().sum()), int(this["ranked_entities"].max() or 0))
    caption = f"表：{scope}综合排名（共{ranked}个{scope}参加排名）"
    return Table(
        caption,
        ["名次", "变化", scope, "综合得分", *metrics["metric_name"].to_list(), "小样本指标"],
        body,
        explain + flag_lines,
        nowrap=4,
    )


def ranking_sections(
    rows: pl.DataFrame, start: date, period_type: str, scope: str, street: str | None, charts: bool = True
) -> list[Section]:
    """综合排名 (table, chart), 名次变化 (who moved and why), 需关注的问题 (bottom, below target)."""
    table = whatif.table(rows, start)
    ranked = table.filter(pl.col("composite_rank").is_not_null())
    fall_text, faller = narrative.faller_sentence(rows, start, scope)
    riser = narrative.biggest_riser(rows, start)
    overview, moves, issues = (
        Section(f"{scope}综合排名"),
        Section(f"{scope}名次变化情况"),
        Section(f"{scope}需要关注的问题"),
    )
    overview.tables.append(ranking_table(rows, start, scope, street))
    if street:
        own = rows.filter(pl.col("entity_code") == street)
        overview.paragraphs += [s for s in [narrative.own_sentence(rows, start, street, scope)] if s]
        if charts and not own.is_empty():
            changes = whatif.contribution_changes(rows, start).filter(pl.col("entity_code") == street)
            name = changes["entity_name"][0] if changes.height else street
            overview.figures.append(
                Figure(
                    f"图：{name}各指标对综合得分的贡献变化", figures.contribution_chart(_axis_labels(changes))
                )
            )
        # who fell or rose the most compares streets; a street's rows are its own (own_sentence says how it moved)
        runs = [
            r
            for r in narrative.bottom_runs(rows, start)
            if r[0] == (own["entity_name"][0] if own.height else None)
        ]
        issues.paragraphs += [s for s in [narrative.bottom_sentence(runs, period_type)] if s]
        below = narrative.below_target(own, start)
        issues.paragraphs += (
            narrative.below_target_sentences(below, scope)
            if below
            else [f"{own['entity_name'][0]}本期各项指标均达到目标值。"]
            if own.height
            else []
        )
        return [s for s in (overview, moves, issues) if s.paragraphs or s.tables or s.figures]

    if ranked.height:
        first, last = ranked.row(0, named=True), ranked.row(-1, named=True)
        overview.paragraphs.append(
            f"本期共有{ranked.height}个{scope}参加排名。综合得分最高的是{first['entity_name']}"
            f"（{score(first['composite_score'])}），最低的是{last['entity_name']}"
            f"（{score(last['composite_score'])}）。"
        )
    if charts and ranked.height:
        overview.figures.append(
            Figure(
                f"图：各{scope}综合得分（虚线为1.0，即各项指标恰好达到目标）",
                figures.composite_chart(
                    ranked.select("entity_name", "composite_score"),
                    fell=faller.entity_name if faller else None,
                    rose=riser.entity_name if riser else None,
                ),
            )
        )
    moves.paragraphs += [s for s in (narrative.riser_sentence(riser), fall_text) if s]
    if charts and faller is not None:
        changes = whatif.contribution_changes(rows, start).filter(pl.col("entity_code") == faller.entity_code)
        moves.figures.append(
            Figure(
                f"图：{faller.entity_name}各指标对综合得分的贡献变化（红色为拉低得分的指标）",
                figures.contribution_chart(_axis_labels(changes)),
            )
        )
    issues.paragraphs += [
        s for s in [narrative.bottom_sentence(narrative.bottom_runs(rows, start), period_type)] if s
    ]
    issues.paragraphs += narrative.below_target_sentences(narrative.below_target(rows, start), scope)
    return [overview, moves, issues]


def _axis_labels(changes: pl.DataFrame) -> pl.DataFrame:
    return changes.select(
        pl.struct("metric_name", "value_previous", "value")
        .map_elements(
            lambda x: f"{x['metric_name']} {pct(x['value_previous'])} → {pct(x['value'])}",
            return_dtype=pl.String,
        )
        .alias("axis_label"),
        "contribution_change",
    )


def property_section(query: Query, start: date, street: str | None) -> tuple[Section | None, tuple | None]:
    """The 红黑榜 of the quarter holding ``start`` (or the latest assessed before it)."""
    found = query("bulletin/property_quarter", Filter(start=start))
    if found.is_empty():
        return None, None
    quarter = found.row(0)
    here = Filter(street=street)
    lists = query("bulletin/property_lists", here, quarter=quarter[0])
    assessed = int(query("bulletin/property_assessed", here, quarter=quarter[0])["projects"][0])
    rule = query("desk/property_rule")
    section = Section(f"物业服务红黑榜（{excel.period_text('quarter', quarter[1])}）")
    if rule.height:
        r = rule.row(0, named=True)
        section.paragraphs.append(
            f"按现行榜单规则：每个街道总分不低于{r['red_min_score']:g}分的前{r['red_top_n_per_street']}名列入红榜；"
            f"全市总分低于{r['black_max_score']:g}分的后{r['black_bottom_n_overall']}名列入黑榜"
            + ("；被一票否决的项目一律列入黑榜" if r["veto_forces_black"] else "")
            + "。"
        )

    def count(col: str, value: str) -> int:
        return lists.filter(pl.col(col) == value).height if lists.height else 0

    disagree = lists.filter(pl.col("is_list_disagreement")).height if lists.height else 0
    section.paragraphs.append(
        f"本季度共考评物业项目{assessed}个。按规则应列入红榜{count('computed_list', '红榜')}个、"
        f"黑榜{count('computed_list', '黑榜')}个；已发布红榜{count('published_list', '红榜')}个、"
        f"黑榜{count('published_list', '黑榜')}个；"
        + (f"二者不一致的有{disagree}个，见下表“比对”一栏。" if disagree else "二者完全一致。")
    )
    header = ["项目", "物业企业", "街道", "总分", "规则结果", "已发布", "比对"]
    for which in ("红榜", "黑榜"):
        picked = (
            lists.filter((pl.col("computed_list") == which) | (pl.col("published_list") == which))
            if lists.height
            else lists
        )
        picked = picked.sort("total_score", descending=which == "红榜")
        rows = [
            [
                r["project_name"],
                r["company_name"],
                r["street_name"],
                f"{r['total_score']:.1f}",
                r["computed_list"] or "—",
                r["published_list"] or "—",
                r["agreement"],
            ]
            for r in picked.iter_rows(named=True)
        ]
        notes = [
            f"{r['project_name']}：{r['computed_list_reason']}。"
            for r in picked.iter_rows(named=True)
            if r["is_list_disagreement"] and r["computed_list_reason"]
        ]
        section.tables.append(
            Table(f"表：{which}（{len(rows)}个项目）", header, rows or [["（无）"] + [""] * 6], notes)
        )
    return section, quarter
