"""双报到 — party units and members reporting in to communities, and the service hours they give.

Per month: units' 报到率 (reported members / roster) and approved hours, the units with no approved
activity this month, the hours each community received, hours by activity type, and the trend.
Only approved (已审核) hours count.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts, db, panels
from dashboard.desk_ui import drawn_marker
from dashboard.formatting import PCT, pct, percent
from dashboard.i18n import t
from dashboard.layout import freshness_footer, require_release, street_filter
from dashboard.queries import EVERYTHING, Filter, desk

st.title(t("page_report_in"))
st.caption(t("desk_report_in_intro"))


def pick_month(months: pl.DataFrame) -> dict:
    """Sidebar: the month (the latest complete one by default); kept across pages."""
    options = months.to_dicts()
    labels = [o["month_label"] for o in options]
    wanted = st.session_state.get("desk_period_month")
    default = next((i for i, o in enumerate(options) if o["is_complete_period"]), 0)
    index = st.sidebar.selectbox(
        t("desk_month"),
        range(len(options)),
        index=labels.index(wanted) if wanted in labels else default,
        format_func=lambda i: labels[i] + ("" if options[i]["is_complete_period"] else t("desk_partial")),
    )
    st.session_state.desk_period_month = labels[index]
    return options[index]


if require_release():
    street = street_filter()
    months = (
        desk.report_in_months(EVERYTHING) if db.has_table("mart_report_in_by_unit_month") else pl.DataFrame()
    )
    if months.is_empty():
        st.info(t("missing_source", source=t("desk_src_party")))
    else:
        month = pick_month(months)
        start = month["month_start"]
        here = Filter(start=start, street=street)
        units = desk.report_in_units(here)
        if units.is_empty():
            st.warning(t("no_rows"))
        else:
            # the cards are the warehouse's totals and rates of the month (mart_report_in_by_street_month)
            total = desk.report_in_month(here)
            m = total.row(0, named=True) if total.height else {}
            roster, reported = m.get("roster_members") or 0, m.get("reported_members") or 0
            per_member = m.get("approved_hours_per_member")
            zero = units.filter(pl.col("is_zero_activity"))
            cols = st.columns(6)
            cols[0].metric(t("desk_units"), f"{m.get('units') or 0:,}")
            cols[1].metric(t("desk_roster"), f"{roster:,}")
            cols[2].metric(
                t("desk_m_report_in_rate"),
                pct(m.get("report_in_rate")),
                help=t("desk_report_in_rate_help", reported=f"{reported:,}", roster=f"{roster:,}"),
            )
            cols[3].metric(t("desk_approved_hours"), f"{m.get('approved_hours') or 0:,.1f}")
            cols[4].metric(t("desk_hours_per_member"), f"{per_member:.2f}" if per_member is not None else "—")
            cols[5].metric(t("desk_zero_units"), f"{zero.height}", delta=None)
            st.html(panels.marker({"month": month["month_label"], "zero-units": zero.height}))

            st.subheader(t("desk_zero_units_title", month=month["month_label"], n=zero.height))
            if zero.is_empty():
                st.success(t("desk_zero_units_none"))
            else:
                st.dataframe(
                    zero.select(
                        "unit_name",
                        "party_org_name",
                        "unit_type",
                        "paired_community_name",
                        "paired_street_name",
                        "roster_members",
                        "reported_members",
                        "pending_hours",
                        "rejected_hours",
                    ),
                    hide_index=True,
                    width="stretch",
                    column_config={
                        "unit_name": t("desk_unit"),
                        "party_org_name": t("desk_party_org"),
                        "unit_type": t("desk_unit_type"),
                        "paired_community_name": t("desk_paired_community"),
                        "paired_street_name": t("street"),
                        "roster_members": t("desk_roster"),
                        "reported_members": t("desk_reported_members"),
                        "pending_hours": t("desk_pending_hours"),
                        "rejected_hours": t("desk_rejected_hours"),
                    },
                )
                st.caption(t("desk_zero_units_note"))

            # Only the open tab runs (a tab switch reruns the page), so a page draws only what is shown.
            tabs = st.tabs(
                [t("desk_tab_units"), t("desk_tab_communities_hours"), t("desk_tab_trend")],
                key="report_in_tab",
                on_change="rerun",
            )
            if tabs[0].open is not False:
                with tabs[0]:
                    st.dataframe(
                        percent(units, "report_in_rate").select(
                            "unit_name",
                            "unit_type",
                            "paired_community_name",
                            "paired_street_name",
                            "roster_members",
                            "reported_members",
                            "report_in_rate",
                            "active_members",
                            "approved_activities",
                            "approved_hours",
                            "approved_hours_per_member",
                            "pending_hours",
                            "is_over_roster",
                        ),
                        hide_index=True,
                        width="stretch",
                        height=min(38 + 35 * units.height, 460),
                        column_config={
                            "unit_name": t("desk_unit"),
                            "unit_type": t("desk_unit_type"),
                            "paired_community_name": t("desk_paired_community"),
                            "paired_street_name": t("street"),
                            "roster_members": t("desk_roster"),
                            "reported_members": t("desk_reported_members"),
                            "report_in_rate": st.column_config.NumberColumn(
                                t("desk_m_report_in_rate"), format=PCT
                            ),
                            "active_members": t("desk_active_members"),
                            "approved_activities": t("desk_activities"),
                            "approved_hours": st.column_config.NumberColumn(
                                t("desk_approved_hours"), format="%.1f"
                            ),
                            "approved_hours_per_member": st.column_config.NumberColumn(
                                t("desk_hours_per_member"), format="%.2f"
                            ),
                            "pending_hours": st.column_config.NumberColumn(
                                t("desk_pending_hours"), format="%.1f"
                            ),
                            "is_over_roster": st.column_config.CheckboxColumn(
                                t("desk_over_roster"), help=t("desk_over_roster_help")
                            ),
                        },
                    )
                    left, right = st.columns(2, gap="large")
                    with left:
                        st.markdown(f"**{t('desk_hours_by_unit')}**")
                        top = (
                            units.sort("approved_hours", descending=True)
                            .head(20)
                            .select("unit_name", "approved_hours")
                        )
                        st.vega_lite_chart(
                            charts.hbar_chart(top, "unit_name", "approved_hours"), width="stretch"
                        )
                    with right:
                        st.markdown(f"**{t('desk_rate_by_unit')}**")
                        low = (
                            units.filter(pl.col("report_in_rate").is_not_null())
                            .sort("report_in_rate")
                            .head(20)
                            .select("unit_name", "report_in_rate")
                        )
                        st.vega_lite_chart(
                            charts.hbar_chart(
                                low, "unit_name", "report_in_rate", color="#c8161d", percent=True, sort="x"
                            ),
                            width="stretch",
                        )
                    if units.height > 20:
                        st.caption(t("desk_top_n", n=20, total=units.height))
            if tabs[1].open is not False:
                with tabs[1]:
                    communities = desk.report_in_communities(here)
                    left, right = st.columns([3, 2], gap="large")
                    with left:
                        st.dataframe(
                            percent(communities, "report_in_rate").drop("community_code"),
                            hide_index=True,
                            width="stretch",
                            height=460,
                            column_config={
                                "community_name": t("community"),
                                "street_name": t("street"),
                                "paired_units": t("desk_paired_units"),
                                "roster_members": t("desk_roster"),
                                "reported_members": t("desk_reported_members"),
                                "report_in_rate": st.column_config.NumberColumn(
                                    t("desk_m_report_in_rate"), format=PCT
                                ),
                                "active_members": t("desk_active_members"),
                                "approved_hours": st.column_config.NumberColumn(
                                    t("desk_paired_hours"), format="%.1f"
                                ),
                                "approved_hours_per_member": st.column_config.NumberColumn(
                                    t("desk_hours_per_member"), format="%.2f"
                                ),
                                "zero_activity_units": t("desk_zero_units"),
                                "members_reported_to_community": t("desk_members_in_community"),
                                "approved_activities_in_community": t("desk_activities_in_community"),
                                "approved_hours_in_community": st.column_config.NumberColumn(
                                    t("desk_hours_in_community"), format="%.1f"
                                ),
                            },
                        )
                        st.caption(t("desk_communities_hours_note"))
                    with right:
                        st.markdown(f"**{t('desk_hours_in_community')}**")
                        if communities.height:
                            st.vega_lite_chart(
                                charts.hbar_chart(
                                    communities.select("community_name", "approved_hours_in_community"),
                                    "community_name",
                                    "approved_hours_in_community",
                                    color="#2e9e5b",
                                ),
                                width="stretch",
                            )
                        by_type = desk.report_in_by_type(here)
                        if by_type.height:
                            st.markdown(f"**{t('desk_hours_by_type')}**")
                            st.vega_lite_chart(
                                charts.hbar_chart(
                                    by_type, "activity_type", "approved_hours", color="#7c5cc4"
                                ),
                                width="stretch",
                            )
            if tabs[2].open is not False:
                with tabs[2]:
                    trend = desk.report_in_trend(Filter(street=street))
                    if trend.height:
                        left, right = st.columns(2, gap="large")
                        with left:
                            st.markdown(f"**{t('desk_m_report_in_rate')}**")
                            st.vega_lite_chart(
                                charts.period_trend_chart(
                                    trend,
                                    "month_label",
                                    {"report_in_rate": t("desk_m_report_in_rate")},
                                    percent=True,
                                ),
                                width="stretch",
                            )
                        with right:
                            st.markdown(f"**{t('desk_approved_hours')}**")
                            st.vega_lite_chart(
                                charts.period_trend_chart(
                                    trend,
                                    "month_label",
                                    {"approved_hours": t("desk_approved_hours")},
                                    percent=False,
                                ),
                                width="stretch",
                            )
                        st.dataframe(
                            percent(trend, "report_in_rate").drop("month_start"),
                            hide_index=True,
                            width="stretch",
                            column_config={
                                "month_label": t("desk_month"),
                                "report_in_rate": st.column_config.NumberColumn(
                                    t("desk_m_report_in_rate"), format=PCT
                                ),
                                "approved_hours": st.column_config.NumberColumn(
                                    t("desk_approved_hours"), format="%.1f"
                                ),
                                "approved_hours_per_member": st.column_config.NumberColumn(
                                    t("desk_hours_per_member"), format="%.2f"
                                ),
                                "zero_activity_units": t("desk_zero_units"),
                                "units": t("desk_units"),
                            },
                        )
            drawn_marker("report-in")
    freshness_footer()
