"""Chart builders of the desk pages (funnel, rankings, 双报到, 红黑榜): data in, an Altair chart out
(as a finished spec, built once per distinct input: see spec_cache).

Charts a page drills from carry a point selection named ``pick`` on the field the page reads back
(``st.vega_lite_chart(..., on_select="rerun")`` → ``event.selection["pick"]``).
"""

from __future__ import annotations

import altair as alt
import polars as pl

from ..formatting import signed
from .fields import title
from .spec_cache import cached_spec

__all__ = [
    "PICK",
    "funnel_chart",
    "side_flow_chart",
    "duration_chart",
    "histogram_chart",
    "breakdown_chart",
    "period_trend_chart",
    "levels_chart",
    "contribution_chart",
    "rank_history_chart",
    "interval_chart",
    "speed_chart",
    "timeline_chart",
    "hbar_chart",
    "item_scores_chart",
    "score_trend_chart",
]

PICK = "pick"
BLUE, RED, GREEN, GREY, AMBER = "#2f7ed8", "#d9363e", "#2e9e5b", "#9aa5b1", "#f0a020"
LEVEL_COLORS = ["#2e9e5b", "#7cc576", "#f0a020", "#d9363e"]


def _style(chart: alt.Chart | alt.LayerChart) -> alt.Chart | alt.LayerChart:
    return (
        chart.configure(background="transparent", font="sans-serif")
        .configure_axis(labelColor="#334155", titleColor="#334155", gridColor="#e2e8f0", labelFontSize=12)
        # labelLimit 0: a legend never cuts a name short (15 departments)
        .configure_legend(
            labelColor="#334155",
            titleColor="#334155",
            orient="top",
            labelFontSize=12,
            labelLimit=0,
            symbolLimit=0,
        )
        .configure_view(strokeWidth=0)
    )


def _pct_axis(values: pl.Series) -> str:
    """Axis format of a rate: whole percents, or one decimal when every value is under 10%."""
    top = values.drop_nulls().max() if values.len() else None
    return ".1%" if top is not None and top < 0.1 else ".0%"


def _pick(field: str) -> alt.Parameter:
    return alt.selection_point(name=PICK, fields=[field], on="click", clear="dblclick")


@cached_spec
def funnel_chart(stages: pl.DataFrame, step: int = 40, titles: dict[str, str] | None = None) -> alt.Chart:
    """Horizontal funnel: ``stage_no, stage, cases, conversion, of_first, label``; click a bar to pick its stage_no.
    ``titles``: the tooltip's names for stage, cases, conversion and of_first in the UI's language."""
    w = titles or {}
    pick = _pick("stage_no")
    base = alt.Chart(stages).encode(
        y=alt.Y(
            "stage:N",
            sort=alt.EncodingSortField("stage_no"),
            title=None,
            axis=alt.Axis(labelFontSize=14, labelFontWeight="bold"),
        ),
    )
    bars = (
        base.mark_bar(cornerRadiusEnd=3, height={"band": 0.75})
        .encode(
            x=alt.X("cases:Q", title=None, axis=alt.Axis(format="~s")),
            color=alt.Color("of_first:Q", scale=alt.Scale(scheme="blues", domain=[0, 1]), legend=None),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.45)),
            tooltip=[
                alt.Tooltip("stage:N", title=w.get("stage", title("stage"))),
                alt.Tooltip("cases:Q", format=",", title=w.get("cases", title("cases"))),
                alt.Tooltip("conversion:Q", format=".1%", title=w.get("conversion", title("conversion"))),
                alt.Tooltip("of_first:Q", format=".1%", title=w.get("of_first", title("of_first"))),
            ],
        )
        .add_params(pick)
    )
    text = base.mark_text(align="left", dx=4, fontSize=13, color="#1e293b").encode(
        x=alt.X("cases:Q"), text=alt.Text("label:N")
    )
    return _style((bars + text).properties(height=alt.Step(step)))


