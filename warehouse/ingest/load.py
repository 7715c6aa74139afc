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
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path

import duckdb

from warehouse.home.diskspace import disk_full_stops
from warehouse.home.locks import load_lock
from warehouse.home.paths import DataHome
from warehouse.lake import checkpoints
from warehouse.lake.generations import lake_transaction
from warehouse.lake.manifest import (
    FileRecord,
    copy_to_parquet_atomic,
    quarantine_path,
    read_manifest,
    write_manifest,
)

from . import normalize as N
from .geo import GCJ02_SQL_MACROS
from .landing import files_in as landing_files
from .landing import identity as landing_identity
from .landing import refusal as landing_refusal
from .landing import tidy_reason
from .masking import mask_line, scrub_sql
from .profile import Column, HeaderMatch, Profile, builtin_profiles, choose_profile, load_profile
from .pseudonyms import pseudonym_key
from .readers import RawFile, ReadError, append_raw, sniff

SUPPORTED_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xls", ".geojson", ".json"}
GCJ_ROUNDS = 3
MERGERS = 2  # groups merged at once (each in its own database), while later files are read

Progress = Callable[[str], None]


@dataclass
class LoadReport:
    files: list[FileRecord] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already loaded (same sha256)

    @property
    def rejected(self) -> list[FileRecord]:
        return [f for f in self.files if f.status == "rejected"]

    @property
    def all_quarantined(self) -> list[FileRecord]:
        """Files read whose every row was quarantined: the profile does not fit them yet."""
        return [f for f in self.files if f.status == "loaded" and f.rows_read and f.rows_quarantined == f.rows_read]

    def summary(self) -> str:
        loaded = [f for f in self.files if f.status == "loaded"]
        total = {k: sum(getattr(f, k) for f in loaded) for k in ("rows_read", "rows_accepted", "rows_quarantined", "rows_duplicate")}
        lines = [
            f"{len(loaded)} file(s) loaded, {len(self.rejected)} rejected, {len(self.skipped)} already loaded.",
            f"rows: {total['rows_read']:,} read = {total['rows_accepted']:,} accepted + "
            f"{total['rows_quarantined']:,} quarantined + {total['rows_duplicate']:,} duplicate",
        ]
        lines += [f"REJECTED {f.file}: {f.reason}" for f in self.rejected]
        lines += [f"ALL {f.rows_read:,} ROWS QUARANTINED in {f.file} (profile {f.profile}): see `gridpulse status`, "
                  f"fix the profile, then `gridpulse reload {f.file}`" for f in self.all_quarantined]
        if not total["rows_accepted"]:
            lines.append("nothing new: no row was added to the lake or changed in it.")
        return "\n".join(lines)


def discover(landing: Path) -> list[Path]:
    """Export files under ``landing`` in name order (symlinks too, to be rejected); names starting with '_' or '.' are skipped."""
    return landing_files(landing)


class LoadError(Exception):
    """A load that cannot start as asked; the message says why in one line."""


def reread_files(home: DataHome, landing: Path, names: list[str]) -> list[str]:
    """The loaded files ``gridpulse reload`` reads again: ``names`` (as given, or relative to the landing
    folder), or by default every loaded file with quarantined rows whose bytes are still in landing or
    the archive. LoadError for a name that is not a loaded file."""
    manifest = {r.file: r for r in read_manifest(home)}
    if not names:
        return sorted(f for f, r in manifest.items() if r.status == "loaded" and r.rows_quarantined
                      and locate_loaded(home, landing, r) is not None)
    chosen = []
    for name in names:
        rel, path = name, Path(name)
        if path.exists() and path.resolve().is_relative_to(landing.resolve()):  # a path rather than a manifest name
            rel = path.resolve().relative_to(landing.resolve()).as_posix()
        if rel not in manifest:
            raise LoadError(f"{name} was never loaded from {landing}: `gridpulse load` reads new files")
        chosen.append(rel)
    return chosen


