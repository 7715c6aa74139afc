"""The ad hoc SQL sandbox: one implementation behind the workbench page and `gridpulse sql`.

A query must be exactly one statement of type SELECT — decided by DuckDB's own
parser (``duckdb.extract_statements``), never by string matching. It then runs
on a fresh read-only connection to the current release with external access
off (no files, URLs or environment), extension auto-install/auto-load off, no
spilling to disk, a time limit, a memory limit and a thread limit, and the
configuration locked so the query cannot loosen any of that. Results are
capped; a query that is refused, times out or runs out of memory raises
:class:`SandboxError` with a one-line reason in plain words.

Two ways in: :func:`run` in the calling process (the command line), and
:func:`run_isolated`, which runs the very same :func:`run` in a short-lived child
process (``python -m warehouse.sandbox_worker``) with a hard cap on its memory.
The dashboard uses the isolated path: it already holds the release open with a
different configuration (DuckDB refuses two configurations for one file in one
process), and a runaway query must not take the app or other sessions down with
it. Results come back as Arrow IPC; failures map to the same ``SandboxError``
kinds. :func:`export` turns a result into CSV, Excel or Parquet bytes.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa


def _env(name: str, default: str) -> Any:
    return field(default_factory=lambda: os.environ.get(name, default))


@dataclass(frozen=True)
class Limits:
    """The sandbox's limits; defaults come from ``GRIDPULSE_SQL_*`` at the time a Limits is made."""

    timeout_s: float = _env("GRIDPULSE_SQL_TIMEOUT_S", "30")
    memory_limit: str = _env("GRIDPULSE_SQL_MEMORY", "1GB")
    threads: int = _env("GRIDPULSE_SQL_THREADS", "1")
    max_rows_shown: int = _env("GRIDPULSE_SQL_MAX_ROWS", "10000")
    max_rows_export: int = _env("GRIDPULSE_SQL_MAX_EXPORT_ROWS", "100000")

    def __post_init__(self) -> None:
        for f in fields(self):  # values from the environment arrive as text
            object.__setattr__(self, f.name, {"float": float, "int": int, "str": str}[f.type](getattr(self, f.name)))


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
    except (duckdb.Error, pa.ArrowException, OSError, MemoryError) as exc:
        # Arrow conversion of a huge result fails outside DuckDB's buffer manager (OSError / MemoryError).
        raise _explain(exc, limits) from exc
    finally:
        con.close()
    truncated = table.num_rows > cap
    return QueryResult(table.slice(0, cap), truncated, time.perf_counter() - started)


def _explain(exc: BaseException, limits: Limits) -> SandboxError:
    text = str(exc)
    lower = text.lower()
    if "max_execution_time" in lower or "interrupt" in lower or "timeout" in lower:
        return _timeout(limits)
    if (isinstance(exc, duckdb.OutOfMemoryException | MemoryError) or "out of memory" in lower
            or "memory limit" in lower or "failed to allocate" in lower):
        return _out_of_memory(limits)
    if isinstance(exc, duckdb.PermissionException) or "disabled by configuration" in lower or "external access" in lower:
        return SandboxError("reading files, URLs or the environment is not allowed in the workbench", "refused")
    if "lock_configuration" in lower or "configuration has been locked" in lower:
        return SandboxError("changing settings is not allowed in the workbench", "refused")
    return SandboxError(_first_line(exc), "error")


def _timeout(limits: Limits) -> SandboxError:
    return SandboxError(f"the query ran longer than the {limits.timeout_s:g} s limit and was stopped", "timeout")


def _out_of_memory(limits: Limits) -> SandboxError:
    return SandboxError(f"the query needed more than the {limits.memory_limit} memory limit and was stopped", "memory")


# ── the isolated path: the same `run` in a child process ────────────────────────────────────────────

WORKER_MODULE = "warehouse.sandbox_worker"
STARTUP_GRACE_S = 15.0  # interpreter start, imports and the Arrow hand-over, on top of the query's time limit
_SLOTS = threading.BoundedSemaphore(max(1, int(os.environ.get("GRIDPULSE_SQL_CONCURRENCY", "4"))))
_UNITS = {"": 1, "b": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3, "tb": 1000**4,
          "kib": 1024, "mib": 1024**2, "gib": 1024**3, "tib": 1024**4}


def memory_bytes(text: str) -> int:
    """DuckDB's memory notation ('100MB', '1GB', '512MiB') in bytes."""
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)\s*", text)
    if not match or match.group(2).lower() not in _UNITS:
        raise ValueError(f"not a memory size: {text!r}")
    return int(float(match.group(1)) * _UNITS[match.group(2).lower()])


def process_memory_cap(limits: Limits) -> int:
    """Hard cap on the worker's data segment: twice DuckDB's own limit plus room for Python and Arrow.

    DuckDB's ``memory_limit`` governs its buffer manager; the cap is the backstop for everything
    else (e.g. Arrow buffers of a huge result), so an allocation fails inside the child instead
    of the machine running out of memory.
    """
    return 2 * memory_bytes(limits.memory_limit) + 768 * 1024**2


