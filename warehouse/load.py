"""`gridpulse load`: export files in the landing folder → the Parquet lake.

For every file: detect format and encoding, pick the profile whose columns the
headers carry, clean and type every column in DuckDB, mask personal data,
convert GCJ-02 points, and sort each row into exactly one of *accepted*,
*quarantined* (with a reason) or *duplicate* (a record already in the lake in
the same or a later state). A record seen again in a later state replaces the
earlier one. Files are recorded in the manifest by sha256, so loading a file
again adds nothing; a file that cannot be read at all is rejected whole and the
others still load.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from . import normalize as N
from .geo import GCJ02_SQL_MACROS
from .lake import (
    FileRecord,
    copy_to_parquet_atomic,
    load_lock,
    quarantine_path,
    read_manifest,
    salt,
    write_manifest,
)
from .paths import DataHome
from .profile import HeaderMatch, Profile, builtin_profiles, choose_profile, load_profile
from .readers import BadLine, RawFile, ReadError, read_raw, sniff

SUPPORTED_SUFFIXES = {".csv", ".txt", ".xlsx", ".xls", ".geojson", ".json"}
LINEAGE = ["_key", "_version", "_row_hash", "_file", "_sha256", "_source_row", "_loaded_at"]
GCJ_ROUNDS = 3

Progress = Callable[[str], None]


@dataclass
class LoadReport:
    files: list[FileRecord] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already loaded (same sha256)

    @property
    def rejected(self) -> list[FileRecord]:
        return [f for f in self.files if f.status == "rejected"]

    def summary(self) -> str:
        loaded = [f for f in self.files if f.status == "loaded"]
        total = {k: sum(getattr(f, k) for f in loaded) for k in ("rows_read", "rows_accepted", "rows_quarantined", "rows_duplicate")}
        lines = [
            f"{len(loaded)} file(s) loaded, {len(self.rejected)} rejected, {len(self.skipped)} already loaded.",
            f"rows: {total['rows_read']:,} read = {total['rows_accepted']:,} accepted + "
            f"{total['rows_quarantined']:,} quarantined + {total['rows_duplicate']:,} duplicate",
        ]
        lines += [f"REJECTED {f.file}: {f.reason}" for f in self.rejected]
        return "\n".join(lines)


def discover(landing: Path) -> list[Path]:
    """Export files under ``landing`` in name order; names starting with '_' or '.' are skipped."""
    if not landing.exists():
        return []
    found = []
    for path in sorted(landing.rglob("*")):
        rel = path.relative_to(landing)
        if any(part.startswith(("_", ".")) for part in rel.parts) or not path.is_file():
            continue
        found.append(path)
    return found


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def all_profiles(home: DataHome, extra: list[Path] | None = None) -> list[Profile]:
    """User profiles first (given on the command line, then $GRIDPULSE_HOME/profiles), then built-ins."""
    paths = list(extra or []) + sorted((home.root / "profiles").glob("*.yml"))
    return [load_profile(p) for p in paths] + builtin_profiles()


def load(
    home: DataHome,
    landing: Path | None = None,
    profile_paths: list[Path] | None = None,
    progress: Progress | None = None,
) -> LoadReport:
    landing = landing or home.landing
    say = progress or (lambda _msg: None)
    profiles = all_profiles(home, profile_paths)
    report = LoadReport()
    with load_lock(home):
        manifest = read_manifest(home)
        loaded = {r.sha256 for r in manifest if r.status == "loaded"}
        files = discover(landing)
        if not files:
            say(f"no export files in {landing}")
        plans: dict[str, list[tuple[Path, str, RawFile, HeaderMatch]]] = {}
        for path in files:
            rel = path.relative_to(landing).as_posix()
            sha = file_sha256(path)
            if sha in loaded:
                report.skipped.append(rel)
                continue
            plan = _plan(path, profiles)
            if isinstance(plan, str):
                record = _rejected(rel, sha, path, plan)
                report.files.append(record)
                manifest = _upsert(manifest, record)
                say(f"REJECTED {rel}: {plan}")
                continue
            raw, match = plan
            loaded.add(sha)  # the same bytes under a second name are loaded once
            plans.setdefault(match.profile.table, []).append((path, sha, raw, match))
        write_manifest(home, manifest) if report.rejected else None
        todo = sum(len(v) for v in plans.values())
        done = 0
        secret = salt(home)
        for table, group in plans.items():
            con = duckdb.connect()
            con.execute(GCJ02_SQL_MACROS)
            try:
                lake_table = _LakeTable(con, home, group[0][3].profile)
                for path, sha, raw, match in group:
                    done += 1
                    rel = path.relative_to(landing).as_posix()
                    started = time.perf_counter()
                    record = _load_file(con, home, lake_table, path, rel, sha, raw, match, secret)
                    record.seconds = round(time.perf_counter() - started, 3)
                    report.files.append(record)
                    manifest = _upsert(manifest, record)
                    say(
                        f"[{done}/{todo}] {rel} → {table}: {record.rows_read:,} read, {record.rows_accepted:,} accepted"
                        f" ({record.rows_updated:,} updates), {record.rows_quarantined:,} quarantined,"
                        f" {record.rows_duplicate:,} duplicate ({record.seconds:.1f} s)"
                        if record.status == "loaded"
                        else f"[{done}/{todo}] REJECTED {rel}: {record.reason}"
                    )
                lake_table.save()
                write_manifest(home, manifest)
            finally:
                con.close()
    return report


def _upsert(manifest: list[FileRecord], record: FileRecord) -> list[FileRecord]:
    return [r for r in manifest if r.sha256 != record.sha256] + [record]


def _rejected(rel: str, sha: str, path: Path, reason: str, raw: RawFile | None = None, profile: Profile | None = None) -> FileRecord:
    return FileRecord(
        file=rel, sha256=sha, size_bytes=path.stat().st_size,
        source=profile.source if profile else None, entity=profile.entity if profile else None,
        profile=profile.name if profile else None, format=raw.format if raw else None,
        encoding=raw.encoding if raw else None, rows_read=0, rows_accepted=0, rows_quarantined=0,
        rows_duplicate=0, rows_updated=0, status="rejected", reason=reason, loaded_at=datetime.now(), seconds=0.0,
    )


def _plan(path: Path, profiles: list[Profile]) -> tuple[RawFile, HeaderMatch] | str:
    """Sniff the file and choose its profile and header row, or say why it cannot be loaded."""
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return f"unsupported file type '{path.suffix or '(none)'}' (expected .csv, .xlsx, .xls or .geojson)"
    try:
        raw = sniff(path)
    except ReadError as exc:
        return str(exc)
    first_reason = None
    for row, headers in enumerate(raw.header_candidates):
        choice = choose_profile(headers, profiles)
        if isinstance(choice, HeaderMatch):
            raw.header_row = row
            return raw, choice
        first_reason = first_reason or choice
    return first_reason or "no header row"


class _LakeTable:
    """The current state of one lake table, held in memory while files are applied."""

    def __init__(self, con: duckdb.DuckDBPyConnection, home: DataHome, profile: Profile):
        self.con = con
        self.path = home.lake_table(profile.source, profile.entity)
        self.changed = False
        self.exists = self.path.exists()
        if self.exists:
            con.execute("create temp table cur as select * from read_parquet(?)", [str(self.path)])

    def ensure(self, select_sql: str) -> None:
        """Create the table on first use, and add columns a newer profile brings."""
        if not self.exists:
            self.con.execute(f"create temp table cur as {select_sql} limit 0")
            self.exists = True
            return
        have = {r[0] for r in self.con.execute("describe cur").fetchall()}
        for name, ctype, *_ in self.con.execute(f"describe {select_sql}").fetchall():
            if name not in have:
                self.con.execute(f'alter table cur add column "{name}" {ctype}')

    def save(self) -> None:
        if self.changed:
            copy_to_parquet_atomic(self.con, "select * from cur", self.path)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _stage_sql(profile: Profile, match: HeaderMatch, secret: str) -> tuple[str, str]:
    """(typed rows with _reason/_column/_detail, final lake projection) SQL for one file."""
    cols = profile.columns
    clean_parts, typed_parts, reason_cases = [], [], []
    for name, col in cols.items():
        q = _quote(name)
        rq = _quote(name + "__raw")
        pos = match.positions.get(name)
        source = f"c{pos}" if pos is not None else "null::varchar"
        clean_parts.append(f"{N.cleaned(source, col.type)} as {rq}")
        typed, failure = N.parse(col, rq, profile.timestamp_formats)
        typed_parts.append(f"cast({typed} as {N.sql_type(col)}) as {q}")
        label = N.lit(col.headers[0] if col.headers else name)
        if name in profile.key:
            reason_cases.append((f"{rq} is null", "missing_key", name, label))
        elif col.required:
            reason_cases.append((f"{rq} is null", "missing_required", name, label))
        if failure:
            reason_cases.append((f"{rq} is not null and {q} is null", failure, name, f"{label} || ' = ' || {rq}"))
    for check in profile.checks:
        reason_cases.append((f"coalesce({check.when}, false)", check.reason, None, check.detail or N.lit(check.when)))
    reason = "case " + " ".join(f"when {c} then {N.lit(r)}" for c, r, _, _ in reason_cases) + " end"
    column = "case " + " ".join(f"when {c} then {N.lit(n) if n else 'null'}" for c, _, n, _ in reason_cases) + " end"
    detail = "case " + " ".join(f"when {c} then {d}" for c, _, _, d in reason_cases) + " end"
    clean_stage = f"select {', '.join(clean_parts)}, _source_row from raw_file"
    typed_stage = f"select *, {', '.join(typed_parts)} from ({clean_stage})"
    reason_stage = f"select *, {reason} as _reason, {column} as _column, {detail} as _detail from ({typed_stage})"

    # Final lake columns: typed values, personal data masked + pseudonymised, geo, lineage.
    out = []
    for name, col in cols.items():
        q, rq = _quote(name), _quote(name + "__raw")
        if col.pii:
            out.append(f"{N.mask(rq, col.pii)} as {q}")
            out.append(f"{N.pseudonym(rq, secret)} as {_quote(name + '_hash')}")
        elif profile.geo and name in (profile.geo.lon, profile.geo.lat):
            continue
        else:
            out.append(q)
    if profile.geo:
        out += _geo_columns(profile)
    key = "concat_ws(chr(31), " + ", ".join(f"cast({_quote(k)} as varchar)" for k in profile.key) + ")"
    version = _version_sql(profile)
    hashed = [
        f"coalesce(cast({_quote(n + '_hash') if c.pii else _quote(n)} as varchar), chr(0))" for n, c in cols.items()
    ]
    row_hash = f"md5(concat_ws(chr(31), {', '.join(hashed)}))"
    final = f"{', '.join(out)}, {key} as _key, {version} as _version, {row_hash} as _row_hash"
    return reason_stage, final


def _geo_stage(profile: Profile, rows_sql: str) -> str:
    """Wrap ``rows_sql`` with the GCJ-02 → WGS-84 iterations, one projection per round."""
    g = profile.geo
    assert g is not None
    lon, lat = _quote(g.lon), _quote(g.lat)
    sql = f"select *, {lon} as _w0lon, {lat} as _w0lat from ({rows_sql})"
    for i in range(1, GCJ_ROUNDS + 1):
        prev = f"_w{i - 1}lon, _w{i - 1}lat"
        sql = f"select *, {lon} - _gcj_dlon({prev}) as _w{i}lon, {lat} - _gcj_dlat({prev}) as _w{i}lat from ({sql})"
    return sql


def _geo_columns(profile: Profile) -> list[str]:
    g = profile.geo
    assert g is not None
    lon, lat = _quote(g.lon), _quote(g.lat)
    datum = f"coalesce({_quote(g.datum_column)}, {N.lit(g.datum)})" if g.datum_column else N.lit(g.datum)
    valid = f"{lon} between -180 and 180 and {lat} between -90 and 90 and not ({lon} = 0 and {lat} = 0)"
    if g.bbox:
        x0, y0, x1, y1 = g.bbox
        valid += f" and {lon} between {x0} and {x1} and {lat} between {y0} and {y1}"
    quality = f"case when {lon} is null or {lat} is null then 'missing' when {valid} then 'ok' else 'invalid' end"
    is_gcj = f"{datum} = 'gcj02'"
    ok = f"({quality}) = 'ok'"
    last = GCJ_ROUNDS
    return [
        f"case when {ok} then case when {is_gcj} then _w{last}lon else {lon} end end as lon",
        f"case when {ok} then case when {is_gcj} then _w{last}lat else {lat} end end as lat",
        f"{lon} as lon_raw",
        f"{lat} as lat_raw",
        f"{datum} as datum_raw",
        f"{quality} as geo_quality",
    ]


def _version_sql(profile: Profile) -> str:
    parts = []
    for item in profile.version:
        if "greatest" in item:
            cols = ", ".join(f"epoch({_quote(c)})" for c in item["greatest"])
            parts.append(f"coalesce(greatest({cols}), -1)::bigint")
        else:
            order = "[" + ", ".join(N.lit(str(v)) for v in item.get("order", [])) + "]"
            parts.append(f"coalesce(list_position({order}, {_quote(item['column'])}), 0)::bigint")
    return "[" + ", ".join(parts) + "]::bigint[]"


def _prepare_rows(
    con: duckdb.DuckDBPyConnection, profile: Profile, match: HeaderMatch, secret: str, rel: str, sha: str, now: datetime
) -> str:
    """Type and validate ``raw_file`` into temp table ``f_rows``; return the SELECT of its lake rows."""
    reason_stage, final = _stage_sql(profile, match, secret)
    con.execute(f"create or replace temp table f_rows as {reason_stage}")
    lineage = f"{N.lit(rel)} as _file, {N.lit(sha)} as _sha256, _source_row, timestamp '{now}' as _loaded_at"
    good_rows = "select * from f_rows where _reason is null"
    if profile.geo:
        good_rows = _geo_stage(profile, good_rows)
    return f"select {final}, {lineage} from ({good_rows})"


def write_empty_table(home: DataHome, profile: Profile) -> None:
    """An empty lake table with the profile's full schema (for sources nothing was loaded from)."""
    con = duckdb.connect()
    try:
        con.execute(GCJ02_SQL_MACROS)
        con.execute("create temp table raw_file (_source_row bigint)")
        select = _prepare_rows(con, profile, HeaderMatch(profile, {}, []), "", "", "", datetime.now().replace(microsecond=0))
        copy_to_parquet_atomic(con, f"{select} limit 0", home.lake_table(profile.source, profile.entity))
    finally:
        con.close()