@contextmanager
def _sources(home: DataHome, landing: Path, manifest: list[FileRecord], reread: list[str] | None):
    """(folder to read, sha256 → lake table of the files read again): ``landing`` for a load; for a
    reload, a folder linking the loaded bytes of ``reread`` (from landing or the archive)."""
    if reread is None:
        yield landing, {}
        return
    by_name = {r.file: r for r in manifest}
    with tempfile.TemporaryDirectory(prefix=".reload-", dir=home.root) as replay:
        for name in reread:
            found = locate_loaded(home, landing, by_name[name])
            if found is None:
                raise LoadError(f"{name} is no longer in {landing} or the archive as it was loaded: "
                                "it cannot be read again (`gridpulse load` reads a changed file as a new one)")
            link_into(found, Path(replay) / name)
        yield Path(replay), {by_name[n].sha256: f"{by_name[n].source}/{by_name[n].entity}" for n in reread}


def locate_loaded(home: DataHome, landing: Path, record: FileRecord) -> Path | None:
    """Where the bytes of a loaded file still are: landing, or the newest archive holding them."""
    archived = sorted(home.root.glob(f"archive/*/{record.file}"), reverse=True)
    for path in [landing / record.file, *archived]:
        if path.is_file() and not path.is_symlink() and file_sha256(path) == record.sha256:
            return path
    return None


def link_into(source: Path, target: Path) -> Path:
    """``target`` made a hard link of ``source`` (a copy across file systems)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
    return target


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


@dataclass
class _Examined:
    """A landing file after hashing and sniffing: its plan, a reason it cannot be loaded, or None if loaded before."""

    path: Path
    rel: str
    sha: str
    plan: tuple[RawFile, HeaderMatch] | str | None


def load(
    home: DataHome,
    landing: Path | None = None,
    profile_paths: list[Path] | None = None,
    progress: Progress | None = None,
    reread: list[str] | None = None,
) -> LoadReport:
    """Load every new file under ``landing``; with ``reread``, read only those files (names as
    :func:`reread_files` gives them) again instead, replacing their rows and quarantine."""
    landing = landing or home.landing
    say = progress or (lambda _msg: None)
    profiles = all_profiles(home, profile_paths)
    full = disk_full_stops("gridpulse load", home, "the lake was left as it was")
    with full, load_lock(home), lake_transaction(home) as staged:  # switched in whole, or not at all
        with _sources(home, landing, read_manifest(staged), reread) as (folder, replaces):
            files = discover(folder)
            if not files:
                say(f"no export files in {landing}")
            report = load_into(staged, files, folder, profiles, say, replaces)
        checkpoints.reached("load:written")
    checkpoints.reached("load:switched")
    return report


def load_into(
    staged: DataHome, files: list[Path], landing: Path, profiles: list[Profile], say: Progress,
    replaces: dict[str, str] | None = None,
) -> LoadReport:
    """Load ``files`` (under ``landing``) into the lake generation ``staged`` is writing; ``replaces``:
    sha256 → lake table of the files read again (their earlier rows and quarantine are replaced)."""
    run = _Run(staged, read_manifest(staged), pseudonym_key(staged), say)
    run.replaces = replaces or {}
    examiner = _Examiner(files, landing, profiles, run.loaded_shas() - set(run.replaces))
    try:
        for done, item in enumerate(examiner, 1):
            run.take(item, f"[{done}/{len(files)}]")
            run.merge_complete(examiner.last_files(), done)
            checkpoints.reached("load:read")
        run.conclude()
    finally:
        examiner.close()
        run.close()
    return run.report


class _Examiner:
    """Hashes and sniffs the landing files in name order on a worker thread, ahead of the reads."""

    def __init__(self, files: list[Path], landing: Path, profiles: list[Profile], loaded: set[str]):
        self.landing, self.profiles, self.loaded = landing, profiles, loaded
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gridpulse-sniff")
        self.futures = [self.pool.submit(self._examine, path) for path in files]
        self._last: dict[str, int] | None = None

    def __iter__(self) -> Iterator[_Examined]:
        return (future.result() for future in self.futures)

    def last_files(self) -> dict[str, int] | None:
        """Index of each profile's last file to load, once every file has been examined (None before)."""
        if self._last is None and (not self.futures or self.futures[-1].done()):  # one worker: done in order
            self._last = {}
            for index, item in enumerate(self):
                if isinstance(item.plan, tuple):
                    self._last[item.plan[1].profile.name] = index
        return self._last

    def close(self) -> None:
        """Stop examining; drop the UTF-8 copies of files examined but never read (a load that failed)."""
        self.pool.shutdown(cancel_futures=True)
        for future in self.futures:
            if future.done() and not future.cancelled() and future.exception() is None:
                plan = future.result().plan
                if isinstance(plan, tuple):
                    plan[0].discard()

    def _examine(self, path: Path) -> _Examined:
        rel = path.relative_to(self.landing).as_posix()
        refused = landing_refusal(path)  # before a byte is read
        if refused:
            return _Examined(path, rel, landing_identity(path, self.landing), refused)
        sha = file_sha256(path)
        if sha in self.loaded:
            return _Examined(path, rel, sha, None)
        plan = _plan(path, self.profiles)
        if not isinstance(plan, str):
            self.loaded.add(sha)  # the same bytes under a second name are loaded once
        return _Examined(path, rel, sha, plan)


