"""What the current release holds, so every page can say plainly which source systems are missing.

A data home need not hold all four systems: a foreign city loads only its 311 requests (no workflow
log, grid events, report-in, property data, boundaries or devices). Pages show what exists and name
what does not, with the command that would fill it, instead of empty charts without a word.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from . import db
from .i18n import t
from .queries import EVERYTHING
from .queries import coverage as coverage_queries

SOURCES = ("platform_cases", "workflow", "grid_events", "report_in", "property", "boundaries", "devices")


def rows() -> dict[str, int]:
    """Source → rows the current release holds from it (all 0 before the first build)."""
    frame = coverage_queries.source_coverage(EVERYTHING) if db.has_table("fct_platform_cases") else None
    if frame is None or frame.is_empty():
        return dict.fromkeys(SOURCES, 0)
    row = frame.row(0, named=True)
    return {s: int(row[s] or 0) for s in SOURCES}


def loaded() -> dict[str, bool]:
    """Source → whether the current release holds any of its rows."""
    return {s: n > 0 for s, n in rows().items()}


def coverage_table() -> None:
    """Which source systems this release holds, as a small table (data-health page)."""
    counts = rows()
    st.dataframe(
        pl.DataFrame(
            {
                t("coverage_source"): [t(f"coverage_src_{s}") for s in SOURCES],
                t("coverage_state"): [
                    ("● " + t("coverage_loaded")) if counts[s] else ("○ " + t("coverage_absent"))
                    for s in SOURCES
                ],
                t("coverage_rows"): [counts[s] for s in SOURCES],
            }
        ),
        hide_index=True,
        key="coverage_table",
    )


def missing(*needed: str) -> list[str]:
    have = loaded()
    return [s for s in needed if not have[s]]


def names(sources: list[str]) -> str:
    return t("list_sep").join(t(f"coverage_src_{s}") for s in sources)


def note_missing(*needed: str, what: str | None = None) -> list[str]:
    """An info line naming the ``needed`` sources this release lacks (and what of the page they leave
    empty); the missing ones, so the caller can skip those parts."""
    absent = missing(*needed)
    if absent:
        st.info(t("coverage_missing", sources=names(absent), what=what or t("coverage_parts")), icon="ℹ️")
    return absent


def note_metrics_without_data(rows: pl.DataFrame, period_start: object) -> list[str]:
    """An info line naming the ranking metrics no entity has a value for in the period (their source was
    not loaded); they are left out of the composite score and the weights of the others rescale."""
    if rows.is_empty():
        return []
    period = rows.filter(pl.col("period_start") == period_start)
    empty = (
        period.group_by("metric_code", "metric_name", maintain_order=True)
        .agg(pl.col("value").is_not_null().any().alias("has_value"))
        .filter(~pl.col("has_value"))
    )
    if empty.height:
        st.info(
            t("coverage_metrics_without_data", metrics=t("list_sep").join(empty["metric_name"].to_list())),
            icon="ℹ️",
        )
    return empty["metric_code"].to_list()
