"""Typed chart builders: data in, a pydeck Deck or an Altair chart out. No queries, no layout."""

from __future__ import annotations

import bisect
import functools
import json
import math
import os
from html import escape

import altair as alt
import polars as pl
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from .spec_cache import cached_spec as _cached_spec

# Sequential ramp (light → deep red) for choropleths; alpha kept so boundaries stay visible.
RAMP = [
    (255, 247, 236),
    (253, 212, 158),
    (253, 187, 132),
    (252, 141, 89),
    (239, 101, 72),
    (215, 48, 31),
    (153, 0, 0),
]


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


# Every map layer drawn on first load is a filled-polygon layer (deck.gl's SolidPolygonLayer): one
# shader program for the whole map. Each further program (PathLayer outlines, ScatterplotLayer points)
# costs a shader compile before the first frame — about half a second to two seconds with software
# WebGL (SwiftShader: headless browsers, wall PCs and VMs without a GPU). So the grid mesh is drawn by
# insetting each grid tile (the gaps between tiles are the grid lines), street boundaries are thin
# bands of polygons and urgent cases small hexagons.
TILE_INSET_M = 14.0  # gap between neighbouring grid tiles: 2 × 14 m ≈ 1 px at zoom 12.3
BOUNDARY_BAND_M = 55.0  # street boundary width ≈ 2 px at zoom 12.3
DIGITS = 5  # ≈ 1 m
DIGITS_COARSE = 4  # ≈ 10 m: boundary bands and markers, tens of metres wide
SIMPLIFY_M = 8.0  # boundary vertices closer than this to the simplified line are dropped (≈ 0.3 px)


def _metres_per_degree(lat: float) -> tuple[float, float]:
    return 111_320.0 * math.cos(math.radians(lat)), 110_574.0


def _rings(geojson: str) -> list[list[list[float]]]:
    """Outer rings of a GeoJSON Polygon or MultiPolygon (holes dropped: grids and streets have none)."""
    geom = json.loads(geojson)
    polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    return [poly[0] for poly in polygons if poly and len(poly[0]) >= 4]


def _simplify(ring: list[list[float]], tol_m: float) -> list[list[float]]:
    """Douglas–Peucker on a closed ring (metres; split at the vertex farthest from the first)."""
    if len(ring) < 5 or tol_m <= 0:
        return ring
    kx, ky = _metres_per_degree(ring[0][1])

    def dp(pts: list[list[float]]) -> list[list[float]]:
        (x1, y1), (x2, y2) = pts[0], pts[-1]
        dx, dy = (x2 - x1) * kx, (y2 - y1) * ky
        length = math.hypot(dx, dy)
        best, at = 0.0, 0
        for i in range(1, len(pts) - 1):
            px, py = (pts[i][0] - x1) * kx, (pts[i][1] - y1) * ky
            d = abs(dx * py - dy * px) / length if length else math.hypot(px, py)
            if d > best:
                best, at = d, i
        if best > tol_m:
            return dp(pts[: at + 1])[:-1] + dp(pts[at:])
        return [pts[0], pts[-1]]

    far = max(range(len(ring)), key=lambda i: (ring[i][0] - ring[0][0]) ** 2 + (ring[i][1] - ring[0][1]) ** 2)
    return dp(ring[: far + 1])[:-1] + dp(ring[far:])


@functools.lru_cache(maxsize=16384)
def tile_rings(geojson: str, inset_m: float = TILE_INSET_M) -> tuple[list[list[float]], ...]:
    """A grid's polygon(s) pulled ``inset_m`` towards the centre, coordinates rounded to ~1 m, each ring open
    (deck.gl closes polygons itself: the repeated first vertex was 1/7 of a grid's coordinates).

    Cached by the boundary text, so it is computed once per grid and release. Callers must not mutate it.
    """
    rings = []
    for ring in _rings(geojson):
        ring = _simplify(ring, SIMPLIFY_M)
        pts = ring[:-1] if ring[0] == ring[-1] else ring
        cx, cy = sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)
        kx, ky = _metres_per_degree(cy)
        out = []
        for x, y in pts:
            d = math.hypot((x - cx) * kx, (y - cy) * ky)
            f = max(0.0, 1.0 - inset_m / d) if d else 0.0
            out.append([round(cx + (x - cx) * f, DIGITS), round(cy + (y - cy) * f, DIGITS)])
        rings.append(out)
    return tuple(rings)


