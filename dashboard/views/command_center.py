"""指挥中心 — the leaders' big screen: 1920×1080, left on all day, refreshes itself.

?kiosk=1 hides every control (dark theme, no scroll bars); ?refresh=N sets the
refresh interval in seconds; ?carousel=1 cycles the screen through the streets.
"""

from datetime import datetime, timedelta
from html import escape

import polars as pl
import streamlit as st

from dashboard import charts, coverage, formatting, panels
from dashboard.desk_ui import filled
from dashboard.i18n import configured_city, t
from dashboard.layout import freshness_footer, own_street, require_release, street_filter
from dashboard.queries import EVERYTHING, Filter, screens

KIOSK = st.query_params.get("kiosk") == "1"
REFRESH_S = max(5, int(st.query_params.get("refresh", "60") or 60))
CAROUSEL = st.query_params.get("carousel") == "1"
URGENT_PAGE = 6
KPI_ORDER = [
    "cases_reported",
    "cases_open",
    "cases_overdue",
    "closure_rate",
    "ontime_closure_rate",
    "satisfaction_rate",
]
OVERDUE_AGES = ["overdue_up_to_7_days", "overdue_8_to_30_days", "overdue_over_30_days", "overdue_new_today"]
UNITS = {"件": "cases", "%": "percent", "小时": "hours"}
OVERDUE_LIST_MAX = 200

st.html(panels.screen_styles(KIOSK))


def shown(value: float | None, unit: str) -> str:
    """A KPI's value as its card shows it: rates as percentages, counts whole."""
    return formatting.pct(value) if unit == "%" else formatting.count(value)


# KPI → the source system it needs besides the platform cases (a 311-only city has none of these)
KPI_SOURCES = {"satisfaction_rate": "grid_events"}


def kpi_cards(kpis: pl.DataFrame, absent: list[str]) -> None:
    """The six cards: each value with its unit, its period and basis, and the comparison the warehouse gives."""
    rows = {r["kpi_code"]: r for r in kpis.iter_rows(named=True)}
    cards = []
    for code in KPI_ORDER:
        r = rows.get(code)
        if r is None:
            continue
        bad = code in ("cases_overdue",) and (r["kpi_value"] or 0) > 0
        missing = KPI_SOURCES.get(code) in absent
        basis = t(f"basis_{r['basis']}", n=f"{r['denominator'] or 0:,}")
        if missing:
            delta = escape(t("cc_not_connected", sources=coverage.names([KPI_SOURCES[code]])))
        elif code == "cases_overdue":
            delta = escape(
                t(
                    "cc_overdue_ages",
                    **{k: formatting.count((rows.get(k) or {}).get("kpi_value") or 0) for k in OVERDUE_AGES},
                )
            )
        else:
            versus = t("vs_last_month") if r["basis"].startswith("month") else t("vs_yesterday")
            delta = f"{escape(versus)} {panels.change(r['kpi_value'], r['previous_value'], r['kpi_unit'])}"
        cards.append(
            panels.kpi_card(
                code,
                r["kpi_value"],
                t("kpi_" + code),
                t("unit_" + UNITS[r["kpi_unit"]]),
                shown(r["kpi_value"], r["kpi_unit"]),
                basis,
                delta,
                bad,
            )
        )
    st.html(panels.kpi_row(cards))


def empty_panel() -> None:
    """What a panel says when its last 30 days hold nothing (thin or old data), instead of a blank space."""
    st.html(panels.empty(t("no_data_30d")))


def toggle_overdue() -> None:
    st.session_state.cc_overdue_open = not st.session_state.get("cc_overdue_open", False)


