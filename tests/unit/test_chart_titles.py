"""Every chart names what it shows in the UI's language (issue 16): no tooltip line, axis or legend is titled
with a column name, and rates read as percentages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import polars as pl
import pytest

from dashboard import charts
from dashboard.charts import fields, spec_cache

IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")  # what a column name looks like (snake_case)
RATE = re.compile(r"(_rate|share|conversion|of_first)$")


def specs() -> dict[str, dict]:
    """Each chart builder's spec, built from a few rows shaped like its page's data."""
    stages = pl.DataFrame(
        {
            "stage_no": [1, 2],
            "stage": ["上报", "受理"],
            "cases": [10, 8],
            "conversion": [None, 0.8],
            "of_first": [1.0, 0.8],
            "label": ["10", "8 · 80%"],
        }
    )
    durations = pl.DataFrame(
        {
            "stage_no": [1],
            "stage": ["受理"],
            "cases": [5],
            **{
                c: [v]
                for c, v in zip(
                    ("p10_hours", "p25_hours", "median_hours", "p75_hours", "p90_hours"),
                    (1, 2, 3, 4, 5),
                    strict=True,
                )
            },
        }
    )
    actions = pl.DataFrame(
        {
            "action_at": [datetime(2026, 1, 1, 8), datetime(2026, 1, 1, 9)],
            "stage": ["上报", "受理"],
            "action_seq": [1, 2],
            "rework_round": [0, 0],
            "action": ["上报", "受理"],
            "department_name": ["城管", "城管"],
            "note": ["", ""],
            "hours_since_previous": [None, 1.0],
        }
    )
    trend = pl.DataFrame(
        {"period_label": ["2026-01", "2026-02"], "closure_rate": [0.8, 0.9], "rework_rate": [0.1, 0.05]}
    )
    return {
        "funnel": charts.funnel_chart(stages),
        "side_flow": charts.side_flow_chart(
            pl.DataFrame({"flow": ["rework"], "name": ["返工"], "cases": [2], "share": [0.2]})
        ),
        "duration": charts.duration_chart(durations),
        "histogram": charts.histogram_chart(pl.DataFrame({"bin_label": ["<1h", "1–4h"], "cases": [3, 4]})),
        "breakdown": charts.breakdown_chart(
            pl.DataFrame({"group_name": ["甲", "乙"], "closure_rate": [0.8, 0.9], "label": ["80%", "90%"]}),
            "closure_rate",
            True,
            0.85,
        ),
        "period_trend": charts.period_trend_chart(
            trend, "period_label", {"closure_rate": "结案率", "rework_rate": "返工率"}, True
        ),
        "levels": charts.levels_chart(
            pl.DataFrame(
                {
                    "street_name": ["甲", "甲"],
                    "level": ["网格自办", "社区办理"],
                    "level_no": [1, 2],
                    "events": [3, 1],
                }
            )
        ),
        "contribution": charts.contribution_chart(
            pl.DataFrame({"axis_label": ["结案率 80%→90%"], "contribution_change": [0.5]})
        ),
        "rank_history": charts.rank_history_chart(
            pl.DataFrame(
                {
                    "period_label": ["2026-01"],
                    "entity_name": ["甲"],
                    "composite_rank": [1],
                    "composite_score": [90.0],
                }
            )
        ),
        "interval": charts.interval_chart(
            pl.DataFrame(
                {
                    "entity_name": ["甲"],
                    "value": [0.8],
                    "ci_lower": [0.7],
                    "ci_upper": [0.9],
                    "small": [False],
                    "denominator": [40],
                }
            ),
            0.85,
        ),
        "speed": charts.speed_chart(
            pl.DataFrame(
                {
                    "department_name": ["城管"],
                    "median_hours_to_dispose": [3.0],
                    "p90_hours_to_dispose": [9.0],
                    "ontime_disposal_share": [0.9],
                }
            ),
            "department_name",
            "median_hours_to_dispose",
            "p90_hours_to_dispose",
            "ontime_disposal_share",
            "处置时长（小时）",
        ),
        "timeline": charts.timeline_chart(actions, datetime(2026, 1, 2)),
        "hbar": charts.hbar_chart(
            pl.DataFrame({"unit_name": ["甲单位"], "report_in_rate": [0.5]}),
            "unit_name",
            "report_in_rate",
            percent=True,
        ),
        "item_scores": charts.item_scores_chart(
            pl.DataFrame(
                {"item": ["保洁"], "score": [8.0], "max_score": [10.0], "share": [0.8], "text": ["8/10"]}
            )
        ),
        "score_trend": charts.score_trend_chart(
            pl.DataFrame(
                {
                    "quarter_label": ["2026Q1"],
                    "company_name": ["甲物业"],
                    "average_score": [88.0],
                    "projects": [3],
                }
            )
        ),
        "trend": charts.trend_chart(
            pl.DataFrame({"day": [date(2026, 1, 1)], "cases": [5], "events": [2]}),
            {"cases": "案件", "events": "事件"},
            200,
            False,
        ),
        "bar": charts.bar_chart(
            pl.DataFrame({"source": ["12345"], "cases": [5]}), "source", "cases", 200, False
        ),
        "quarantine": charts.quarantine_chart(
            pl.DataFrame({"reason_label": ["缺字段"], "quarantined_rows": [3]})
        ).to_dict(),
    }


def shown_fields(spec: Any) -> Iterator[tuple[str, dict]]:
    """(channel, encoding) of every tooltip line, axis and legend in ``spec`` (layers included)."""
    if isinstance(spec, dict):
        for name, channel in (spec.get("encoding") or {}).items():
            if name != "tooltip" and name not in fields.TITLED:
                continue
            for item in channel if isinstance(channel, list) else [channel]:
                shows = name == "tooltip" or (
                    item.get("axis", 1) is not None and item.get("legend", 1) is not None
                )
                if isinstance(item, dict) and "field" in item and shows:
                    yield name, item
        for key, value in spec.items():
            if key not in ("encoding", "datasets", "data"):
                yield from shown_fields(value)
    elif isinstance(spec, list):
        for value in spec:
            yield from shown_fields(value)


def shown_titles(spec: Any) -> list[tuple[str, str, Any]]:
    """(channel, field, title) of every field ``spec`` shows: without a title Vega-Lite shows the field's name."""
    return [(name, item["field"], item.get("title", item["field"])) for name, item in shown_fields(spec)]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_no_chart_shows_a_column_name(monkeypatch, language):
    monkeypatch.setattr(fields, "language", lambda: language)
    monkeypatch.setattr(spec_cache, "language", lambda: language)
    raw = {
        chart: [
            (ch, f, t) for ch, f, t in shown_titles(spec) if isinstance(t, str) and IDENTIFIER.fullmatch(t)
        ]
        for chart, spec in specs().items()
    }
    assert not {c: r for c, r in raw.items() if r}


def test_rates_in_tooltips_read_as_percentages():
    for chart, spec in specs().items():
        tips = [t for ch, t in shown_fields(spec) if ch == "tooltip" and RATE.search(t["field"])]
        for tip in tips:
            assert "%" in tip.get("format", ""), (chart, tip)


def test_the_english_ui_gets_english_titles(monkeypatch):
    monkeypatch.setattr(fields, "language", lambda: "en")
    monkeypatch.setattr(spec_cache, "language", lambda: "en")
    titles = {
        f: t
        for ch, f, t in shown_titles(
            charts.levels_chart(
                pl.DataFrame({"street_name": ["甲"], "level": ["网格自办"], "level_no": [1], "events": [3]})
            )
        )
        if ch == "tooltip"
    }
    assert titles["street_name"] == "Street" and titles["events"] == "Events"


def test_the_workbench_chart_names_its_row_count():
    """The workbench's quick chart keeps the analyst's own column names; the rows it counts are 行数."""
    quick, _ = charts.quick_chart(pl.DataFrame({"street": ["甲", "乙"]}), "street", None)
    titles = {t for _, f, t in shown_titles(quick.to_dict()) if f != "street"}
    assert titles == {"行数"}
