"""A 311 export that publishes its own verdicts, loaded through a profile written as docs/profiles.md says.

The export is written here from the field list the City of Boston publishes for its 311 service requests
(case_enquiry_id, open_dt, sla_target_dt, closed_dt, on_time, case_status, closure_reason, case_title, subject,
reason, type, queue, department, neighborhood, ward, precinct, location_zipcode, latitude, longitude, source) —
not a copy of the NYC sample. Its cases cover what real exports hold: closed on time and late, open past and
before their target, no target (open and closed), a "Pending" case with a close time, one ward written three
ways, a blank division, and close times running weeks past the last report time.

The warehouse must agree with Boston's own `on_time` column case by case, under the default rules.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest

from tests.app.test_pages import html_of, run_page
from tests.conftest import Warehouse, built
from warehouse.home.paths import DataHome
from warehouse.ingest.load import load

HEADERS = [
    "case_enquiry_id",
    "open_dt",
    "sla_target_dt",
    "closed_dt",
    "on_time",
    "case_status",
    "closure_reason",
    "case_title",
    "subject",
    "reason",
    "type",
    "queue",
    "department",
    "neighborhood",
    "ward",
    "precinct",
    "location_zipcode",
    "latitude",
    "longitude",
    "source",
]

# id, open_dt, sla_target_dt, closed_dt, on_time, case_status, neighborhood, ward — the last report is on
# 2024-03-05; the close times run to 2024-04-10, so the data clock is 2024-04-10 16:30
CASES = [
    (
        "101005200001",
        "2024-03-01 09:00:00",
        "2024-03-04 09:00:00",
        "2024-03-02 10:00:00",
        "ONTIME",
        "Closed",
        "Downtown",
        "Ward 3",
    ),  # closed on time
    (
        "101005200002",
        "2024-03-01 10:00:00",
        "2024-03-02 10:00:00",
        "2024-03-08 11:00:00",
        "OVERDUE",
        "Closed",
        "Downtown",
        "03",
    ),  # closed late
    (
        "101005200003",
        "2024-03-02 08:00:00",
        "2024-03-20 08:00:00",
        "",
        "OVERDUE",
        "Open",
        "Downtown",
        " 3 ",
    ),  # open, its target passed after the last report
    (
        "101005200004",
        "2024-03-04 12:00:00",
        "2024-05-01 12:00:00",
        "",
        "ONTIME",
        "Open",
        "South Boston",
        "Ward 7",
    ),  # open before its target
    (
        "101005200005",
        "2024-03-03 13:00:00",
        "",
        "",
        "ONTIME",
        "Open",
        "South Boston",
        "Ward 7",
    ),  # no target, open: never overdue
    (
        "101005200006",
        "2024-03-03 14:00:00",
        "",
        "2024-03-04 09:00:00",
        "ONTIME",
        "Closed",
        "South Boston",
        "Ward  7",
    ),  # no target, closed: on time
    (
        "101005200007",
        "2024-03-04 08:00:00",
        "2024-03-10 08:00:00",
        "2024-03-06 09:00:00",
        "OVERDUE",
        "Pending",
        "Downtown",
        "Ward 3",
    ),  # status says open, a close time is present
    (
        "101005200008",
        "2024-03-05 08:00:00",
        "2024-03-06 08:00:00",
        "2024-04-02 15:00:00",
        "OVERDUE",
        "Closed",
        "South Boston",
        "Ward 7",
    ),  # closed four weeks late
    (
        "101005200009",
        "2024-03-05 09:30:00",
        "2024-04-15 09:30:00",
        "2024-04-10 16:30:00",
        "ONTIME",
        "Closed",
        "",
        "",
    ),  # no division; the latest close: the clock
]
CLOCK = datetime(2024, 4, 10, 16, 30)
LAST_REPORT = datetime(2024, 3, 5, 9, 30)

# written as docs/profiles.md's walkthrough says, for the field names of Boston's current export
PROFILE = r"""
name: boston311_current
source: platform
entity: cases
description: City of Boston 311 service requests (current field names)
timezone: America/New_York
key: [case_id]
version:
  - column: status
    order: [处置中, 已结案]
  - greatest: [closed_at, reported_at]
