"""Every page renders without an exception, on a built demo warehouse and on an empty data home."""

import json
import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from warehouse.release.releases import current_release_db, read_meta

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
PAGES = ["views/command_center.py", "views/map.py", "views/data_health.py"]


# The role each page is tested as: one the page is for (issue 18's table).
PAGE_ROLE = {
    "command_center": "leader",
    "map": "leader",
    "workbench": "analyst",
    "data_health": "analyst",
    "users": "admin",
    "audit_log": "admin",
}
TEST_PASSWORD = "test-password-18"


def signed_in(at: AppTest, home, role: str, street: str | None = None) -> AppTest:
    """Sign ``at``'s session in as a ``role`` account of ``home`` (created if missing), as the sign-in form
    does: the account's record in the session's state."""
    from dashboard.access import SESSION_KEY, session_record
    from warehouse.access.accounts import AccountStore
    from warehouse.home.paths import DataHome

    store, name = AccountStore(DataHome(Path(home))), f"test-{role}"
    if store.get(name) is None:
        store.add(name, role, TEST_PASSWORD, street or ("S-TEST" if role == "street" else None))
    account = store.get(name)
    at.session_state[SESSION_KEY] = session_record(name, role, account.street)
    return at


def run_page(
    monkeypatch,
    home,
    page: str,
    params: dict | None = None,
    lang: str = "zh",
    role: str | None = None,
    state: dict | None = None,
) -> AppTest:
    """``page`` drawn once for a ``role`` user in ``lang``; ``state``: session state set before it is drawn."""
    monkeypatch.setenv("GRIDPULSE_HOME", str(home))
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    # The first run draws the role's landing page in Chinese: AppTest formats its widgets' values outside
    # the script run (in Chinese) when the next run starts, so the language is switched only after it.
    at.session_state["lang"] = "zh"
    signed_in(at, home, role or PAGE_ROLE.get(Path(page).stem, "organization"))
    at.run()  # registers st.navigation's pages (custom url paths)
    at.session_state["lang"] = at.session_state["lang_choice"] = lang  # as the sidebar's language switch does
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.switch_page(page)
    return at.run()


def html_of(at: AppTest) -> str:
    """The page's markdown and its st.html blocks (the screens' panels, the desk pages' data markers)."""
    return "\n".join(str(m.value) for m in [*at.markdown, *at.get("html")])


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
    rows = warehouse.query("select kpi_code, kpi_value from mart_screen_kpis where street_code is null")
    shown = [code for code, _ in rows if f"data-kpi='{code}'" in html]
    assert set(shown) == {
        "cases_reported",
        "cases_open",
        "cases_overdue",
        "closure_rate",
        "ontime_closure_rate",
        "satisfaction_rate",
    }
    for code, value in rows:
        if code in shown:
            assert f"data-kpi='{code}' data-value='{value}'" in html
    assert "display: none" in html  # kiosk styling hides the chrome
    assert len(at.get("deck_gl_json_chart")) == 1


def kpi_values(html: str) -> dict[str, float | None]:
    return {
        code: None if value == "None" else float(value)
        for code, value in re.findall(r"data-kpi='(\w+)' data-value='([^']*)'", html)
    }


def test_kpi_cards_follow_the_street_filter_and_agree_with_the_desk(monkeypatch, warehouse):
    """Issue 16: a street's cards show that street's numbers; 结案率 / 按期结案率 equal the desk's (same month)."""
    from dashboard.queries import Filter, desk

    street, today = warehouse.query(
        "select min(street_code), (select max(today_date) from mart_command_center_kpis) from dim_streets"
    )[0]
    monkeypatch.setenv("GRIDPULSE_HOME", str(warehouse.home.root))
    at = signed_in(AppTest.from_file(APP, default_timeout=120), warehouse.home.root, "leader")
    at.session_state["lang"] = "zh"
    at.session_state["street_code"] = street
    at.run()
    at.switch_page(PAGES[0]).run()
    assert not at.exception, [e.value for e in at.exception]
    cards = kpi_values(html_of(at))
    reported, open_, overdue = warehouse.query(
        "select count(*) filter (where reported_date = ?), count(*) filter (where is_open), "
        "count(*) filter (where is_overdue) from fct_platform_cases where street_code = ?",
        [today, street],
    )[0]
    assert (cards["cases_reported"], cards["cases_open"], cards["cases_overdue"]) == (
        reported,
        open_,
        overdue,
    )
    month = today.replace(day=1)
    end = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    flow = desk.flow_breakdown(Filter(start=month, end=end, street=street, period_type="month"), "all").row(
        0, named=True
    )
    assert cards["closure_rate"] == pytest.approx(flow["closure_rate"])
    assert cards["ontime_closure_rate"] == pytest.approx(flow["ontime_closure_rate"])
    html = html_of(at)
    assert "本月至今 · 应结案" in html and "（件）" in html and "（%）" in html
    # the overdue card splits by age and drills to the list
    ages = warehouse.query(
        "select kpi_code, kpi_value from mart_screen_kpis where street_code = ? and kpi_code like 'overdue%'",
        [street],
    )
    assert sum(v for c, v in ages if c != "overdue_new_today") == overdue
    assert "≤7天" in html and "今日新增" in html

    # a click on the button under the overdue card opens the list (issue 16: a drill, not an expander)
    def overdue_lists() -> list:
        return [d.value for d in at.dataframe if {"case_id", "days_overdue"} <= set(d.value.columns)]

    assert not at.expander and not overdue_lists()
    at.button(key="cc_overdue_drill").click().run()
    assert not at.exception, [e.value for e in at.exception]
    (listing,) = overdue_lists()
    assert len(listing) == min(200, overdue)
    assert overdue <= 200 or f"共 {overdue:,} 条" in " ".join(c.value for c in at.caption)
    at.button(key="cc_overdue_drill").click().run()  # and closes it
    assert not overdue_lists()


