"""`gridpulse refresh` (issue 19): the first run loads and builds, the second says nothing new and exits 0; a
bad file makes it exit non-zero after loading the rest; a build the data page started, killed with kill -9
mid-way, leaves the current release as it was and the next refresh succeeds. Real subprocesses."""

from __future__ import annotations

import os
import signal
import time

import pytest

from gridpulse_demo import generate
from tests.loader.test_load_crash import run
from warehouse.access import audit
from warehouse.home.paths import DataHome
from warehouse.ingest.intake import check_uploads
from warehouse.lake.manifest import read_manifest
from warehouse.lake.status import lake_status
from warehouse.release.refresh import history, run_log, start
from warehouse.release.releases import current_release_dir


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> DataHome:
    home = DataHome(tmp_path_factory.mktemp("refresh") / "home")
    generate(home.landing, scale=0.02, days=1)
    return home


@pytest.fixture(scope="module")
def next_days(tmp_path_factory):
    """The demo city's exports of the next two days, as their systems would drop them."""
    out = tmp_path_factory.mktemp("next")
    generate(out / "d2", scale=0.02, start=date_of(2), days=1)
    generate(out / "d3", scale=0.02, start=date_of(3), days=1)
    return out


def date_of(day: int):
    from datetime import date

    return date(2025, 1, day)


def last_line(result) -> str:
    return result.stderr.strip().splitlines()[-1]


def test_refresh_builds_once_then_says_nothing_new(home):
    first = run(home, "refresh")
    assert first.returncode == 0, first.stderr[-3000:]
    release = current_release_dir(home)
    assert release is not None and f"release {release.name} is now current" in last_line(first)
    assert "== 加载 load" in first.stderr and "== 构建 build" in first.stderr

    second = run(home, "refresh")
    assert second.returncode == 0, second.stderr[-3000:]
    assert last_line(second).startswith("nothing new"), second.stderr
    assert "== 构建 build" not in second.stderr and current_release_dir(home) == release
    runs = history(home)
    assert [r["outcome"] for r in runs[:2]] == ["nothing_new", "built"]
    assert runs[1]["release"] == release.name and len(runs[1]["loaded"]) == len(lake_status(home)["files"])
    assert [e["outcome"] for e in audit.read(home, events=["refresh"])][-2:] == ["built", "nothing_new"]


def test_a_build_killed_mid_way_keeps_the_release_and_the_next_refresh_succeeds(home, next_days, monkeypatch):
    before = current_release_dir(home)
    assert before is not None
    day2 = sorted(p for p in (next_days / "d2").rglob("*") if p.is_file() and not p.name.startswith("_"))
    checked = check_uploads(home, [(p.name, p.read_bytes()) for p in day2])
    assert all(c.ok or c.already_loaded for c in checked), [(c.name, c.reason) for c in checked]
    saved = {c.saved_as for c in checked if c.ok}
    assert len(saved) >= 5, [(c.name, c.reason) for c in checked]

    monkeypatch.setenv("GRIDPULSE_TEST_PAUSE_AT", "build:dbt")
    run_id, proc = start(home, "admin-on-the-page")  # as the page's rebuild button does
    deadline = time.monotonic() + 300
    while "paused at build:dbt" not in run_log(home, run_id).read_text() and proc.poll() is None:
        assert time.monotonic() < deadline, run_log(home, run_id).read_text()
        time.sleep(0.2)
    assert proc.poll() is None, run_log(home, run_id).read_text()
    said = run_log(home, run_id).read_text()
    assert "== 加载 load" in said and "== 构建 build" in said
    os.killpg(proc.pid, signal.SIGKILL)  # the child's whole session, as a server being stopped would
    proc.wait(timeout=60)
    monkeypatch.delenv("GRIDPULSE_TEST_PAUSE_AT")

    assert current_release_dir(home) == before  # untouched: the killed build never switched
    assert not any(r["run_id"] == run_id for r in history(home))  # killed: no result, no half entry
    loaded = {r.file for r in read_manifest(home) if r.status == "loaded"}
    assert saved <= loaded  # the load finished before the build began

    after = run(home, "refresh")
    assert after.returncode == 0, after.stderr[-3000:]
    now = current_release_dir(home)
    assert now is not None and now != before and f"release {now.name} is now current" in last_line(after)
    assert "removed release folder(s) a killed build left unfinished" in after.stderr


def test_a_bad_file_fails_the_refresh_after_the_rest_is_loaded(home, next_days):
    before = current_release_dir(home)
    good = next(next_days.glob("d3/城运平台/案卷_*.csv"))
    (home.landing / "day3").mkdir()
    (home.landing / "day3" / good.name).write_bytes(good.read_bytes())
    (home.landing / "day3" / "坏文件.xlsx").write_bytes(os.urandom(2048))

    bad = run(home, "refresh")
    assert bad.returncode == 1, bad.stderr[-3000:]
    line = last_line(bad)
    assert line.startswith("REJECTED 1 file(s)") and "day3/坏文件.xlsx" in line, line
    assert "1 new file(s) loaded" in line
    records = {r.file: r for r in read_manifest(home)}
    assert (
        records[f"day3/{good.name}"].status == "loaded" and records["day3/坏文件.xlsx"].status == "rejected"
    )
    assert current_release_dir(home) != before  # the rest was loaded and built
    entry = history(home)[0]
    assert entry["outcome"] == "rejected" and entry["rejected"][0]["file"] == "day3/坏文件.xlsx"

    again = run(home, "refresh")  # the same bad file is not news: the timer stays quiet until it changes
    assert again.returncode == 0 and last_line(again).startswith("nothing new"), again.stderr
