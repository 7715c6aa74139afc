"""The desk pages' own controls and notes (funnel, rankings, 双报到, 红黑榜): the period picker, metric names in the
UI language, the tie note, a table's display text, the drawn marker. Page chrome every page shares is in
dashboard.layout; number formats in dashboard.formatting; HTML in dashboard.panels."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from . import panels
from .formatting import MISSING, pct
from .i18n import LABELS, lang, t


def localized(rows: pl.DataFrame) -> pl.DataFrame:
    """Metric names in the UI language (Chinese: as configured in seeds/ranking_metrics)."""
    if lang() != "en" or rows.is_empty():
        return rows
    names = {
        c: t(f"desk_metric_{c}")
        for c in rows["metric_code"].unique().to_list()
        if f"desk_metric_{c}" in LABELS
    }
    return rows.with_columns(
        pl.col("metric_code").replace_strict(names, default=pl.col("metric_name")).alias("metric_name")
    )


def pick_period(periods: pl.DataFrame) -> dict[str, Any] | None:
    """Sidebar: month or quarter, then the period (the latest complete one by default)."""
    rows = periods.to_dicts()  # a few dozen periods: plain Python, no polars engine runs per script run
    kinds = [k for k in ("month", "quarter") if any(r["period_type"] == k for r in rows)]
    if not kinds:
        return None
    with st.sidebar:
        current = st.session_state.get("desk_period_type")
        kind = st.radio(
            t("desk_period_type"),
            kinds,
            index=kinds.index(current) if current in kinds else 0,
            format_func=lambda k: t(f"desk_{k}"),
            horizontal=True,
        )
        st.session_state.desk_period_type = kind
        options = sorted(
            (r for r in rows if r["period_type"] == kind), key=lambda r: r["period_start"], reverse=True
        )
        labels = [o["period_label"] for o in options]
        wanted = st.session_state.get(f"desk_period_{kind}")
        default = next((i for i, o in enumerate(options) if o["is_complete_period"]), 0)
        index = st.selectbox(
            t("desk_period"),
            range(len(options)),
            index=labels.index(wanted) if wanted in labels else default,
            format_func=lambda i: labels[i] + ("" if options[i]["is_complete_period"] else t("desk_partial")),
        )
        st.session_state[f"desk_period_{kind}"] = labels[index]
    return options[index]


def drawn_marker(page: str) -> None:
    """The element a desk page draws after its last one: browser tests and the bench wait for
    ``[data-desk-drawn='<page>']``."""
    st.html(panels.marker({"desk-drawn": page}))


def tie_note(table: pl.DataFrame, digits: int = 3) -> str | None:
    """Say which entities score the same at the shown precision (``digits`` decimals): those sharing a rank
    are tied; those the warehouse still tells apart by more decimals are named, so no rank looks arbitrary."""
    ranked = table.filter(pl.col("composite_score").is_not_null())
    groups = (
        ranked.group_by(pl.col("composite_score").round(digits).alias("shown"))
        .agg(
            pl.col("entity_name").sort_by("composite_rank"),
            pl.col("composite_rank").min().alias("best"),
            pl.col("composite_rank").n_unique().alias("ranks"),
        )
        .filter(pl.col("entity_name").list.len() > 1)
        .sort("best")
    )
    if groups.is_empty():
        return None
    parts = [
        t(
            "desk_tie_shared" if g["ranks"] == 1 else "desk_tie_split",
            names="、".join(g["entity_name"]),
            score=f"{g['shown']:.{digits}f}",
            rank=g["best"],
        )
        for g in groups.iter_rows(named=True)
    ]
    return "；".join(parts)


def dashes(frame: pl.DataFrame, *cols: str) -> pl.DataFrame:
    """``cols`` as display text with "—" for a missing value (a table never shows "None"): times as
    YYYY-MM-DD HH:mm, yes/no for flags, numbers as they are."""
    out = []
    for c in cols:
        if c not in frame.columns:
            continue
        dtype = frame.schema[c]
        col = pl.col(c)
        if dtype == pl.Datetime or isinstance(dtype, pl.Datetime):
            text = col.dt.strftime("%Y-%m-%d %H:%M")
        elif dtype == pl.Date:
            text = col.dt.strftime("%Y-%m-%d")
        elif dtype == pl.Boolean:
            text = pl.when(col).then(pl.lit(t("desk_yes"))).otherwise(pl.lit(t("desk_no")))
        else:
            text = col.cast(pl.String)
        out.append(pl.when(col.is_null()).then(pl.lit(MISSING)).otherwise(text).alias(c))
    return frame.with_columns(out) if out else frame


def filled(frame: pl.DataFrame, config: dict[str, Any] | None = None) -> tuple[pl.DataFrame, dict[str, Any]]:
    """The table with "—" for every missing value (st.dataframe draws one as "None"), and its column config.

    A column with a missing value becomes display text: numbers in the format its column config gives
    (printf style, e.g. ``%.1f%%``), times as YYYY-MM-DD HH:mm, flags as yes/no; its config becomes a text
    column with the same label and help. Columns with no missing value stay as they are (sortable), and so
    does a progress column: it draws a missing value as an empty cell, and every other row keeps its bar."""
    config = dict(config or {})
    out = []
    for name, dtype in frame.schema.items():
        conf = config.get(name)
        if not frame[name].has_nulls() or _is_progress(conf):
            continue
        fmt = ((conf.get("type_config") or {}).get("format") if isinstance(conf, dict) else None) or ""
        if dtype.is_numeric():
            text = pl.col(name).map_elements(
                lambda v, f=fmt: f % v if "%" in f else f"{v:,}" if isinstance(v, int) else f"{v:,.2f}",
                return_dtype=pl.String,
            )
            out.append(pl.when(pl.col(name).is_null()).then(pl.lit("—")).otherwise(text).alias(name))
        elif dtype in (pl.String, pl.Categorical):
            out.append(pl.col(name).fill_null("—"))
        else:
            out.append(dashes(frame.select(name), name).to_series().alias(name))
        if isinstance(conf, dict):
            config[name] = st.column_config.TextColumn(conf.get("label"), help=conf.get("help"))
    return (frame.with_columns(out) if out else frame), config


def _is_progress(conf: Any) -> bool:
    return isinstance(conf, dict) and (conf.get("type_config") or {}).get("type") == "progress"


def faller_reason(mover: Any) -> str:
    """Why the biggest faller fell (the ranking pages' callout): the metric whose contribution changed most,
    its change and its value before and now; empty when no single metric is named."""
    if not mover.metric_code:
        return ""
    return t(
        "desk_callout_why",
        **panels.escaped(
            metric=mover.metric_name,
            delta=signed(mover.contribution_change),
            before=pct(mover.previous_value),
            now=pct(mover.value),
        ),
    )


def signed(x: float | None, digits: int = 3) -> str:
    """A change with its sign (+0.012, −0.004); a change that is zero at the shown precision is "0", unsigned."""
    if x is None:
        return "—"
    shown = round(x, digits)
    if shown == 0:
        return "0"
    return f"{shown:+.{digits}f}".replace("-", "−")
