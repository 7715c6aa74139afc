"""Sign-in, roles and kiosk links in AppTest: who sees which page, and what the audit log keeps."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.access import IDLE_S, PAGE_ROLES, SESSION_KEY, map_claims, session_record
from tests.app.test_pages import APP, TEST_PASSWORD, html_of, run_page, signed_in
from warehouse.access import audit
from warehouse.access.accounts import AccountStore
from warehouse.access.screens import ScreenStore
from warehouse.home.paths import DataHome

VIEWS = {
    "command": "command_center",
    "map": "map",
    "funnel": "funnel",
    "street-ranking": "street_ranking",
    "departments": "department_ranking",
    "report-in": "report_in",
    "property": "property_lists",
    "workbench": "workbench",
    "health": "data_health",
    "users": "users",
    "audit": "audit_log",
    "data": "data_desk",
}
EXPECTED = {  # issue 18's table
    "leader": {"command", "map", "funnel", "street-ranking", "departments", "report-in", "property"},
    "organization": {"funnel", "street-ranking", "departments", "report-in", "property"},
    "street": {"command", "map", "funnel", "street-ranking", "departments", "report-in", "property"},
    "analyst": {"funnel", "street-ranking", "departments", "report-in", "property", "workbench", "health"},
    "admin": set(VIEWS),
}


@pytest.fixture
def no_data_reads(monkeypatch):
    """Any attempt to open the warehouse fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("the warehouse was opened")

    monkeypatch.setattr(duckdb, "connect", refuse)


def fresh(monkeypatch, home: Path, params: dict | None = None) -> AppTest:
    monkeypatch.setenv("GRIDPULSE_HOME", str(home))
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return at


def test_the_page_table_is_the_issues(monkeypatch):
    for role, paths in EXPECTED.items():
        assert {p for p, roles in PAGE_ROLES.items() if role in roles} == paths, role


def test_anonymous_visitor_gets_the_sign_in_form_and_no_data(monkeypatch, warehouse, no_data_reads):
    at = fresh(monkeypatch, warehouse.home.root).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [w.label for w in at.text_input] == ["用户名", "密码"]
    assert not at.dataframe and not at.get("deck_gl_json_chart") and "data-kpi" not in html_of(at)


def test_sign_in_through_the_form_then_wrong_passwords_are_audited(monkeypatch, warehouse):
    store = AccountStore(warehouse.home)
    if store.get("form-analyst") is None:
        store.add("form-analyst", "analyst", TEST_PASSWORD)
    at = fresh(monkeypatch, warehouse.home.root).run()
    at.text_input(key="login_name").input("form-analyst")
    at.text_input(key="login_password").input("wrong password")
    at.button[0].click().run()
    assert any("用户名或密码错误" in e.value for e in at.error)
    assert SESSION_KEY not in at.session_state
    time.sleep(1.1)  # the throttle after one failure
    at.text_input(key="login_password").input(TEST_PASSWORD)
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state[SESSION_KEY]["role"] == "analyst"
    mine = [e for e in audit.read(warehouse.home, user="form-analyst")]
    assert [e["event"] for e in mine][-2:] == ["login_failure", "login_success"]
    assert TEST_PASSWORD not in warehouse.home.audit_log.read_text()


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_can_open_exactly_its_pages(monkeypatch, tmp_path, role):
    at = fresh(monkeypatch, tmp_path / "home")
    signed_in(at, tmp_path / "home", role).run()
    assert not at.exception, [e.value for e in at.exception]
    for path, view in VIEWS.items():
        if path in EXPECTED[role]:
            at.switch_page(f"views/{view}.py")
        else:  # not in the role's st.navigation (its URL holds only a refusal stub)
            with pytest.raises(ValueError):
                at.switch_page(f"views/{view}.py")


def test_a_street_user_gets_no_sql_workbench_and_the_street_is_kept(monkeypatch, tmp_path):
    at = fresh(monkeypatch, tmp_path / "home")
    signed_in(at, tmp_path / "home", "street", street="420102001").run()
    assert at.session_state[SESSION_KEY]["street"] == "420102001"
    with pytest.raises(ValueError):
        at.switch_page("views/workbench.py")


