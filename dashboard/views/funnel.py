"""闭环漏斗 — how far the cases of a period got, where they stopped, how long each stage took, on time or not.

Platform cases: 上报 → 受理 → 立案 → 派遣 → 处置 → 核查 → 结案 with the conversion at every step and
the side flows (作废, 返工, 延期, 回退); grid events with their resolution level (小事不出网格); stage
durations (median, P90, distribution) and the 应结案-based on-time rates; the same by street,
department, source or category. Every bar drills to its cases, every case to its workflow timeline.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
import streamlit as st

from dashboard import charts, coverage, panels
from dashboard.desk_ui import dashes, drawn_marker, pick_period
from dashboard.formatting import PCT, pct, percent
from dashboard.i18n import t
from dashboard.layout import freshness_footer, require_release, street_filter
from dashboard.queries import EVERYTHING, Filter, desk

STAGES = ["reported", "accepted", "filed", "dispatched", "disposed", "verified", "closed"]
FLOWS = ["cancelled", "rework", "extension", "rollback", "overdue"]
FLOW_COUNTS = {
    "cancelled": "cancelled",
    "rework": "reworked",
    "extension": "extended",
    "rollback": "rolled_back",
    "overdue": "overdue",
}
DURATIONS = [
    "report_to_accept",
    "accept_to_file",
    "file_to_dispatch",
    "dispatch_to_dispose",
    "dispose_to_verify",
    "verify_to_close",
    "report_to_close",
]
DIMENSIONS = ["street", "department", "source", "category"]
# breakdown measure → (column, is a rate, case set behind a bar)
MEASURES: dict[str, tuple[str, bool, str]] = {
    "reported": ("reported", False, "reported"),
    "ontime_closure_rate": ("ontime_closure_rate", True, "due"),
    "ontime_disposal_rate": ("ontime_disposal_rate", True, "due"),
    "closure_rate": ("closure_rate", True, "due"),
    "rework_rate": ("rework_rate", True, "due"),
    "extension_rate": ("extension_rate", True, "due"),
    "median_hours_to_close": ("median_hours_to_close", False, "reported"),
}
EVENT_LEVELS = ["grid_level", "community_level", "street_whistle", "department_level"]  # 网格自办 … 部门报到


def funnel_titles() -> dict[str, str]:
    """The funnel charts' tooltip names in the UI's language."""
    return {
        "stage": t("desk_stage"),
        "cases": t("desk_cases_n"),
        "conversion": t("desk_step"),
        "of_first": t("desk_cumulative"),
        "name": t("desk_flow"),
        "share": t("desk_share_of_reported"),
    }


st.title(t("page_funnel"))
st.caption(t("desk_funnel_intro"))


def hours(x: float | None) -> str:
    return "—" if x is None else f"{x:,.1f} h" if x >= 1 else f"{x * 60:.0f} min"


def options(frame: pl.DataFrame) -> list[str]:
    return [v for v in frame.to_series().to_list() if v is not None] if frame.height else []


def short_hours(x: float) -> str:
    """Compact bin edge: 15m, 1h, 16h, 2.7d."""
    if x < 1:
        return f"{x * 60:.0f}m"
    return f"{x:.0f}h" if x < 48 else f"{x / 24:.0f}d"


def picked(event: Any, field: str) -> Any:
    """The value of ``field`` a click on a chart picked, or None."""
    try:
        selection = event["selection"] if isinstance(event, dict) else event.selection
        points = selection[charts.PICK]
    except (AttributeError, KeyError, TypeError):
        return None
    if isinstance(points, list) and points and isinstance(points[0], dict):
        return points[0].get(field)
    return None


DRILL_CHARTS = {"stage": ("funnel_chart", "stage_no"), "flow": ("flow_chart", "flow")}


def remember(kind: str) -> Callable[[], None]:
    """on_select callback: the bar clicked last (on either funnel chart) decides the drill; clearing one
    falls back to the other chart's pick."""

    def callback() -> None:
        order = [kind, *[k for k in DRILL_CHARTS if k != kind]]
        st.session_state.funnel_drill = next(
            (
                (k, v)
                for k in order
                if (v := picked(st.session_state.get(DRILL_CHARTS[k][0]), DRILL_CHARTS[k][1])) is not None
            ),
            None,
        )

    return callback