def overdue_drill(here: Filter, overdue: float | None) -> None:
    """The overdue card's drill: a click on the button under the card opens (and closes) the list of open overdue
    cases, longest overdue first."""
    slot = st.columns(len(KPI_ORDER))[KPI_ORDER.index("cases_overdue")]
    opened = st.session_state.get("cc_overdue_open", False)
    slot.button(
        t("cc_overdue_open"),
        key="cc_overdue_drill",
        on_click=toggle_overdue,
        help=t("cc_overdue_list", n=f"{overdue or 0:,.0f}"),
        icon=":material/expand_less:" if opened else ":material/list:",
        width="stretch",
        type="primary" if opened else "secondary",
    )
    if not opened:
        return
    cases = screens.overdue_cases(here, OVERDUE_LIST_MAX)
    total = int(cases["total"][0]) if cases.height else 0
    with st.container(border=True, key="cc_overdue_box"):
        if not total:
            st.caption(t("cc_no_overdue"))
            return
        if total > cases.height:
            st.caption(t("showing_n_of_m", n=f"{cases.height:,}", m=f"{total:,}"))
        shown, config = filled(
            cases.drop("total"),
            {
                "case_id": t("case_id"),
                "street_name": t("street"),
                "community_name": t("community"),
                "category_minor": t("category"),
                "handling_department_name": t("department"),
                "deadline_at": st.column_config.DatetimeColumn(t("deadline"), format="YYYY-MM-DD HH:mm"),
                "days_overdue": st.column_config.NumberColumn(t("days_overdue"), format="%d"),
            },
        )
        st.dataframe(shown, hide_index=True, width="stretch", column_config=config, key="cc_overdue_grid")