def test_an_idle_session_expires(monkeypatch, tmp_path, no_data_reads):
    at = signed_in(fresh(monkeypatch, tmp_path / "home"), tmp_path / "home", "leader")
    at.session_state[SESSION_KEY] = {**at.session_state[SESSION_KEY], "seen": time.time() - IDLE_S - 1}
    at.run()
    assert [w.label for w in at.text_input] == ["用户名", "密码"] and "会话已过期" in at.warning[0].value
    assert audit.read(DataHome(tmp_path / "home"))[-1]["reason"] == "expired"


def test_a_disabled_account_is_signed_out_on_its_next_click(monkeypatch, tmp_path, no_data_reads):
    at = signed_in(fresh(monkeypatch, tmp_path / "home"), tmp_path / "home", "leader")
    AccountStore(DataHome(tmp_path / "home")).disable("test-leader")
    at.run()
    assert [w.label for w in at.text_input] == ["用户名", "密码"]


def test_a_session_record_for_a_missing_account_opens_nothing(monkeypatch, tmp_path, no_data_reads):
    at = fresh(monkeypatch, tmp_path / "home")
    at.session_state[SESSION_KEY] = session_record("ghost", "admin")
    at.run()
    assert [w.label for w in at.text_input] == ["用户名", "密码"]


def test_kiosk_link_opens_the_big_screen_and_a_wrong_one_nothing(monkeypatch, warehouse):
    token = ScreenStore(warehouse.home).add(f"wall-{time.time_ns()}")
    at = fresh(monkeypatch, warehouse.home.root, {"screen": token}).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "data-kpi='cases_reported'" in html_of(at) and at.query_params["kiosk"] == "1"
    with pytest.raises(ValueError):
        at.switch_page("views/map.py")
    wrong = fresh(monkeypatch, warehouse.home.root, {"screen": token[:-2] + "xx", "kiosk": "1"}).run()
    assert (
        "data-kpi" not in html_of(wrong) and "大屏链接无效" in wrong.error[0].value and not wrong.text_input
    )


def test_the_workbench_writes_each_query_to_the_audit_log(monkeypatch, warehouse):
    at = run_page(monkeypatch, warehouse.home.root, "views/workbench.py", role="analyst")
    at.text_area(key="wb_sql").set_value("select count(*) as n from dim_streets")
    at.button(key="wb_run").click().run()
    at.text_area(key="wb_sql").set_value("drop table dim_streets")
    at.button(key="wb_run").click().run()
    ran = audit.read(warehouse.home, events=["sql"], user="test-analyst")[-2:]
    assert ran[0]["sql"].startswith("select count(*)") and ran[0]["rows"] == 1 and ran[0]["refused"] is False
    assert ran[0]["seconds"] >= 0
    assert ran[1]["refused"] is True and ran[1]["rows"] is None


def test_sso_claims_map_to_roles():
    config = {
        "role_claim": "groups",
        "street_claim": "street",
        "role_values": {"区领导": "leader"},
        "users": {"ops@city.gov": {"role": "analyst"}},
    }
    assert map_claims({"groups": ["staff", "区领导"]}, config) == ("leader", None)
    assert map_claims({"groups": "街道", "street": "420102001"}, config) == ("street", "420102001")
    assert map_claims({"groups": "街道"}, config) == (None, None)  # a street role needs its street
    assert map_claims({"email": "ops@city.gov"}, config) == ("analyst", None)
    assert map_claims({"email": "someone@city.gov", "groups": ["staff"]}, config) == (None, None)
    assert map_claims({"gridpulse_role": "admin"}, {}) == ("admin", None)


def test_sign_out_ends_the_session_and_is_audited(monkeypatch, tmp_path):
    home = tmp_path / "home"
    at = signed_in(fresh(monkeypatch, home), home, "organization").run()
    at.button(key="logout").click().run()
    assert SESSION_KEY not in at.session_state
    assert [w.label for w in at.text_input] == ["用户名", "密码"]
    assert audit.read(DataHome(home))[-1] | {"at": None} == {
        "at": None,
        "event": "logout",
        "user": "test-organization",
        "via": "local",
    }
