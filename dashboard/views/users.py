"""账号与大屏 — a data admin's page: local accounts and kiosk screen links (as `gridpulse users/screens`)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import access
from dashboard.desk_ui import filled
from dashboard.i18n import t
from warehouse.access.accounts import ROLES, AccountError, AccountStore
from warehouse.access.screens import ScreenStore, kiosk_path

home = access.home()
accounts, screens = AccountStore(home), ScreenStore(home)
st.title(t("page_users"))
flash = st.session_state.pop("users_flash", None)
if flash:
    st.success(flash)


def change(action: str, name: str, run, **details) -> None:
    try:
        run()
    except AccountError as exc:
        st.error(str(exc))
        return
    access.record("user_change", action=action, target=name, via="admin page", **details)
    st.session_state.users_flash = t("users_done", action=action, name=name)
    st.rerun()


rows = [a.public() for a in accounts.list()]
ACCOUNT_COLUMNS = {
    "name": "users_name_col",
    "role": "users_role",
    "street": "users_street_col",
    "disabled": "users_disabled",
    "created_at": "users_created_at",
    "failures": "users_failures",
    "last_failure_at": "users_last_failure_at",
    "locked_until": "users_locked_until",
    "revoked_at": "users_revoked_at",
}


def account_table(frame: pl.DataFrame) -> pl.DataFrame:
    """Accounts or screens as a reader sees them: labelled columns, roles in words, "—" for nothing."""
    if "role" in frame.columns:
        frame = frame.with_columns(
            pl.col("role").map_elements(lambda r: t(f"role_{r}"), return_dtype=pl.String)
        )
    if "disabled" in frame.columns:
        frame = frame.with_columns(
            pl.col("disabled").replace_strict(
                {True: t("desk_yes"), False: t("desk_no")}, return_dtype=pl.String
            )
        )
    shown, _ = filled(frame)
    return shown.rename({c: t(ACCOUNT_COLUMNS[c]) for c in shown.columns if c in ACCOUNT_COLUMNS})


if rows:
    st.dataframe(
        account_table(
            pl.DataFrame(
                rows,
                schema_overrides={
                    "street": pl.String,
                    "locked_until": pl.String,
                    "last_failure_at": pl.String,
                },
            )
        ),
        hide_index=True,
        key="users_grid",
    )
else:  # an empty grid reads "empty" (Streamlit's word, English) under a blank header
    st.info(t("users_none"), icon=":material/person_off:")

with st.form("users_add", clear_on_submit=True):
    st.subheader(t("users_add"))
    cols = st.columns(4)
    name = cols[0].text_input(t("login_name"), key="users_new_name")
    role = cols[1].selectbox(
        t("users_role"), list(ROLES), format_func=lambda r: t(f"role_{r}"), key="users_new_role"
    )
    street = cols[2].text_input(t("users_street"), key="users_new_street")
    password = cols[3].text_input(t("login_password"), type="password", key="users_new_password")
    if st.form_submit_button(t("users_add"), type="primary"):
        change(
            "add",
            name.strip(),
            lambda: accounts.add(name.strip(), role, password, street.strip() or None),
            role=role,
            street=street.strip() or None,
        )

names = [a["name"] for a in rows]
if names:
    with st.container(horizontal=True, vertical_alignment="bottom"):
        picked = st.selectbox(t("users_pick"), names, key="users_pick", width=260)
        new_password = st.text_input(t("users_new_password"), type="password", key="users_pw", width=260)
        if st.button(t("users_set_password"), key="users_set_pw"):
            change("passwd", picked, lambda: accounts.set_password(picked, new_password))
        if st.button(t("users_disable"), key="users_disable"):
            change("disable", picked, lambda: accounts.disable(picked))
        if st.button(t("users_enable"), key="users_enable"):
            change("enable", picked, lambda: accounts.enable(picked))

st.divider()
st.subheader(t("screens_title"))
shown = [s.public() for s in screens.list()]
if shown:
    st.dataframe(
        account_table(pl.DataFrame(shown, schema_overrides={"street": pl.String, "revoked_at": pl.String})),
        hide_index=True,
        key="screens_grid",
    )
with st.container(horizontal=True, vertical_alignment="bottom"):
    screen_name = st.text_input(t("screens_name"), key="screens_new_name", width=260)
    screen_street = st.text_input(t("users_street"), key="screens_new_street", width=260)
    if st.button(t("screens_add"), key="screens_add", type="primary"):
        try:
            token = screens.add(screen_name.strip(), screen_street.strip() or None)
        except AccountError as exc:
            st.error(str(exc))
        else:
            access.record(
                "screen_change",
                action="add",
                target=screen_name.strip(),
                street=screen_street.strip() or None,
                via="admin page",
            )
            base = (st.context.url or "").split("/users")[0].rstrip("/")
            st.info(t("screens_link"))
            st.code(f"{base}{kiosk_path(token)}", language=None)
live = [s["name"] for s in shown if not s["revoked_at"]]
if live:
    with st.container(horizontal=True, vertical_alignment="bottom"):
        revoked = st.selectbox(t("screens_name"), live, key="screens_pick", width=260)
        if st.button(t("screens_revoke"), key="screens_revoke"):
            screens.revoke(revoked)
            access.record("screen_change", action="revoke", target=revoked, via="admin page")
            st.session_state.users_flash = t("users_done", action="revoke", name=revoked)
            st.rerun()
