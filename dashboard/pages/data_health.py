"""数据健康 — what the current release is, and the build history."""

import polars as pl
import streamlit as st

from dashboard import db
from dashboard.i18n import t
from dashboard.layout import freshness_footer, require_release
from warehouse.release import history

st.title(t("page_health"))

releases = history(db.home())
if require_release():
    meta = db.release_meta() or {}
    st.subheader(t("release"))
    cols = st.columns(3)
    cols[0].metric(t("built_at"), meta.get("finished_at", "—"))
    cols[1].metric(t("build_seconds"), meta.get("seconds", "—"))
    cols[2].metric(t("tests"), ", ".join(f"{k} {v}" for k, v in (meta.get("tests") or {}).items()) or "—")
    counts = meta.get("row_counts") or {}
    if counts:
        st.subheader(t("rows_per_mart"))
        st.dataframe(pl.DataFrame({"mart": list(counts), "rows": list(counts.values())}), hide_index=True)

if releases:
    st.subheader(t("release_history"))
    st.dataframe(
        pl.DataFrame(
            {
                "id": [r.get("id") for r in releases],
                t("status"): [("★ " if r.get("current") else "") + str(r.get("status")) for r in releases],
                t("built_at"): [r.get("finished_at") or r.get("started_at") for r in releases],
                t("build_seconds"): [r.get("seconds") for r in releases],
                t("failures"): ["; ".join(r.get("failures") or []) for r in releases],
            }
        ),
        hide_index=True,
    )
freshness_footer()
