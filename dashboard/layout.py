"""Shared page furniture: the empty-warehouse state, global filters and the freshness footer."""

from __future__ import annotations

import streamlit as st

from . import db
from .i18n import t


def require_release() -> bool:
    """Show how to get data when there is no release yet; True when pages can render."""
    if db.release_path() is None:
        st.info(t("no_release"), icon="ℹ️")
        return False
    return True


def freshness_footer() -> None:
    meta = db.release_meta() or {}
    latest = meta.get("latest_record_at") or "—"
    built = meta.get("finished_at") or "—"
    st.caption(t("freshness", latest=latest, built=built))
