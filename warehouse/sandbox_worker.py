"""Child process of :func:`warehouse.sandbox.run_isolated`: run one sandboxed query, hand back Arrow IPC.

Reads ``{"sql", "db", "limits", "max_rows"}`` as JSON on stdin. Writes one JSON header line to
stdout — ``{"ok": true, "truncated", "seconds"}`` followed by the result as an Arrow IPC stream,
or ``{"ok": false, "reason", "kind"}`` — and exits 0. Before touching DuckDB it caps its own data
segment (``RLIMIT_DATA``), so memory that escapes DuckDB's limit fails here, not in the app.
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

import pyarrow as pa


def _cap_memory(limit: int) -> None:
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    except (ValueError, OSError):  # not permitted here: DuckDB's own memory_limit still applies
        pass


def main() -> int:
    from warehouse.sandbox import Limits, SandboxError, _out_of_memory, process_memory_cap, run

    request = json.loads(sys.stdin.buffer.read())
    limits = Limits(**request["limits"])
    out = sys.stdout.buffer
    _cap_memory(process_memory_cap(limits))
    try:
        try:
            result = run(request["sql"], Path(request["db"]), limits, request.get("max_rows"))
            body = _ipc(result.table)
        except (MemoryError, pa.ArrowMemoryError) as exc:
            raise _out_of_memory(limits) from exc
    except SandboxError as exc:
        out.write(json.dumps({"ok": False, "reason": str(exc), "kind": exc.kind}).encode() + b"\n")
        out.flush()
        return 0
    header = {"ok": True, "truncated": result.truncated, "seconds": result.seconds}
    out.write(json.dumps(header).encode() + b"\n")
    out.write(body)
    out.flush()
    return 0


def _ipc(table: pa.Table) -> memoryview:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return memoryview(sink.getvalue())


if __name__ == "__main__":
    sys.exit(main())