@functools.lru_cache(maxsize=1024)
def band_quads(geojson: str, width_m: float = BOUNDARY_BAND_M) -> tuple[list[list[float]], ...]:
    """A boundary line as thin quads, one per edge, each an open ring of four corners (cached per boundary)."""
    quads = []
    for ring in _rings(geojson):
        ring = _simplify(ring, SIMPLIFY_M)
        for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
            kx, ky = _metres_per_degree(y1)
            dx, dy = (x2 - x1) * kx, (y2 - y1) * ky
            n = math.hypot(dx, dy)
            if not n:
                continue
            # half the width across the edge, plus the same along it so consecutive quads overlap at corners
            ox, oy = -dy / n * width_m / 2 / kx, dx / n * width_m / 2 / ky
            ex, ey = dx / n * width_m / 2 / kx, dy / n * width_m / 2 / ky
            a = [x1 - ex, y1 - ey]
            b = [x2 + ex, y2 + ey]
            quad = [
                [a[0] + ox, a[1] + oy],
                [b[0] + ox, b[1] + oy],
                [b[0] - ox, b[1] - oy],
                [a[0] - ox, a[1] - oy],
            ]
            quads.append([[round(x, DIGITS_COARSE), round(y, DIGITS_COARSE)] for x, y in quad])
    return tuple(quads)


def hexagon(lon: float, lat: float, radius_m: float, turn_deg: float = 0.0) -> list[list[float]]:
    """An open ring of six corners ``radius_m`` around (``lon``, ``lat``), ~10 m precision."""
    kx, ky = _metres_per_degree(lat)
    return [
        [
            round(lon + radius_m * math.cos(a) / kx, DIGITS_COARSE),
            round(lat + radius_m * math.sin(a) / ky, DIGITS_COARSE),
        ]
        for a in (math.radians(60 * i + turn_deg) for i in range(6))
    ]


def polygon_layer(rows: list, layer_id: str, fill: list[int] | str, pickable: bool) -> pdk.Layer:
    """deck.gl's SolidPolygonLayer: the one shader program every first-load layer shares.

    Rows are plain objects (``polygon`` plus what the tooltip shows) or, for a one-colour layer without
    tooltips, bare rings. Not GeoJSON: Streamlit parses the map's spec with JSON5, a character-at-a-time
    parser (~0.3 ms per kB here), and GeoJSON's ``{"type":"Feature","geometry":{"type":"Polygon",
    "coordinates":[[…]]},"properties":{…}}`` wrapping was a fifth of the command center's map.
    """
    bare = bool(rows) and isinstance(rows[0], list)
    return pdk.Layer(
        "SolidPolygonLayer",
        rows,
        id=layer_id,
        pickable=pickable,
        filled=True,
        extruded=False,
        get_polygon="-" if bare else "polygon",
        get_fill_color=fill,
    )


def grid_rows(grids: pl.DataFrame, value_col: str, property_cols: list[str]) -> list[dict]:
    """One row per grid tile (per part, for a grid in several parts): its ring, fill colour and the
    ``property_cols`` (what the tooltip shows, what a selection reads) — :func:`tooltip` writes the labels
    once, not per grid."""
    colors = ramp_colors(grids[value_col]) if grids.height else []
    cols = list(dict.fromkeys(property_cols))
    rows = []
    for row, geojson, color in zip(
        grids.select(cols).iter_rows(named=True), grids["boundary_geojson"].to_list(), colors, strict=True
    ):
        props = {col: ("—" if v is None else v) for col, v in row.items()}
        rows += [{**props, "fill": color, "polygon": ring} for ring in tile_rings(geojson)]
    return rows


def tooltip(title_cols: list[str], lines: dict[str, str]) -> str:
    """Tooltip HTML: the title columns in bold, then one ``label: {column}`` line per entry."""
    head = " ".join("{" + c + "}" for c in title_cols)
    return f"<b>{head}</b><br/>" + "<br/>".join(f"{label}: {{{col}}}" for label, col in lines.items())


