"""The data desk in Debian's chromium (issue 19): an admin uploads a day of the demo city's exports plus an
unreadable file, rebuilds, and the big screen shows the new release's day; the unreadable file is reported by
name with its reason; a non-admin has no such page and its URL refuses. Screenshots: test-artifacts/desk_*.png.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from gridpulse_demo import generate
from tests.browser.server import ARTIFACTS, browser_available, chromium, role_accounts, serve, sign_in
from tests.browser.test_access import nav_paths, settle
from warehouse.access import audit
from warehouse.home.paths import DataHome
from warehouse.release.releases import current_release_dir, open_release

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not browser_available(), reason="needs /usr/bin/chromium (apt-get install chromium)"),
]
BAD = "损坏的导出.xlsx"


def screen_day(home: DataHome) -> str:
    con = open_release(current_release_dir(home) / "gridpulse.duckdb")
    try:
        return str(con.execute("select max(today_date) from mart_screen_kpis").fetchone()[0])
    finally:
        con.close()


@pytest.fixture(scope="module")
def desk(warehouse, tmp_path_factory) -> Iterator[tuple[DataHome, list[Path], str, object]]:
    """A copy of the demo warehouse (its first 90 days); the next day's exports and a broken file to upload."""
    ARTIFACTS.mkdir(exist_ok=True)
    root = tmp_path_factory.mktemp("desk")
    home = DataHome(root / "home")
    shutil.copytree(warehouse.home.root, home.root, symlinks=True, ignore=shutil.ignore_patterns("landing"))
    role_accounts(home.root)
    generate(root / "next", scale=0.1, start=date(2025, 1, 1) + timedelta(days=90), days=1)
    uploads = sorted(p for p in (root / "next").rglob("*") if p.is_file() and not p.name.startswith("_"))
    (root / BAD).write_bytes(os.urandom(4096))
    with serve(home.root) as url, chromium() as browser:
        yield home, [*uploads, root / BAD], url, browser


def test_an_admin_uploads_a_day_rebuilds_and_the_big_screen_shows_it(desk):
    home, files, url, browser = desk
    before, day_before = current_release_dir(home), screen_day(home)
    page = browser.new_page(viewport={"width": 1500, "height": 1400})
    page.goto(f"{url}/data", wait_until="domcontentloaded")
    sign_in(page, "admin")
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files([str(f) for f in files])
    page.get_by_text(BAD).first.wait_for(timeout=60000)  # listed in the uploader
    settle(page)  # every file sent (each one reruns the page)
    page.get_by_role("button", name="检查并导入").click()
    page.get_by_text("导入结果").wait_for(timeout=180000)  # the per-file accounting, after the load
    settle(page)
    refused = page.locator("[data-testid='stAlert']").filter(has_text=BAD)
    assert refused.count() == 1 and "unreadable" in refused.inner_text(), page.inner_text("body")[-3000:]
    page.screenshot(path=str(ARTIFACTS / "desk_uploaded.png"), full_page=True)

    page.get_by_role("button", name="重建数据仓库").click()
    page.get_by_text("已成为当前版本").wait_for(timeout=400000)
    settle(page)
    now = current_release_dir(home)
    assert now is not None and now != before
    assert page.get_by_text(f"数据版本 {now.name} 已成为当前版本").count() == 1
    page.screenshot(path=str(ARTIFACTS / "desk_rebuilt.png"), full_page=True)

    day_after = screen_day(home)
    assert day_after > day_before
    page.get_by_role("link", name="指挥中心").click()  # the same session: no new sign-in
    page.locator(".cc-sub").filter(has_text=day_after).wait_for(timeout=120000)
    page.screenshot(path=str(ARTIFACTS / "desk_big_screen.png"))
    page.close()
    uploads = [e for e in audit.read(home, events=["upload"]) if e["user"] == "browser-admin"]
    assert uploads and BAD in {f["name"] for f in uploads[-1]["files"]}
    assert any(
        e["outcome"] == "built" and e["user"] == "browser-admin" for e in audit.read(home, events=["refresh"])
    )


def test_a_non_admin_has_no_data_page(desk):
    _, _, url, browser = desk
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url}/data", wait_until="domcontentloaded")
    sign_in(page, "analyst")
    page.get_by_text("无权访问").wait_for(timeout=60000)
    settle(page)
    assert page.locator("[data-testid='stFileUploader']").count() == 0
    assert "data" not in nav_paths(page)
    page.close()
