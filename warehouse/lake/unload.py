"""`gridpulse unload FILE`: take one loaded file's rows back out of the lake.

A lake table holds each record's latest state, so a file's rows cannot simply be deleted: a row it
updated hides the earlier file's state, and a later file's identical rows were counted as its
duplicates. Unloading therefore rebuilds the file's table from the table's other files, read again
from landing (or the archive), in name order, exactly as a load of those files alone would: their
rows, counts and quarantine come out as if the file had never been loaded, and the accounting
invariant holds for every file. All of it happens in a new lake generation, switched in whole.
The file itself moves to ``landing/_unloaded/`` (ignored by loads), so the next load does not take
it in again; move it back to load it again.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from warehouse.home.locks import load_lock
from warehouse.home.paths import DataHome
from warehouse.ingest.load import load_into
from warehouse.ingest.records import LoadReport
from warehouse.ingest.sources import all_profiles, file_sha256, link_into, locate_loaded

from .contract import apply_contract
from .generations import lake_transaction
from .manifest import FileRecord, quarantine_path, read_manifest, write_manifest

UNLOADED = "_unloaded"


class UnloadError(Exception):
    """The file cannot be unloaded; the message says why in one line."""


@dataclass
class Unloaded:
    record: FileRecord
    reloaded: LoadReport
    moved_to: Path | None

    def summary(self) -> str:
        r = self.record
        lines = [f"unloaded {r.file}: its {r.rows_accepted:,} accepted row(s) left {r.source}/{r.entity}"]
        if self.reloaded.files:
            lines.append(
                f"{len(self.reloaded.files)} other file(s) of that table read again: "
                + self.reloaded.summary().splitlines()[1]
            )
        if self.moved_to:
            lines.append(
                f"the file moved to {self.moved_to} (loads ignore it; move it back to load it again)"
            )
        return "\n".join(lines)


def unload(
    home: DataHome, name: str, landing: Path | None = None, progress: Callable[[str], None] | None = None
) -> Unloaded:
    say = progress or (lambda _msg: None)
    landing = landing or home.landing
    with load_lock(home, by="gridpulse unload"), lake_transaction(home) as staged:
        manifest = read_manifest(staged)
        target = _find(manifest, name, landing)
        table = (target.source, target.entity)
        same_table = [r for r in manifest if r.status == "loaded" and (r.source, r.entity) == table]
        others = sorted((r for r in same_table if r.sha256 != target.sha256), key=lambda r: r.file)
        sources = {r.file: locate_loaded(home, landing, r) for r in others}
        missing = [f for f, p in sources.items() if p is None]
        if missing:
            raise UnloadError(
                f"cannot unload {target.file}: {len(missing)} other file(s) of {table[0]}/{table[1]} "
                f"must be read again and are not in landing or the archive (e.g. {missing[0]})"
            )
        shutil.rmtree(staged.lake_table(*table), ignore_errors=True)
        for r in same_table:
            quarantine_path(staged, r.source, r.entity, r.sha256).unlink(missing_ok=True)
        write_manifest(staged, [r for r in manifest if r not in same_table])
        with tempfile.TemporaryDirectory(prefix=".unload-", dir=home.root) as replay:
            files = [link_into(sources[r.file], Path(replay) / r.file) for r in others]
            reloaded = load_into(staged, files, Path(replay), all_profiles(home), say)
        apply_contract(staged)  # the table emptied by the unload stays, with every column
    return Unloaded(target, reloaded, _move_aside(landing, target))


def _find(manifest: list[FileRecord], name: str, landing: Path) -> FileRecord:
    """The loaded file ``name`` names: its path in landing (relative or not) or its sha256 (or a prefix)."""
    given = Path(name).expanduser()
    inside = given.exists() and given.resolve().is_relative_to(landing.resolve())
    rel = given.resolve().relative_to(landing.resolve()).as_posix() if inside else given.as_posix()
    loaded = [r for r in manifest if r.status == "loaded"]
    hits = [r for r in loaded if r.file == rel] or [
        r for r in loaded if len(name) >= 8 and r.sha256.startswith(name)
    ]
    if len(hits) != 1:
        said = "names more than one file" if hits else "is not a loaded file (see `gridpulse status`)"
        raise UnloadError(f"cannot unload {name}: it {said}")
    return hits[0]


def _move_aside(landing: Path, record: FileRecord) -> Path | None:
    path = landing / record.file
    if not path.is_file() or path.is_symlink() or file_sha256(path) != record.sha256:
        return None
    dest = landing / UNLOADED / record.file
    dest.parent.mkdir(parents=True, exist_ok=True)
    os.replace(path, dest)
    return dest
