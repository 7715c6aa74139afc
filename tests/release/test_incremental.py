"""Daily increments (issue 21 §2): after one more day of exports, a build that starts from the current
release equals a full build of the same lake, table by table, every row; a failed increment leaves the
current release as it was; a lake the increment cannot follow (an unload, a changed project) means a
full build, said in words.

One generation of 61 days: the files the 60-day demo also has are loaded first, the rest (the extra
day's windows and snapshots) after the first build (the generator is not prefix-stable: two
generations would not agree, see tests/bench/run.py bench_build)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from gridpulse_demo import generate
from gridpulse_demo.names import CITY
from warehouse.home.paths import DataHome
from warehouse.home.settings import set_defaults
from warehouse.ingest.load import load
from warehouse.lake.generations import current_generation
from warehouse.lake.unload import unload
from warehouse.release import increments
from warehouse.release.build import BuildResult, build
from warehouse.release.releases import DB_NAME, DOCS_FILE, current_release_dir, read_meta
from warehouse.resources import dbt_project_dir

DAYS = 60
# Every table a page, the workbench or a later model reads: the marts, and the incremental models.
SCHEMAS = ("main", "staging", "intermediate")


def _split_copy(full: Path, names: Path, landing: Path) -> list[Path]:
    """Copy the files of ``full`` that ``names`` also has into ``landing``; the others, for later."""
    later = []
    for path in sorted(p for p in full.rglob("*") if p.is_file() and not p.name.startswith("_")):
        rel = path.relative_to(full)
        if (names / rel).exists():
            (landing / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, landing / rel)
        else:
            later.append(rel)
    return later


def _built(home: DataHome, said: list[str] | None = None, **kwargs) -> BuildResult:
    result = build(home, progress=(said.append if said is not None else None), **kwargs)
    assert result.ok, result.summary()
    return result


@pytest.fixture(scope="module")
def days(tmp_path_factory):
    """A home built on 60 days, then one more day loaded and built incrementally, then in full."""
    work = tmp_path_factory.mktemp("increments")
    generate(work / "names", scale=0.1, days=DAYS)
    generate(work / "full", scale=0.1, days=DAYS + 1)
    home = DataHome(work / "home")
    home.landing.mkdir(parents=True)
    later = _split_copy(work / "full", work / "names", home.landing)
    set_defaults(home, city_name=CITY)
    load(home)
    first = _built(home)
    for rel in later:
        (home.landing / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(work / "full" / rel, home.landing / rel)
    report = load(home)
    assert report.rejected == [] and later, (later, report.rejected)
    said: list[str] = []
    incremental = _built(home, said)
    full = _built(home, full=True)
    return {
        "home": home,
        "first": first,
        "incremental": incremental,
        "full": full,
        "said": said,
        "work": work,
    }


def _tables(db: Path) -> list[tuple[str, str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and table_schema in ? order by 1, 2",
            [list(SCHEMAS)],
        ).fetchall()
    finally:
        con.close()


def _columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> str:
    """The table's columns, floating-point ones rounded to 9 digits: an increment appends the changed
    cases' rows, so a sum of doubles adds in another order than in a full build (last-bit differences)."""
    rows = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = 'inc' and table_schema = ? and table_name = ? order by ordinal_position",
        [schema, table],
    ).fetchall()
    return ", ".join(f'round("{n}", 9) as "{n}"' if t in ("DOUBLE", "FLOAT") else f'"{n}"' for n, t in rows)


def test_one_more_day_starts_from_the_current_release(days):
    meta = read_meta(days["incremental"].release_dir)
    assert read_meta(days["first"].release_dir)["mode"] == "full"
    assert meta["mode"] == "incremental" and meta["base_release"] == days["first"].release_id
    assert meta["new_files"] > 0
    assert any(line.startswith("incremental build: from release") for line in days["said"]), days["said"]
    assert read_meta(days["full"].release_dir)["mode"] == "full"


def test_dbt_parses_only_what_changed(days):
    """dbt's saved parse is handed from build to build: no build after the first parses from scratch."""
    for built in (days["incremental"], days["full"]):
        log = (built.release_dir / "logs" / "dbt.log").read_text(encoding="utf-8")
        assert "Unable to do partial parsing" not in log
    first = (days["first"].release_dir / "logs" / "dbt.log").read_text(encoding="utf-8")
    assert "Unable to do partial parsing because saved manifest not found" in first


def _run_results(built: BuildResult) -> dict[str, str]:
    """unique_id → the SQL dbt ran, for every node of the build's run."""
    results = json.loads((built.release_dir / "target" / "run_results.json").read_text(encoding="utf-8"))
    return {r["unique_id"]: r.get("compiled_code") or "" for r in results["results"]}