def case_table(cases: pl.DataFrame, key: str) -> str | None:
    """A case list; the selected row's case id, None until the user ticks a row (the timeline is a drill: the
    list's first case is no more telling than any other, and a timeline nobody asked for is a chart, a table
    and five metrics more to draw, ~0.2 s on every view of the page)."""
    if cases.is_empty():
        st.info(t("desk_no_cases"))
        return None
    total = int(cases["total"][0]) if "total" in cases.columns else cases.height
    cases = cases.drop("total", strict=False)
    if total > cases.height:
        st.caption(t("desk_showing_n_of_m", n=f"{cases.height:,}", m=f"{total:,}"))
    shown = dashes(
        cases,
        "deadline_at",
        "closed_at",
        "is_closed_on_time",
        "community_name",
        "urgency",
        "handling_department_name",
        "category_minor",
    ).with_columns(pl.col("timeline_issue").fill_null(""))
    event = st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * shown.height, 320),
        key=key,
        on_select="rerun",
        selection_mode="single-row",
        column_config={
            "case_id": t("desk_case_id"),
            "reported_at": st.column_config.DatetimeColumn(t("desk_reported_at"), format="YYYY-MM-DD HH:mm"),
            "street_name": t("street"),
            "community_name": t("community"),
            "source_channel": t("source"),
            "category_major": t("category"),
            "category_minor": t("desk_category_minor"),
            "urgency": t("desk_urgency"),
            "handling_department_name": t("desk_department"),
            "current_status": t("case_status"),
            "deadline_at": t("desk_deadline"),
            "closed_at": t("desk_closed_at"),
            "is_closed_on_time": t("desk_on_time"),
            "rework_count": t("desk_rework_loops"),
            "extension_count": t("desk_extensions"),
            "timeline_issue": t("desk_timeline_issue"),
        },
    )
    rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
    st.caption(t("desk_pick_case_hint", n=total))
    return cases["case_id"][rows[0]] if rows else None


def case_timeline(case_id: str) -> None:
    """One case: its facts and every workflow action on a time line."""
    head = desk.case_header(EVERYTHING, case_id)
    actions = desk.case_timeline(EVERYTHING, case_id)
    if head.is_empty():
        return
    c = head.row(0, named=True)
    st.markdown(
        f"##### {t('desk_timeline_of', case=case_id)} · {c['category_minor']} · {c['street_name']}"
        f"{c['community_name'] or ''}"
    )
    cols = st.columns(5)
    cols[0].metric(t("case_status"), c["current_status"])
    cols[1].metric(t("desk_deadline"), f"{c['deadline_at']:%m-%d %H:%M}" if c["deadline_at"] else "—")
    cols[2].metric(t("desk_closed_at"), f"{c['closed_at']:%m-%d %H:%M}" if c["closed_at"] else "—")
    if c["closed_at"] is not None:
        on_time = t("desk_yes") if c["is_closed_on_time"] else t("desk_no")
    else:
        on_time = t("desk_overdue_now") if c["is_overdue"] else t("desk_not_due")
    cols[3].metric(t("desk_on_time"), on_time)
    cols[4].metric(
        t("desk_rework_loops"),
        f"{c['rework_count']} / {c['extension_count']}",
        help=t("desk_rework_ext_help"),
    )
    if c["timeline_issue"]:
        st.warning(t("desk_timeline_issue_note", issue=c["timeline_issue"]))
    if actions.height:
        words = {
            "deadline": t("desk_deadline"),
            "rework_round": t("desk_rework_round"),
            "action_seq": "#",
            "action": t("desk_action"),
            "action_at": t("desk_action_at"),
            "department_name": t("desk_department"),
            "note": t("desk_note"),
            "hours_since_previous": t("desk_hours_since_previous"),
        }
        st.vega_lite_chart(charts.timeline_chart(actions, c["deadline_at"], words=words), width="stretch")
        st.dataframe(
            actions,
            hide_index=True,
            width="stretch",
            column_config={
                "action_seq": "#",
                "action": t("desk_action"),
                "stage": t("desk_stage"),
                "action_at": st.column_config.DatetimeColumn(t("desk_action_at"), format="YYYY-MM-DD HH:mm"),
                "department_name": t("desk_department"),
                "rework_round": t("desk_rework_round"),
                "hours_since_previous": t("desk_hours_since_previous"),
                "hours_since_reported": t("desk_hours_since_reported"),
                "is_before_reported": t("desk_before_reported"),
                "note": t("desk_note"),
            },
        )


