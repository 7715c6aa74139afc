"""Page chrome every page shares: the empty-warehouse state, the sidebar street filter, the freshness footer.
Desk-only controls are in dashboard.desk_ui; HTML panels and their stylesheets in dashboard.panels."""

from __future__ import annotations

import streamlit as st

from . import db
from .formatting import MISSING
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


def own_street_note() -> str:
    """For a one-street user, the sentence saying the page is limited to their street (else empty)."""
    own = own_street()
    if own is None:
        return ""
    streets = screens.streets(EVERYTHING)
    names = dict(zip(streets["street_code"].to_list(), streets["street_name"].to_list(), strict=True))
    return t("scope_own_street", street=names.get(own, own))


def street_filter() -> str | None:
    """The sidebar street filter every desk page shares; the choice is kept in session state.

    It lists only the streets the user may see (the query layer's scope): a street user's own street,
    and no "all streets" choice that would read as the city."""
    streets = screens.streets(EVERYTHING)
    mine = streets["street_code"].to_list() if streets.height else []
    codes: list[str | None] = mine if session_scope() is not None else [None, *mine]
    codes = codes or [None]
    names = (
        dict(zip(streets["street_code"].to_list(), streets["street_name"].to_list(), strict=True))
        if streets.height
        else {}
    )
    current = st.session_state.get("street_code")
    choice = st.sidebar.selectbox(
        t("street"),
        codes,
        index=codes.index(current) if current in codes else 0,
        format_func=lambda c: t("all_streets") if c is None else names.get(c, c),
    )
    st.session_state.street_code = choice
    return choice


def freshness_footer() -> None:
    meta = db.release_meta() or {}
    clock = screens.data_clock(EVERYTHING) if db.has_table("mart_command_center_kpis") else None
    latest = (
        clock["as_of"][0] if clock is not None and clock.height and clock["as_of"][0] is not None else MISSING
    )
    st.caption(markdown_literal(t("freshness", latest=latest, built=meta.get("finished_at") or MISSING)))


def markdown_literal(text: str) -> str:
    """Text for st.caption/st.markdown that the browser renders as written: every ``:`` escaped.

    The frontend loads its emoji plugin (remark-emoji and a 250 KB dictionary) for any markdown with
    ``:word:`` in it — and a clock time such as ``23:58:00`` is one. On a desk page that chunk arrived
    last and re-rendered the footer while the charts were drawing. An escaped colon renders the same.
    """
    return text.replace(":", "\\:")