def run_isolated(sql: str, db_path: Path, limits: Limits | None = None, max_rows: int | None = None,
                 *, grace_s: float = STARTUP_GRACE_S) -> QueryResult:
    """:func:`run` in a child process: same checks, limits, results and ``SandboxError`` kinds.

    The query is checked here first (a refusal costs no process). The child is killed if it
    outlives the time limit plus ``grace_s``; a child that dies (killed for memory, crashed)
    is reported as a ``SandboxError`` too, and nothing of it stays in this process.
    """
    limits = limits or Limits()
    query = check(sql)
    request = json.dumps({"sql": query, "db": str(db_path), "limits": asdict(limits), "max_rows": max_rows})
    root = str(Path(__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)}
    deadline = max(0.1, limits.timeout_s + grace_s)
    if not _SLOTS.acquire(timeout=deadline):
        raise SandboxError("the workbench is busy with other queries; try again in a moment", "error")
    try:
        done = subprocess.run([sys.executable, "-m", WORKER_MODULE], input=request.encode(), capture_output=True,
                              timeout=deadline, cwd=root, env=env)
    except subprocess.TimeoutExpired as exc:
        raise _timeout(limits) from exc
    finally:
        _SLOTS.release()
    header, _, body = done.stdout.partition(b"\n")
    try:
        meta = json.loads(header) if header else None
    except ValueError:
        meta = None
    if done.returncode != 0 or not meta:
        raise _child_failure(done.returncode, done.stderr.decode("utf-8", "replace"), limits)
    if not meta["ok"]:
        raise SandboxError(meta["reason"], meta["kind"])
    table = pa.ipc.open_stream(body).read_all()
    return QueryResult(table, bool(meta["truncated"]), float(meta["seconds"]))


def _child_failure(returncode: int, stderr: str, limits: Limits) -> SandboxError:
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    if returncode in (-signal.SIGKILL, 137) or "memoryerror" in last.lower() or "bad_alloc" in stderr:
        return _out_of_memory(limits)
    if returncode < 0:
        return SandboxError(f"the query process stopped unexpectedly (signal {-returncode})", "error")
    return SandboxError(f"the query process failed: {last or f'exit status {returncode}'}", "error")


# ── exports ─────────────────────────────────────────────────────────────────────────────────────────

EXPORT_FORMATS = {
    "csv": ("text/csv", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "parquet": ("application/vnd.apache.parquet", "parquet"),
}
EXCEL_MAX_CHARS = 32767  # Excel's limit per cell


def _flat(table: pa.Table) -> pa.Table:
    """Nested and binary columns as JSON / hex text, time zones dropped — what CSV and Excel can hold."""
    import pyarrow.compute as pc

    columns = []
    for spec, column in zip(table.schema, table.columns, strict=True):
        kind = spec.type
        if pa.types.is_nested(kind):
            values = [None if v is None else json.dumps(v, ensure_ascii=False, default=str) for v in column.to_pylist()]
            column = pa.array(values, pa.string())
        elif pa.types.is_binary(kind) or pa.types.is_large_binary(kind) or pa.types.is_fixed_size_binary(kind):
            column = pa.array([None if v is None else v.hex() for v in column.to_pylist()], pa.string())
        elif pa.types.is_timestamp(kind) and kind.tz is not None:
            column = pc.local_timestamp(column)
        elif pa.types.is_decimal(kind):
            column = column.cast(pa.float64())
        elif pa.types.is_dictionary(kind):
            column = column.cast(kind.value_type)
        columns.append(column)
    return pa.Table.from_arrays(columns, names=table.column_names)


def export(table: pa.Table, fmt: str, limits: Limits | None = None) -> bytes:
    """A result as CSV (UTF-8 with BOM, so Excel opens Chinese text right), Excel or Parquet bytes.

    At most ``limits.max_rows_export`` rows are written.
    """
    limits = limits or Limits()
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (one of {sorted(EXPORT_FORMATS)})")
    table = table.slice(0, limits.max_rows_export)
    buffer = io.BytesIO()
    if fmt == "parquet":
        import pyarrow.parquet as pq

        pq.write_table(table, buffer, compression="zstd")
    elif fmt == "csv":
        import pyarrow.csv as pacsv

        buffer.write("\ufeff".encode())
        pacsv.write_csv(_flat(table), buffer)
    else:
        _write_excel(_flat(table), buffer)
    return buffer.getvalue()


def _write_excel(table: pa.Table, buffer: io.BytesIO) -> None:
    import datetime as dt

    import xlsxwriter

    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                        "strings_to_urls": False, "remove_timezone": True})
    sheet = book.add_worksheet("result")
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1})
    formats = {"datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
               "date": book.add_format({"num_format": "yyyy-mm-dd"})}
    sheet.write_row(0, 0, table.column_names, bold)
    widths = [min(40, max(8, len(name.encode("gbk", "replace")) + 2)) for name in table.column_names]
    for c, column in enumerate(table.columns):
        for r, value in enumerate(column.to_pylist(), start=1):
            if value is None:
                continue
            if isinstance(value, dt.datetime):
                sheet.write_datetime(r, c, value.replace(tzinfo=None), formats["datetime"])
            elif isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), formats["date"])
            elif isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, int | float):
                if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
                    sheet.write_string(r, c, str(value))
                else:
                    sheet.write_number(r, c, value)
            else:
                text = str(value)[:EXCEL_MAX_CHARS]
                sheet.write_string(r, c, text)
                if r <= 200:
                    widths[c] = min(60, max(widths[c], len(text.encode("gbk", "replace")) + 2))
    for c, width in enumerate(widths):
        sheet.set_column(c, c, width)
    sheet.freeze_panes(1, 0)
    if table.num_rows:
        sheet.autofilter(0, 0, table.num_rows, max(0, table.num_columns - 1))
    book.close()
