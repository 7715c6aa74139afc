"""`gridpulse build`: `dbt build` into a fresh release; switch to it only when everything passed."""

from __future__ import annotations

import ctypes
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from warehouse.home.diskspace import DiskFull, disk_full_message, disk_full_stops, is_disk_full, make_room
from warehouse.home.locks import build_lock, load_lock
from warehouse.home.memory import build_memory, spill_dir
from warehouse.home.paths import DataHome
from warehouse.home.private_files import private_dir
from warehouse.lake import checkpoints
from warehouse.lake.contract import check_lake
from warehouse.lake.generations import pinned_lake
from warehouse.resources import dbt_project_dir

from . import freshness, increments, spark
from .releases import (
    DB_NAME,
    DOCS_FILE,
    KEEP_RELEASES,
    current_release_dir,
    open_release,
    prune,
    remove_abandoned,
    switch_current,
    write_meta,
)

PROJECT_DIR = dbt_project_dir()
MART_PREFIXES = ("dim_", "fct_", "mart_")
PR_SET_PDEATHSIG = 1  # prctl(2)
DATABASE_ERROR = re.compile(r"^[A-Z][A-Za-z ]*Error: ")  # DuckDB's "Binder Error: …", "Conversion Error: …"
KEPT = "the current release and the lake were left as they were"

Progress = Callable[[str], None]


@dataclass
class BuildResult:
    ok: bool
    release_id: str
    release_dir: Path
    seconds: float
    failures: list[str] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)

    @property
    def release_db(self) -> Path:
        return self.release_dir / DB_NAME

    def summary(self) -> str:
        if self.ok:
            return (
                f"release {self.release_id} is now current: {len(self.row_counts)} marts, "
                f"built and tested in {self.seconds:.1f} s ({self.release_db})"
            )
        lines = [f"build failed after {self.seconds:.1f} s; the current release was left as it was."]
        lines += [f"  - {f}" for f in self.failures]
        return "\n".join(lines)


def _read_lake(home: DataHome, say: Progress) -> list[str]:
    """Read the lake's state before a build (the lake is never written here): the built-in tables
    that hold no rows yet. Under the load lock, so a build does not start while a load is half-way."""
    with load_lock(home, by="gridpulse build"):
        lake = check_lake(home)
    if lake.gaps:
        say(f"the lake lacks {'; '.join(lake.gaps)}: run `gridpulse load` to bring it up to date")
    return lake.empty


def build(
    home: DataHome,
    progress: Progress | None = None,
    project_dir: Path = PROJECT_DIR,
    keep: int = KEEP_RELEASES,
    full: bool = False,
    engine: str = "duckdb",
) -> BuildResult:
    """Build the lake into a new release and switch to it if every test passed. It starts as a copy
    of the current release when the lake only grew since (warehouse/release/increments.py), unless
    ``full``. ``engine="spark"``: dbt builds on Spark, always in full, and its tables are packaged into
    the release (release.spark)."""
    say = progress or (lambda _msg: None)
    started = time.perf_counter()
    private_dir(home.releases)  # releases hold masked personal data and pseudonyms
    release_id = datetime.now().strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(2)
    release_dir = home.releases / release_id
    with build_lock(home), disk_full_stops("gridpulse build", home, KEPT):
        _tidy_releases(home, say)
        empty = _read_lake(home, say)  # before the release folder: a load holding the lake stops us here
        if empty:
            say(f"no data loaded yet for: {', '.join(empty)} (built as empty tables)")
        release_dir.mkdir()
        try:
            result = _build_release(home, release_dir, project_dir, empty, started, say, full, engine)
        except BaseException:
            shutil.rmtree(
                release_dir, ignore_errors=True
            )  # half-written (full disk, Ctrl-C): nothing to keep
            raise
        if result.ok:
            switch_current(home, release_dir)
            removed = prune(home, keep)
            if removed:
                say(f"pruned old releases: {', '.join(removed)}")
        else:
            prune(home, keep)
    return result