class _Run:
    """One load: files are read into their profile's group, and each group is merged on a worker
    thread once its last file is in, while later files are read. Groups that write the same lake
    table merge one after another, in the order they first appeared."""

    def __init__(self, home: DataHome, manifest: list[FileRecord], secret: str, say: Progress):
        self.home, self.manifest, self.secret, self.say = home, manifest, secret, say
        self.report = LoadReport()
        self.replaces: dict[str, str] = {}  # sha256 → lake table of files read again (gridpulse reload)
        self.groups: dict[str, _Group] = {}
        self.merging: dict[str, Future[str]] = {}
        self.merger = ThreadPoolExecutor(max_workers=MERGERS, thread_name_prefix="gridpulse-merge")

    def loaded_shas(self) -> set[str]:
        return {r.sha256 for r in self.manifest if r.status == "loaded"}

    def take(self, item: _Examined, counter: str) -> None:
        """Skip, reject or read one examined file."""
        if item.plan is None:
            self.report.skipped.append(item.rel)
        elif isinstance(item.plan, str):
            record = _rejected(item.rel, item.sha, item.path, item.plan)
            self._record(record)
            self.say(f"REJECTED {item.rel}: {record.reason}")
        elif self._moved(item):
            self.say(f"REJECTED {item.rel}: {self.report.files[-1].reason}")
        else:
            raw, match = item.plan
            if match.profile.name not in self.groups:
                self.groups[match.profile.name] = _Group(self.home, match.profile, self.secret)
                self.groups[match.profile.name].replaces = set(self.replaces)
            record = self.groups[match.profile.name].read(item.path, item.rel, item.sha, raw, match)
            self.say(f"{counter} read {item.rel}: {record.rows_read:,} rows" if record.status == "loaded"
                     else f"{counter} REJECTED {item.rel}: {record.reason}")

    def merge_complete(self, last_files: dict[str, int] | None, done: int) -> None:
        """Start merging each group whose last file is among the first ``done`` files, unless a group
        that came first still has to merge into the same lake table."""
        for name in self.groups:
            if last_files is not None and last_files.get(name, -1) < done and self._table_free(name):
                self._merge(name)

    def conclude(self) -> None:
        """Merge the groups still open, then wait for each merge in turn and record its files in the manifest."""
        write_manifest(self.home, self.manifest) if self.report.rejected else None
        for name in self.groups:
            for earlier in self._before_on_same_table(name):
                self.merging[earlier].result()
            self._merge(name)
        for name, group in self.groups.items():
            self.say(self.merging[name].result())
            checkpoints.reached("load:merged")
            for record in group.records:
                self._record(record)
            write_manifest(self.home, self.manifest)

    def _merge(self, name: str) -> None:
        if name not in self.merging:
            self.merging[name] = self.merger.submit(self.groups[name].finish)

    def _before_on_same_table(self, name: str) -> list[str]:
        """Groups that came before ``name`` and write the same lake table: they merge first, one at a time."""
        names = list(self.groups)
        table = self.groups[name].profile.table
        return [n for n in names[: names.index(name)] if self.groups[n].profile.table == table]

    def _table_free(self, name: str) -> bool:
        return all(n in self.merging and self.merging[n].done() for n in self._before_on_same_table(name))

    def close(self) -> None:
        self.merger.shutdown(cancel_futures=True)  # waits for the merges under way
        for group in self.groups.values():
            group.close()

    def _moved(self, item: _Examined) -> bool:
        """A file read again whose profile now writes another lake table: refused (its rows would be in two)."""
        table = self.replaces.get(item.sha)
        raw, match = item.plan  # type: ignore[misc]
        if table is None or table == match.profile.table:
            return False
        raw.discard()
        self._record(_rejected(item.rel, item.sha, item.path, f"its profile now writes {match.profile.table}, not "
                               f"{table}: unload the file first", raw, match.profile))
        return True

    def _record(self, record: FileRecord) -> None:
        self.report.files.append(record)
        if record.status == "rejected" and record.sha256 in self.replaces:
            return  # a file read again that failed keeps its earlier rows and manifest record
        self.manifest = _upsert(self.manifest, record)


