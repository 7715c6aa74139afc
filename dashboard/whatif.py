"""What-if re-ranking and "why did it move", with the ranking marts' own formulas.

The marts (dbt_project/macros/ranking.sql, scoring.sql) compute, per scope, period and entity:

    score        = min(max(value / target, 0), 1.25)            higher is better
                 = 1.25 if value <= 0 else min(target / value, 1.25)   lower is better
                   (null when the value or the target is null, or the target is 0)
    composite    = Σ weight·score / Σ weight  over the metrics that have a score
    contribution = weight·score / Σ weight    (so the contributions add up to the composite)
    rank         = rank() by the composite rounded to SHOWN_DIGITS (dbt var shown_score_digits), descending:
                   scores equal as shown are ties and share a rank, the next is skipped;
                   no composite, no rank
    rank_change  = previous period's rank − this rank (positive = moved up)

This module recomputes exactly that for any weights, over the long rows a ranking query returns
(columns ``entity_code, entity_name, period_start, metric_code, metric_name, direction, weight,
target, value`` at least), so the desk can move the weights and see the ranks at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

CAP = 1.25
KEYS = ["period_start", "entity_code"]

SHOWN_DIGITS = 3  # the decimals a page shows a composite with (dbt_project.yml var shown_score_digits)


def shown_score(score: pl.Expr) -> pl.Expr:
    """The score as shown, the value ranks are taken over (DuckDB's round: half away from zero)."""
    return score.round(SHOWN_DIGITS, mode="half_away_from_zero")


def capped_score(value: float | None, target: float | None, direction: str, cap: float = CAP) -> float | None:
    """One metric's score, as the mart's ``capped_score`` macro."""
    if value is None or target is None or target == 0:
        return None
    if direction == "lower":
        return cap if value <= 0 else min(target / value, cap)
    return min(max(value / target, 0.0), cap)


def _score_expr(cap: float = CAP) -> pl.Expr:
    value, target = pl.col("value").cast(pl.Float64), pl.col("target").cast(pl.Float64)
    lower = pl.when(value <= 0).then(pl.lit(cap)).otherwise(pl.min_horizontal(target / value, pl.lit(cap)))
    higher = pl.min_horizontal(pl.max_horizontal(value / target, pl.lit(0.0)), pl.lit(cap))
    return (
        pl.when(value.is_null() | target.is_null() | (target == 0))
        .then(None)
        .when(pl.col("direction") == "lower")
        .then(lower)
        .otherwise(higher)
    )


def official_weights(rows: pl.DataFrame) -> dict[str, float]:
    """metric_code → weight as configured (seeds/ranking_metrics), in the rows' metric order."""
    if rows.is_empty():
        return {}
    pairs = rows.select("metric_code", "weight").unique(
        subset="metric_code", keep="first", maintain_order=True
    )
    return {code: float(w) for code, w in pairs.iter_rows()}


def rerank(rows: pl.DataFrame, weights: dict[str, float] | None = None) -> pl.DataFrame:
    """The rows with score, weight_share, contribution, composite_score, composite_rank, ranked_entities,
    previous_rank and rank_change recomputed for ``weights`` (metric_code → weight; missing = as configured).

    Rows must cover every period of one period type for ``previous_rank`` to be the previous period's.
    """
    if rows.is_empty():
        return rows
    weights = weights or {}
    mapping = {code: float(weights.get(code, w)) for code, w in official_weights(rows).items()}
    scored = rows.with_columns(
        pl.col("metric_code").replace_strict(mapping, return_dtype=pl.Float64).alias("weight"),
        _score_expr().alias("score"),
    )
    scored_weight = pl.col("weight").filter(pl.col("score").is_not_null()).sum()
    composed = (
        scored.group_by(KEYS, maintain_order=True)
        .agg(
            pl.first("entity_name"),
            (pl.col("weight") * pl.col("score")).sum().alias("_weighted"),
            scored_weight.alias("_scored_weight"),
            pl.col("score").count().alias("scored_metrics"),
        )
        .with_columns(
            pl.when(pl.col("_scored_weight") != 0)
            .then(pl.col("_weighted") / pl.col("_scored_weight"))
            .otherwise(None)
            .alias("composite_score")
        )
        .with_columns(
            shown_score(pl.col("composite_score"))
            .rank(method="min", descending=True)
            .over("period_start")
            .cast(pl.Int64)
            .alias("composite_rank"),
            pl.col("composite_score").count().over("period_start").alias("ranked_entities"),
        )
        .sort("entity_code", "period_start")
        .with_columns(pl.col("composite_rank").shift(1).over("entity_code").alias("previous_rank"))
        .with_columns((pl.col("previous_rank") - pl.col("composite_rank")).alias("rank_change"))
    )
    out = scored.drop(
        [
            c
            for c in (
                "composite_score",
                "composite_rank",
                "ranked_entities",
                "previous_rank",
                "rank_change",
                "scored_metrics",
                "weight_share",
                "contribution",
            )
            if c in scored.columns
        ]
    )
    out = out.join(composed.drop("entity_name"), on=KEYS, how="left")
    has_score = pl.col("score").is_not_null() & (pl.col("_scored_weight") != 0)
    return out.with_columns(
        pl.when(has_score)
        .then(pl.col("weight") / pl.col("_scored_weight"))
        .otherwise(None)
        .alias("weight_share"),
        pl.when(has_score)
        .then(pl.col("weight") * pl.col("score") / pl.col("_scored_weight"))
        .otherwise(None)
        .alias("contribution"),
    ).drop("_weighted", "_scored_weight")


def table(rows: pl.DataFrame, period_start: date) -> pl.DataFrame:
    """One row per entity of a period: rank, previous rank, change, composite and the small-denominator flag,
    best first."""
    picked = rows.filter(pl.col("period_start") == period_start)
    if picked.is_empty():
        return pl.DataFrame()
    return (
        picked.group_by("entity_code", maintain_order=True)
        .agg(
            pl.first("entity_name"),
            pl.first("composite_rank"),
            pl.first("previous_rank"),
            pl.first("rank_change"),
            pl.first("composite_score"),
            pl.first("scored_metrics"),
            pl.first("ranked_entities"),
            pl.col("is_small_denominator").any().alias("has_small_denominator"),
            pl.col("metric_name").filter(pl.col("is_small_denominator")).alias("small_metrics"),
        )
        .sort(["composite_rank", "entity_code"], nulls_last=True)
    )


def metric_matrix(rows: pl.DataFrame, period_start: date, column: str = "value") -> pl.DataFrame:
    """entity_code × metric_code of one column (value, score, contribution …) for a period."""
    picked = rows.filter(pl.col("period_start") == period_start)
    if picked.is_empty():
        return pl.DataFrame()
    return picked.pivot(on="metric_code", index="entity_code", values=column, aggregate_function="first")


def previous_period(rows: pl.DataFrame, period_start: date) -> date | None:
    earlier = [p for p in rows["period_start"].unique().to_list() if p < period_start] if rows.height else []
    return max(earlier) if earlier else None


def contribution_changes(rows: pl.DataFrame, period_start: date) -> pl.DataFrame:
    """Per entity and metric: value, score and contribution now and in the previous period, and the change.

    The changes of one entity add up to its composite change (Σ contribution = composite).
    """
    before = previous_period(rows, period_start)
    now = rows.filter(pl.col("period_start") == period_start)
    cols = ["entity_code", "metric_code", "value", "score", "contribution", "weight_share"]
    if before is None:
        prev = now.select(cols).with_columns(pl.lit(None, pl.Float64).alias(c) for c in cols[2:]).clear()
    else:
        prev = rows.filter(pl.col("period_start") == before).select(cols)
    joined = now.join(prev, on=["entity_code", "metric_code"], how="left", suffix="_previous")
    return joined.with_columns(
        (pl.col("contribution").fill_null(0.0) - pl.col("contribution_previous").fill_null(0.0)).alias(
            "contribution_change"
        ),
        (pl.col("value") - pl.col("value_previous")).alias("value_change"),
    )


@dataclass(frozen=True)
class Mover:
    """The entity that fell the most in a period, and the metric that pulled it down the most."""

    entity_code: str
    entity_name: str
    rank: int | None
    previous_rank: int | None
    rank_change: int | None
    composite: float | None
    previous_composite: float | None
    metric_code: str | None
    metric_name: str | None
    contribution_change: float | None
    value: float | None
    previous_value: float | None

    @property
    def fell_in_rank(self) -> bool:
        return self.rank_change is not None and self.rank_change < 0


def biggest_faller(rows: pl.DataFrame, period_start: date) -> Mover | None:
    """The entity whose rank fell the most since the previous period (ties: the larger score drop);
    if no rank fell, the one whose composite dropped the most. None without a previous period or drop.
    """
    if previous_period(rows, period_start) is None:
        return None
    changes = contribution_changes(rows, period_start)
    per_entity = (
        changes.group_by("entity_code")
        .agg(
            pl.first("entity_name"),
            pl.first("composite_rank"),
            pl.first("previous_rank"),
            pl.first("rank_change"),
            pl.first("composite_score"),
            pl.col("contribution_previous").sum().alias("previous_composite"),
            pl.col("contribution_change").sum().alias("composite_change"),
        )
        .filter(pl.col("composite_score").is_not_null())
    )
    fallers = per_entity.filter(pl.col("rank_change") < 0)
    if fallers.is_empty():
        fallers = per_entity.filter(pl.col("composite_change") < 0)
    if fallers.is_empty():
        return None
    top = fallers.sort(["rank_change", "composite_change", "entity_code"], nulls_last=True).row(0, named=True)
    metrics = changes.filter(pl.col("entity_code") == top["entity_code"]).sort(
        ["contribution_change", "metric_code"]
    )
    worst = metrics.row(0, named=True) if metrics.height and metrics["contribution_change"][0] < 0 else None
    return Mover(
        entity_code=top["entity_code"],
        entity_name=top["entity_name"],
        rank=top["composite_rank"],
        previous_rank=top["previous_rank"],
        rank_change=top["rank_change"],
        composite=top["composite_score"],
        previous_composite=top["previous_composite"],
        metric_code=worst["metric_code"] if worst else None,
        metric_name=worst["metric_name"] if worst else None,
        contribution_change=worst["contribution_change"] if worst else None,
        value=worst["value"] if worst else None,
        previous_value=worst["value_previous"] if worst else None,
    )