def street_bands(areas: pl.DataFrame) -> list[list[list[float]]]:
    """Street boundaries as bands of quads (see :func:`band_quads`)."""
    return [
        quad
        for r in areas.iter_rows(named=True)
        if r.get("boundary_geojson")
        for quad in band_quads(r["boundary_geojson"])
    ]


def view_for(grids: pl.DataFrame, zoom: float = 12.3) -> pdk.ViewState:
    if grids.height and "boundary_geojson" in grids.columns and "centroid_lon" not in grids.columns:
        lons, lats = [], []
        for g in grids["boundary_geojson"].to_list():
            ring = json.loads(g)["coordinates"][0]
            lons += [p[0] for p in ring]
            lats += [p[1] for p in ring]
        lon, lat = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    elif grids.height:  # the middle of the grids' extent
        lon = (grids["centroid_lon"].min() + grids["centroid_lon"].max()) / 2
        lat = (grids["centroid_lat"].min() + grids["centroid_lat"].max()) / 2
    else:
        lon, lat = 0.0, 0.0
    return pdk.ViewState(longitude=lon, latitude=lat, zoom=zoom, pitch=0)


# Device markers: one colour per device type (cameras and sensors apart), in the order the types are listed.
DEVICE_COLORS = [
    [0, 170, 255, 200],
    [255, 170, 0, 210],
    [140, 90, 255, 200],
    [40, 200, 120, 200],
    [255, 90, 160, 200],
    [160, 160, 160, 200],
]


def css_color(color: list[int] | tuple[int, ...]) -> str:
    r, g, b, *a = color
    return f"rgba({r},{g},{b},{(a[0] if a else 255) / 255:.2f})"


def layer_legend(
    items: list[tuple[str, str]], ramp: tuple[str, str, str] | None = None, dark: bool = False
) -> str:
    """HTML legend under a map: ``items`` (css colour, label) as dots, ``ramp`` (label, low, high) as a
    colour bar of RAMP — every layer the map draws says what its colours mean. Labels are escaped (a device
    type comes from an export)."""
    fg = "#dce9ff" if dark else "#334155"
    size = 16 if dark else 13
    parts = [
        f"<span style='margin-right:16px'><span style='display:inline-block;width:11px;height:11px;"
        f"border-radius:50%;background:{color};margin-right:5px'></span>{escape(label)}</span>"
        for color, label in items
    ]
    if ramp:
        label, low, high = ramp
        stops = ",".join(css_color(c) for c in RAMP)
        parts.insert(
            0,
            f"<span style='margin-right:16px'>{escape(label)} {escape(low)} <span style='display:inline-block;"
            f"width:90px;height:10px;background:linear-gradient(90deg,{stops});vertical-align:middle'></span> "
            f"{escape(high)}</span>",
        )
    return f"<div class='map-legend' style='font-size:{size}px;color:{fg}'>{''.join(parts)}</div>"


def device_layers(devices: pl.DataFrame) -> tuple[list[pdk.Layer], list[tuple[str, str]]]:
    """One marker layer per device type (its own colour), and the legend items for them."""
    layers, items = [], []
    types = devices.group_by("device_type").len().sort("len", descending=True)["device_type"].to_list()
    for i, kind in enumerate(types):
        color = DEVICE_COLORS[i % len(DEVICE_COLORS)]
        shown = devices.filter(pl.col("device_type").eq_missing(kind))
        layers.append(point_layer(shown, color, 15, f"devices_{i}"))
        items.append((css_color(color), kind or "—"))
    return layers, items


def choropleth_layer(rows: list[dict], layer_id: str = "grids") -> pdk.Layer:
    return polygon_layer(rows, layer_id, "fill", pickable=True)


def boundary_layer(quads: list[list[list[float]]], color: list[int]) -> pdk.Layer:
    """Boundary bands from :func:`street_bands`, filled (no outline layer: see TILE_INSET_M)."""
    return polygon_layer(quads, "streets", color, pickable=False)