def _upsert(manifest: list[FileRecord], record: FileRecord) -> list[FileRecord]:
    return [r for r in manifest if r.sha256 != record.sha256] + [record]


def _rejected(rel: str, sha: str, path: Path, reason: str, raw: RawFile | None = None, profile: Profile | None = None) -> FileRecord:
    return FileRecord(
        file=rel, sha256=sha, size_bytes=path.lstat().st_size,
        source=profile.source if profile else None, entity=profile.entity if profile else None,
        profile=profile.name if profile else None, format=raw.format if raw else None,
        encoding=raw.encoding if raw else None, rows_read=0, rows_accepted=0, rows_quarantined=0,
        rows_duplicate=0, rows_updated=0, status="rejected", reason=tidy_reason(reason), loaded_at=datetime.now(),
        seconds=0.0,
    )


def _plan(path: Path, profiles: list[Profile]) -> tuple[RawFile, HeaderMatch] | str:
    """Sniff the file and choose its profile and header row, or say why it cannot be loaded."""
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return f"unsupported file type '{path.suffix or '(none)'}' (expected .csv, .tsv, .txt, .xlsx, .xls or .geojson)"
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
    raw.discard()
    return first_reason or "no header row"


class _Group:
    """One profile's files in their own DuckDB connection: read one by one, then typed, checked and merged at once."""

    def __init__(self, home: DataHome, profile: Profile, secret: str):
        self.home, self.profile, self.secret = home, profile, secret
        self.records: list[FileRecord] = []
        self.replaces: set[str] = set()  # sha256 of files read again: their rows in the lake are replaced
        self.con = duckdb.connect()
        self.con.execute(GCJ02_SQL_MACROS)
        self.con.execute(f"create temp table group_raw as select {_raw_columns(profile, None)}, "
                         "0::bigint as _source_row, 0 as _ord where false")
        self.con.execute("create temp table group_bad (_ord integer, source_row bigint, error varchar, text varchar)")

    def read(self, path: Path, rel: str, sha: str, raw: RawFile, match: HeaderMatch) -> FileRecord:
        """Append one file's rows to ``group_raw`` (and its broken lines to ``group_bad``)."""
        order = len(self.records)
        try:
            rows, bad_lines = append_raw(self.con, raw, "group_raw", f"{_raw_columns(self.profile, match)}, _source_row, {order}")
        except ReadError as exc:
            record = _rejected(rel, sha, path, str(exc), raw, self.profile)
        except duckdb.Error as exc:
            record = _rejected(rel, sha, path, f"cannot parse as CSV: {str(exc).splitlines()[0]}", raw, self.profile)
        else:
            if bad_lines:
                self.con.executemany("insert into group_bad values (?, ?, ?, ?)",
                                     [[order, b.source_row, b.error, self._masked(b.text, raw, match)]
                                      for b in bad_lines])
            record = _read_record(rel, sha, path, raw, self.profile, rows + len(bad_lines))
        self.records.append(record)
        return record

    def _masked(self, line: str, raw: RawFile, match: HeaderMatch) -> str:
        """A malformed line with the personal data in any of its fields masked (it is kept as text)."""
        pii = {match.positions[n]: c.pii for n, c in self.profile.columns.items()
               if c.pii and match.positions.get(n) is not None}
        return mask_line(line, getattr(raw, "_delimiter", ","), pii, len(raw.headers))

    def finish(self) -> str:
        """Type, check, quarantine and merge every file read; fill the records' counts and say what happened."""
        started = time.perf_counter()
        try:
            self._create_files_table()
            _load_group(self.con, self.home, self.profile, self.records, self.secret, self.replaces)
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
        self.path = home.lake_table(profile.source, profile.entity)
        self.replaces = replaces

    def merge(self, lake_rows: str, records: list[FileRecord]) -> None:
        """Classify the good rows, fill the records' counts, and rewrite the table if anything changed.

        ``lake_rows`` selects the good rows of ``f_rows`` as lake rows, plus ``_ord``.
        """
        has_lake = self.path.exists()
        lake_columns = None
        if has_lake:
            lake = f"read_parquet({N.lit(str(self.path))})"
            lake_columns = set(_columns(self.con, f"select * from {lake}"))
            stale = " exclude (_row_hash)" if "_row_hash" in lake_columns else ""  # stored by earlier versions
            lake_columns.discard("_row_hash")
            self.con.execute(f"create or replace temp view cur as select *{stale} from {lake}{self._kept_rows()}")
        self._classify(lake_columns)
        good = dict(self.con.execute("select _ord, count(*) from f_rows where _reason is null group by 1").fetchall())
        counts = {
            (order, cls): n
            for order, cls, n in self.con.execute("select _ord, _class, count(*) from classified group by all").fetchall()
        }
        for order, record in enumerate(records):
            if record.status != "loaded":
                continue
            record.rows_updated = counts.get((order, "update"), 0)
            record.rows_duplicate = counts.get((order, "duplicate"), 0)
            record.rows_accepted = good.get(order, 0) - record.rows_duplicate
        if sum(good.values()) == sum(n for (_, cls), n in counts.items() if cls == "duplicate") and not self.replaces:
            return
        # Written: every row that is its key's last non-duplicate occurrence (the only one, for most keys).
        query = (f"select * exclude (_ord) from ({lake_rows}) "
                 "anti join (select _ord, _source_row from classified where not _wins) using (_ord, _source_row)")
        if has_lake:
            query = ("select * from cur anti join (select _key from classified where _class <> 'duplicate') using (_key) "
                     f"union all by name {query}")
        copy_to_parquet_atomic(self.con, query, self.path)

    def _kept_rows(self) -> str:
        """WHERE clause dropping the lake rows of files read again: their re-read rows take their place."""
        if not self.replaces:
            return ""
        return f" where _sha256 not in ({', '.join(N.lit(s) for s in sorted(self.replaces))})"

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
        content = {n: t for n, t in _columns(self.con, "select * from f_rows").items() if n not in _NOT_CONTENT}
        lake_rows = ""
        if lake_columns is not None:
            lake_hash = "hash(" + ", ".join(
                f"cast({_quote(n) if n in lake_columns else 'null'} as {t})" for n, t in content.items()) + ")"
            lake_rows = (f"select _key, {lake_hash} as _row_hash, _version, -1 as _ord, 0 as _source_row "
                         "from cur semi join contested using (_key) union all")
        row_hash = "hash(" + ", ".join(_quote(n) for n in content) + ")"
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


