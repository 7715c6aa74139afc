"""Every page renders without an exception, on a built demo warehouse and on an empty data home."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
PAGES = ["pages/command_center.py", "pages/map.py", "pages/data_health.py"]


def run_page(monkeypatch, home, page: str, params: dict | None = None, lang: str = "zh") -> AppTest:
    monkeypatch.setenv("GRIDPULSE_HOME", str(home))
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.session_state["lang"] = lang
    at.switch_page(page)
    return at.run()


def html_of(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


@pytest.mark.parametrize("page", PAGES)
def test_pages_render_on_the_demo(monkeypatch, warehouse, page):
    at = run_page(monkeypatch, warehouse.home.root, page)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error


@pytest.mark.parametrize("page", PAGES)
def test_pages_on_an_empty_home_say_what_to_run(monkeypatch, tmp_path, page):
    at = run_page(monkeypatch, tmp_path / "empty", page)
    assert not at.exception
    assert any("gridpulse build" in i.value for i in at.info)


def test_command_center_kpis_equal_the_mart(monkeypatch, warehouse):
    at = run_page(monkeypatch, warehouse.home.root, PAGES[0], {"kiosk": "1"})
    html = html_of(at)
    rows = warehouse.query("select kpi_code, value_today from mart_command_center_kpis")
    shown = [code for code, _ in rows if f"data-kpi='{code}'" in html]
    assert set(shown) >= {"cases_reported", "cases_open", "cases_overdue", "closure_rate", "ontime_closure_rate",
                          "satisfaction_rate"}
    for code, value in rows:
        if code in shown:
            assert f"data-kpi='{code}' data-value='{value}'" in html
    assert "display: none" in html  # kiosk styling hides the chrome
    assert len(at.get("deck_gl_json_chart")) == 1


def test_english_switch_covers_the_labels(monkeypatch, warehouse):
    zh = html_of(run_page(monkeypatch, warehouse.home.root, PAGES[0], {"kiosk": "1"}))
    en = html_of(run_page(monkeypatch, warehouse.home.root, PAGES[0], {"kiosk": "1"}, lang="en"))
    assert "按期结案率" in zh and "On-time closure" in en and "按期结案率" not in en


def test_map_street_filter_and_grid_cases(monkeypatch, warehouse):
    at = run_page(monkeypatch, warehouse.home.root, PAGES[1])
    assert len(at.get("deck_gl_json_chart")) == 1
    (street_code, street_name), = warehouse.query("select street_code, street_name from dim_streets order by 1 limit 1")
    at.sidebar.selectbox[0].set_value(street_code).run()
    assert not at.exception
    grids = at.main.selectbox[0].options
    n_grids = warehouse.query("select count(*) from dim_grids where street_code = ?", [street_code])[0][0]
    assert len(grids) == n_grids
    # The grid picked by default (the busiest) shows its recent cases, newest first, at most 50.
    busiest = grids[0].split(" · ")[-1]  # options show "name · code"
    expected = warehouse.query("select count(*) from fct_platform_cases where grid_code = ?", [busiest])[0][0]
    assert len(at.main.dataframe[0].value) == min(50, expected)


def test_map_filter_that_selects_nothing_says_so(monkeypatch, warehouse):
    at = run_page(monkeypatch, warehouse.home.root, PAGES[1])
    first = warehouse.query("select min(reported_date) from fct_platform_cases")[0][0]
    at.sidebar.date_input[0].set_value((first, first)).run()
    at.sidebar.multiselect[0].set_value(["无人机巡查"]).run()
    at.sidebar.multiselect[1].set_value(["房屋土地"]).run()
    assert not at.exception
    n = warehouse.query(
        "select count(*) from fct_platform_cases where reported_date = ? and source_channel = '无人机巡查' "
        "and category_major = '房屋土地'", [first])[0][0]
    if n == 0:
        assert any("没有数据" in w.value for w in at.warning)