def platform_funnel(f: Filter, counts: dict[str, Any]) -> None:
    # Without a workflow log (a 311 export) only 上报 and 结案 are known; stage numbers stay those of STAGES.
    shown = STAGES if not coverage.missing("workflow") else ["reported", "closed"]
    if len(shown) < len(STAGES):
        st.info(t("coverage_no_log_funnel"), icon="ℹ️")
    # step and cumulative conversions are the warehouse's (fct_case_funnel_steps' flags); without a log the
    # step to 结案 is from 上报, its cumulative share
    stages = {r["stage_code"]: r for r in desk.funnel_stages(f).to_dicts()}
    stage_rows = []
    for j, s in enumerate(shown):
        row = stages.get(s, {"cases": counts[s], "conversion": None, "of_first": None})
        n, of_first = counts[s], row["of_first"]
        conversion = row["conversion"] if len(shown) == len(STAGES) else of_first
        label = (
            f"{n:,}"
            if j == 0
            else f"{n:,} · {t('desk_step')} {pct(conversion)} · {t('desk_cumulative')} {pct(of_first)}"
        )
        stage_rows.append(
            {
                "stage_no": STAGES.index(s) + 1,
                "stage": t(f"desk_stage_{s}"),
                "cases": n,
                "conversion": conversion,
                "of_first": of_first,
                "label": label,
            }
        )
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.markdown(f"**{t('desk_case_funnel')}**")
        st.vega_lite_chart(
            charts.funnel_chart(pl.DataFrame(stage_rows), titles=funnel_titles()),
            width="stretch",
            key="funnel_chart",
            on_select=remember("stage"),
            selection_mode=charts.PICK,
        )
        st.caption(t("desk_funnel_click"))
    flow_rows = [
        {
            "flow": k,
            "name": t(f"desk_flow_{k}"),
            "cases": counts[FLOW_COUNTS[k]],
            "share": counts[f"{FLOW_COUNTS[k]}_share"],
        }
        for k in FLOWS
    ]
    for r in flow_rows:
        r["label"] = f"{r['cases']:,} · {pct(r['share'])}"
    with right:
        st.markdown(f"**{t('desk_side_flows')}**")
        st.vega_lite_chart(
            charts.side_flow_chart(pl.DataFrame(flow_rows), titles=funnel_titles()),
            width="stretch",
            key="flow_chart",
            on_select=remember("flow"),
            selection_mode=charts.PICK,
        )
        st.caption(
            t(
                "desk_side_flow_note",
                loops=counts["rework_loops"],
                extensions=counts["extensions"],
                issues=counts["timeline_issues"],
            )
        )
    still_picked = any(
        picked(st.session_state.get(key), field) is not None for key, field in DRILL_CHARTS.values()
    )
    kind, value = (st.session_state.get("funnel_drill") if still_picked else None) or (None, None)
    stage_no = value if kind == "stage" else None
    flow = value if kind == "flow" else None
    if flow is None and stage_no is None:
        # Nothing clicked yet: open the bottleneck, the stage most cases stopped at (before 结案).
        losses = [
            (counts[a] - counts[b], STAGES.index(a) + 1) for a, b in zip(shown, shown[1:], strict=False)
        ]
        loss, stage_no = max(losses)
        stage_no = stage_no if loss > 0 else len(STAGES)
        st.caption(t("desk_drill_default"))
    if flow is not None:
        st.markdown(f"#### {t('desk_cases_in_flow', flow=t(f'desk_flow_{flow}'))}")
        cases = desk.funnel_cases(f, flow=flow)
    else:
        st.markdown(f"#### {t('desk_cases_at_stage', stage=t(f'desk_stage_{STAGES[int(stage_no) - 1]}'))}")
        cases = desk.funnel_cases(f, stage_no=int(stage_no))
    case_id = case_table(cases, key=f"funnel_cases_{stage_no}_{flow}")
    if case_id:
        case_timeline(case_id)


