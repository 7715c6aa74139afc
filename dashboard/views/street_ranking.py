"""街道排名 — who is doing well and why: the CityScore-style street ranking of a month or quarter.

Up front: the street that fell the most since the previous period and the metric that pulled it down.
Then the ranking (rank, change, composite, every metric's value, small-denominator flags), what-if
weights that re-rank at once (whatif.py, the mart's own formulas), each metric's contribution to the
change, the metric detail with targets, scores and 95% intervals, the communities of a street, the
rank history, and the Excel 通报.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import streamlit as st

from dashboard import access, bulletin, charts, coverage, db, i18n, panels, whatif
from dashboard.bulletin_doc.buttons import download_buttons
from dashboard.desk_ui import drawn_marker, faller_reason, localized, pick_period, signed, tie_note
from dashboard.formatting import PCT, arrow, pct, percent, score
from dashboard.i18n import t
from dashboard.layout import freshness_footer, own_street, own_street_note, require_release, street_filter
from dashboard.queries import EVERYTHING, Filter, desk

st.title(t("page_street_ranking"))


def weights_panel(rows: pl.DataFrame) -> dict[str, float]:
    """Number inputs per metric (official weight by default) and a reset; the weights in force."""
    official = whatif.official_weights(rows)
    names = dict(rows.select("metric_code", "metric_name").unique("metric_code").iter_rows())
    for code, w in official.items():
        st.session_state.setdefault(f"whatif_w_{code}", w)

    def reset() -> None:
        for code, w in official.items():
            st.session_state[f"whatif_w_{code}"] = w

    active = any(st.session_state[f"whatif_w_{c}"] != w for c, w in official.items())
    with st.expander(
        t("desk_whatif_title") + (f" · {t('desk_whatif_active')}" if active else ""),
        expanded=active,
        icon=":material/tune:",
    ):
        st.caption(t("desk_whatif_help"))
        ordered = sorted(official.items(), key=lambda kv: (-kv[1], kv[0]))  # as the table's columns
        for col, (code, w) in zip(st.columns(len(ordered)), ordered, strict=True):
            col.number_input(
                names.get(code, code),
                min_value=0.0,
                max_value=100.0,
                step=5.0,
                format="%.0f",
                key=f"whatif_w_{code}",
                help=t("desk_official_weight", w=f"{w:g}"),
            )
        st.button(
            t("desk_whatif_reset"),
            on_click=reset,
            icon=":material/restart_alt:",
            key="whatif_reset",
            disabled=not active,
        )
    return {code: float(st.session_state[f"whatif_w_{code}"]) for code in official}


def callout(ranked: pl.DataFrame, period_start: date, simulated: bool) -> whatif.Mover | None:
    """The answer to 'which street fell the most, and which metric made it fall?'."""
    mover = whatif.biggest_faller(ranked, period_start)
    badge = t("desk_whatif_badge") if simulated else None
    style = panels.stylesheet("desk")
    if whatif.previous_period(ranked, period_start) is None:
        st.html(style + panels.callout(t("desk_callout_first"), "", calm=True, badge=badge))
        return None
    if mover is None:
        st.html(style + panels.callout(t("desk_callout_none"), "", calm=True, badge=badge))
        return None
    score_line = t(
        "desk_callout_score",
        **panels.escaped(
            before=score(mover.previous_composite),
            now=score(mover.composite),
            delta=signed((mover.composite or 0) - (mover.previous_composite or 0)),
        ),
    )
    if mover.fell_in_rank:
        head = t(
            "desk_callout_fell",
            **panels.escaped(
                street=mover.entity_name,
                before=mover.previous_rank,
                now=mover.rank,
                n=-(mover.rank_change or 0),
            ),
        )
    else:
        head = t("desk_callout_dropped", **panels.escaped(street=mover.entity_name, rank=mover.rank))
    why = faller_reason(mover)
    st.html(
        style
        + panels.callout(
            f"{head}{score_line}<br>{why}", mover.entity_code, mover.metric_code or "", badge=badge
        )
    )
    return mover


def ranking_table(
    ranked: pl.DataFrame, official: pl.DataFrame, period_start: date, simulated: bool
) -> str | None:
    """The ranking of the period; the street of the clicked row (or None)."""
    table = whatif.table(ranked, period_start)
    values = whatif.metric_matrix(ranked, period_start, "value")
    metrics = (
        ranked.filter(pl.col("period_start") == period_start)
        .select("metric_code", "metric_name", "weight")
        .unique("metric_code", maintain_order=True)
        .sort("weight", "metric_code", descending=[True, False])
    )
    shown = table.join(
        percent(values, *metrics["metric_code"].to_list()), on="entity_code", how="left"
    ).with_columns(
        pl.col("rank_change").map_elements(arrow, return_dtype=pl.String).alias("change_text"),
        pl.col("small_metrics").list.join("、").alias("small_text"),
    )
    columns = ["composite_rank", "change_text", "entity_name", "composite_score", "previous_rank"]
    config: dict[str, Any] = {
        "composite_rank": st.column_config.NumberColumn(
            t("desk_whatif_rank") if simulated else t("rank"), format="%d"
        ),
        "change_text": t("change"),
        "entity_name": t("street"),
        "composite_score": st.column_config.ProgressColumn(
            t("score"), min_value=0.0, max_value=1.25, format="%.3f"
        ),
        "previous_rank": st.column_config.NumberColumn(t("desk_previous_rank"), format="%d"),
        "small_text": st.column_config.TextColumn(t("desk_small_flag"), help=t("desk_small_flag_help")),
    }
    if simulated:
        official_ranks = whatif.table(official, period_start).select(
            "entity_code", pl.col("composite_rank").alias("official_rank")
        )
        shown = shown.join(official_ranks, on="entity_code", how="left").with_columns(
            (pl.col("official_rank") - pl.col("composite_rank"))
            .map_elements(arrow, return_dtype=pl.String)
            .alias("vs_official")
        )
        columns += ["official_rank", "vs_official"]
        config["official_rank"] = st.column_config.NumberColumn(t("desk_official_rank"), format="%d")
        config["vs_official"] = t("desk_vs_official")
    for m in metrics.iter_rows(named=True):
        columns.append(m["metric_code"])
        config[m["metric_code"]] = st.column_config.NumberColumn(
            f"{m['metric_name']}", format=PCT, help=t("desk_weight_is", w=f"{m['weight']:g}")
        )
    columns.append("small_text")
    event = st.dataframe(
        shown.select([c for c in columns if c in shown.columns]),
        hide_index=True,
        width="stretch",
        column_config=config,
        key="street_ranking_table",
        on_select="rerun",
        selection_mode="single-row",
    )
    if note := tie_note(shown):
        st.caption(note)
    rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
    return shown["entity_code"][rows[0]] if rows else None


def why_it_moved(ranked: pl.DataFrame, period_start: date, street_code: str) -> None:
    changes = whatif.contribution_changes(ranked, period_start).filter(pl.col("entity_code") == street_code)
    if changes.is_empty():
        st.info(t("no_rows"))
        return
    r = changes.row(0, named=True)
    st.markdown(
        t(
            "desk_why_head",
            street=r["entity_name"],
            rank=r["composite_rank"] or "—",
            before=r["previous_rank"] or "—",
            change=arrow(r["rank_change"]),
        )
    )
    shown = changes.with_columns(
        pl.struct("metric_name", "value_previous", "value")
        .map_elements(
            lambda x: f"{x['metric_name']}  {pct(x['value_previous'])} → {pct(x['value'])}",
            return_dtype=pl.String,
        )
        .alias("axis_label")
    )
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.vega_lite_chart(
            charts.contribution_chart(shown.select("axis_label", "contribution_change")), width="stretch"
        )
        st.caption(t("desk_why_note"))
    with right:
        table = percent(changes.sort("contribution_change"), "value_previous", "value").with_columns(
            pl.col("contribution_change").map_elements(signed, return_dtype=pl.String, skip_nulls=False)
        )
        st.dataframe(
            table.select("metric_name", "value_previous", "value", "contribution", "contribution_change"),
            hide_index=True,
            width="stretch",
            column_config={
                "metric_name": t("desk_metric"),
                "value_previous": st.column_config.NumberColumn(t("desk_value_before"), format=PCT),
                "value": st.column_config.NumberColumn(t("desk_value_now"), format=PCT),
                "contribution": st.column_config.NumberColumn(t("desk_contrib_now"), format="%.3f"),
                "contribution_change": st.column_config.TextColumn(t("desk_contrib_change")),
            },
        )


def metric_detail(ranked: pl.DataFrame, period_start: date) -> None:
    period = ranked.filter(pl.col("period_start") == period_start)
    metrics = (
        period.select("metric_code", "metric_name", "weight")
        .unique("metric_code", maintain_order=True)
        .sort("weight", "metric_code", descending=[True, False])
    )
    names = dict(metrics.select("metric_code", "metric_name").iter_rows())
    code = st.radio(
        t("desk_metric"), list(names), format_func=names.get, horizontal=True, key="metric_detail"
    )
    data = period.filter(pl.col("metric_code") == code).sort("composite_rank", nulls_last=True)
    m = data.row(0, named=True)
    st.caption(
        t(
            "desk_metric_caption",
            direction=t(f"desk_dir_{m['direction']}"),
            target=pct(m["target"]),
            weight=f"{m['weight']:g}",
            min_den=m["min_denominator"],
        )
    )
    chart_data = data.filter(pl.col("value").is_not_null()).select(
        "entity_name",
        "value",
        pl.col("ci_lower").fill_null(pl.col("value")),
        pl.col("ci_upper").fill_null(pl.col("value")),
        pl.col("is_small_denominator").alias("small"),
        "denominator",
    )
    left, right = st.columns([2, 3], gap="large")
    with left:
        if chart_data.height:
            st.vega_lite_chart(charts.interval_chart(chart_data, m["target"]), width="stretch")
            st.caption(t("desk_interval_note"))
    with right:
        st.dataframe(
            percent(data, "value", "ci_lower", "ci_upper", "target", "weight_share").select(
                "entity_name",
                "value",
                "ci_lower",
                "ci_upper",
                "target",
                "score",
                "weight_share",
                "contribution",
                "numerator",
                "denominator",
                "is_small_denominator",
            ),
            hide_index=True,
            width="stretch",
            column_config={
                "entity_name": t("street"),
                "value": st.column_config.NumberColumn(t("desk_value"), format=PCT),
                "ci_lower": st.column_config.NumberColumn(t("desk_ci_lower"), format=PCT),
                "ci_upper": st.column_config.NumberColumn(t("desk_ci_upper"), format=PCT),
                "target": st.column_config.NumberColumn(t("desk_target"), format=PCT),
                "score": st.column_config.NumberColumn(t("desk_metric_score"), format="%.3f"),
                "weight_share": st.column_config.NumberColumn(t("desk_weight_share"), format=PCT),
                "contribution": st.column_config.NumberColumn(t("desk_contribution"), format="%.3f"),
                "numerator": st.column_config.NumberColumn(t("desk_numerator"), format="%.1f"),
                "denominator": st.column_config.NumberColumn(t("desk_denominator"), format="%d"),
                "is_small_denominator": t("desk_small_flag"),
            },
        )


def communities(kind: str, period_start: date, street_code: str, street_name: str) -> None:
    rows = localized(desk.community_ranking_rows(Filter(period_type=kind, street=street_code)))
    if rows.is_empty() or rows.filter(pl.col("period_start") == period_start).is_empty():
        st.info(t("desk_no_communities"))
        return
    table = (
        whatif.table(rows, period_start)
        .with_columns(
            whatif.shown_score(pl.col("composite_score"))
            .rank(method="min", descending=True)
            .cast(pl.Int64)
            .alias("rank_in_street"),
            pl.col("rank_change").map_elements(arrow, return_dtype=pl.String).alias("change_text"),
            pl.col("small_metrics").list.join("、").alias("small_text"),
        )
        .sort("rank_in_street", nulls_last=True)
    )
    values = whatif.metric_matrix(rows, period_start, "value")
    metrics = (
        rows.select("metric_code", "metric_name", "weight")
        .unique("metric_code", maintain_order=True)
        .sort("weight", "metric_code", descending=[True, False])
    )
    shown = table.join(percent(values, *metrics["metric_code"].to_list()), on="entity_code", how="left")
    st.markdown(t("desk_communities_of", street=street_name, n=table.height))
    config: dict[str, Any] = {
        "rank_in_street": st.column_config.NumberColumn(t("desk_rank_in_street"), format="%d"),
        "composite_rank": st.column_config.NumberColumn(
            t("desk_city_rank"), format="%d", help=t("desk_city_rank_help")
        ),
        "change_text": t("change"),
        "entity_name": t("community"),
        "composite_score": st.column_config.ProgressColumn(
            t("score"), min_value=0.0, max_value=1.25, format="%.3f"
        ),
        "small_text": t("desk_small_flag"),
        **{
            m["metric_code"]: st.column_config.NumberColumn(m["metric_name"], format=PCT)
            for m in metrics.iter_rows(named=True)
        },
    }
    st.dataframe(
        shown.select(
            "rank_in_street",
            "composite_rank",
            "change_text",
            "entity_name",
            "composite_score",
            *metrics["metric_code"].to_list(),
            "small_text",
        ),
        hide_index=True,
        width="stretch",
        column_config=config,
    )


def own_rank_note(period_rows: pl.DataFrame) -> None:
    """A street user's answer instead of the callout: their street, its city rank, how many were ranked."""
    if period_rows.is_empty():
        return None
    r = period_rows.row(0, named=True)
    st.info(
        t(
            "desk_own_rank",
            street=r["entity_name"],
            rank=r["composite_rank"] or "—",
            n=r["ranked_entities"] or "—",
        ),
        icon=":material/location_city:",
    )
    return None