# Columns of ``f_rows`` that are not a record's content: its key and version, where it was read, why it failed.
_NOT_CONTENT = {"_key", "_version", "_ord", "_source_row", "_reason", "_column", "_detail", "_record"}


def _columns(con: duckdb.DuckDBPyConnection, select: str) -> dict[str, str]:
    """Column name → SQL type of a SELECT's result (nothing is read)."""
    return {name: ctype for name, ctype, *_ in con.execute(f"describe {select}").fetchall()}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _rows_sql(profile: Profile, secret: str) -> str:
    """Every row of ``group_raw`` cleaned, typed, checked and projected to its lake columns, in one SELECT.

    Columns: the lake columns (typed values, personal data masked + pseudonymised, geo),
    ``_key``, ``_version``, then ``_ord``, ``_source_row`` and, for a row
    that fails a check, ``_reason``/``_column``/``_detail`` and its masked ``_record``.
    """
    cols = profile.columns
    clean_parts, typed_parts, reason_cases = [], [], []
    for name, col in cols.items():
        q = _quote(name)
        rq = _quote(name + "__raw")
        clean_parts.append(f"{N.rewritten(N.cleaned(_quote(name + '__src'), col.type), col.normalize)} as {rq}")
        typed, failure = N.parse(col, rq, profile.timestamp_formats, profile.timezone)
        typed_parts.append(f"cast({typed} as {N.sql_type(col)}) as {q}")
        label = N.lit(col.headers[0] if col.headers else name)
        if name in profile.key:
            reason_cases.append((f"{rq} is null", "missing_key", name, label))
        elif col.required:
            reason_cases.append((f"{rq} is null", "missing_required", name, label))
        if failure:
            reason_cases += _date_order_cases(col, rq, q, label)
            reason_cases.append((f"{rq} is not null and {q} is null", failure, name, f"{label} || ' = ' || {rq}"))
    for check in profile.checks:
        reason_cases.append((f"coalesce({check.when}, false)", check.reason, None, check.detail or N.lit(check.when)))
    reason = "case " + " ".join(f"when {c} then {N.lit(r)}" for c, r, _, _ in reason_cases) + " end"
    column = "case " + " ".join(f"when {c} then {N.lit(n) if n else 'null'}" for c, _, n, _ in reason_cases) + " end"
    detail = "case " + " ".join(f"when {c} then {d}" for c, _, _, d in reason_cases) + " end"
    clean_stage = f"select {', '.join(clean_parts)}, _source_row, _ord from group_raw"
    typed_stage = f"select *, {', '.join(typed_parts)} from ({clean_stage})"
    rows = f"select *, {reason} as _reason, {column} as _column, {detail} as _detail from ({typed_stage})"
    if profile.geo:
        rows = _geo_stage(profile, rows)
    names = _name_values(profile)
    record = "to_json(struct_pack(" + ", ".join(
        f"{_quote(n)} := {N.mask(_quote(n + '__raw'), c.pii) if c.pii else scrub_sql(_quote(n + '__raw'), names)}"
        for n, c in cols.items()
    ) + "))"
    checked = (f"_reason, _column, {scrub_sql('_detail', names)} as _detail, "
               f"case when _reason is not null then cast({record} as varchar) end as _record")
    return f"select {_lake_columns(profile, secret)}, _ord, _source_row, {checked} from ({rows})"


