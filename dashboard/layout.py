"""Shared page furniture: the empty-warehouse state, global filters, the screen's styling, freshness footer."""

from __future__ import annotations

import streamlit as st

from . import db
from .i18n import t
from .queries import EVERYTHING, screens
from .queries.sql import session_scope


def require_release() -> bool:
    """Show how to get data when there is no release yet; True when pages can render."""
    if db.release_path() is None:
        st.info(t("no_release"), icon="ℹ️")
        return False
    return True


def own_street() -> str | None:
    """The street of a one-street user (a street account, a street's kiosk screen); None for the city."""
    scope = session_scope()
    return scope[0] if scope is not None and len(scope) == 1 else None


def street_filter() -> str | None:
    """The sidebar street filter every desk page shares; the choice is kept in session state.

    It lists only the streets the user may see (the query layer's scope): a street user's own street,
    and no "all streets" choice that would read as the city."""
    streets = screens.streets(EVERYTHING)
    mine = streets["street_code"].to_list() if streets.height else []
    codes: list[str | None] = mine if session_scope() is not None else [None, *mine]
    codes = codes or [None]
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
    clock = screens.data_clock(EVERYTHING) if db.has_table("mart_command_center_kpis") else None
    latest = clock["as_of"][0] if clock is not None and clock.height and clock["as_of"][0] is not None else "—"
    st.caption(markdown_literal(t("freshness", latest=latest, built=meta.get("finished_at") or "—")))


def markdown_literal(text: str) -> str:
    """Text for st.caption/st.markdown that the browser renders as written: every ``:`` escaped.

    The frontend loads its emoji plugin (remark-emoji and a 250 KB dictionary) for any markdown with
    ``:word:`` in it — and a clock time such as ``23:58:00`` is one. On a desk page that chunk arrived
    last and re-rendered the footer while the charts were drawing. An escaped colon renders the same.
    """
    return text.replace(":", "\\:")


# The screen's panels in two palettes: the dark wall (kiosk) and the app's light theme.
SCREEN_COLORS = {
    True: {"text": "#dce9ff", "muted": "#9db7da", "title": "#7fd3ff", "glow": "0 0 12px rgba(64,160,255,.6)",
           "card": "linear-gradient(180deg,#0d2a4f,#0a1e3a)", "card_border": "#1e4a80",
           "card_shadow": "inset 0 0 18px rgba(40,120,220,.25)", "value": "#ffffff", "alert": "#ff6b6b",
           "alert_shadow": "inset 0 0 18px rgba(255,77,79,.45)", "th": "#7f9cc4", "th_line": "#1e3a66",
           "td_line": "#10284a", "item": "#0b2344", "item_overdue": "#2a1020", "up": "#ff7875", "down": "#52c41a",
           "flat": "#8aa0bf"},
    False: {"text": "#1d2a3a", "muted": "#5b6b82", "title": "#1f5fa8", "glow": "none",
            "card": "linear-gradient(180deg,#f7faff,#eef4fc)", "card_border": "#c9d8ee",
            "card_shadow": "none", "value": "#0f1c2e", "alert": "#d4380d", "alert_shadow": "0 0 0 1px #ffa39e",
            "th": "#5b6b82", "th_line": "#c9d8ee", "td_line": "#e6edf7", "item": "#f3f7fd", "item_overdue": "#fff1f0",
            "up": "#cf1322", "down": "#389e0d", "flat": "#8c8c8c"},
}


def screen_css(kiosk: bool) -> str:
    """The command center's panels (KPI cards, boards, urgent list): dark on the wall, light in the app.
    On the wall also the frame: no sidebar/header/toolbar, no scroll bars, a fixed 1920×1080 canvas."""
    c = SCREEN_COLORS[kiosk]
    frame = """
    [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header, [data-testid="stHeader"],
    [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"], footer,
    [data-testid="stSidebarNav"] { display: none !important; }
    html, body, .stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] {
        overflow: hidden !important; background: #061226 !important; color: #dce9ff !important; }
    ::-webkit-scrollbar { display: none; }
    .block-container, [data-testid="stMainBlockContainer"] { padding: 10px 18px 0 18px !important; max-width: 1920px !important; }
    [data-testid="stVerticalBlock"] { gap: 6px !important; }
    .stApp p, .stApp span, .stApp div, .stApp td, .stApp th { color: #dce9ff; }""" if kiosk else ""
    return f"""<style>{frame}
    .cc-title {{ font-size: {34 if kiosk else 28}px; font-weight: 700; letter-spacing: 4px; color: {c["title"]} !important;
        text-shadow: {c["glow"]}; }}
    .cc-sub {{ font-size: 18px; margin-left: 18px; color: {c["muted"]} !important; letter-spacing: 1px; font-weight: 400; }}
    .kpi-row {{ display: flex; gap: 12px; flex-wrap: wrap; }}
    .kpi {{ flex: 1; min-width: 150px; background: {c["card"]}; border: 1px solid {c["card_border"]};
        border-radius: 8px; padding: 8px 14px; box-shadow: {c["card_shadow"]}; }}
    .kpi.alert {{ border-color: #ff4d4f; box-shadow: {c["alert_shadow"]}; }}
    .kpi.alert .kpi-value {{ color: {c["alert"]} !important; }}
    .kpi-name {{ font-size: 16px; color: {c["muted"]} !important; }}
    .kpi-value {{ font-size: {40 if kiosk else 34}px; font-weight: 700; color: {c["value"]} !important;
        font-family: "DIN Alternate", sans-serif; }}
    .kpi-unit {{ font-size: 16px; margin-left: 2px; }}
    .kpi-basis {{ font-size: {16 if kiosk else 13}px; color: {c["muted"]} !important; }}
    .kpi-delta {{ font-size: {16 if kiosk else 13}px; color: {c["muted"]} !important; }}
    .up {{ color: {c["up"]} !important; }} .down {{ color: {c["down"]} !important; }} .flat {{ color: {c["flat"]} !important; }}
    .board-title {{ font-size: 17px; font-weight: 600; color: {c["title"]} !important; border-left: 4px solid #3ba0ff;
        padding-left: 8px; margin: 0; }}
    table.board {{ width: 100%; border-collapse: collapse; font-size: {17 if kiosk else 15}px; color: {c["text"]}; }}
    table.board th {{ color: {c["th"]} !important; font-weight: 500; text-align: left; border-bottom: 1px solid {c["th_line"]}; }}
    table.board td {{ padding: 4px 2px; border-bottom: 1px solid {c["td_line"]}; }}
    ul.urgent {{ list-style: none; padding: 0; margin: 0; font-size: {17 if kiosk else 15}px; color: {c["text"]}; }}
    ul.urgent li {{ padding: 5px 8px; margin-bottom: 5px; line-height: 22px; background: {c["item"]};
        border-left: 3px solid #f5a623; }}
    ul.urgent li.overdue {{ border-left-color: #ff4d4f; background: {c["item_overdue"]}; }}
    ul.urgent small {{ font-size: {16 if kiosk else 12}px; }}
    .pager, .panel-empty {{ font-size: {16 if kiosk else 12}px; color: {c["th"]} !important; text-align: right; }}
    </style>"""
