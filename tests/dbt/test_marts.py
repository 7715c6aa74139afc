"""The warehouse built from the demo city: mart invariants, the generator's calibration, and two headline
metrics recomputed independently from the lake's Parquet files (not from the models)."""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
import yaml

from dashboard.whatif import SHOWN_DIGITS

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO / "dbt_project" / "models"
SEEDS = REPO / "seeds"
STAGES = ["reported", "accepted", "filed", "dispatched", "disposed", "verified", "closed"]
RANKINGS = {
    "mart_street_ranking": "street_code",
    "mart_community_ranking": "community_code",
    "mart_department_ranking": "department_code",
}


def seed_rows(name: str) -> list[dict[str, str]]:
    with open(SEEDS / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def lake_rows(path: str, sql: str) -> list[tuple]:
    con = duckdb.connect()
    try:
        return con.execute(sql.replace("{t}", f"read_parquet('{path}')")).fetchall()
    finally:
        con.close()


def latest_complete_month(warehouse) -> date:
    return warehouse.query(
        "select max(period_start) from mart_case_flow_by_street where period_type = 'month' and is_complete_period"
    )[0][0]


def next_month(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


# ------------------------------------------------------------------------------------------ funnel


def test_funnel_counts_never_grow_down_the_stages(warehouse):
    rows = warehouse.query(f"select {', '.join(s + '_cases' for s in STAGES)} from mart_case_funnel")
    assert rows
    for row in rows:
        assert list(row) == sorted(row, reverse=True), row
    total_reported = warehouse.query(
        "select sum(reported_cases) from mart_case_funnel where period_type = 'quarter'"
    )[0][0]
    assert total_reported == warehouse.query("select count(*) from fct_platform_cases")[0][0]


# ------------------------------------------------------------------------------------------ rankings


def test_every_street_has_a_rank_in_every_month_and_quarter(warehouse):
    streets = {r[0] for r in warehouse.query("select street_code from dim_streets")}
    assert len(streets) == 5
    periods = warehouse.query("select distinct period_type, period_start from mart_case_flow_by_street")
    assert {p[0] for p in periods} == {"month", "quarter"}
    ranked = defaultdict(set)
    for period_type, start, street, rank in warehouse.query(
        "select distinct period_type, period_start, street_code, composite_rank from mart_street_ranking"
    ):
        assert rank is not None and 1 <= rank <= 5
        ranked[(period_type, start)].add(street)
    for period in periods:
        assert ranked[period] == streets, period


@pytest.mark.parametrize("mart", sorted(RANKINGS))
def test_composite_equals_the_weighted_capped_scores(warehouse, mart):
    key = RANKINGS[mart]
    rows = warehouse.query(
        f"select period_type, period_start, {key}, metric_code, direction, weight, target, value, score, "
        f"contribution, composite_score, composite_rank from {mart}"
    )
    assert rows
    entities: dict[tuple, list] = defaultdict(list)
    for (
        ptype,
        start,
        entity,
        _metric,
        direction,
        weight,
        target,
        value,
        score,
        contribution,
        composite,
        rank,
    ) in rows:
        if value is None:
            assert score is None
        else:
            raw = (target / value if value > 0 else float("inf")) if direction == "lower" else value / target
            assert score == pytest.approx(min(raw, 1.25), abs=1e-12)
        entities[(ptype, start, entity)].append((weight, score, contribution, composite, rank))
    by_period: dict[tuple, list] = defaultdict(list)
    for (ptype, start, entity), metrics in entities.items():
        scored = [(w, s) for w, s, *_ in metrics if s is not None]
        composite = metrics[0][3]
        if scored:
            expected = sum(w * s for w, s in scored) / sum(w for w, _ in scored)
            assert composite == pytest.approx(expected, abs=1e-12), (ptype, start, entity)
            assert sum(c for _, _, c, *_ in metrics if c is not None) == pytest.approx(composite, abs=1e-12)
        else:
            assert composite is None
        by_period[(ptype, start)].append((composite, metrics[0][4]))

    def shown(x: float) -> int:  # the composite as the pages show it (3 decimals, half away from zero)
        return math.floor(x * 10**SHOWN_DIGITS + 0.5)

    # rank() semantics over the shown composite: 1 + number of strictly better shown composites (issue 16)
    for period, ranks in by_period.items():
        for composite, rank in ranks:
            if composite is not None:
                better = sum(1 for c, _ in ranks if c is not None and shown(c) > shown(composite))
                assert rank == better + 1, period


# ------------------------------------------------------------------------------------------ calibration


def test_closure_rate_within_the_generators_calibration_band(warehouse):
    truth = warehouse.manifest["truth"]["platform"]
    expected = truth["closure_rate_older_than_30_days"]
    # the generator's own definition, on the fact table: exact
    export = datetime.fromisoformat(warehouse.manifest["generator"]["export_time"])
    closed, live = warehouse.query(
        "select count(*) filter (where is_closed), count(*) filter (where not is_cancelled) "
        "from fct_platform_cases where reported_at < ?",
        [export - timedelta(days=30)],
    )[0]
    assert round(closed / live, 4) == expected
    # the published 结案率 (应结案 by deadline, carry-over included) for the whole quarter: within the band
    closed, due = warehouse.query(
        "select sum(closed_cases), sum(due_cases) from mart_case_flow_by_street where period_type = 'quarter'"
    )[0]
    assert abs(closed / due - expected) <= 0.03, (closed / due, expected)
    # on-time closure per street, among closed cases, is the generator's truth exactly
    by_street = dict(
        warehouse.query(
            "select street_name, round(avg(is_closed_on_time::int) filter (where is_closed), 4) "
            "from fct_platform_cases group by 1"
        )
    )
    assert by_street == truth["on_time_rate_by_street"]


def test_property_list_disagreements_are_the_injected_ones(warehouse):
    injected = {
        (d["考评期次"], d["项目名称"]) for d in warehouse.manifest["truth"]["property"]["rule_disagreements"]
    }
    found = {
        (f"{q[:4]}年第{q[-1]}季度", p)
        for q, p in warehouse.query(
            "select quarter_label, project_name from mart_property_lists where is_list_disagreement"
        )
    }
    assert found == injected


# ------------------------------------------------------------------------------------------ independent recomputation


def _workday_deadline(start: datetime, n: int, workdays: dict[date, bool]) -> datetime:
    """The same clock time on the n-th working day after start's day."""
    day, counted = start.date(), 0
    while counted < n:
        day += timedelta(days=1)
        if workdays.get(day, day.weekday() < 5):
            counted += 1
    return datetime.combine(day, start.time())


def test_ontime_closure_rate_by_street_recomputed_from_the_lake(warehouse):
    month = latest_complete_month(warehouse)
    month_end = next_month(month)
    month_start_ts, month_end_ts = (datetime.combine(d, datetime.min.time()) for d in (month, month_end))

    # reference data straight from the seed files
    category = {
        (r["problem_type"], r["category_major"], r["category_minor"]): r["category_code"]
        for r in seed_rows("case_categories")
    }
    limit = {
        (r["category_code"], r["urgency"]): (int(r["deadline_value"]), r["deadline_unit"])
        for r in seed_rows("case_category_deadlines")
    }
    workdays = {date.fromisoformat(r["date"]): r["is_workday"] == "true" for r in seed_rows("work_calendar")}

    # divisions: grid → community → street, and street names
    areas = lake_rows(warehouse.lake("divisions", "areas"), "select level, code, name, parent_code from {t}")
    parent = {code: p for _, code, _, p in areas}
    street_by_name = {name: code for level, code, name, _ in areas if level == "街道"}

    actions: dict[str, list[tuple[str, datetime]]] = defaultdict(list)
    for case_id, action, at in lake_rows(
        warehouse.lake("platform", "workflow"), "select case_id, action, action_at from {t}"
    ):
        actions[case_id].append((action, at))

    due, on_time = defaultdict(int), defaultdict(int)
    for case_id, ptype, major, minor, urgency, grid, street_name in lake_rows(
        warehouse.lake("platform", "cases"),
        "select case_id, problem_type, category_major, category_minor, urgency, grid_code, street_name from {t}",
    ):
        log = actions.get(case_id, [])
        if any(a == "作废" for a, _ in log):
            continue
        filed = min((t for a, t in log if a == "立案"), default=None)
        closed = min((t for a, t in log if a == "结案"), default=None)
        extensions = sum(1 for a, _ in log if a == "延期批准")
        code = category.get((ptype, major, minor))
        deadline = None
        if filed is not None and (code, urgency or "一般") in limit:
            value, unit = limit[(code, urgency or "一般")]
            total = value * (1 + extensions)
            deadline = (
                filed + timedelta(hours=total)
                if unit == "hours"
                else _workday_deadline(filed, total, workdays)
            )
        due_at = deadline if deadline is not None else closed
        if due_at is None or due_at >= month_end_ts:
            continue
        if due_at < month_start_ts and closed is not None and closed < month_start_ts:
            continue  # closed before the month began: not carried over
        street = parent.get(parent.get(grid)) if grid in parent else None
        street = street or street_by_name.get(street_name)
        due[street] += 1
        if closed is not None and closed < month_end_ts and (deadline is None or closed <= deadline):
            on_time[street] += 1

    mart = {
        street: (n_on_time, n_due, rate)
        for street, n_on_time, n_due, rate in warehouse.query(
            "select street_code, closed_on_time_cases, due_cases, ontime_closure_rate from mart_case_flow_by_street "
            "where period_type = 'month' and period_start = ?",
            [month],
        )
    }
    assert set(mart) == set(due)
    assert any(n for n, _, _ in mart.values())
    for street, (n_on_time, n_due, rate) in mart.items():
        assert (n_on_time, n_due) == (on_time[street], due[street]), street
        assert rate == on_time[street] / due[street], street


def test_report_in_rate_by_unit_recomputed_from_the_lake(warehouse):
    month = latest_complete_month(warehouse)
    month_end = next_month(month)
    roster = dict(lake_rows(warehouse.lake("party", "units"), "select unit_name, member_count from {t}"))
    reported: dict[str, int] = defaultdict(int)
    for unit, reported_on in lake_rows(
        warehouse.lake("party", "members"), "select unit_name, reported_on from {t}"
    ):
        if reported_on < month_end:
            reported[unit] += 1
    mart = dict(
        (unit, rate)
        for unit, rate in warehouse.query(
            "select unit_name, report_in_rate from mart_report_in_by_unit_month where month_start = ?",
            [month],
        )
    )
    assert set(mart) == set(roster)
    for unit, members in roster.items():
        assert mart[unit] == reported[unit] / members, unit
    # the generator's calibration: the spread of 报到率 and the units that never served
    truth = warehouse.manifest["truth"]["party"]
    last = max(r[0] for r in warehouse.query("select month_start from mart_report_in_by_unit_month"))
    low, high = warehouse.query(
        "select min(report_in_rate), max(report_in_rate) from mart_report_in_by_unit_month where month_start = ?",
        [last],
    )[0]
    assert [round(low, 3), round(high, 3)] == truth["report_rate_range"]
    idle = sorted(
        r[0]
        for r in warehouse.query(
            "select unit_name from mart_report_in_by_unit_month group by 1 having sum(approved_activities) = 0"
        )
    )
    assert idle == truth["zero_activity_units"]


# ------------------------------------------------------------------------------------------ documentation


def test_every_mart_column_has_a_description(warehouse):
    documented: dict[str, dict] = {}
    for path in MODELS.rglob("*.yml"):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            documented[model["name"]] = model
    marts = sorted(p.stem for p in (MODELS / "marts").glob("*.sql"))
    assert marts and all(m.startswith(("dim_", "fct_", "mart_")) for m in marts)
    built = defaultdict(list)
    for table, column in warehouse.query(
        "select table_name, column_name from information_schema.columns order by table_name, ordinal_position"
    ):
        built[table].append(column)
    for name in marts:
        model = documented.get(name)
        assert model, f"{name} is not described in YAML"
        assert (model.get("description") or "").strip(), name
        assert "grain" in model["description"].lower() or (
            model.get("config", {}).get("meta", {}).get("grain")
        ), name
        described = {c["name"]: (c.get("description") or "").strip() for c in model.get("columns", [])}
        assert built[name], f"{name} was not built"
        for column in built[name]:
            assert described.get(column), f"{name}.{column} has no description"
        assert set(described) <= set(built[name]), f"{name} documents columns it does not have"