def event_funnel(f: Filter) -> None:
    ev = desk.event_funnel(f)
    if ev.is_empty() or not ev["reported"][0]:
        st.info(t("desk_no_events"))
        return
    e = ev.row(0, named=True)
    # counts, step conversions and level rates are the warehouse's (mart_grid_event_funnel)
    steps = [
        ("reported", e["reported"], None, 1.0),
        ("accepted", e["accepted"], e["accepted_of_reported"], e["accepted_of_reported"]),
        ("closed", e["closed"], e["closed_of_accepted"], e["closed_of_reported"]),
        ("visited", e["visited"], e["visited_of_closed"], e["visited_of_reported"]),
    ]
    rows = [
        {
            "stage_no": i,
            "stage": t(f"desk_event_{k}"),
            "cases": n,
            "conversion": step,
            "of_first": of_first,
            "label": f"{n:,}" if i == 1 else f"{n:,} · {t('desk_step')} {pct(step)}",
        }
        for i, (k, n, step, of_first) in enumerate(steps, start=1)
    ]
    grid_rate, within, whistle = e["grid_self_resolution_rate"], e["within_community_rate"], e["whistle_rate"]
    cols = st.columns(4)
    cols[0].metric(t("desk_grid_self_rate"), pct(grid_rate), help=t("desk_grid_self_help"))
    cols[1].metric(t("desk_within_community_rate"), pct(within), help=t("desk_within_community_help"))
    cols[2].metric(t("desk_whistle_rate"), pct(whistle), help=t("desk_whistle_help"))
    cols[3].metric(
        t("desk_event_median_close"),
        hours(e["median_hours_to_close"]),
        help=t("desk_p90_is", p90=hours(e["p90_hours_to_close"])),
    )
    left, right = st.columns([1, 1], gap="large")
    with left:
        st.markdown(f"**{t('desk_event_funnel')}**")
        st.vega_lite_chart(
            charts.funnel_chart(pl.DataFrame(rows), step=48, titles=funnel_titles()), width="stretch"
        )
        st.caption(t("desk_event_side", cancelled=e["cancelled"], open=e["still_open"]))
        durations = desk.event_level_durations(f)
        if durations.height:
            st.markdown(f"**{t('desk_level_durations')}**")
            st.dataframe(
                percent(durations, "resolution_rate"),
                hide_index=True,
                width="stretch",
                column_config={
                    "resolution_level": t("desk_resolution_level"),
                    "closed": t("desk_closed_events"),
                    "median_hours_to_close": st.column_config.NumberColumn(
                        t("desk_median_hours"), format="%.1f"
                    ),
                    "p90_hours_to_close": st.column_config.NumberColumn(t("desk_p90_hours"), format="%.1f"),
                    "resolution_rate": st.column_config.NumberColumn(t("desk_resolved_rate"), format=PCT),
                },
            )
    with right:
        st.markdown(f"**{t('desk_levels_by_street')}**")
        by_street = desk.event_levels_by_street(f)
        if by_street.is_empty():
            st.info(t("desk_no_events"))
        else:
            levels = pl.concat(
                [
                    by_street.select(
                        "street_name",
                        pl.lit(t(f"desk_level_{col}")).alias("level"),
                        pl.lit(i).alias("level_no"),
                        pl.col(col).alias("events"),
                    )
                    for i, col in enumerate(EVENT_LEVELS, start=1)
                ]
            )
            st.vega_lite_chart(charts.levels_chart(levels), width="stretch")
            st.caption(t("desk_levels_note"))


