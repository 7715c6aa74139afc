"""The 通报's charts as PNG images, drawn offline: Altair builds the Vega-Lite spec, vl-convert (a
bundled Vega engine, no browser) renders it with the machine's fonts (Noto CJK on Debian).

``allowed_base_urls=[]`` makes any external data or image URL an error, so rendering never reaches
the network (the data is inline in every spec).
"""

from __future__ import annotations

import altair as alt
import polars as pl
import vl_convert

BLUE, RED, GREEN, GREY = "#2f6fb5", "#c8161d", "#2e9e5b", "#475569"
FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, SimHei, sans-serif"
WIDTH_PX = 500  # drawn at 2× for print; placed 150 mm wide on the page
SCALE = 2


def render_png(chart: alt.TopLevelMixin) -> bytes:
    spec = (
        chart.configure(font=FONT, background="white")
        .configure_axis(
            labelFontSize=14,
            titleFontSize=14,
            labelColor="#1f2937",
            titleColor="#1f2937",
            gridColor="#e5e7eb",
        )
        .configure_view(strokeWidth=0)
    ).to_dict()
    return vl_convert.vegalite_to_png(spec, scale=SCALE, allowed_base_urls=[])


def composite_chart(scores: pl.DataFrame, fell: str | None = None, rose: str | None = None) -> bytes:
    """Horizontal bars of the composite scores in rank order (``entity_name, composite_score``); the
    biggest faller red, the biggest riser green; the dashed line at 1 = every metric on target."""
    data = scores.filter(pl.col("composite_score").is_not_null()).with_columns(
        pl.col("composite_score").map_elements(lambda v: f"{v:.3f}", return_dtype=pl.String).alias("label"),
        pl.when(pl.col("entity_name").is_in([fell] if fell else []))
        .then(pl.lit(RED))
        .when(pl.col("entity_name").is_in([rose] if rose else []))
        .then(pl.lit(GREEN))
        .otherwise(pl.lit(BLUE))
        .alias("color"),
    )
    top = max(1.25, float(data["composite_score"].max() or 0) * 1.08)
    order = data["entity_name"].to_list()
    base = alt.Chart(data).encode(
        y=alt.Y("entity_name:N", sort=order, title=None, axis=alt.Axis(labelLimit=200, labelFontSize=14))
    )
    bars = base.mark_bar(height={"band": 0.7}).encode(
        x=alt.X("composite_score:Q", title="综合得分", scale=alt.Scale(domain=[0, top], nice=False)),
        color=alt.Color("color:N", scale=None),
    )
    text = base.mark_text(align="left", dx=4, fontSize=14, color="#1f2937").encode(
        x="composite_score:Q", text="label:N"
    )
    target = alt.Chart(pl.DataFrame({"x": [1.0]})).mark_rule(color=GREY, strokeDash=[5, 4]).encode(x="x:Q")
    return render_png((bars + text + target).properties(width=WIDTH_PX, height=alt.Step(30)))


def contribution_chart(changes: pl.DataFrame) -> bytes:
    """Diverging bars: each metric's change in contribution to one entity's composite (``axis_label,
    contribution_change``), red where it pulled the score down — as the ranking page's 'why' tab."""
    data = changes.with_columns(pl.col("contribution_change").fill_null(0.0)).with_columns(
        pl.col("contribution_change")
        .map_elements(lambda v: f"{v:+.3f}", return_dtype=pl.String)
        .alias("label"),
        pl.when(pl.col("contribution_change") < 0).then(pl.lit(RED)).otherwise(pl.lit(GREEN)).alias("color"),
    )
    values = data["contribution_change"].to_list() or [0.0]
    lo, hi = min(0.0, *values), max(0.0, *values)
    pad = (hi - lo) * 0.35 or 0.01
    order = data.sort("contribution_change")["axis_label"].to_list()
    base = alt.Chart(data).encode(
        y=alt.Y("axis_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=300, labelFontSize=14)),
        x=alt.X(
            "contribution_change:Q",
            title="对综合得分的贡献变化",
            scale=alt.Scale(domain=[lo - pad, hi + pad], nice=False),
            axis=alt.Axis(format="+.2f"),
        ),
    )
    bars = base.mark_bar(height={"band": 0.7}).encode(color=alt.Color("color:N", scale=None))
    below = (
        base.transform_filter(alt.datum.contribution_change < 0)
        .mark_text(align="right", dx=-4, fontSize=14, color=RED)
        .encode(text="label:N")
    )
    above = (
        base.transform_filter(alt.datum.contribution_change >= 0)
        .mark_text(align="left", dx=4, fontSize=14, color=GREEN)
        .encode(text="label:N")
    )
    zero = alt.Chart(pl.DataFrame({"x": [0.0]})).mark_rule(color=GREY).encode(x="x:Q")
    return render_png((bars + zero + below + above).properties(width=WIDTH_PX, height=alt.Step(30)))
