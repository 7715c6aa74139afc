"""Which files a load reads: new exports in landing, or for a reload the loaded bytes kept in landing or the archive."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from warehouse.home.paths import DataHome
from warehouse.lake.manifest import FileRecord, read_manifest

from .landing import files_in as landing_files
from .profile import Profile, builtin_profiles, load_profile
from .records import LoadError


def discover(landing: Path) -> list[Path]:
    """Export files under ``landing`` in name order (symlinks too, to be rejected); names starting with '_' or '.' are skipped."""
    return landing_files(landing)


def reread_files(home: DataHome, landing: Path, names: list[str]) -> list[str]:
    """The loaded files ``gridpulse reload`` reads again: ``names`` (as given, or relative to the landing
    folder), or by default every loaded file with quarantined rows whose bytes are still in landing or
    the archive. LoadError for a name that is not a loaded file."""
    manifest = {r.file: r for r in read_manifest(home)}
    if not names:
        return sorted(
            f
            for f, r in manifest.items()
            if r.status == "loaded" and r.rows_quarantined and locate_loaded(home, landing, r) is not None
        )
    chosen = []
    for name in names:
        rel, path = name, Path(name)
        if path.exists() and path.resolve().is_relative_to(
            landing.resolve()
        ):  # a path rather than a manifest name
            rel = path.resolve().relative_to(landing.resolve()).as_posix()
        if rel not in manifest:
            raise LoadError(f"{name} was never loaded from {landing}: `gridpulse load` reads new files")
        chosen.append(rel)
    return chosen


@contextmanager
def source_folder(home: DataHome, landing: Path, manifest: list[FileRecord], reread: list[str] | None):
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
                raise LoadError(
                    f"{name} is no longer in {landing} or the archive as it was loaded: "
                    "it cannot be read again (`gridpulse load` reads a changed file as a new one)"
                )
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