def _build_release(
    home: DataHome,
    release_dir: Path,
    project_dir: Path,
    empty: list[str],
    started: float,
    say: Progress,
    full: bool = False,
    engine: str = "duckdb",
) -> BuildResult:
    """dbt build into ``release_dir`` (its build.json says how it went); the release is not switched to."""
    with pinned_lake(home) as lake:  # the generation current now, whatever a load switches in meanwhile
        fingerprint = increments.project_fingerprint(project_dir)
        start = increments.plan(home, lake, fingerprint, full, engine)
        say(f"{'incremental' if start.mode == 'incremental' else 'full'} build: {start.reason}")
        meta = {
            "id": release_dir.name,
            "started_at": datetime.now().isoformat(sep=" ", timespec="seconds"),
            "status": "building",
            "lake": str(lake or home.lake),
            "engine": engine,
            "project": fingerprint,
            **start.to_meta(),
        }  # kept while this release is
        write_meta(release_dir, meta)
        if engine == "spark":
            failures = spark.build_on_spark(home, lake or home.lake, release_dir, project_dir, say, _run_dbt)
        else:
            increments.start_release(start, release_dir)
            increments.keep_parse(home, release_dir)
            failures = _run_dbt(home, lake, release_dir, project_dir, say, start=start)
            if not failures:
                increments.save_parse(home, release_dir)
                increments.keep_docs(start, release_dir)
    if any(is_disk_full(Exception(f)) for f in failures):
        raise DiskFull(disk_full_message("gridpulse build", home, KEPT))
    seconds = time.perf_counter() - started
    result = BuildResult(not failures, release_dir.name, release_dir, seconds, failures)
    if result.ok:
        result.row_counts = _row_counts(result.release_db)
        meta.update(_freshness_and_docs(release_dir, say))
    meta.update(
        status="ok" if result.ok else "failed",
        finished_at=datetime.now().isoformat(sep=" ", timespec="seconds"),
        seconds=round(seconds, 1),
        failures=failures,
        row_counts=result.row_counts,
        tests=_test_summary(release_dir),
        empty_sources=empty,
    )
    write_meta(release_dir, meta)
    return result


def _freshness_and_docs(release_dir: Path, say: Progress) -> dict[str, Any]:
    """What `dbt source freshness` found and where `dbt docs generate --static` put the docs, for build.json."""
    sources = freshness.read_sources_json(release_dir / "target")
    late = [f"{f.lake_table} ({f.status_at_build})" for f in sources if f.status_at_build != "pass"]
    if late:
        say(f"sources not fresh: {', '.join(late)}")
    docs = release_dir / DOCS_FILE
    if not docs.exists():
        say("dbt docs were not generated (the release has no lineage page)")
    return {"freshness": [f.to_meta() for f in sources], "docs": DOCS_FILE if docs.exists() else None}


def _tidy_releases(home: DataHome, say: Progress) -> None:
    """Before a build: remove what killed builds left, and prune old releases if space is short."""
    abandoned = remove_abandoned(home)
    if abandoned:
        say(f"removed release folder(s) a killed build left unfinished: {', '.join(abandoned)}")
    scratch = spark.remove_abandoned_scratch(home)
    if scratch:
        say(f"removed the Spark scratch a killed Spark build left: {', '.join(scratch)}")
    pruned = make_room(home, current_release_dir(home), lambda: prune(home, keep=1, keep_failed=0))
    if pruned:
        say(f"disk space short: pruned old releases before building: {', '.join(pruned)}")


