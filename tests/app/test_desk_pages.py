"""The desk pages (闭环漏斗, 街道排名, 部门报到, 双报到, 红黑榜): they render, they agree with the marts, the
what-if weights re-rank with the mart's formulas, and the Excel 通报 holds the mart's ranks."""

from __future__ import annotations

import io
import json
import shutil
from datetime import date, datetime

import openpyxl
import pandas as pd
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import bulletin, whatif
from dashboard.queries import Filter, desk
from tests.app.test_pages import html_of, run_page
from tests.conftest import Warehouse
from warehouse.home.paths import DataHome
from warehouse.ingest.load import load
from warehouse.release.build import build
from warehouse.release.releases import open_release

DESK_PAGES = [
    "views/funnel.py",
    "views/street_ranking.py",
    "views/department_ranking.py",
    "views/report_in.py",
    "views/property_lists.py",
]
MARKERS = {
    "views/funnel.py": "funnel",
    "views/street_ranking.py": "street-ranking",
    "views/department_ranking.py": "departments",
    "views/report_in.py": "report-in",
    "views/property_lists.py": "property",
}
TITLES_EN = {
    "views/funnel.py": "Closure funnel",
    "views/street_ranking.py": "Street ranking",
    "views/department_ranking.py": "Department ranking",
    "views/report_in.py": "Party report-in",
    "views/property_lists.py": "Property red/black lists",
}


def frame(warehouse: Warehouse, sql: str, params: list | None = None) -> pl.DataFrame:
    con = open_release(warehouse.release_db)
    try:
        return pl.from_arrow(con.sql(sql, params=params or None).to_arrow_table())
    finally:
        con.close()


