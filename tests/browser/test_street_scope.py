"""A street user in Debian's chromium sees only their own street on every page and in every download, and
the attacks a browser can make (another street in the URL, the street filter, another page's URL) get
nothing of another street (issue 18). Screenshots: test-artifacts/scope_*.png.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.server import ARTIFACTS, browser_available, chromium, role_accounts, serve, sign_in
from tests.leaks import file_text, leaks, other_streets

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not browser_available(), reason="needs /usr/bin/chromium (apt-get install chromium)"),
]

# url path → what shows the page has drawn
PAGES = {
    "command": "[data-kpi]",
    "map": "[data-testid='stDeckGlJsonChart']",
    "funnel": "[data-desk-drawn='funnel']",
    "street-ranking": "[data-desk-drawn='street-ranking']",
    "departments": "[data-desk-drawn]",
    "report-in": "[data-desk-drawn]",
    "property": "[data-quarter]",
}
DOWNLOADS = {
    "street-ranking": ["导出通报（Excel）", "下载通报（Word）", "下载通报（PDF）"],
    "property": ["下载通报（Word）", "下载通报（PDF）"],
}


@pytest.fixture(scope="module")
def app(warehouse) -> Iterator[tuple[str, object, str]]:
    ARTIFACTS.mkdir(exist_ok=True)
    own = warehouse.query("select min(street_code) from dim_streets")[0][0]
    role_accounts(warehouse.home.root, street=own)
    with serve(warehouse.home.root) as url, chromium() as browser:
        yield url, browser, own


def settle(page, timeout_s: float = 120) -> None:
    time.sleep(0.5)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_s * 1000
    )


def shown_text(page) -> str:
    """What the browser shows and holds: the text of the page and its HTML (data attributes, iframes' HTML)."""
    return page.inner_text("body") + "\n" + page.content()


def open_signed_in(browser, url: str, path: str):
    page = browser.new_page(viewport={"width": 1600, "height": 1200}, accept_downloads=True)
    page.goto(f"{url}/{path}", wait_until="domcontentloaded")
    sign_in(page, "street")
    page.wait_for_selector(PAGES[path.split("?")[0]], state="attached", timeout=120000)
    settle(page)
    return page


@pytest.mark.parametrize("path", list(PAGES))
def test_a_street_user_sees_only_their_street_on_every_page_and_download(app, warehouse, path):
    url, browser, own = app
    others = other_streets(warehouse, own)
    page = open_signed_in(browser, url, path)
    assert leaks(shown_text(page), others) == [], path
    page.screenshot(path=str(ARTIFACTS / f"scope_{path}.png"), full_page=True)
    for label in DOWNLOADS.get(path, []):
        with page.expect_download(timeout=180000) as got:
            page.get_by_role("button", name=label).click()
        data = Path(got.value.path()).read_bytes()
        name = got.value.suggested_filename
        assert data and leaks(name + "\n" + file_text(name, data), others) == [], (path, name)
    page.close()


def test_another_street_in_the_url_or_the_filter_gets_nothing(app, warehouse):
    url, browser, own = app
    others = other_streets(warehouse, own)
    own_name = warehouse.query("select street_name from dim_streets where street_code = ?", [own])[0][0]
    for code, _ in others[:2]:
        for path in (
            f"funnel?street={code}",
            f"command?street={code}&street_code={code}",
            f"map?carousel=1&street={code}",
        ):
            page = open_signed_in(browser, url, path)
            assert leaks(shown_text(page), others) == [], path
            page.close()
    # the street filter lists the user's own street only: there is no other street to pick
    page = open_signed_in(browser, url, "funnel")
    picker = (
        page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(has_text="街道").first
    )
    picker.click()
    options = page.locator("[role='option']").all_inner_texts()
    page.screenshot(path=str(ARTIFACTS / "scope_street_filter.png"))
    assert options == [own_name], options
    page.keyboard.press("Escape")
    page.close()


def test_a_dataframes_toolbar_has_no_unaudited_download(app):
    url, browser, _ = app
    page = open_signed_in(browser, url, "street-ranking")
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.hover()
    toolbar = page.locator("[data-testid='stElementToolbar']").first
    toolbar.wait_for(timeout=30000)
    labels = [b.get_attribute("aria-label") or "" for b in toolbar.locator("button").all()]
    assert labels and not [x for x in labels if "ownload" in x or "下载" in x], labels
    page.close()
