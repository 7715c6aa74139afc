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
    "freshness": ("数据截至 {latest}，版本生成于 {built}", "Data up to {latest}; release built {built}"),
    "no_release": (
        "还没有可用的数据版本。请先运行 `make demo`（演示数据），或 `gridpulse load` 后再运行 `gridpulse build`。",
        "No warehouse release yet. Run `make demo` (demo city), or `gridpulse load` then `gridpulse build`.",
    ),
    "no_rows": ("当前筛选条件下没有数据，请放宽时间范围或街道。", "Nothing matches these filters; widen the period or street."),
    "missing_source": ("尚未导入{source}数据，本部分暂无内容。", "No {source} data has been loaded; this part is empty."),
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
