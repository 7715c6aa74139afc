"""The landing folder: what a load may read from it, and what happens to files once loaded.

A load reads only regular files inside landing: a symbolic link (to a file, or a folder that may
point anywhere on the machine) is rejected, not followed. A file over ``GRIDPULSE_MAX_FILE_MB``
(default 2048), or a workbook whose zip directory declares more than ``GRIDPULSE_MAX_UNZIPPED_MB``
(default 4096) uncompressed or a part compressed more than 200:1 (an "xlsx bomb"), is rejected
whole before a byte of it is parsed. Reasons never quote a file's contents and are capped in length.

Landing holds the systems' raw exports in clear (names, full phone numbers). After a load that
switched the lake, ``gridpulse load --archive`` moves every loaded file into an owner-only
``$GRIDPULSE_HOME/archive/<time>/`` and ``--delete-loaded`` deletes them; ``after_load: archive``
or ``after_load: delete`` in settings.yml makes either the default. Rejected files stay, to be
fixed and loaded again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import zipfile
from datetime import datetime
from pathlib import Path

from warehouse.home.paths import DataHome
from warehouse.home.private_files import private_dir
from warehouse.home.settings import read_settings

from .masking import scrub_text

AFTER_LOAD = ("keep", "archive", "delete")
MAX_FILE_ENV, MAX_FILE_MB = "GRIDPULSE_MAX_FILE_MB", 2048.0
MAX_UNZIPPED_ENV, MAX_UNZIPPED_MB = "GRIDPULSE_MAX_UNZIPPED_MB", 4096.0
MAX_RATIO = 200  # real workbooks compress 5-20:1; a bomb's parts compress a thousandfold
MAX_REASON = 300
ZIP_MAGIC = b"PK\x03\x04"


def files_in(landing: Path) -> list[Path]:
    """Export files under ``landing`` in name order, symlinks among them (to be rejected, not followed);
    names starting with '_' or '.' are skipped."""
    if not landing.exists():
        return []
    found = []
    for folder, dirs, files in os.walk(landing):  # does not descend into symlinked folders
        dirs[:] = [d for d in dirs if not d.startswith(("_", "."))]
        here = Path(folder)
        found += [here / d for d in dirs if (here / d).is_symlink()]
        found += [
            here / f
            for f in files
            if not f.startswith(("_", ".")) and ((here / f).is_symlink() or (here / f).is_file())
        ]
    return sorted(found)


def refusal(path: Path) -> str | None:
    """Why ``path`` (a file found by :func:`files_in`) must not be read at all, or None."""
    if path.is_symlink():
        return "symbolic link: rejected, not followed (copy the export itself into landing)"
    if not path.is_file():
        return "not a regular file"
    limit = _limit(MAX_FILE_ENV, MAX_FILE_MB)
    size = path.stat().st_size
    if size > limit:
        return f"file too large: {_mb(size)} > {_mb(limit)} ({MAX_FILE_ENV})"
    return _zip_bomb(path)


def identity(path: Path, landing: Path) -> str:
    """A manifest key for a file rejected without reading it: its name, size and time, not its bytes."""
    info = path.lstat()
    text = f"unread\0{path.relative_to(landing).as_posix()}\0{info.st_size}\0{info.st_mtime_ns}"
    return hashlib.sha256(text.encode()).hexdigest()


def tidy_reason(reason: str) -> str:
    """A rejection reason fit for the manifest: one line, numbers masked, capped in length."""
    line = scrub_text(" ".join(reason.split()))
    return line if len(line) <= MAX_REASON else line[: MAX_REASON - 1] + "…"


def _zip_bomb(path: Path) -> str | None:
    try:
        with open(path, "rb") as handle:
            if handle.read(4) != ZIP_MAGIC:
                return None
        with zipfile.ZipFile(path) as book:
            parts = book.infolist()
    except (OSError, zipfile.BadZipFile):
        return None  # the reader says what is wrong with it
    limit = _limit(MAX_UNZIPPED_ENV, MAX_UNZIPPED_MB)
    total = sum(p.file_size for p in parts)
    if total > limit:
        return f"workbook too large: {_mb(total)} uncompressed > {_mb(limit)} ({MAX_UNZIPPED_ENV})"
    for part in parts:
        if part.file_size > 1 << 20 and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            return (
                f"workbook part {part.filename!r} compressed {part.file_size // max(part.compress_size, 1)}:1 "
                f"(more than {MAX_RATIO}:1): not read, as a zip bomb"
            )
    return None


def _limit(env: str, default_mb: float) -> float:
    try:
        return float(os.environ.get(env) or default_mb) * 1024 * 1024
    except ValueError:
        return default_mb * 1024 * 1024


def _mb(size: float) -> str:
    return f"{size / 1024 / 1024:,.1f} MB"


def after_load_choice(home: DataHome, archive: bool, delete: bool) -> str:
    """keep | archive | delete: the command line's flag, else settings.yml's ``after_load``, else keep."""
    if archive or delete:
        return "archive" if archive else "delete"
    choice = str(read_settings(home).get("after_load") or "keep")
    return choice if choice in AFTER_LOAD else "keep"


def put_away(home: DataHome, landing: Path, loaded: list[str], how: str) -> list[str]:
    """Archive or delete the landing files ``loaded`` (paths relative to ``landing``); what was moved."""
    if how == "keep" or not loaded:
        return []
    target = None
    if how == "archive":
        target = private_dir(private_dir(home.root / "archive") / datetime.now().strftime("%Y%m%d-%H%M%S"))
    done = []
    for rel in loaded:
        path = landing / rel
        if path.is_symlink() or not path.is_file():
            continue
        if target is None:
            path.unlink()
        else:
            dest = target / rel
            for folder in reversed(dest.relative_to(target).parents[:-1]):
                private_dir(target / folder)
            shutil.move(path, dest)
            os.chmod(dest, 0o600)
        done.append(rel)
    return done