def _date_order_cases(col: Column, rq: str, q: str, label: str) -> list[tuple[str, str, str, str]]:
    """Quarantine cases for a date written day or month first that no format read (05/03/2025): the reason
    says which order it looks like and the detail the `formats` line that would read it."""
    if col.type not in ("timestamp", "date") or col.values:
        return []
    day_first, month_first, day_format, month_format = N.date_order(rq)
    failed = f"{rq} is not null and {q} is null"

    def detail(order: str, fmt: str) -> str:
        tail = N.lit(f'"] to columns.{col.name} in the profile (or to timestamp_formats)')
        return f"{label} || ' = ' || {rq} || {N.lit(f': {order}; add formats: [')} || '\"' || {fmt} || {tail}"

    return [
        (f"{failed} and {day_first}", "day_first_date", col.name, detail("looks written day first (DD/MM/YYYY)", day_format)),
        (f"{failed} and {month_first}", "month_first_date", col.name, detail("written month first (MM/DD/YYYY)", month_format)),
    ]


def _lake_columns(profile: Profile, secret: str) -> str:
    """The lake columns of a typed row: typed values, personal data masked + pseudonymised, geo, key and version."""
    cols = profile.columns
    out = []
    for name, col in cols.items():
        q, rq = _quote(name), _quote(name + "__raw")
        if col.pii:
            out.append(f"{_kept_value(profile, col)} as {q}")
            out.append(f"{N.pseudonym(rq, secret)} as {_quote(name + '_hash')}")
        elif profile.geo and name in (profile.geo.lon, profile.geo.lat):
            continue
        else:
            out.append(f"{_kept_value(profile, col)} as {q}")
    if profile.geo:
        out += _geo_columns(profile)
    out.append(_extra_column(profile))
    key = "concat_ws(chr(31), " + ", ".join(f"cast({_quote(k)} as varchar)" for k in profile.key) + ")"
    return f"{', '.join(out)}, {key} as _key, {_version_sql(profile)} as _version"


