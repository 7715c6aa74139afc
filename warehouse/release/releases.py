"""Warehouse releases: one fresh DuckDB file per build, and an atomic pointer to the current one.

Layout under ``$GRIDPULSE_HOME/releases``::

    <release-id>/gridpulse.duckdb   the warehouse, written once by `gridpulse build`
    <release-id>/build.json         when, how long, dbt results, failures, row counts, source freshness
    <release-id>/target/            dbt's artifacts: manifest, run_results, sources (freshness), catalog
    <release-id>/target/static_index.html   the dbt docs with lineage, one self-contained HTML file
    current -> <release-id>         symlink, replaced by an atomic rename

DuckDB allows one writer or many readers per file. A release is written by
exactly one build and only ever read after it became current, so readers
never meet a half-built file.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import duckdb

from warehouse.home.locks import is_locked
from warehouse.home.paths import DataHome

# Every reader of a release opens it the same way: DuckDB refuses a second connection to one file
# with a different configuration inside one process.
READ_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}

DB_NAME = "gridpulse.duckdb"
META_NAME = "build.json"
DOCS_FILE = "target/static_index.html"
KEEP_RELEASES = 3


def current_release_dir(home: DataHome) -> Path | None:
    link = home.releases / "current"
    if not link.is_symlink():
        return None
    target = link.resolve()
    return target if (target / DB_NAME).exists() else None


def current_release_db(home: DataHome) -> Path | None:
    """The DuckDB file of the current release, or None before the first good build."""
    folder = current_release_dir(home)
    return folder / DB_NAME if folder else None


def open_release(db: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a release file (no extension is ever installed or loaded)."""
    return duckdb.connect(str(db), read_only=True, config=READ_CONFIG)


def switch_current(home: DataHome, release_dir: Path) -> None:
    """Point `current` at ``release_dir`` atomically (rename over the old symlink)."""
    tmp = home.releases / f".current.{os.getpid()}"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(release_dir.name)
    os.replace(tmp, home.releases / "current")


def read_meta(release_dir: Path) -> dict[str, Any] | None:
    try:
        return json.loads((release_dir / META_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_meta(release_dir: Path, meta: dict[str, Any]) -> None:
    tmp = release_dir / f".{META_NAME}.tmp"
    tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    os.replace(tmp, release_dir / META_NAME)


def history(home: DataHome) -> list[dict[str, Any]]:
    """Every release still on disk, newest first, with its build metadata.

    A release still 'building' while no build holds the lock was left by a killed build: 'abandoned'.
    """
    if not home.releases.exists():
        return []
    current = current_release_dir(home)
    building = is_locked(home.releases / ".lock")
    items = []
    for folder in sorted(home.releases.iterdir(), reverse=True):
        if folder.is_symlink() or not folder.is_dir() or folder.name.startswith("."):
            continue
        meta = read_meta(folder) or {"id": folder.name, "status": "incomplete"}
        if meta.get("status") in ("building", "incomplete") and not building:
            meta["status"] = "abandoned"
        meta["current"] = current is not None and folder.resolve() == current
        meta["path"] = str(folder / DB_NAME)
        items.append(meta)
    return items


def remove_abandoned(home: DataHome) -> list[str]:
    """Delete the release folders killed builds left half-written (call holding the build lock,
    before this build's folder exists)."""
    removed = []
    for meta in history(home):
        if not meta["current"] and meta.get("status") in ("building", "incomplete", "abandoned"):
            shutil.rmtree(Path(meta["path"]).parent, ignore_errors=True)
            removed.append(str(meta["id"]))
    return removed


def prune(home: DataHome, keep: int = KEEP_RELEASES, keep_failed: int = 1) -> list[str]:
    """Delete old releases: keep the current one, the newest ``keep`` good ones and the newest failed one."""
    current = current_release_dir(home)
    good, failed, removed = 0, 0, []
    for meta in history(home):
        folder = Path(meta["path"]).parent
        if current is not None and folder.resolve() == current:
            continue
        if meta.get("status") == "ok" and good < keep - 1:
            good += 1
            continue
        if meta.get("status") != "ok" and failed < keep_failed:
            failed += 1
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder.name)
    return removed
