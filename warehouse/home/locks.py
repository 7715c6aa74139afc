"""The data home's two locks: one writer of the lake (load, unload, a build preparing the lake), one build.

Each lock file holds its holder's pid, start time, command and who started it (``GRIDPULSE_ACTOR``,
set by the data page to the signed-in admin; else the operating-system user), so a second process
says "busy since … by …" instead of failing with a traceback. The kernel drops a lock when its holder dies, even by
kill -9, so a stale lock never blocks.
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warehouse.lake.generations import GENERATIONS

from .paths import DataHome

ACTOR_ENV = "GRIDPULSE_ACTOR"


class Busy(RuntimeError):
    """Another process holds the lock; the message is one line naming it."""


def actor() -> str:
    """Who runs this process, for lock files, the audit log and the refresh history."""
    if os.environ.get(ACTOR_ENV):
        return os.environ[ACTOR_ENV]
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return f"cli:uid{os.getuid()}"


@dataclass(frozen=True)
class Holder:
    """Who holds a lock, read from its lock file's line: what runs, since when, started by whom."""

    what: str
    since: str
    who: str
    pid: str

    @classmethod
    def parse(cls, line: str, by: str) -> Holder:
        holder = line.split(maxsplit=3)
        pid, since, rest = (
            (holder[0], " ".join(holder[1:3]), holder[3].strip()) if len(holder) == 4 else ("?", "?", by)
        )
        what, _, who = rest.partition("\t")
        return cls(what, since, who or "?", pid)

    def message(self) -> str:
        """The command line's one-line message (the data page says it in its own language)."""
        return (
            f"忙 / busy: {self.what} 正在运行 — running since {self.since} by {self.who} (pid {self.pid}); "
            "try again when it has finished"
        )


def _busy(line: str, by: str) -> str:
    """The one-line message naming a lock's holder from its lock file's line."""
    return Holder.parse(line, by).message()


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
            raise Busy(_busy(os.pread(fd, 300, 0).decode("utf-8", "replace"), by)) from exc
        os.ftruncate(fd, 0)
        now = datetime.now().isoformat(sep=" ", timespec="seconds")
        os.pwrite(fd, f"{os.getpid()} {now} {by}\t{actor()}\n".encode(), 0)
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


def lock_holder(home: DataHome) -> Holder | None:
    """Who holds the data home now (a load, or a build), else None."""
    for lock_file in (home.root / GENERATIONS / ".lock", home.releases / ".lock"):
        if is_locked(lock_file):
            try:
                return Holder.parse(lock_file.read_text(encoding="utf-8", errors="replace"), "gridpulse")
            except OSError:
                continue
    return None


def busy_message(home: DataHome) -> str | None:
    """ "busy since … by …" when a load or build holds the data home now, else None."""
    holder = lock_holder(home)
    return holder.message() if holder else None


def load_lock(home: DataHome, by: str = "gridpulse load") -> contextlib.AbstractContextManager[None]:
    """Only one load (or build preparing the lake) may write the lake at a time."""
    return _exclusive(home.root / GENERATIONS / ".lock", by)


def build_lock(home: DataHome) -> contextlib.AbstractContextManager[None]:
    """Only one build at a time per data home."""
    return _exclusive(home.releases / ".lock", "gridpulse build")
