"""部门报到 — 街道吹哨、部门报到: how the handling departments respond and dispose, ranked.

The department ranking (mart_department_ranking: 按期处置率, 按期结案率, 返工率, 响应率 of the
escalated grid events) with rank change and small-denominator flags, next to the response and
disposal times of the cases each department handled and the grid events the streets whistled to it.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from dashboard import charts, coverage, db, panels, whatif
from dashboard.bulletin_doc.buttons import download_buttons
from dashboard.desk_ui import drawn_marker, faller_reason, filled, localized, pick_period, tie_note
from dashboard.formatting import PCT, arrow, percent
from dashboard.i18n import t
from dashboard.layout import freshness_footer, own_street_note, require_release, street_filter
from dashboard.queries import EVERYTHING, Filter, desk


def small_text(small: pl.Expr, n_metrics: int) -> pl.Expr:
    """The metrics whose denominator is small, or one word when all of them are (a row that stays short)."""
    return (
        pl.when(small.list.len() >= n_metrics)
        .then(pl.lit(t("desk_small_all")))
        .otherwise(small.list.join("、"))
        .alias("small_text")
    )


def text_width(texts: list[str]) -> int:
    """Pixels a text column needs for its longest text (a CJK character is about two Latin ones)."""
    longest = max((sum(2 if ord(ch) > 0x2E80 else 1 for ch in text) for text in texts), default=8)
    return min(8 * longest + 28, 420)


def scope_note() -> str:
    """What a street filter changes: for a street user, that the page is limited to their street."""
    own = own_street_note()
    return own + t("desk_dept_own_street") if own else t("desk_street_scope")


st.title(t("page_departments"))
st.caption(t("desk_departments_intro"))


if require_release():
    street = street_filter()
    periods = desk.periods(EVERYTHING)
    period = pick_period(periods) if periods.height else None
    rows = localized(
        desk.department_ranking_rows(Filter(period_type=period["period_type"]))
        if period and db.has_table("mart_department_ranking")
        else pl.DataFrame()
    )
    if period is None or rows.is_empty():
        st.info(t("desk_no_ranking"))
    else:
        kind, start, end = period["period_type"], period["period_start"], period["period_end"]
        coverage.note_metrics_without_data(rows, start)
        table = whatif.table(rows, start)
        ranked_n = table.filter(pl.col("composite_rank").is_not_null()).height
        st.caption(
            t("desk_dept_sub", period=period["period_label"], kind=t(f"desk_{kind}"), n=ranked_n)
            + ("" if period["is_complete_period"] else " · " + t("desk_partial_note"))
        )
        mover = whatif.biggest_faller(rows, start)
        if mover is not None and mover.fell_in_rank:
            why = faller_reason(mover)
            fell = t(
                "desk_dept_fell",
                **panels.escaped(
                    dept=mover.entity_name,
                    before=mover.previous_rank,
                    now=mover.rank,
                    n=-(mover.rank_change or 0),
                ),
            )
            st.html(panels.stylesheet("desk") + panels.callout(f"{fell}<br>{why}", mover.entity_code))

        here = Filter(start=start, end=end, street=street, period_type=kind)
        response = desk.department_response(here)
        whistles = desk.department_whistles(here)
        values = whatif.metric_matrix(rows, start, "value")
        metrics = (
            rows.filter(pl.col("period_start") == start)
            .select("metric_code", "metric_name", "weight")
            .unique("metric_code", maintain_order=True)
            .sort("weight", "metric_code", descending=[True, False])
        )
        shown = table.join(
            percent(values, *metrics["metric_code"].to_list()), on="entity_code", how="left"
        ).with_columns(
            pl.col("rank_change").map_elements(arrow, return_dtype=pl.String).alias("change_text"),
            small_text(pl.col("small_metrics"), metrics.height),
        )
        if response.height:
            shown = shown.join(
                response.select(
                    "department_code", "dispatched_cases", "median_hours_to_dispose", "p90_hours_to_dispose"
                ),
                left_on="entity_code",
                right_on="department_code",
                how="left",
            )
        if whistles.height:
            shown = shown.join(
                whistles.select("department_code", "whistled_events"),
                left_on="entity_code",
                right_on="department_code",
                how="left",
            )
        config: dict[str, Any] = {
            "composite_rank": st.column_config.NumberColumn(t("rank"), format="%d"),
            "change_text": t("change"),
            "entity_name": t("desk_department"),
            "composite_score": st.column_config.ProgressColumn(
                t("score"), min_value=0.0, max_value=1.25, format="%.3f"
            ),
            "small_text": st.column_config.TextColumn(
                t("desk_small_flag"),
                help=t("desk_small_flag_help"),
                width=text_width([t("desk_small_flag"), *shown["small_text"].drop_nulls().to_list()]),
            ),
            "dispatched_cases": st.column_config.NumberColumn(t("desk_dispatched_cases"), format="%d"),
            "median_hours_to_dispose": st.column_config.NumberColumn(
                t("desk_median_dispose_hours"), format="%.1f"
            ),
            "p90_hours_to_dispose": st.column_config.NumberColumn(t("desk_p90_dispose_hours"), format="%.1f"),
            "whistled_events": st.column_config.NumberColumn(t("desk_whistled_events"), format="%d"),
            **{
                m["metric_code"]: st.column_config.NumberColumn(
                    m["metric_name"], format=PCT, help=t("desk_weight_is", w=f"{m['weight']:g}")
                )
                for m in metrics.iter_rows(named=True)
            },
        }
        columns = [
            "composite_rank",
            "change_text",
            "entity_name",
            "composite_score",
            "small_text",  # beside the score it qualifies, wide enough for its text
            *metrics["metric_code"].to_list(),
            "dispatched_cases",
            "median_hours_to_dispose",
            "p90_hours_to_dispose",
            "whistled_events",
        ]
        st.subheader(t("desk_dept_ranking"))
        table_shown, config = filled(shown.select([c for c in columns if c in shown.columns]), config)
        st.dataframe(
            table_shown, hide_index=True, width="stretch", column_config=config, height=38 + 35 * shown.height
        )
        if note := tie_note(shown):
            st.caption(note)
        unranked = table.filter(pl.col("composite_rank").is_null())["entity_name"].to_list()
        st.caption(
            t("desk_dept_note")
            + (" " + t("desk_unranked", names="、".join(unranked)) if unranked else "")
            + (" " + scope_note() if street else "")
        )
        download_buttons("departments", period["period_label"])  # the 通报 as Word / PDF

        left, right = st.columns(2, gap="large")
        with left:
            st.markdown(f"**{t('desk_dept_ontime_ci')}**")
            key_metric = metrics["metric_code"][0] if metrics.height else None
            data = rows.filter(
                (pl.col("period_start") == start)
                & (pl.col("metric_code") == key_metric)
                & pl.col("value").is_not_null()
            )
            if data.height:
                st.vega_lite_chart(
                    charts.interval_chart(
                        data.select(
                            "entity_name",
                            "value",
                            pl.col("ci_lower").fill_null(pl.col("value")),
                            pl.col("ci_upper").fill_null(pl.col("value")),
                            pl.col("is_small_denominator").alias("small"),
                            "denominator",
                        ),
                        data["target"][0],
                    ),
                    width="stretch",
                )
                st.caption(t("desk_interval_note_metric", metric=data["metric_name"][0]))
        with right:
            st.markdown(f"**{t('desk_dept_speed')}**")
            if response.height:
                st.vega_lite_chart(
                    charts.speed_chart(
                        response,
                        "department_name",
                        "median_hours_to_dispose",
                        "p90_hours_to_dispose",
                        "ontime_disposal_share",
                        t("desk_dispose_hours_axis"),
                    ),
                    width="stretch",
                )
                st.caption(t("desk_dept_speed_note"))
            elif not coverage.note_missing("workflow", what=t("desk_dept_speed")):
                st.info(t("no_rows"))

        left, right = st.columns([2, 3], gap="large")
        with left:
            st.markdown(f"**{t('desk_dept_rework')}**")
            rework = rows.filter(
                (pl.col("period_start") == start)
                & (pl.col("metric_code") == "rework_rate")
                & pl.col("value").is_not_null()
            ).select("entity_name", "value")
            if rework.height:
                st.vega_lite_chart(
                    charts.hbar_chart(rework, "entity_name", "value", color="#f0a020", percent=True),
                    width="stretch",
                )
            else:
                st.info(t("no_rows"))
        with right:
            st.markdown(f"**{t('desk_whistles')}**")
            if whistles.height:
                st.dataframe(
                    percent(whistles, "response_rate")
                    .drop("department_code")
                    .sort("whistled_events", descending=True),
                    hide_index=True,
                    width="stretch",
                    column_config={
                        "department_name": t("desk_department"),
                        "whistled_events": t("desk_whistled_events"),
                        "closed_events": t("desk_closed_events"),
                        "median_hours_to_accept": st.column_config.NumberColumn(
                            t("desk_median_accept_hours"), format="%.1f"
                        ),
                        "median_hours_to_close": st.column_config.NumberColumn(
                            t("desk_median_hours"), format="%.1f"
                        ),
                        "response_rate": st.column_config.NumberColumn(t("desk_m_response_rate"), format=PCT),
                    },
                )
                st.caption(t("desk_whistles_note"))
            elif not coverage.note_missing("grid_events", what=t("desk_whistles")):
                st.info(t("desk_no_whistles"))

        st.markdown(f"**{t('desk_rank_history')}**")
        st.caption(t("desk_dept_history_note"))
        history = (
            rows.group_by("period_start", "period_label", "entity_code", maintain_order=True)
            .agg(pl.first("entity_name"), pl.first("composite_rank"), pl.first("composite_score"))
            .filter((pl.col("period_start") <= start) & pl.col("composite_rank").is_not_null())
            .sort("period_start")
        )
        if history.height:
            st.vega_lite_chart(
                charts.rank_history_chart(
                    history, highlight=mover.entity_name if mover else None, height=320
                ),
                width="stretch",
            )
        drawn_marker("departments")
    freshness_footer()
