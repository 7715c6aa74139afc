"""How much memory DuckDB may take during a load and a build, and where it spills beyond that.

The limits are a share of the machine's memory (or of the container's, when a cgroup caps it), so a
bigger machine builds faster and a big scale spills to disk instead of failing; the rest is left to
the dashboard, its SQL sandbox and the operating system. ``GRIDPULSE_BUILD_MEMORY`` and
``GRIDPULSE_LOAD_MEMORY`` override the share with a DuckDB size (``12GB``). Spill files go under
the data home (they hold the same masked data as the lake), never to the working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

from .paths import DataHome
from .private_files import private_dir

BUILD_ENV = "GRIDPULSE_BUILD_MEMORY"
LOAD_ENV = "GRIDPULSE_LOAD_MEMORY"
BUILD_SHARE = 0.5  # of the machine: dbt's DuckDB; the dashboard, its sandbox and the OS keep the rest
LOAD_SHARE = 0.25  # of the machine, split between the loader's DuckDB connections open at once
MIN_BYTES = 1 << 30
CGROUP_LIMIT = Path("/sys/fs/cgroup/memory.max")


def total_memory() -> int:
    """Bytes of memory this process may use: the machine's, or the cgroup's limit when smaller."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    try:
        capped = CGROUP_LIMIT.read_text().strip()
    except OSError:
        return total
    return min(total, int(capped)) if capped.isdigit() else total


def duckdb_size(nbytes: float) -> str:
    """A DuckDB memory setting: whole MiB, at least 1 GiB."""
    return f"{max(MIN_BYTES, int(nbytes)) >> 20}MiB"


def build_memory() -> str:
    """DuckDB's memory limit for dbt during a build: GRIDPULSE_BUILD_MEMORY, else a share of the machine."""
    return os.environ.get(BUILD_ENV) or duckdb_size(total_memory() * BUILD_SHARE)


def load_memory(connections: int) -> str:
    """DuckDB's memory limit for each of ``connections`` loader connections open at once."""
    return os.environ.get(LOAD_ENV) or duckdb_size(total_memory() * LOAD_SHARE / max(1, connections))


def spill_dir(home: DataHome, stage: str) -> Path:
    """The owner-only folder under the data home where ``stage`` (load, build) spills to disk."""
    return private_dir(home.root / "tmp" / stage)
