"""A row whose division the city does not know never fails a build: it is counted under 未划分 (issue 15).

A Chinese city's data home with its boundary file, grid events and platform cases, where some rows name a
grid code the boundary file does not hold, or no street / community at all. `gridpulse build` passes its
relationship tests, and those rows are counted under the explicit unassigned member — not silently missing
from street totals while present in the city total.
"""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import Warehouse, built
from tests.exports import GRID_EVENT_HEADERS, grid_event, write_csv
from warehouse.home.paths import DataHome
from warehouse.ingest.load import load

KNOWN_GRID, UNKNOWN_GRID = "990102001001001", "990999999999999"
CASE_HEADERS = [
    "案卷编号",
    "问题来源",
    "问题类型",
    "大类",
    "小类",
    "所属街道",
    "所属社区",
    "单元网格",
    "上报时间",
    "经度",
    "纬度",
]


def case(case_id: str, street: str, community: str, grid: str) -> list[str]:
    return [
        case_id,
        "信息采集员",
        "部件",
        "公用设施",
        "上水井盖",
        street,
        community,
        grid,
        "2025-03-05 10:00:00",
        "112.95",
        "28.23",
    ]


@pytest.fixture(scope="module")
def unknown_divisions(warehouse, tmp_path_factory) -> Warehouse:
    home = DataHome(tmp_path_factory.mktemp("unknown_grid") / "home")
    shutil.copytree(warehouse.home.landing / "网格系统", home.landing / "网格系统")
    write_csv(
        home.landing / "网格事件" / "events.csv",
        GRID_EVENT_HEADERS,
        [
            grid_event("E1", 网格编号=KNOWN_GRID, 所属街道="", 所属社区=""),
            grid_event("E2", 网格编号=UNKNOWN_GRID, 所属街道="", 所属社区=""),  # nothing known
            grid_event(
                "E3", 网格编号=UNKNOWN_GRID, 所属街道="澜汀街道", 所属社区="润泽社区"
            ),  # named divisions
        ],
    )
    write_csv(
        home.landing / "城运平台" / "cases.csv",
        CASE_HEADERS,
        [
            case("C1", "", "", KNOWN_GRID),
            case("C2", "", "", UNKNOWN_GRID),
            case("C3", "澜汀街道", "", UNKNOWN_GRID),  # a street, no community
        ],
    )
    report = load(home)
    assert report.rejected == [] and sum(f.rows_accepted for f in report.files) > 6, report.summary()
    return built(home)  # asserts every relationship test passed


def test_unknown_grid_codes_build_and_keep_the_reported_code(unknown_divisions):
    events = {
        r[0]: r[1:]
        for r in unknown_divisions.query(
            "select event_id, grid_code, reported_grid_code, street_name, community_name from fct_grid_events"
        )
    }
    assert events["E1"] == (KNOWN_GRID, KNOWN_GRID, "澜汀街道", "润泽社区")
    assert events["E2"] == (None, UNKNOWN_GRID, "未划分", "未划分")
    assert events["E3"] == (None, UNKNOWN_GRID, "澜汀街道", "润泽社区")
    cases = {
        r[0]: r[1:]
        for r in unknown_divisions.query(
            "select case_id, grid_code, reported_grid_code, street_code, community_code from fct_platform_cases"
        )
    }
    assert cases["C2"] == (None, UNKNOWN_GRID, "UNASSIGNED", "UNASSIGNED")
    assert (
        cases["C3"][:2] == (None, UNKNOWN_GRID)
        and cases["C3"][2] != "UNASSIGNED"
        and cases["C3"][3] == "UNASSIGNED"
    )


def test_unassigned_rows_are_counted_under_the_unassigned_member(unknown_divisions):
    assert unknown_divisions.query(
        "select street_name, is_unassigned from dim_streets where is_unassigned"
    ) == [("未划分", True)]
    assert unknown_divisions.query("select street_code from dim_communities where is_unassigned") == [(None,)]
    by_street = dict(
        unknown_divisions.query(
            "select street_name, sum(reported_cases) from mart_case_flow_by_street where period_type = 'month' "
            "group by 1 having sum(reported_cases) > 0"
        )
    )
    assert by_street == {"澜汀街道": 2, "未划分": 1}  # adds up to the city's three cases
    by_community = dict(
        unknown_divisions.query(
            "select community_name, sum(reported_events) from mart_grid_resolution "
            "group by 1 having sum(reported_events) > 0"
        )
    )
    assert by_community == {"润泽社区": 2, "未划分": 1}
    assert unknown_divisions.query(
        "select count(*) from mart_street_ranking where street_code = 'UNASSIGNED'"
    ) == [(0,)]
