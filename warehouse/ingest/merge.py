"""A group's typed rows into the lake: bad rows to quarantine, the rest classified against the lake and merged."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from warehouse.home.paths import DataHome
from warehouse.lake.manifest import FileRecord, copy_to_parquet_atomic, quarantine_path
from warehouse.lake.parts import PART_COLUMN, part_files, read_parts, write_parts

from . import normalize as N
from .compile import NOT_CONTENT, columns, lake_rows, quote, rows_sql
from .profile import Profile


def merge_group(
    con: duckdb.DuckDBPyConnection,
    home: DataHome,
    profile: Profile,
    records: list[FileRecord],
    secret: str,
    replaces: set[str] | None = None,
) -> None:
    """Type, validate, quarantine and merge every file of one profile at once; fill the records' counts."""
    now = datetime.now().replace(microsecond=0)
    con.execute(f"create temp table f_rows as {rows_sql(profile, secret)}")
    con.execute("drop table group_raw")  # typed rows replace the raw text from here on
    con.execute(
        f"""create or replace temp table f_quarantine as
        select _ord, f._file as file, f._sha256 as sha256, {N.lit(profile.source)} as source,
               {N.lit(profile.entity)} as entity, _source_row as source_row, _reason as reason,
               _column as "column", _detail as detail, _record as record, timestamp '{now}' as loaded_at
        from f_rows join group_files f using (_ord) where _reason is not null
        union all
        select _ord, f._file, f._sha256, {N.lit(profile.source)}, {N.lit(profile.entity)}, source_row,
               'malformed_line', null, error, {N.mask_free_text("text")}, timestamp '{now}'
        from group_bad join group_files f using (_ord)"""
    )
    quarantined = dict(con.execute("select _ord, count(*) from f_quarantine group by 1").fetchall())
    for order, record in enumerate(records):
        if record.status != "loaded":
            continue
        record.rows_quarantined = quarantined.get(order, 0)
        qpath = quarantine_path(home, profile.source, profile.entity, record.sha256)
        if record.rows_quarantined:
            copy_to_parquet_atomic(
                con,
                f"select * exclude (_ord) from f_quarantine where _ord = {order} order by source_row",
                qpath,
            )
        else:
            qpath.unlink(missing_ok=True)
    _LakeTable(con, home, profile, replaces or set()).merge(lake_rows(now, profile), records)


