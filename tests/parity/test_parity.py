"""Parity (issue 16): every page query returns what the pre-issue-16 SQL returned on the demo release,
except where issue 16 fixes a defect — each such difference is named in ``DEFECTS``."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from dashboard.queries import Filter, admin, coverage, desk, screens
from tests.parity.probes import Probe, context, probes

# Columns whose value depends on the wall clock (compared by dtype only).
CLOCK_COLUMNS = {"SOURCE_HEALTH": {"lag_days_to_today"}}
# Legacy query name → why its result may differ now (a defect issue 16 fixes).
# Columns added to fix a defect (the rows and every other column must still match), and why.
ADDED_COLUMNS = {
    "FUNNEL_COUNTS": (
        {
            "closed_share",
            "cancelled_share",
            "reworked_share",
            "extended_share",
            "rolled_back_share",
            "overdue_share",
        },
        "the page divided the side flows and 结案 by 上报 in Python: the query counts fct_platform_cases' flags",
    ),
    "FUNNEL_CASES": ({"total"}, "the list said 共 500 件 when capped at 500: it now carries the real total"),
    "BREAKDOWN_CASES": ({"total"}, "as FUNNEL_CASES"),
    "FLOW_BREAKDOWN": (
        {
            "closure_rate_base",
            "ontime_closure_rate_base",
            "ontime_disposal_rate_base",
            "rework_rate_base",
            "extension_rate_base",
        },
        "the page labelled 按期结案率 with n = 应结案 and 按期处置率 with n = 应处置, not the judgeable cases the rate "
        "is over: each rate's base is now a column",
    ),
    "GRID_RECENT_CASES": ({"total"}, "the grid's 50 newest cases now say how many the grid holds"),
    "STREET_BOARD": (
        {"ranked"},
        "a street user's board shows only their row, as rank / number of streets ranked",
    ),
    "EVENT_FUNNEL": (
        {
            "accepted_of_reported",
            "closed_of_accepted",
            "visited_of_closed",
            "closed_of_reported",
            "visited_of_reported",
            "grid_self_resolution_rate",
            "within_community_rate",
            "whistle_rate",
        },
        "the page computed the step conversions and level rates in Python: mart_grid_event_funnel carries them",
    ),
}
# Queries whose values are unchanged but whose integer columns are now a mart's bigint (the old SQL summed
# monthly rows into DuckDB's int128): compared by value, not by dtype.
WIDENED_DTYPES = {
    "EVENT_LEVELS_BY_STREET": "the level counts are mart_grid_resolution_by_street's bigints, not int128 sums",
}
DEFECTS: dict[str, str] = {
    "KPIS": "the big screen's cards were city-wide under a street's name and their 结案率 / 按期结案率 counted cases "
    "due today (not the desk's 应结案 basis): they now read mart_screen_kpis, per street, each with its basis",
}


def current(name: str, _legacy_params: tuple, **a: Any) -> pl.DataFrame:
    """The query layer's version of legacy query ``name``, with the probe's arguments."""
    period = {k: a[k] for k in ("start", "end") if k in a}
    case_set = Filter(
        street=a.get("street"),
        sources=a.get("sources", ()),
        categories=a.get("categories", ()),
        statuses=a.get("statuses", ()),
        **period,
    )
    if name in MAP_QUERIES:  # the map's date range is inclusive; the filter's end is exclusive
        case_set = replace(case_set, end=a["end"] + timedelta(days=1))
    extra = {
        k: v
        for k, v in a.items()
        if k not in ("start", "end", "street", "sources", "categories", "statuses", "kind", "month", "today")
    }
    if "kind" in a:
        case_set = replace(case_set, period_type=a["kind"])
    if "month" in a:
        case_set = replace(case_set, start=a["month"])
    if "today" in a:
        extra["day"] = a["today"]
    area, function = LAYER[name]
    return getattr(area, function)(case_set, **extra)


MAP_QUERIES = {"GRID_METRICS", "CASE_DENSITY", "CASE_BINS"}
LAYER = {
    **{
        n: (screens, n.lower())
        for n in (
            "STREETS",
            "DATA_CLOCK",
            "KPIS",
            "STREET_BOUNDARIES",
            "STREET_BOARD",
            "CASE_DATE_RANGE",
            "SOURCES",
            "CATEGORIES",
            "STATUSES",
            "GRID_RECENT_CASES",
            "GRID_TODAY",
            "URGENT_OPEN_CASES",
            "TREND_30_DAYS",
            "INTAKE_BY_SOURCE",
            "INTAKE_BY_CATEGORY",
            "DEVICE_COUNT",
            "DEVICES",
            "DEVICES_BINNED",
            "GRID_METRICS",
            "CASE_DENSITY",
            "CASE_BINS",
        )
    },
    "DESK_PERIODS": (desk, "periods"),
    "DESK_DATA_CLOCK": (desk, "data_clock"),
    "DESK_SOURCES": (desk, "sources"),
    "DESK_CATEGORIES": (desk, "categories"),
    "DESK_SOURCE_ROWS": (desk, "source_rows"),
    **{
        n: (desk, n.lower())
        for n in (
            "REPORT_IN_MONTHS",
            "PROPERTY_QUARTERS",
            "PROPERTY_RULE",
            "CASE_HEADER",
            "CASE_TIMELINE",
            "FUNNEL_COUNTS",
            "FUNNEL_STAGES",
            "STAGE_DURATIONS",
            "STAGE_HISTOGRAM",
            "FUNNEL_CASES",
            "FLOW_BREAKDOWN",
            "BREAKDOWN_CASES",
            "EVENT_FUNNEL",
            "EVENT_LEVELS_BY_STREET",
            "EVENT_LEVEL_DURATIONS",
            "DEPARTMENT_RESPONSE",
            "DEPARTMENT_WHISTLES",
            "STREET_RANKING_ROWS",
            "DEPARTMENT_RANKING_ROWS",
            "COMMUNITY_RANKING_ROWS",
            "ONTIME_TREND",
            "REPORT_IN_UNITS",
            "REPORT_IN_COMMUNITIES",
            "REPORT_IN_BY_TYPE",
            "REPORT_IN_TREND",
            "PROPERTY_LISTS",
            "PROPERTY_COMPANIES",
            "PROPERTY_PROJECTS",
            "PROPERTY_COMPANY_TREND",
            "PROPERTY_ITEM_SCORES",
            "PROPERTY_PROJECT_HISTORY",
        )
    },
    "MART_COLUMNS": (admin, "mart_columns"),
    "SOURCE_HEALTH": (admin, "source_health"),
    "SOURCE_COVERAGE": (coverage, "source_coverage"),
}


@pytest.fixture(scope="module")
def release(warehouse, monkeypatch_module):
    monkeypatch_module.setenv("GRIDPULSE_HOME", str(warehouse.home.root))
    return warehouse


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def canonical(frame: pl.DataFrame) -> pl.DataFrame:
    sortable = [c for c, t in frame.schema.items() if not t.is_nested() and t != pl.Object]
    return frame.sort(sortable, nulls_last=True) if sortable and frame.height else frame


def legacy(warehouse, probe: Probe) -> pl.DataFrame:
    from warehouse.release.releases import open_release

    con = open_release(warehouse.release_db)
    try:
        return pl.from_arrow(
            con.sql(probe.legacy_sql, params=list(probe.legacy_params) or None).to_arrow_table()
        )
    finally:
        con.close()


def test_every_page_query_returns_what_it_returned_before(release):
    ctx = context(lambda sql: release.query(sql))
    checked, differing = 0, []
    for probe in probes(ctx, current):
        base = probe.name.split(" ")[0]
        if base in DEFECTS:
            continue
        before, after = legacy(release, probe), probe.current()
        after = after.drop(*ADDED_COLUMNS.get(base, (set(), ""))[0], strict=False)
        for col in CLOCK_COLUMNS.get(base, ()):
            before, after = before.drop(col), after.drop(col)
        try:
            # several old queries leave ties (or the whole order) open: compare the rows as a multiset
            assert_frame_equal(
                canonical(after),
                canonical(before),
                check_exact=False,
                check_dtypes=base not in WIDENED_DTYPES,
                rel_tol=1e-9,
                abs_tol=1e-12,
            )
        except AssertionError as exc:
            differing.append(f"{probe.name}: {str(exc).splitlines()[0]}")
        checked += 1
    assert not differing, "\n".join(differing)
    assert checked > 150