def _load_file(
    con: duckdb.DuckDBPyConnection,
    home: DataHome,
    lake_table: _LakeTable,
    path: Path,
    rel: str,
    sha: str,
    raw: RawFile,
    match: HeaderMatch,
    secret: str,
) -> FileRecord:
    profile = match.profile
    try:
        bad_lines = read_raw(con, raw, "raw_file")
    except ReadError as exc:
        return _rejected(rel, sha, path, str(exc), raw, profile)
    except duckdb.Error as exc:
        return _rejected(rel, sha, path, f"cannot parse as CSV: {str(exc).splitlines()[0]}", raw, profile)
    now = datetime.now().replace(microsecond=0)
    select_good = _prepare_rows(con, profile, match, secret, rel, sha, now)
    lake_table.ensure(select_good)

    # Quarantine: rejected rows with reason, plus CSV lines that could not be parsed at all.
    record_json = "to_json(struct_pack(" + ", ".join(
        f"{_quote(n)} := {N.mask(_quote(n + '__raw'), c.pii) if c.pii else _quote(n + '__raw')}"
        for n, c in profile.columns.items()
    ) + "))"
    con.execute(
        f"""create or replace temp table f_quarantine as
        select {N.lit(rel)} as file, {N.lit(sha)} as sha256, {N.lit(profile.source)} as source,
               {N.lit(profile.entity)} as entity, _source_row as source_row, _reason as reason,
               _column as "column", _detail as detail, cast({record_json} as varchar) as record,
               timestamp '{now}' as loaded_at
        from f_rows where _reason is not null"""
    )
    _add_bad_lines(con, bad_lines, rel, sha, profile, now)
    quarantined = con.execute("select count(*) from f_quarantine").fetchone()[0]
    qpath = quarantine_path(home, profile.source, profile.entity, sha)
    if quarantined:
        copy_to_parquet_atomic(con, "select * from f_quarantine order by source_row", qpath)
    else:
        qpath.unlink(missing_ok=True)

    # Keep one row per key inside the file (the latest state), then compare with the lake.
    con.execute(f"create or replace temp table f_best as {select_good}")
    good, distinct = con.execute("select count(*), count(distinct _key) from f_best").fetchone()
    if distinct < good:
        con.execute(
            """create or replace temp table f_best as select * from f_best
            qualify row_number() over (partition by _key order by _version desc, _source_row desc) = 1"""
        )
    if con.execute("select count(*) from cur").fetchone()[0] == 0:
        new, updates = distinct, 0
        con.execute("insert into cur by name select * from f_best")
    else:
        con.execute(
            """create or replace temp table f_cls as
            select b.*, case when c._key is null then 'new'
                             when c._row_hash = b._row_hash or b._version < c._version then 'duplicate'
                             else 'update' end as _class
            from f_best b left join cur c on b._key = c._key"""
        )
        counts = dict(con.execute("select _class, count(*) from f_cls group by 1").fetchall())
        new, updates = counts.get("new", 0), counts.get("update", 0)
        if updates:
            con.execute("delete from cur where _key in (select _key from f_cls where _class = 'update')")
        if new or updates:
            con.execute("insert into cur by name select * exclude (_class) from f_cls where _class <> 'duplicate'")
    lake_table.changed = lake_table.changed or bool(new or updates)
    rows_read = good + quarantined
    return FileRecord(
        file=rel, sha256=sha, size_bytes=path.stat().st_size, source=profile.source, entity=profile.entity,
        profile=profile.name, format=raw.format, encoding=raw.encoding, rows_read=rows_read,
        rows_accepted=new + updates, rows_quarantined=quarantined, rows_duplicate=good - new - updates,
        rows_updated=updates, status="loaded", reason=None, loaded_at=now, seconds=0.0,
    )


def _add_bad_lines(con: duckdb.DuckDBPyConnection, bad: list[BadLine], rel: str, sha: str, profile: Profile, now: datetime) -> None:
    if not bad:
        return
    con.execute("create or replace temp table _bad as select unnest(?::bigint[]) as r, unnest(?::varchar[]) as e, unnest(?::varchar[]) as t",
                [[b.source_row for b in bad], [b.error for b in bad], [b.text for b in bad]])
    con.execute(
        f"""insert into f_quarantine
        select {N.lit(rel)}, {N.lit(sha)}, {N.lit(profile.source)}, {N.lit(profile.entity)}, r, 'malformed_line',
               null, e, {N.mask_free_text('t')}, timestamp '{now}' from _bad"""
    )