def table_with(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first dataframe on the page that has these columns (as pandas)."""
    for df in at.dataframe:
        value = df.value
        if all(c in value.columns for c in columns):
            return value
    raise AssertionError(f"no table with {columns}")


def chart_text(chart) -> str:
    """A drawn chart's spec and the values of its data sets (where labels drawn as text marks live)."""
    import pyarrow as pa

    values = [pa.ipc.open_stream(d.data.data).read_all().to_pylist() for d in chart.proto.datasets]
    return chart.proto.spec + repr(values)


def default_period(warehouse: Warehouse, kind: str = "month") -> date:
    """The period the desk opens on: the latest complete one (else the latest)."""
    rows = warehouse.query(
        "select period_start, is_complete_period from mart_street_ranking where period_type = ? "
        "group by all order by period_start desc",
        [kind],
    )
    return next((p for p, complete in rows if complete), rows[0][0])


# ── every page ───────────────────────────────────────────────────────────────
@pytest.mark.parametrize("page", DESK_PAGES)
def test_desk_pages_render_on_the_demo(monkeypatch, warehouse, page):
    at = run_page(monkeypatch, warehouse.home.root, page)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert f"data-desk-drawn='{MARKERS[page]}'" in html_of(at)


@pytest.mark.parametrize("page", DESK_PAGES)
def test_desk_pages_in_english(monkeypatch, warehouse, page):
    at = run_page(monkeypatch, warehouse.home.root, page, lang="en")
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == TITLES_EN[page]
    assert f"data-desk-drawn='{MARKERS[page]}'" in html_of(at)


@pytest.mark.parametrize("page", DESK_PAGES)
def test_desk_pages_on_an_empty_home_say_what_to_run(monkeypatch, tmp_path, page):
    at = run_page(monkeypatch, tmp_path / "empty", page)
    assert not at.exception
    assert any("gridpulse build" in i.value for i in at.info)


@pytest.fixture(scope="module")
def platform_only(warehouse, tmp_path_factory) -> DataHome:
    """A data home built from the platform exports alone: no grid events, 双报到 or property assessment."""
    home = DataHome(tmp_path_factory.mktemp("platform_only") / "home")
    shutil.copytree(warehouse.home.landing, home.landing)
    for source in ("网格事件", "双报到", "物业考评"):
        shutil.rmtree(home.landing / source)
    load(home)
    result = build(home)
    assert result.ok, result.summary()
    return home


@pytest.mark.parametrize(
    ("page", "says"),
    [
        ("views/report_in.py", "尚未导入双报到数据"),
        ("views/property_lists.py", "尚未导入物业考评数据"),
        ("views/funnel.py", "尚未导入网格事件数据"),
    ],
)
def test_a_source_not_loaded_is_said_in_words(monkeypatch, platform_only, page, says):
    at = run_page(monkeypatch, platform_only.root, page)
    if page == "views/funnel.py":  # the grid events have their own tab
        at.session_state["funnel_tab"] = "网格事件漏斗"
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(says in i.value for i in at.info), [i.value for i in at.info]


# ── 街道排名 ──────────────────────────────────────────────────────────────────
def test_street_ranking_table_is_the_mart(monkeypatch, warehouse):
    at = run_page(monkeypatch, warehouse.home.root, "views/street_ranking.py")
    period = default_period(warehouse)
    shown = table_with(at, "composite_rank", "entity_name", "change_text")
    mart = warehouse.query(
        "select street_name, any_value(composite_rank), any_value(previous_rank) from mart_street_ranking "
        "where period_type = 'month' and period_start = ? group by street_name order by 2, 1",
        [period],
    )
    assert list(shown["entity_name"]) == [name for name, _, _ in mart]
    assert list(shown["composite_rank"]) == [rank for _, rank, _ in mart]
    assert len(at.get("download_button")) == 3  # the Excel attachment, the 通报 as Word and as PDF


def test_street_ranking_says_who_fell_most_and_why(monkeypatch, warehouse):
    """The callout answers 'which street fell the most this month, and which metric made it fall?' — checked
    against the mart directly: the most negative rank_change, and that street's most negative contribution change."""
    period = default_period(warehouse)
    fallers = warehouse.query(
        """with s as (select street_code, street_name, any_value(rank_change) as rank_change
                      from mart_street_ranking where period_type = 'month' and period_start = ? group by all)
           select street_code, street_name, rank_change from s where rank_change < 0 order by rank_change""",
        [period],
    )
    assert fallers, "the demo has a street that fell"
    at = run_page(monkeypatch, warehouse.home.root, "views/street_ranking.py")
    html = html_of(at)
    worst = min(r for _, _, r in fallers)
    tied = {code for code, _, r in fallers if r == worst}
    code = html.split("data-faller='")[1].split("'")[0]
    assert code in tied
    name = next(n for c, n, _ in fallers if c == code)
    metric, metric_name = warehouse.query(
        """select c.metric_code, c.metric_name from mart_street_ranking as c
           join mart_street_ranking as p on p.street_code = c.street_code and p.metric_code = c.metric_code
            and p.period_type = c.period_type
            and p.period_start = (select max(period_start) from mart_street_ranking
                                  where period_type = 'month' and period_start < ?)
           where c.period_type = 'month' and c.period_start = ? and c.street_code = ?
           order by coalesce(c.contribution, 0) - coalesce(p.contribution, 0), c.metric_code limit 1""",
        [period, period, code],
    )[0]
    assert f"data-metric='{metric}'" in html
    assert name in html and metric_name in html


def test_whatif_weights_change_a_rank(monkeypatch, warehouse):
    """Weigh a single metric: the ranks must become that metric's score ranking (computed here from the mart),
    which differs from the official ranking; the reset brings the official ranks back."""
    period = default_period(warehouse)
    official = dict(
        warehouse.query(
            "select street_code, any_value(composite_rank) from mart_street_ranking "
            "where period_type = 'month' and period_start = ? group by 1",
            [period],
        )
    )
    metrics = [
        m
        for (m,) in warehouse.query(
            "select distinct metric_code from mart_street_ranking where period_type = 'month' order by 1"
        )
    ]
    picked, expected = None, None
    for metric in metrics:
        ranks = dict(
            warehouse.query(
                "select street_code, rank() over (order by round(score, 3) desc) from mart_street_ranking "
                "where period_type = 'month' and period_start = ? and metric_code = ? and score is not null",
                [period, metric],
            )
        )
        if len(ranks) == len(official) and ranks != official:
            picked, expected = metric, ranks
            break
    assert picked, "some single metric ranks the streets differently from the composite"

    at = run_page(monkeypatch, warehouse.home.root, "views/street_ranking.py")
    for metric in metrics:
        at.number_input(key=f"whatif_w_{metric}").set_value(100.0 if metric == picked else 0.0)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    codes = dict(warehouse.query("select street_name, street_code from dim_streets"))
    shown = table_with(at, "composite_rank", "entity_name", "official_rank")
    got = {codes[n]: int(r) for n, r in zip(shown["entity_name"], shown["composite_rank"], strict=True)}
    assert got == expected
    assert {
        codes[n]: int(r) for n, r in zip(shown["entity_name"], shown["official_rank"], strict=True)
    } == official
    assert any("模拟" in w.value for w in at.warning)

    at.button(key="whatif_reset").click().run()
    shown = table_with(at, "composite_rank", "entity_name")
    assert "official_rank" not in shown.columns
    assert {
        codes[n]: int(r) for n, r in zip(shown["entity_name"], shown["composite_rank"], strict=True)
    } == official


def test_community_drill_lists_the_streets_communities(monkeypatch, warehouse):
    at = run_page(monkeypatch, warehouse.home.root, "views/street_ranking.py")
    assert not any(
        s.key and s.key.startswith("community_street_") for s in at.selectbox
    )  # only the open tab runs
    at.session_state["ranking_tab"] = "社区排名"
    at.run()
    code, name = warehouse.query("select street_code, street_name from dim_streets order by 1 limit 1")[0]
    box = next(s for s in at.selectbox if s.key and s.key.startswith("community_street_"))
    box.set_value(code).run()
    shown = table_with(at, "rank_in_street", "composite_rank", "entity_name")
    period = default_period(warehouse)
    mart = warehouse.query(
        "select r.community_name, any_value(r.composite_rank) from mart_community_ranking as r "
        "join dim_communities as d using (community_code) "
        "where r.period_type = 'month' and r.period_start = ? and d.street_code = ? "
        "group by 1 order by 2, 1",
        [period, code],
    )
    assert sorted(shown["entity_name"]) == sorted(n for n, _ in mart)
    assert list(shown["composite_rank"]) == [r for _, r in mart]
    assert list(shown["rank_in_street"])[0] == 1


# ── what-if logic ────────────────────────────────────────────────────────────
def _fixture_rows() -> pl.DataFrame:
    """Three streets, two metrics (m1 higher-is-better, target 1.0; m2 lower-is-better, target 0.1), two months."""
    jan, feb = date(2025, 1, 1), date(2025, 2, 1)
    values = {  # period → entity → (m1, m2)
        jan: {"A": (0.9, 0.2), "B": (0.6, 0.05), "C": (0.8, 0.1)},
        feb: {"A": (0.9, 0.2), "B": (0.6, 0.05), "C": (0.5, 0.4)},
    }
    rows = []
    for period, entities in values.items():
        for entity, (v1, v2) in entities.items():
            for code, direction, weight, target, value in (
                ("m1", "higher", 3.0, 1.0, v1),
                ("m2", "lower", 1.0, 0.1, v2),
            ):
                rows.append(
                    {
                        "entity_code": entity,
                        "entity_name": f"街道{entity}",
                        "period_start": period,
                        "period_label": f"{period:%Y-%m}",
                        "metric_code": code,
                        "metric_name": code,
                        "direction": direction,
                        "weight": weight,
                        "target": target,
                        "value": value,
                        "is_small_denominator": False,
                    }
                )
    return pl.DataFrame(rows)


def test_whatif_known_answer():
    rows = _fixture_rows()
    jan = date(2025, 1, 1)
    # Official weights 3:1 — A (2.7+0.5)/4 = 0.80, B (1.8+1.25)/4 = 0.7625, C (2.4+1.0)/4 = 0.85.
    official = whatif.table(whatif.rerank(rows), jan)
    assert dict(zip(official["entity_code"], official["composite_rank"], strict=True)) == {
        "C": 1,
        "A": 2,
        "B": 3,
    }
    assert official.filter(pl.col("entity_code") == "B")["composite_score"][0] == pytest.approx(0.7625)
    # Weights 1:3 — A (0.9+1.5)/4 = 0.60, B (0.6+3.75)/4 = 1.0875, C (0.8+3.0)/4 = 0.95: B jumps to first.
    flipped = whatif.table(whatif.rerank(rows, {"m1": 1, "m2": 3}), jan)
    assert dict(zip(flipped["entity_code"], flipped["composite_rank"], strict=True)) == {
        "B": 1,
        "C": 2,
        "A": 3,
    }
    # Only m2: B 1.25, C 1.0 and … A 0.5; a metric with weight 0 is left out.
    only_m2 = whatif.table(whatif.rerank(rows, {"m1": 0, "m2": 1}), jan)
    assert dict(zip(only_m2["entity_code"], only_m2["composite_rank"], strict=True)) == {
        "B": 1,
        "C": 2,
        "A": 3,
    }
    # No weight at all: no composite, no rank.
    assert whatif.table(whatif.rerank(rows, {"m1": 0, "m2": 0}), jan)["composite_rank"].null_count() == 3


def test_whatif_ties_share_a_rank_and_skip_the_next():
    rows = _fixture_rows()
    twin = rows.filter(pl.col("entity_code") == "A").with_columns(pl.lit("D").alias("entity_code"))
    ranked = whatif.table(whatif.rerank(pl.concat([rows, twin])), date(2025, 1, 1))
    assert dict(zip(ranked["entity_code"], ranked["composite_rank"], strict=True)) == {
        "C": 1,
        "A": 2,
        "D": 2,
        "B": 4,
    }


def test_whatif_ties_at_the_shown_precision_share_a_rank():
    """Issue 16: 0.8754 and 0.8751 both show as 0.875 — a tie, as in the dbt ranking (unit test
    ranking_ties_at_the_shown_precision_share_a_rank)."""
    rows = pl.DataFrame(
        {
            "entity_code": ["A", "B", "C", "D"],
            "entity_name": ["甲", "乙", "丙", "丁"],
            "value": [0.8754, 0.8751, 0.8756, 0.874],
        }
    ).with_columns(
        period_start=pl.lit(date(2025, 1, 1)),
        period_label=pl.lit("2025-01"),
        metric_code=pl.lit("m1"),
        metric_name=pl.lit("m1"),
        weight=pl.lit(1.0),
        target=pl.lit(1.0),
        direction=pl.lit("higher"),
        is_small_denominator=pl.lit(False),
    )
    ranked = whatif.table(whatif.rerank(rows), date(2025, 1, 1))
    assert dict(zip(ranked["entity_code"], ranked["composite_rank"], strict=True)) == {
        "C": 1,
        "A": 2,
        "B": 2,
        "D": 4,
    }


def test_whatif_why_it_moved():
    rows = whatif.rerank(_fixture_rows())
    feb = date(2025, 2, 1)
    # February: C falls from 1st to 3rd (0.85 → (1.5 + 0.25)/4 = 0.4375); m1 pulled it down the most.
    mover = whatif.biggest_faller(rows, feb)
    assert (mover.entity_code, mover.previous_rank, mover.rank, mover.rank_change) == ("C", 1, 3, -2)
    assert mover.metric_code == "m1"
    assert mover.contribution_change == pytest.approx((0.5 - 0.8) * 3 / 4)
    changes = whatif.contribution_changes(rows, feb).filter(pl.col("entity_code") == "C")
    assert changes["contribution_change"].sum() == pytest.approx(0.4375 - 0.85)
    assert whatif.biggest_faller(rows, date(2025, 1, 1)) is None  # no previous period


def test_capped_score_matches_the_macro():
    assert whatif.capped_score(0.9, 0.9, "higher") == 1.0
    assert whatif.capped_score(2.0, 1.0, "higher") == 1.25
    assert whatif.capped_score(-0.1, 1.0, "higher") == 0.0
    assert whatif.capped_score(0.0, 0.05, "lower") == 1.25
    assert whatif.capped_score(0.1, 0.05, "lower") == 0.5
    assert whatif.capped_score(None, 0.9, "higher") is None
    assert whatif.capped_score(0.5, 0, "higher") is None


@pytest.mark.parametrize(
    "rows_of", ["street_ranking_rows", "community_ranking_rows", "department_ranking_rows"]
)
@pytest.mark.parametrize("kind", ["month", "quarter"])
def test_whatif_with_official_weights_reproduces_the_mart(monkeypatch, warehouse, rows_of, kind):
    monkeypatch.setenv("GRIDPULSE_HOME", str(warehouse.home.root))
    if rows_of == "community_ranking_rows":
        rows = pl.concat(
            [
                desk.community_ranking_rows(Filter(period_type=kind, street=code))
                for (code,) in warehouse.query("select street_code from dim_streets")
            ]
        )
        # communities are ranked city-wide: re-rank all of them together
    else:
        rows = getattr(desk, rows_of)(Filter(period_type=kind))
    assert rows.height
    again = whatif.rerank(rows.drop("score"), whatif.official_weights(rows))
    joined = rows.join(again, on=["period_start", "entity_code", "metric_code"], suffix="_again")
    assert joined.height == rows.height
    for col in ("composite_rank", "previous_rank", "rank_change", "ranked_entities", "scored_metrics"):
        assert (
            joined[col].cast(pl.Int64).fill_null(-1) == joined[f"{col}_again"].cast(pl.Int64).fill_null(-1)
        ).all(), col
    for col in ("score", "composite_score", "weight_share", "contribution"):
        diff = (joined[col] - joined[f"{col}_again"]).abs().max()
        assert diff is None or diff < 1e-9, col
        assert (joined[col].is_null() == joined[f"{col}_again"].is_null()).all(), col


# ── the Excel 通报 ─────────────────────────────────────────────────────────────
@pytest.mark.parametrize("kind", ["month", "quarter"])
def test_bulletin_opens_with_openpyxl_and_holds_the_marts_ranks(monkeypatch, warehouse, kind):
    monkeypatch.setenv("GRIDPULSE_HOME", str(warehouse.home.root))
    rows = desk.street_ranking_rows(Filter(period_type=kind))
    period = default_period(warehouse, kind)
    data = bulletin.write_bulletin(
        rows,
        kind,
        period,
        city="星澜市",
        data_as_of=datetime(2025, 3, 31, 23, 47),
        generated_at=datetime(2025, 4, 1, 9, 0),
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == [bulletin.SHEET_RANKING, bulletin.SHEET_METRICS, bulletin.SHEET_NOTES]

    sheet = book[bulletin.SHEET_RANKING]
    title = sheet.cell(1, 1).value
    assert title.startswith("星澜市") and bulletin.period_text(kind, period) in title and "通报" in title
    header = [c.value for c in sheet[bulletin.HEADER_ROW + 1]]
    metric_names = [
        n
        for (n,) in warehouse.query(
            "select any_value(metric_name) from mart_street_ranking where period_type = ? and period_start = ? "
            "group by metric_code order by any_value(weight) desc, metric_code",
            [kind, period],
        )
    ]
    assert header == ["名次", "街道", "综合得分", "上期名次", "名次变化", *metric_names, "备注"]
    mart = warehouse.query(
        "select any_value(composite_rank), street_name, any_value(composite_score) from mart_street_ranking "
        "where period_type = ? and period_start = ? group by street_name order by 1, 2",
        [kind, period],
    )
    body = [
        [c.value for c in row]
        for row in sheet.iter_rows(
            min_row=bulletin.HEADER_ROW + 2, max_row=bulletin.HEADER_ROW + 1 + len(mart)
        )
    ]
    assert [r[0] for r in body] == [rank for rank, _, _ in mart]
    assert [r[1] for r in body] == [name for _, name, _ in mart]
    assert [round(r[2], 9) for r in body] == [round(score, 9) for _, _, score in mart]
    after = sheet.cell(bulletin.HEADER_ROW + 2 + len(mart), 1).value
    assert after is None  # the table holds exactly one row per street
    flagged = {
        name
        for (name,) in warehouse.query(
            "select distinct street_name from mart_street_ranking where period_type = ? and period_start = ? "
            "and is_small_denominator",
            [kind, period],
        )
    }
    assert {r[1] for r in body if r[-1]} == flagged

    metrics = book[bulletin.SHEET_METRICS]
    assert [c.value for c in metrics[1]][:3] == ["街道", "指标", "实际值"]
    n_rows = warehouse.query(
        "select count(*) from mart_street_ranking where period_type = ? and period_start = ?", [kind, period]
    )[0][0]
    assert metrics.max_row == 1 + n_rows
    notes = "\n".join(str(c.value) for row in book[bulletin.SHEET_NOTES].iter_rows() for c in row if c.value)
    assert "计分方法" in notes and "名次存疑说明" in notes
    for name in flagged:
        assert name in notes


# ── 闭环漏斗 ──────────────────────────────────────────────────────────────────
def test_funnel_counts_equal_the_funnel_mart(monkeypatch, warehouse):
    monkeypatch.setenv("GRIDPULSE_HOME", str(warehouse.home.root))
    for kind, start, label in warehouse.query(
        "select distinct period_type, period_start, period_label from mart_case_funnel order by 1, 2"
    ):
        end = frame(
            warehouse,
            "select cast(? + case when ? = 'month' then interval 1 month else interval 3 month "
            "end as date) as e",
            [start, kind],
        )["e"][0]
        got = desk.funnel_counts(Filter(start=start, end=end)).row(0, named=True)
        mart = frame(
            warehouse,
            "select sum(reported_cases) as reported, sum(accepted_cases) as accepted, "
            "sum(filed_cases) as filed, sum(dispatched_cases) as dispatched, "
            "sum(disposed_cases) as disposed, sum(verified_cases) as verified, "
            "sum(closed_cases) as closed, sum(cancelled_cases) as cancelled from mart_case_funnel "
            "where period_type = ? and period_start = ?",
            [kind, start],
        ).row(0, named=True)
        assert {k: got[k] for k in mart} == {k: int(v) for k, v in mart.items()}, label


@pytest.mark.parametrize(
    ("dim", "mart", "key"),
    [
        ("street", "mart_case_flow_by_street", "street_name"),
        ("department", "mart_case_flow_by_department", "department_name"),
    ],
)
def test_flow_breakdown_equals_the_case_flow_marts(monkeypatch, warehouse, dim, mart, key):
    monkeypatch.setenv("GRIDPULSE_HOME", str(warehouse.home.root))
    cols = [
        "due_cases",
        "carried_over_cases",
        "closed_cases",
        "closed_on_time_cases",
        "reworked_cases",
        "extended_cases",
        "disposal_due_cases",
        "disposed_on_time_cases",
    ]
    for kind, start, end in warehouse.query(
        "select distinct period_type, period_start, cast(period_start + case when period_type = 'month' then "
        "interval 1 month else interval 3 month end as date) from mart_case_flow_by_street"
    ):
        got = desk.flow_breakdown(Filter(start=start, end=end, period_type=kind), dim).filter(
            pl.col("due_cases") > 0
        )
        want = frame(
            warehouse,
            f"select {key} as group_name, {', '.join(cols)} from {mart} "
            "where period_type = ? and period_start = ? and due_cases > 0",
            [kind, start],
        )
        assert (
            got.select("group_name", *cols).sort("group_name").to_dicts()
            == want.sort("group_name").to_dicts()
        )


def test_funnel_drills_from_a_bar_to_cases_and_a_timeline(monkeypatch, warehouse):
    at = run_page(monkeypatch, warehouse.home.root, "views/funnel.py")
    cases = table_with(at, "case_id", "reported_at", "current_status")
    assert 0 < len(cases) <= 500
    with pytest.raises(AssertionError, match="no table"):  # no timeline until a case is ticked
        table_with(at, "action_seq", "action", "action_at")
    assert "勾选一行" in " ".join(c.value for c in at.caption)
    # Tick the list's second case (as a click on its row does): its timeline, every workflow action of it.
    listing = next(df for df in at.dataframe if "case_id" in df.value.columns)
    at.session_state[listing.key] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    case_id = cases["case_id"].iloc[1]
    timeline = table_with(at, "action_seq", "action", "action_at")
    n_actions = warehouse.query("select count(*) from fct_workflow_actions where case_id = ?", [case_id])[0][
        0
    ]
    assert len(timeline) == n_actions
    assert any(f"案件 {case_id} 的流转时间线" in m.value for m in at.markdown)
    # the timeline names its deadline and tooltips in Chinese, not "deadline" (issue 16)
    timeline_chart = next(chart_text(c) for c in at.get("vega_lite_chart") if "action_at" in c.proto.spec)
    assert "处置时限" in timeline_chart and "时限 deadline" not in timeline_chart
    # Nothing clicked: the list is the bottleneck, the cases that stopped at the stage most cases stopped at.
    period = default_period(warehouse)
    end = date(period.year + period.month // 12, period.month % 12 + 1, 1)
    counts = desk.funnel_counts(Filter(start=period, end=end)).row(0)[:7]
    stage = max((counts[i - 1] - counts[i], i) for i in range(1, 7))[1]
    stopped = warehouse.query(
        """select case_id from fct_platform_cases where reported_at >= ? and reported_at < ? and not is_cancelled
           and greatest(1, case when is_accepted then 2 else 0 end, case when is_filed then 3 else 0 end,
                        case when is_dispatched then 4 else 0 end, case when is_disposed then 5 else 0 end,
                        case when is_verified then 6 else 0 end, case when is_closed then 7 else 0 end) = ?""",
        [period, end, stage],
    )
    assert set(cases["case_id"]) <= {c for (c,) in stopped}
    assert len(cases) == min(500, len(stopped))
    # a case without a close time reads "—", never "None"
    assert not cases.astype(str).isin(["None", "nan", "NaT"]).any().any()
    # the list counts the real total, not the rows it shows (issue 16)
    assert f"共 {len(stopped):,} 件" in " ".join(c.value for c in at.caption)


def test_a_capped_case_list_says_showing_n_of_m(monkeypatch, warehouse):
    monkeypatch.setenv("GRIDPULSE_HOME", str(warehouse.home.root))
    period = default_period(warehouse, "quarter")
    end = date(period.year + (period.month + 2) // 12, (period.month + 2) % 12 + 1, 1)
    closed = desk.funnel_cases(Filter(start=period, end=end, period_type="quarter"), stage_no=7)
    n = warehouse.query(
        "select count(*) from fct_platform_cases join fct_case_stages using (case_id) "
        "where reported_at >= ? and reported_at < ? and furthest_stage_no = 7 and not is_cancelled",
        [period, end],
    )[0][0]
    assert n > 500 and closed.height == 500 and closed["total"][0] == n


def test_funnel_street_filter_and_empty_filter(monkeypatch, warehouse):
    at = run_page(monkeypatch, warehouse.home.root, "views/funnel.py")
    code = warehouse.query("select street_code from dim_streets order by 1 limit 1")[0][0]
    at.sidebar.selectbox[0].set_value(code).run()
    assert not at.exception
    period = default_period(warehouse)
    n = warehouse.query(
        "select count(*) from fct_platform_cases where street_code = ? and reported_date >= ? "
        "and reported_date < ? + interval 1 month",
        [code, period, period],
    )[0][0]
    reported = next(m for m in at.metric if m.label == "上报数")
    assert reported.value == f"{n:,}"
    # A source × category pair with no cases in the period: the page says so.
    empty = warehouse.query(
        """select s.source_channel, c.category_major
           from (select distinct source_channel from fct_platform_cases) s,
                (select distinct category_major from fct_platform_cases) c
           where not exists (select 1 from fct_platform_cases f where f.source_channel = s.source_channel
                             and f.category_major = c.category_major and f.street_code = ?
                             and f.reported_date >= ? and f.reported_date < ? + interval 1 month)
           limit 1""",
        [code, period, period],
    )
    if empty:
        at.sidebar.multiselect[0].set_value([empty[0][0]]).run()
        at.sidebar.multiselect[1].set_value([empty[0][1]]).run()
        assert not at.exception
        assert any("没有数据" in w.value for w in at.warning)


# ── 部门报到, 双报到, 红黑榜 ─────────────────────────────────────────────────────
def test_department_ranking_is_the_mart(monkeypatch, warehouse):
    at = run_page(monkeypatch, warehouse.home.root, "views/department_ranking.py")
    period = default_period(warehouse)
    shown = table_with(at, "composite_rank", "entity_name", "median_hours_to_dispose")
    mart = warehouse.query(
        "select department_name, any_value(composite_rank) from mart_department_ranking "
        "where period_type = 'month' and period_start = ? group by 1 order by 2 nulls last, 1",
        [period],
    )
    assert list(shown["entity_name"]) == [n for n, _ in mart]
    # an unranked department reads "—" (never "None")
    assert [None if r == "—" else int(r) for r in shown["composite_rank"]] == [r for _, r in mart]


def test_an_unranked_department_keeps_every_bar_and_the_small_sample_column_reads(monkeypatch, warehouse):
    """Issue 16 §2: one unranked (小样本) department turned the score column into text (no progress bar on
    any row) and the 小样本指标 column, last in a wide table, was cut off."""
    at = run_page(monkeypatch, warehouse.home.root, "views/department_ranking.py")
    element = next(d for d in at.dataframe if "composite_score" in d.value.columns)
    shown = element.value
    assert shown["composite_rank"].isin(["—"]).any()  # the demo's default month has an unranked department
    assert pd.api.types.is_float_dtype(shown["composite_score"])  # numbers, so the bars are drawn
    config = json.loads(element.proto.columns)
    assert config["composite_score"]["type_config"]["type"] == "progress"
    columns = list(shown.columns)
    assert columns.index("small_text") == columns.index("composite_score") + 1
    longest = max(len(str(v)) for v in shown["small_text"] if v)
    assert isinstance(config["small_text"]["width"], int) and config["small_text"]["width"] >= 16 * longest
    unranked = shown[shown["composite_rank"] == "—"]
    assert set(unranked["small_text"]) == {"全部指标"}


def test_report_in_lists_the_units_with_no_activity(monkeypatch, warehouse):
    at = run_page(monkeypatch, warehouse.home.root, "views/report_in.py")
    month = warehouse.query(
        "select max(month_start) from mart_report_in_by_unit_month where is_complete_period"
    )[0][0]
    zero = {
        n
        for (n,) in warehouse.query(
            "select unit_name from mart_report_in_by_unit_month where month_start = ? and is_zero_activity",
            [month],
        )
    }
    shown = table_with(at, "unit_name", "party_org_name", "rejected_hours")
    assert set(shown["unit_name"]) == zero
    assert f"data-zero-units='{len(zero)}'" in html_of(at)
    units = table_with(at, "unit_name", "report_in_rate", "approved_hours")
    n_units = warehouse.query(
        "select count(*) from mart_report_in_by_unit_month where month_start = ?", [month]
    )[0][0]
    assert len(units) == n_units


def test_property_lists_show_computed_published_and_disagreements(monkeypatch, warehouse):
    at = run_page(monkeypatch, warehouse.home.root, "views/property_lists.py")
    quarter = warehouse.query("select max(quarter_label) from mart_property_lists")[0][0]
    n = warehouse.query(
        "select count(*) from mart_property_lists where quarter_label = ? and is_list_disagreement", [quarter]
    )[0][0]
    assert f"data-disagreements='{n}'" in html_of(at)
    red = warehouse.query(
        "select count(*) from mart_property_lists where quarter_label = ? "
        "and (computed_list = '红榜' or published_list = '红榜')",
        [quarter],
    )[0][0]
    lists = [df.value for df in at.dataframe if "agreement" in df.value.columns]
    assert len(lists) == 2 and len(lists[0]) == red
    if n:
        assert any(lists[0]["is_list_disagreement"]) or any(lists[1]["is_list_disagreement"])
    assert at.get("vega_lite_chart"), "the compound's item scores and the trend are drawn"


def test_three_rates_per_street_and_month_with_the_composite_and_weight_set(monkeypatch, warehouse):
    at = run_page(monkeypatch, warehouse.home.root, "views/street_ranking.py")
    at.session_state["ranking_tab"] = "三率"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = table_with(
        at,
        "month_label",
        "street_name",
        "response_rate",
        "resolution_rate",
        "satisfaction_rate",
        "evaluation_score",
    )
    period = default_period(warehouse)
    want = dict(
        warehouse.query(
            "select street_name, evaluation_score * 100 from mart_three_rates_by_street_month "
            "where month_start = ?",
            [period],
        )
    )
    assert {n: round(v, 6) for n, v in zip(shown["street_name"], shown["evaluation_score"], strict=True)} == {
        n: round(v, 6) for n, v in want.items()
    }
    active = warehouse.query("select distinct weight_set from evaluation_weights where is_active")[0][0]
    assert any(f"权重组 {active}" in c.value for c in at.caption)


def test_equal_shown_scores_share_a_rank_or_say_so():
    from dashboard.desk_ui import tie_note

    table = pl.DataFrame(
        {
            "entity_name": ["甲", "乙", "丙", "丁"],
            "composite_score": [0.91234, 0.91204, 0.85, 0.85],
            "composite_rank": [1, 2, 3, 3],
        }
    )
    note = tie_note(table)
    assert "甲、乙 得分同为 0.912（三位小数），名次按更多位小数区分" in note
    assert "丙、丁 得分同为 0.850，并列第 3 名" in note
    assert tie_note(table.head(1)) is None


def test_event_funnel_rates_are_the_warehouses(monkeypatch, warehouse):
    """Issue 16: the grid-event funnel's level rates come from mart_grid_event_funnel (the page computes none),
    and the mart's rates are those of the events reported in the period."""
    period = default_period(warehouse)
    end = date(period.year + period.month // 12, period.month % 12 + 1, 1)
    closed, grid, community, whistled = warehouse.query(
        "select count(*) filter (where is_closed), count(*) filter (where is_closed and resolution_level = '网格自办'), "
        "count(*) filter (where is_closed and resolution_level = '社区办理'), "
        "count(*) filter (where is_closed and resolution_level in ('街道吹哨', '部门报到')) "
        "from fct_grid_events where reported_at >= ? and reported_at < ?",
        [period, end],
    )[0]
    mart = warehouse.query(
        "select grid_self_resolution_rate, within_community_rate, whistle_rate, closed_events "
        "from mart_grid_event_funnel where period_type = 'month' and period_start = ? and street_code is null",
        [period],
    )[0]
    assert closed and mart == pytest.approx(
        (grid / closed, (grid + community) / closed, whistled / closed, closed)
    )
    at = run_page(monkeypatch, warehouse.home.root, "views/funnel.py")
    at.session_state["funnel_tab"] = "网格事件漏斗"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = {m.label: m.value for m in at.metric}
    rates = [shown[label] for label in ("网格自办率", "社区内解决率", "吹哨率") if label in shown]
    assert len(rates) == 3 and rates == [f"{r * 100:.1f}%" for r in mart[:3]], shown


def test_a_change_that_rounds_to_zero_reads_0_not_plus_0_000():
    from dashboard.desk_ui import signed

    assert [signed(x) for x in (0.0, 0.0004, -0.0004, 0.0123, -0.0123, None)] == [
        "0",
        "0",
        "0",
        "+0.012",
        "−0.012",
        "—",
    ]
