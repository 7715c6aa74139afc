"""The 通报's sentences, in plain Chinese, from the ranking marts' long rows.

Who fell the most is ``whatif.biggest_faller`` — the same function (and so the same street and metric)
the ranking page's callout names. Who rose the most mirrors it. Everything said is read off the marts'
columns (rank, rank change, contribution, score, value); nothing is recomputed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from dashboard import whatif
from dashboard.formatting import pct, score


def unit(period_type: str) -> str:
    return "季度" if period_type == "quarter" else "个月"


def _driver(
    metric_name: str | None, change: float | None, before: float | None, now: float | None, verb: str
) -> str:
    if not metric_name or change is None:
        return ""
    return f"，{verb}{metric_name}的贡献变化{change:+.3f}（实际值由{pct(before)}变为{pct(now)}）"


def faller_sentence(rows: pl.DataFrame, period_start: date, scope: str) -> tuple[str, whatif.Mover | None]:
    """The page's callout as a sentence, and the mover it names (None when it names none)."""
    if whatif.previous_period(rows, period_start) is None:
        return "本期为第一个统计期，没有上期可比，暂无名次变化。", None
    mover = whatif.biggest_faller(rows, period_start)
    if mover is None:
        return f"本期没有{scope}名次下降，综合得分也都没有下降。", None
    scores = f"综合得分由{score(mover.previous_composite)}降至{score(mover.composite)}"
    why = _driver(
        mover.metric_name, mover.contribution_change, mover.previous_value, mover.value, "主要原因是"
    )
    if mover.fell_in_rank:
        head = (
            f"名次下降最多的是{mover.entity_name}，由第{mover.previous_rank}名降至第{mover.rank}名"
            f"（下降{-(mover.rank_change or 0)}位），{scores}"
        )
    else:
        head = f"本期没有{scope}名次下降；综合得分降幅最大的是{mover.entity_name}（仍为第{mover.rank}名），{scores}"
    return head + why + "。", mover


@dataclass(frozen=True)
class Riser:
    entity_code: str
    entity_name: str
    rank: int
    previous_rank: int
    rank_change: int
    metric_name: str | None
    contribution_change: float | None
    value: float | None
    previous_value: float | None


def biggest_riser(rows: pl.DataFrame, period_start: date) -> Riser | None:
    """The entity whose rank rose the most (ties: the larger score gain), and the metric that lifted it most."""
    if whatif.previous_period(rows, period_start) is None:
        return None
    changes = whatif.contribution_changes(rows, period_start)
    per_entity = (
        changes.group_by("entity_code")
        .agg(
            pl.first("entity_name"),
            pl.first("composite_rank"),
            pl.first("previous_rank"),
            pl.first("rank_change"),
            pl.col("contribution_change").sum().alias("composite_change"),
        )
        .filter(pl.col("rank_change") > 0)
    )
    if per_entity.is_empty():
        return None
    top = per_entity.sort(
        ["rank_change", "composite_change", "entity_code"], descending=[True, True, False]
    ).row(0, named=True)
    metrics = changes.filter(pl.col("entity_code") == top["entity_code"]).sort(
        ["contribution_change", "metric_code"], descending=[True, False]
    )
    best = (
        metrics.row(0, named=True)
        if metrics.height and (metrics["contribution_change"][0] or 0) > 0
        else None
    )
    return Riser(
        top["entity_code"],
        top["entity_name"],
        top["composite_rank"],
        top["previous_rank"],
        top["rank_change"],
        best["metric_name"] if best else None,
        best["contribution_change"] if best else None,
        best["value"] if best else None,
        best["value_previous"] if best else None,
    )


def riser_sentence(riser: Riser | None) -> str:
    if riser is None:
        return ""
    lift = _driver(
        riser.metric_name, riser.contribution_change, riser.previous_value, riser.value, "主要得益于"
    )
    return (
        f"名次上升最多的是{riser.entity_name}，由第{riser.previous_rank}名升至第{riser.rank}名"
        f"（上升{riser.rank_change}位）{lift}。"
    )


