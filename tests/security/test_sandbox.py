"""Hostile queries through both doors of the sandbox: the Python API and `gridpulse sql`.

Each must be refused (or fail) with a plain reason and leave no trace: no file
written, no setting changed, the release file byte-identical.
"""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from warehouse.home.paths import DataHome
from warehouse.release.releases import DB_NAME
from warehouse.sandbox.query import Limits, SandboxError, check, run

TRAP = "/tmp/gridpulse_sandbox_trap"  # every write attempt targets this prefix

HOSTILE = [
    f"copy (select 1) to '{TRAP}.csv'",
    f"copy fct_cases to '{TRAP}.parquet' (format parquet)",
    f"export database '{TRAP}_export'",
    f"attach '{TRAP}.duckdb' as other",
    "detach memory",
    "install httpfs",
    "load httpfs",
    "set memory_limit = '64GB'",
    "set enable_external_access = true",
    "reset threads",
    "pragma enable_profiling",
    "call pragma_version()",
    "create table stolen as select * from fct_cases",
    "create view v as select 1",
    "create macro m(x) as x",
    "insert into fct_cases values (1, '澜北街道', 1)",
    "update fct_cases set street_name = 'x'",
    "delete from fct_cases",
    "drop table fct_cases",
    "alter table fct_cases rename to gone",
    "select 1; drop table fct_cases",
    "select 1; select 2",
    "select * from read_csv('/etc/passwd')",
    "select * from read_csv_auto('/etc/hostname')",
    "select * from read_parquet('/tmp/*.parquet')",
    "select * from read_json('/etc/os-release')",
    "select * from read_text('/etc/passwd')",
    "select * from read_blob('/etc/passwd')",
    "select * from glob('/etc/*')",
    "select * from '/etc/passwd'",
    "select * from 'https://example.invalid/x.csv'",
    "select * from read_csv('https://example.invalid/x.csv')",
    "select * from sniff_csv('/etc/passwd')",
    "select * from parquet_metadata('/tmp/x.parquet')",
    "select getenv('HOME')",
    f"select * from query('copy (select 1) to ''{TRAP}_q.csv''')",
    "vacuum",
    "checkpoint",
    "begin transaction",
    "explain analyze select 1",
    "",
]


def fingerprint(home: DataHome) -> tuple[str, list[str]]:
    db = home.releases / "r1" / DB_NAME
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    traps = sorted(str(p) for p in Path("/tmp").glob("gridpulse_sandbox_trap*"))
    files = sorted(str(p.relative_to(home.root)) for p in home.root.rglob("*"))
    return digest, traps + files


def cli(home: DataHome, query: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "GRIDPULSE_HOME": str(home.root), "GRIDPULSE_SQL_TIMEOUT_S": "3"}
    return subprocess.run(
        [sys.executable, "-m", "warehouse.cli", "sql", query],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )


def test_suite_is_big_enough():
    assert len(HOSTILE) >= 30


@pytest.mark.parametrize("query", HOSTILE)
def test_refused_by_the_api_without_side_effects(home, query):
    before = fingerprint(home)
    with pytest.raises(SandboxError) as err:
        run(query, home.releases / "r1" / DB_NAME, Limits(timeout_s=3))
    assert str(err.value) and "\n" not in str(err.value)
    assert fingerprint(home) == before


@pytest.mark.parametrize("query", HOSTILE[::3])
def test_refused_by_the_command_line_without_side_effects(home, query):
    before = fingerprint(home)
    result = cli(home, query)
    assert result.returncode != 0 and result.stdout == ""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert fingerprint(home) == before


def test_only_select_passes_the_parser_check():
    assert check(" select 1 ; ") == "select 1"
    assert check("with x as (select 1 as a) select a from x").startswith("with")
    for query in ("copy x to 'y'", "pragma version", "set threads=1", "select 1; select 2"):
        with pytest.raises(SandboxError):
            check(query)


def test_settings_cannot_be_loosened_from_inside(home):
    result = run(
        "select current_setting('enable_external_access') as ext, current_setting('lock_configuration') as locked",
        home.releases / "r1" / DB_NAME,
    )
    assert result.table.to_pylist() == [{"ext": False, "locked": True}]


def test_runaway_query_is_stopped_and_the_next_query_works(home):
    db = home.releases / "r1" / DB_NAME
    with pytest.raises(SandboxError) as err:
        run(
            "select count(*) from range(300000000) a, range(100000) b where a.range * b.range = -1",
            db,
            Limits(timeout_s=1),
        )
    assert err.value.kind == "timeout" and "1 s limit" in str(err.value)
    assert run("select count(*) as n from fct_cases", db).table.to_pylist() == [{"n": 5000}]


def test_memory_hungry_query_fails_cleanly_and_the_next_query_works(home):
    db = home.releases / "r1" / DB_NAME
    with pytest.raises(SandboxError) as err:
        run("select list(range) from range(200000000)", db, Limits(memory_limit="100MB"))
    assert err.value.kind == "memory"
    assert run("select count(*) as n from fct_cases", db).table.to_pylist() == [{"n": 5000}]


def test_rows_are_capped(home):
    db = home.releases / "r1" / DB_NAME
    result = run("select * from fct_cases", db, Limits(max_rows_shown=100))
    assert result.rows == 100 and result.truncated
    assert not run("select * from fct_cases", db, max_rows=5000).truncated


def test_command_line_prints_a_table_csv_and_json(home):
    table = cli(home, "select street_name, count(*) as n from fct_cases group by 1")
    assert table.returncode == 0 and "澜北街道" in table.stdout and "5000" in table.stdout
    env = {**os.environ, "GRIDPULSE_HOME": str(home.root)}
    out = subprocess.run(
        [sys.executable, "-m", "warehouse.cli", "sql", "select 1 as a, 'x' as b", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(out) == [{"a": 1, "b": "x"}]
    out = subprocess.run(
        [sys.executable, "-m", "warehouse.cli", "sql", "select 1 as a, 'x' as b", "--format", "csv"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.splitlines() == ["a,b", "1,x"]
