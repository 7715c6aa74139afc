"""The workbench's door to the sandbox: `run_isolated` runs the same `run` in a child process.

Timeouts and memory blow-ups end in the child, not in this process, and the next query works;
hostile queries are refused (by the parent's parser check or by the child's locked-down
connection) and leave no trace — through the API and through the workbench page.
"""

import hashlib
import resource
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.test_pages import signed_in
from tests.security.test_sandbox import HOSTILE
from warehouse.access import audit
from warehouse.home.paths import DataHome
from warehouse.release.releases import DB_NAME
from warehouse.sandbox.query import (
    PROCESS_HEADROOM,
    Limits,
    SandboxError,
    memory_bytes,
    process_memory_cap,
    run_isolated,
)
from warehouse.sandbox.workbench_store import WorkbenchStore

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
TRAP = "/tmp/gridpulse_isolated_trap"
COUNT = "select count(*) as n from fct_cases"


def db_of(home: DataHome) -> Path:
    return home.releases / "r1" / DB_NAME


def fingerprint(home: DataHome) -> tuple[str, list[str]]:
    """The release's bytes, the trap files and every file of the data home but the workbench's own store
    and the audit log (which the page writes each query to)."""
    digest = hashlib.sha256(db_of(home).read_bytes()).hexdigest()
    traps = sorted(str(p) for p in Path("/tmp").glob("gridpulse_*trap*"))
    files = sorted(
        str(p.relative_to(home.root))
        for p in home.root.rglob("*")
        if not p.name.startswith("workbench.db") and home.audit_log.parent not in (p, p.parent)
    )
    return digest, traps + files


def works(home: DataHome) -> None:
    assert run_isolated(COUNT, db_of(home)).table.to_pylist() == [{"n": 5000}]


def test_a_normal_query_comes_back_as_arrow(home):
    result = run_isolated("select street_name, count(*) as n from fct_cases group by 1", db_of(home))
    assert result.table.to_pylist() == [{"street_name": "澜北街道", "n": 5000}]
    assert not result.truncated and result.seconds >= 0
    capped = run_isolated("select * from fct_cases", db_of(home), Limits(max_rows_shown=10))
    assert capped.rows == 10 and capped.truncated
    assert run_isolated("select * from fct_cases", db_of(home), max_rows=5000).rows == 5000


def test_settings_in_the_child_are_locked_down(home):
    result = run_isolated(
        "select current_setting('enable_external_access') as ext, "
        "current_setting('lock_configuration') as locked, current_setting('threads') as threads",
        db_of(home),
        Limits(threads=1),
    )
    assert result.table.to_pylist() == [{"ext": False, "locked": True, "threads": 1}]


def test_timeout_in_the_child_and_the_next_query_works(home):
    with pytest.raises(SandboxError) as err:
        run_isolated(
            "select count(*) from range(300000000) a, range(100000) b where a.range * b.range = -1",
            db_of(home),
            Limits(timeout_s=1),
        )
    assert err.value.kind == "timeout" and "1 s limit" in str(err.value)
    works(home)


def test_a_child_that_outlives_its_deadline_is_killed(home):
    # No grace: the parent's deadline comes before DuckDB's own interrupt, so the parent kills the child.
    with pytest.raises(SandboxError) as err:
        run_isolated(
            "select count(*) from range(300000000) a, range(100000) b where a.range * b.range = -1",
            db_of(home),
            Limits(timeout_s=2),
            grace_s=-1.5,
        )
    assert err.value.kind == "timeout"
    works(home)


def test_memory_limit_in_the_child_and_the_next_query_works(home):
    with pytest.raises(SandboxError) as err:
        run_isolated("select list(range) from range(200000000)", db_of(home), Limits(memory_limit="100MB"))
    assert err.value.kind == "memory" and "100MB" in str(err.value)
    works(home)


def test_memory_outside_duckdb_is_capped_in_the_child_not_here(home):
    """5 GB of result strings: beyond DuckDB's buffer manager, stopped by the child's own memory cap."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(SandboxError) as err:
        run_isolated(
            "select repeat('x', 1000000) as s from range(5000)", db_of(home), Limits(memory_limit="100MB")
        )
    assert err.value.kind == "memory"
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 300 * 1024, f"this process grew by {grown_kib / 1024:.0f} MB"
    works(home)


def test_memory_notation():
    assert (
        memory_bytes("100MB") == 100_000_000
        and memory_bytes("1GiB") == 2**30
        and memory_bytes("2 gb") == 2 * 10**9
    )
    assert process_memory_cap(Limits(memory_limit="1GB")) == 10**9 + PROCESS_HEADROOM
    for bad in ("lots", "0MB", "12 parsecs"):
        with pytest.raises(ValueError):
            memory_bytes(bad)


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_are_refused_through_the_isolated_path(home, query):
    before = fingerprint(home)
    with pytest.raises(SandboxError) as err:
        run_isolated(query, db_of(home), Limits(timeout_s=3))
    assert str(err.value) and "\n" not in str(err.value)
    assert err.value.kind in ("refused", "error")
    assert fingerprint(home) == before


@pytest.mark.parametrize(
    "query",
    [
        f"copy (select 1) to '{TRAP}.csv'",
        "select * from read_csv('/etc/passwd')",
        f"select * from query('copy (select 1) to ''{TRAP}_q.csv''')",
        "attach ':memory:' as m",
    ],
)
def test_hostile_query_through_the_workbench_page_is_refused_and_writes_nothing(monkeypatch, home, query):
    monkeypatch.setenv("GRIDPULSE_HOME", str(home.root))
    at = signed_in(AppTest.from_file(APP, default_timeout=90), home.root, "analyst")
    before = fingerprint(home)
    at.session_state["lang"] = "en"
    at.run()  # registers st.navigation's pages (custom url paths)
    at.switch_page("views/workbench.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.text_area(key="wb_sql").set_value(query)
    at.button(key="wb_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1
    shown = at.error[0].value
    assert shown.startswith(("**Query refused**", "**Query failed**")) and "Traceback" not in shown
    assert not at.get("download_button")  # no result, nothing to download
    assert fingerprint(home) == before
    latest = WorkbenchStore.for_home(home).history(limit=1)[0]
    assert latest.sql == query and latest.status in ("refused", "error") and latest.rows is None
    logged = audit.read(home, events=["sql"])[-1]
    assert logged["sql"] == query and logged["refused"] is True and logged["user"] == "test-analyst"
