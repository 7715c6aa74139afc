"""Every SQL path has the same limits (issue 15 §5): `gridpulse sql` and the workbench alike.

The command line's memory limit holds for its whole process tree (peak RSS measured with wait4),
its time limit covers printing, and its output is capped in bytes; the workbench's results are
capped in bytes as well as rows and say "showing N of M"; concurrent queries beyond the slots are
told the sandbox is busy; refusals name the statement as written, in Chinese first.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import NamedTuple

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.test_admin_pages import run_sql
from tests.app.test_pages import run_page
from warehouse.home.paths import DataHome
from warehouse.release.releases import DB_NAME
from warehouse.sandbox import query as sandbox
from warehouse.sandbox.query import (
    PROCESS_HEADROOM,
    Limits,
    SandboxError,
    check,
    memory_bytes,
    run,
    run_isolated,
)
from warehouse.sandbox.workbench_store import WorkbenchStore

GIVE_UP_S = 120  # a command still running after this is killed (it shows as exit status -9)
WIDE = "select repeat('x', 10000) as s from range(5000)"  # 50 MB of text in 5,000 rows


def db_of(home: DataHome) -> Path:
    return home.releases / "r1" / DB_NAME


class Ran(NamedTuple):
    code: int
    stdout: bytes
    stderr: str
    peak_mb: int  # peak RSS of the command and its children


# Runs the command and reports its exit status and peak RSS. A separate small process, because Linux
# carries the spawning process's high-water mark into a child's ru_maxrss at exec: measured from
# pytest, every command would look at least as big as pytest.
MEASURE = """
import json, os, subprocess, sys, time
report, give_up, command = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
child = subprocess.Popen(command)
deadline = time.monotonic() + give_up
while True:  # wait4: the rusage of that child and its waited-for children
    pid, status, usage = os.wait4(child.pid, os.WNOHANG)
    if pid:
        break
    if time.monotonic() > deadline:
        child.kill()
        _, status, usage = os.wait4(child.pid, 0)
        break
    time.sleep(0.05)
with open(report, "w") as out:
    json.dump({"code": os.waitstatus_to_exitcode(status), "peak_kb": usage.ru_maxrss}, out)