@cached_spec
def side_flow_chart(flows: pl.DataFrame, step: int = 34, titles: dict[str, str] | None = None) -> alt.Chart:
    """Bars of the side flows (``flow, name, cases, share``); click one to pick its flow. ``titles``: the
    tooltip's names for name, cases and share."""
    w = titles or {}
    pick = _pick("flow")
    base = alt.Chart(flows).encode(
        y=alt.Y("name:N", sort=None, title=None, axis=alt.Axis(labelFontSize=13, labelLimit=220))
    )
    bars = (
        base.mark_bar(color=AMBER, cornerRadiusEnd=3)
        .encode(
            x=alt.X("cases:Q", title=None),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.45)),
            tooltip=[
                alt.Tooltip("name:N", title=w.get("name", title("name"))),
                alt.Tooltip("cases:Q", format=",", title=w.get("cases", title("cases"))),
                alt.Tooltip("share:Q", format=".1%", title=w.get("share", title("share"))),
            ],
        )
        .add_params(pick)
    )
    text = base.mark_text(align="left", dx=4, fontSize=12, color="#1e293b").encode(
        x="cases:Q", text=alt.Text("label:N")
    )
    return _style((bars + text).properties(height=alt.Step(step)))


@cached_spec
def duration_chart(durations: pl.DataFrame, step: int = 36) -> alt.Chart:
    """Distribution of stage durations from quantiles (``stage_no, stage, p10_hours … p90_hours``):
    whisker P10–P90, box P25–P75, a tick at the median; log hours."""
    data = durations.with_columns(
        [
            pl.col(c).clip(lower_bound=0.01)
            for c in ("p10_hours", "p25_hours", "median_hours", "p75_hours", "p90_hours")
        ]
    )
    y = alt.Y(
        "stage:N",
        sort=alt.EncodingSortField("stage_no"),
        title=None,
        axis=alt.Axis(labelFontSize=13, labelLimit=260),
    )
    scale = alt.Scale(type="log")
    tooltip = [
        alt.Tooltip("stage:N"),
        alt.Tooltip("cases:Q", format=","),
        alt.Tooltip("median_hours:Q", format=".2f"),
        alt.Tooltip("p90_hours:Q", format=".2f"),
        alt.Tooltip("p25_hours:Q", format=".2f"),
        alt.Tooltip("p75_hours:Q", format=".2f"),
    ]
    base = alt.Chart(data).encode(y=y, tooltip=tooltip)
    whisker = base.mark_rule(color=GREY, strokeWidth=2).encode(
        x=alt.X("p10_hours:Q", scale=scale, title=title("hours_log")), x2="p90_hours:Q"
    )
    box = base.mark_bar(color="#9cc3ec", height={"band": 0.55}).encode(
        x=alt.X("p25_hours:Q", scale=scale), x2="p75_hours:Q"
    )
    median = base.mark_tick(color="#0b3d91", thickness=3, size=22).encode(
        x=alt.X("median_hours:Q", scale=scale)
    )
    p90 = base.mark_point(shape="diamond", color=RED, filled=True, size=60).encode(
        x=alt.X("p90_hours:Q", scale=scale)
    )
    return _style((whisker + box + median + p90).properties(height=alt.Step(step)))


@cached_spec
def histogram_chart(hist: pl.DataFrame, height: int = 220) -> alt.Chart:
    """Cases per duration bin (``bin_label, cases``, bins in order)."""
    chart = (
        alt.Chart(hist)
        .mark_bar(color=BLUE, cornerRadiusEnd=2)
        .encode(
            x=alt.X("bin_label:N", sort=None, title=None, axis=alt.Axis(labelAngle=-40)),
            y=alt.Y("cases:Q", title=None),
            tooltip=["bin_label:N", alt.Tooltip("cases:Q", format=",")],
        )
        .properties(height=height)
    )
    return _style(chart)