def durations_section(f: Filter) -> None:
    durations = desk.stage_durations(f)
    if durations.is_empty():
        st.info(t("desk_no_durations"))
        return
    order = {s: i for i, s in enumerate(DURATIONS, start=1)}
    durations = durations.with_columns(
        pl.col("stage").replace_strict(order, default=99).alias("stage_no"),
        pl.col("stage").alias("code"),
        pl.col("stage").replace_strict({s: t(f"desk_dur_{s}") for s in DURATIONS}, default=pl.col("stage")),
    ).sort("stage_no")
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.markdown(f"**{t('desk_stage_durations')}**")
        st.vega_lite_chart(charts.duration_chart(durations), width="stretch")
        st.caption(t("desk_duration_legend"))
    with right:
        st.dataframe(
            durations.select("stage", "cases", "median_hours", "p90_hours"),
            hide_index=True,
            width="stretch",
            column_config={
                "stage": t("desk_stage"),
                "cases": t("desk_cases_n"),
                "median_hours": st.column_config.NumberColumn(t("desk_median_hours"), format="%.2f"),
                "p90_hours": st.column_config.NumberColumn(t("desk_p90_hours"), format="%.2f"),
            },
        )
        codes = durations["code"].to_list()
        stage = st.selectbox(
            t("desk_histogram_of"),
            codes,
            index=codes.index("report_to_close") if "report_to_close" in codes else 0,
            format_func=lambda s: t(f"desk_dur_{s}"),
        )
        hist = desk.stage_histogram(f, stage)
        if hist.height:
            last_bin = hist["bin"].max()
            hist = hist.with_columns(
                pl.struct("bin", "lower_hours", "upper_hours")
                .map_elements(
                    lambda b: (
                        f"≥{short_hours(b['lower_hours'])}"
                        if b["bin"] == last_bin
                        else f"<{short_hours(b['upper_hours'])}"
                    ),
                    return_dtype=pl.String,
                )
                .alias("bin_label")
            )
            first = hist.filter(pl.col("cases") > 0)["bin"].min()
            last = hist.filter(pl.col("cases") > 0)["bin"].max()
            if first is not None:
                hist = hist.filter(pl.col("bin").is_between(first, last))
            st.vega_lite_chart(charts.histogram_chart(hist), width="stretch")
    st.markdown(f"**{t('desk_ontime_trend')}**")
    trend = desk.ontime_trend(f)
    if trend.height:
        st.vega_lite_chart(
            charts.period_trend_chart(
                trend,
                "period_label",
                {
                    "ontime_closure_rate": t("desk_m_ontime_closure_rate"),
                    "ontime_disposal_rate": t("desk_m_ontime_disposal_rate"),
                    "closure_rate": t("desk_m_closure_rate"),
                },
                percent=True,
                height=220,
            ),
            width="stretch",
        )
        st.caption(t("desk_due_note"))


def breakdown_section(f: Filter) -> None:
    c1, c2 = st.columns([1, 2])
    dim = c1.radio(
        t("desk_breakdown_by"), DIMENSIONS, format_func=lambda d: t(f"desk_dim_{d}"), horizontal=True
    )
    measure = c2.radio(
        t("desk_measure"), list(MEASURES), format_func=lambda m: t(f"desk_m_{m}"), horizontal=True
    )
    column, is_rate, case_set = MEASURES[measure]
    data = desk.flow_breakdown(f, dim)
    if data.is_empty():
        st.info(t("no_rows"))
        return
    # a rate's n is its base as the warehouse counts it (flow_breakdown's <rate>_base); hours: the cohort
    den = f"{column}_base" if is_rate else ("reported" if column.startswith("median") else None)
    shown = data.filter(pl.col(column).is_not_null()).with_columns(
        pl.struct(column, *([den] if den else []))
        .map_elements(
            lambda r: (
                (
                    pct(r[column])
                    if is_rate
                    else hours(r[column])
                    if column.startswith("median")
                    else f"{r[column]:,}"
                )
                + (f" · n={r[den]:,}" if den else "")
            ),
            return_dtype=pl.String,
        )
        .alias("label")
    )
    targets = {r["metric_code"]: r["target"] for r in desk.metric_targets(EVERYTHING).to_dicts()}
    event = st.vega_lite_chart(
        charts.breakdown_chart(
            shown.select("group_name", column, "label"), column, is_rate, targets.get(measure)
        ),
        width="stretch",
        key=f"breakdown_{dim}_{measure}",
        on_select="rerun",
        selection_mode=charts.PICK,
    )
    st.caption(t("desk_breakdown_click") + (" " + t("desk_target_line") if measure in targets else ""))
    with st.expander(t("desk_breakdown_table")):
        rates = (
            "closure_rate",
            "ontime_closure_rate",
            "ontime_disposal_rate",
            "rework_rate",
            "extension_rate",
        )
        st.dataframe(
            percent(data.select(pl.exclude("^.*_rate_base$")), *rates),  # the bases are the chart's n
            hide_index=True,
            width="stretch",
            column_config={
                "group_name": t(f"desk_dim_{dim}"),
                "reported": t("desk_m_reported"),
                "closed_of_reported": t("desk_closed_of_reported"),
                "cancelled": t("desk_flow_cancelled"),
                "overdue": t("desk_flow_overdue"),
                "median_hours_to_close": st.column_config.NumberColumn(
                    t("desk_m_median_hours_to_close"), format="%.1f"
                ),
                "p90_hours_to_close": st.column_config.NumberColumn(t("desk_p90_hours"), format="%.1f"),
                "due_cases": t("desk_due_cases"),
                "carried_over_cases": t("desk_carried_over"),
                "closed_cases": t("desk_closed_cases"),
                "closed_on_time_cases": t("desk_closed_on_time"),
                "reworked_cases": t("desk_reworked_cases"),
                "extended_cases": t("desk_extended_cases"),
                "disposal_due_cases": t("desk_disposal_due"),
                "disposed_on_time_cases": t("desk_disposed_on_time"),
                **{m: st.column_config.NumberColumn(t(f"desk_m_{m}"), format=PCT) for m in rates},
            },
        )
    group = picked(event, "group_name")
    if group is None and shown.height:
        # Nothing clicked yet: open the weakest group (lowest rate, or the largest count).
        worst = shown.sort(column, descending=not is_rate or measure in ("rework_rate", "extension_rate"))
        group = worst["group_name"][0]
    if group is None:
        return
    st.markdown(f"#### {t('desk_cases_of_group', group=group, set=t(f'desk_set_{case_set}'))}")
    cases = desk.breakdown_cases(f, dim, group, case_set)
    case_id = case_table(cases, key=f"breakdown_cases_{dim}_{group}_{case_set}")
    if case_id:
        case_timeline(case_id)