"""


def cli(home: DataHome, *args: str, stdout: int | None = None, **env: str) -> Ran:
    """Run `gridpulse sql` with ``env`` added to the environment."""
    environ = {**os.environ, "GRIDPULSE_HOME": str(home.root), **env}
    with (
        tempfile.TemporaryDirectory() as tmp,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryFile() as out,
    ):
        report = Path(tmp) / "report.json"
        command = [sys.executable, "-m", "warehouse.cli", "sql", *args]
        subprocess.run(
            [sys.executable, "-c", MEASURE, str(report), str(GIVE_UP_S), *command],
            env=environ,
            stdin=subprocess.DEVNULL,
            stdout=out if stdout is None else stdout,
            stderr=err,
            check=True,
        )
        measured = json.loads(report.read_text())
        err.seek(0)
        out.seek(0)
        return Ran(measured["code"], out.read(), err.read().decode(), measured["peak_kb"] // 1024)


# ── gridpulse sql ──────────────────────────────────────────────────────────────────────────────────
def test_cli_memory_limit_holds_for_the_whole_command(home):
    """1 GB of projected strings under a 100MB limit: stopped with a memory error, the processes stay small.

    (Before: the command materialised the result in Python and peaked near 3 GB here.)
    """
    ran = cli(
        home,
        "select repeat('x', 1000000) as s from range(1000)",
        "--format",
        "csv",
        GRIDPULSE_SQL_MEMORY="100MB",
    )
    assert ran.code == 1 and ran.stdout == b""
    err = ran.stderr
    assert err.count("\n") == 1 and err.startswith("error: ") and "100MB" in err and "内存" in err, err
    bound_mb = (memory_bytes("100MB") + PROCESS_HEADROOM) // 2**20 + 200  # + code and shared libraries
    assert ran.peak_mb < bound_mb, f"peak RSS {ran.peak_mb} MB, bound {bound_mb} MB"


def test_cli_output_is_capped_in_bytes_and_says_so(home):
    ran = cli(home, WIDE, GRIDPULSE_SQL_MAX_BYTES="1MB")
    assert ran.code == 0, ran.stderr
    assert len(ran.stdout) < 1.2 * 10**6 and ran.stdout.startswith(b"s\n")
    shown = ran.stdout.count(b"\nxxxx")
    assert 50 < shown < 5000
    assert f"{shown} row(s) of 5,000 (truncated at the 1MB cap" in ran.stderr
    assert "GRIDPULSE_SQL_MAX_BYTES" in ran.stderr
    ran = cli(home, WIDE, "--format", "csv", GRIDPULSE_SQL_MAX_EXPORT_BYTES="2MB")
    assert ran.code == 0 and 1.5 * 10**6 < len(ran.stdout) < 2.2 * 10**6
    assert "GRIDPULSE_SQL_MAX_EXPORT_BYTES" in ran.stderr


def test_cli_time_limit_covers_printing(home):
    """Nobody reads the output: the command stops at the time limit instead of blocking for ever."""
    read_end, write_end = os.pipe()  # a pipe whose reader never reads: writes block once its buffer is full
    try:
        ran = cli(
            home,
            "select repeat('x', 1000) as s from range(5000)",
            stdout=write_end,
            GRIDPULSE_SQL_TIMEOUT_S="1",
        )
    finally:
        os.close(read_end)
        os.close(write_end)
    err = ran.stderr
    assert ran.code == 1 and err.count("\n") == 1 and "1 s limit" in err and "output" in err, err


def test_cli_refuses_bad_limits_in_one_line(home):
    ran = cli(home, "select 1", GRIDPULSE_SQL_MAX_BYTES="lots")
    assert ran.code == 2 and ran.stderr == "error: GRIDPULSE_SQL_MAX_BYTES: not a memory size: 'lots'\n"


# ── the workbench's results ────────────────────────────────────────────────────────────────────────
def test_isolated_result_is_capped_in_bytes_and_counted(monkeypatch, home):
    """10 GB a query could return: the child streams 4 MB of it; this process grows by little more."""
    monkeypatch.setenv("GRIDPULSE_SQL_MAX_BYTES", "4MB")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = run_isolated(
        "select repeat('x', 100000) as s from range(100000)", db_of(home), Limits(memory_limit="100MB")
    )
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert result.truncated and result.capped_by == "bytes" and result.total_rows == 100_000
    assert 30 < result.rows < 41 and result.table.nbytes <= 4 * 10**6
    assert grown_mb < 60, f"this process grew by {grown_mb:.0f} MB"
    rows = run_isolated("select * from fct_cases", db_of(home), max_rows=1000)
    assert (rows.rows, rows.truncated, rows.capped_by, rows.total_rows) == (1000, True, "rows", 5000)
    exact = run_isolated("select * from fct_cases limit 1000", db_of(home), max_rows=1000)
    assert (exact.rows, exact.truncated, exact.total_rows) == (1000, False, 1000)


def test_in_process_run_has_the_same_caps(home):
    result = run(WIDE, db_of(home), max_bytes=10**6)
    assert result.truncated and result.capped_by == "bytes" and result.total_rows == 5000
    assert (
        result.table.nbytes <= 10**6 and result.rows == run_isolated(WIDE, db_of(home), max_bytes=10**6).rows
    )


def test_queries_beyond_the_slots_are_told_the_sandbox_is_busy(monkeypatch, home):
    slots = threading.BoundedSemaphore(1)
    monkeypatch.setattr(sandbox, "_SLOTS", slots)
    monkeypatch.setattr(sandbox, "CONCURRENCY", 1)
    monkeypatch.setattr(sandbox, "SLOT_WAIT_S", 0.2)
    slots.acquire()  # another query holds the only slot
    try:
        with pytest.raises(SandboxError) as err:
            run_isolated("select 1", db_of(home))
        assert err.value.kind == "busy" and "正忙" in err.value.zh and "try again" in err.value.en
    finally:
        slots.release()
    assert run_isolated("select 1 as n", db_of(home)).table.to_pylist() == [{"n": 1}]


# ── refusals name the statement ────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("install httpfs", "INSTALL"),
        ("force install httpfs", "FORCE INSTALL"),
        ("load httpfs", "LOAD"),
        ("update extensions", "UPDATE EXTENSIONS"),
        ("checkpoint", "CHECKPOINT"),
        ("import database '/tmp/gridpulse_sandbox_trap_db'", "IMPORT"),
        ("copy from database memory to other", "COPY"),
        ("truncate fct_cases", "TRUNCATE"),
        ("use memory", "USE"),
        ("analyze", "ANALYZE"),
        ("deallocate p", "DEALLOCATE"),
        ("comment on table fct_cases is 'x'", "COMMENT"),
        ("pivot fct_cases on n", "PIVOT"),
        ("with x as (select 1) insert into fct_cases select 1, 'x', 1", "INSERT"),
    ],
)
def test_refusal_names_the_statement_as_written(query, name):
    with pytest.raises(SandboxError) as err:
        check(query)
    assert err.value.kind == "refused"
    assert err.value.zh.startswith(f"只允许 SELECT 查询，这是一条 {name} 语句")
    assert f" {name} statement" in err.value.en and "\n" not in str(err.value)
    assert str(err.value).startswith(err.value.zh) and str(err.value).endswith(err.value.en)


def test_cli_refusal_says_install_not_load(home):
    ran = cli(home, "install httpfs")
    err = ran.stderr
    assert ran.code == 1 and err.count("\n") == 1
    assert (
        "INSTALL" in err and "LOAD" not in err and err.index("安装扩展") < err.index("installs an extension")
    )


# ── the workbench page ─────────────────────────────────────────────────────────────────────────────
def workbench(monkeypatch, home: DataHome, lang: str = "zh") -> AppTest:
    at = run_page(monkeypatch, home.root, "views/workbench.py", lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_workbench_shows_n_of_m_for_a_byte_capped_result(monkeypatch, home):
    monkeypatch.setenv("GRIDPULSE_SQL_MAX_BYTES", "1MB")
    at = run_sql(workbench(monkeypatch, home), WIDE)
    grid = next(d.value for d in at.dataframe if list(d.value.columns) == ["s"])
    assert 50 < len(grid) < 5000
    assert any(f"显示 {len(grid)} 行，共 5,000 行" in m.value for m in at.markdown)
    assert len(at.warning) == 1 and "结果已截断" in at.warning[0].value and "1MB" in at.warning[0].value
    assert "1MB" in at.caption[0].value  # the page's introduction names the byte caps


def test_workbench_busy_and_refusals_read_chinese_first(monkeypatch, home):
    at = run_sql(workbench(monkeypatch, home), "install httpfs")
    shown = at.error[0].value
    assert shown.startswith("**查询被拒绝**：只允许 SELECT 查询，这是一条 INSTALL 语句（安装扩展）")
    # GridPulse's own reason is Chinese only in the Chinese UI
    assert "this is an INSTALL statement" not in shown
    english = run_sql(workbench(monkeypatch, home, "en"), "install httpfs").error[0].value
    assert (
        english.startswith("**Query refused**")
        and "only SELECT queries are allowed; this is an INSTALL" in english
    )
    assert "安装" not in english

    slots = threading.BoundedSemaphore(1)
    monkeypatch.setattr(sandbox, "_SLOTS", slots)
    monkeypatch.setattr(sandbox, "SLOT_WAIT_S", 0.2)
    slots.acquire()
    try:
        run_sql(at, "select 1")
    finally:
        slots.release()
    assert at.error[0].value.startswith("**繁忙**：SQL 沙箱正忙：同时最多运行 2 个查询，请稍后再试")
    assert WorkbenchStore.for_home(home).history(limit=1)[0].status == "busy"
    assert not run_sql(at, "select 1 as n").error
