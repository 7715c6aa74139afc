"""The sign-in page, the refusal shown at a page a role may not open, and the sidebar's user box.

Nothing here reads the warehouse: a visitor who has not signed in sees only this form.
"""

from __future__ import annotations

import streamlit as st

from dashboard import access
from dashboard.i18n import language_switch, t
from warehouse.access import audit
from warehouse.access.accounts import AccountStore

SESSION_FAILURE_CAP = 10  # failed sign-ins in one browser session before its form closes


def login_page() -> None:
    language_switch()
    st.title(t("login_title"))
    flash = st.session_state.pop("gp_flash", None)
    if flash:
        st.warning(t(flash))
    unmapped = st.session_state.get("gp_sso_unmapped")
    if unmapped:
        st.error(t("login_no_role", who=unmapped))
        if st.button(t("logout"), key="login_sso_out"):
            st.session_state.pop("gp_sso_unmapped", None)
            st.logout()
        return
    if st.session_state.get("gp_failures", 0) >= SESSION_FAILURE_CAP:
        st.error(t("login_session_cap"))
        return
    with st.form("login", width=420):
        name = st.text_input(t("login_name"), key="login_name")
        password = st.text_input(t("login_password"), type="password", key="login_password")
        submitted = st.form_submit_button(t("login_submit"), type="primary")
    if access.sso_available():
        st.button(t("login_sso"), key="login_sso", on_click=st.login, icon=":material/badge:")
    st.caption(t("login_hint"))
    if submitted:
        _sign_in((name or "").strip(), password or "")


def _sign_in(name: str, password: str) -> None:
    home = access.home()
    result = AccountStore(home).sign_in(name, password)
    if result.outcome == "ok" and result.account:
        account = result.account
        st.session_state[access.SESSION_KEY] = access.session_record(
            account.name, account.role, account.street
        )
        st.session_state.gp_failures = 0
        audit.record(home, "login_success", account.name, via="local", role=account.role)
        st.rerun()
    st.session_state.gp_failures = st.session_state.get("gp_failures", 0) + 1
    if result.outcome == "lockout":
        audit.record(home, "lockout", name, until=result.account.locked_until if result.account else None)
    else:
        audit.record(home, "login_failure", name, reason=result.outcome)
    if result.outcome in ("locked", "lockout") and result.account:
        st.error(t("login_locked", until=(result.account.locked_until or "")[:16].replace("T", " ")))
    elif result.outcome == "wait":
        st.error(t("login_wait", s=max(1, round(result.wait_s))))
    elif result.outcome == "disabled":
        st.error(t("login_disabled"))
    else:
        st.error(t("login_bad"))


def refusal(role: str) -> None:
    st.error(t("refused", role=t(f"role_{role}")), icon=":material/block:")


def screen_invalid() -> None:
    st.error(t("screen_invalid"))


def user_box(user: access.User) -> None:
    with st.sidebar:
        st.text(t("signed_in_as", name=user.name, role=t(f"role_{user.role}")))
        if user.via != "no-auth" and st.button(t("logout"), key="logout", icon=":material/logout:"):
            access.sign_out(user)