@cached_spec
def breakdown_chart(
    data: pl.DataFrame, value: str, is_rate: bool, target: float | None = None, step: int = 28
) -> alt.Chart:
    """One bar per group (``group_name`` and ``value``, plus ``label``); click a bar to pick its group_name."""
    pick = _pick("group_name")
    axis = alt.Axis(format=_pct_axis(data[value]) if is_rate else "~s", tickCount=5)
    base = alt.Chart(data).encode(
        y=alt.Y("group_name:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220))
    )
    bars = (
        base.mark_bar(cornerRadiusEnd=3)
        .encode(
            x=alt.X(
                f"{value}:Q",
                title=None,
                axis=axis,
                scale=alt.Scale(domain=[0, 1])
                if is_rate and (data[value].max() or 0) >= 0.1
                else alt.Undefined,
            ),
            color=alt.condition(pick, alt.value(BLUE), alt.value("#b7c7da")),
            tooltip=[
                alt.Tooltip("group_name:N"),
                alt.Tooltip(f"{value}:Q", format=".1%" if is_rate else ",.2f"),
                alt.Tooltip("label:N"),
            ],
        )
        .add_params(pick)
    )
    text = base.mark_text(align="left", dx=4, fontSize=12, color="#1e293b").encode(
        x=alt.X(f"{value}:Q"), text=alt.Text("label:N")
    )
    layers = bars + text
    if target is not None:
        rule = (
            alt.Chart(pl.DataFrame({"target": [target]}))
            .mark_rule(color=RED, strokeDash=[4, 3])
            .encode(x="target:Q")
        )
        layers = layers + rule
    return _style(layers.properties(height=alt.Step(step)))


@cached_spec
def period_trend_chart(
    data: pl.DataFrame,
    x: str,
    series: dict[str, str],
    percent: bool,
    height: int = 240,
    x_title: str | None = None,
) -> alt.Chart:
    """Lines per series (column → label) over ``x`` (a period label)."""
    long = (
        data.select(x, *series)
        .unpivot(index=x, on=list(series))
        .with_columns(pl.col("variable").replace(series))
    )
    chart = (
        alt.Chart(long)
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=alt.X(f"{x}:O", title=x_title, axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "value:Q",
                title=None,
                axis=alt.Axis(format=".0%" if percent else "~s"),
                scale=alt.Scale(zero=False),
            ),
            # lines that coincide stay visible: each series has its own dash and point shape
            color=alt.Color("variable:N", title=None, sort=list(series.values())),
            strokeDash=alt.StrokeDash("variable:N", title=None, sort=list(series.values())),
            shape=alt.Shape("variable:N", title=None, sort=list(series.values())),
            tooltip=[f"{x}:O", "variable:N", alt.Tooltip("value:Q", format=".1%" if percent else ",.1f")],
        )
        .properties(height=height)
    )
    return _style(chart)


@cached_spec
def levels_chart(levels: pl.DataFrame, step: int = 30) -> alt.Chart:
    """Stacked shares of the resolution levels per street (``street_name, level, level_no, events``)."""
    chart = (
        alt.Chart(levels)
        .mark_bar()
        .encode(
            y=alt.Y("street_name:N", title=None, sort=None),
            x=alt.X("events:Q", stack="normalize", title=None, axis=alt.Axis(format=".0%")),
            color=alt.Color(
                "level:N",
                sort=alt.EncodingSortField("level_no"),
                title=None,
                scale=alt.Scale(range=LEVEL_COLORS),
            ),
            order=alt.Order("level_no:Q"),
            tooltip=["street_name:N", "level:N", alt.Tooltip("events:Q", format=",")],
        )
        .properties(height=alt.Step(step))
    )
    return _style(chart)


# A near-zero tick or change reads 0, never "−0.00" (a sign on a rounded zero).
SIGNED_AXIS_LABEL = "abs(datum.value) < 0.005 ? '0' : format(datum.value, '+.2f')"


