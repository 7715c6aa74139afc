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

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from warehouse.home.diskspace import disk_full_stops
from warehouse.home.locks import load_lock
from warehouse.home.paths import DataHome
from warehouse.lake import checkpoints
from warehouse.lake.contract import apply_contract
from warehouse.lake.generations import lake_transaction
from warehouse.lake.manifest import FileRecord, read_manifest, write_manifest

from .examine import Examined, Examiner
from .group import Group
from .profile import Profile
from .pseudonyms import pseudonym_key
from .records import LoadReport, rejected_record, upsert
from .sources import all_profiles, discover, source_folder

MERGERS = 2  # groups merged at once (each in its own database), while later files are read

Progress = Callable[[str], None]
Step = Callable[[int, int], None]


def load(
    home: DataHome,
    landing: Path | None = None,
    profile_paths: list[Path] | None = None,
    progress: Progress | None = None,
    reread: list[str] | None = None,
    step: Step | None = None,
) -> LoadReport:
    """Load every new file under ``landing``; with ``reread``, read only those files (names as
    :func:`reread_files` gives them) again instead, replacing their rows and quarantine.
    ``progress`` gets a line per file, ``step`` (files done, files in all) drives a progress bar."""
    landing = landing or home.landing
    say = progress or (lambda _msg: None)
    profiles = all_profiles(home, profile_paths)
    full = disk_full_stops("gridpulse load", home, "the lake was left as it was")
    with full, load_lock(home), lake_transaction(home) as staged:  # switched in whole, or not at all
        with source_folder(home, landing, read_manifest(staged), reread) as (folder, replaces):
            files = discover(folder)
            if not files:
                say(f"no export files in {landing}")
            report = load_into(staged, files, folder, profiles, say, replaces, step)
        apply_contract(staged)  # every table dbt reads, with every column, before the lake is switched in
        checkpoints.reached("load:written")
    checkpoints.reached("load:switched")
    return report


def load_into(
    staged: DataHome,
    files: list[Path],
    landing: Path,
    profiles: list[Profile],
    say: Progress,
    replaces: dict[str, str] | None = None,
    step: Step | None = None,
) -> LoadReport:
    """Load ``files`` (under ``landing``) into the lake generation ``staged`` is writing; ``replaces``:
    sha256 → lake table of the files read again (their earlier rows and quarantine are replaced)."""
    run = _Run(staged, read_manifest(staged), pseudonym_key(staged), say)
    run.replaces = replaces or {}
    examiner = Examiner(files, landing, profiles, run.loaded_shas() - set(run.replaces))
    try:
        for done, item in enumerate(examiner, 1):
            run.take(item, f"[{done}/{len(files)}]")
            if step:
                step(done, len(files))
            run.merge_complete(examiner.last_files(), done)
            checkpoints.reached("load:read")
        run.conclude()
    finally:
        examiner.close()
        run.close()
    return run.report


class _Run:
    """One load: files are read into their profile's group, and each group is merged on a worker
    thread once its last file is in, while later files are read. Groups that write the same lake
    table merge one after another, in the order they first appeared."""

    def __init__(self, home: DataHome, manifest: list[FileRecord], secret: str, say: Progress):
        self.home, self.manifest, self.secret, self.say = home, manifest, secret, say
        self.report = LoadReport()
        self.replaces: dict[str, str] = {}  # sha256 → lake table of files read again (gridpulse reload)
        self.groups: dict[str, Group] = {}
        self.merging: dict[str, Future[str]] = {}
        self.merger = ThreadPoolExecutor(max_workers=MERGERS, thread_name_prefix="gridpulse-merge")

    def loaded_shas(self) -> set[str]:
        return {r.sha256 for r in self.manifest if r.status == "loaded"}

    def take(self, item: Examined, counter: str) -> None:
        """Skip, reject or read one examined file."""
        if item.plan is None:
            self.report.skipped.append(item.rel)
        elif isinstance(item.plan, str):
            record = rejected_record(item.rel, item.sha, item.path, item.plan)
            self._record(record)
            self.say(f"REJECTED {item.rel}: {record.reason}")
        elif self._moved(item):
            self.say(f"REJECTED {item.rel}: {self.report.files[-1].reason}")
        else:
            raw, match = item.plan
            if match.profile.name not in self.groups:
                self.groups[match.profile.name] = Group(self.home, match.profile, self.secret)
                self.groups[match.profile.name].replaces = set(self.replaces)
            record = self.groups[match.profile.name].read(item.path, item.rel, item.sha, raw, match)
            self.say(
                f"{counter} read {item.rel}: {record.rows_read:,} rows"
                if record.status == "loaded"
                else f"{counter} REJECTED {item.rel}: {record.reason}"
            )

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

    def _moved(self, item: Examined) -> bool:
        """A file read again whose profile now writes another lake table: refused (its rows would be in two)."""
        table = self.replaces.get(item.sha)
        raw, match = item.plan  # type: ignore[misc]
        if table is None or table == match.profile.table:
            return False
        raw.discard()
        self._record(
            rejected_record(
                item.rel,
                item.sha,
                item.path,
                f"its profile now writes {match.profile.table}, not {table}: unload the file first",
                raw,
                match.profile,
            )
        )
        return True

    def _record(self, record: FileRecord) -> None:
        self.report.files.append(record)
        if record.status == "rejected" and record.sha256 in self.replaces:
            return  # a file read again that failed keeps its earlier rows and manifest record
        self.manifest = upsert(self.manifest, record)
