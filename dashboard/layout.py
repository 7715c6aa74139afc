"""Shared page furniture: the empty-warehouse state, global filters, kiosk styling, freshness footer."""

from __future__ import annotations

import streamlit as st

from . import db, queries
from .i18n import t


def require_release() -> bool:
    """Show how to get data when there is no release yet; True when pages can render."""
    if db.release_path() is None:
        st.info(t("no_release"), icon="ℹ️")
        return False
    return True


def street_filter() -> str | None:
    """The sidebar street filter every desk page shares; the choice is kept in session state."""
    streets = db.query(queries.STREETS)
    codes = [None, *streets["street_code"].to_list()] if streets.height else [None]
    names = dict(zip(streets["street_code"].to_list(), streets["street_name"].to_list(), strict=True)) if streets.height else {}
    current = st.session_state.get("street_code")
    choice = st.sidebar.selectbox(
        t("street"), codes, index=codes.index(current) if current in codes else 0,
        format_func=lambda c: t("all_streets") if c is None else names.get(c, c),
    )
    st.session_state.street_code = choice
    return choice


def freshness_footer() -> None:
    meta = db.release_meta() or {}
    clock = db.query(queries.DATA_CLOCK) if db.has_table("mart_command_center_kpis") else None
    latest = clock["as_of"][0] if clock is not None and clock.height and clock["as_of"][0] is not None else "—"
    st.caption(t("freshness", latest=latest, built=meta.get("finished_at") or "—"))


def kiosk_css() -> str:
    """Big-screen styling: dark, no sidebar/header/toolbar, no scroll bars, fixed 1920×1080 canvas."""
    return """<style>
    [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header, [data-testid="stHeader"],
    [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"], footer,
    [data-testid="stSidebarNav"] { display: none !important; }
    html, body, .stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] {
        overflow: hidden !important; background: #061226 !important; color: #dce9ff !important; }
    ::-webkit-scrollbar { display: none; }
    .block-container, [data-testid="stMainBlockContainer"] { padding: 10px 18px 0 18px !important; max-width: 1920px !important; }
    [data-testid="stVerticalBlock"] { gap: 6px !important; }
    .stApp p, .stApp span, .stApp div, .stApp td, .stApp th { color: #dce9ff; }
    .cc-title { font-size: 34px; font-weight: 700; letter-spacing: 4px; color: #7fd3ff !important;
        text-shadow: 0 0 12px rgba(64,160,255,.6); }
    .cc-sub { font-size: 18px; margin-left: 18px; color: #9db7da !important; letter-spacing: 1px; }
    .kpi-row { display: flex; gap: 12px; }
    .kpi { flex: 1; background: linear-gradient(180deg,#0d2a4f,#0a1e3a); border: 1px solid #1e4a80;
        border-radius: 8px; padding: 8px 14px; box-shadow: inset 0 0 18px rgba(40,120,220,.25); }
    .kpi.alert { border-color: #ff4d4f; box-shadow: inset 0 0 18px rgba(255,77,79,.45); }
    .kpi.alert .kpi-value { color: #ff6b6b !important; }
    .kpi-name { font-size: 16px; color: #9db7da !important; }
    .kpi-value { font-size: 40px; font-weight: 700; color: #ffffff !important; font-family: "DIN Alternate", sans-serif; }
    .kpi-delta { font-size: 13px; color: #9db7da !important; }
    .up { color: #ff7875 !important; } .down { color: #52c41a !important; } .flat { color: #8aa0bf !important; }
    .board-title { font-size: 17px; font-weight: 600; color: #7fd3ff !important; border-left: 4px solid #3ba0ff;
        padding-left: 8px; margin: 4px 0; }
    table.board { width: 100%; border-collapse: collapse; font-size: 15px; }
    table.board th { color: #7f9cc4 !important; font-weight: 500; text-align: left; border-bottom: 1px solid #1e3a66; }
    table.board td { padding: 4px 2px; border-bottom: 1px solid #10284a; }
    ul.urgent { list-style: none; padding: 0; margin: 0; font-size: 15px; }
    ul.urgent li { padding: 6px 8px; margin-bottom: 6px; background: #0b2344; border-left: 3px solid #f5a623; }
    ul.urgent li.overdue { border-left-color: #ff4d4f; background: #2a1020; }
    .pager, .panel-empty { font-size: 12px; color: #7f9cc4 !important; text-align: right; }
    </style>"""
