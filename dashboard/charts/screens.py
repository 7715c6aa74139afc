"""Typed chart builders: data in, a pydeck Deck or an Altair chart out. No queries, no layout."""

from __future__ import annotations

import bisect
import json
import os

import altair as alt
import polars as pl
import pydeck as pdk

# Sequential ramp (light → deep red) for choropleths; alpha kept so boundaries stay visible.
RAMP = [(255, 247, 236), (253, 212, 158), (253, 187, 132), (252, 141, 89), (239, 101, 72), (215, 48, 31), (153, 0, 0)]


def map_style_url() -> str | None:
    """An intranet map style (a MapLibre style JSON URL) from GRIDPULSE_MAP_STYLE_URL, or None.

    Without it the map has no base layer at all — the warehouse's division boundaries are the base —
    and the browser makes no request for tiles, fonts or styles.
    """
    return os.environ.get("GRIDPULSE_MAP_STYLE_URL", "").strip() or None


def ramp_colors(values: pl.Series, alpha: int = 190) -> list[list[int]]:
    """Colour per value by its rank among the non-zero values (zero and missing stay nearly transparent)."""
    vals = values.fill_null(0).to_list()
    positive = sorted(v for v in vals if v > 0)
    out = []
    for v in vals:
        if v <= 0 or not positive:
            out.append([120, 140, 160, 40])
            continue
        rank = bisect.bisect_right(positive, v) / len(positive)
        r, g, b = RAMP[min(len(RAMP) - 1, int(rank * (len(RAMP) - 1)))]
        out.append([r, g, b, alpha])
    return out


def grid_features(grids: pl.DataFrame, value_col: str, tooltip_cols: dict[str, str]) -> dict:
    """GeoJSON FeatureCollection of grid polygons with fill colour and tooltip properties."""
    colors = ramp_colors(grids[value_col]) if grids.height else []
    features = []
    for row, color in zip(grids.iter_rows(named=True), colors, strict=True):
        props = {label: ("—" if row.get(col) is None else row.get(col)) for label, col in tooltip_cols.items()}
        props["fill"] = color
        props["grid_code"] = row["grid_code"]
        features.append({"type": "Feature", "geometry": json.loads(row["boundary_geojson"]), "properties": props})
    return {"type": "FeatureCollection", "features": features}


def boundary_features(areas: pl.DataFrame) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": json.loads(r["boundary_geojson"]), "properties": {"name": r["street_name"]}}
            for r in areas.iter_rows(named=True)
            if r.get("boundary_geojson")
        ],
    }


def view_for(grids: pl.DataFrame, zoom: float = 12.3) -> pdk.ViewState:
    if grids.height and "boundary_geojson" in grids.columns and "centroid_lon" not in grids.columns:
        lons, lats = [], []
        for g in grids["boundary_geojson"].to_list():
            ring = json.loads(g)["coordinates"][0]
            lons += [p[0] for p in ring]
            lats += [p[1] for p in ring]
        lon, lat = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    elif grids.height:
        lon, lat = grids["centroid_lon"].mean(), grids["centroid_lat"].mean()
    else:
        lon, lat = 0.0, 0.0
    return pdk.ViewState(longitude=lon, latitude=lat, zoom=zoom, pitch=0)


def choropleth_layer(features: dict, layer_id: str = "grids", line_color: list[int] | None = None) -> pdk.Layer:
    return pdk.Layer(
        "GeoJsonLayer", features, id=layer_id, pickable=True, stroked=True, filled=True,
        get_fill_color="properties.fill", get_line_color=line_color or [90, 110, 140, 120], line_width_min_pixels=0.5,
    )


def boundary_layer(features: dict, color: list[int]) -> pdk.Layer:
    return pdk.Layer("GeoJsonLayer", features, id="streets", stroked=True, filled=False, pickable=False,
                     get_line_color=color, line_width_min_pixels=2)


def point_layer(points: pl.DataFrame, color: list[int], radius_m: float, layer_id: str) -> pdk.Layer:
    return pdk.Layer("ScatterplotLayer", points.to_dicts(), id=layer_id, pickable=True, get_position=["lon", "lat"],
                     get_fill_color=color, get_radius=radius_m, radius_min_pixels=3, stroked=True,
                     get_line_color=[255, 255, 255, 200], line_width_min_pixels=1)


def hexagon_layer(bins: pl.DataFrame, weight_col: str) -> pdk.Layer:
    return pdk.Layer("HexagonLayer", bins.to_dicts(), id="density", get_position=["lon", "lat"], radius=250,
                     get_elevation_weight=weight_col, get_color_weight=weight_col, elevation_scale=6,
                     extruded=True, pickable=True, opacity=0.55, coverage=0.9)


def deck(layers: list[pdk.Layer], view: pdk.ViewState, dark: bool, tooltip_html: str) -> pdk.Deck:
    style = {"backgroundColor": "#0d2340", "color": "#e8f1ff"} if dark else {"backgroundColor": "#ffffff", "color": "#1d2a3a"}
    url = map_style_url()
    # No provider and pydeck's default style sentinel: Streamlit then draws no base map and fetches nothing
    # (an empty style string would make it fall back to an internet base map).
    extra = {"map_style": url} if url else {}
    return pdk.Deck(layers=layers, initial_view_state=view, map_provider=None, **extra,
                    tooltip={"html": tooltip_html, "style": {**style, "fontSize": "13px"}})


def _axis_config(chart: alt.Chart, dark: bool) -> alt.Chart:
    fg = "#c9d8ef" if dark else "#334155"
    return (chart.configure(background="transparent")
            .configure_axis(labelColor=fg, titleColor=fg, gridColor="#1f3556" if dark else "#e2e8f0")
            .configure_legend(labelColor=fg, titleColor=fg)
            .configure_view(strokeWidth=0))


def trend_chart(trend: pl.DataFrame, series: dict[str, str], height: int, dark: bool) -> alt.Chart:
    """Lines per series (column → label) over ``day``."""
    long = trend.unpivot(index="day", on=list(series)).with_columns(pl.col("variable").replace(series))
    chart = (alt.Chart(long).mark_line(point=True, strokeWidth=2)
             .encode(x=alt.X("day:T", title=None, axis=alt.Axis(format="%m-%d")),
                     y=alt.Y("value:Q", title=None),
                     color=alt.Color("variable:N", title=None, legend=alt.Legend(orient="top")),
                     tooltip=[alt.Tooltip("day:T", format="%Y-%m-%d"), "variable:N", "value:Q"])
             .properties(height=height))
    return _axis_config(chart, dark)


def bar_chart(data: pl.DataFrame, label: str, value: str, height: int, dark: bool, color: str = "#3ba0ff") -> alt.Chart:
    chart = (alt.Chart(data).mark_bar(color=color, cornerRadiusEnd=3)
             .encode(y=alt.Y(f"{label}:N", sort="-x", title=None), x=alt.X(f"{value}:Q", title=None),
                     tooltip=[f"{label}:N", f"{value}:Q"])
             .properties(height=height))
    return _axis_config(chart, dark)