RATES = ["response_rate", "resolution_rate", "satisfaction_rate", "evaluation_score"]


def three_rates(period: dict[str, Any], street: str | None) -> None:
    """三率 per street and month of the period, with the composite and the weight set it is scored with."""
    weights = desk.evaluation_weights(EVERYTHING)
    active = weights.filter(pl.col("is_active"))
    if active.height:
        st.caption(
            t(
                "desk_three_rates_weights",
                set=active["weight_set"][0],
                weights=" · ".join(
                    f"{t('desk_metric_' + r['rate_code'])} {r['weight']:g}"
                    for r in active.iter_rows(named=True)
                ),
            )
        )
    rates = desk.three_rates(Filter(start=period["period_start"], end=period["period_end"], street=street))
    if rates.is_empty() or not rates["valid_visits"].sum():
        st.info(t("missing_source", source=t("desk_src_grid")))
        return
    st.dataframe(
        percent(rates, *RATES).select("month_label", "street_name", "valid_visits", *RATES),
        hide_index=True,
        width="stretch",
        column_config={
            "month_label": t("desk_month"),
            "street_name": t("street"),
            "valid_visits": st.column_config.NumberColumn(t("desk_valid_visits"), format="localized"),
            **{r: st.column_config.NumberColumn(t("desk_metric_" + r), format=PCT) for r in RATES},
        },
    )
    st.caption(t("desk_three_rates_note"))