geo: {lon: lon, lat: lat, datum: wgs84, bbox: [-71.2, 42.2, -70.9, 42.45]}
columns:
  case_id:         {headers: [case_enquiry_id], type: code, required: true}
  reported_at:     {headers: [open_dt], type: timestamp, required: true}
  closed_at:       {headers: [closed_dt], type: timestamp}
  deadline_at:     {headers: [sla_target_dt], type: timestamp}
  status:
    headers: [case_status]
    type: string
    values: {处置中: [Open, Pending], 已结案: [Closed]}
  boston_on_time:  {headers: [on_time], type: string}
  category_major:  {headers: [reason], type: string, required: true}
  category_minor:  {headers: [type], type: string}
  department_name: {headers: [department], type: string}
  street_name:     {headers: [neighborhood], type: string}
  community_name:
    headers: [ward]
    type: string
    normalize: [{pattern: '(?i)(?:ward\s*)?0*([1-9][0-9]*)', to: 'Ward \1'}]
  source_channel:
    headers: [source]
    type: string
    values: {12345热线: [Constituent Call], 公众上报: [Citizens Connect App]}
  lat:             {headers: [latitude], type: double}
  lon:             {headers: [longitude], type: double}
  description:     {headers: [case_title], type: text}
"""


def write_export(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADERS)
        writer.writeheader()
        for i, (case_id, opened, target, closed, on_time, status, hood, ward) in enumerate(CASES):
            writer.writerow(
                {
                    "case_enquiry_id": case_id,
                    "open_dt": opened,
                    "sla_target_dt": target,
                    "closed_dt": closed,
                    "on_time": on_time,
                    "case_status": status,
                    "closure_reason": "Case Resolved." if closed else "",
                    "case_title": "Pothole",
                    "subject": "Public Works Department",
                    "reason": "Highway Maintenance",
                    "type": "Request for Pothole Repair",
                    "queue": "PWDx_District 1C: Downtown",
                    "department": "PWDx",
                    "neighborhood": hood,
                    "ward": ward,
                    "precinct": "",
                    "location_zipcode": "02108",
                    # the Pending request has no coordinates either: one row, two flags
                    "latitude": "" if status == "Pending" else f"{42.35 + i / 1000:.4f}",
                    "longitude": "-71.06",
                    "source": "Constituent Call" if i % 2 else "Citizens Connect App",
                }
            )


@pytest.fixture(scope="module")
def boston(tmp_path_factory) -> Warehouse:
    root = tmp_path_factory.mktemp("boston_current")
    home = DataHome(root / "home")
    write_export(home.landing / "boston_311_2024-03.csv")
    profile = root / "boston311_current.yml"
    profile.write_text(PROFILE, encoding="utf-8")
    report = load(home, profile_paths=[profile])
    assert report.rejected == [] and report.files[0].rows_accepted == len(CASES), report.summary()
    return built(home)


def test_every_verdict_equals_bostons_own(boston):
    got = {
        r[0]: r[1:]
        for r in boston.query(
            "select case_id, is_closed, is_open, is_closed_on_time, is_overdue from fct_platform_cases"
        )
    }
    assert set(got) == {c[0] for c in CASES}
    for case_id, _, _, _, on_time, *_ in CASES:
        is_closed, is_open, closed_on_time, overdue = got[case_id]
        if is_closed:
            assert closed_on_time is (on_time == "ONTIME"), case_id
        else:
            assert is_open and overdue is (on_time == "OVERDUE"), case_id
            assert closed_on_time is False, case_id  # not closed: not closed on time either


def test_a_pending_case_with_a_close_time_stays_open_and_flagged(boston):
    row = boston.query(
        "select current_status, is_open, closed_at, export_closed_at, has_close_time_while_open, "
        "timeline_issue from fct_platform_cases where case_id = '101005200007'"
    )
    assert row == [("处置中", True, None, datetime(2024, 3, 6, 9, 0), True, "有结案时间但状态未结案")]
    # in no closure or on-time count: seven requests fell due in March (targets 03-02 … 03-20, and the two
    # without one when made); closed by its end …01, …02 and …06 (two on time) — not the Pending …07
    ((due, closed, on_time),) = boston.query(
        "select sum(due_cases), sum(closed_cases), sum(closed_on_time_cases) from mart_case_flow_by_street "
        "where period_type = 'month' and period_start = date '2024-03-01'"
    )
    assert (due, closed, on_time) == (7, 3, 2)
    # no disposal stage without a workflow log: 按期处置 is the on-time close
    rates = boston.query(
        "select sum(disposed_on_time_cases), sum(ontime_disposal_due_cases) from mart_case_flow_by_street "
        "where period_type = 'month' and period_start = date '2024-03-01'"
    )
    assert rates == [(2, 7)]
    ((flagged, flags, summary),) = boston.query(
        "select flagged_rows, flags, flag_summary from mart_data_health where lake_table = 'platform/cases'"
    )
    # one row breaks two rules: flagged_rows counts it once, flags twice
    assert (flagged, flags) == (1, 2) and set(summary.split("; ")) == {"有结案时间但状态未结案 1", "缺坐标 1"}


def test_the_clock_is_the_latest_close_time(boston):
    assert boston.query("select as_of_at from intermediate.int_data_clock_computed") == [(CLOCK,)]
    assert boston.query("select max(reported_at) from fct_platform_cases") == [(LAST_REPORT,)]
    assert boston.query("select distinct as_of_at from mart_command_center_kpis") == [(CLOCK,)]


def test_three_ward_wordings_are_one_community(boston):
    wards = dict(boston.query("select case_id, community_code from fct_platform_cases"))
    assert {wards[c[0]] for c in CASES if c[7].strip() in ("Ward 3", "03", "3")} == {"Ward 3"}
    assert {wards[c[0]] for c in CASES if "7" in c[7]} == {"Ward 7"}
    assert sorted(r[0] for r in boston.query("select community_code from dim_communities")) == [
        "UNASSIGNED",
        "Ward 3",
        "Ward 7",
    ]


def test_the_blank_division_is_unassigned_and_adds_up(boston):
    assert boston.query(
        "select street_code, street_name, community_code, community_name from fct_platform_cases "
        "where case_id = '101005200009'"
    ) == [("UNASSIGNED", "未划分", "UNASSIGNED", "未划分")]
    streets = dict(
        boston.query(
            "select street_name, sum(reported_cases) from mart_case_flow_by_street "
            "where period_type = 'month' group by 1"
        )
    )
    assert streets == {"Downtown": 4, "South Boston": 4, "未划分": 1}
    # not ranked: a ranking compares divisions, the unassigned member is none
    assert boston.query("select count(*) from mart_street_ranking where street_code = 'UNASSIGNED'") == [(0,)]


def test_the_blank_division_is_unassigned_on_the_pages(monkeypatch, boston):
    at = run_page(monkeypatch, boston.home.root, "views/funnel.py")
    assert not at.exception, [e.value for e in at.exception]
    assert "未划分" in at.sidebar.selectbox[0].options  # the street filter
    # the funnel's breakdown by street, March: the unassigned request is a row of its own
    at.session_state["desk_period_month"] = "2024-03"
    at.session_state["funnel_tab"] = "分项对比"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    table = next(df.value for df in at.dataframe if "group_name" in df.value.columns)
    reported = dict(zip(table["group_name"], table["reported"], strict=True))
    assert reported == {"Downtown": 4, "South Boston": 4, "未划分": 1}
    at = run_page(monkeypatch, boston.home.root, "views/command_center.py")
    assert not at.exception, [e.value for e in at.exception]
    # nothing was reported in the 30 days before the clock: the panels say so instead of staying blank
    assert html_of(at).count("近30日暂无数据") == 3
    # the footer's clock comes from the warehouse: the latest close, weeks after the last report
    assert "数据截至 2024-04-10 16:30:00" in at.caption[-1].value.replace("\\:", ":")


def test_a_city_whose_rule_differs_says_so_in_its_profile(tmp_path):
    """`no_deadline: unknown`: requests without a target are not judged — on-time NULL, out of the 按期 rates."""
    home = DataHome(tmp_path / "home")
    write_export(home.landing / "boston_311_2024-03.csv")
    profile = tmp_path / "boston311_unjudged.yml"
    profile.write_text(
        PROFILE.replace("timezone: America/New_York", "timezone: America/New_York\nno_deadline: unknown"),
        encoding="utf-8",
    )
    load(home, profile_paths=[profile])
    wh = built(home)
    got = {
        r[0]: r[1:] for r in wh.query("select case_id, is_closed_on_time, is_overdue from fct_platform_cases")
    }
    assert got["101005200005"] == got["101005200006"] == (None, False)
    assert got["101005200001"] == (True, False)  # a request with a target is judged as before
    ((due, known),) = wh.query(
        "select sum(due_cases), sum(ontime_due_cases) from mart_case_flow_by_street "
        "where period_type = 'month' and period_start = date '2024-03-01'"
    )
    assert (due, known) == (7, 5)
