"""`gridpulse sql`'s output: a sandbox result printed as a text table, CSV or JSON, within a time limit.

The result is already capped in rows and bytes by the sandbox; it is written batch by batch straight
to the file descriptor (no buffer left to flush at exit), under an alarm, so a slow or stuck reader
of the output cannot hold the command past the query's time limit.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager

import pyarrow as pa

from .query import Limits, QueryResult


class OutputTimeout(Exception):
    """Printing the result outlived the time left."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`OutputTimeout` in this (main) thread once ``seconds`` have passed, even inside a blocked write."""

    def expire(signum: int, frame: object) -> None:
        raise OutputTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def write_result(table: pa.Table, fmt: str, fd: int) -> None:
    """Write ``table`` to ``fd`` as ``fmt`` (table, csv or json), chunk by chunk."""
    for chunk in _chunks(table, fmt):
        data = memoryview(chunk.encode())
        while data:
            data = data[os.write(fd, data) :]


def _chunks(table: pa.Table, fmt: str) -> Iterator[str]:
    names = table.column_names
    if fmt == "table":
        yield text_table(names, [list(row.values()) for row in table.to_pylist()]) + "\n"
        return
    if fmt == "json":
        yield "["
        first = True
        for batch in table.to_batches():
            for row in batch.to_pylist():
                yield ("" if first else ", ") + json.dumps(row, ensure_ascii=False, default=str)
                first = False
        yield "]\n"
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    for batch in table.to_batches():
        writer.writerows([row[c] for c in names] for row in batch.to_pylist())
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _width(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def text_table(columns: list[str], rows: list[list[object]]) -> str:
    """Rows as aligned columns; Chinese characters count as two."""
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    return "\n".join([line(columns), line(["-" * w for w in widths]), *(line(r) for r in cells)])


def truncation_note(result: QueryResult, limits: Limits, export: bool) -> str:
    """' of N (truncated at the … cap, set by GRIDPULSE_SQL_…)' for a truncated result, else ''."""
    if not result.truncated:
        return ""
    of = f"{result.total_rows:,}" if result.total_rows is not None else "more"
    if result.capped_by == "bytes":
        cap, env = (
            (limits.max_bytes_export, "GRIDPULSE_SQL_MAX_EXPORT_BYTES")
            if export
            else (limits.max_bytes_shown, "GRIDPULSE_SQL_MAX_BYTES")
        )
    else:
        cap, env = (
            (f"{limits.max_rows_export:,}-row", "GRIDPULSE_SQL_MAX_EXPORT_ROWS")
            if export
            else (f"{limits.max_rows_shown:,}-row", "GRIDPULSE_SQL_MAX_ROWS")
        )
    return f" of {of} (truncated at the {cap} cap, set by {env})"
