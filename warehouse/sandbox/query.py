"""The ad hoc SQL sandbox: one implementation behind the workbench page and `gridpulse sql`.

A query must be exactly one statement of type SELECT — decided by DuckDB's own
parser (``duckdb.extract_statements``), never by string matching. It then runs
on a fresh read-only connection to the current release with external access
off (no files, URLs or environment), extension auto-install/auto-load off, no
spilling to disk, a time limit, a memory limit and a thread limit, and the
configuration locked so the query cannot loosen any of that. Results are
capped in rows and in bytes; a query that is refused, times out or runs out of
memory raises :class:`SandboxError` with a one-line reason, in Chinese and English.

Both the workbench and `gridpulse sql` go through :func:`run_isolated`: the checked
query runs in a short-lived child process (``python -m warehouse.sandbox.worker``)
whose whole memory is capped (DuckDB's ``memory_limit`` only governs its buffer
manager: a projection's strings and the Arrow result live outside it). The child
streams the capped result back as Arrow IPC batches, so neither process ever holds
more than the byte cap of it. At most ``GRIDPULSE_SQL_CONCURRENCY`` children run at
once per process; another query waits briefly, then is told the sandbox is busy.
:func:`run` is the same query in the calling process (the child's own path, and tests).
:func:`export` turns a result into CSV, Excel or Parquet bytes.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import IO, Any

import duckdb
import pyarrow as pa


def _env(name: str, default: str) -> Any:
    return field(default_factory=lambda: os.environ.get(name, default), metadata={"env": name})


@dataclass(frozen=True)
class Limits:
    """The sandbox's limits; defaults come from ``GRIDPULSE_SQL_*`` at the time a Limits is made.

    Sizes are in DuckDB's notation ('1GB', '512MiB', '16MB').
    """

    timeout_s: float = _env("GRIDPULSE_SQL_TIMEOUT_S", "30")
    memory_limit: str = _env("GRIDPULSE_SQL_MEMORY", "1GB")
    threads: int = _env("GRIDPULSE_SQL_THREADS", "1")
    max_rows_shown: int = _env("GRIDPULSE_SQL_MAX_ROWS", "10000")
    max_rows_export: int = _env("GRIDPULSE_SQL_MAX_EXPORT_ROWS", "100000")
    max_bytes_shown: str = _env("GRIDPULSE_SQL_MAX_BYTES", "16MB")
    max_bytes_export: str = _env("GRIDPULSE_SQL_MAX_EXPORT_BYTES", "128MB")

    def __post_init__(self) -> None:
        for f in fields(self):  # values from the environment arrive as text
            try:
                value = {"float": float, "int": int, "str": str}[f.type](getattr(self, f.name))
                if f.type == "str":
                    memory_bytes(value)
                elif value <= 0:
                    raise ValueError(f"must be positive: {value}")
            except ValueError as exc:
                raise ValueError(f"{f.metadata.get('env', f.name)}: {exc}") from None
            object.__setattr__(self, f.name, value)

    def caps(self, export: bool = False) -> tuple[int, int]:
        """(rows, bytes) a result may hold: the grid's or the download's."""
        if export:
            return self.max_rows_export, memory_bytes(self.max_bytes_export)
        return self.max_rows_shown, memory_bytes(self.max_bytes_shown)


class SandboxError(Exception):
    """A query the sandbox refused or stopped: ``zh`` and ``en`` say why; ``str()`` is both on one line.
    ``detail`` is DuckDB's (or the query process's) own message, shown as it is in either language."""

    def __init__(self, reason: str, kind: str, zh: str | None = None, detail: str | None = None):
        super().__init__(f"{zh} — {reason}" if zh else reason)
        self.en = reason
        self.zh = zh
        self.kind = kind  # refused | timeout | memory | busy | error
        self.detail = detail


@dataclass
class QueryResult:
    table: pa.Table
    truncated: bool  # the query returned more than the table holds
    seconds: float
    total_rows: int | None = (
        None  # every row the query returns; None if a truncated result was not counted in time
    )
    capped_by: str | None = None  # "rows" or "bytes": which cap cut a truncated result

    @property
    def rows(self) -> int:
        return self.table.num_rows


# ── which statement is it ───────────────────────────────────────────────────────────────────────────
# Named by the statement's leading keyword(s), as the user wrote it: DuckDB files several statements
# under another type (INSTALL and LOAD are both LOAD; CHECKPOINT is CALL; IMPORT DATABASE is PRAGMA).
STATEMENTS = {
    "INSTALL": ("安装扩展", "installs an extension"),
    "FORCE INSTALL": ("安装扩展", "installs an extension"),
    "LOAD": ("加载扩展", "loads an extension"),
    "UPDATE EXTENSIONS": ("更新扩展", "updates extensions"),
    "INSERT": ("写入数据", "adds rows"),
    "UPDATE": ("修改数据", "changes rows"),
    "DELETE": ("删除数据", "deletes rows"),
    "TRUNCATE": ("清空表", "empties a table"),
    "MERGE": ("合并写入数据", "merges rows into a table"),
    "CREATE": ("创建对象", "creates an object"),
    "DROP": ("删除对象", "drops an object"),
    "ALTER": ("修改对象", "alters an object"),
    "COMMENT": ("修改注释", "changes a comment"),
    "COPY": ("读写文件或复制数据库", "copies to or from files or databases"),
    "EXPORT": ("导出数据库", "exports the database"),
    "IMPORT": ("导入数据库", "imports a database"),
    "ATTACH": ("挂接数据库", "attaches a database"),
    "DETACH": ("卸下数据库", "detaches a database"),
    "USE": ("切换数据库", "switches the database"),
    "SET": ("修改设置", "changes a setting"),
    "RESET": ("修改设置", "changes a setting"),
    "PRAGMA": ("编译指令", "runs a pragma"),
    "CALL": ("调用表函数", "calls a table function"),
    "CHECKPOINT": ("写检查点", "writes a checkpoint"),
    "VACUUM": ("整理存储", "vacuums storage"),
    "ANALYZE": ("收集统计信息", "gathers statistics"),
    "BEGIN": ("事务控制", "controls a transaction"),
    "START": ("事务控制", "controls a transaction"),
    "COMMIT": ("事务控制", "controls a transaction"),
    "END": ("事务控制", "controls a transaction"),
    "ROLLBACK": ("事务控制", "controls a transaction"),
    "ABORT": ("事务控制", "controls a transaction"),
    "EXPLAIN": ("查看执行计划", "shows a query plan"),
    "PREPARE": ("预备语句", "prepares a statement"),
    "EXECUTE": ("执行预备语句", "executes a prepared statement"),
    "DEALLOCATE": ("释放预备语句", "drops a prepared statement"),
    "PIVOT": (
        "动态透视，须先创建类型；请用 PIVOT … ON … IN (…) 列出取值",
        "creates types for the values it pivots on; list them with PIVOT … ON … IN (…)",
    ),
}


def statement_name(statement: Any) -> tuple[str, str | None, str | None]:
    """(NAME, 中文, English) of a parsed statement: its leading keyword(s), else DuckDB's statement type."""
    text = statement.query
    words = [
        text[pos:].split(None, 1)[0].upper()
        for pos, kind in duckdb.tokenize(text)
        if kind == duckdb.token_type.keyword
    ][:2]
    for name in (" ".join(words[:2]), words[0] if words else ""):
        if name in STATEMENTS:
            return name, *STATEMENTS[name]
    try:
        return statement.type.name.replace("_", " "), None, None
    except ValueError:  # a statement type the Python API cannot name
        return (words[0] if words else "UNKNOWN"), None, None


