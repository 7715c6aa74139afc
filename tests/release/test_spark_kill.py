"""A Spark build killed with kill -9 while Spark writes takes its dbt child and the JVM with it, leaves
the current release as it was, and the next build removes both its release folder and its Spark scratch
(the tables Spark had written: at province scale, gigabytes)."""

from __future__ import annotations

import os
import signal
import time

import pytest

from tests.loader.test_load_crash import gridpulse, run
from tests.processes import alive, descendants
from warehouse.home.paths import DataHome
from warehouse.release.releases import current_release_dir
from warehouse.release.spark import SCRATCH, unavailable

pytestmark = pytest.mark.skipif(
    unavailable() is not None, reason=f"Spark build not possible: {unavailable()}"
)
NODES_BEFORE_KILL = 30  # dbt nodes Spark has finished: the JVM runs and has written tables


def command(pid: int) -> str:
    try:
        return open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""


def test_a_killed_spark_build_ends_spark_and_the_next_build_removes_its_scratch(tmp_path):
    home = DataHome(tmp_path / "home")
    assert run(home, "generate", "--scale", "0.02", "--days", "20").returncode == 0
    assert run(home, "load").returncode == 0
    assert run(home, "build").returncode == 0
    current = current_release_dir(home)

    build = gridpulse(home, "build", "--engine", "spark")
    said, finished = [], 0
    assert build.stderr is not None
    for line in build.stderr:
        said.append(line)
        finished += " of " in line and (" OK " in line or " PASS " in line)
        if finished >= NODES_BEFORE_KILL:
            break
    else:
        build.wait()
        pytest.fail(f"the Spark build ended before it was killed: {''.join(said)[-2000:]}")
    below = descendants(build.pid)
    assert any("java" in command(p) for p in below), [command(p) for p in below]
    scratch = home.root / SCRATCH
    assert list(scratch.glob("*")), "Spark writes its tables under the scratch folder"
    os.kill(build.pid, signal.SIGKILL)
    build.wait(timeout=60)

    deadline = time.monotonic() + 60
    while any(alive(p) for p in below) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [command(p) for p in below if alive(p)], "dbt or the JVM outlived the killed build"
    assert current_release_dir(home) == current

    again = run(home, "build")
    assert again.returncode == 0, again.stderr[-3000:]
    assert not list(scratch.glob("*")), "the killed build's Spark scratch is still there"
    assert current_release_dir(home) != current
