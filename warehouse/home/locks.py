"""The data home's two locks: one writer of the lake (load, unload, a build preparing the lake), one build.

Each lock file holds its holder's pid, start time and command, so a second process says who is
busy instead of failing with a traceback. The kernel drops a lock when its holder dies, even by
kill -9, so a stale lock never blocks.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from warehouse.lake.generations import GENERATIONS

from .paths import DataHome


class Busy(RuntimeError):
    """Another process holds the lock; the message is one line naming it."""


@contextlib.contextmanager
def _exclusive(lock_file: Path, by: str) -> Iterator[None]:
    """Hold ``lock_file`` exclusively, with this process's pid, start time and ``by`` (what runs)
    in it for the next one to name.

    The kernel drops the lock when its holder dies, even by kill -9, so a stale lock never blocks.
    """
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)  # not truncated: the holder's line stays
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            holder = os.pread(fd, 300, 0).decode("utf-8", "replace").split(maxsplit=3)
            pid, since, what = (
                (holder[0], " ".join(holder[1:3]), holder[3].strip()) if len(holder) == 4 else ("?", "?", by)
            )
            raise Busy(
                f"忙 / busy: {what} 正在运行 — running since {since} (pid {pid}); "
                "try again when it has finished"
            ) from exc
        os.ftruncate(fd, 0)
        os.pwrite(
            fd, f"{os.getpid()} {datetime.now().isoformat(sep=' ', timespec='seconds')} {by}\n".encode(), 0
        )
        yield
    finally:
        os.close(fd)  # closing releases the lock


def is_locked(lock_file: Path) -> bool:
    """Whether a live process holds ``lock_file`` (a lock left by a killed process is not held)."""
    try:
        fd = os.open(lock_file, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def load_lock(home: DataHome, by: str = "gridpulse load") -> contextlib.AbstractContextManager[None]:
    """Only one load (or build preparing the lake) may write the lake at a time."""
    return _exclusive(home.root / GENERATIONS / ".lock", by)


def build_lock(home: DataHome) -> contextlib.AbstractContextManager[None]:
    """Only one build at a time per data home."""
    return _exclusive(home.releases / ".lock", "gridpulse build")