def marker_layers(
    points: pl.DataFrame,
    color: list[int],
    radius_m: float,
    layer_id: str,
    ring_color: list[int] | None = None,
) -> list[pdk.Layer]:
    """Small hexagons of ``radius_m`` at (``lon``, ``lat``) over a ring (a larger hexagon underneath), drawn
    with the polygon shader: for the few points a screen shows on first load (urgent cases)."""
    located = list(zip(points["lon"].to_list(), points["lat"].to_list(), strict=True))
    return [
        polygon_layer(
            [hexagon(lon, lat, radius_m * 1.4) for lon, lat in located],
            f"{layer_id}_ring",
            ring_color or [255, 255, 255, 220],
            pickable=False,
        ),
        polygon_layer([hexagon(lon, lat, radius_m) for lon, lat in located], layer_id, color, pickable=False),
    ]


def bin_layer(
    bins: pl.DataFrame,
    value_col: str,
    radius_m: float,
    layer_id: str = "bins",
    property_cols: list[str] | None = None,
) -> pdk.Layer:
    """Case counts per cell as hexagons coloured by rank (the polygon shader, like every first-load layer):
    the map of a city without grid boundaries (a 311 export)."""
    colors = ramp_colors(bins[value_col], alpha=210)
    rows = [
        {
            **{c: r[c] for c in property_cols or [value_col]},
            "fill": fill,
            "polygon": hexagon(r["lon"], r["lat"], radius_m, turn_deg=30),
        }
        for r, fill in zip(bins.iter_rows(named=True), colors, strict=True)
    ]
    return polygon_layer(rows, layer_id, "fill", pickable=True)


def point_layer(points: pl.DataFrame, color: list[int], radius_m: float, layer_id: str) -> pdk.Layer:
    """Points (devices), drawn only when the user turns their layer on."""
    return pdk.Layer(
        "ScatterplotLayer",
        points.to_dicts(),
        id=layer_id,
        pickable=True,
        get_position=["lon", "lat"],
        get_fill_color=color,
        get_radius=radius_m,
        radius_min_pixels=3,
        stroked=True,
        get_line_color=[255, 255, 255, 200],
        line_width_min_pixels=1,
    )


def hexagon_layer(bins: pl.DataFrame, weight_col: str) -> pdk.Layer:
    """Flat case density (hexagons coloured by count, seen from above), drawn only when the user turns it on."""
    return pdk.Layer(
        "HexagonLayer",
        bins.to_dicts(),
        id="density",
        get_position=["lon", "lat"],
        radius=250,
        get_elevation_weight=weight_col,
        get_color_weight=weight_col,
        elevation_scale=6,
        extruded=False,
        pickable=True,
        opacity=0.55,
        coverage=0.9,
    )


def view_fit(points: pl.DataFrame, width_px: int = 1000) -> pdk.ViewState:
    """A view that frames every (lon, lat) of ``points`` (a city known only by its cases' points)."""
    located = points.filter(pl.col("lon").is_not_null() & pl.col("lat").is_not_null())
    if located.is_empty():
        return pdk.ViewState(longitude=0.0, latitude=0.0, zoom=1, pitch=0)
    lon0, lon1 = located["lon"].min(), located["lon"].max()
    lat0, lat1 = located["lat"].min(), located["lat"].max()
    lat = (lat0 + lat1) / 2
    span = max(lon1 - lon0, (lat1 - lat0) / max(math.cos(math.radians(lat)), 0.1), 0.005)
    zoom = math.log2(360 * width_px / 512 / span) - 0.6
    return pdk.ViewState(longitude=(lon0 + lon1) / 2, latitude=lat, zoom=round(min(zoom, 15), 2), pitch=0)


class CompactDeck(pdk.Deck):
    """A Deck whose JSON is compact: pydeck indents it (``indent=2``), which made the map's spec 2 MB
    instead of a few hundred kB and forced the slow pure-Python JSON encoder."""

    def to_json(self) -> str:
        return json.dumps(self, default=default_serialize, separators=(",", ":"), ensure_ascii=False)