def check(sql: str) -> str:
    """The single SELECT statement in ``sql``, or SandboxError(refused) saying why not."""
    if not sql or not sql.strip():
        raise SandboxError("the query is empty", "refused", "查询是空的")
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise SandboxError(
            f"SQL syntax error: {_first_line(exc)}", "refused", "SQL 语法错误", _first_line(exc)
        ) from exc
    if len(statements) != 1:
        n = len(statements)
        raise SandboxError(
            f"exactly one statement is allowed, this has {n}", "refused", f"只允许一条语句，这里有 {n} 条"
        )
    statement = statements[0]
    try:
        is_select = statement.type == duckdb.StatementType.SELECT
    except ValueError:  # e.g. UPDATE EXTENSIONS: a type the Python API has no name for — not a SELECT
        is_select = False
    if not is_select:
        name, zh, en = statement_name(statement)
        article = "a" if name == "USE" or name[0] not in "AEIOU" else "an"
        raise SandboxError(
            f"only SELECT queries are allowed; this is {article} {name} statement"
            + (f", which {en}" if en else ""),
            "refused",
            f"只允许 SELECT 查询，这是一条 {name} 语句" + (f"（{zh}）" if zh else ""),
        )
    return statement.query.strip().rstrip(";").strip()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# ── running a query ─────────────────────────────────────────────────────────────────────────────────
