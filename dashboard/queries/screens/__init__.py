"""The big-screen pages' queries (command center, map) and the shared street list: one SQL file each."""

from __future__ import annotations

from datetime import date

import polars as pl

from ..filter import Filter
from ..sql import run

AREA = "screens"
# Cell size of the case bins a city without grid boundaries is drawn with (about 500 m).
BIN_DEGREES = 0.005


def streets(f: Filter) -> pl.DataFrame:
    return run(AREA, "streets", f)


def data_clock(f: Filter) -> pl.DataFrame:
    return run(AREA, "data_clock", f)


def screen_kpis(f: Filter) -> pl.DataFrame:
    """The KPI cards of the city (``f.street`` None) or of ``f.street``, each with its basis."""
    return run(AREA, "screen_kpis", f)


def overdue_cases(f: Filter, limit: int) -> pl.DataFrame:
    return run(AREA, "overdue_cases", f, limit=limit)


def grid_today(f: Filter, day: date) -> pl.DataFrame:
    return run(AREA, "grid_today", f, day=day)


def street_boundaries(f: Filter) -> pl.DataFrame:
    return run(AREA, "street_boundaries", f)


def urgent_open_cases(f: Filter, limit: int) -> pl.DataFrame:
    return run(AREA, "urgent_open_cases", f, limit=limit)


def trend_30_days(f: Filter, day: date) -> pl.DataFrame:
    return run(AREA, "trend_30_days", f, day=day)


def intake_by_source(f: Filter, day: date) -> pl.DataFrame:
    return run(AREA, "intake_by_source", f, day=day)


def intake_by_category(f: Filter, day: date) -> pl.DataFrame:
    return run(AREA, "intake_by_category", f, day=day)


def street_board(f: Filter) -> pl.DataFrame:
    return run(AREA, "street_board", f)


def case_date_range(f: Filter) -> pl.DataFrame:
    return run(AREA, "case_date_range", f)


def sources(f: Filter) -> pl.DataFrame:
    return run(AREA, "sources", f)


def categories(f: Filter) -> pl.DataFrame:
    return run(AREA, "categories", f)


def statuses(f: Filter) -> pl.DataFrame:
    return run(AREA, "statuses", f)


def grid_metrics(f: Filter) -> pl.DataFrame:
    """Per grid, the cases reported in [f.start, f.end) that pass the filter."""
    return run(AREA, "grid_metrics", f)


def case_density(f: Filter) -> pl.DataFrame:
    return run(AREA, "case_density", f)


def case_bins(f: Filter) -> pl.DataFrame:
    return run(AREA, "case_bins", f, bin=BIN_DEGREES)


def device_count(f: Filter) -> pl.DataFrame:
    return run(AREA, "device_count", f)


def devices(f: Filter) -> pl.DataFrame:
    return run(AREA, "devices", f)


def devices_binned(f: Filter) -> pl.DataFrame:
    return run(AREA, "devices_binned", f)


def grid_recent_cases(f: Filter, grid: str) -> pl.DataFrame:
    return run(AREA, "grid_recent_cases", f, grid=grid)