@cached_spec
def contribution_chart(changes: pl.DataFrame, step: int = 34) -> alt.Chart:
    """Diverging bars: each metric's change in contribution to the composite (``axis_label,
    contribution_change``; the axis label carries the metric and its values); red pulled the score down."""
    values = changes["contribution_change"].fill_null(0.0).to_list() or [0.0]
    lo, hi = min(0.0, *values), max(0.0, *values)
    pad = (hi - lo) * 0.3 or 0.01
    data = changes.with_columns(
        pl.col("contribution_change").map_elements(signed, return_dtype=pl.String).alias("change_text")
    )
    order = data.sort("contribution_change")["axis_label"].to_list()
    base = alt.Chart(data).encode(
        y=alt.Y("axis_label:N", sort=order, title=None, axis=alt.Axis(labelFontSize=12, labelLimit=320)),
        x=alt.X(
            "contribution_change:Q",
            title=None,
            axis=alt.Axis(labelExpr=SIGNED_AXIS_LABEL, tickCount=5),
            scale=alt.Scale(domain=[lo - pad, hi + pad], nice=False),
        ),
    )
    bars = base.mark_bar(cornerRadius=2).encode(
        color=alt.condition(alt.datum.contribution_change < 0, alt.value(RED), alt.value(GREEN)),
        tooltip=[alt.Tooltip("axis_label:N"), alt.Tooltip("contribution_change:Q", format="+.4f")],
    )
    below = (
        base.transform_filter(alt.datum.contribution_change < 0)
        .mark_text(align="right", dx=-4, fontSize=12, color=RED)
        .encode(text="change_text:N")
    )
    above = (
        base.transform_filter(alt.datum.contribution_change >= 0)
        .mark_text(align="left", dx=4, fontSize=12, color=GREEN)
        .encode(text="change_text:N")
    )
    zero = alt.Chart(pl.DataFrame({"x": [0.0]})).mark_rule(color="#475569").encode(x="x:Q")
    return _style((bars + zero + below + above).properties(height=alt.Step(step)))


@cached_spec
def rank_history_chart(history: pl.DataFrame, highlight: str | None = None, height: int = 260) -> alt.Chart:
    """Rank per period per entity (``period_label, entity_name, composite_rank``); rank 1 on top."""
    top = int(history["composite_rank"].max() or 1) if history.height else 1
    emphasis = (
        alt.condition(alt.datum.entity_name == highlight, alt.value(4), alt.value(1.5))
        if highlight
        else alt.value(2)
    )
    chart = (
        alt.Chart(history)
        .mark_line(point=alt.OverlayMarkDef(size=60))
        .encode(
            x=alt.X("period_label:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "composite_rank:Q",
                scale=alt.Scale(reverse=True, domain=[1, max(top, 2)]),
                title=None,
                axis=alt.Axis(tickMinStep=1, format="d"),
            ),
            color=alt.Color("entity_name:N", title=None, legend=alt.Legend(orient="right", labelLimit=220)),
            strokeWidth=emphasis,
            tooltip=[
                "period_label:O",
                "entity_name:N",
                "composite_rank:Q",
                alt.Tooltip("composite_score:Q", format=".3f"),
            ],
        )
        .properties(height=height)
    )
    return _style(chart)


