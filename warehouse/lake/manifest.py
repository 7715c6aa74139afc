"""The Parquet lake: a folder of parts per table, the load manifest and the quarantine.

Layout under ``$GRIDPULSE_HOME/lake``::

    <source>/<entity>/*.parquet        one row per record, latest state, in parts by the file that wrote
                                       it (warehouse/lake/parts.py)
    _manifest.parquet                  one row per export file ever seen
    _quarantine/<source>/<entity>/<sha256[:16]>.parquet   rejected rows with reasons

The lake folder is a generation (see warehouse/lake/generations.py): a load writes a new one and
switches to it at once. Inside it, every write also goes to a temporary file first and is
renamed in, so a file is never changed in place (generations share unchanged files as hard links).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from pathlib import Path

import duckdb

from warehouse.home.paths import DataHome


@dataclass
class FileRecord:
    """One row of the load manifest."""

    file: str
    sha256: str
    size_bytes: int
    source: str | None
    entity: str | None
    profile: str | None
    format: str | None
    encoding: str | None
    rows_read: int
    rows_accepted: int
    rows_quarantined: int
    rows_duplicate: int
    rows_updated: int
    status: str  # loaded | rejected
    reason: str | None
    loaded_at: datetime
    seconds: float

    @property
    def invariant_holds(self) -> bool:
        return self.rows_read == self.rows_accepted + self.rows_quarantined + self.rows_duplicate


MANIFEST_COLUMNS = [f.name for f in fields(FileRecord)]


def read_manifest(home: DataHome) -> list[FileRecord]:
    if not home.manifest.exists():
        return []
    con = duckdb.connect()
    try:
        rows = con.execute(
            f"select {', '.join(MANIFEST_COLUMNS)} from read_parquet(?)", [str(home.manifest)]
        ).fetchall()
    finally:
        con.close()
    return [FileRecord(*row) for row in rows]


def write_manifest(home: DataHome, records: list[FileRecord]) -> None:
    import pyarrow as pa

    schema = pa.schema(
        [
            ("file", pa.string()),
            ("sha256", pa.string()),
            ("size_bytes", pa.int64()),
            ("source", pa.string()),
            ("entity", pa.string()),
            ("profile", pa.string()),
            ("format", pa.string()),
            ("encoding", pa.string()),
            ("rows_read", pa.int64()),
            ("rows_accepted", pa.int64()),
            ("rows_quarantined", pa.int64()),
            ("rows_duplicate", pa.int64()),
            ("rows_updated", pa.int64()),
            ("status", pa.string()),
            ("reason", pa.string()),
            ("loaded_at", pa.timestamp("us")),
            ("seconds", pa.float64()),
        ]
    )
    table = pa.Table.from_pylist([asdict(r) for r in records], schema=schema)
    write_parquet_atomic(table, home.manifest)


def write_parquet_atomic(table, target: Path) -> None:
    import pyarrow.parquet as pq

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, target)


def copy_to_parquet_atomic(con: duckdb.DuckDBPyConnection, query: str, target: Path) -> None:
    """Write a query's result as Parquet and switch it in atomically.

    zstd level 1: a few percent larger than the default level 3 but much faster to
    write, which matters for high-entropy columns such as the row hashes.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    con.execute(f"copy ({query}) to '{tmp}' (format parquet, compression zstd, compression_level 1)")
    os.replace(tmp, target)


def quarantine_path(home: DataHome, source: str, entity: str, sha256: str) -> Path:
    return home.quarantine / source / entity / f"{sha256[:16]}.parquet"