BATCH_ROWS = 256  # Arrow batch size: a batch of wide rows stays small next to the byte cap


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


class CappedResult:
    """One query's result as Arrow batches, cut at ``max_rows`` rows or ``max_bytes`` bytes, whichever comes first.

    Iterate for the batches; afterwards ``truncated``/``capped_by`` say whether a cap cut the result and
    :meth:`count_all` counts every row the query returns, within the time left.
    """

    def __init__(
        self, con: duckdb.DuckDBPyConnection, query: str, limits: Limits, max_rows: int, max_bytes: int
    ):
        self.con, self.query, self.limits = con, query, limits
        self.max_rows, self.max_bytes = max_rows, max_bytes
        self.started = time.monotonic()
        self.reader = con.sql(query).to_arrow_reader(BATCH_ROWS)
        self.schema = self.reader.schema
        self.rows = self.bytes = 0
        self.capped_by: str | None = None

    @property
    def truncated(self) -> bool:
        return self.capped_by is not None

    def __iter__(self) -> Iterator[pa.RecordBatch]:
        for batch in self.reader:
            fit = _rows_that_fit(batch, self.max_rows - self.rows, self.max_bytes - self.bytes)
            if fit:
                part = batch.slice(0, fit)
                self.rows += fit
                self.bytes += part.nbytes
                yield part
            if fit < batch.num_rows:
                self.capped_by = "rows" if self.rows >= self.max_rows else "bytes"
                break
        self.reader.close()

    def count_all(self) -> int | None:
        """Every row the query returns (DuckDB drops the columns a count does not need), or None if out of time."""
        if not self.truncated:
            return self.rows
        left = self.limits.timeout_s - (time.monotonic() - self.started)
        if left <= 0:
            return None
        timer = threading.Timer(left, self.con.interrupt)
        timer.start()
        try:
            row = self.con.execute(f"select count(*) from (\n{self.query}\n)").fetchone()
            return int(row[0]) if row else None
        except (duckdb.Error, MemoryError):
            return None
        finally:
            timer.cancel()


def _rows_that_fit(batch: pa.RecordBatch, rows: int, nbytes: int) -> int:
    """How many leading rows of ``batch`` fit in ``rows`` rows and ``nbytes`` bytes."""
    n = max(0, min(rows, batch.num_rows))
    if n == 0 or batch.slice(0, n).nbytes <= nbytes:
        return n
    low, high = 0, n  # batch.slice(0, low) fits, batch.slice(0, high) does not
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if batch.slice(0, middle).nbytes <= nbytes else (low, middle)
    return low


def run(
    sql: str,
    db_path: Path,
    limits: Limits | None = None,
    max_rows: int | None = None,
    max_bytes: int | None = None,
) -> QueryResult:
    """Run one checked SELECT in this process; at most ``max_rows`` rows and ``max_bytes`` bytes come back."""
    limits = limits or Limits()
    query = check(sql)
    rows_cap, bytes_cap = limits.caps()
    started = time.perf_counter()
    con = connect(db_path, limits)
    try:
        result = CappedResult(
            con,
            query,
            limits,
            rows_cap if max_rows is None else max_rows,
            bytes_cap if max_bytes is None else max_bytes,
        )
        table = pa.Table.from_batches(list(result), schema=result.schema)
        total = result.count_all()
    except (duckdb.Error, pa.ArrowException, OSError, MemoryError) as exc:
        # Arrow conversion of a huge batch fails outside DuckDB's buffer manager (OSError / MemoryError).
        raise explain(exc, limits) from exc
    finally:
        con.close()
    return QueryResult(table, result.truncated, time.perf_counter() - started, total, result.capped_by)


