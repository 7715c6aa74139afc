"""The genuine NYC 311 export, loaded alone through the built-in `nyc311` profile and built.

Every expectation is recomputed here from the CSV itself (Python's csv module and zoneinfo), not from
the warehouse: the 924 requests, their statuses and agencies, the divisions the export implies, the
time zone, and the on-time flags against the export's own Due Date.
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import NYC_SAMPLE

STATUS = {"Closed": "已结案", "In Progress": "处置中", "Open": "待受理"}
US_CLOCK = "%m/%d/%Y %I:%M:%S %p"


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with NYC_SAMPLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def when(text: str) -> datetime | None:
    return datetime.strptime(text, US_CLOCK) if text else None


def test_every_request_arrives_once(nyc_warehouse, rows):
    assert len(rows) == 924
    ((n, distinct),) = nyc_warehouse.query("select count(*), count(distinct case_id) from fct_platform_cases")
    assert n == distinct == len(rows)
    assert {r[0] for r in nyc_warehouse.query("select case_id from fct_platform_cases")} == {
        r["Unique Key"] for r in rows
    }
    manifest = nyc_warehouse.query(
        "select profile_name, rows_read, rows_accepted, rows_quarantined from staging.stg_lake__manifest"
    )
    assert manifest == [("nyc311", 924, 924, 0)]


def test_statuses_follow_the_export(nyc_warehouse, rows):
    expected = Counter(STATUS[r["Status"]] for r in rows)
    got = dict(nyc_warehouse.query("select current_status, count(*) from fct_platform_cases group by 1"))
    assert got == dict(expected)
    # closed requests carry the export's close time; open ones are open, none without a workflow log is "late"
    closed = {r["Unique Key"]: when(r["Closed Date"]) for r in rows if r["Closed Date"]}
    got_closed = dict(
        nyc_warehouse.query("select case_id, closed_at from fct_platform_cases where is_closed")
    )
    assert got_closed == closed
    assert nyc_warehouse.query("select count(*) from fct_platform_cases where has_workflow") == [(0,)]


def test_agencies_become_departments(nyc_warehouse, rows):
    expected = Counter(r["Agency"] for r in rows)
    got = dict(
        nyc_warehouse.query("select handling_department_name, count(*) from fct_platform_cases group by 1")
    )
    assert got == dict(expected)
    departments = dict(
        nyc_warehouse.query(
            "select department_code, department_source from dim_departments where department_source = 'export'"
        )
    )
    assert set(departments) == set(expected)
    ranked = {
        r[0]
        for r in nyc_warehouse.query(
            "select distinct department_code from mart_department_ranking where composite_rank is not null"
        )
    }
    assert ranked and ranked <= set(expected)


def test_on_time_flags_against_due_date(nyc_warehouse, rows):
    """On time = closed at or before Due Date; without a Due Date, on time once closed (BRIEF §4), never overdue."""
    expected = {}
    for r in rows:
        due, closed = when(r["Due Date"]), when(r["Closed Date"])
        expected[r["Unique Key"]] = closed is not None and (due is None or closed <= due)
    got = dict(nyc_warehouse.query("select case_id, is_closed_on_time from fct_platform_cases"))
    assert got == expected
    sources = dict(
        nyc_warehouse.query(
            "select coalesce(deadline_source, 'none'), count(*) from fct_platform_cases group by 1"
        )
    )
    assert sources == {
        "none": sum(1 for r in rows if not r["Due Date"])
    }  # this day's export has no Due Date at all
    assert nyc_warehouse.query("select count(*) filter (where is_overdue) from fct_platform_cases") == [(0,)]
    # every request falls due when made and is on time once closed: 按期结案率 = 结案率 in every borough
    assert nyc_warehouse.query(
        "select count(*) from mart_case_flow_by_street "
        "where ontime_closure_rate is distinct from closure_rate"
    ) == [(0,)]
    ((value,),) = nyc_warehouse.query(
        "select value_today from mart_command_center_kpis where kpi_code = 'ontime_closure_rate'"
    )
    assert value is not None


def test_closure_rate_counts_requests_made(nyc_warehouse, rows):
    """Without deadlines a request falls due when it is made: 结案率 = closed / requests, per borough."""
    by_borough: dict[str, list[int]] = {}
    for r in rows:
        counts = by_borough.setdefault(r["Borough"], [0, 0])
        counts[0] += 1
        counts[1] += r["Status"] == "Closed"
    got = dict(
        nyc_warehouse.query(
            "select street_code, closure_rate from mart_case_flow_by_street where period_type = 'month'"
        )
    )
    assert got == pytest.approx({b: closed / total for b, (total, closed) in by_borough.items()})


def test_timestamps_are_new_york_wall_clock(nyc_warehouse, rows):
    zone = ZoneInfo("America/New_York")
    got = {
        k: (tz, local, utc)
        for k, tz, local, utc in nyc_warehouse.query(
            "select case_id, timezone, reported_at, reported_at_utc from fct_platform_cases"
        )
    }
    for r in rows[:50]:
        tz, local, utc = got[r["Unique Key"]]
        created = when(r["Created Date"])
        assert tz == "America/New_York" and local == created
        assert utc == created.replace(tzinfo=zone)  # same instant (EDT, UTC-4)


def test_divisions_come_from_the_export(nyc_warehouse, rows):
    streets = dict(nyc_warehouse.query("select street_code, boundary_geojson from dim_streets"))
    assert set(streets) == {r["Borough"] for r in rows}
    assert all(boundary is None for boundary in streets.values())  # no boundary file: no polygons
    communities = {r[0] for r in nyc_warehouse.query("select community_code from dim_communities")}
    # "Unspecified MANHATTAN" names no board: the built-in profile blanks it, so it is the 未划分 member
    boards = {r["Community Board"] for r in rows}
    assert communities == {b for b in boards if not b.startswith("Unspecified")} | {"UNASSIGNED"}
    # … and so is a request whose board lies in another borough (Marble Hill: MANHATTAN, "08 BRONX"), which no
    # community of its borough holds — counted, not silently missing from the community totals
    elsewhere = {
        r["Unique Key"]
        for r in rows
        if r["Community Board"].startswith("Unspecified") or not r["Community Board"].endswith(r["Borough"])
    }
    assert (
        len(elsewhere) == 16
        and {
            r[0]
            for r in nyc_warehouse.query(
                "select case_id from fct_platform_cases where community_code = 'UNASSIGNED'"
            )
        }
        == elsewhere
    )
    for lon, lat in nyc_warehouse.query("select centroid_lon, centroid_lat from dim_streets"):
        assert -74.3 < lon < -73.65 and 40.45 < lat < 40.95
    # every borough is ranked in May 2022
    ranked = {
        r[0]
        for r in nyc_warehouse.query(
            "select distinct street_code from mart_street_ranking "
            "where period_type = 'month' and period_start = date '2022-05-01' and composite_rank is not null"
        )
    }
    assert ranked == set(streets)


def test_missing_coordinates_are_flagged_not_dropped(nyc_warehouse, rows):
    missing = sum(1 for r in rows if not r["Latitude"] or not r["Longitude"])
    assert missing > 0
    got = dict(nyc_warehouse.query("select geo_quality, count(*) from fct_platform_cases group by 1"))
    assert got.get("missing") == missing and sum(got.values()) == len(rows)
