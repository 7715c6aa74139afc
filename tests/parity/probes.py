"""Every page query, run twice on one demo release: the SQL as it was before issue 16 (``legacy/``, a frozen
copy of the old ``dashboard/queries`` modules with their positional parameters) and the query layer pages use
now. ``probes(ctx)`` yields one probe per query and filter scenario; the parity test compares the frames.

A probe's ``current`` side is the only part that follows the dashboard's query layer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import polars as pl

from tests.parity.legacy import admin as old_admin
from tests.parity.legacy import coverage as old_coverage
from tests.parity.legacy import desk as old_desk
from tests.parity.legacy import screens as old_screens


@dataclass(frozen=True)
class Context:
    """Values picked from the release the way the pages pick them."""

    today: date
    month: tuple[date, date]
    quarter: tuple[date, date]
    street: str
    grid: str
    case_id: str
    source: str
    category: str
    status: str
    property_quarter: str
    report_in_month: date
    assessment_id: str


@dataclass(frozen=True)
class Probe:
    name: str
    legacy_sql: str
    legacy_params: tuple[Any, ...]
    current: Callable[[], pl.DataFrame]


def context(run: Callable[[str], list[tuple]]) -> Context:
    one = lambda sql: run(sql)[0]  # noqa: E731
    today = one("select max(today_date) from mart_command_center_kpis")[0]
    month = one(
        "select period_start, cast(period_start + interval 1 month as date) from mart_case_flow_by_street "
        "where period_type = 'month' and is_complete_period order by period_start desc limit 1"
    )
    quarter = one(
        "select period_start, cast(period_start + interval 3 month as date) from mart_case_flow_by_street "
        "where period_type = 'quarter' order by period_start desc limit 1"
    )
    street = one("select street_code from dim_streets order by 1 limit 1")[0]
    grid = one("select grid_code from fct_platform_cases group by 1 order by count(*) desc, 1 limit 1")[0]
    case_id = one("select case_id from fct_platform_cases where has_rework order by case_id limit 1")[0]
    source = one(
        "select source_channel from fct_platform_cases group by 1 order by count(*) desc, 1 limit 1"
    )[0]
    category = one(
        "select category_major from fct_platform_cases group by 1 order by count(*) desc, 1 limit 1"
    )[0]
    status = one(
        "select current_status from fct_platform_cases group by 1 order by count(*) desc, 1 limit 1"
    )[0]
    pq = one("select quarter_label from fct_property_assessments order by quarter_start desc limit 1")[0]
    rim = one("select max(month_start) from mart_report_in_by_unit_month")[0]
    aid = one("select assessment_id from fct_property_assessments order by assessment_id limit 1")[0]
    return Context(
        today, tuple(month), tuple(quarter), street, grid, case_id, source, category, status, pq, rim, aid
    )


def probes(ctx: Context, current: Callable[..., pl.DataFrame]) -> Iterator[Probe]:
    """``current(name, legacy_params, **args)`` runs the query layer's version of legacy query ``name``."""

    def probe(name: str, legacy_sql: str, legacy_params: tuple, **args: Any) -> Probe:
        label = name + "".join(f" {k}={v}" for k, v in args.items())
        return Probe(label, legacy_sql, legacy_params, lambda: current(name, legacy_params, **args))

    s = ctx.street
    # ── screens ──
    yield probe("STREETS", old_screens.STREETS, ())
    yield probe("DATA_CLOCK", old_screens.DATA_CLOCK, ())
    yield probe("KPIS", old_screens.KPIS, ())
    yield probe("STREET_BOUNDARIES", old_screens.STREET_BOUNDARIES, ())
    yield probe("STREET_BOARD", old_screens.STREET_BOARD, ())
    yield probe("CASE_DATE_RANGE", old_screens.CASE_DATE_RANGE, ())
    yield probe("SOURCES", old_screens.SOURCES, ())
    yield probe("CATEGORIES", old_screens.CATEGORIES, ())
    yield probe("STATUSES", old_screens.STATUSES, ())
    yield probe("GRID_RECENT_CASES", old_screens.GRID_RECENT_CASES, (ctx.grid,), grid=ctx.grid)
    for street in (None, s):
        yield probe(
            "GRID_TODAY", old_screens.GRID_TODAY, (ctx.today, street, street), today=ctx.today, street=street
        )
        yield probe(
            "URGENT_OPEN_CASES",
            old_screens.URGENT_OPEN_CASES,
            (street, street, 200),
            street=street,
            limit=200,
        )
        for q in ("TREND_30_DAYS", "INTAKE_BY_SOURCE", "INTAKE_BY_CATEGORY"):
            yield probe(
                q,
                getattr(old_screens, q),
                (ctx.today, ctx.today, street, street),
                today=ctx.today,
                street=street,
            )
        for q in ("DEVICE_COUNT", "DEVICES", "DEVICES_BINNED"):
            yield probe(q, getattr(old_screens, q), (street, street), street=street)
    map_filters = [
        dict(
            start=ctx.today - timedelta(days=29),
            end=ctx.today,
            street=None,
            sources=(),
            categories=(),
            statuses=(),
        ),
        dict(
            start=ctx.month[0],
            end=ctx.month[1] - timedelta(days=1),
            street=s,
            sources=(ctx.source,),
            categories=(ctx.category,),
            statuses=(ctx.status,),
        ),
    ]
    for m in map_filters:
        legacy = (
            m["start"],
            m["end"],
            list(m["sources"]),
            list(m["sources"]),
            list(m["categories"]),
            list(m["categories"]),
            list(m["statuses"]),
            list(m["statuses"]),
            m["street"],
            m["street"],
        )
        yield probe("GRID_METRICS", old_screens.GRID_METRICS, (*legacy, m["street"], m["street"]), **m)
        yield probe("CASE_DENSITY", old_screens.CASE_DENSITY, legacy, **m)
        yield probe("CASE_BINS", old_screens.CASE_BINS, legacy, **m)
    # ── desk ──
    for q in (
        "DESK_PERIODS",
        "DESK_DATA_CLOCK",
        "DESK_SOURCES",
        "DESK_CATEGORIES",
        "REPORT_IN_MONTHS",
        "PROPERTY_QUARTERS",
        "PROPERTY_RULE",
        "DESK_SOURCE_ROWS",
    ):
        yield probe(q, getattr(old_desk, q), ())
    yield probe("CASE_HEADER", old_desk.CASE_HEADER, (ctx.case_id,), case_id=ctx.case_id)
    yield probe("CASE_TIMELINE", old_desk.CASE_TIMELINE, (ctx.case_id,), case_id=ctx.case_id)
    case_sets = [
        dict(start=ctx.month[0], end=ctx.month[1], street=None, sources=(), categories=(), kind="month"),
        dict(start=ctx.month[0], end=ctx.month[1], street=s, sources=(), categories=(), kind="month"),
        dict(
            start=ctx.quarter[0],
            end=ctx.quarter[1],
            street=s,
            sources=(ctx.source,),
            categories=(ctx.category,),
            kind="quarter",
        ),
    ]
    for c in case_sets:
        f = (c["start"], c["end"], c["street"], list(c["sources"]), list(c["categories"]))
        yield probe("FUNNEL_COUNTS", old_desk.FUNNEL_COUNTS, f, **c)
        yield probe("FUNNEL_STAGES", old_desk.FUNNEL_STAGES, f, **c)
        yield probe("STAGE_DURATIONS", old_desk.STAGE_DURATIONS, f, **c)
        yield probe(
            "STAGE_HISTOGRAM", old_desk.STAGE_HISTOGRAM, (*f, "report_to_close"), stage="report_to_close", **c
        )
        yield probe(
            "STAGE_HISTOGRAM",
            old_desk.STAGE_HISTOGRAM,
            (*f, "dispatch_to_dispose"),
            stage="dispatch_to_dispose",
            **c,
        )
        for stage_no in range(1, 8):
            yield probe(
                "FUNNEL_CASES", old_desk.FUNNEL_CASES, (*f, stage_no, None), stage_no=stage_no, flow=None, **c
            )
        for flow in ("cancelled", "rework", "extension", "rollback", "overdue"):
            yield probe(
                "FUNNEL_CASES", old_desk.FUNNEL_CASES, (*f, None, flow), stage_no=None, flow=flow, **c
            )
        for dim in ("street", "department", "source", "category", "all"):
            yield probe("FLOW_BREAKDOWN", old_desk.FLOW_BREAKDOWN, (*f, dim), dim=dim, **c)
        for dim, group in (("street", None), ("department", None), ("source", ctx.source)):
            for case_set in ("reported", "due"):
                yield probe(
                    "BREAKDOWN_CASES",
                    old_desk.BREAKDOWN_CASES,
                    (*f, dim, group, case_set),
                    dim=dim,
                    group=group,
                    case_set=case_set,
                    **c,
                )
        e = (c["start"], c["end"], c["street"])
        for q in (
            "EVENT_FUNNEL",
            "EVENT_LEVELS_BY_STREET",
            "EVENT_LEVEL_DURATIONS",
            "DEPARTMENT_RESPONSE",
            "DEPARTMENT_WHISTLES",
        ):
            # these are mart rows: one period of the period type (the probe's start/end are that period)
            kind = {"kind": c["kind"]}
            yield probe(
                q, getattr(old_desk, q), e, start=c["start"], end=c["end"], street=c["street"], **kind
            )
    for kind in ("month", "quarter"):
        yield probe("STREET_RANKING_ROWS", old_desk.STREET_RANKING_ROWS, (kind,), kind=kind)
        yield probe("DEPARTMENT_RANKING_ROWS", old_desk.DEPARTMENT_RANKING_ROWS, (kind,), kind=kind)
        yield probe("COMMUNITY_RANKING_ROWS", old_desk.COMMUNITY_RANKING_ROWS, (kind, s), kind=kind, street=s)
        for street in (None, s):
            yield probe("ONTIME_TREND", old_desk.ONTIME_TREND, (kind, street), kind=kind, street=street)
    for street in (None, s):
        yield probe(
            "REPORT_IN_UNITS",
            old_desk.REPORT_IN_UNITS,
            (ctx.report_in_month, street),
            month=ctx.report_in_month,
            street=street,
        )
        yield probe(
            "REPORT_IN_COMMUNITIES",
            old_desk.REPORT_IN_COMMUNITIES,
            (ctx.report_in_month, street),
            month=ctx.report_in_month,
            street=street,
        )
        yield probe(
            "REPORT_IN_BY_TYPE",
            old_desk.REPORT_IN_BY_TYPE,
            (ctx.report_in_month, street),
            month=ctx.report_in_month,
            street=street,
        )
        yield probe("REPORT_IN_TREND", old_desk.REPORT_IN_TREND, (street,), street=street)
        for q in ("PROPERTY_LISTS", "PROPERTY_COMPANIES", "PROPERTY_PROJECTS"):
            yield probe(
                q,
                getattr(old_desk, q),
                (ctx.property_quarter, street),
                quarter=ctx.property_quarter,
                street=street,
            )
        yield probe("PROPERTY_COMPANY_TREND", old_desk.PROPERTY_COMPANY_TREND, (street,), street=street)
    yield probe(
        "PROPERTY_ITEM_SCORES",
        old_desk.PROPERTY_ITEM_SCORES,
        (ctx.assessment_id,),
        assessment_id=ctx.assessment_id,
    )
    yield probe(
        "PROPERTY_PROJECT_HISTORY",
        old_desk.PROPERTY_PROJECT_HISTORY,
        (ctx.assessment_id,),
        assessment_id=ctx.assessment_id,
    )
    # ── admin, coverage ──
    yield probe("MART_COLUMNS", old_admin.MART_COLUMNS, ())
    yield probe("SOURCE_HEALTH", old_admin.SOURCE_HEALTH, ())
    yield probe("SOURCE_COVERAGE", old_coverage.SOURCE_COVERAGE, ())
