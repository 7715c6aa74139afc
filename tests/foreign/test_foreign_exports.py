"""Hand-made foreign exports: deadlines, data-quality rules and time zones, and a profile written from the docs.

- a small export in the NYC 311 schema with Due Dates, overlapping files, a DST change and broken rows;
- a Boston-style export read with the profile printed in docs/profiles.md (the test takes the YAML from the
  document itself, as a user would), loaded with `gridpulse load --profile`;
- Open311 GeoReport v2 timestamps with UTC offsets.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
import yaml

from tests.conftest import NYC_SAMPLE, Warehouse, built
from warehouse.home.paths import DataHome
from warehouse.ingest.load import load
from warehouse.ingest.profile import ProfileError, parse_profile

DOCS = Path(__file__).resolve().parents[2] / "docs" / "profiles.md"
GRIDPULSE = str(Path(sys.executable).with_name("gridpulse"))


def nyc_headers() -> list[str]:
    with NYC_SAMPLE.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def write_rows(path: Path, headers: list[str], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=headers)
        writer.writeheader()
        for row in rows:
            writer.writerow({h: row.get(h, "") for h in headers})


def nyc(
    key: str,
    created: str,
    status: str,
    closed: str = "",
    due: str = "",
    agency: str = "DSNY",
    borough: str = "QUEENS",
    board: str = "05 QUEENS",
    lat: str = "40.70",
    lon: str = "-73.90",
) -> dict[str, str]:
    return {
        "Unique Key": key,
        "Created Date": created,
        "Closed Date": closed,
        "Due Date": due,
        "Agency": agency,
        "Complaint Type": "Dirty Condition",
        "Descriptor": "Trash",
        "Status": status,
        "Borough": borough,
        "Community Board": board,
        "Latitude": lat,
        "Longitude": lon,
        "Open Data Channel Type": "PHONE",
    }


# ---------------------------------------------------------------- NYC schema: deadlines and data quality


@pytest.fixture(scope="module")
def nyc_small(tmp_path_factory) -> Warehouse:
    home = DataHome(tmp_path_factory.mktemp("nyc_small") / "home")
    headers = nyc_headers()
    write_rows(
        home.landing / "extract_0306.csv",
        headers,
        [
            nyc("A", "03/04/2024 09:00:00 AM", "Closed", "03/04/2024 11:00:00 AM", "03/04/2024 05:00:00 PM"),
            nyc("B", "03/04/2024 09:00:00 AM", "Closed", "03/06/2024 10:00:00 AM", "03/05/2024 09:00:00 AM"),
            nyc("C", "03/04/2024 10:00:00 AM", "In Progress", "", "03/04/2024 12:00:00 PM", agency="DOT"),
            nyc(
                "D",
                "03/05/2024 08:00:00 AM",
                "Assigned",
                "",
                "03/20/2024 08:00:00 AM",
                borough="BRONX",
                board="04 BRONX",
            ),
            nyc("E", "03/05/2024 08:30:00 AM", "Closed"),  # closed, no close time
            nyc("F", "03/05/2024 09:00:00 AM", "Closed", "03/05/2024 08:00:00 AM"),  # closed before created
            nyc("G", "03/05/2024 10:00:00 AM", "Open", lat="", lon=""),  # no coordinates
            nyc("H", "03/05/2024 11:00:00 AM", "Cancel"),
            nyc("I", "03/10/2024 01:30:00 AM", "Open"),  # EST, before the DST change
            nyc("J", "03/10/2024 03:30:00 AM", "Open"),  # EDT, after it
        ],
    )
    # a later daily extract repeats C, now closed (late), and A unchanged
    write_rows(
        home.landing / "extract_0307.csv",
        headers,
        [
            nyc("A", "03/04/2024 09:00:00 AM", "Closed", "03/04/2024 11:00:00 AM", "03/04/2024 05:00:00 PM"),
            nyc(
                "C",
                "03/04/2024 10:00:00 AM",
                "Closed",
                "03/06/2024 09:00:00 AM",
                "03/04/2024 12:00:00 PM",
                agency="DOT",
            ),
        ],
    )
    report = load(home)
    assert report.rejected == []
    return built(home)


def test_overlapping_extracts_keep_the_latest_state(nyc_small):
    files = nyc_small.query(
        "select rows_read, rows_accepted, rows_updated, rows_duplicate from staging.stg_lake__manifest order by file_path"
    )
    assert files == [(10, 10, 0, 0), (2, 1, 1, 1)]
    assert nyc_small.query("select count(*) from fct_platform_cases") == [(10,)]
    assert nyc_small.query(
        "select current_status, closed_at from fct_platform_cases where case_id = 'C'"
    ) == [("已结案", datetime(2024, 3, 6, 9, 0))]


def test_on_time_is_judged_against_the_due_date(nyc_small):
    got = {
        k: (src, on_time, overdue)
        for k, src, on_time, overdue in nyc_small.query(
            "select case_id, deadline_source, is_closed_on_time, is_overdue from fct_platform_cases"
        )
    }
    assert got["A"] == ("export", True, False)
    assert got["B"] == ("export", False, False)  # closed after its Due Date
    assert got["C"] == ("export", False, False)  # closed late in the later extract
    assert got["D"] == ("export", False, False)  # open, not due yet
    # no Due Date (BRIEF §4): on time once closed — E by its status alone, F (closed before created) is flagged —
    # never overdue while open (G, I, J); H is cancelled
    for key in "EFGHIJ":
        assert got[key] == (None, key in "EF", False), key
    # 按期结案率 over every due request: A on time, and F, of A, B, C, E, F, G, I, J (D not due yet; E has no
    # close time, so it is not closed by the period's end)
    ((due, known, on_time, rate),) = nyc_small.query(
        "select sum(due_cases), sum(ontime_due_cases), sum(closed_on_time_cases), "
        "sum(closed_on_time_cases) / sum(ontime_due_cases) from mart_case_flow_by_street "
        "where period_type = 'month' and period_start = date '2024-03-01'"
    )
    assert (due, known, on_time) == (8, 8, 2) and rate == pytest.approx(2 / 8)


def test_data_quality_rules_flag_instead_of_negative_durations(nyc_small):
    got = {
        k: (closed, closed_at, minutes, issue)
        for k, closed, closed_at, minutes, issue in nyc_small.query(
            "select case_id, is_closed, closed_at, minutes_report_to_close, timeline_issue from fct_platform_cases"
        )
    }
    assert got["E"][0] is True and got["E"][1] is None and got["E"][2] is None
    assert "结案状态缺结案时间" in got["E"][3]
    assert got["F"][0] is True and got["F"][2] is None and "结案早于上报" in got["F"][3]
    assert got["A"][2] == 120 and got["A"][3] is None
    assert nyc_small.query("select min(minutes_report_to_close) >= 0 from fct_platform_cases") == [(True,)]
    assert nyc_small.query("select geo_quality from fct_platform_cases where case_id = 'G'") == [("missing",)]
    assert nyc_small.query("select current_status, is_open from fct_platform_cases where case_id = 'H'") == [
        ("已作废", False)
    ]
    # the data-health mart names every kept-but-flagged row by rule
    ((flagged, summary),) = nyc_small.query(
        "select flagged_rows, flag_summary from mart_data_health where lake_table = 'platform/cases'"
    )
    assert flagged == 3 and set(summary.split("; ")) == {"结案早于上报 1", "结案状态缺结案时间 1", "缺坐标 1"}


def test_time_zone_survives_the_dst_change(nyc_small):
    rows = dict(
        (k, (local, utc))
        for k, local, utc in nyc_small.query(
            "select case_id, reported_at, reported_at_utc from fct_platform_cases where case_id in ('I', 'J')"
        )
    )
    assert rows["J"][0] - rows["I"][0] == datetime(2024, 3, 10, 3, 30) - datetime(
        2024, 3, 10, 1, 30
    )  # 2 h wall clock
    assert rows["I"][1] == datetime(2024, 3, 10, 6, 30, tzinfo=UTC)  # EST = UTC-5
    assert rows["J"][1] == datetime(2024, 3, 10, 7, 30, tzinfo=UTC)  # EDT = UTC-4: one hour later in fact


# ---------------------------------------------------------------- Boston, with the profile from the docs


def docs_boston_profile() -> str:
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## Walkthrough: a profile for Boston's 311 export", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert block, "docs/profiles.md lost its Boston profile"
    return block.group(1)


BOSTON_HEADERS = [
    "case_enquiry_id",
    "open_dt",
    "target_dt",
    "closed_dt",
    "ontime",
    "case_status",
    "closure_reason",
    "case_title",
    "subject",
    "reason",
    "type",
    "queue",
    "department",
    "location",
    "neighborhood",
    "ward",
    "location_zipcode",
    "latitude",
    "longitude",
    "source",
]
BOSTON_ROWS = [
    # id, open, target, closed, ontime, status, reason, type, dept, neighborhood, ward, source
    (
        "101004113298",
        "2023-01-03 08:10:00",
        "2023-01-05 08:30:00",
        "2023-01-04 10:00:00",
        "ONTIME",
        "Closed",
        "Street Cleaning",
        "Requests for Street Cleaning",
        "PWDx",
        "Dorchester",
        "Ward 15",
        "Constituent Call",
    ),
    (
        "101004113299",
        "2023-01-03 09:00:00",
        "2023-01-04 09:00:00",
        "2023-01-06 12:00:00",
        "OVERDUE",
        "Closed",
        "Highway Maintenance",
        "Request for Pothole Repair",
        "PWDx",
        "Dorchester",
        "Ward 16",
        "Citizens Connect App",
    ),
    (
        "101004113300",
        "2023-01-04 07:45:00",
        "2023-01-05 07:45:00",
        "",
        "OVERDUE",
        "Open",
        "Sanitation",
        "Missed Trash/Recycling/Yard Waste/Bulk Item",
        "PWDx",
        "Roxbury",
        "Ward 12",
        "Self Service",
    ),
    (
        "101004113301",
        "2023-01-06 11:20:00",
        "2023-01-20 11:20:00",
        "",
        "ONTIME",
        "Open",
        "Enforcement & Abandoned Vehicles",
        "Parking Enforcement",
        "BTDT",
        "Roxbury",
        "Ward 12",
        "City Worker App",
    ),
    (
        "101004113302",
        "2023-01-06 13:00:00",
        "",
        "2023-01-06 15:00:00",
        "ONTIME",
        "Closed",
        "Signs & Signals",
        "Sign Repair",
        "BTDT",
        "South Boston",
        "Ward 6",
        "Employee Generated",
    ),
]


@pytest.fixture(scope="module")
def boston(tmp_path_factory) -> tuple[Warehouse, Path]:
    root = tmp_path_factory.mktemp("boston")
    home = DataHome(root / "home")
    profile = root / "boston311.yml"
    profile.write_text(docs_boston_profile(), encoding="utf-8")
    rows = [
        dict(
            zip(
                [
                    "case_enquiry_id",
                    "open_dt",
                    "target_dt",
                    "closed_dt",
                    "ontime",
                    "case_status",
                    "reason",
                    "type",
                    "department",
                    "neighborhood",
                    "ward",
                    "source",
                ],
                r,
                strict=True,
            )
        )
        | {
            "case_title": r[7],
            "latitude": "42.31",
            "longitude": "-71.07",
            "location": f"{i} Washington St",
            "closure_reason": f"Case Resolved. Crew {i} done" if r[3] else "",
        }
        for i, r in enumerate(BOSTON_ROWS, 1)
    ]
    write_rows(home.landing / "boston_311_2023-01.csv", BOSTON_HEADERS, rows)
    env = {**os.environ, "GRIDPULSE_HOME": str(home.root)}
    loaded = subprocess.run(
        [GRIDPULSE, "load", "--profile", str(profile)], env=env, capture_output=True, text=True, timeout=300
    )
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    return built(home), profile


def test_boston_profile_from_the_docs_loads(boston):
    wh, profile = boston
    assert wh.query("select profile_name, rows_read, rows_accepted from staging.stg_lake__manifest") == [
        ("boston311", 5, 5)
    ]
    lake = duckdb.sql(
        f"select case_id, boston_ontime, _timezone from read_parquet('{wh.lake('platform', 'cases')}') "
        "order by case_id"
    ).fetchall()
    assert [(r[1], r[2]) for r in lake] == [(r[4], "America/New_York") for r in BOSTON_ROWS]


def docs_boston_query() -> str:
    section = DOCS.read_text(encoding="utf-8").split("## Walkthrough: a profile for Boston's 311 export", 1)[
        1
    ]
    block = re.search(r"```sql\n(.*?)```", section, re.S)
    assert block, "docs/profiles.md lost its Boston comparison query"
    return block.group(1)


def test_bostons_own_verdict_address_and_resolution_in_the_workbench(boston):
    """The walkthrough's comparison query, as printed in the docs, through the SQL workbench's sandbox."""
    from warehouse.sandbox.query import Limits, run

    wh, _ = boston
    rows = run(docs_boston_query(), wh.release_db, Limits()).table.to_pylist()
    assert [r["case_id"] for r in rows] == [r[0] for r in BOSTON_ROWS]
    for i, (row, (case_id, _open, _target, closed, ontime, *_)) in enumerate(
        zip(rows, BOSTON_ROWS, strict=True), 1
    ):
        assert row["boston_says"] == ontime, case_id
        assert row["address"] == f"{i} Washington St"
        assert row["resolution"] == (f"Case Resolved. Crew {i} done" if closed else None)
    # and the docs browser of the workbench describes the table
    from dashboard.schema_docs import model_docs, read_manifest

    docs = model_docs(read_manifest(wh.release_db.parent / "target"))["fct_platform_case_extras"]
    assert docs["grain"] and "boston_ontime" in docs["columns"]["extra"]


def test_boston_statuses_deadlines_and_on_time_match_bostons_own_verdict(boston):
    wh, _ = boston
    got = {
        k: (status, src, on_time, overdue)
        for k, status, src, on_time, overdue in wh.query(
            "select case_id, current_status, deadline_source, is_closed_on_time, is_overdue from fct_platform_cases"
        )
    }
    for case_id, _open, target, closed, ontime, status, *_ in BOSTON_ROWS:
        cur, src, on_time, overdue = got[case_id]
        assert cur == {"Open": "处置中", "Closed": "已结案"}[status]
        assert src == ("export" if target else None)
        if closed:  # without a target too: on time once closed (BRIEF §4), as Boston says
            assert on_time is (ontime == "ONTIME") and overdue is False, case_id
        else:
            assert overdue is (ontime == "OVERDUE"), case_id


def test_boston_divisions_departments_and_channels(boston):
    wh, _ = boston
    assert {r[0] for r in wh.query("select street_code from dim_streets")} == {
        "Dorchester",
        "Roxbury",
        "South Boston",
    }
    assert {r[0] for r in wh.query("select community_code from dim_communities")} == {
        r[10] for r in BOSTON_ROWS
    }
    assert {
        r[0]
        for r in wh.query("select department_code from dim_departments where department_source = 'export'")
    } == {"PWDx", "BTDT"}
    assert dict(wh.query("select source_channel, count(*) from fct_platform_cases group by 1")) == {
        "12345热线": 1,
        "公众上报": 2,
        "信息采集员": 2,
    }
    assert wh.query(
        "select count(distinct street_code) from mart_street_ranking where composite_rank is not null"
    ) == [(3,)]


# ---------------------------------------------------------------- Open311 GeoReport v2


def test_open311_offsets_become_the_profiles_wall_clock(tmp_path):
    home = DataHome(tmp_path / "home")
    headers = [
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "lat",
        "long",
    ]
    write_rows(
        home.landing / "requests.csv",
        headers,
        [
            {
                "service_request_id": "638344",
                "status": "closed",
                "service_name": "Sidewalk and Curb Issues",
                "service_code": "006",
                "agency_responsible": "Public Works",
                "requested_datetime": "2010-04-14T06:37:38-08:00",
                "updated_datetime": "2010-04-14T15:37:38-08:00",
                "expected_datetime": "2010-04-15T06:37:38-08:00",
                "lat": "37.762221815",
                "long": "-122.4651145",
            },
            {
                "service_request_id": "638349",
                "status": "open",
                "service_name": "Sidewalk and Curb Issues",
                "service_code": "006",
                "requested_datetime": "2010-04-19T14:37:38Z",
                "lat": "37.7",
                "long": "-122.4",
            },
        ],
    )
    # the built-in reads GeoReport in UTC; a city copies it with its own zone, and its profile wins
    local = yaml.safe_load(
        (Path(__file__).resolve().parents[2] / "warehouse/ingest/profiles/open311.yml").read_text()
    )
    local |= {"name": "sf_open311", "timezone": "America/Los_Angeles"}
    profile = tmp_path / "sf_open311.yml"
    profile.write_text(yaml.safe_dump(local, allow_unicode=True), encoding="utf-8")
    report = load(home, profile_paths=[profile])
    assert report.rejected == []
    rows = duckdb.sql(
        "select case_id, status, reported_at, updated_at, deadline_at, department_name, _timezone "
        f"from read_parquet('{home.lake_parts('platform', 'cases')}', union_by_name = true) order by case_id"
    ).fetchall()
    assert rows == [
        (
            "638344",
            "已结案",
            datetime(2010, 4, 14, 7, 37, 38),
            datetime(2010, 4, 14, 16, 37, 38),
            datetime(2010, 4, 15, 7, 37, 38),
            "Public Works",
            "America/Los_Angeles",
        ),  # -08:00 → PDT (-07:00)
        ("638349", "处置中", datetime(2010, 4, 19, 7, 37, 38), None, None, None, "America/Los_Angeles"),
    ]


def test_a_profile_with_an_unknown_zone_is_refused():
    spec = {
        "name": "x",
        "source": "platform",
        "entity": "cases",
        "key": ["case_id"],
        "timezone": "Mars/Olympus",
        "columns": {"case_id": {"headers": ["id"]}},
    }
    with pytest.raises(ProfileError, match="unknown timezone 'Mars/Olympus'"):
        parse_profile(spec)
