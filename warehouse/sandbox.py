"""The ad hoc SQL sandbox: one implementation behind the workbench page and `gridpulse sql`.

A query must be exactly one statement of type SELECT — decided by DuckDB's own
parser (``duckdb.extract_statements``), never by string matching. It then runs
on a fresh read-only connection to the current release with external access
off (no files, URLs or environment), extension auto-install/auto-load off, no
spilling to disk, a time limit, a memory limit and a thread limit, and the
configuration locked so the query cannot loosen any of that. Results are
capped; a query that is refused, times out or runs out of memory raises
:class:`SandboxError` with a one-line reason in plain words.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa


@dataclass(frozen=True)
class Limits:
    timeout_s: float = float(os.environ.get("GRIDPULSE_SQL_TIMEOUT_S", "30"))
    memory_limit: str = os.environ.get("GRIDPULSE_SQL_MEMORY", "1GB")
    threads: int = int(os.environ.get("GRIDPULSE_SQL_THREADS", "1"))
    max_rows_shown: int = int(os.environ.get("GRIDPULSE_SQL_MAX_ROWS", "10000"))
    max_rows_export: int = int(os.environ.get("GRIDPULSE_SQL_MAX_EXPORT_ROWS", "100000"))


class SandboxError(Exception):
    """A query the sandbox refused or stopped; ``str()`` is the plain-language reason."""

    def __init__(self, reason: str, kind: str):
        super().__init__(reason)
        self.kind = kind  # refused | timeout | memory | error


@dataclass
class QueryResult:
    table: pa.Table
    truncated: bool
    seconds: float

    @property
    def rows(self) -> int:
        return self.table.num_rows


def check(sql: str) -> str:
    """The single SELECT statement in ``sql``, or SandboxError(refused) saying why not."""
    if not sql or not sql.strip():
        raise SandboxError("the query is empty", "refused")
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise SandboxError(f"SQL syntax error: {_first_line(exc)}", "refused") from exc
    if len(statements) != 1:
        raise SandboxError(f"exactly one statement is allowed, this has {len(statements)}", "refused")
    statement = statements[0]
    if statement.type != duckdb.StatementType.SELECT:
        kind = statement.type.name.replace("_", " ")
        article = "an" if kind[0] in "AEIOU" else "a"
        raise SandboxError(f"only SELECT queries are allowed; this is {article} {kind} statement", "refused")
    return statement.query.strip().rstrip(";").strip()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def connect(db_path: Path, limits: Limits) -> duckdb.DuckDBPyConnection:
    """A locked-down, read-only connection to ``db_path``."""
    con = duckdb.connect(
        str(db_path),
        read_only=True,
        config={
            "enable_external_access": False,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "allow_community_extensions": False,
            "temp_directory": "",
            "memory_limit": limits.memory_limit,
            "threads": limits.threads,
            "max_execution_time": int(limits.timeout_s * 1000),
            "lock_configuration": True,
        },
    )
    return con


def run(sql: str, db_path: Path, limits: Limits | None = None, max_rows: int | None = None) -> QueryResult:
    """Run one checked SELECT in the sandbox; at most ``max_rows`` rows come back."""
    limits = limits or Limits()
    query = check(sql)
    cap = max_rows if max_rows is not None else limits.max_rows_shown
    started = time.perf_counter()
    con = connect(db_path, limits)
    try:
        reader = con.sql(query).to_arrow_reader(min(cap + 1, 65536))
        batches, count = [], 0
        for batch in reader:
            batches.append(batch)
            count += batch.num_rows
            if count > cap:
                break
        table = pa.Table.from_batches(batches, schema=reader.schema) if batches else reader.schema.empty_table()
    except duckdb.Error as exc:
        raise _explain(exc, limits) from exc
    finally:
        con.close()
    truncated = table.num_rows > cap
    return QueryResult(table.slice(0, cap), truncated, time.perf_counter() - started)


def _explain(exc: duckdb.Error, limits: Limits) -> SandboxError:
    text = str(exc)
    lower = text.lower()
    if "max_execution_time" in lower or "interrupt" in lower or "timeout" in lower:
        return SandboxError(f"the query ran longer than the {limits.timeout_s:g} s limit and was stopped", "timeout")
    if isinstance(exc, duckdb.OutOfMemoryException) or "out of memory" in lower or "memory limit" in lower:
        return SandboxError(f"the query needed more than the {limits.memory_limit} memory limit and was stopped", "memory")
    if isinstance(exc, duckdb.PermissionException) or "disabled by configuration" in lower or "external access" in lower:
        return SandboxError("reading files, URLs or the environment is not allowed in the workbench", "refused")
    if "lock_configuration" in lower or "configuration has been locked" in lower:
        return SandboxError("changing settings is not allowed in the workbench", "refused")
    return SandboxError(_first_line(exc), "error")
