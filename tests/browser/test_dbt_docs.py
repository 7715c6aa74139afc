"""The release's single-file dbt docs open in chromium with no network at all, lineage included."""

from __future__ import annotations

import pytest

from tests.browser.server import ARTIFACTS, browser_available, chromium
from warehouse.release.releases import DOCS_FILE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not browser_available(), reason="needs /usr/bin/chromium (apt-get install chromium)"),
]


def test_the_static_docs_draw_the_lineage_offline(warehouse):
    docs = warehouse.release_db.parent / DOCS_FILE
    fetched: list[str] = []
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 900})

        def offline(route) -> None:
            """Anything but the file itself and inline data is refused, and remembered: air-gapped."""
            if route.request.url.startswith(("file:", "data:", "blob:", "about:")):
                route.continue_()
            else:
                fetched.append(route.request.url)
                route.abort()

        page.route("**/*", offline)
        page.goto(f"{docs.as_uri()}#!/exposure/exposure.gridpulse.funnel")
        page.wait_for_selector("text=fct_case_funnel_steps", timeout=60_000)
        page.wait_for_timeout(1500)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "dbt-docs-funnel-exposure.png"))
        body = page.inner_text("body")
    assert not fetched, fetched
    assert "funnel" in body and "fct_case_funnel_steps" in body
