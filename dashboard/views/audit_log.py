"""审计日志 — a data admin's view of the audit trail (as `gridpulse audit`), newest first, filtered."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta

import polars as pl
import streamlit as st

from dashboard import access
from dashboard.i18n import t
from warehouse.access import audit

st.title(t("page_audit"))
with st.container(horizontal=True, vertical_alignment="bottom"):
    events = st.multiselect(
        t("audit_events"),
        list(audit.EVENTS),
        key="audit_events",
        width=520,
        placeholder=t("all"),
        format_func=lambda e: t(f"audit_event_{e}"),
    )
    who = st.text_input(t("audit_user"), key="audit_user", width=220)
    since = st.date_input(
        t("audit_since"), value=datetime.now().date() - timedelta(days=30), key="audit_since", width=180
    )
entries = audit.read(
    access.home(),
    since=datetime.combine(since, time()) if since else None,
    events=events or None,
    user=who.strip() or None,
)[::-1]
st.caption(t("audit_count", n=len(entries)))
if entries:
    frame = pl.DataFrame(
        {
            "at": [e["at"] for e in entries],
            "event": [
                t(f"audit_event_{e['event']}") if e["event"] in audit.EVENTS else e["event"] for e in entries
            ],
            "user": [e.get("user") or "" for e in entries],
            "details": [
                json.dumps(
                    {k: v for k, v in e.items() if k not in ("at", "event", "user")},
                    ensure_ascii=False,
                    default=str,
                )
                for e in entries
            ],
        }
    )
    st.dataframe(
        frame,
        hide_index=True,
        key="audit_grid",
        height=min(35 * (len(entries) + 1) + 3, 700),
        column_config={
            "at": t("audit_at"),
            "event": t("audit_event"),
            "user": t("audit_user"),
            "details": st.column_config.TextColumn(t("audit_details"), width="large"),
        },
    )