def explain(exc: BaseException, limits: Limits) -> SandboxError:
    """A DuckDB, Arrow or memory failure as a SandboxError in plain words."""
    text = str(exc)
    lower = text.lower()
    if (
        "max_execution_time" in lower
        or "maximum execution time" in lower
        or "interrupt" in lower
        or "timeout" in lower
    ):
        return timeout_error(limits)
    if (
        isinstance(exc, duckdb.OutOfMemoryException | MemoryError | pa.ArrowMemoryError)
        or "out of memory" in lower
        or "memory limit" in lower
        or "failed to allocate" in lower
        or "bad_alloc" in lower
    ):
        return memory_error(limits)
    if (
        isinstance(exc, duckdb.PermissionException)
        or "disabled by configuration" in lower
        or "external access" in lower
    ):
        return SandboxError(
            "reading files, URLs or the environment is not allowed in the workbench",
            "refused",
            "分析台不允许读取文件、网址或环境变量",
        )
    if "lock_configuration" in lower or "configuration has been locked" in lower:
        return SandboxError(
            "changing settings is not allowed in the workbench", "refused", "分析台不允许修改设置"
        )
    return SandboxError(_first_line(exc), "error", "查询出错", _first_line(exc))


def timeout_error(limits: Limits) -> SandboxError:
    return SandboxError(
        f"the query ran longer than the {limits.timeout_s:g} s limit and was stopped",
        "timeout",
        f"查询超过 {limits.timeout_s:g} 秒的时限，已停止",
    )


def memory_error(limits: Limits) -> SandboxError:
    return SandboxError(
        f"the query needed more than the {limits.memory_limit} memory limit and was stopped",
        "memory",
        f"查询所需内存超过 {limits.memory_limit} 的上限，已停止",
    )


# ── the isolated path: the same query in a child process ────────────────────────────────────────────

WORKER_MODULE = "warehouse.sandbox.worker"
STARTUP_GRACE_S = 15.0  # interpreter start and imports, on top of the query's time limit
PROCESS_HEADROOM = (
    384 * 1024**2
)  # the child's interpreter, libraries and one Arrow batch, beyond DuckDB's limit
CONCURRENCY = max(1, int(os.environ.get("GRIDPULSE_SQL_CONCURRENCY", "2")))
SLOT_WAIT_S = 3.0  # how long a query waits for a free slot before it is told the sandbox is busy
_SLOTS = threading.BoundedSemaphore(CONCURRENCY)
_UNITS = {
    "": 1,
    "b": 1,
    "kb": 1000,
    "mb": 1000**2,
    "gb": 1000**3,
    "tb": 1000**4,
    "kib": 1024,
    "mib": 1024**2,
    "gib": 1024**3,
    "tib": 1024**4,
}


def memory_bytes(text: str) -> int:
    """DuckDB's memory notation ('100MB', '1GB', '512MiB') in bytes."""
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)\s*", text)
    if not match or match.group(2).lower() not in _UNITS or float(match.group(1)) <= 0:
        raise ValueError(f"not a memory size: {text!r}")
    return int(float(match.group(1)) * _UNITS[match.group(2).lower()])


def process_memory_cap(limits: Limits) -> int:
    """Hard cap on the child's data segment: DuckDB's limit plus headroom for Python, Arrow and one batch.

    DuckDB's ``memory_limit`` governs its buffer manager only; a projection's strings (2,048 rows at a
    time) and Arrow buffers are allocated outside it. The cap is what makes the limit hold for the whole
    process: an allocation beyond it fails inside the child and the query stops with a memory error.
    """
    return memory_bytes(limits.memory_limit) + PROCESS_HEADROOM


