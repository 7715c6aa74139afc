"""A second load or build while one runs gets one line naming it; a killed build takes its dbt child with it,
and the release folder it left shows as abandoned until the next build removes it."""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import time

import pytest

from tests.loader.test_load_crash import hold, run
from tests.processes import alive, children
from warehouse.home.paths import DataHome


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = DataHome(tmp_path_factory.mktemp("busy") / "home")
    assert run(home, "generate", "--scale", "0.02", "--days", "20").returncode == 0
    assert run(home, "load").returncode == 0
    return home


def one_busy_line(result, pid: int) -> str:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 75 and len(lines) == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert re.search(rf"busy.*since \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d by cli:\S+ \(pid {pid}\)", lines[0]), (
        lines[0]
    )
    return lines[0]


def release_folders(home: DataHome) -> set[str]:
    return {p.name for p in home.releases.glob("[!.]*")} if home.releases.exists() else set()


def test_a_load_or_build_while_a_load_runs_says_who_is_busy(home):
    (home.landing / "more").mkdir(exist_ok=True)
    (home.landing / "more" / "x.csv").write_text("a,b\n1,2\n")  # something new, so the load reads
    releases = release_folders(home)
    first = hold(home, "load:read", "load")
    try:
        assert "gridpulse load 正在运行" in one_busy_line(run(home, "load"), first.pid)
        one_busy_line(run(home, "build"), first.pid)
        one_busy_line(run(home, "unload", "x.csv"), first.pid)
        assert release_folders(home) == releases, "no release folder for a build that could not start"
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait()


def test_a_killed_build_ends_dbt_and_its_folder_is_abandoned_then_removed(home):
    build = hold(home, "build:dbt", "build")
    try:
        dbt = children(build.pid)
        assert dbt and all(alive(c) for c in dbt)
        assert "gridpulse build 正在运行" in one_busy_line(run(home, "build"), build.pid)
    finally:
        os.kill(build.pid, signal.SIGKILL)
        build.wait()
    deadline = time.monotonic() + 20
    while any(alive(c) for c in dbt) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(c) for c in dbt), "dbt outlived the build that was killed"

    status = json.loads(run(home, "status", "--json").stdout)
    left = [r for r in status["releases"] if r["status"] == "abandoned"]
    assert len(left) == 1 and not left[0]["current"]
    assert "abandoned" in run(home, "status").stdout
    folder = home.releases / left[0]["id"]

    again = run(home, "build")
    assert again.returncode == 0, again.stderr[-3000:]
    assert left[0]["id"] in again.stderr and not folder.exists()
    assert [r["status"] for r in json.loads(run(home, "status", "--json").stdout)["releases"]] == ["ok"]
    assert stat.S_IMODE(home.releases.stat().st_mode) == 0o700, (
        "releases hold masked personal data: owner-only"
    )