def _run_dbt(
    home: DataHome,
    lake: Path | None,
    release_dir: Path,
    project_dir: Path,
    say: Progress,
    dbt_args: tuple[str, ...] = (),
    extra_env: dict[str, str] | None = None,
    start: increments.Start | None = None,
) -> list[str]:
    """Run warehouse.release.dbt_runner (dbt build, then freshness and static docs) in a child; what failed, in words."""
    db, lake_path = increments.stable_paths(home, release_dir, lake or home.lake)
    env = {
        **os.environ,
        "GRIDPULSE_HOME": str(home.root),
        "GRIDPULSE_LAKE": str(lake_path),
        "GRIDPULSE_RELEASE_DB": str(db),
        "GRIDPULSE_BUILD_MEMORY": build_memory(),
        "GRIDPULSE_BUILD_TEMP": str(spill_dir(home, "build")),
        "DBT_TARGET_PATH": str(release_dir / "target"),
        "DBT_LOG_PATH": str(release_dir / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
        **(extra_env or {}),
    }
    for name in ("GRIDPULSE_NEW_FILES", "GRIDPULSE_DBT_BUILD_ARGS"):  # an increment's alone
        env.pop(name, None)
    if start is not None and start.mode == "incremental":  # the cases to recompute: daily_increments.sql
        env.update(increments.dbt_env(start))
    cmd = [sys.executable, "-m", "warehouse.release.dbt_runner", str(project_dir), *dbt_args]
    failures: list[str] = []
    errors: list[str] = []
    tail: list[str] = []
    with subprocess.Popen(
        cmd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        stdin=subprocess.DEVNULL,
        preexec_fn=_die_with_parent,
    ) as proc:
        assert proc.stdout is not None
        checkpoints.reached("build:dbt")
        for raw in proc.stdout:
            event = _event(raw)
            if event is None:  # not one of the runner's lines: a Python warning, a crash's traceback
                tail = (tail + [raw.rstrip()])[-40:]
            elif "progress" in event:
                say(event["progress"])
            elif event.get("step") != "build" and ("failed" in event or "error" in event):
                say(
                    f"dbt {event['step']}: "
                    + (
                        failure_in_words(event["failed"])
                        if "failed" in event
                        else _first_lines(str(event["error"]))
                    )
                )
            elif "failed" in event:
                failures.append(failure_in_words(event["failed"]))
            elif "error" in event:
                errors.append(str(event["error"]))
    if proc.returncode != 0 and not failures:
        failures = [_first_lines(e) for e in errors[-3:]] or [
            *[t for t in tail if "Error" in t][-3:],
            f"dbt exited with status {proc.returncode}",
        ]
    if proc.returncode != 0 and any(is_disk_full(Exception(t)) for t in [*tail, *errors]):
        failures.append("No space left on device")  # dbt may fail writing its own files, not a model
    return failures


def _event(raw: str) -> dict[str, Any] | None:
    try:
        event = json.loads(raw)
    except ValueError:
        return None
    return event if isinstance(event, dict) else None


def failure_in_words(failed: dict[str, Any]) -> str:
    """One failed dbt node in one line: what failed, DuckDB's (or the test's) own words, where.

    dbt's message opens with "Runtime Error in model X (path)" and puts the database's message on the
    next lines (then a caret under the offending SQL line): the words are the database's first line.
    """
    kind, name, status = failed.get("kind", "node"), failed.get("name", "?"), failed.get("status", "error")
    lines = [ln.strip() for ln in (failed.get("message") or "").splitlines() if ln.strip()]
    if lines and lines[0].startswith(("Runtime Error in", "Compilation Error in", "Database Error in")):
        lines = lines[1:]
    if kind == "test" and failed.get("failures"):
        detail = f"{failed['failures']} failing row(s)"
    else:  # the database's own line (Binder Error: …, Conversion Error: …) wherever dbt put it
        detail = next((ln for ln in lines if DATABASE_ERROR.match(ln)), lines[0] if lines else status)
    if "enforced contract" in detail:  # name the first column that breaks the contract
        detail += " " + next(
            (
                ln
                for ln in lines
                if ln.startswith("|") and "column_name" not in ln and not ln.startswith("| --")
            ),
            "",
        )
    where = next((ln for ln in lines if ln.startswith("LINE ")), "")
    path = failed.get("path")
    suffix = f" ({path}{', ' + where.split(':')[0] if where else ''})" if path and kind != "test" else ""
    return f"{kind} {name} failed: {detail}{suffix}"


def _first_lines(text: str, n: int = 3) -> str:
    """dbt's error outside a node (parse, connection) in one line: its heading and first details."""
    return " — ".join(ln.strip() for ln in text.strip().splitlines()[:n] if ln.strip())


def _die_with_parent() -> None:
    """In the dbt child, before exec: ask Linux to SIGTERM it when the build process dies, even by
    kill -9, so a killed build never leaves dbt writing into its abandoned release."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the build's own signal handling has to do
        pass
    if os.getppid() == 1:  # the build died before prctl took effect
        os._exit(1)


def _test_summary(release_dir: Path) -> dict[str, int]:
    try:
        results = json.loads((release_dir / "target" / "run_results.json").read_text(encoding="utf-8"))[
            "results"
        ]
    except (OSError, ValueError, KeyError):
        return {}
    summary: dict[str, int] = {}
    for r in results:
        if r["unique_id"].startswith(("test.", "unit_test.")):
            summary[r["status"]] = summary.get(r["status"], 0) + 1
    return summary


def _row_counts(db: Path) -> dict[str, int]:
    con = open_release(db)
    try:
        names = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_type = 'BASE TABLE' and table_schema = 'main' "
                "order by 1"
            ).fetchall()
        ]
        return {
            n: con.execute(f'select count(*) from "{n}"').fetchone()[0]
            for n in names
            if n.startswith(MART_PREFIXES)
        }
    finally:
        con.close()
