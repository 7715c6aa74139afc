"""How a release starts: empty (a full build) or as a copy of the current release (a daily increment).

A copy is taken only when the increment can reach what a full build of the same lake would: the current
release built fine from the same dbt project and seeds (same dbt and DuckDB versions), and the lake has
only grown since (every file its lake had is still loaded, unchanged, and no new file touches a table the
per-case models read otherwise than by case). Then the incremental models (dbt_project/macros/
daily_increments.sql) recompute only the cases the new files touched; every other model is rebuilt.
Anything else, or ``--full``, starts empty. See docs/incremental-builds.md.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from warehouse.home.paths import DataHome
from warehouse.lake.manifest import read_manifest

from .releases import DB_NAME, DOCS_FILE, current_release_dir, read_meta

# Lake tables whose new rows change the per-case models' rows of cases no new file touched
# (a case's street and community come from the divisions): a new file of one means a full build.
FULL_ON_CHANGE = {"divisions/areas"}
PARTIAL_PARSE = "partial_parse.msgpack"
SHA256 = re.compile(r"^[0-9a-f]{64}$")
SKIPPED_DIRS = {"target", "logs", "dbt_packages", "__pycache__"}


@dataclass
class Start:
    """How the build starts; ``reason`` says why, in words (shown and kept in build.json)."""

    mode: str  # "full" | "incremental"
    reason: str
    base: Path | None = None  # the release copied (incremental)
    new_files: list[str] = field(default_factory=list)  # sha256 of the files loaded since base's lake
    new_tables: list[str] = field(default_factory=list)  # the lake tables they wrote: "<source>/<entity>"

    def to_meta(self) -> dict[str, object]:
        return {
            "mode": self.mode,
            "mode_reason": self.reason,
            "base_release": self.base.name if self.base else None,
            "new_files": len(self.new_files),
            "new_tables": self.new_tables,
        }


def project_fingerprint(project_dir: Path) -> str:
    """sha256 over every file of the dbt project and its seeds, and the dbt and DuckDB versions."""
    digest = hashlib.sha256()
    for package in ("dbt-core", "dbt-duckdb", "duckdb"):
        try:
            digest.update(f"{package}={version(package)}\n".encode())
        except PackageNotFoundError:
            digest.update(f"{package}=?\n".encode())
    for root in (project_dir, project_dir.parent / "seeds"):
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root)
            if not path.is_file() or SKIPPED_DIRS & set(rel.parts) or rel.name.startswith("."):
                continue
            digest.update(f"{root.name}/{rel}\n".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def plan(
    home: DataHome, lake: Path | None, fingerprint: str, full: bool = False, engine: str = "duckdb"
) -> Start:
    """Whether this build can start from the current release, and why (not)."""
    if full:
        return Start("full", "a full build was asked for (--full)")
    if engine != "duckdb":
        return Start("full", f"{engine} builds every model (increments are DuckDB builds)")
    base = current_release_dir(home)
    meta = read_meta(base) if base else None
    if base is None or meta is None or meta.get("status") != "ok":
        return Start("full", "there is no current release to start from")
    if meta.get("engine", "duckdb") != "duckdb":
        return Start("full", f"release {base.name} was built on {meta['engine']}")
    if meta.get("project") != fingerprint:
        return Start("full", f"the dbt project or its seeds changed since release {base.name}")
    old_lake = Path(meta.get("lake") or "")
    if lake is None or not (old_lake / "_manifest.parquet").exists():
        return Start("full", f"the lake release {base.name} was built from is gone")
    old = {(r.sha256, r.loaded_at) for r in read_manifest(home.staged(old_lake)) if r.status == "loaded"}
    now = [r for r in read_manifest(home.staged(lake)) if r.status == "loaded"]
    if not old <= {(r.sha256, r.loaded_at) for r in now}:
        return Start("full", f"files were unloaded or read again since release {base.name}")
    new = [r for r in now if (r.sha256, r.loaded_at) not in old]
    touched = sorted({f"{r.source}/{r.entity}" for r in new} & FULL_ON_CHANGE)
    if touched:
        return Start("full", f"new files of {', '.join(touched)}: every case may lie elsewhere now")
    if not all(SHA256.match(r.sha256) for r in new):
        return Start("full", "a loaded file has no sha256")
    return Start(
        "incremental",
        f"from release {base.name}: {len(new)} file(s) loaded since",
        base,
        [r.sha256 for r in new],
        sorted({f"{r.source}/{r.entity}" for r in new}),
    )


def start_release(start: Start, release_dir: Path) -> None:
    """Fill the new release folder: the base release's DuckDB file for an increment, and dbt's saved
    parse (partial parsing: dbt re-reads only the files that changed) whenever a release has one."""
    current = start.base or None
    if start.mode == "incremental" and current is not None:
        shutil.copyfile(current / DB_NAME, release_dir / DB_NAME)


def dbt_env(start: Start) -> dict[str, str]:
    """What an increment tells dbt: the new files (the cases to recompute, daily_increments.sql), the
    models and tests they reach, and what it leaves out because its base already did it with the same
    project (the fingerprint): every node no new file reaches (same inputs, same rows: the copy holds
    them), the seeds, the unit tests (they read fixtures, not data) and the docs (the same models and
    columns: keep_docs copies them)."""
    return {
        "GRIDPULSE_NEW_FILES": ",".join(start.new_files),
        "GRIDPULSE_DBT_BUILD_ARGS": " ".join(
            [
                "--select",
                *reached_by(start.new_tables),
                "--exclude",
                "resource_type:seed",
                "resource_type:unit_test",
            ]
        ),
        "GRIDPULSE_DBT_STEPS": "build,freshness",
    }


def reached_by(tables: list[str]) -> list[str]:
    """dbt selectors of what the new files of ``tables`` reach: each one's source and every node after
    it (the data clock, and so every model it dates, is after the sources it reads). The lake's own
    manifest and quarantine change with every load."""
    return ["source:lake+", *(f"source:{table.replace('/', '.')}+" for table in tables)]


def keep_docs(start: Start, release_dir: Path) -> None:
    """After an increment's dbt: its base's static docs (same project, so the same lineage and columns)."""
    if start.mode != "incremental" or start.base is None:
        return
    docs = start.base / DOCS_FILE
    if docs.exists():
        shutil.copyfile(docs, release_dir / DOCS_FILE)


def keep_parse(home: DataHome, release_dir: Path) -> None:
    """Before dbt: the last saved parse into the release's target folder (dbt checks it is still valid)."""
    saved = home.releases / ".dbt" / PARTIAL_PARSE
    if saved.exists():
        (release_dir / "target").mkdir(exist_ok=True)
        shutil.copyfile(saved, release_dir / "target" / PARTIAL_PARSE)