class _LakeTable:
    """One lake table while a load runs: the good rows of ``f_rows`` are classified and merged in one pass.

    Merging classifies every occurrence of a key in order (the lake's current row
    first, then files in name order, rows in file order). The state kept before an
    occurrence is the last earlier occurrence holding the highest version so far;
    the occurrence is a *duplicate* when it has that state's content or an older
    version, an *update* when it is a newer or equal version with other content,
    and *new* when nothing came before it. Only keys seen more than once (counting
    the lake) need that ordering; every other row is new.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, home: DataHome, profile: Profile, replaces: set[str]):
        self.con = con
        self.folder = home.lake_table(profile.source, profile.entity)
        self.replaces = replaces

    def merge(self, lake_rows: str, records: list[FileRecord]) -> None:
        """Classify the good rows, fill the records' counts, and write what changed as parts.

        ``lake_rows`` selects the good rows of ``f_rows`` as lake rows, plus ``_ord``.
        """
        parts = part_files(self.folder)
        lake_columns = None
        hidden = PART_COLUMN
        if parts:
            self.con.execute(
                f"create or replace temp view lake_all as select * from {read_parts(parts, with_part=True)}"
            )
            lake_columns = set(columns(self.con, "select * from lake_all")) - {PART_COLUMN}
            if "_row_hash" in lake_columns:  # stored by earlier versions
                hidden += ", _row_hash"
                lake_columns.discard("_row_hash")
            self.con.execute(
                f"create or replace temp view cur as select * exclude ({hidden}) from lake_all{self._kept_rows()}"
            )
        self._classify(lake_columns)
        good = dict(
            self.con.execute("select _ord, count(*) from f_rows where _reason is null group by 1").fetchall()
        )
        counts = {
            (order, cls): n
            for order, cls, n in self.con.execute(
                "select _ord, _class, count(*) from classified group by all"
            ).fetchall()
        }
        for order, record in enumerate(records):
            if record.status != "loaded":
                continue
            record.rows_updated = counts.get((order, "update"), 0)
            record.rows_duplicate = counts.get((order, "duplicate"), 0)
            record.rows_accepted = good.get(order, 0) - record.rows_duplicate
        if (
            sum(good.values()) == sum(n for (_, cls), n in counts.items() if cls == "duplicate")
            and not self.replaces
        ):
            return
        # Written: every row that is its key's last non-duplicate occurrence (the only one, for most keys).
        query = (
            f"select * exclude (_ord) from ({lake_rows}) "
            "anti join (select _ord, _source_row from classified where not _wins) using (_ord, _source_row)"
        )
        drop: list[Path] = []
        # A lake row is replaced only through an 'update' (or a file read again): without either, no part loses rows.
        if parts and (self.replaces or any(cls == "update" for _, cls in counts)):
            # Rewritten: the parts that lose rows (records replaced, files read again), less those rows.
            replaced = "select _key from classified where _class <> 'duplicate'"
            drop = [
                Path(p)
                for (p,) in self.con.execute(
                    f"select distinct {PART_COLUMN} from lake_all "
                    f"where _key in ({replaced}){self._read_again(' or ')}"
                ).fetchall()
            ]
            if drop:
                kept = ", ".join(N.lit(str(p)) for p in drop)
                query = (
                    f"select * exclude ({hidden}) from lake_all anti join ({replaced}) using (_key) "
                    f"where {PART_COLUMN} in ({kept}){self._read_again(' and not ')} "
                    f"union all by name {query}"
                )
        write_parts(self.con, query, self.folder, drop)

    def _read_again(self, joiner: str) -> str:
        """``joiner`` and a condition on the lake rows written by the files read again ('' if none)."""
        if not self.replaces:
            return ""
        return f"{joiner}_sha256 in ({', '.join(N.lit(s) for s in sorted(self.replaces))})"

    def _kept_rows(self) -> str:
        """WHERE clause dropping the lake rows of files read again: their re-read rows take their place."""
        return f" where not {self._read_again('')}" if self.replaces else ""

    def _classify(self, lake_columns: set[str] | None) -> None:
        """Temp table ``classified``: class and winner flag of each good row whose key was seen more than once.

        An occurrence's content is compared by a hash of its lake columns (lineage aside), computed here
        for the contested keys only, the lake's rows and the new ones alike, so it is never stored.
        ``lake_columns``: the columns of the lake table (view ``cur``), None if there is no lake table yet.
        """
        in_lake = "union select _key from cur semi join good using (_key)" if lake_columns is not None else ""
        self.con.execute(
            f"""create or replace temp table contested as
            with good as (select _key from f_rows where _reason is null)
            select _key from good group by _key having count(*) > 1 {in_lake}"""
        )
        content = {n: t for n, t in columns(self.con, "select * from f_rows").items() if n not in NOT_CONTENT}
        lake_rows = ""
        if lake_columns is not None:
            lake_hash = (
                "hash("
                + ", ".join(
                    f"cast({quote(n) if n in lake_columns else 'null'} as {t})" for n, t in content.items()
                )
                + ")"
            )
            lake_rows = (
                f"select _key, {lake_hash} as _row_hash, _version, -1 as _ord, 0 as _source_row "
                "from cur semi join contested using (_key) union all"
            )
        row_hash = "hash(" + ", ".join(quote(n) for n in content) + ")"
        self.con.execute(
            f"""create or replace temp table classified as
            with occurrences as (
                {lake_rows}
                select _key, {row_hash} as _row_hash, _version, _ord, _source_row from f_rows semi join contested using (_key)
                where _reason is null
            ),
            ordered as (
                select *,
                    count(*) over w as _before,
                    max(_version) over w as _kept_version,
                    arg_max(_row_hash, struct_pack(v := _version, o := _ord, r := _source_row)) over w as _kept_hash
                from occurrences
                window w as (partition by _key order by _ord, _source_row rows between unbounded preceding and 1 preceding)
            ),
            classes as (
                select _key, _ord, _source_row,
                    case when _before = 0 then 'new'
                         when _row_hash = _kept_hash or _version < _kept_version then 'duplicate'
                         else 'update' end as _class
                from ordered where _ord >= 0
            )
            select *, _class <> 'duplicate' and row_number() over (
                partition by _key, _class = 'duplicate' order by _ord desc, _source_row desc) = 1 as _wins
            from classes"""
        )