def deck(layers: list[pdk.Layer], view: pdk.ViewState, dark: bool, tooltip_html: str) -> pdk.Deck:
    style = (
        {"backgroundColor": "#0d2340", "color": "#e8f1ff"}
        if dark
        else {"backgroundColor": "#ffffff", "color": "#1d2a3a"}
    )
    url = map_style_url()
    # No provider and pydeck's default style sentinel: Streamlit then draws no base map and fetches nothing
    # (an empty style string would make it fall back to an internet base map).
    extra = {"map_style": url} if url else {}
    return CompactDeck(
        layers=layers,
        initial_view_state=view,
        map_provider=None,
        **extra,
        tooltip={"html": tooltip_html, "style": {**style, "fontSize": "13px"}},
    )


def _axis_config(chart: alt.Chart, dark: bool) -> alt.Chart:
    fg = "#c9d8ef" if dark else "#334155"
    return (
        chart.configure(background="transparent")
        # on the wall no text under 16 px; no legend cuts a name short
        .configure_axis(
            labelColor=fg,
            titleColor=fg,
            gridColor="#1f3556" if dark else "#e2e8f0",
            labelFontSize=16 if dark else 12,
            titleFontSize=16 if dark else 12,
        )
        .configure_legend(labelColor=fg, titleColor=fg, labelFontSize=16 if dark else 12, labelLimit=0)
        .configure_view(strokeWidth=0)
    )


def count_ticks(top: float, count: int = 4) -> list[int]:
    """About ``count`` round steps (1, 2, 5 × 10ⁿ) from 0 to the first tick at or above ``top``.

    The axis is given these values and the scale ends at the last one, so the highest point always
    lies under a labelled tick (Vega would drop labels that crowd a short plot, or stop below the data).
    """
    if not top or top <= 0 or math.isnan(top):
        return [0, 1]
    rough = top / count
    power = 10 ** math.floor(math.log10(rough))
    step = max(1, next(m * power for m in (1, 2, 5, 10) if m * power >= rough))
    return [i * step for i in range(math.ceil(top / step) + 1)]


@_cached_spec
def trend_chart(
    trend: pl.DataFrame, series: dict[str, str], height: int, dark: bool, y_title: str | None = None
) -> alt.Chart:
    """Lines per series (column → label) over ``day``, with a y axis that reads values (``y_title``: its unit).

    The legend sits right of the plot, so the whole ``height`` goes to the plot and no gap opens above it.
    """
    long = trend.unpivot(index="day", on=list(series)).with_columns(pl.col("variable").replace(series))
    ticks = count_ticks(float(long["value"].max() or 0))
    chart = (
        alt.Chart(long)
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=alt.X("day:T", title=None, axis=alt.Axis(format="%m-%d")),
            y=alt.Y(
                "value:Q",
                title=y_title,
                scale=alt.Scale(domain=[0, ticks[-1]], nice=False),
                # the unit upright above the axis (a rotated 件 reads sideways)
                axis=alt.Axis(
                    values=ticks, format=",d", titleAngle=0, titleX=0, titleY=-12, titleAlign="right"
                ),
            ),
            # the series in the order given, so each keeps its colour in either language
            color=alt.Color(
                "variable:N", title=None, sort=list(series.values()), legend=alt.Legend(orient="right")
            ),
            tooltip=[
                alt.Tooltip("day:T", format="%Y-%m-%d"),
                "variable:N",
                alt.Tooltip("value:Q", format=","),
            ],
        )
        .properties(height=height)
    )
    return _axis_config(chart, dark)


@_cached_spec
def bar_chart(
    data: pl.DataFrame, label: str, value: str, height: int, dark: bool, color: str = "#3ba0ff"
) -> alt.Chart:
    """Horizontal bars, longest first, on an axis labelled up to (or past) the longest bar."""
    ticks = count_ticks(float(data[value].max() or 0)) if data.height else [0, 1]
    chart = (
        alt.Chart(data)
        .mark_bar(color=color, cornerRadiusEnd=3)
        .encode(
            y=alt.Y(f"{label}:N", sort="-x", title=None),
            x=alt.X(
                f"{value}:Q",
                title=None,
                scale=alt.Scale(domain=[0, ticks[-1]], nice=False),
                axis=alt.Axis(values=ticks, format=",d"),
            ),
            tooltip=[f"{label}:N", alt.Tooltip(f"{value}:Q", format=",")],
        )
        .properties(height=height)
    )
    return _axis_config(chart, dark)
