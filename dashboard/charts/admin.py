"""Chart builders of the workbench (the quick chart of a result) and the data-health page. No queries, no layout."""

from __future__ import annotations

import altair as alt
import polars as pl

from .fields import title

CHART_KINDS = ("bar", "line", "point")
MAX_POINTS = 5000
COUNT = "__rows__"  # the quick chart's y when nothing numeric is chosen: the number of rows


def numeric_columns(frame: pl.DataFrame) -> list[str]:
    return [c for c, dtype in frame.schema.items() if dtype.is_numeric() and dtype != pl.Boolean]


def _encoding_type(dtype: pl.DataType) -> str:
    if dtype.is_numeric():
        return "Q"
    if dtype.is_temporal():
        return "T"
    return "N"


def _plottable(frame: pl.DataFrame) -> pl.DataFrame:
    """Columns Vega-Lite can draw: nested, binary and duration values as text."""
    casts = [
        pl.col(c).cast(pl.String)
        for c, dtype in frame.schema.items()
        if dtype.is_nested() or dtype in (pl.Binary, pl.Duration, pl.Object, pl.Time) or dtype == pl.Decimal
    ]
    return frame.with_columns(casts) if casts else frame


def quick_chart(
    frame: pl.DataFrame, x: str, y: str | None, color: str | None = None, kind: str = "bar", height: int = 380
) -> tuple[alt.Chart, bool]:
    """A chart of a query result, and whether it was capped at ``MAX_POINTS``.

    Bars and lines aggregate: y is summed per x (and colour), or rows are counted when ``y`` is
    None. Scatter plots draw the rows as they are.
    """
    if kind not in CHART_KINDS:
        raise ValueError(f"unknown chart kind {kind!r} (one of {CHART_KINDS})")
    data = _plottable(frame)
    keys = [x] + ([color] if color and color != x else [])
    measure = y or COUNT
    if kind in ("bar", "line"):
        agg = pl.len().alias(COUNT) if y is None else pl.col(y).sum().alias(y)
        data = data.group_by(keys, maintain_order=True).agg(agg).sort(keys, nulls_last=True)
    elif y is None:
        data = data.with_columns(pl.lit(1).alias(COUNT))
    capped = data.height > MAX_POINTS
    data = data.head(MAX_POINTS)
    x_type = _encoding_type(data.schema[x])
    if kind == "bar" and x_type == "Q":
        x_type = "O"  # a bar per value
    y_title = y or title("rows")
    categories = data[x].n_unique() if x_type in ("N", "O") else 0
    axis = alt.Axis(labelAngle=0 if categories <= 8 else -40, labelLimit=180)
    encoding: dict[str, object] = {
        "x": alt.X(f"{x}:{x_type}", title=x, sort=None if x_type == "N" else "ascending", axis=axis),
        "y": alt.Y(f"{measure}:Q", title=y_title),
        "tooltip": [
            # the analyst's own column names (their SQL named them); the row count in the UI's language
            alt.Tooltip(f"{c}:{_encoding_type(data.schema[c])}", title=y_title if c == measure else c)
            for c in dict.fromkeys([*keys, measure])
        ],
    }
    if color and color != x:
        encoding["color"] = alt.Color(
            f"{color}:{'N' if kind != 'point' else _encoding_type(data.schema[color])}",
            title=color,
            legend=alt.Legend(orient="top"),
        )
    mark = {
        "bar": alt.Chart(data).mark_bar(),
        "line": alt.Chart(data).mark_line(point=True),
        "point": alt.Chart(data).mark_circle(size=60, opacity=0.7),
    }[kind]
    return mark.encode(**encoding).properties(height=height), capped


def quarantine_chart(
    reasons: pl.DataFrame, label: str = "reason_label", value: str = "quarantined_rows", height: int = 220
) -> alt.Chart:
    """Horizontal bars: quarantined rows per reason."""
    return (
        alt.Chart(reasons)
        .mark_bar(color="#e8684a", cornerRadiusEnd=3)
        .encode(
            y=alt.Y(f"{label}:N", sort="-x", title=None),
            x=alt.X(f"{value}:Q", title=None),
            tooltip=[
                alt.Tooltip(f"{label}:N", title=title(label)),
                alt.Tooltip(f"{value}:Q", format=",", title=title(value)),
            ],
        )
        .properties(height=height)
    )