if require_release():
    sidebar_street = street_filter()
    periods = desk.periods(EVERYTHING)
    period = pick_period(periods) if periods.height else None
    has_mart = db.has_table("mart_street_ranking")
    rows = (
        desk.street_ranking_rows(Filter(period_type=period["period_type"]))
        if period and has_mart
        else pl.DataFrame()
    )
    if period is None or rows.is_empty():
        st.info(t("desk_no_ranking"))
    else:
        kind, period_start = period["period_type"], period["period_start"]
        this_period = rows.filter(pl.col("period_start") == period_start)
        # a street user's rows are their own street's: the mart's ranked_entities still counts the city's
        n_streets = max(this_period["entity_code"].n_unique(), this_period["ranked_entities"].max() or 0)
        own = own_street()
        st.caption(
            t("desk_ranking_sub", period=period["period_label"], kind=t(f"desk_{kind}"), n=n_streets)
            + ("" if period["is_complete_period"] else " · " + t("desk_partial_note"))
            + (" · " + own_street_note() + t("desk_rank_among", n=n_streets) if own else "")
        )
        coverage.note_metrics_without_data(localized(rows), period_start)
        callout_box = st.container()
        shown_rows = localized(rows)  # the bulletin keeps the configured (Chinese) names
        # what-if and "who fell the most" compare streets: a street user sees only their own row instead
        weights = weights_panel(shown_rows) if own is None else whatif.official_weights(rows)
        simulated = weights != whatif.official_weights(rows)
        ranked = whatif.rerank(shown_rows, weights) if simulated else shown_rows
        with callout_box:
            if simulated:
                st.warning(t("desk_whatif_warning"), icon=":material/science:")
            mover = callout(ranked, period_start, simulated) if own is None else own_rank_note(this_period)
        clicked = ranking_table(ranked, shown_rows, period_start, simulated)
        st.caption(t("desk_table_click"))
        codes = (
            ranked.filter(pl.col("period_start") == period_start)
            .select("entity_code", "entity_name")
            .unique("entity_code", maintain_order=True)
        )
        names = dict(codes.iter_rows())
        focus = clicked or sidebar_street or (mover.entity_code if mover else None) or codes["entity_code"][0]
        focus = focus if focus in names else codes["entity_code"][0]

        city = i18n.city()
        as_of = desk.data_clock(EVERYTHING)
        st.download_button(
            t("desk_export"),
            data=access.audited_download(
                lambda: bulletin.write_bulletin(
                    rows,
                    kind,
                    period_start,
                    city=city,
                    data_as_of=as_of["as_of_at"][0] if as_of.height else None,
                ),
                "street ranking bulletin (xlsx)",
                period=period["period_label"],
                scope=own or "all streets",
            ),
            file_name=f"{city}{bulletin.period_text(kind, period_start)}街道综合排名通报.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/download:",
            on_click="ignore",
            help=t("desk_export_help"),
            key="export_bulletin",
        )
        download_buttons("streets", period["period_label"])  # the 通报 as Word / PDF

        # Only the open tab runs (a tab switch reruns the page), so a page draws only what is shown.
        tabs = st.tabs(
            [
                t("desk_tab_why"),
                t("desk_tab_metrics"),
                t("desk_tab_communities"),
                t("desk_tab_history"),
                t("desk_tab_three_rates"),
            ],
            key="ranking_tab",
            on_change="rerun",
        )
        if tabs[0].open is not False:
            with tabs[0]:
                focus_code = st.selectbox(
                    t("street"),
                    list(names),
                    index=list(names).index(focus),
                    format_func=names.get,
                    key=f"why_street_{focus}",
                )
                why_it_moved(ranked, period_start, focus_code)
        if tabs[1].open is not False:
            with tabs[1]:
                metric_detail(ranked, period_start)
        if tabs[2].open is not False:
            with tabs[2]:
                community_code = st.selectbox(
                    t("street"),
                    list(names),
                    index=list(names).index(focus),
                    format_func=names.get,
                    key=f"community_street_{focus}",
                )
                communities(kind, period_start, community_code, names[community_code])
        if tabs[3].open is not False:
            with tabs[3]:
                per_period = (
                    ranked.group_by("period_start", "period_label", "entity_code", maintain_order=True)
                    .agg(pl.first("entity_name"), pl.first("composite_rank"), pl.first("composite_score"))
                    .filter(pl.col("period_start") <= period_start)
                    .sort("period_start")
                )
                st.vega_lite_chart(
                    charts.rank_history_chart(per_period, highlight=names.get(focus)), width="stretch"
                )
                st.caption(t("desk_history_note"))
        if tabs[4].open is not False:
            with tabs[4]:
                three_rates(period, sidebar_street)
        drawn_marker("street-ranking")
    freshness_footer()
