"""Who sees what, in Debian's chromium: sign-in, each role's pages, refusals, kiosk links, brute force, SSO.

The SSO test starts a local OpenID provider (oidc-provider-mock, a dev dependency) on 127.0.0.1 and
signs in through Streamlit's own st.login. Screenshots go to test-artifacts/access_*.png.
"""

from __future__ import annotations

import json
import re
import time
import urllib.request
from collections.abc import Iterator
from urllib.parse import quote, urlparse

import pytest

from dashboard.access import PAGE_ROLES
from tests.access.test_app_access import EXPECTED
from tests.browser.server import (
    ARTIFACTS,
    ROLE_PASSWORD,
    browser_available,
    chromium,
    free_port,
    kiosk_link,
    role_accounts,
    serve,
    sign_in,
)
from warehouse.access import audit
from warehouse.access.accounts import AccountStore
from warehouse.access.screens import ScreenStore

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not browser_available(), reason="needs /usr/bin/chromium (apt-get install chromium)"),
]

DATA = (
    "[data-kpi], [data-testid='stDataFrame'], [data-testid='stVegaLiteChart'], [data-testid='stDeckGlJsonChart'],"
    " [data-desk-drawn], [data-testid='stMetric']"
)
LOGIN = "input[aria-label='用户名']"


@pytest.fixture(scope="module")
def app(warehouse) -> Iterator[tuple[str, object]]:
    ARTIFACTS.mkdir(exist_ok=True)
    role_accounts(
        warehouse.home.root, street=warehouse.query("select min(street_code) from dim_streets")[0][0]
    )
    with serve(warehouse.home.root) as url, chromium() as browser:
        yield url, browser


def settle(page, timeout_s: float = 120) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout_s * 1000)
    time.sleep(0.5)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_s * 1000
    )


def nav_paths(page) -> set[str]:
    hrefs = page.eval_on_selector_all("[data-testid='stSidebarNav'] a", "els => els.map(e => e.href)")
    return {urlparse(h).path.strip("/") for h in hrefs}


def test_anonymous_visitor_to_any_page_sees_the_sign_in_and_no_data(app):
    url, browser = app
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    for path in ["", "?kiosk=1", *PAGE_ROLES, "workbench?q=1", "no-such-page"]:
        page.goto(f"{url}/{path}", wait_until="domcontentloaded")
        page.wait_for_selector(LOGIN, timeout=120000)
        settle(page)
        assert page.locator(DATA).count() == 0, path
        assert page.locator("[data-testid='stSidebarNav']").count() == 0, path
    page.screenshot(path=str(ARTIFACTS / "access_sign_in.png"))
    page.close()


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_sees_exactly_its_pages_and_a_refusal_elsewhere(app, role):
    url, browser = app
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url, wait_until="domcontentloaded")
    sign_in(page, role)
    page.wait_for_selector("[data-testid='stSidebarNav'] a", timeout=120000)
    home = {"organization": "funnel", "analyst": "funnel"}.get(role, "command")
    assert nav_paths(page) - {""} | {home} == EXPECTED[role]
    forbidden = sorted(set(PAGE_ROLES) - EXPECTED[role])
    for path in forbidden:  # a fresh visit to the URL, signed in at it: the refusal, not the page
        page.goto(f"{url}/{path}", wait_until="domcontentloaded")
        sign_in(page, role)
        page.get_by_text("无权访问").wait_for(timeout=60000)
        settle(page)
        assert page.locator(DATA).count() == 0, path
        assert page.locator("[data-testid='stTextArea']").count() == 0, path  # no SQL editor
    if forbidden:
        page.screenshot(path=str(ARTIFACTS / f"access_refused_{role}.png"))
    page.close()


def test_an_analysts_sql_is_in_the_audit_log(app, warehouse):
    url, browser = app
    page = browser.new_page(viewport={"width": 1600, "height": 1200})
    page.goto(f"{url}/workbench", wait_until="domcontentloaded")
    sign_in(page, "analyst")
    editor = page.locator(".st-key-wb_sql textarea")
    editor.wait_for(timeout=120000)
    sql = f"select count(*) as n_{time.time_ns() % 100000} from dim_streets"
    editor.fill(sql)
    editor.blur()  # the text area sends its value when it loses focus
    time.sleep(1)
    page.locator(".st-key-wb_run button").click()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        mine = [
            e for e in audit.read(warehouse.home, events=["sql"], user="browser-analyst") if e["sql"] == sql
        ]
        if mine:
            break
        time.sleep(0.3)
    page.screenshot(path=str(ARTIFACTS / "access_analyst_sql.png"))
    assert mine and mine[0]["rows"] == 1 and mine[0]["refused"] is False, mine
    page.get_by_text("1 行 · 用时").wait_for(timeout=60000)
    page.close()


