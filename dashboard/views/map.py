"""地图 — grid choropleth, case density and devices over offline division boundaries.

Everything is aggregated in SQL: at most one polygon per grid, density bins and
(at most 50,000) device points reach the browser — never raw case points.
"""

from datetime import timedelta

import polars as pl
import streamlit as st

from dashboard import charts, coverage
from dashboard.desk_ui import dashes, filled
from dashboard.formatting import pct_expr
from dashboard.i18n import t
from dashboard.layout import freshness_footer, require_release, street_filter
from dashboard.queries import EVERYTHING, Filter, screens

METRICS = ["new_cases", "backlog", "overdue", "ontime_rate"]
MAX_OBJECTS = 50_000

st.title(t("page_map"))


def options(frame: pl.DataFrame) -> list[str]:
    return [v for v in frame.to_series().to_list() if v is not None] if frame.height else []


if require_release():
    street = street_filter()
    span = screens.case_date_range(EVERYTHING)
    first, last = (span["first"][0], span["last"][0]) if span.height else (None, None)
    if last is None:
        st.info(t("no_platform_data"))
    else:
        with st.sidebar:
            default_from = max(first, last - timedelta(days=29))
            picked = st.date_input(t("date_range"), (default_from, last), min_value=first, max_value=last)
            date_from, date_to = (
                (picked[0], picked[-1])
                if isinstance(picked, tuple | list) and picked
                else (default_from, last)
            )
            sources = st.multiselect(t("source"), options(screens.sources(EVERYTHING)), placeholder=t("all"))
            categories = st.multiselect(
                t("category"), options(screens.categories(EVERYTHING)), placeholder=t("all")
            )
            statuses = st.multiselect(
                t("case_status"), options(screens.statuses(EVERYTHING)), placeholder=t("all")
            )
            metric = st.radio(t("metric"), METRICS, format_func=lambda m: t("metric_" + m))
            st.markdown(f"**{t('layers')}**")
            # a city without grid boundaries (a 311 export) is drawn from its cases' points instead
            has_grids = not coverage.missing("boundaries")
            show_choropleth = st.checkbox(t("layer_choropleth"), value=has_grids, disabled=not has_grids)
            show_bins = st.checkbox(t("layer_bins"), value=not has_grids)
            show_density = st.checkbox(t("layer_density"), value=False)
            show_devices = st.checkbox(t("layer_devices"), value=False)
        case_filter = Filter(
            start=date_from,
            end=date_to + timedelta(days=1),
            street=street,
            sources=tuple(sources),
            categories=tuple(categories),
            statuses=tuple(statuses),
        )
        grids = screens.grid_metrics(case_filter)
        bins = screens.case_bins(case_filter) if show_bins or grids.is_empty() else pl.DataFrame()
        if grids.is_empty():
            st.info(t("no_grids"))
        elif grids["new_cases"].sum() == 0:
            st.warning(t("no_rows"))
        layers = []
        legend_items: list[tuple[str, str]] = [("rgba(40,90,160,0.86)", t("legend_street_bounds"))]
        legend_ramp = None
        if show_choropleth and grids.height:
            # the tooltip shows the on-time rate as a percentage
            shown = grids.with_columns(
                pl.col("ontime_rate").round(3), pct_expr("ontime_rate").alias("ontime_pct")
            )
            layers.append(
                charts.choropleth_layer(
                    charts.grid_rows(
                        shown,
                        metric,
                        ["grid_code", "grid_name", "community_name", *METRICS[:-1], "ontime_pct"],
                    )
                )
            )
            legend_ramp = (t("metric_" + metric), t("legend_low"), t("legend_high"))
        layers.append(
            charts.boundary_layer(
                charts.street_bands(screens.street_boundaries(EVERYTHING)), [40, 90, 160, 220]
            )
        )
        if show_bins and bins.height:
            metric_col = {"new_cases": "cases", "backlog": "backlog", "overdue": "overdue"}.get(
                metric, "cases"
            )
            layers.append(
                charts.bin_layer(
                    bins, metric_col, screens.BIN_DEGREES * 40_000, "bins", ["cases", "backlog", "overdue"]
                )
            )
            legend_ramp = legend_ramp or (t("metric_" + metric), t("legend_low"), t("legend_high"))
        if show_density:
            density = screens.case_density(case_filter)
            if density.height:
                layers.append(charts.hexagon_layer(density, "cases"))
                legend_items.append(("rgba(254,178,76,0.8)", t("legend_density")))
        if show_devices and coverage.note_missing("devices", what=t("layer_devices")):
            show_devices = False
        if show_devices:
            n_devices = screens.device_count(Filter(street=street))["n"][0]
            if n_devices > MAX_OBJECTS:
                st.caption(t("devices_binned"))
                devices = screens.devices_binned(Filter(street=street))
            else:
                devices = screens.devices(Filter(street=street))
            if devices.height:
                device_layers, device_items = charts.device_layers(devices)
                layers += device_layers
                legend_items += device_items
        tooltip = charts.tooltip(
            ["grid_name", "grid_code"],
            {
                t("community"): "community_name",
                **{t("metric_" + m): m for m in METRICS[:-1]},
                t("metric_ontime_rate"): "ontime_pct",
            },
        )
        if grids.is_empty():
            tooltip = charts.tooltip(
                [],
                {
                    t("metric_new_cases"): "cases",
                    t("metric_backlog"): "backlog",
                    t("metric_overdue"): "overdue",
                },
            )
        view = charts.view_for(grids) if grids.height else charts.view_fit(bins)
        event = st.pydeck_chart(
            charts.deck(layers, view, False, tooltip),
            height=640,
            on_select="rerun",
            selection_mode="single-object",
            key="map",
        )
        st.html(charts.layer_legend(legend_items, legend_ramp))
        st.caption(t("map_offline_note"))

        picked_codes = [
            o.get("grid_code")
            for o in (event.selection.objects.get("grids", []) if event and event.selection else [])
        ]
        names = dict(zip(grids["grid_code"].to_list(), grids["grid_name"].to_list(), strict=True))
        ranked = grids.sort("new_cases", descending=True)["grid_code"].to_list()
        default = picked_codes[0] if picked_codes and picked_codes[0] in names else None
        # A grid's cases are a drill: shown once the user clicks a grid or picks one here (listed busiest
        # first). A table drawn for no one's question was Streamlit's whole table component to load,
        # ~0.3 s of every view of the map.
        grid = (
            st.selectbox(
                t("pick_grid"),
                ranked,
                index=ranked.index(default) if default else None,
                placeholder=t("pick_grid_hint"),
                format_func=lambda c: f"{names.get(c, c)} · {c}",
            )
            if ranked
            else None
        )
        if grid:
            st.subheader(t("recent_cases", grid=names.get(grid, grid)))
            cases = screens.grid_recent_cases(EVERYTHING, grid)
            total = int(cases["total"][0]) if cases.height else 0
            if total > cases.height:
                st.caption(t("showing_n_of_m", n=f"{cases.height:,}", m=f"{total:,}"))
            shown, config = filled(
                dashes(cases.drop("total"), "is_overdue"),
                {
                    "case_id": t("case_id"),
                    "reported_at": st.column_config.DatetimeColumn(
                        t("desk_reported_at"), format="YYYY-MM-DD HH:mm"
                    ),
                    "source_channel": t("source"),
                    "category_minor": t("desk_category_minor"),
                    "urgency": t("desk_urgency"),
                    "current_status": t("case_status"),
                    "is_overdue": t("overdue"),
                    "handling_department_name": t("desk_department"),
                },
            )
            st.dataframe(shown, hide_index=True, width="stretch", column_config=config)
    freshness_footer()