def test_increment_tests_the_rows_it_wrote_and_skips_what_its_base_did(days):
    """An increment tests its incremental models on the changed cases' rows only (the rest is the base's,
    tested then); it leaves out seeds and unit tests (same project: the copy holds the seeds, unit tests
    read fixtures) and keeps its base's docs. A full build runs and tests everything."""
    inc, full = _run_results(days["incremental"]), _run_results(days["full"])
    for kind in ("seed.", "unit_test."):
        assert not [n for n in inc if n.startswith(kind)]
        assert [n for n in full if n.startswith(kind)]
    scoped = [n for n in inc if n.startswith("test.gridpulse.unique_fct_workflow_actions_action_id")]
    assert scoped and "_sha256 in (" in inc[scoped[0]]
    assert "_sha256 in (" not in full[scoped[0]]
    steps = [n for n in inc if n.startswith("test.gridpulse.unique_combination_fct_case_funnel_steps")]
    assert steps and "_sha256 in (" in inc[steps[0]] and "_sha256 in (" not in full[steps[0]]
    events = [n for n in inc if n.startswith("test.gridpulse.unique_stg_grid__events_event_id")]
    assert events and "_sha256 in (" in inc[events[0]]
    unscoped = [n for n in inc if n.startswith("test.gridpulse.unique_fct_platform_cases_case_id")]
    assert unscoped and "_sha256" not in inc[unscoped[0]]  # tested whole: the clock moves open cases too
    docs = days["incremental"].release_dir / DOCS_FILE
    assert docs.read_bytes() == (days["first"].release_dir / DOCS_FILE).read_bytes()


def test_incremental_build_equals_full_build_table_by_table(days):
    """Every table of main, staging and intermediate: the same rows, as many times each."""
    inc, full = days["incremental"].release_db, days["full"].release_db
    assert ("main", "fct_workflow_actions") in _tables(inc) and ("main", "mart_case_funnel") in _tables(inc)
    assert _differences(inc, full) == []


def _differences(inc: Path, full: Path) -> list[str]:
    """The tables whose rows differ between two releases, in words."""
    tables = _tables(inc)
    assert tables == _tables(full)
    con = duckdb.connect()
    try:
        con.execute(f"attach '{inc}' as inc (read_only)")
        con.execute(f"attach '{full}' as fullb (read_only)")
        differ = []
        for schema, table in tables:
            cols = _columns(con, schema, table)
            a = f'(select {cols} from inc."{schema}"."{table}")'
            b = f'(select {cols} from fullb."{schema}"."{table}")'
            missing, extra = con.execute(
                f"select (select count(*) from (from {b} except all from {a})), "
                f"(select count(*) from (from {a} except all from {b}))"
            ).fetchone()
            if missing or extra:
                differ.append(f"{schema}.{table}: {missing} row(s) missing, {extra} extra")
        return differ
    finally:
        con.close()


def test_an_increment_runs_only_what_its_new_files_reach(days, tmp_path):
    """A re-export of one table (service activities reviewed since: 待审核 → 已审核): the increment runs
    that table's models, what is after them and the lake's own; every other model and its tests are
    the base's, and the release still equals a full build of the same lake."""
    home = DataHome(tmp_path / "home")
    shutil.copytree(days["home"].root, home.root, symlinks=True)
    export = max(home.landing.rglob("服务活动_*.csv"))
    reviewed = export.read_bytes()
    for encoding in ("utf-8", "gb18030"):  # the demo writes some exports in each
        reviewed = reviewed.replace("待审核".encode(encoding), "已审核".encode(encoding))
    assert reviewed != export.read_bytes()
    export.with_name(export.stem + "_复核.csv").write_bytes(reviewed)
    assert load(home).rejected == []
    inc = _built(home)
    meta = read_meta(inc.release_dir)
    assert meta["mode"] == "incremental" and meta["new_tables"] == ["party/activities"]
    ran = _run_results(inc)
    for reached in ("stg_party__activities", "fct_report_in_activities", "stg_lake__manifest"):
        assert f"model.gridpulse.{reached}" in ran, reached
    for kept in ("fct_platform_cases", "fct_grid_events", "mart_case_funnel", "dim_dates"):
        assert f"model.gridpulse.{kept}" not in ran, kept
    assert not [n for n in ran if n.startswith("test.gridpulse.unique_fct_platform_cases")]
    assert _differences(inc.release_db, _built(home, full=True).release_db) == []