@cached_spec
def interval_chart(
    data: pl.DataFrame, target: float | None, percent: bool = True, step: int = 28
) -> alt.Chart:
    """A metric per entity with its 95% interval (``entity_name, value, ci_lower, ci_upper, small``) and the target."""
    fmt = ".0%" if percent else ".2f"
    base = alt.Chart(data).encode(
        y=alt.Y(
            "entity_name:N",
            sort=alt.EncodingSortField("value", order="descending"),
            title=None,
            axis=alt.Axis(labelLimit=220),
        )
    )
    rule = base.mark_rule(strokeWidth=2, color=GREY).encode(
        x=alt.X("ci_lower:Q", title=None, axis=alt.Axis(format=fmt)), x2="ci_upper:Q"
    )
    point = base.mark_point(filled=True, size=90).encode(
        x="value:Q",
        color=alt.condition(alt.datum.small, alt.value(AMBER), alt.value(BLUE)),
        tooltip=[
            "entity_name:N",
            alt.Tooltip("value:Q", format=".1%" if percent else ".3f"),
            alt.Tooltip("ci_lower:Q", format=".1%"),
            alt.Tooltip("ci_upper:Q", format=".1%"),
            alt.Tooltip("denominator:Q", format=","),
        ],
    )
    layers = rule + point
    if target is not None:
        layers = layers + alt.Chart(pl.DataFrame({"target": [target]})).mark_rule(
            color=RED, strokeDash=[4, 3]
        ).encode(x="target:Q")
    return _style(layers.properties(height=alt.Step(step)))