def _kept_value(profile: Profile, col: Column) -> str:
    """SQL of the value the lake keeps of a typed column: personal data masked, free text scrubbed."""
    if col.pii:
        return N.mask(_quote(col.name + "__raw"), col.pii)
    if col.type == "text" and any(c.pii for c in profile.columns.values()):
        # free text of an export that holds personal data: a number or name may be quoted in it
        return scrub_sql(_quote(col.name), _name_values(profile))
    return _quote(col.name)


def _name_values(profile: Profile) -> list[str]:
    """SQL of the row's raw values of its name columns (masked wherever else they appear)."""
    return [_quote(n + "__raw") for n, c in profile.columns.items() if c.pii == "name"]


@cache
def _canonical_columns() -> dict[str, frozenset[str]]:
    """Lake table → the columns its built-in profiles define: what the warehouse reads from it."""
    tables: dict[str, set[str]] = {}
    for builtin in builtin_profiles():
        tables.setdefault(builtin.table, set()).update(builtin.columns)
    return {table: frozenset(names) for table, names in tables.items()}


def _extra_column(profile: Profile) -> str:
    """``_extra``: a JSON object of the profile's columns that its (built-in) lake table does not define,
    such as a city's own on-time verdict, so the release can keep them next to the record; else NULL."""
    canonical = _canonical_columns().get(profile.table)
    extra = {n: c for n, c in profile.columns.items() if canonical is not None and n not in canonical}
    if not extra:
        return "null::json as _extra"
    values = {n: _kept_value(profile, c) for n, c in extra.items()}
    packed = ", ".join(f"{_quote(n)} := {v}" for n, v in values.items())
    blank = " and ".join(f"{v} is null" for v in values.values())
    return f"case when not ({blank}) then to_json(struct_pack({packed})) end as _extra"


def _geo_stage(profile: Profile, rows_sql: str) -> str:
    """Wrap ``rows_sql`` with the GCJ-02 → WGS-84 iterations, one projection per round."""
    g = profile.geo
    assert g is not None
    lon, lat = _quote(g.lon), _quote(g.lat)
    datum = f"coalesce({_quote(g.datum_column)}, {N.lit(g.datum)})" if g.datum_column else N.lit(g.datum)
    sql = f"select *, case when {datum} = 'gcj02' then {lon} end as _w0lon, {lat} as _w0lat from ({rows_sql})"
    for i in range(1, GCJ_ROUNDS + 1):
        prev = f"_w{i - 1}lon, _w{i - 1}lat"
        sql = (f"select *, case when _w0lon is not null then {lon} - _gcj_dlon({prev}) end as _w{i}lon,"
               f" case when _w0lon is not null then {lat} - _gcj_dlat({prev}) end as _w{i}lat from ({sql})")
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


def _lake_rows(now: datetime, profile: Profile) -> str:
    """SELECT of the good rows of ``f_rows`` as lake rows (lineage last), plus ``_ord``.

    ``_timezone`` records the zone the row's timestamps are wall-clock times in (the profile's), ``_no_deadline``
    the profile's rule for a case without a deadline (``on_time`` once closed, or ``unknown``).
    """
    helpers = "_ord, _source_row, _reason, _column, _detail, _record"
    lineage = (f"f._file, f._sha256, r._source_row, timestamp '{now}' as _loaded_at, "
               f"{N.lit(profile.timezone)} as _timezone, {N.lit(profile.no_deadline)} as _no_deadline, r._ord")
    return f"select r.* exclude ({helpers}), {lineage} from f_rows r join group_files f using (_ord) where r._reason is null"


