"""A load killed with kill -9 at any stage publishes nothing half-done; the next load cleans up and counts
every row exactly once, as an uninterrupted load does. Real `gridpulse` subprocesses, held at a named stage
(GRIDPULSE_TEST_PAUSE_AT) and killed there."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

import duckdb
import pytest

from warehouse.home.paths import DataHome
from warehouse.lake.manifest import read_manifest
from warehouse.release.releases import current_release_db

FIRST = ("双报到", "城运平台/案卷")  # landing files loaded before the load that is killed


def gridpulse(home: DataHome, *args: str, pause: str | None = None) -> subprocess.Popen:
    env = {**os.environ, "GRIDPULSE_HOME": str(home.root)}
    env.pop("GRIDPULSE_TEST_PAUSE_AT", None)
    if pause:
        env["GRIDPULSE_TEST_PAUSE_AT"] = pause
    return subprocess.Popen(
        [sys.executable, "-m", "warehouse.cli", *args],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def run(home: DataHome, *args: str) -> subprocess.CompletedProcess:
    proc = gridpulse(home, *args)
    out, err = proc.communicate(timeout=600)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def hold(home: DataHome, stage: str, *args: str) -> subprocess.Popen:
    """Start `gridpulse *args` and return it once it holds at ``stage`` (its stderr so far in ``.said``)."""
    proc = gridpulse(home, *args, pause=stage)
    lines = []
    assert proc.stderr is not None
    for line in proc.stderr:
        lines.append(line)
        if line.startswith(f"paused at {stage}"):
            break
    else:
        proc.wait()
        pytest.fail(f"never reached {stage}: {''.join(lines)[-2000:]}")
    proc.said = "".join(lines)  # type: ignore[attr-defined]
    return proc


def kill_at(home: DataHome, stage: str, *args: str) -> str:
    """Start `gridpulse *args`, wait until it holds at ``stage``, kill -9 it; its stderr up to then."""
    proc = hold(home, stage, *args)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    return proc.said  # type: ignore[attr-defined]


def snapshot(home: DataHome) -> tuple[dict, dict]:
    """(file → row counts from the manifest, lake table → rows) of the lake readers see."""
    files = {
        r.file: (r.status, r.rows_read, r.rows_accepted, r.rows_quarantined, r.rows_duplicate, r.rows_updated)
        for r in read_manifest(home)
    }
    con = duckdb.connect()
    tables = {
        f"{p.parent.name}/{p.name}": con.execute(
            f"select count(*) from read_parquet('{p}/*.parquet')"
        ).fetchone()[0]
        for p in sorted(home.lake.glob("*/*"))
        if p.is_dir() and not p.parent.name.startswith("_")
    }
    return files, tables


@pytest.fixture(scope="module")
def homes(tmp_path_factory):
    """A data home with the first files loaded and every file in landing, and a copy loaded on without a kill."""
    root = tmp_path_factory.mktemp("crash")
    base = DataHome(root / "base")
    assert run(base, "generate", "--scale", "0.02", "--days", "20").returncode == 0
    everything = sorted(p for p in base.landing.rglob("*") if p.is_file() and not p.name.startswith("_"))
    held = root / "held"
    for path in everything:
        if not path.relative_to(base.landing).as_posix().startswith(FIRST):
            (held / path.relative_to(base.landing)).parent.mkdir(parents=True, exist_ok=True)
            path.rename(held / path.relative_to(base.landing))
    assert run(base, "load").returncode == 0
    shutil.copytree(held, base.landing, dirs_exist_ok=True)
    clean = DataHome(root / "clean")
    shutil.copytree(base.root, clean.root, symlinks=True)
    assert run(clean, "load").returncode == 0
    return base, clean


@pytest.mark.parametrize("stage", ["load:read", "load:merged", "load:written"])
def test_a_load_killed_at_any_stage_leaves_the_lake_as_it_was(homes, tmp_path, stage):
    base, clean = homes
    home = DataHome(tmp_path / "home")
    shutil.copytree(base.root, home.root, symlinks=True)
    before = snapshot(home)
    assert len(before[0]) < len(snapshot(clean)[0])

    said = kill_at(home, stage, "load")
    if stage != "load:read":
        assert "→ " in said  # at least one table was merged before the kill
    assert snapshot(home) == before
    assert not list(home.lake.rglob(".*tmp")), "no temporary file inside the lake readers see"

    again = run(home, "load")
    assert again.returncode == 0, again.stderr[-2000:]
    assert snapshot(home) == snapshot(clean)  # every row once, the counts of a load never killed
    assert all(r.invariant_holds for r in read_manifest(home))
    assert [p.name for p in (home.root / "lake.d").iterdir() if not p.name.startswith(".")] == [
        home.lake.resolve().name
    ], "the killed load's generation was removed"


def test_a_load_killed_after_the_switch_is_complete(homes, tmp_path):
    base, clean = homes
    home = DataHome(tmp_path / "home")
    shutil.copytree(base.root, home.root, symlinks=True)
    kill_at(home, "load:switched", "load")
    assert snapshot(home) == snapshot(clean)
    again = run(home, "load")
    assert again.returncode == 0 and "0 file(s) loaded" in again.stderr
    assert snapshot(home) == snapshot(clean)


def test_a_build_after_a_killed_load_publishes_the_lake_before_it(homes, tmp_path):
    base, _ = homes
    home = DataHome(tmp_path / "home")
    shutil.copytree(base.root, home.root, symlinks=True)
    files, tables = snapshot(home)
    kill_at(home, "load:merged", "load")
    build = run(home, "build")
    assert build.returncode == 0, build.stderr[-3000:]
    con = duckdb.connect(str(current_release_db(home)), read_only=True)
    assert con.execute("select count(*) from staging.stg_lake__manifest").fetchone()[0] == len(files)
    lake_rows = dict(con.execute("select lake_table, lake_rows from mart_data_health").fetchall())
    assert {t: n for t, n in lake_rows.items() if n} == {t: n for t, n in tables.items() if n}
    con.close()
    # loads switch the lake on; the release's staging views still read the generation it was built from
    assert run(home, "load").returncode == 0 and len(snapshot(home)[0]) > len(files)
    con = duckdb.connect(str(current_release_db(home)), read_only=True)
    assert con.execute("select count(*) from staging.stg_lake__manifest").fetchone()[0] == len(files)