def test_incremental_build_recomputes_cases_not_just_new_days(days):
    """The extra day's files re-export earlier days: cases reported before it got new actions, so the
    equality above covers recomputed old cases, not only appended new ones."""
    con = duckdb.connect(str(days["incremental"].release_db), read_only=True)
    try:
        first_day_of_extra = con.execute(
            "select max(cast(reported_at as date)) from main.fct_platform_cases"
        ).fetchone()[0]
        older_cases_with_new_actions = con.execute(
            "select count(distinct case_id) from main.fct_workflow_actions a "
            "join main.fct_platform_cases c using (case_id) "
            "where cast(c.reported_at as date) < ? and a.action_date = ?",
            [first_day_of_extra, first_day_of_extra],
        ).fetchone()[0]
    finally:
        con.close()
    assert older_cases_with_new_actions > 0


CLOCK_BOUND = (
    "int_platform_cases_scheduled",
    "fct_platform_cases",
    "int_platform_cases_due_by_period",
    "fct_case_due_by_period",
    "fct_case_stages",
    "fct_case_funnel_steps",
)


def test_increment_recomputes_only_the_cases_the_day_or_the_clock_moves(days):
    """The per-case models after the schedule read only the changed cases (and, where the as-of clock
    reaches them, the open ones) in an increment; a full build reads every case."""
    inc, full = _run_results(days["incremental"]), _run_results(days["full"])
    for model in CLOCK_BOUND:
        assert "_sha256 in (" in inc[f"model.gridpulse.{model}"], model
        assert "_sha256 in (" not in full[f"model.gridpulse.{model}"], model


def test_the_equality_covers_cases_only_the_clock_moved(days):
    """Cases no new file touched fell due in a period they were not due in before (the extra day starts
    a month: open cases carry over into it): the table-by-table equality above checks the rows the
    clock alone moved, not only the changed cases'."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{days['first'].release_db}' as first (read_only)")
        con.execute(f"attach '{days['incremental'].release_db}' as inc (read_only)")
        newly_due = con.execute(
            """with touched as (
                select case_id from inc.staging.stg_platform__cases
                where source_file not in (select source_file from first.staging.stg_platform__cases)
                union
                select case_id from inc.staging.stg_platform__workflow_actions
                where source_file not in (select source_file from first.staging.stg_platform__workflow_actions)
            )
            select count(*) from (
                select period_type, period_start, case_id from inc.main.fct_case_due_by_period
                except select period_type, period_start, case_id from first.main.fct_case_due_by_period
            ) where case_id not in (from touched)"""
        ).fetchone()[0]
    finally:
        con.close()
    assert newly_due > 0


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_failed_increment_leaves_the_current_release(days, tmp_path, monkeypatch):
    """An increment that fails a test is not switched to; the current release's file is untouched."""
    home = days["home"]
    project = tmp_path / "dbt_project"
    shutil.copytree(dbt_project_dir(), project, ignore=shutil.ignore_patterns("target", "logs"))
    shutil.copytree(dbt_project_dir().parent / "seeds", tmp_path / "seeds")
    (project / "tests" / "assert_increment_fails.sql").write_text(
        "select 1 as failing_row from {{ ref('stg_lake__manifest') }} limit 1\n", encoding="utf-8"
    )  # after a model every increment runs: the lake's manifest changes with every load
    same = increments.project_fingerprint(dbt_project_dir())
    monkeypatch.setattr(
        increments, "project_fingerprint", lambda _dir: same
    )  # as if the project were unchanged
    current = current_release_dir(home)
    before = _digest(current / DB_NAME)
    result = build(home, project_dir=project)
    assert not result.ok
    assert any("assert_increment_fails" in f for f in result.failures), result.failures
    assert read_meta(result.release_dir)["mode"] == "incremental"
    assert current_release_dir(home) == current
    assert _digest(current / DB_NAME) == before


def test_a_changed_project_means_a_full_build(days):
    home = days["home"]
    start = increments.plan(home, current_generation(home), "another project")
    assert start.mode == "full" and "dbt project" in start.reason


def test_an_unload_means_a_full_build(days, tmp_path):
    """After an unload the lake no longer only grew: the next build is full, and says why."""
    home = DataHome(tmp_path / "home")
    shutil.copytree(days["home"].root, home.root, symlinks=True)
    fingerprint = increments.project_fingerprint(dbt_project_dir())
    assert increments.plan(home, current_generation(home), fingerprint).mode == "incremental"
    unload(
        home,
        next(p for p in home.landing.rglob("网格事件导出_*") if p.is_file())
        .relative_to(home.landing)
        .as_posix(),
    )
    start = increments.plan(home, current_generation(home), fingerprint)
    assert start.mode == "full" and "unloaded or read again" in start.reason
    assert increments.plan(home, current_generation(home), fingerprint, full=True).reason.endswith("(--full)")