def _raw_columns(profile: Profile, match: HeaderMatch | None) -> str:
    """Rename a file's positional columns to the profile's canonical names (NULL where absent)."""
    parts = []
    for name in profile.columns:
        pos = match.positions.get(name) if match else None
        parts.append(f"{f'c{pos}' if pos is not None else 'null::varchar'} as {_quote(name + '__src')}")
    return ", ".join(parts)


def _empty_rows_sql(con: duckdb.DuckDBPyConnection, profile: Profile) -> str:
    """Set up ``con`` so the returned SELECT yields no rows with ``profile``'s full lake schema."""
    con.execute(GCJ02_SQL_MACROS)
    con.execute(f"create temp table group_raw as select {_raw_columns(profile, None)}, 0::bigint as _source_row, 0 as _ord where false")
    con.execute("create temp table group_files (_ord integer, _file varchar, _sha256 varchar)")
    con.execute(f"create temp table f_rows as {_rows_sql(profile, '')}")
    return f"select * exclude (_ord) from ({_lake_rows(datetime.now().replace(microsecond=0), profile)})"


def write_empty_table(home: DataHome, profile: Profile) -> None:
    """An empty lake table with the profile's full schema (for sources nothing was loaded from)."""
    con = duckdb.connect()
    try:
        copy_to_parquet_atomic(con, _empty_rows_sql(con, profile), home.lake_table(profile.source, profile.entity))
    finally:
        con.close()


def lake_schema(profile: Profile) -> dict[str, str]:
    """Column name → SQL type of the lake rows ``profile`` writes."""
    con = duckdb.connect()
    try:
        return _columns(con, _empty_rows_sql(con, profile))
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
    path = home.lake_table(source, entity)
    con = duckdb.connect()
    try:
        have = _columns(con, f"select * from read_parquet({N.lit(str(path))})")
        missing = [name for name in contract if name not in have]
        if missing:
            added = ", ".join(f"null::{contract[n]} as {_quote(n)}" for n in missing)
            copy_to_parquet_atomic(con, f"select *, {added} from read_parquet({N.lit(str(path))})", path)
        return missing
    finally:
        con.close()


def _read_record(rel: str, sha: str, path: Path, raw: RawFile, profile: Profile, rows_read: int) -> FileRecord:
    return FileRecord(
        file=rel, sha256=sha, size_bytes=path.stat().st_size, source=profile.source, entity=profile.entity,
        profile=profile.name, format=raw.format, encoding=raw.encoding, rows_read=rows_read,
        rows_accepted=0, rows_quarantined=0, rows_duplicate=0, rows_updated=0, status="loaded", reason=None,
        loaded_at=datetime.now().replace(microsecond=0), seconds=0.0,
    )


def _load_group(
    con: duckdb.DuckDBPyConnection, home: DataHome, profile: Profile, records: list[FileRecord], secret: str,
    replaces: set[str] | None = None,
) -> None:
    """Type, validate, quarantine and merge every file of one profile at once; fill the records' counts."""
    now = datetime.now().replace(microsecond=0)
    con.execute(f"create temp table f_rows as {_rows_sql(profile, secret)}")
    con.execute("drop table group_raw")  # typed rows replace the raw text from here on
    con.execute(
        f"""create or replace temp table f_quarantine as
        select _ord, f._file as file, f._sha256 as sha256, {N.lit(profile.source)} as source,
               {N.lit(profile.entity)} as entity, _source_row as source_row, _reason as reason,
               _column as "column", _detail as detail, _record as record, timestamp '{now}' as loaded_at
        from f_rows join group_files f using (_ord) where _reason is not null
        union all
        select _ord, f._file, f._sha256, {N.lit(profile.source)}, {N.lit(profile.entity)}, source_row,
               'malformed_line', null, error, {N.mask_free_text('text')}, timestamp '{now}'
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
                con, f"select * exclude (_ord) from f_quarantine where _ord = {order} order by source_row", qpath
            )
        else:
            qpath.unlink(missing_ok=True)
    _LakeTable(con, home, profile, replaces or set()).merge(_lake_rows(now, profile), records)