def bottom_runs(rows: pl.DataFrame, period_start: date) -> list[tuple[str, int, int]]:
    """(name, rank, periods in a row at the bottom up to this one) of whoever is last this period."""
    ranks = (
        rows.filter(pl.col("composite_rank").is_not_null() & (pl.col("period_start") <= period_start))
        .group_by("period_start", "entity_code")
        .agg(
            pl.first("entity_name"),
            pl.first("composite_rank"),
            *[pl.first(c) for c in ("last_rank",) if c in rows.columns],
        )
    )
    # last_rank (the bulletin's ranking query) is the city's last rank, so a street's own rows still tell
    # whether it is at the bottom; without it, the last rank among the rows given
    last = (
        pl.col("last_rank")
        if "last_rank" in ranks.columns
        else pl.col("composite_rank").max().over("period_start")
    )
    ranks = ranks.with_columns((pl.col("composite_rank") == last).alias("is_bottom"))
    periods = sorted(ranks["period_start"].unique().to_list(), reverse=True)
    if not periods or periods[0] != period_start:
        return []
    bottom = {
        p: set(ranks.filter((pl.col("period_start") == p) & pl.col("is_bottom"))["entity_code"].to_list())
        for p in periods
    }
    now = ranks.filter((pl.col("period_start") == period_start) & pl.col("is_bottom")).sort("entity_code")
    runs = []
    for r in now.iter_rows(named=True):
        n = 0
        for p in periods:
            if r["entity_code"] not in bottom[p]:
                break
            n += 1
        runs.append((r["entity_name"], r["composite_rank"], n))
    return runs


def bottom_sentence(runs: list[tuple[str, int, int]], period_type: str) -> str:
    parts = []
    for name, rank, n in runs:
        if n > 1:
            parts.append(f"{name}（第{rank}名）已连续{n} {unit(period_type)}排名末位")
        else:
            parts.append(f"{name}（第{rank}名）本期排名末位")
    return ("；".join(parts) + "。") if parts else ""


def below_target(rows: pl.DataFrame, period_start: date) -> list[tuple[str, float | None, list[str]]]:
    """Per metric (weight order): its target and who is below it this period (the mart's score < 1)."""
    period = rows.filter((pl.col("period_start") == period_start) & pl.col("score").is_not_null())
    metrics = (
        period.select("metric_code", "metric_name", "weight", "target")
        .unique("metric_code")
        .sort("weight", "metric_code", descending=[True, False])
    )
    out = []
    for m in metrics.iter_rows(named=True):
        below = period.filter((pl.col("metric_code") == m["metric_code"]) & (pl.col("score") < 1)).sort(
            "score", "entity_code"
        )  # furthest from the target first
        names = [
            f"{r['entity_name']}（{pct(r['value'])}{'※' if r['is_small_denominator'] else ''}）"
            for r in below.iter_rows(named=True)
        ]
        if names:
            out.append((m["metric_name"], m["target"], names))
    return out


def below_target_sentences(items: list[tuple[str, float | None, list[str]]], scope: str) -> list[str]:
    if not items:
        return [f"本期各{scope}的各项指标均达到目标值。"]
    return [f"{metric}未达到目标值{pct(target)}的有：{'、'.join(names)}。" for metric, target, names in items]


def own_sentence(rows: pl.DataFrame, period_start: date, entity_code: str, scope: str) -> str:
    """One entity's rank, change and the metric that moved it most (for a street-scoped document)."""
    changes = whatif.contribution_changes(rows, period_start).filter(pl.col("entity_code") == entity_code)
    if changes.is_empty():
        return ""
    r = changes.row(0, named=True)
    if r["composite_rank"] is None:
        return f"{r['entity_name']}本期没有可计分的指标，未参加排名。"
    head = (
        f"{r['entity_name']}本期综合得分{score(r['composite_score'])}，在{r['ranked_entities']}个{scope}中"
        f"排第{r['composite_rank']}名"
    )
    change = r["rank_change"]
    if r["previous_rank"] is None:
        return head + "。"
    move = f"较上期上升{change}位" if change > 0 else f"较上期下降{-change}位" if change < 0 else "与上期持平"
    fell = change < 0 or changes["contribution_change"].sum() < 0
    pick = changes.sort("contribution_change", descending=not fell).row(0, named=True)
    why = _driver(
        pick["metric_name"],
        pick["contribution_change"],
        pick["value_previous"],
        pick["value"],
        "变化最大的是",
    )
    return f"{head}（上期第{r['previous_rank']}名，{move}）{why}。"
