"""红黑榜 — property services: this quarter's 红榜 and 黑榜 as the rule computes them, next to the list
as published, with every disagreement highlighted; the companies' ranking and score trends; a compound's
item scores.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts, db, panels
from dashboard.bulletin_doc.buttons import download_buttons
from dashboard.desk_ui import drawn_marker
from dashboard.i18n import t
from dashboard.layout import freshness_footer, require_release, street_filter
from dashboard.queries import EVERYTHING, Filter, desk

DISAGREE_BG = "background-color: #ffe3e3"

st.title(t("page_property"))
st.caption(t("desk_property_intro"))


def highlight(frame: pl.DataFrame, flag: str) -> object:
    """A pandas Styler that paints the rows where ``flag`` is true (the disagreements)."""
    pdf = frame.to_pandas()
    return pdf.style.apply(lambda r: [DISAGREE_BG if r[flag] else "" for _ in r], axis=1)


def list_table(lists: pl.DataFrame, which: str) -> None:
    rows = lists.filter((pl.col("computed_list") == which) | (pl.col("published_list") == which))
    if rows.is_empty():
        st.info(t("desk_list_empty"))
        return
    shown = rows.select(
        "project_name",
        "company_name",
        "street_name",
        "total_score",
        pl.col("computed_list").fill_null("—"),
        pl.col("published_list").fill_null("—"),
        "agreement",
        pl.col("computed_list_reason").fill_null(""),
        "is_list_disagreement",
    ).sort(["is_list_disagreement", "total_score"], descending=[True, which == "红榜"])
    st.dataframe(
        highlight(shown, "is_list_disagreement"),
        hide_index=True,
        width="stretch",
        column_order=[c for c in shown.columns if c != "is_list_disagreement"],
        column_config={
            "project_name": t("desk_project"),
            "company_name": t("desk_company"),
            "street_name": t("street"),
            "total_score": st.column_config.NumberColumn(t("desk_total_score"), format="%.1f"),
            "computed_list": t("desk_computed_list"),
            "published_list": t("desk_published_list"),
            "agreement": st.column_config.TextColumn(t("desk_agreement"), width="medium"),
            "computed_list_reason": st.column_config.TextColumn(t("desk_list_reason"), width="medium"),
        },
    )


def compound(assessment_id: str) -> None:
    item = desk.property_item_scores(EVERYTHING, assessment_id)
    if item.is_empty():
        return
    r = item.row(0, named=True)
    # the items, their maxima and shares are the warehouse's (seed property_assessment_items); a score
    # the export left out is drawn as 0
    items = (
        desk.property_item_shares(EVERYTHING, assessment_id)
        .select(
            pl.col("item_name").alias("item"),
            pl.col("score").fill_null(0.0),
            "max_score",
            pl.col("score_share").fill_null(0.0).alias("share"),
        )
        .with_columns(pl.format("{} / {}", pl.col("score"), pl.col("max_score").cast(pl.Int64)).alias("text"))
    )
    cols = st.columns(5)
    cols[0].metric(t("desk_total_score"), f"{r['total_score']:.1f}")
    cols[1].metric(t("desk_street_rank"), r["street_score_rank"])
    cols[2].metric(t("desk_city_rank"), r["city_score_rank"])
    cols[3].metric(t("desk_computed_list"), r["computed_list"] or "—")
    cols[4].metric(t("desk_published_list"), r["published_list"] or "—")
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.vega_lite_chart(charts.item_scores_chart(items), width="stretch")
    with right:
        if r["is_vetoed"]:
            st.error(t("desk_veto", reason=r["veto_reason"]))
        if r["is_total_inconsistent"]:
            st.warning(t("desk_total_inconsistent", total=r["total_score"], sum=r["item_score_sum"]))
        st.markdown(f"**{t('desk_deductions')}**")
        st.write(r["deduction_notes"] or t("desk_no_deductions"))
        history = desk.property_project_history(EVERYTHING, assessment_id)
        if history.height > 1:
            st.markdown(f"**{t('desk_project_history')}**")
            st.dataframe(
                history.drop("quarter_start"),
                hide_index=True,
                width="stretch",
                column_config={
                    "quarter_label": t("desk_quarter"),
                    "total_score": t("desk_total_score"),
                    "computed_list": t("desk_computed_list"),
                    "published_list": t("desk_published_list"),
                },
            )


if require_release():
    street = street_filter()
    quarters = (
        desk.property_quarters(EVERYTHING) if db.has_table("fct_property_assessments") else pl.DataFrame()
    )
    if quarters.is_empty():
        st.info(t("missing_source", source=t("desk_src_property")))
    else:
        labels = quarters["quarter_label"].to_list()
        wanted = st.session_state.get("desk_property_quarter")
        quarter = st.sidebar.selectbox(
            t("desk_quarter"), labels, index=labels.index(wanted) if wanted in labels else 0
        )
        st.session_state.desk_property_quarter = quarter
        here = Filter(street=street)
        lists = desk.property_lists(here, quarter)
        rule = desk.property_rule(EVERYTHING) if db.has_table("property_list_rule") else pl.DataFrame()
        if rule.height:
            r = rule.row(0, named=True)
            st.caption(
                t(
                    "desk_rule",
                    red_n=r["red_top_n_per_street"],
                    red_min=f"{r['red_min_score']:g}",
                    black_n=r["black_bottom_n_overall"],
                    black_max=f"{r['black_max_score']:g}",
                )
            )
        count = (lambda col, v: lists.filter(pl.col(col) == v).height) if lists.height else (lambda col, v: 0)
        disagreements = lists.filter(pl.col("is_list_disagreement")).height if lists.height else 0
        cols = st.columns(5)
        cols[0].metric(t("desk_computed_red"), count("computed_list", "红榜"))
        cols[1].metric(t("desk_published_red"), count("published_list", "红榜"))
        cols[2].metric(t("desk_computed_black"), count("computed_list", "黑榜"))
        cols[3].metric(t("desk_published_black"), count("published_list", "黑榜"))
        cols[4].metric(t("desk_disagreements"), disagreements)
        st.html(panels.marker({"quarter": quarter, "disagreements": disagreements}))
        if lists.is_empty():
            st.info(t("desk_lists_none"))
        else:
            if disagreements:
                st.warning(t("desk_disagreement_note", n=disagreements), icon=":material/compare_arrows:")
            st.html(panels.stylesheet("desk") + panels.heading(t("desk_red_list"), "red"))
            list_table(lists, "红榜")
            st.html(panels.heading(t("desk_black_list"), "black"))
            list_table(lists, "黑榜")
            st.caption(t("desk_highlight_note"))
        download_buttons("property", quarter, street=street)  # the 通报 as Word / PDF (the street on screen)

        # Only the open tab runs (a tab switch reruns the page), so a page draws only what is shown.
        tabs = st.tabs(
            [t("desk_tab_companies"), t("desk_tab_compound")], key="property_tab", on_change="rerun"
        )
        if tabs[0].open is not False:
            with tabs[0]:
                companies = desk.property_companies(here, quarter)
                if companies.is_empty():
                    st.info(t("no_rows"))
                else:
                    st.dataframe(
                        companies.drop("company_credit_code"),
                        hide_index=True,
                        width="stretch",
                        height=360,
                        column_config={
                            "company_rank": st.column_config.NumberColumn(t("rank"), format="%d"),
                            "company_name": t("desk_company"),
                            "projects": t("desk_projects"),
                            "average_score": st.column_config.NumberColumn(
                                t("desk_average_score"), format="%.1f"
                            ),
                            "lowest_score": st.column_config.NumberColumn(
                                t("desk_lowest_score"), format="%.1f"
                            ),
                            "vetoed": t("desk_vetoed"),
                            "computed_red": t("desk_computed_red"),
                            "computed_black": t("desk_computed_black"),
                            "published_red": t("desk_published_red"),
                            "published_black": t("desk_published_black"),
                        },
                    )
                    st.caption(t("desk_company_rank_note"))
                    trend = desk.property_company_trend(here)
                    names = companies["company_name"].to_list()
                    listed = companies.filter(
                        (
                            pl.col("computed_black")
                            + pl.col("published_black")
                            + pl.col("computed_red")
                            + pl.col("published_red")
                        )
                        > 0
                    )["company_name"]
                    default = (listed.to_list() or names)[:6]
                    chosen = st.multiselect(t("desk_companies_trend"), names, default=default)
                    shown = trend.filter(pl.col("company_name").is_in(chosen))
                    if shown.height:
                        st.vega_lite_chart(charts.score_trend_chart(shown), width="stretch")
                        if trend["quarter_label"].n_unique() < 2:
                            st.caption(t("desk_one_quarter"))
        if tabs[1].open is not False:
            with tabs[1]:
                projects = desk.property_projects(here, quarter)
                if projects.is_empty():
                    st.info(t("no_rows"))
                else:
                    ids = projects["assessment_id"].to_list()
                    label = {
                        r[
                            "assessment_id"
                        ]: f"{r['project_name']} · {r['company_name']} · {r['total_score']:.1f}"
                        for r in projects.iter_rows(named=True)
                    }
                    aid = st.selectbox(t("desk_pick_compound"), ids, format_func=label.get)
                    compound(aid)
        drawn_marker("property")
    freshness_footer()