def save_parse(home: DataHome, release_dir: Path) -> None:
    """After dbt: its parse, for the next build (written to a temporary name and renamed in)."""
    made = release_dir / "target" / PARTIAL_PARSE
    if not made.exists():
        return
    folder = home.releases / ".dbt"
    folder.mkdir(exist_ok=True)
    tmp = folder / f".{PARTIAL_PARSE}.tmp"
    shutil.copyfile(made, tmp)
    tmp.replace(folder / PARTIAL_PARSE)


def stable_paths(home: DataHome, release_dir: Path, lake: Path) -> tuple[Path, Path]:
    """The paths dbt writes the release's DuckDB file and reads the lake through: ``releases/.dbt/
    building`` and ``releases/.dbt/lake``, symlinks to the release being built and the lake generation
    it reads (one build at a time: the build lock). dbt re-parses everything when the connection (the
    file's path) changes, and every file that reads a changed env var (the lake's path): one path for
    every build keeps partial parsing partial."""
    folder = home.releases / ".dbt"
    folder.mkdir(exist_ok=True)
    for name, target in (("building", release_dir), ("lake", lake)):
        tmp = folder / f".{name}.{os.getpid()}"
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(target.resolve())
        os.replace(tmp, folder / name)
    return folder / "building" / DB_NAME, folder / "lake"
