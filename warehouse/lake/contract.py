"""The lake's table contract: every built-in lake table has every column any built-in profile writes into it.

A load applies it before it switches its generation in, so dbt always finds every table and column it reads:
a table nothing was loaded into is written empty, and one loaded only from some of the exports that feed it
(say a 311 export but no Chinese case export) gets the other exports' columns as NULLs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from warehouse.home.paths import DataHome
from warehouse.ingest import normalize as N
from warehouse.ingest.compile import columns, lake_rows, quote, raw_columns, rows_sql
from warehouse.ingest.geo import GCJ02_SQL_MACROS
from warehouse.ingest.profile import Profile, builtin_profiles

from .manifest import copy_to_parquet_atomic
from .parts import part_files, read_parts, write_empty_part

log = logging.getLogger(__name__)


def _empty_rows_sql(con: duckdb.DuckDBPyConnection, profile: Profile) -> str:
    """Set up ``con`` so the returned SELECT yields no rows with ``profile``'s full lake schema."""
    con.execute(GCJ02_SQL_MACROS)
    con.execute(
        f"create temp table group_raw as select {raw_columns(profile, None)}, 0::bigint as _source_row, 0 as _ord where false"
    )
    con.execute("create temp table group_files (_ord integer, _file varchar, _sha256 varchar)")
    con.execute(f"create temp table f_rows as {rows_sql(profile, '')}")
    return f"select * exclude (_ord) from ({lake_rows(datetime.now().replace(microsecond=0), profile)})"


def write_empty_table(home: DataHome, profile: Profile) -> None:
    """An empty lake table with the profile's full schema (for sources nothing was loaded from)."""
    con = duckdb.connect()
    try:
        write_empty_part(con, _empty_rows_sql(con, profile), home.lake_table(profile.source, profile.entity))
    finally:
        con.close()


def lake_schema(profile: Profile) -> dict[str, str]:
    """Column name → SQL type of the lake rows ``profile`` writes."""
    con = duckdb.connect()
    try:
        return columns(con, _empty_rows_sql(con, profile))
    finally:
        con.close()


def table_contract(profiles: list[Profile], source: str, entity: str) -> dict[str, str]:
    """The columns a lake table offers the warehouse: every column any of ``profiles`` writes into it."""
    contract: dict[str, str] = {}
    for profile in profiles:
        if (profile.source, profile.entity) == (source, entity):
            for name, ctype in lake_schema(profile).items():
                contract.setdefault(name, ctype)
    return contract


def pad_lake_table(home: DataHome, source: str, entity: str, contract: dict[str, str]) -> list[str]:
    """Add the ``contract`` columns a lake table lacks, as NULLs; the names added.

    Different exports fill different columns of one table (a 311 export has a status and a
    close time, the Chinese platform's case export leaves them to the workflow log), so a
    table written only from some of them is widened before dbt reads it.
    """
    missing: list[str] = []
    con = duckdb.connect()
    try:
        for part, lacking in _parts_lacking(con, part_files(home.lake_table(source, entity)), contract):
            if lacking:
                added = ", ".join(f"null::{contract[n]} as {quote(n)}" for n in lacking)
                copy_to_parquet_atomic(con, f"select *, {added} from read_parquet({N.lit(str(part))})", part)
                missing += [n for n in lacking if n not in missing]
        return missing
    finally:
        con.close()


def _parts_lacking(
    con: duckdb.DuckDBPyConnection, parts: list[Path], contract: dict[str, str]
) -> list[tuple[Path, list[str]]]:
    """Each part with the ``contract`` columns it lacks (parts written before the contract grew)."""
    found = []
    for part in parts:
        have = columns(con, f"select * from read_parquet({N.lit(str(part))})")
        found.append((part, [name for name in contract if name not in have]))
    return found


def _tables(profiles: list[Profile]) -> dict[tuple[str, str], Profile]:
    """Each lake table the profiles write, with the first profile that writes it."""
    tables: dict[tuple[str, str], Profile] = {}
    for profile in profiles:
        tables.setdefault((profile.source, profile.entity), profile)
    return tables


def apply_contract(staged: DataHome, profiles: list[Profile] | None = None) -> list[str]:
    """Bring the lake generation ``staged`` is writing up to the contract; the tables written empty.

    Only a load (or an unload) calls this, inside its own lake transaction: the lake is never
    written by anything else, and `gridpulse build` only reads it.
    """
    profiles = profiles if profiles is not None else builtin_profiles()
    created = []
    for (source, entity), first in _tables(profiles).items():
        if not part_files(staged.lake_table(source, entity)):
            write_empty_table(staged, first)
            created.append(f"{source}/{entity}")
        padded = pad_lake_table(staged, source, entity, table_contract(profiles, source, entity))
        if padded:
            log.debug("%s/%s: added the contract's columns %s as NULLs", source, entity, ", ".join(padded))
    if created:
        log.debug("tables written empty (nothing loaded into them yet): %s", ", ".join(created))
    return created


@dataclass
class LakeCheck:
    """The current lake against its contract, as read (never written) before a build."""

    gaps: list[str] = field(default_factory=list)  # tables missing, or "table (columns missing)"
    empty: list[str] = field(
        default_factory=list
    )  # built-in tables with no rows: nothing loaded into them yet


def check_lake(home: DataHome, profiles: list[Profile] | None = None) -> LakeCheck:
    """What the current lake lacks of the contract, and which of its tables are still empty; read only."""
    profiles = profiles if profiles is not None else builtin_profiles()
    check = LakeCheck()
    con = duckdb.connect()
    try:
        for source, entity in _tables(profiles):
            parts, table = part_files(home.lake_table(source, entity)), f"{source}/{entity}"
            if not parts:
                check.gaps.append(table)
                continue
            contract = table_contract(profiles, source, entity)
            lacking = [n for _, missing in _parts_lacking(con, parts, contract) for n in missing]
            if lacking:
                check.gaps.append(f"{table} ({', '.join(dict.fromkeys(lacking))})")
            if not con.execute(f"select count(*) from {read_parts(parts)}").fetchone()[0]:
                check.empty.append(table)
    finally:
        con.close()
    return check
