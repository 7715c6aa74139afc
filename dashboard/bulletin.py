"""The Excel 通报 (bulletin) of a ranking: the organization department's monthly / quarterly circular.

Three sheets, plain xlsx written by xlsxwriter (values, no formulas or macros, so Excel and WPS open
it the same way):

    排名通报  title (city, period, scope), a subtitle with the period and data clock, then one row per
              ranked unit: 名次, name, 综合得分, 上期名次, 名次变化, every metric's value, 备注 (flags)
    分项指标  one row per unit × metric: value, 95% interval, target, score, weight, contribution,
              numerator / denominator and the small-denominator flag
    说明      how the score is computed, the weights and targets, and a note on every flagged rank

The input is the long rows of a ranking mart (see ``queries.desk.street_ranking_rows``) for the period
type, so the bulletin shows exactly the mart's ranks.
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import polars as pl
import xlsxwriter

from dashboard import whatif

SHEET_RANKING = "排名通报"
SHEET_METRICS = "分项指标"
SHEET_NOTES = "说明"
HEADER_ROW = 3  # 0-based row of the ranking table's header on SHEET_RANKING
RANKING_FIXED = ["名次", "{scope}", "综合得分", "上期名次", "名次变化"]
METRIC_HEADERS = [
    "{scope}",
    "指标",
    "实际值",
    "95%区间下限",
    "95%区间上限",
    "目标值",
    "得分",
    "权重",
    "权重占比",
    "贡献",
    "分子",
    "分母",
    "最小样本量",
    "小样本",
]
FLAG = "※"


def period_text(period_type: str, period_start: date) -> str:
    """2025年3月 / 2025年第1季度."""
    if period_type == "quarter":
        return f"{period_start.year}年第{(period_start.month - 1) // 3 + 1}季度"
    return f"{period_start.year}年{period_start.month}月"


def period_end(period_type: str, period_start: date) -> date:
    """Last day of the period."""
    months = 3 if period_type == "quarter" else 1
    y, m = divmod(period_start.month - 1 + months, 12)
    return date(period_start.year + y, m + 1, 1) - timedelta(days=1)


def change_text(change: int | None) -> str:
    if change is None:
        return "—"
    return f"↑{change}" if change > 0 else f"↓{-change}" if change < 0 else "持平"


def flag_notes(rows: pl.DataFrame, period_start: date) -> dict[str, str]:
    """entity_code → why its rank is less sure (each metric below its minimum denominator)."""
    small = rows.filter((pl.col("period_start") == period_start) & pl.col("is_small_denominator"))
    notes: dict[str, list[str]] = {}
    for r in small.sort("metric_code").iter_rows(named=True):
        den = "0" if r["denominator"] is None else f"{r['denominator']:.0f}"
        notes.setdefault(r["entity_code"], []).append(
            f"{r['metric_name']}样本量 {den}，低于 {r['min_denominator']}"
        )
    return {code: "；".join(parts) for code, parts in notes.items()}


def write_bulletin(
    rows: pl.DataFrame,
    period_type: str,
    period_start: date,
    *,
    city: str,
    scope: str = "街道",
    data_as_of: datetime | None = None,
    generated_at: datetime | None = None,
) -> bytes:
    """The bulletin for one period as xlsx bytes. ``rows``: long ranking rows of the period type."""
    generated_at = generated_at or datetime.now()
    period = rows.filter(pl.col("period_start") == period_start)
    if period.is_empty():
        raise ValueError(f"no ranking rows for {period_type} {period_start}")
    ranking = whatif.table(rows, period_start)
    metrics = (
        period.select(
            "metric_code", "metric_name", "direction", "weight", "target", "min_denominator", "is_rate"
        )
        .unique("metric_code", maintain_order=True)
        .sort("weight", "metric_code", descending=[True, False])
    )
    values = whatif.metric_matrix(rows, period_start, "value")
    notes = flag_notes(rows, period_start)
    title = f"{city}{period_text(period_type, period_start)}{scope}综合排名通报"

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_numbers": False, "nan_inf_to_errors": True}
    )
    book.set_properties(
        {"title": title, "subject": f"{scope}综合排名", "author": f"{city}网格脉搏", "created": generated_at}
    )
    base = {"font_name": "宋体", "font_size": 11, "valign": "vcenter"}
    fmt = {
        "title": book.add_format(
            {**base, "font_name": "黑体", "font_size": 18, "bold": True, "align": "center"}
        ),
        "sub": book.add_format({**base, "font_size": 10, "align": "center", "font_color": "#555555"}),
        "head": book.add_format(
            {**base, "bold": True, "align": "center", "text_wrap": True, "border": 1, "bg_color": "#DCE6F1"}
        ),
        "text": book.add_format({**base, "border": 1}),
        "center": book.add_format({**base, "border": 1, "align": "center"}),
        "int": book.add_format({**base, "border": 1, "align": "center", "num_format": "0"}),
        "score": book.add_format({**base, "border": 1, "num_format": "0.000"}),
        "pct": book.add_format({**base, "border": 1, "num_format": "0.0%"}),
        "num": book.add_format({**base, "border": 1, "num_format": "#,##0.##"}),
        "up": book.add_format({**base, "border": 1, "align": "center", "font_color": "#1E7B34"}),
        "down": book.add_format(
            {**base, "border": 1, "align": "center", "font_color": "#C00000", "bold": True}
        ),
        "flag": book.add_format({**base, "border": 1, "font_color": "#C00000", "text_wrap": True}),
        "note": book.add_format({**base, "font_size": 10, "text_wrap": True, "valign": "top"}),
        "h2": book.add_format({**base, "bold": True, "font_size": 12}),
    }

    # ── 排名通报 ──
    sheet = book.add_worksheet(SHEET_RANKING)
    headers = [h.format(scope=scope) for h in RANKING_FIXED] + metrics["metric_name"].to_list() + ["备注"]
    last_col = len(headers) - 1
    sheet.merge_range(0, 0, 0, last_col, title, fmt["title"])
    clock = f"；数据截至 {data_as_of:%Y-%m-%d %H:%M}" if data_as_of else ""
    sheet.merge_range(
        1,
        0,
        1,
        last_col,
        f"统计周期：{period_start:%Y-%m-%d} 至 {period_end(period_type, period_start):%Y-%m-%d}{clock}"
        f"；生成于 {generated_at:%Y-%m-%d %H:%M}",
        fmt["sub"],
    )
    sheet.set_row(0, 32)
    sheet.write_row(HEADER_ROW, 0, headers, fmt["head"])
    sheet.set_row(HEADER_ROW, 36)
    value_of = {r["entity_code"]: r for r in values.iter_rows(named=True)} if values.height else {}
    for i, r in enumerate(ranking.iter_rows(named=True)):
        row = HEADER_ROW + 1 + i
        code = r["entity_code"]
        flagged = code in notes
        rank_text = r["composite_rank"]
        if rank_text is None:
            sheet.write_string(row, 0, "未排名", fmt["center"])
        else:
            sheet.write_number(row, 0, rank_text, fmt["int"])
        sheet.write_string(row, 1, r["entity_name"], fmt["text"])
        _number(sheet, row, 2, r["composite_score"], fmt["score"], fmt["center"])
        _number(sheet, row, 3, r["previous_rank"], fmt["int"], fmt["center"])
        change = r["rank_change"]
        sheet.write_string(
            row,
            4,
            change_text(change),
            fmt["up"] if (change or 0) > 0 else fmt["down"] if (change or 0) < 0 else fmt["center"],
        )
        for j, m in enumerate(metrics.iter_rows(named=True)):
            _number(
                sheet, row, 5 + j, value_of.get(code, {}).get(m["metric_code"]), fmt["pct"], fmt["center"]
            )
        sheet.write_string(row, last_col, f"{FLAG} {notes[code]}" if flagged else "", fmt["flag"])
    end = HEADER_ROW + ranking.height + 2
    sheet.merge_range(
        end,
        0,
        end + 2,
        last_col,
        f"注：1. 单项得分 = 实际值 ÷ 目标值（越低越好的指标为 目标值 ÷ 实际值），封顶 1.25；"
        f"综合得分 = Σ(权重 × 单项得分) ÷ Σ权重（仅计有得分的指标）；得分相同名次并列。"
        f"2. 名次变化与上一{'季度' if period_type == 'quarter' else '月'}比较，↑ 为上升。"
        f"3. 标 {FLAG} 的{scope}有指标样本量低于最小样本量，名次仅供参考，详见“{SHEET_NOTES}”。",
        fmt["note"],
    )
    sheet.set_column(0, 0, 7)
    sheet.set_column(1, 1, 16)
    sheet.set_column(2, 4, 10)
    sheet.set_column(5, last_col - 1, 11)
    sheet.set_column(last_col, last_col, 40)
    sheet.freeze_panes(HEADER_ROW + 1, 2)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(HEADER_ROW)
    sheet.center_horizontally()

    # ── 分项指标 ──
    detail = book.add_worksheet(SHEET_METRICS)
    detail.write_row(0, 0, [h.format(scope=scope) for h in METRIC_HEADERS], fmt["head"])
    order = {code: i for i, code in enumerate(ranking["entity_code"].to_list())}
    metric_order = {code: i for i, code in enumerate(metrics["metric_code"].to_list())}
    long = period.with_columns(
        pl.col("entity_code").replace_strict(order, default=len(order)).alias("_o"),
        pl.col("metric_code").replace_strict(metric_order, default=len(metric_order)).alias("_m"),
    ).sort("_o", "_m")
    for i, r in enumerate(long.iter_rows(named=True), start=1):
        detail.write_string(i, 0, r["entity_name"], fmt["text"])
        detail.write_string(i, 1, r["metric_name"], fmt["text"])
        for col, key, f in (
            (2, "value", "pct"),
            (3, "ci_lower", "pct"),
            (4, "ci_upper", "pct"),
            (5, "target", "pct"),
            (6, "score", "score"),
            (7, "weight", "num"),
            (8, "weight_share", "pct"),
            (9, "contribution", "score"),
            (10, "numerator", "num"),
            (11, "denominator", "num"),
            (12, "min_denominator", "num"),
        ):
            _number(detail, i, col, r[key], fmt[f], fmt["center"])
        detail.write_string(
            i,
            13,
            "是" if r["is_small_denominator"] else "否",
            fmt["flag"] if r["is_small_denominator"] else fmt["center"],
        )
    detail.set_column(0, 1, 14)
    detail.set_column(2, 13, 11)
    detail.freeze_panes(1, 2)
    detail.autofilter(0, 0, max(1, long.height), len(METRIC_HEADERS) - 1)
    detail.set_landscape()
    detail.fit_to_pages(1, 0)

    # ── 说明 ──
    notes_sheet = book.add_worksheet(SHEET_NOTES)
    notes_sheet.set_column(0, 0, 22)
    notes_sheet.set_column(1, 5, 14)
    notes_sheet.write(0, 0, "一、计分方法", fmt["h2"])
    notes_sheet.merge_range(
        1,
        0,
        3,
        5,
        "各指标得分 = 实际值 ÷ 目标值，最高 1.25 分；返工率等越低越好的指标得分 = 目标值 ÷ 实际值"
        "（实际值为 0 时得 1.25 分）。综合得分为各指标得分按权重的加权平均，只计有数据的指标。"
        "比率类指标给出 Wilson 95% 置信区间；样本量（分母）低于最小样本量的指标标记为小样本。",
        fmt["note"],
    )
    notes_sheet.write(5, 0, "二、指标、权重与目标", fmt["h2"])
    notes_sheet.write_row(6, 0, ["指标", "方向", "权重", "目标值", "最小样本量"], fmt["head"])
    for i, m in enumerate(metrics.iter_rows(named=True), start=7):
        notes_sheet.write_string(i, 0, m["metric_name"], fmt["text"])
        notes_sheet.write_string(i, 1, "越低越好" if m["direction"] == "lower" else "越高越好", fmt["center"])
        _number(notes_sheet, i, 2, m["weight"], fmt["num"], fmt["center"])
        _number(notes_sheet, i, 3, m["target"], fmt["pct"], fmt["center"])
        _number(notes_sheet, i, 4, m["min_denominator"], fmt["num"], fmt["center"])
    row = 8 + metrics.height
    notes_sheet.write(row, 0, "三、名次存疑说明", fmt["h2"])
    flagged = [r for r in ranking.iter_rows(named=True) if r["entity_code"] in notes]
    if not flagged:
        notes_sheet.write(row + 1, 0, f"本期所有{scope}各项指标样本量均达到最小样本量。", fmt["note"])
    for i, r in enumerate(flagged, start=row + 1):
        rank = "未排名" if r["composite_rank"] is None else f"第 {r['composite_rank']} 名"
        notes_sheet.merge_range(
            i, 0, i, 5, f"{FLAG} {r['entity_name']}（{rank}）：{notes[r['entity_code']]}。", fmt["note"]
        )
    book.close()
    return buffer.getvalue()


def _number(
    sheet: xlsxwriter.worksheet.Worksheet,
    row: int,
    col: int,
    value: float | None,
    number_format: xlsxwriter.format.Format,
    blank_format: xlsxwriter.format.Format,
) -> None:
    if value is None:
        sheet.write_string(row, col, "—", blank_format)
    else:
        sheet.write_number(row, col, value, number_format)
