"""The dashboard's query layer: named SQL files, named parameters only, one filter carrying the data scope."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from dashboard.queries import Filter, desk, screens
from dashboard.queries.sql import ROOT, all_queries, bind, load

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"


def test_every_query_file_loads_with_named_parameters_only():
    queries = all_queries()
    assert len(queries) > 60
    for q in queries:
        # no positional placeholders (? or $1): one style, DuckDB's named $name
        assert not re.search(r"\?|\$\d", q.text), q.name


def test_every_query_reads_the_scope_or_says_why_not():
    waived = [q.name for q in all_queries() if not q.scoped]
    for name in waived:
        assert load(*name.split("/")).text.startswith("-- scope: none — "), name
    # the street-bearing case queries are all scoped
    for name in (
        "desk/funnel_counts",
        "desk/funnel_cases",
        "desk/flow_breakdown",
        "screens/grid_metrics",
        "screens/urgent_open_cases",
        "desk/report_in_units",
        "desk/property_lists",
    ):
        assert load(*name.split("/")).scoped, name


def test_no_sql_strings_or_star_imports_left_in_python():
    for path in DASHBOARD.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import *" not in text, path
        assert "db.query(" not in text, path


def test_bind_refuses_unknown_and_missing_parameters(tmp_path):
    q = load("desk", "case_header")
    assert set(bind(q, Filter(), case_id="x")) == {"case_id", "scope"}
    with pytest.raises(TypeError, match="no parameter"):
        bind(q, Filter(), case_id="x", typo=1)
    with pytest.raises(TypeError, match="missing parameter"):
        bind(q, Filter())
    assert (ROOT / "desk" / "case_header.sql").exists()


def test_the_scope_limits_every_street_bearing_result(monkeypatch, warehouse):
    monkeypatch.setenv("GRIDPULSE_HOME", str(warehouse.home.root))
    (street, name), (other, _) = warehouse.query(
        "select street_code, street_name from dim_streets order by 1 limit 2"
    )
    scoped = Filter(scope=(street,))
    assert screens.streets(scoped)["street_code"].to_list() == [street]
    month = warehouse.query(
        "select min(period_start), min(period_start) + interval 1 month from mart_case_flow_by_street "
        "where period_type = 'month'"
    )[0]
    period = Filter(start=month[0], end=month[1].date(), scope=(street,))
    assert set(desk.flow_breakdown(period, "street")["group_name"].to_list()) <= {name}
    assert set(desk.funnel_cases(period, flow="overdue")["street_name"].to_list()) <= {name}
    # a page asking for another street inside the scope gets nothing, not the other street
    asked = Filter(start=month[0], end=month[1].date(), street=other, scope=(street,))
    assert desk.funnel_counts(asked)["reported"][0] == 0
    city = desk.funnel_counts(Filter(start=month[0], end=month[1].date()))["reported"][0]
    mine = desk.funnel_counts(period)["reported"][0]
    assert 0 < mine < city


def test_no_rule_restated_outside_dbt():
    """Stages, the 应结案 rule and targets belong to the warehouse (issue 16): pages filter and count."""
    sql = "\n".join(p.read_text(encoding="utf-8") for p in ROOT.rglob("*.sql") if "examples" not in p.parts)
    for rule in ("case when is_accepted", "greatest(1,", "due_at <", "is_carry_over as", "closed_at <"):
        assert rule not in sql, rule
    views = "\n".join(p.read_text(encoding="utf-8") for p in (DASHBOARD / "views").glob("*.py"))
    assert not re.search(r'"(ontime_closure_rate|closure_rate|rework_rate)":\s*0\.\d', views)


def test_event_level_rates_are_read_from_the_warehouse(monkeypatch, warehouse):
    """The levels' 解决率 (resolved of the valid visits) is a column of mart_grid_event_levels: the page
    SQL reads it and restates no denominator."""
    assert "nullif" not in load("desk", "event_level_durations").text
    assert "is_valid_visit" not in load("desk", "event_level_durations").text
    monkeypatch.setenv("GRIDPULSE_HOME", str(warehouse.home.root))
    start, end = warehouse.query(
        "select period_start, cast(period_start + interval 1 month as date) from mart_grid_event_levels "
        "where period_type = 'month' order by 1 desc limit 1"
    )[0]
    levels = desk.event_level_durations(Filter(start=start, end=end, period_type="month")).to_dicts()
    mart = warehouse.query(
        "select resolution_level, resolved_visit_events, visited_events, resolution_rate "
        "from mart_grid_event_levels where period_type = 'month' and period_start = ? and street_code is null",
        [start],
    )
    assert {r["resolution_level"] for r in levels} == {m[0] for m in mart}
    rates = {m[0]: m[3] for m in mart}
    for r in levels:
        assert r["resolution_rate"] == rates[r["resolution_level"]]
    assert any(m[2] and m[3] == pytest.approx(m[1] / m[2]) for m in mart)


def test_funnel_stages_carry_the_warehouse_conversions(monkeypatch, warehouse):
    monkeypatch.setenv("GRIDPULSE_HOME", str(warehouse.home.root))
    start, end = warehouse.query(
        "select period_start, period_end from mart_case_flow_by_street "
        "join (select distinct period_type, period_start, period_start + interval 1 month "
        "as period_end from mart_case_flow_by_street) using (period_type, period_start) "
        "where period_type = 'month' order by 1 limit 1"
    )[0]
    f = Filter(start=start, end=end.date(), period_type="month")
    counts = desk.funnel_counts(f).row(0, named=True)
    stages = desk.funnel_stages(f).to_dicts()
    assert [r["stage_code"] for r in stages] == [
        "reported",
        "accepted",
        "filed",
        "dispatched",
        "disposed",
        "verified",
        "closed",
    ]
    for before, r in zip([stages[0], *stages], stages, strict=False):
        assert r["cases"] == counts[r["stage_code"]]
        assert r["conversion"] == pytest.approx(r["cases"] / before["cases"])
        assert r["of_first"] == pytest.approx(r["cases"] / counts["reported"])
    targets = {r["metric_code"]: r["target"] for r in desk.metric_targets(f).to_dicts()}
    assert targets["closure_rate"] == pytest.approx(0.96) and targets["rework_rate"] == pytest.approx(0.05)


def test_no_filter_a_page_can_build_gets_past_the_users_scope():
    """Issue 18: whatever Filter a page builds, it runs inside the signed-in user's streets."""
    from dataclasses import replace

    from dashboard.queries.sql import scoped

    mine, other = ("S1",), "S2"
    attempts = [
        Filter(),
        Filter(scope=None),
        Filter(scope=(other,)),
        Filter(scope=("S1", other)),
        Filter(street=other),
        Filter(street=other, scope=(other,)),
        Filter(scope=()),
        Filter().with_scope(None),
        replace(Filter(scope=(other,)), scope=None),
    ]
    for asked in attempts:
        ran = scoped(asked, mine)
        assert ran.scope is not None and set(ran.scope) <= set(mine), asked
    # "every street" of a one-street user is their street; another street asked for stays empty, not widened
    assert scoped(Filter(), mine).street == "S1"
    assert (
        scoped(Filter(street=other), mine).scope == mine
        and scoped(Filter(street=other), mine).street == other
    )
    assert scoped(Filter(scope=(other,)), mine).scope == ()
    # a city-wide user keeps what the page asked for
    assert scoped(Filter(street=other), None) == Filter(street=other)