def run_isolated(
    sql: str,
    db_path: Path,
    limits: Limits | None = None,
    max_rows: int | None = None,
    max_bytes: int | None = None,
    *,
    grace_s: float = STARTUP_GRACE_S,
) -> QueryResult:
    """The query in a child process: same checks, limits, caps and ``SandboxError`` kinds as :func:`run`.

    The query is checked here first (a refusal costs no process). The child streams at most
    ``max_rows`` rows / ``max_bytes`` bytes back (default: the grid's caps); it is killed if it
    outlives the time limit plus ``grace_s``; a child that dies (out of memory, crashed) is reported
    as a ``SandboxError`` too, and nothing of it stays in this process.
    """
    limits = limits or Limits()
    query = check(sql)
    rows_cap, bytes_cap = limits.caps()
    max_rows = rows_cap if max_rows is None else max_rows
    max_bytes = bytes_cap if max_bytes is None else max_bytes
    if not _SLOTS.acquire(timeout=SLOT_WAIT_S):
        raise SandboxError(
            f"the SQL sandbox is busy: it runs at most {CONCURRENCY} queries at a time; try again in a "
            "moment",
            "busy",
            f"SQL 沙箱正忙：同时最多运行 {CONCURRENCY} 个查询，请稍后再试",
        )
    try:
        return _in_child(query, db_path, limits, max_rows, max_bytes, max(0.1, limits.timeout_s + grace_s))
    finally:
        _SLOTS.release()


def _in_child(
    query: str, db_path: Path, limits: Limits, max_rows: int, max_bytes: int, deadline_s: float
) -> QueryResult:
    request = json.dumps(
        {
            "sql": query,
            "db": str(db_path),
            "limits": asdict(limits),
            "max_rows": max_rows,
            "max_bytes": max_bytes,
        }
    )
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)}
    with tempfile.TemporaryFile() as stderr:
        child = subprocess.Popen(
            [sys.executable, "-m", WORKER_MODULE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            cwd=root,
            env=env,
        )
        expired = threading.Event()
        watchdog = threading.Timer(deadline_s, lambda: (expired.set(), child.kill()))
        watchdog.start()
        outcome = None
        try:
            child.stdin.write(request.encode())
            child.stdin.close()
            outcome = _receive(child.stdout, max_bytes)
        except (OSError, ValueError, pa.ArrowException):  # the child died mid-stream: say why below
            pass
        finally:
            if outcome is None or not outcome[0].get("ok"):
                child.kill()
            child.stdout.close()
            returncode = child.wait()
            watchdog.cancel()
        if outcome is None:
            if expired.is_set():
                raise timeout_error(limits)
            raise _child_failure(returncode, _stderr(stderr), limits)
    meta, table = outcome
    if not meta["ok"]:
        raise SandboxError(meta["reason"], meta["kind"], meta.get("zh"), meta.get("detail"))
    return QueryResult(
        table, bool(meta["truncated"]), float(meta["seconds"]), meta.get("total_rows"), meta.get("capped_by")
    )


def _receive(stdout: IO[bytes], max_bytes: int) -> tuple[dict[str, Any], pa.Table | None] | None:
    """The child's answer: a header line, then (if ok) an Arrow IPC stream and a trailer line."""
    header = json.loads(stdout.readline() or "null")
    if not header:
        return None
    if not header["ok"]:
        return header, None
    reader = pa.ipc.open_stream(stdout)
    batches, size = [], 0
    for batch in reader:
        size += batch.nbytes
        if size > max_bytes:  # the child caps its stream; this process never holds more than asked
            raise ValueError("the result stream exceeded its byte cap")
        batches.append(batch)
    trailer = json.loads(stdout.readline() or "null")
    if not trailer:
        return None
    return trailer, pa.Table.from_batches(batches, schema=reader.schema)


def _stderr(file: IO[bytes]) -> str:
    file.seek(0)
    return file.read()[-20000:].decode("utf-8", "replace")


def _child_failure(returncode: int, stderr: str, limits: Limits) -> SandboxError:
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    if returncode in (-signal.SIGKILL, 137) or "memoryerror" in last.lower() or "bad_alloc" in stderr:
        return memory_error(limits)
    if returncode < 0:
        return SandboxError(
            f"the query process stopped unexpectedly (signal {-returncode})", "error", "查询进程意外停止"
        )
    return SandboxError(
        f"the query process failed: {last or f'exit status {returncode}'}",
        "error",
        "查询进程出错",
        last or None,
    )


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
            values = [
                None if v is None else json.dumps(v, ensure_ascii=False, default=str)
                for v in column.to_pylist()
            ]
            column = pa.array(values, pa.string())
        elif (
            pa.types.is_binary(kind) or pa.types.is_large_binary(kind) or pa.types.is_fixed_size_binary(kind)
        ):
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

    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "remove_timezone": True,
        },
    )
    sheet = book.add_worksheet("result")
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1})
    formats = {
        "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
    }
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