def test_carousel_cards_show_the_street_named_in_the_title(monkeypatch, warehouse):
    at = run_page(monkeypatch, warehouse.home.root, PAGES[0], {"kiosk": "1", "carousel": "1"})
    codes = {name: code for code, name in warehouse.query("select street_code, street_name from dim_streets")}
    seen = set()
    for _ in range(2):  # every refresh moves the screen on by one street (or to the city)
        html = html_of(at)
        title = re.search(r"cc-sub'>([^<·]*) ·", html).group(1).strip()
        street = codes.get(title)  # None: the whole city
        want = dict(
            warehouse.query(
                "select kpi_code, kpi_value from mart_screen_kpis where street_code is not distinct from ?",
                [street],
            )
        )
        cards = kpi_values(html)
        assert cards["cases_open"] == want["cases_open"], title
        assert cards["closure_rate"] == pytest.approx(want["closure_rate"]), title
        seen.add(street)
        at.run()
    assert len(seen) == 2 and seen - {None}


def test_the_wall_has_no_text_under_16_px():
    """Every font size of the wall's styles (dashboard/styles: the panels with the wall's palette), with the
    palette's variables resolved."""
    from dashboard.panels import screen_styles

    css = screen_styles(True)
    palette = dict(re.findall(r"(--[\w-]+):\s*([^;]+);", css))
    sizes = [palette.get(v, v) for v in re.findall(r"font-size:\s*(?:var\()?([^;)}]+)", css)]
    assert sizes and all(re.fullmatch(r"\d+px", s) for s in sizes), sizes
    assert min(int(s[:-2]) for s in sizes) >= 16, sizes


# Streamlit's frontend loads its emoji plugin for markdown that matches this (frontend's StreamlitMarkdown).
EMOJI_SHORTCODE = re.compile(r":(?!material/|streamlit:)[\w+-][\w_+-]*:", re.ASCII)


def test_footer_stamps_the_latest_record_and_the_release_time(monkeypatch, warehouse):
    at = run_page(monkeypatch, warehouse.home.root, PAGES[1])
    as_of = warehouse.query("select max(as_of_at) from mart_command_center_kpis")[0][0]
    built = read_meta(current_release_db(warehouse.home).parent)["finished_at"]
    footer = at.caption[-1].value
    # markdown source: colons escaped, so a clock time is not an emoji shortcode (no plugin download)
    assert not EMOJI_SHORTCODE.search(footer), footer
    shown = footer.replace("\\:", ":")
    assert f"数据截至 {as_of}" in shown and f"版本生成于 {built}" in shown, shown


def test_english_switch_covers_the_labels(monkeypatch, warehouse):
    zh = html_of(run_page(monkeypatch, warehouse.home.root, PAGES[0], {"kiosk": "1"}))
    en = html_of(run_page(monkeypatch, warehouse.home.root, PAGES[0], {"kiosk": "1"}, lang="en"))
    assert "按期结案率" in zh and "On-time closure" in en and "按期结案率" not in en


def test_map_street_filter_and_grid_cases(monkeypatch, warehouse):
    at = run_page(monkeypatch, warehouse.home.root, PAGES[1])
    assert len(at.get("deck_gl_json_chart")) == 1
    ((street_code, street_name),) = warehouse.query(
        "select street_code, street_name from dim_streets order by 1 limit 1"
    )
    at.sidebar.selectbox[0].set_value(street_code).run()
    assert not at.exception
    grids = at.main.selectbox[0].options
    n_grids = warehouse.query("select count(*) from dim_grids where street_code = ?", [street_code])[0][0]
    assert len(grids) == n_grids
    # No grid's cases until one is picked (a click on the map, or this list: busiest first) …
    assert at.main.selectbox[0].value is None and not at.main.dataframe
    busiest = grids[0].split(" · ")[-1]  # options show "name · code"
    per_grid = dict(
        warehouse.query(
            "select grid_code, count(*) from fct_platform_cases where street_code = ? and reported_date between ? and ? "
            "group by 1",
            [street_code, *at.sidebar.date_input[0].value],
        )
    )
    assert per_grid[busiest] == max(per_grid.values())
    # … then its recent cases, newest first, at most 50.
    at.main.selectbox[0].set_value(busiest).run()
    assert not at.exception
    expected = warehouse.query("select count(*) from fct_platform_cases where grid_code = ?", [busiest])[0][0]
    assert len(at.main.dataframe[0].value) == min(50, expected)
    # labelled columns, and a capped list says how many it holds (issue 16)
    config = json.loads(at.main.dataframe[0].proto.columns)
    assert config["case_id"]["label"] == "案件编号" and config["is_overdue"]["label"] == "超期"
    assert expected <= 50 or f"显示 50 / 共 {expected:,} 条" in " ".join(c.value for c in at.main.caption)
    assert at.main.subheader[0].value.startswith(grids[0].split(" · ")[0])