def test_the_scope_cannot_be_passed_as_a_keyword():
    q = load("desk", "case_header")
    for field in ("scope", "street", "start"):
        with pytest.raises(TypeError, match="must come from the Filter"):
            bind(q, Filter(), case_id="x", **{field: None})


def test_a_session_scope_limits_every_query_function(monkeypatch, warehouse):
    """With a signed-in street user's scope, the query functions return only that street, whatever they ask."""
    from dashboard.queries import sql

    monkeypatch.setenv("GRIDPULSE_HOME", str(warehouse.home.root))
    (street, name), (other, other_name) = warehouse.query(
        "select street_code, street_name from dim_streets order by 1 limit 2"
    )
    monkeypatch.setattr(sql, "session_scope", lambda: (street,))
    assert screens.streets(Filter(scope=None))["street_code"].to_list() == [street]
    assert screens.streets(Filter(scope=(other,))).is_empty()
    assert screens.street_boundaries(Filter())["street_code"].to_list() == [street]
    assert screens.street_board(Filter())["street_name"].to_list() == [name]
    kind = "month"
    rows = desk.street_ranking_rows(Filter(period_type=kind))
    assert set(rows["entity_code"].to_list()) == {street} and rows["ranked_entities"].max() > 1
    assert (
        not desk.street_ranking_rows(Filter(period_type=kind, street=other))
        .filter(pl.col("entity_code") == other)
        .height
    )
    kpis = screens.screen_kpis(Filter())  # the city's cards are not a street user's: their street's are
    assert kpis.height and set(kpis["kpi_code"].to_list()) >= {"cases_reported"}
    monkeypatch.setattr(sql, "session_scope", lambda: None)
    assert other_name in screens.street_board(Filter())["street_name"].to_list()


def test_flow_breakdown_names_the_base_of_each_rate(monkeypatch, warehouse):
    """The breakdown's "n = …" is the count a rate is over (the warehouse's base flag), not a count the
    page picks: 按期结案率 is over the judgeable due cases, 按期处置率 over the judgeable disposal ones."""
    monkeypatch.setenv("GRIDPULSE_HOME", str(warehouse.home.root))
    start, end = warehouse.query(
        "select period_start, cast(period_start + interval 1 month as date) from mart_case_flow_by_street "
        "where period_type = 'month' and is_complete_period order by 1 desc limit 1"
    )[0]
    rows = desk.flow_breakdown(Filter(start=start, end=end, period_type="month"), "street").to_dicts()
    hits = {
        "closure_rate": "closed_cases",
        "ontime_closure_rate": "closed_on_time_cases",
        "ontime_disposal_rate": "disposed_on_time_cases",
        "rework_rate": "reworked_cases",
        "extension_rate": "extended_cases",
    }
    checked = 0
    for r in rows:
        for rate, hit in hits.items():
            if r[rate] is not None:
                assert r[rate] * r[f"{rate}_base"] == pytest.approx(r[hit]), (r["group_name"], rate)
                checked += 1
    assert checked > 10


def test_property_item_shares_are_the_scoring_tables(monkeypatch, warehouse):
    """The item chart's maxima come from the seed property_assessment_items (100 in all), not the page."""
    monkeypatch.setenv("GRIDPULSE_HOME", str(warehouse.home.root))
    (aid,) = warehouse.query("select assessment_id from fct_property_assessments order by 1 limit 1")[0]
    items = desk.property_item_shares(Filter(), aid).to_dicts()
    assert [r["item_name"] for r in items][:2] == ["综合管理", "房屋管理"] and len(items) == 7
    assert sum(r["max_score"] for r in items) == 100
    for r in items:
        if r["score"] is not None:
            assert r["score_share"] == pytest.approx(r["score"] / r["max_score"])