@cached_spec
def speed_chart(
    data: pl.DataFrame, label: str, median: str, p90: str, share: str, x_title: str, step: int = 28
) -> alt.Chart:
    """Per entity a line from the median to the P90 duration (log hours): dot = median, diamond = P90,
    fastest on top; the tooltip carries the on-time share."""
    shown = data.filter(pl.col(median).is_not_null()).with_columns(
        pl.col(median).clip(lower_bound=0.01), pl.col(p90).fill_null(pl.col(median)).clip(lower_bound=0.01)
    )
    order = shown.sort(median)[label].to_list()
    scale = alt.Scale(type="log")
    tooltip = [
        f"{label}:N",
        alt.Tooltip(f"{median}:Q", format=".1f"),
        alt.Tooltip(f"{p90}:Q", format=".1f"),
        alt.Tooltip(f"{share}:Q", format=".1%"),
    ]
    base = alt.Chart(shown).encode(
        y=alt.Y(f"{label}:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)), tooltip=tooltip
    )
    rule = base.mark_rule(color=GREY, strokeWidth=2).encode(
        x=alt.X(f"{median}:Q", scale=scale, title=x_title), x2=f"{p90}:Q"
    )
    mid = base.mark_point(filled=True, size=90, color=BLUE).encode(x=alt.X(f"{median}:Q", scale=scale))
    tail = base.mark_point(shape="diamond", filled=True, size=70, color=RED).encode(
        x=alt.X(f"{p90}:Q", scale=scale)
    )
    return _style((rule + mid + tail).properties(height=alt.Step(step)))


@cached_spec
def timeline_chart(
    actions: pl.DataFrame, deadline: object = None, step: int = 30, words: dict[str, str] | None = None
) -> alt.Chart:
    """A case's workflow actions on a time axis, one lane per stage, coloured by rework round; the deadline
    (if any) as a red dashed line. ``words``: the UI language's names for the deadline, the legend and the
    tooltip fields (keys deadline, rework_round, action_seq, action, action_at, department_name, note,
    hours_since_previous)."""
    w = {"deadline": title("deadline"), "rework_round": title("rework_round"), **(words or {})}
    order = ["上报", "受理", "立案", "派遣", "处置", "核查", "结案", "延期", "回退", "作废"]
    base = alt.Chart(actions).encode(
        x=alt.X("action_at:T", title=None, axis=alt.Axis(format="%m-%d %H:%M", labelAngle=0)),
        y=alt.Y("stage:N", sort=order, title=None, axis=alt.Axis(labelFontSize=13)),
    )
    path = base.mark_line(color="#cbd5e1", strokeWidth=1.5).encode(order="action_seq:Q")
    points = base.mark_point(filled=True, size=130).encode(
        color=alt.Color("rework_round:O", title=w["rework_round"], scale=alt.Scale(scheme="orangered")),
        shape=alt.Shape("action:N", legend=None),
        tooltip=[
            alt.Tooltip("action_seq:Q", title=w.get("action_seq", title("action_seq"))),
            alt.Tooltip("action:N", title=w.get("action", title("action"))),
            alt.Tooltip("action_at:T", format="%Y-%m-%d %H:%M", title=w.get("action_at", title("action_at"))),
            alt.Tooltip("department_name:N", title=w.get("department_name", title("department_name"))),
            alt.Tooltip("note:N", title=w.get("note", title("note"))),
            alt.Tooltip(
                "hours_since_previous:Q",
                format=",.1f",
                title=w.get("hours_since_previous", title("hours_since_previous")),
            ),
        ],
    )
    layers = path + points
    if deadline is not None:
        rule = alt.Chart(pl.DataFrame({"deadline": [deadline], "label": [w["deadline"]]})).encode(
            x="deadline:T"
        )
        layers = (
            layers
            + rule.mark_rule(color=RED, strokeDash=[5, 4], strokeWidth=2)
            + rule.mark_text(align="left", dx=4, dy=-6, color=RED, fontSize=11, baseline="top").encode(
                y=alt.value(0), text="label:N"
            )
        )
    return _style(layers.properties(height=alt.Step(step)))


@cached_spec
def hbar_chart(
    data: pl.DataFrame,
    label: str,
    value: str,
    color: str = BLUE,
    percent: bool = False,
    step: int = 24,
    sort: str | None = "-x",
) -> alt.Chart:
    """Plain horizontal bars with the value written at the end."""
    fmt = ".1%" if percent else ",.1f"
    base = alt.Chart(data).encode(y=alt.Y(f"{label}:N", sort=sort, title=None, axis=alt.Axis(labelLimit=240)))
    bars = base.mark_bar(color=color, cornerRadiusEnd=3).encode(
        x=alt.X(
            f"{value}:Q",
            title=None,
            axis=alt.Axis(format=_pct_axis(data[value]) if percent else "~s", tickCount=5),
        ),
        tooltip=[f"{label}:N", alt.Tooltip(f"{value}:Q", format=fmt)],
    )
    text = base.mark_text(align="left", dx=4, fontSize=12, color="#1e293b").encode(
        x=f"{value}:Q", text=alt.Text(f"{value}:Q", format=fmt)
    )
    return _style((bars + text).properties(height=alt.Step(step)))


@cached_spec
def item_scores_chart(items: pl.DataFrame, step: int = 34) -> alt.Chart:
    """A compound's item scores against each item's maximum (``item, score, max_score, share``)."""
    base = alt.Chart(items).encode(y=alt.Y("item:N", sort=None, title=None, axis=alt.Axis(labelFontSize=13)))
    full = base.mark_bar(color="#e2e8f0", cornerRadiusEnd=3).encode(x=alt.X("max_score:Q", title=None))
    got = base.mark_bar(cornerRadiusEnd=3).encode(
        x="score:Q",
        color=alt.Color(
            "share:Q", scale=alt.Scale(domain=[0.6, 0.8, 1.0], range=[RED, AMBER, GREEN]), legend=None
        ),
        tooltip=["item:N", "score:Q", "max_score:Q", alt.Tooltip("share:Q", format=".0%")],
    )
    text = base.mark_text(align="left", dx=4, fontSize=12, color="#1e293b").encode(
        x="max_score:Q", text=alt.Text("text:N")
    )
    return _style((full + got + text).properties(height=alt.Step(step)))


@cached_spec
def score_trend_chart(data: pl.DataFrame, height: int = 280) -> alt.Chart:
    """Average 总分 per quarter per company (``quarter_label, company_name, average_score``)."""
    chart = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=70))
        .encode(
            x=alt.X("quarter_label:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("average_score:Q", title=None, scale=alt.Scale(zero=False)),
            color=alt.Color("company_name:N", title=None, legend=alt.Legend(orient="right", labelLimit=260)),
            tooltip=[
                "quarter_label:O",
                "company_name:N",
                alt.Tooltip("average_score:Q", format=".1f"),
                "projects:Q",
            ],
        )
        .properties(height=height)
    )
    return _style(chart)
