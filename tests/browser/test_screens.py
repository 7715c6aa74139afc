"""The command center and the map in Debian's chromium, as a person sees them.

Screenshots go to test-artifacts/. Skipped (with the reason) only where chromium or the
CJK fonts are missing — `make test` installs both when run as root, as CI does.
"""

import re
import time

import pytest

from tests.browser.server import (
    ARTIFACTS,
    browser_available,
    chromium,
    kiosk_link,
    role_accounts,
    serve,
    sign_in,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not browser_available(), reason="needs /usr/bin/chromium (apt-get install chromium)"),
]

LOCAL = ("http://127.0.0.1", "data:", "blob:", "about:")

# Draw a CJK string and the same number of unassigned code points (which render as tofu boxes) on a
# canvas; if the pixels are identical, Chinese is rendering as boxes.
CJK_RENDERS = """() => {
  const draw = (text) => { const c = document.createElement('canvas'); c.width = 200; c.height = 40;
    const g = c.getContext('2d'); g.font = '28px sans-serif'; g.fillText(text, 0, 30);
    return Array.from(g.getImageData(0, 0, 200, 40).data).join(','); };
  return draw('网格脉搏') !== draw('\\u{10FFF0}\\u{10FFF1}\\u{10FFF2}\\u{10FFF3}') && draw('网格脉搏') !== draw('');
}"""


def wait_drawn(page, selector: str, timeout_s: float = 90) -> None:
    """Wait for ``selector`` and for Streamlit to stop running the script."""
    page.wait_for_selector(selector, timeout=timeout_s * 1000)
    deadline = time.monotonic() + timeout_s
    while page.locator("[data-testid='stStatusWidget']").count() and time.monotonic() < deadline:
        time.sleep(0.2)


@pytest.fixture(scope="module")
def app(warehouse):
    ARTIFACTS.mkdir(exist_ok=True)
    role_accounts(warehouse.home.root)
    with serve(warehouse.home.root) as url, chromium() as browser:
        yield url, browser


def open_page(browser, url: str, width: int, height: int):
    page = browser.new_page(viewport={"width": width, "height": height})
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(LOCAL) else None)
    page.goto(url, wait_until="domcontentloaded")
    return page, outside


def test_command_center_kiosk(app, warehouse):
    url, browser = app
    page, outside = open_page(browser, f"{url}{kiosk_link(warehouse.home.root)}", 1920, 1080)
    wait_drawn(page, "[data-kpi]")
    page.wait_for_selector("[data-testid='stDeckGlJsonChart'] canvas", timeout=60000)
    time.sleep(2)
    page.screenshot(path=str(ARTIFACTS / "command_center_kiosk_1920x1080.png"))

    shown = dict(
        page.eval_on_selector_all("[data-kpi]", "els => els.map(e => [e.dataset.kpi, e.dataset.value])")
    )
    mart = dict(warehouse.query("select kpi_code, kpi_value from mart_screen_kpis where street_code is null"))
    assert len(shown) == 6
    for code, value in shown.items():
        assert value == str(mart[code]), code
    texts = dict(
        page.eval_on_selector_all(
            "[data-kpi]", "els => els.map(e => [e.dataset.kpi, e.querySelector('.kpi-value').innerText])"
        )
    )
    assert texts["cases_reported"] == f"{mart['cases_reported']:,.0f}"
    assert texts["ontime_closure_rate"] == f"{mart['ontime_closure_rate'] * 100:.1f}%"

    body = page.inner_text("body")
    assert "Error" not in body and "Traceback" not in body and "Page not found" not in body
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.evaluate(CJK_RENDERS), "Chinese renders as boxes: install fonts-noto-cjk"
    # Fits the wall exactly: nothing to scroll, no sidebar or toolbar.
    assert page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]") == [
        1920,
        1080,
    ]
    # … and nothing is cut off at the edge (the page hides overflow, so the scroll size alone cannot tell).
    bottom = page.evaluate("""() => Math.max(...[...document.querySelectorAll('[data-testid="stMainBlockContainer"] *')]
        .map(e => e.getBoundingClientRect().bottom))""")
    assert bottom <= 1080, f"the screen's content ends at y={bottom:.0f}, below the 1080 px wall"
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    assert outside == [], outside


def test_map_page(app, warehouse):
    url, browser = app
    page, outside = open_page(browser, f"{url}/map", 1600, 1000)
    sign_in(page, "leader")
    wait_drawn(page, "[data-testid='stDeckGlJsonChart'] canvas")
    time.sleep(2)
    page.screenshot(path=str(ARTIFACTS / "map.png"), full_page=True)
    body = page.inner_text("body")
    assert "地图" in body and "Traceback" not in body
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.evaluate(CJK_RENDERS)

    # No grid's cases until one is picked. Hovering a grid shows its Chinese tooltip; clicking it lists its cases.
    assert page.locator("[data-testid='stDataFrame']").count() == 0
    box = page.locator("[data-testid='stDeckGlJsonChart']").bounding_box()
    for fx, fy in [(0.5, 0.5), (0.45, 0.45), (0.6, 0.55), (0.4, 0.6), (0.55, 0.35), (0.35, 0.5)]:
        x, y = box["x"] + box["width"] * fx, box["y"] + box["height"] * fy
        page.mouse.move(x - 4, y - 4)
        page.mouse.move(x, y, steps=3)
        time.sleep(0.8)
        tip = page.locator(".deck-tooltip").first.inner_text()
        match = re.match(r"(\S+网格) (\d{15})", tip)
        if match:
            break
    assert match, f"no grid tooltip on the map: {tip!r}"
    assert "社区: " in tip and "新增案件: " in tip and "按期结案率: " in tip, tip
    page.mouse.click(x, y)
    page.locator("h3").filter(has_text=f"{match.group(1)} 最近案件").wait_for(timeout=30000)
    page.wait_for_selector("[data-testid='stDataFrame'] canvas", timeout=30000)
    time.sleep(1)
    page.screenshot(path=str(ARTIFACTS / "map_grid_picked.png"), full_page=True)
    assert outside == [], outside
