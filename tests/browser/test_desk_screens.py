"""The desk pages in Debian's chromium, as a person at the organization department's desk sees them.

Screenshots go to test-artifacts/desk_*.png. Skipped (with the reason) only where chromium or the CJK
fonts are missing — `make test` installs both when run as root, as CI does.
"""

from __future__ import annotations

import io
import os
import re
import signal
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from dashboard import bulletin
from tests.browser.server import ARTIFACTS, browser_available, chromium, role_accounts, serve, sign_in
from tests.browser.test_screens import CJK_RENDERS, LOCAL
from tests.conftest import Warehouse

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not browser_available(), reason="needs /usr/bin/chromium (apt-get install chromium)"),
]

CHART_DRAWN = """() => [...document.querySelectorAll(
    "[data-testid='stVegaLiteChart'] svg, [data-testid='stVegaLiteChart'] canvas")]
    .some(e => e.getBoundingClientRect().width > 0)"""
WIDTH, HEIGHT = 1600, 2400  # tall enough for a full-page picture: Streamlit scrolls inside its own container


def stop_streamlit_on(port: int) -> None:
    """Stop the streamlit process serving ``port``: `gridpulse serve` runs it as a child, and stopping the
    parent alone leaves it running. Only the process started for this module's port is touched."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in b" ".join(args) and str(port).encode() in args and b"--server.port" in args:
            try:
                os.kill(int(proc.name), signal.SIGKILL)
            except OSError:
                pass


@pytest.fixture(scope="module")
def desk(warehouse: Warehouse) -> Iterator[tuple[str, object]]:
    ARTIFACTS.mkdir(exist_ok=True)
    role_accounts(warehouse.home.root)
    with serve(warehouse.home.root) as url, chromium() as browser:
        try:
            warm = browser.new_page()  # the first session pays the imports (and resolves the page list) once
            warm.goto(url)
            sign_in(warm, "organization")
            warm.wait_for_selector("[data-testid='stSidebarNav']", timeout=120000)
            warm.close()
            yield url, browser
        finally:
            stop_streamlit_on(int(url.rsplit(":", 1)[1]))


def open_desk_page(browser: Any, url: str, path: str, marker: str) -> tuple[Any, list[str]]:
    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT}, accept_downloads=True)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(LOCAL) else None)
    plugins: list[str] = []  # the markdown renderer's lazily loaded plugins (raw HTML, emoji shortcodes)
    page.on(
        "request",
        lambda r: plugins.append(r.url) if re.search(r"/(rehype-raw|remark-emoji)\.", r.url) else None,
    )
    page.goto(f"{url}/{path}", wait_until="domcontentloaded")
    sign_in(page, "organization")  # the desk's role (issue 18)
    page.wait_for_selector(f"[data-desk-drawn='{marker}']", timeout=120000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120000
    )
    page.wait_for_function(CHART_DRAWN, timeout=60000)
    time.sleep(1.5)  # let the charts finish their first paint
    # Streamlit (1.67) now and then flashes "Page not found" at a fresh session of a st.navigation app
    # although it then runs the requested page; close it so the picture shows the page.
    notice = page.get_by_role("dialog").filter(has_text="Page not found")
    if notice.count():
        page.keyboard.press("Escape")
        notice.wait_for(state="hidden", timeout=10000)
    # the requested page is the one shown (the role's landing page, the funnel, at the app's root URL)
    assert page.url.endswith(f"/{path}") or (path == "funnel" and page.url == f"{url}/"), page.url
    # Panels go through st.html and the footer's clock times are escaped, so no plugin chunk is fetched
    # (each arrived last and re-rendered text while the charts drew); the times still read as written.
    assert plugins == [], plugins
    footer = page.locator("[data-testid='stCaptionContainer']").last.inner_text()
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", footer), footer
    return page, outside


def wait_idle(page: Any) -> None:
    time.sleep(0.5)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60000)
    time.sleep(1)


def assert_clean(page: Any, outside: list[str]) -> str:
    body = page.inner_text("body")
    for bad in ("Traceback", "Error", "KeyError"):
        where = body.find(bad)
        context = body[max(0, where - 300) : where + 300].replace("\n", " | ")
        assert where < 0, f"{bad!r} on the page: …{context}…"
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.evaluate(CJK_RENDERS), "Chinese renders as boxes: install fonts-noto-cjk"
    assert outside == [], outside
    return body


def latest_month(warehouse: Warehouse) -> date:
    return warehouse.query(
        "select max(period_start) from mart_street_ranking where period_type = 'month' and is_complete_period"
    )[0][0]


def test_funnel_screen(desk, warehouse):
    url, browser = desk
    page, outside = open_desk_page(browser, url, "funnel", "funnel")
    page.screenshot(path=str(ARTIFACTS / "desk_funnel.png"), full_page=True)
    body = assert_clean(page, outside)
    month = latest_month(warehouse)
    reported = warehouse.query(
        "select count(*) from fct_platform_cases where reported_at >= ? "
        "and reported_at < ? + interval 1 month",
        [month, month],
    )[0][0]
    kpi = (
        page.locator("[data-testid='stMetric']")
        .filter(has_text="上报数")
        .locator("[data-testid='stMetricValue']")
    )
    assert kpi.inner_text().strip() == f"{reported:,}"
    for words in ("闭环漏斗", "城运案件漏斗", "网格事件漏斗", "停在", "流转时间线"):
        assert words in body, words
    assert page.locator("[data-testid='stVegaLiteChart']").count() == 2  # funnel, side flows
    assert (
        page.locator("[data-testid='stDataFrame']").count() == 1
    )  # the case list; no timeline until one is ticked

    # A click on a case's row opens its timeline: the facts, a chart of its workflow actions and their table.
    grid = page.locator("[data-testid='stDataFrame']").first.bounding_box()
    page.mouse.click(grid["x"] + 16, grid["y"] + 35 + 17)  # the row marker of the first row (header 35 px)
    page.get_by_role("heading", name=re.compile(r"案件 \S+ 的流转时间线")).wait_for(timeout=30000)
    wait_idle(page)
    assert page.locator("[data-testid='stVegaLiteChart']").count() == 3
    assert page.locator("[data-testid='stDataFrame']").count() == 2
    page.screenshot(path=str(ARTIFACTS / "desk_funnel_case.png"), full_page=True)

    # Drill: a click on the 处置 bar lists the cases that stopped there, counted in full (issue 16); a click on
    # 回退 lists the rolled-back ones. The bars' tooltips (their aria-labels) name their fields in Chinese.
    page.locator("[data-testid='stVegaLiteChart'] svg path[aria-label*='阶段: 处置']").first.click(force=True)
    page.get_by_role("heading", name="停在「处置」环节的案件").wait_for(timeout=30000)
    wait_idle(page)
    stopped = warehouse.query(
        "select count(*) from fct_platform_cases join fct_case_stages using (case_id) where reported_at >= ? "
        "and reported_at < ? + interval 1 month and furthest_stage_no = 5 and is_stopped_at_furthest_stage",
        [month, month],
    )[0][0]
    assert stopped > 0
    hint = page.locator("[data-testid='stCaptionContainer']").filter(has_text="勾选一行").last.inner_text()
    assert f"共 {stopped} 件" in hint, hint
    assert (
        page.locator("[data-testid='stDataFrame']").count() == 1
    )  # the list followed (no timeline of before)
    page.locator("[data-testid='stVegaLiteChart'] svg path[aria-label*='支流: 回退']").first.click(force=True)
    page.get_by_role("heading", name="「回退」的案件").wait_for(timeout=30000)
    wait_idle(page)
    rolled_back = warehouse.query(
        "select count(*) from fct_platform_cases join fct_case_stages using (case_id) where reported_at >= ? "
        "and reported_at < ? + interval 1 month and rollback_count > 0",
        [month, month],
    )[0][0]
    hint = page.locator("[data-testid='stCaptionContainer']").filter(has_text="勾选一行").last.inner_text()
    assert f"共 {rolled_back} 件" in hint, hint
    wait_idle(page)
    page.screenshot(path=str(ARTIFACTS / "desk_funnel_drill.png"), full_page=True)

    # The grid-event tab: resolution levels ("小事不出网格").
    page.get_by_role("tab", name="网格事件漏斗").click()
    page.wait_for_selector("text=网格自办率", timeout=30000)
    time.sleep(1)
    page.screenshot(path=str(ARTIFACTS / "desk_funnel_events.png"), full_page=True)
    page.close()


def test_street_ranking_screen_answers_who_fell_and_why(desk, warehouse):
    url, browser = desk
    page, outside = open_desk_page(browser, url, "street-ranking", "street-ranking")
    page.screenshot(path=str(ARTIFACTS / "desk_street_ranking.png"), full_page=True)
    body = assert_clean(page, outside)
    month = latest_month(warehouse)
    code, name, change = warehouse.query(
        "select street_code, street_name, any_value(rank_change) from mart_street_ranking "
        "where period_type = 'month' and period_start = ? group by 1, 2 order by 3 nulls last, 1 limit 1",
        [month],
    )[0]
    assert change < 0
    callout = page.locator(".desk-callout")
    assert callout.get_attribute("data-faller") == code
    metric = callout.get_attribute("data-metric")
    metric_name = warehouse.query(
        "select any_value(metric_name) from mart_street_ranking where metric_code = ?", [metric]
    )[0][0]
    text = callout.inner_text()
    assert "下降最多" in text and name in text and metric_name in text
    assert "变化原因" in body and "权重模拟" in body

    # The 通报 downloads from the page and holds the mart's ranks.
    with page.expect_download() as download:
        page.get_by_role("button", name="导出通报（Excel）").click()
    assert download.value.suggested_filename.endswith("街道综合排名通报.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    sheet = book[bulletin.SHEET_RANKING]
    mart = warehouse.query(
        "select any_value(composite_rank), street_name from mart_street_ranking "
        "where period_type = 'month' and period_start = ? group by 2 order by 1, 2",
        [month],
    )
    got = [
        (r[0], r[1])
        for r in sheet.iter_rows(
            min_row=bulletin.HEADER_ROW + 2,
            max_row=bulletin.HEADER_ROW + 1 + len(mart),
            max_col=2,
            values_only=True,
        )
    ]
    assert got == mart

    # The 通报 as a Word document, from the button beside it: the same ranks, in the same order.
    with page.expect_download(timeout=120000) as download:
        page.get_by_role("button", name="下载通报（Word）").click()
    assert download.value.suggested_filename.endswith("街道综合排名情况的通报.docx")
    doc = docx.Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    got = [(int(r.cells[0].text), r.cells[2].text.rstrip("※")) for r in doc.tables[0].rows[1:]]
    assert got == mart
    page.close()


def test_street_ranking_in_english(desk):
    url, browser = desk
    page, outside = open_desk_page(browser, url, "street-ranking?lang=en", "street-ranking")
    page.screenshot(path=str(ARTIFACTS / "desk_street_ranking_en.png"), full_page=True)
    body = assert_clean(page, outside)
    assert "Street ranking" in body and "Fell the most" in body and "What-if weights" in body
    page.close()


@pytest.mark.parametrize(
    ("path", "marker", "words"),
    [
        ("departments", "departments", ["部门综合排名", "处置时长"]),
        ("report-in", "report-in", ["无活动单位", "报到率"]),
        ("property", "property", ["红榜", "黑榜", "计算榜单", "公布榜单"]),
    ],
)
def test_other_desk_screens(desk, path, marker, words):
    url, browser = desk
    page, outside = open_desk_page(browser, url, path, marker)
    page.screenshot(path=str(ARTIFACTS / f"desk_{marker.replace('-', '_')}.png"), full_page=True)
    body = assert_clean(page, outside)
    for w in words:
        assert w in body, w
    page.close()
