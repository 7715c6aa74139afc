"""The lake as generations, switched in whole: a load's tables and manifest appear together or not at all.

Layout under ``$GRIDPULSE_HOME``::

    lake -> lake.d/<generation>      symlink, replaced by an atomic rename (like releases/current)
    lake.d/<generation>/             one complete lake: tables, _manifest.parquet, _quarantine/
    lake.d/.lock                     held by the one load (or build preparing the lake) writing

A writer copies the current generation as hard links (no data is copied: every lake file is
written once, to a temporary name, and renamed in, so a file is never changed in place), writes
into the copy and switches ``lake`` to it. A writer killed before the switch leaves a generation
nothing points at; the next writer removes it. A build pins the generation it reads with a shared
lock on its ``.pin`` file, so a load that switches meanwhile leaves that generation in place until
the build is done, and a generation a release on disk was built from stays while the release does
(the release's staging views read it; generations share unchanged files, so this costs little). Readers that open ``lake/...`` see one generation or the next, never a mixture
of one load's files.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from warehouse.home.paths import DataHome
from warehouse.home.private_files import private_dir

from .parts import adopt_single_files

GENERATIONS = "lake.d"
PIN = ".pin"

log = logging.getLogger(__name__)


def generations_dir(home: DataHome) -> Path:
    return home.root / GENERATIONS


def current_generation(home: DataHome) -> Path | None:
    """The generation ``lake`` points at (None before the first load)."""
    link = home.root / "lake"
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def adopt_plain_lake(home: DataHome) -> None:
    """Turn a lake written by an earlier version (a plain folder) into the first generation.

    The folder is moved aside first and moved back if it is found there, so being killed at any
    step loses nothing. Call under the load lock.
    """
    link, aside = home.root / "lake", generations_dir(home) / ".plain-lake"
    if not link.exists() and not link.is_symlink() and aside.is_dir():
        os.rename(aside, link)  # a conversion killed half-way: start it again
    if link.is_symlink() or not link.is_dir():
        return
    target = _new_generation(home)
    _link_tree(link, target)
    os.rename(link, aside)
    _point_lake_at(home, target)
    shutil.rmtree(aside, ignore_errors=True)


@contextlib.contextmanager
def lake_transaction(home: DataHome) -> Iterator[DataHome]:
    """Yield ``home`` with its lake paths in a new generation that starts as the current lake.

    On a normal exit ``lake`` is switched to it at once; on an exception it is removed and the
    current lake stays as it was. Call under the load lock.
    """
    adopt_plain_lake(home)
    remove_leftovers(home)
    current = current_generation(home)
    staged = _new_generation(home)
    try:
        if current is not None:
            _link_tree(current, staged)
            if moved := adopt_single_files(staged):
                log.info("lake tables moved into folders of parts: %s", ", ".join(moved))
        yield home.staged(staged)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    _point_lake_at(home, staged)
    log.debug("lake generation %s switched in", staged.name)
    remove_leftovers(home)


def remove_leftovers(home: DataHome) -> list[str]:
    """Remove every generation ``lake`` does not point at, no build has pinned and no release on disk
    was built from (its views read that generation); their names."""
    folder = generations_dir(home)
    if not folder.is_dir():
        return []
    current, removed, kept = current_generation(home), [], _read_by_releases(home)
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_dir() or path == current or path.name in kept:
            continue
        with _try_lock(path / PIN, fcntl.LOCK_EX) as free:
            if free:
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path.name)
    for tmp in folder.glob(".lake.*"):  # a switch killed between writing its symlink and renaming it
        tmp.unlink(missing_ok=True)
    return removed


def _read_by_releases(home: DataHome) -> set[str]:
    """Names of the generations the releases still on disk were built from (``lake`` in build.json)."""
    names = set()
    for meta in home.releases.glob("*/build.json"):
        try:
            names.add(Path(json.loads(meta.read_text(encoding="utf-8")).get("lake") or "").name)
        except (OSError, ValueError, AttributeError):
            continue
    return names


@contextlib.contextmanager
def pinned_lake(home: DataHome) -> Iterator[Path | None]:
    """The current generation's folder, kept on disk while the ``with`` block runs (None: no lake yet)."""
    while True:
        current = current_generation(home)
        if current is None:
            yield None
            return
        with _try_lock(current / PIN, fcntl.LOCK_SH) as held:
            # Removal only happens after a switch away from a generation: if it is still current
            # once pinned, it stays until unpinned.
            if held and current_generation(home) == current:
                yield current
                return
        time.sleep(0.05)


def _new_generation(home: DataHome) -> Path:
    folder = generations_dir(home)
    private_dir(folder)  # the lake holds personal data, masked, and quarantined rows
    path = folder / f"{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns() % 10**9:09d}-{os.getpid()}"
    path.mkdir()
    return path


def _link_tree(source: Path, target: Path) -> None:
    """Copy ``source`` into ``target`` as hard links (a real copy where links are not possible)."""

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(
        source, target, copy_function=link, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".*")
    )


def _point_lake_at(home: DataHome, generation: Path) -> None:
    """Switch ``lake`` to ``generation`` atomically (a new symlink renamed over the old one)."""
    tmp = generations_dir(home) / f".lake.{os.getpid()}"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(Path(GENERATIONS) / generation.name)
    os.replace(tmp, home.root / "lake")
    _fsync_dir(home.root)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _try_lock(path: Path, mode: int) -> Iterator[bool]:
    """Try to take ``mode`` (shared or exclusive) on ``path`` without waiting; yields whether it was taken."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except FileNotFoundError:  # the generation was just removed
        yield False
        return
    try:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)