def test_a_kiosk_link_opens_the_big_screen_only_and_a_revoked_one_nothing(app, warehouse):
    url, browser = app
    link = kiosk_link(warehouse.home.root, "browser-kiosk-access")
    token = link.rsplit("=", 1)[1]
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{url}{link}", wait_until="domcontentloaded")
    page.wait_for_selector("[data-kpi]", timeout=120000)
    assert page.locator("[data-testid='stSidebarNav']").count() == 0 and page.locator(LOGIN).count() == 0
    assert page.locator("input, textarea, button[kind='primary']").count() == 0  # read-only: no controls
    page.goto(f"{url}/?carousel=1&screen={token}", wait_until="domcontentloaded")  # the carousel too
    page.wait_for_selector("[data-kpi]", timeout=120000)
    for path in ("map", "workbench", "health", "users", "audit", "funnel"):
        page.goto(f"{url}/{path}?screen={token}", wait_until="domcontentloaded")
        page.get_by_text("无权访问").wait_for(timeout=60000)
        settle(page)
        assert page.locator(DATA).count() == 0, path
    for forged in (token[:-1] + ("A" if token[-1] != "A" else "B"), "x" * 43, ""):
        page.goto(f"{url}/?kiosk=1&screen={forged}", wait_until="domcontentloaded")
        page.get_by_text("大屏链接无效").wait_for(timeout=60000)
        settle(page)
        assert page.locator(DATA).count() == 0 and page.locator(LOGIN).count() == 0
    ScreenStore(warehouse.home).revoke("browser-kiosk-access")
    page.goto(f"{url}{link}", wait_until="domcontentloaded")  # the same link, replayed after revocation
    page.get_by_text("大屏链接无效").wait_for(timeout=60000)
    settle(page)
    assert page.locator(DATA).count() == 0
    page.screenshot(path=str(ARTIFACTS / "access_kiosk_revoked.png"))
    page.close()


def test_brute_force_is_throttled_then_locked_and_audited(app, warehouse):
    url, browser = app
    store = AccountStore(warehouse.home)
    if store.get("browser-victim") is None:
        store.add("browser-victim", "admin", ROLE_PASSWORD)
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(f"{url}/users", wait_until="domcontentloaded")
    messages = []
    for attempt in range(9):
        page.get_by_label("用户名").fill("browser-victim", timeout=120000)
        page.get_by_label("密码", exact=True).fill(f"guess-{attempt}")
        page.get_by_role("button", name="登录", exact=True).click()
        page.wait_for_selector("[data-testid='stAlert']", timeout=60000)
        settle(page)
        messages.append(page.locator("[data-testid='stAlert']").first.inner_text())
        if "锁定" in messages[-1]:
            break
        wait = re.search(r"请 (\d+) 秒后再试", messages[-1])
        if wait:  # answered without checking the password: wait as told, as a patient attacker would
            time.sleep(int(wait.group(1)) + 0.5)
    assert any("过于频繁" in m for m in messages), messages  # the throttle answered some attempts unchecked
    assert "锁定" in messages[-1], messages
    # the right password no longer opens it
    page.get_by_label("用户名").fill("browser-victim")
    page.get_by_label("密码", exact=True).fill(ROLE_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.get_by_text("锁定").first.wait_for(timeout=60000)
    settle(page)
    assert page.locator(LOGIN).count() == 1 and page.locator(DATA).count() == 0
    events = [e["event"] for e in audit.read(warehouse.home, user="browser-victim")]
    assert "lockout" in events and events.count("login_failure") >= 4 and "login_success" not in events
    page.screenshot(path=str(ARTIFACTS / "access_locked.png"))
    page.close()


@pytest.fixture
def oidc_provider() -> Iterator[str]:
    """A local OpenID provider on 127.0.0.1 (oidc-provider-mock): any client id/secret, users set by PUT."""
    import threading

    import oidc_provider_mock
    import werkzeug.serving

    server = werkzeug.serving.make_server("127.0.0.1", 0, oidc_provider_mock.app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def test_sso_sign_in_lands_with_the_role_from_the_claim(app, warehouse, oidc_provider, tmp_path):
    import shutil

    from warehouse.home.paths import DataHome

    home = DataHome(tmp_path / "sso-home")  # its own data home: SSO on, the same release
    shutil.copytree(warehouse.home.releases, home.releases, symlinks=True)
    port = free_port()
    home.auth.mkdir(parents=True)
    (home.auth / "sso.toml").write_text(
        f'''
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
client_id = "gridpulse"
client_secret = "test-client-secret"
server_metadata_url = "{oidc_provider}/.well-known/openid-configuration"

[gridpulse_sso]
role_claim = "gridpulse_role"
street_claim = "gridpulse_street"

[gridpulse_sso.users."ops@city.example"]
role = "admin"
''',
        encoding="utf-8",
    )
    user = "wang.fang@city.example"
    request = urllib.request.Request(
        f"{oidc_provider}/users/{quote(user)}",
        method="PUT",
        data=json.dumps({"email": user, "gridpulse_role": "分析员"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    assert urllib.request.urlopen(request, timeout=10).status == 204
    browser = app[1]  # the module's chromium (playwright's sync API runs one at a time)
    with serve(home.root, port=port) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url, wait_until="domcontentloaded")
        page.get_by_role("button", name="使用统一身份认证登录").click(timeout=120000)
        page.wait_for_selector("input[name='sub']", timeout=60000)  # the provider's own form
        page.fill("input[name='sub']", user)
        page.get_by_role("button", name="Authorize").click()
        page.wait_for_selector("[data-testid='stSidebarNav'] a", timeout=120000)
        settle(page)
        assert "当前用户：wang.fang@city.example（分析员）" in page.inner_text("body")
        assert nav_paths(page) - {""} | {"funnel"} == EXPECTED["analyst"]
        page.wait_for_selector("[data-desk-drawn='funnel']", timeout=120000)  # the analyst's landing page
        page.screenshot(path=str(ARTIFACTS / "access_sso_analyst.png"))
        page.close()
    signed = [e for e in audit.read(home, events=["login_success"]) if e["user"] == user]
    assert signed and signed[0]["via"] == "sso" and signed[0]["role"] == "analyst"
    assert "test-client-secret" not in home.audit_log.read_text()
