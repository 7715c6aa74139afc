"""A full disk: one line saying so, nothing half-written left behind, and room made before a build.

Every write of a load goes into a new lake generation and every write of a build into a new
release folder, so a full disk never touches the current lake or release: the half-written
generation or release is removed and the command says, in one line, what stopped and how much
space is free. Before a build starts, old releases are pruned if the free space is less than the
current release takes (a new one is about as large).
"""

from __future__ import annotations

import contextlib
import errno
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from .paths import DataHome

HEADROOM = 1.25  # a new release is about as large as the current one; dbt's logs and targets on top


class DiskFull(Exception):
    """No space left on the data home's disk; the message is one line."""


def is_disk_full(exc: BaseException | None) -> bool:
    """Whether ``exc`` or an exception it was raised from is a full disk (OSError, DuckDB or pyarrow)."""
    while exc is not None:
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if "No space left on device" in str(exc) or "Disk quota exceeded" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def disk_full_message(what: str, home: DataHome, kept: str) -> str:
    return (
        f"磁盘已满 / disk full: {what} stopped, no space left on the disk of {home.root} "
        f"({_free(home.root)} free); {kept}"
    )


@contextlib.contextmanager
def disk_full_stops(what: str, home: DataHome, kept: str) -> Iterator[None]:
    """Turn a full disk inside the block into :class:`DiskFull` with one line (``kept``: what is intact)."""
    try:
        yield
    except DiskFull:
        raise
    except Exception as exc:
        if is_disk_full(exc):
            raise DiskFull(disk_full_message(what, home, kept)) from exc
        raise


def make_room(home: DataHome, current: Path | None, prune: Callable[[], list[str]]) -> list[str]:
    """Prune old releases (``prune``) when the disk has less free space than the ``current`` release takes."""
    if current is None or not home.releases.exists():
        return []
    need = HEADROOM * folder_size(current)
    return prune() if shutil.disk_usage(home.releases).free < need else []


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def _free(path: Path) -> str:
    try:
        return f"{shutil.disk_usage(path).free / 1024 / 1024:,.1f} MB"
    except OSError:
        return "? MB"
