"""The desk pages' queries (closure funnel, rankings, 双报到, 红黑榜): one SQL file each.

A case set is ``Filter(start, end, street, sources, categories)``: the cases reported in [start, end).
"""

from __future__ import annotations

import polars as pl

from ..filter import Filter
from ..sql import run

AREA = "desk"


def periods(f: Filter) -> pl.DataFrame:
    return run(AREA, "desk_periods", f)


def data_clock(f: Filter) -> pl.DataFrame:
    return run(AREA, "desk_data_clock", f)


def sources(f: Filter) -> pl.DataFrame:
    return run(AREA, "desk_sources", f)


def categories(f: Filter) -> pl.DataFrame:
    return run(AREA, "desk_categories", f)


def source_rows(f: Filter) -> pl.DataFrame:
    return run(AREA, "desk_source_rows", f)


# ── closure funnel ──
def funnel_counts(f: Filter) -> pl.DataFrame:
    return run(AREA, "funnel_counts", f)


def stage_durations(f: Filter) -> pl.DataFrame:
    return run(AREA, "stage_durations", f)


def stage_histogram(f: Filter, stage: str) -> pl.DataFrame:
    return run(AREA, "stage_histogram", f, stage=stage)


def funnel_stages(f: Filter) -> pl.DataFrame:
    """Per stage of the funnel: cases, step conversion, share of reported (f.period_type / f.start)."""
    return run(AREA, "funnel_stages", f)


def metric_targets(f: Filter) -> pl.DataFrame:
    return run(AREA, "metric_targets", f)


def funnel_cases(f: Filter, stage_no: int | None = None, flow: str | None = None) -> pl.DataFrame:
    return run(AREA, "funnel_cases", f, stage_no=stage_no, flow=flow)


def flow_breakdown(f: Filter, dim: str) -> pl.DataFrame:
    """Cohort counts of [f.start, f.end) and the 应结案 rates of period f.period_type / f.start, per ``dim``."""
    return run(AREA, "flow_breakdown", f, dim=dim)


def breakdown_cases(f: Filter, dim: str, group: str | None, case_set: str) -> pl.DataFrame:
    return run(AREA, "breakdown_cases", f, dim=dim, group=group, case_set=case_set)


def ontime_trend(f: Filter) -> pl.DataFrame:
    """Per period of ``f.period_type``: the 应结案-based rates of ``f.street``."""
    return run(AREA, "ontime_trend", f)


def case_header(f: Filter, case_id: str) -> pl.DataFrame:
    return run(AREA, "case_header", f, case_id=case_id)


def case_timeline(f: Filter, case_id: str) -> pl.DataFrame:
    return run(AREA, "case_timeline", f, case_id=case_id)


def event_funnel(f: Filter) -> pl.DataFrame:
    return run(AREA, "event_funnel", f)


def event_levels_by_street(f: Filter) -> pl.DataFrame:
    return run(AREA, "event_levels_by_street", f)


def event_level_durations(f: Filter) -> pl.DataFrame:
    return run(AREA, "event_level_durations", f)


# ── rankings ──
def street_ranking_rows(f: Filter) -> pl.DataFrame:
    return run(AREA, "street_ranking_rows", f)


def community_ranking_rows(f: Filter) -> pl.DataFrame:
    """The communities of ``f.street``, every period of ``f.period_type``."""
    return run(AREA, "community_ranking_rows", f)


def department_ranking_rows(f: Filter) -> pl.DataFrame:
    return run(AREA, "department_ranking_rows", f)


def department_response(f: Filter) -> pl.DataFrame:
    return run(AREA, "department_response", f)


def department_whistles(f: Filter) -> pl.DataFrame:
    return run(AREA, "department_whistles", f)


# ── 双报到 (the month is f.start) ──
def report_in_months(f: Filter) -> pl.DataFrame:
    return run(AREA, "report_in_months", f)


def report_in_units(f: Filter) -> pl.DataFrame:
    return run(AREA, "report_in_units", f)


def report_in_communities(f: Filter) -> pl.DataFrame:
    return run(AREA, "report_in_communities", f)


def report_in_month(f: Filter) -> pl.DataFrame:
    """The month's totals and rates of ``f.street`` (None: the city), one row (none without data)."""
    return run(AREA, "report_in_month", f)


def report_in_trend(f: Filter) -> pl.DataFrame:
    return run(AREA, "report_in_trend", f)


def report_in_by_type(f: Filter) -> pl.DataFrame:
    return run(AREA, "report_in_by_type", f)


# ── 物业红黑榜 ──
def property_quarters(f: Filter) -> pl.DataFrame:
    return run(AREA, "property_quarters", f)


def property_rule(f: Filter) -> pl.DataFrame:
    return run(AREA, "property_rule", f)


def property_lists(f: Filter, quarter: str) -> pl.DataFrame:
    return run(AREA, "property_lists", f, quarter=quarter)


def property_companies(f: Filter, quarter: str) -> pl.DataFrame:
    return run(AREA, "property_companies", f, quarter=quarter)


def property_company_trend(f: Filter) -> pl.DataFrame:
    return run(AREA, "property_company_trend", f)


def property_projects(f: Filter, quarter: str) -> pl.DataFrame:
    return run(AREA, "property_projects", f, quarter=quarter)


def property_item_scores(f: Filter, assessment_id: str) -> pl.DataFrame:
    return run(AREA, "property_item_scores", f, assessment_id=assessment_id)


def property_item_shares(f: Filter, assessment_id: str) -> pl.DataFrame:
    """Each item's score, maximum and share of it (fct_property_item_scores), in the scoring table's order."""
    return run(AREA, "property_item_shares", f, assessment_id=assessment_id)


def property_project_history(f: Filter, assessment_id: str) -> pl.DataFrame:
    return run(AREA, "property_project_history", f, assessment_id=assessment_id)


# ── 三率 ──
def three_rates(f: Filter) -> pl.DataFrame:
    """响应率 / 解决率 / 满意率 and the composite per street and month of [f.start, f.end)."""
    return run(AREA, "three_rates", f)


def evaluation_weights(f: Filter) -> pl.DataFrame:
    return run(AREA, "evaluation_weights", f)
