"""The dashboard's query layer: named SQL files, named parameters only, one filter carrying the data scope."""

from __future__ import annotations

import re
from pathlib import Path

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