def urgent_list(cases: pl.DataFrame, tick: int) -> None:
    """The latest urgent open cases; the list pages itself on every refresh."""
    if cases.is_empty():
        st.html(panels.empty(t("no_urgent")))
        return
    pages = max(1, -(-cases.height // URGENT_PAGE))
    page = tick % pages
    items = [
        {
            "category": r["category_minor"],
            "place": f"{r['street_name']}{r['community_name'] or ''}",
            "reported": f"{r['reported_at']:%m-%d %H:%M}",
            "channel": r["source_channel"],
            "overdue": r["is_overdue"],
        }
        for r in cases.slice(page * URGENT_PAGE, URGENT_PAGE).iter_rows(named=True)
    ]
    st.html(panels.urgent_list(items, page, pages, t("overdue")))


def street_board(board: pl.DataFrame) -> None:
    if board.is_empty():
        st.html(panels.empty(t("no_ranking")))
        return

    def rank(r: dict) -> object:
        if r["rank"] is None:
            return formatting.MISSING
        if board.height == 1 and (r["ranked"] or 0) > 1:  # a street user's own row: "3 / 12"
            return f"{r['rank']} / {r['ranked']}"
        return r["rank"]

    # a street with nothing to score this month (thin data) has no score and no rank: a dash, not a crash
    rows = [
        [rank(r), r["street_name"], formatting.score(r["score"]), panels.rank_change(r["rank_change"])]
        for r in board.iter_rows(named=True)
    ]
    st.html(
        panels.table_board(
            f"{t('street_board')} · {board['period'][0]}",
            [t("rank"), t("street"), t("score"), t("change")],
            rows,
            html_columns=frozenset({3}),
        )
    )


def clock(as_of: object) -> None:
    """A ticking clock (browser-side, no network) and the data's freshness."""
    color = "#cfe3ff" if KIOSK else "#334155"
    st.iframe(
        f"""<div style="font:600 22px sans-serif;color:{color};text-align:right" id="c"></div>
        <div style="font:{16 if KIOSK else 13}px sans-serif;color:{color};opacity:.75;text-align:right">{t("data_as_of")} {as_of}</div>
        <script>function f(){{const d=new Date();document.getElementById('c').textContent=
        d.toLocaleDateString('zh-CN')+' '+d.toLocaleTimeString('zh-CN',{{hour12:false}});}}f();setInterval(f,1000);</script>""",
        height=58,
    )


@st.fragment(run_every=REFRESH_S)
def screen() -> None:
    tick = st.session_state.get("cc_tick", -1) + 1
    st.session_state.cc_tick = tick
    streets = screens.streets(EVERYTHING)
    street = None
    if CAROUSEL and streets.height:
        street = (
            streets["street_code"][tick % (streets.height + 1) - 1] if tick % (streets.height + 1) else None
        )
    elif not KIOSK:
        street = st.session_state.get("street_code")
    street = street or own_street()  # a street user's (or a street screen's) "whole city" is their street
    here = Filter(street=street)
    kpis = screens.screen_kpis(here)
    if kpis.is_empty():
        st.info(t("no_platform_data"))
        return
    today = kpis["today_date"][0]
    as_of = kpis["as_of_at"][0]
    street_name = streets.filter(pl.col("street_code") == street)["street_name"].to_list() if street else []
    # a city that loads only some systems (a 311 export: cases only) says so on the wall
    absent = coverage.missing("grid_events", "report_in", "property")
    not_connected = f" · {t('cc_not_connected', sources=coverage.names(absent))}" if absent else ""
    head_l, head_r = st.columns([3, 1])
    # data-refreshed: when this screen last redrew itself (st.fragment's run_every)
    head_l.html(
        panels.screen_title(
            t("cc_title", city=configured_city() or "").strip(),
            f"{street_name[0] if street_name else t('all_streets')} · {today}{not_connected}",
            f"{datetime.now():%H:%M:%S}",
        )
    )
    with head_r:
        clock(as_of)
    kpi_cards(kpis, absent)
    if not KIOSK:
        overdue = kpis.filter(pl.col("kpi_code") == "cases_overdue")["kpi_value"]
        overdue_drill(here, overdue[0] if overdue.len() else None)

    left, centre, right = st.columns([1.05, 2.2, 1.05], gap="small")
    with left:
        street_board(screens.street_board(here))
        by_source = screens.intake_by_source(here, today)
        st.html(panels.board_title(t("by_source_30d")))
        if by_source.height:
            st.vega_lite_chart(charts.bar_chart(by_source, "source", "cases", 190, KIOSK), width="stretch")
        else:
            empty_panel()
    with centre:
        metric = "backlog" if (tick // 2) % 2 else "intake"
        grids = screens.grid_today(here, today)
        urgent = screens.urgent_open_cases(here, 200)
        st.html(panels.board_title(f"{t('map_' + metric)} · {t('urgent_points')}"))
        tooltip = (
            f"<b>{{grid_name}}</b><br/>{t('map_intake')} {{intake}} · "
            f"{t('map_backlog')} {{backlog}} · {t('overdue')} {{overdue}}"
        )
        if grids.height:
            layers = [
                charts.choropleth_layer(
                    charts.grid_rows(grids, metric, ["grid_name", "intake", "backlog", "overdue"])
                )
            ]
            view = charts.view_for(grids, zoom=12.4)
        else:  # no grid boundaries (a 311 city): today's cases in ~500 m cells
            bins = screens.case_bins(Filter(start=today, end=today + timedelta(days=1), street=street))
            layers = (
                [
                    charts.bin_layer(
                        bins.rename({"cases": "intake"}),
                        metric,
                        screens.BIN_DEGREES * 40_000,
                        "bins",
                        ["intake", "backlog", "overdue"],
                    )
                ]
                if bins.height
                else []
            )
            view = charts.view_fit(bins, width_px=1000)
            tooltip = (
                f"{t('map_intake')} {{intake}} · {t('map_backlog')} {{backlog}} · {t('overdue')} {{overdue}}"
            )
        layers.append(
            charts.boundary_layer(
                charts.street_bands(screens.street_boundaries(EVERYTHING)), [120, 200, 255, 220]
            )
        )
        points = urgent.filter(pl.col("lon").is_not_null()).select(
            "case_id", "category_minor", "street_name", "lon", "lat"
        )
        if points.height:
            layers += charts.marker_layers(points, [255, 70, 70, 235], 55, "urgent")
        st.pydeck_chart(charts.deck(layers, view, KIOSK, tooltip), height=370)
        st.html(
            charts.layer_legend(
                [
                    ("rgba(255,70,70,0.92)", t("legend_urgent")),
                    ("rgba(120,200,255,0.86)", t("legend_street_bounds")),
                ],
                (t("map_" + metric), t("legend_low"), t("legend_high")),
                KIOSK,
            )
        )
        # the 30-day trend under the map: tall enough to read, and on the wall within 1080 px
        trend = screens.trend_30_days(here, today)
        st.html(panels.board_title(t("trend_30d")))
        if trend.height:
            st.vega_lite_chart(
                charts.trend_chart(
                    trend, {"cases": t("cases"), "events": t("events")}, 260, KIOSK, t("unit_cases")
                ),
                width="stretch",
            )
        else:
            empty_panel()
    with right:
        st.html(panels.board_title(t("urgent_cases")))
        urgent_list(urgent, tick)
        by_category = screens.intake_by_category(here, today)
        st.html(panels.board_title(t("by_category_30d")))
        if by_category.height:
            st.vega_lite_chart(
                charts.bar_chart(by_category, "category", "cases", 215, KIOSK, "#f5a623"), width="stretch"
            )
        else:
            empty_panel()


if require_release():
    if not KIOSK:
        street_filter()
    screen()
    if not KIOSK:
        freshness_footer()