def kpis(flow: dict[str, Any] | None, counts: dict[str, Any]) -> None:
    cols = st.columns(6)
    cols[0].metric(t("desk_m_reported"), f"{counts['reported']:,}")
    cols[1].metric(
        t("desk_closed_of_reported"),
        pct(counts["closed_share"]),
    )
    f = flow or {}
    cols[2].metric(
        t("desk_m_ontime_closure_rate"),
        pct(f.get("ontime_closure_rate")),
        help=t("desk_due_of", n=f.get("ontime_closure_rate_base", 0)),
    )
    cols[3].metric(t("desk_m_ontime_disposal_rate"), pct(f.get("ontime_disposal_rate")))
    cols[4].metric(t("desk_m_rework_rate"), pct(f.get("rework_rate")))
    cols[5].metric(t("desk_m_extension_rate"), pct(f.get("extension_rate")))


if require_release():
    street = street_filter()
    sources_loaded = desk.source_rows(EVERYTHING)
    periods = desk.periods(EVERYTHING)
    period = pick_period(periods) if periods.height else None
    if sources_loaded.is_empty() or not sources_loaded["platform_cases"][0] or period is None:
        st.info(t("missing_source", source=t("desk_src_platform")))
    else:
        with st.sidebar:
            sources = st.multiselect(t("source"), options(desk.sources(EVERYTHING)), placeholder=t("all"))
            categories = st.multiselect(
                t("category"), options(desk.categories(EVERYTHING)), placeholder=t("all")
            )
        start, end, kind = period["period_start"], period["period_end"], period["period_type"]
        f = Filter(
            start=start,
            end=end,
            street=street,
            sources=tuple(sources),
            categories=tuple(categories),
            period_type=kind,
        )
        st.html(panels.marker({"period": period["period_label"]}))
        if not period["is_complete_period"]:
            st.caption(t("desk_partial_note"))
        counts = desk.funnel_counts(f).row(0, named=True)
        if not counts["reported"]:
            st.warning(t("no_rows"))
        else:
            overall = desk.flow_breakdown(f, "all")
            kpis(overall.row(0, named=True) if overall.height else None, counts)
            # Only the open tab runs (a tab switch reruns the page), so a page draws only what is shown.
            tabs = st.tabs(
                [t("desk_tab_cases"), t("desk_tab_events"), t("desk_tab_durations"), t("desk_tab_breakdown")],
                key="funnel_tab",
                on_change="rerun",
            )
            if tabs[0].open is not False:
                with tabs[0]:
                    platform_funnel(f, counts)
            if tabs[1].open is not False:
                with tabs[1]:
                    if sources_loaded["grid_events"][0]:
                        event_funnel(f)
                    else:
                        st.info(t("missing_source", source=t("desk_src_grid")))
            if tabs[2].open is not False:
                with tabs[2]:
                    durations_section(f)
            if tabs[3].open is not False:
                with tabs[3]:
                    breakdown_section(f)
        drawn_marker("funnel")
    freshness_footer()
