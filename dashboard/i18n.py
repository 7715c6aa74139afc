"""Labels in Chinese (default) and English. Every label a page shows goes through ``t``."""

from __future__ import annotations

import streamlit as st

LANGUAGES = {"zh": "中文", "en": "English"}

LABELS: dict[str, tuple[str, str]] = {
    # frame
    "app_title": ("网格脉搏 · 基层治理驾驶舱", "GridPulse · Governance Cockpit"),
    "language": ("语言", "Language"),
    "section_screen": ("大屏", "Big screen"),
    "section_desk": ("工作台", "Desk"),
    "section_admin": ("数据", "Data"),
    "filters": ("筛选", "Filters"),
    "period": ("时间范围", "Period"),
    "street": ("街道", "Street"),
    "all_streets": ("全部街道", "All streets"),
    "all": ("全部", "All"),
    "freshness": ("数据截至 {latest}，版本生成于 {built}", "Data up to {latest}; release built {built}"),
    "no_release": (
        "还没有可用的数据版本。请先运行 `make demo`（演示数据），或 `gridpulse load` 后再运行 `gridpulse build`。",
        "No warehouse release yet. Run `make demo` (demo city), or `gridpulse load` then `gridpulse build`.",
    ),
    "no_rows": ("当前筛选条件下没有数据，请放宽时间范围或街道。", "Nothing matches these filters; widen the period or street."),
    "missing_source": ("尚未导入{source}数据，本部分暂无内容。", "No {source} data has been loaded; this part is empty."),
    # command center
    "page_command_center": ("指挥中心", "Command center"),
    "cc_title": ("星澜市城市运行指挥中心", "City Operations Command Center"),
    "kpi_cases_reported": ("今日受理", "Intake today"),
    "kpi_cases_open": ("在办案件", "In progress"),
    "kpi_cases_overdue": ("超期案件", "Overdue"),
    "kpi_closure_rate": ("结案率", "Closure rate"),
    "kpi_ontime_closure_rate": ("按期结案率", "On-time closure"),
    "kpi_satisfaction_rate": ("满意率", "Satisfaction"),
    "vs_yesterday": ("环比", "vs yesterday"),
    "vs_last_year": ("同比", "vs last year"),
    "data_as_of": ("数据截至", "Data as of"),
    "street_board": ("街道排名", "Street ranking"),
    "rank": ("名次", "Rank"),
    "score": ("综合得分", "Score"),
    "change": ("变化", "Change"),
    "by_source_30d": ("近30日案件来源", "Cases by source, 30 days"),
    "by_category_30d": ("近30日案件大类", "Cases by category, 30 days"),
    "trend_30d": ("近30日受理趋势", "Intake, last 30 days"),
    "urgent_cases": ("紧急案件滚动", "Latest urgent cases"),
    "urgent_points": ("红点为在办紧急案件", "red dots: open urgent cases"),
    "no_urgent": ("暂无在办紧急案件", "No open urgent cases"),
    "no_ranking": ("暂无排名数据", "No ranking yet"),
    "no_platform_data": ("尚未导入城运平台案件数据，指挥中心暂无内容。", "No platform cases loaded yet; nothing to show."),
    "overdue": ("超期", "Overdue"),
    "cases": ("城运案件", "Platform cases"),
    "events": ("网格事件", "Grid events"),
    "grid": ("网格", "Grid"),
    "community": ("社区", "Community"),
    "map_intake": ("今日受理", "Intake today"),
    "map_backlog": ("在办积压", "Open backlog"),
    # map
    "page_map": ("地图", "Map"),
    "date_range": ("日期范围", "Date range"),
    "source": ("来源", "Source"),
    "category": ("大类", "Category"),
    "case_status": ("状态", "Status"),
    "metric": ("网格着色指标", "Grid colour by"),
    "metric_new_cases": ("新增案件", "New cases"),
    "metric_backlog": ("在办积压", "Open backlog"),
    "metric_overdue": ("超期", "Overdue"),
    "metric_ontime_rate": ("按期结案率", "On-time closure rate"),
    "layers": ("图层", "Layers"),
    "layer_choropleth": ("网格着色", "Grid choropleth"),
    "layer_density": ("案件密度（六边形）", "Case density (hexagons)"),
    "layer_devices": ("摄像头与传感器", "Cameras and sensors"),
    "grid_code": ("网格编码", "Grid code"),
    "pick_grid": ("查看网格案件", "Show a grid's cases"),
    "recent_cases": ("{grid} 最近案件", "Recent cases in {grid}"),
    "devices_binned": ("设备超过 50,000 个，已按约 100 米聚合显示。", "More than 50,000 devices: shown aggregated to ~100 m cells."),
    "map_offline_note": ("底图为离线区划边界；可在配置中指定内网瓦片服务。",
                         "Base map: offline division boundaries; an intranet tile server can be configured."),
    "no_grids": ("尚未导入网格边界，地图以案件点位和密度显示。", "No grid boundaries loaded; the map shows case points and density."),
    # data health
    "page_health": ("数据健康", "Data health"),
    "release": ("当前数据版本", "Current release"),
    "release_history": ("版本历史", "Release history"),
    "built_at": ("生成时间", "Built at"),
    "build_seconds": ("耗时（秒）", "Seconds"),
    "status": ("状态", "Status"),
    "failures": ("失败项", "Failures"),
    "tests": ("测试结果", "Test results"),
    "rows_per_mart": ("各数据集行数", "Rows per mart"),
    "sources": ("数据来源", "Sources"),
}


def lang() -> str:
    if "lang" not in st.session_state:
        st.session_state.lang = "en" if st.query_params.get("lang") == "en" else "zh"
    return st.session_state.lang


def t(key: str, **fmt: object) -> str:
    zh, en = LABELS[key]
    text = en if lang() == "en" else zh
    return text.format(**fmt) if fmt else text


def language_switch() -> None:
    choice = st.sidebar.radio(
        t("language"), list(LANGUAGES), format_func=LANGUAGES.get, horizontal=True,
        index=list(LANGUAGES).index(lang()), key="lang_choice",
    )
    if choice != st.session_state.lang:
        st.session_state.lang = choice
        st.rerun()
