"""Numbers as every page, panel and document shows them: percentages, signed changes, rank arrows, and "—"
for a missing value. Plain text only — HTML is made (and escaped) in dashboard.panels.

The pages' tables show rates with the column format ``PCT`` after :func:`percent`; everything else
written out goes through :func:`pct` and friends, so a rate reads the same on every page and in the 通报.
"""

from __future__ import annotations

import polars as pl

MISSING = "—"
PCT = "%.1f%%"  # st.column_config format of a column made by percent


def pct(x: float | None, digits: int = 1) -> str:
    """A rate (0.874) as a percentage: ``87.4%``; "—" when missing."""
    return MISSING if x is None else f"{x * 100:.{digits}f}%"


def pct_expr(col: str) -> pl.Expr:
    """:func:`pct` as a polars expression (the rate column ``col`` as display text, named ``col``)."""
    text = pl.format("{}%", (pl.col(col) * 100).round(1).cast(pl.String))
    return pl.when(pl.col(col).is_null()).then(pl.lit(MISSING)).otherwise(text).alias(col)


def percent(frame: pl.DataFrame, *cols: str) -> pl.DataFrame:
    """Rates as percentages for a table (shown with the column format :data:`PCT`); absent columns skipped."""
    return frame.with_columns([pl.col(c) * 100 for c in cols if c in frame.columns])


def count(x: float | None) -> str:
    """A count with thousands separators: ``12,345``; "—" when missing."""
    return MISSING if x is None else f"{x:,.0f}"


def score(x: float | None, digits: int = 3) -> str:
    """A composite score: ``0.812``; "—" when missing (nothing to score)."""
    return MISSING if x is None else f"{x:.{digits}f}"


def signed(value: float | None) -> str:
    """A contribution change: +0.012, -0.004, and 0 for what rounds to zero (never "+0.000")."""
    if value is None:
        return MISSING
    return "0" if abs(value) < 0.0005 else f"{value:+.3f}"


def arrow(change: int | None) -> str:
    """A rank change: ``▲ 2`` (up two places), ``▼ 1``, "—" for none or unknown."""
    if not change:
        return MISSING
    return f"▲ {change}" if change > 0 else f"▼ {-change}"


def direction(diff: float | None) -> str:
    """``up``, ``down`` or ``flat``: the CSS class (and arrow) of a change."""
    return "flat" if not diff else "up" if diff > 0 else "down"


ARROWS = {"up": "▲", "down": "▼", "flat": "■"}


def change(now: float | None, before: float | None, unit: str) -> tuple[str, str]:
    """A KPI's change against its comparison: (text, direction). Percentage points for rates (``▲ 1.2pt``),
    a relative change for counts (``▼ 8%``), the absolute change when the comparison was zero; "—" when
    either side is missing."""
    if now is None or before is None:
        return MISSING, "flat"
    diff = now - before
    if unit == "%":
        text = f"{abs(diff) * 100:.1f}pt"
    elif before:
        text = f"{abs(diff) / before * 100:.0f}%"
    else:
        text = count(abs(diff))
    way = direction(diff)
    return f"{ARROWS[way]} {text}", way
