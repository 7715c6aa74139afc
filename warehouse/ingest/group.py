"""One profile's files during a load: read one by one into their own DuckDB connection, then merged at once."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from warehouse.home.memory import load_memory, spill_dir
from warehouse.home.paths import DataHome
from warehouse.lake.manifest import FileRecord

from .compile import raw_columns
from .geo import GCJ02_SQL_MACROS
from .masking import mask_line
from .merge import merge_group
from .profile import HeaderMatch, Profile
from .readers import RawFile, ReadError, append_raw
from .records import read_record, rejected_record

OPEN_AT_ONCE = 3  # connections a load holds at once: the group being read and load.MERGERS merging


def connection_settings(home: DataHome) -> dict[str, str]:
    """A group's DuckDB: its share of the memory, spilling beyond it into the data home's tmp/load, so
    a big scale is limited by disk, not RAM."""
    return {"memory_limit": load_memory(OPEN_AT_ONCE), "temp_directory": str(spill_dir(home, "load"))}


class Group:
    """One profile's files in their own DuckDB connection: read one by one, then typed, checked and merged at once."""

    def __init__(self, home: DataHome, profile: Profile, secret: str):
        self.home, self.profile, self.secret = home, profile, secret
        self.records: list[FileRecord] = []
        self.replaces: set[str] = set()  # sha256 of files read again: their rows in the lake are replaced
        self.con = duckdb.connect(config=connection_settings(home))
        self.con.execute(GCJ02_SQL_MACROS)
        self.con.execute(
            f"create temp table group_raw as select {raw_columns(profile, None)}, "
            "0::bigint as _source_row, 0 as _ord where false"
        )
        self.con.execute(
            "create temp table group_bad (_ord integer, source_row bigint, error varchar, text varchar)"
        )

    def read(self, path: Path, rel: str, sha: str, raw: RawFile, match: HeaderMatch) -> FileRecord:
        """Append one file's rows to ``group_raw`` (and its broken lines to ``group_bad``)."""
        order = len(self.records)
        try:
            rows, bad_lines = append_raw(
                self.con, raw, "group_raw", f"{raw_columns(self.profile, match)}, _source_row, {order}"
            )
        except ReadError as exc:
            record = rejected_record(rel, sha, path, str(exc), raw, self.profile)
        except duckdb.Error as exc:
            record = rejected_record(
                rel, sha, path, f"cannot parse as CSV: {str(exc).splitlines()[0]}", raw, self.profile
            )
        else:
            if bad_lines:
                self.con.executemany(
                    "insert into group_bad values (?, ?, ?, ?)",
                    [[order, b.source_row, b.error, self._masked(b.text, raw, match)] for b in bad_lines],
                )
            record = read_record(rel, sha, path, raw, self.profile, rows + len(bad_lines))
        self.records.append(record)
        return record

    def _masked(self, line: str, raw: RawFile, match: HeaderMatch) -> str:
        """A malformed line with the personal data in any of its fields masked (it is kept as text)."""
        pii = {
            match.positions[n]: c.pii
            for n, c in self.profile.columns.items()
            if c.pii and match.positions.get(n) is not None
        }
        return mask_line(line, getattr(raw, "_delimiter", ","), pii, len(raw.headers))

    def finish(self) -> str:
        """Type, check, quarantine and merge every file read; fill the records' counts and say what happened."""
        started = time.perf_counter()
        try:
            self._create_files_table()
            merge_group(self.con, self.home, self.profile, self.records, self.secret, self.replaces)
        finally:
            self.con.close()  # frees the group's tables while later groups are still read and merged
        seconds = time.perf_counter() - started
        loaded = [r for r in self.records if r.status == "loaded"]
        for record in loaded:  # the group's typing and merge time, shared by rows
            record.seconds = round(seconds * record.rows_read / max(1, sum(r.rows_read for r in loaded)), 3)
        return (
            f"  → {self.profile.table}: {sum(r.rows_accepted for r in loaded):,} accepted"
            f" ({sum(r.rows_updated for r in loaded):,} updates),"
            f" {sum(r.rows_quarantined for r in loaded):,} quarantined,"
            f" {sum(r.rows_duplicate for r in loaded):,} duplicate ({seconds:.1f} s)"
        )

    def close(self) -> None:
        self.con.close()

    def _create_files_table(self) -> None:
        """Temp table ``group_files``: order, name and sha256 of each file read."""
        read = [(order, r.file, r.sha256) for order, r in enumerate(self.records) if r.status == "loaded"]
        self.con.execute(
            "create temp table group_files as select unnest(?::integer[]) as _ord, "
            "unnest(?::varchar[]) as _file, unnest(?::varchar[]) as _sha256",
            [[o for o, _, _ in read], [f for _, f, _ in read], [h for _, _, h in read]],
        )