def test_map_filter_that_selects_nothing_says_so(monkeypatch, warehouse):
    at = run_page(monkeypatch, warehouse.home.root, PAGES[1])
    first = warehouse.query("select min(reported_date) from fct_platform_cases")[0][0]
    at.sidebar.date_input[0].set_value((first, first)).run()
    at.sidebar.multiselect[0].set_value(["无人机巡查"]).run()
    at.sidebar.multiselect[1].set_value(["房屋土地"]).run()
    assert not at.exception
    n = warehouse.query(
        "select count(*) from fct_platform_cases where reported_date = ? and source_channel = '无人机巡查' "
        "and category_major = '房屋土地'",
        [first],
    )[0][0]
    if n == 0:
        assert any("没有数据" in w.value for w in at.warning)


def test_a_new_release_is_picked_up_without_restart(monkeypatch, warehouse, tmp_path):
    """Switch `current` to another release while the app runs: the next run shows its data."""
    import shutil

    import duckdb

    from warehouse.home.paths import DataHome
    from warehouse.release.releases import DB_NAME, switch_current

    home = DataHome(tmp_path / "home")
    first, second = home.releases / "r1", home.releases / "r2"
    for folder in (first, second):
        folder.mkdir(parents=True)
        shutil.copy(warehouse.release_db, folder / DB_NAME)
    con = duckdb.connect(str(second / DB_NAME))
    con.execute(
        "update mart_screen_kpis set kpi_value = 98765 where kpi_code = 'cases_reported' and street_code is null"
    )
    con.close()
    switch_current(home, first)
    monkeypatch.setenv("GRIDPULSE_HOME", str(home.root))
    at = signed_in(AppTest.from_file(APP, default_timeout=90), home.root, "leader")
    at.query_params["kiosk"] = "1"
    at.run()
    assert "98,765" not in html_of(at)
    switch_current(home, second)
    at.run()
    assert not at.exception
    assert "data-kpi='cases_reported' data-value='98765.0'" in html_of(at)


def test_every_label_has_both_languages():
    from dashboard.i18n import LABELS

    missing = [key for key, (zh, en) in LABELS.items() if not zh.strip() or not en.strip()]
    assert missing == []


def test_map_layers_toggle_on(monkeypatch, warehouse):
    """The layers a user turns on (density hexagons, devices, case cells) draw without an error."""
    at = run_page(monkeypatch, warehouse.home.root, PAGES[1])
    for box in at.checkbox:
        if not box.disabled:
            box.check()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    spec = at.get("deck_gl_json_chart")[0].proto.json
    for layer in ("grids", "bins", "density", "devices_0"):
        assert f'"id":"{layer}"' in spec, layer
    # the density layer is flat; camera and sensor markers are separate layers, each named in the legend
    assert '"id":"density"' in spec and '"extruded":false' in spec.split('"id":"density"')[1][:400]
    types = [
        r[0] for r in warehouse.query("select device_type from dim_devices group by 1 order by count(*) desc")
    ]
    legend = next(h.proto.body for h in at.get("html") if "map-legend" in h.proto.body)
    assert all(f"{kind}</span>" in legend for kind in types) and "街道边界" in legend


HOSTILE = "<script>alert(1)</script>"


def test_export_text_on_the_command_center_is_escaped(monkeypatch, warehouse, tmp_path):
    """Street names and categories come from the source systems' exports: on the screen's panels (title, street
    board, urgent list) a name holding markup shows as text, never as an element."""
    import shutil

    import duckdb

    from warehouse.home.paths import DataHome

    copy = DataHome(tmp_path / "home")
    shutil.copytree(
        warehouse.home.root, copy.root, symlinks=True, ignore=shutil.ignore_patterns("landing", "lake*")
    )
    con = duckdb.connect(str(current_release_db(copy)))
    tables = con.execute(
        "select distinct c.table_schema, c.table_name, c.column_name from information_schema.columns c "
        "join information_schema.tables t using (table_schema, table_name) where t.table_type = "
        "'BASE TABLE' and c.column_name in ('street_name', 'category_minor')"
    ).fetchall()
    for schema, table, column in tables:
        con.execute(f'update "{schema}"."{table}" set "{column}" = ? || "{column}"', [HOSTILE])
    con.close()
    at = run_page(monkeypatch, copy.root, PAGES[0], role="leader")
    assert not at.exception, [e.value for e in at.exception]
    html = html_of(at)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
