"""Every page on a release built from the NYC 311 sample alone: no exception, and what is missing is said plainly.

That data home has platform cases only — no workflow log, grid events, report-in, property data,
boundaries or devices — so each page must show what exists and name the systems it lacks.
"""

from __future__ import annotations

import pytest

from tests.app.test_pages import run_page

PAGES = [
    "command_center",
    "map",
    "funnel",
    "street_ranking",
    "department_ranking",
    "report_in",
    "property_lists",
    "workbench",
    "data_health",
]
# page → words its notes must contain (in Chinese; the English run checks the same notes exist)
SAYS_MISSING = {
    "command_center": ["网格事件", "双报到"],
    "map": ["边界"],
    "funnel": ["流转日志"],
    "street_ranking": ["网格自办率", "报到率"],
    "department_ranking": ["流转日志", "网格事件"],
    "report_in": ["双报到"],
    "property_lists": ["物业考评"],
    "data_health": [],
    "workbench": [],
}


def notes(at) -> str:
    return "\n".join(
        str(x.value) for x in [*at.info, *at.warning, *at.caption, *at.markdown, *at.get("html")]
    )


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_a_311_only_release(monkeypatch, nyc_warehouse, page):
    at = run_page(monkeypatch, nyc_warehouse.home.root, f"views/{page}.py")
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    text = notes(at)
    for word in SAYS_MISSING[page]:
        assert word in text, f"{page} does not say that {word} is missing"


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_in_english_on_a_311_only_release(monkeypatch, nyc_warehouse, page):
    at = run_page(monkeypatch, nyc_warehouse.home.root, f"views/{page}.py", lang="en")
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error


def test_data_health_lists_what_was_loaded(monkeypatch, nyc_warehouse):
    at = run_page(monkeypatch, nyc_warehouse.home.root, "views/data_health.py")
    table = next(df.value for df in at.dataframe if "数据来源" in df.value.columns)
    state = dict(zip(table["数据来源"], table["状态"], strict=True))
    assert "已导入" in state["城运平台案件"]
    for source in ("流转日志", "网格事件", "双报到", "物业考评", "区划边界", "设备台账"):
        assert "未导入" in state[source], source


def test_funnel_shows_two_steps_without_a_workflow_log(monkeypatch, nyc_warehouse):
    at = run_page(monkeypatch, nyc_warehouse.home.root, "views/funnel.py")
    ((reported, closed),) = nyc_warehouse.query(
        "select count(*), count(*) filter (where is_closed) from fct_platform_cases"
    )
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["上报数"] == f"{reported:,}"
    assert metrics["本期上报已结案"] == f"{closed / reported:.1%}"
    # no Due Date: on time once closed (BRIEF §4), so 按期结案率 = 结案率 of the requests due
    ((due, on_time),) = nyc_warehouse.query(
        "select sum(due_cases), sum(closed_on_time_cases) from mart_case_flow_by_street "
        "where period_type = 'month'"
    )
    assert metrics["按期结案率"] == f"{on_time / due:.1%}"
    assert "只知道上报和结案" in notes(at)


def test_map_without_boundaries_draws_case_cells(monkeypatch, nyc_warehouse):
    at = run_page(monkeypatch, nyc_warehouse.home.root, "views/map.py")
    spec = at.get("deck_gl_json_chart")[0].proto.json
    assert '"id":"bins"' in spec and '"id":"grids"' not in spec
    ((located,),) = nyc_warehouse.query("select count(*) from fct_platform_cases where lon is not null")
    assert spec.count('"polygon":') > 0 and located > 0
