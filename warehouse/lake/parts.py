"""A lake table as a folder of Parquet parts, split by the export file that wrote each row.

Layout under a lake generation::

    <source>/<entity>/<sha256[:16]>-<id>.parquet   the rows whose latest state one export file wrote
    <source>/<entity>/empty.parquet                only while nothing was loaded: the table's columns

A load writes its files' rows as new parts and rewrites only the parts that lose rows (the records a new
file replaces, the rows of a file read again), so one more day of exports does not rewrite a year. Parts
are written to a temporary folder and moved in, never changed in place: generations share them as hard
links (warehouse/lake/generations.py). Readers take every part, by column name.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

import duckdb

from warehouse.ingest import normalize as N

from .manifest import copy_to_parquet_atomic

EMPTY = "empty.parquet"
PART_COLUMN = "_part"  # the part a row was read from, in read_parts(with_part=True)


def part_files(folder: Path) -> list[Path]:
    """The table's parts (none: no table yet)."""
    return sorted(folder.glob("*.parquet")) if folder.is_dir() else []


def read_parts(parts: list[Path], *, with_part: bool = False) -> str:
    """A read_parquet() of ``parts`` (a non-empty list), their columns matched by name; with the
    part's path in column ``_part`` if asked."""
    files = "[" + ", ".join(N.lit(str(p)) for p in parts) + "]"
    part = f", filename = {N.lit(PART_COLUMN)}" if with_part else ""
    return f"read_parquet({files}, union_by_name = true{part})"


def write_parts(con: duckdb.DuckDBPyConnection, query: str, folder: Path, drop: Iterable[Path] = ()) -> None:
    """Write ``query``'s rows (which carry ``_sha256``) as one part per file, then remove ``drop``.

    The rows of ``drop`` that are to stay must be in ``query``: a rewritten part's rows keep their own
    file's sha256 and so land in that file's new part.
    """
    staging = folder.with_name(f".{folder.name}.new")
    shutil.rmtree(staging, ignore_errors=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    con.execute(
        f"copy ({query}) to {N.lit(str(staging))} (format parquet, partition_by (_sha256), "
        "write_partition_columns true, filename_pattern 'part{uuid}', compression zstd, compression_level 1)"
    )
    folder.mkdir(exist_ok=True)
    written = 0
    for sub in sorted(staging.iterdir()) if staging.is_dir() else []:
        sha256 = sub.name.split("=", 1)[1]
        for made in sorted(sub.glob("*.parquet")):
            os.replace(made, folder / f"{sha256[:16]}-{made.stem.removeprefix('part')[:8]}.parquet")
            written += 1
    shutil.rmtree(staging, ignore_errors=True)
    for path in drop:
        path.unlink(missing_ok=True)
    if written:
        (folder / EMPTY).unlink(missing_ok=True)


def write_empty_part(con: duckdb.DuckDBPyConnection, query: str, folder: Path) -> None:
    """The columns of a table nothing was loaded into yet, as a part without rows."""
    copy_to_parquet_atomic(con, query, folder / EMPTY)


def adopt_single_files(lake: Path) -> list[str]:
    """Move the one-file tables an earlier version wrote (``<source>/<entity>.parquet``) into their
    folders as a part each; the tables moved. Call on a generation being written."""
    moved = []
    for path in sorted(lake.glob("*/*.parquet")):
        if path.parent.name.startswith("_") or path.name.startswith("."):
            continue
        folder = path.with_suffix("")
        folder.mkdir(exist_ok=True)
        os.rename(path, folder / "adopted-0.parquet")
        moved.append(f"{path.parent.name}/{folder.name}")
    return moved
