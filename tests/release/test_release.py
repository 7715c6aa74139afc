"""Releases: a failed build leaves the previous release current; readers never see a half-built file."""

import shutil
import threading
from pathlib import Path

import duckdb
import pytest

from warehouse.home.paths import DataHome
from warehouse.release.build import PROJECT_DIR, build
from warehouse.release.releases import current_release_db, history

PASSING_MODEL = "select 1 as x union all select 2"
FAILING_TEST = "select * from {{ ref('numbers') }} where x = 1  -- fails on purpose: returns a row\n"


def tiny_project(root: Path, failing: bool = False) -> Path:
    """A minimal dbt project using GridPulse's committed profile."""
    project = root / ("failing" if failing else "passing")
    (project / "models").mkdir(parents=True, exist_ok=True)
    (project / "tests").mkdir(exist_ok=True)
    shutil.copy(PROJECT_DIR / "profiles.yml", project / "profiles.yml")
    (project / "dbt_project.yml").write_text(
        "name: tiny\nversion: '1.0'\nconfig-version: 2\nprofile: gridpulse\n"
        "models:\n  tiny:\n    +materialized: table\n"
    )
    (project / "models" / "mart_numbers.sql").write_text(PASSING_MODEL)
    (project / "models" / "numbers.sql").write_text(PASSING_MODEL)
    if failing:
        (project / "tests" / "fail_on_purpose.sql").write_text(FAILING_TEST)
    return project


@pytest.fixture()
def home(tmp_path):
    return DataHome(tmp_path / "home")


def test_failed_build_keeps_previous_release(home, tmp_path):
    good = build(home, project_dir=tiny_project(tmp_path))
    assert good.ok and current_release_db(home) == good.release_db
    assert good.row_counts == {"mart_numbers": 2}

    bad = build(home, project_dir=tiny_project(tmp_path, failing=True))
    assert not bad.ok
    assert any("fail_on_purpose" in f and "failing row" in f for f in bad.failures), bad.failures
    assert "left as it was" in bad.summary()
    assert current_release_db(home) == good.release_db
    con = duckdb.connect(str(current_release_db(home)), read_only=True)
    assert con.execute("select count(*) from mart_numbers").fetchone()[0] == 2
    statuses = {h["id"]: (h["status"], h["current"]) for h in history(home)}
    assert statuses == {good.release_id: ("ok", True), bad.release_id: ("failed", False)}


def test_release_file_is_not_held_open(home, tmp_path):
    result = build(home, project_dir=tiny_project(tmp_path))
    con = duckdb.connect(str(result.release_db))  # read-write: would fail if dbt still held a lock
    con.close()


def test_old_releases_are_pruned(home, tmp_path):
    project = tiny_project(tmp_path)
    ids = [build(home, project_dir=project, keep=2).release_id for _ in range(4)]
    kept = [h["id"] for h in history(home)]
    assert kept == [ids[3], ids[2]]
    assert current_release_db(home).parent.name == ids[3]


def test_readers_never_fail_while_releases_switch(home, tmp_path):
    project = tiny_project(tmp_path)
    assert build(home, project_dir=project).ok
    stop, reads, errors = threading.Event(), [0], []

    def reader():
        while not stop.is_set():
            try:
                con = duckdb.connect(str(current_release_db(home)), read_only=True)
                assert con.execute("select sum(x) from mart_numbers").fetchone()[0] == 3
                con.close()
                reads[0] += 1
            except Exception as exc:  # any failure is what this test is about
                errors.append(repr(exc))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for _ in range(3):
            assert build(home, project_dir=project).ok
    finally:
        stop.set()
        thread.join()
    assert errors == [] and reads[0] > 10


def test_a_failing_model_is_named_with_duckdbs_own_words(home, tmp_path):
    """Not dbt's "Runtime Error in model …" but which model, DuckDB's message and where, in one line."""
    project = tiny_project(tmp_path)
    (project / "models" / "broken.sql").write_text(
        "select 1 as x,\n    no_such_column\nfrom {{ ref('numbers') }}\n"
    )
    bad = build(home, project_dir=project)
    assert not bad.ok and current_release_db(home) is None
    [line] = [f for f in bad.failures if "broken" in f]
    assert line.startswith(
        'model broken failed: Binder Error: Referenced column "no_such_column" not found'
    ), line
    assert line.endswith("(broken.sql, LINE 4)") or "broken.sql" in line, line
    assert "Runtime Error" not in line and "\n" not in line
    assert line in bad.summary()


def test_a_project_that_does_not_parse_says_where_in_one_line(home, tmp_path):
    project = tiny_project(tmp_path)
    (project / "models" / "numbers.yml").write_text(
        "version: 2\nmodels:\n  - name: numbers\n    description: a: b\n"
    )
    bad = build(home, project_dir=project)
    assert not bad.ok
    [line] = bad.failures
    assert line.startswith("Parsing Error") and "numbers.yml" in line and "\n" not in line, line
