"""Child process of :func:`warehouse.sandbox.query.run_isolated`: run one sandboxed query, stream back Arrow IPC.

Reads ``{"sql", "db", "limits", "max_rows", "max_bytes"}`` as JSON on stdin. Writes to stdout one
JSON header line — ``{"ok": false, "reason", "zh", "kind"}`` if the query cannot start, else
``{"ok": true}`` — then the capped result as an Arrow IPC stream, batch by batch as DuckDB produces
it, then one JSON trailer line: ``{"ok": true, "truncated", "capped_by", "total_rows", "seconds"}``
or the failure that stopped the stream. Before touching DuckDB it caps its own data segment
(``RLIMIT_DATA``), so memory that escapes DuckDB's limit fails here, not in the caller.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import IO, Any

import duckdb
import pyarrow as pa

from warehouse.sandbox.query import CappedResult, Limits, SandboxError, connect, explain, process_memory_cap

FAILURES = (duckdb.Error, pa.ArrowException, OSError, MemoryError)  # what a query can end in


def _cap_memory(limit: int) -> None:
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    except (ValueError, OSError):  # not permitted here: DuckDB's own memory_limit still applies
        pass


def _line(out: IO[bytes], message: dict[str, Any]) -> None:
    out.write(json.dumps(message, ensure_ascii=False).encode() + b"\n")
    out.flush()


def _failure(exc: SandboxError) -> dict[str, Any]:
    return {"ok": False, "reason": exc.en, "zh": exc.zh, "kind": exc.kind, "detail": exc.detail}


def main() -> int:
    request = json.loads(sys.stdin.buffer.read())
    limits = Limits(**request["limits"])
    out = sys.stdout.buffer
    _cap_memory(process_memory_cap(limits))
    started = time.perf_counter()
    try:
        con = connect(Path(request["db"]), limits)
        result = CappedResult(con, request["sql"], limits, request["max_rows"], request["max_bytes"])
    except FAILURES as exc:
        _line(out, _failure(explain(exc, limits)))
        return 0
    _line(out, {"ok": True})
    try:
        failure = _stream(result, out)
        total = None if failure else result.count_all()
    except BrokenPipeError:  # the caller stopped reading (it had enough, or gave up)
        return 0
    finally:
        con.close()
    if failure:
        _line(out, _failure(explain(failure, limits)))
    else:
        _line(
            out,
            {
                "ok": True,
                "truncated": result.truncated,
                "capped_by": result.capped_by,
                "total_rows": total,
                "seconds": time.perf_counter() - started,
            },
        )
    return 0


def _stream(result: CappedResult, out: IO[bytes]) -> Exception | None:
    """Write the capped result as an Arrow IPC stream; a failure part-way ends the stream cleanly and is returned."""
    with pa.ipc.new_stream(out, result.schema) as writer:
        try:
            for batch in result:
                writer.write_batch(batch)
        except FAILURES as exc:
            return exc
    return None


if __name__ == "__main__":
    sys.exit(main())
