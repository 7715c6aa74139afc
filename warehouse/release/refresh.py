"""`gridpulse refresh`: load what is new in landing, build only if the lake changed; what a nightly timer runs.

A landing file is *new* when neither its bytes (sha256) nor, for a file refused unread, its name, size
and time are in the lake's manifest; a file rejected before and unchanged is not read again. The lake
*changed* when the data files of the current lake generation differ from those of the generation the
current release was built from (generations share unchanged files, so this compares names, sizes and
times, not contents). Outcomes: nothing new (exit 0), loaded and built (exit 0), a new file rejected
or with every row quarantined, or a failed build (exit 1, the reason on one line, after the rest was
loaded); busy (75) and a full disk (74) as for load and build.

Every run is appended to ``$GRIDPULSE_HOME/refresh/history.jsonl`` (owner-only; when, who, what was
loaded, which release was built or why it failed) and to the audit log (event ``refresh``). The data
page runs refresh as a child process (:func:`start`) writing its progress to ``refresh/runs/<id>.log``,
so a browser that closes mid-way leaves the run to finish or fail whole, never half-written.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from warehouse.access import audit
from warehouse.home.diskspace import DiskFull
from warehouse.home.locks import ACTOR_ENV, Busy, actor
from warehouse.home.paths import DataHome
from warehouse.home.private_files import append_private, private_dir
from warehouse.ingest.landing import after_load_choice, files_in, identity, put_away, refusal
from warehouse.ingest.load import load
from warehouse.ingest.sources import file_sha256
from warehouse.lake.generations import current_generation
from warehouse.lake.manifest import read_manifest

from .build import build
from .releases import current_release_dir, read_meta

HISTORY = Path("refresh") / "history.jsonl"
RUNS = Path("refresh") / "runs"
STAGE_LOAD, STAGE_BUILD = "== 加载 load", "== 构建 build"

Progress = Callable[[str], None]


@dataclass
class RefreshResult:
    run_id: str
    by: str
    started_at: str
    # nothing_new | loaded | built | rejected | build_failed | busy | disk_full | error
    outcome: str = "nothing_new"
    message: str = ""
    finished_at: str | None = None
    loaded: list[dict[str, Any]] = field(default_factory=list)  # the new files read, with their counts
    rejected: list[dict[str, str]] = field(default_factory=list)  # new files not loaded: file, reason
    release: str | None = None  # the release that became current
    failures: list[str] = field(default_factory=list)  # what failed in the build, in words
    load_only: bool = False  # --no-build (the data page's upload step)

    @property
    def exit_code(self) -> int:
        return {"rejected": 1, "build_failed": 1, "error": 1, "busy": 75, "disk_full": 74}.get(
            self.outcome, 0
        )


def new_files(home: DataHome, landing: Path) -> list[str]:
    """Landing files (relative paths) the manifest has never seen, loaded or rejected."""
    seen = {r.sha256 for r in read_manifest(home)}
    fresh = []
    for path in files_in(landing):
        key = identity(path, landing) if refusal(path) else file_sha256(path)
        if key not in seen:
            fresh.append(path.relative_to(landing).as_posix())
    return fresh


def lake_fingerprint(generation: Path) -> list[tuple[str, int, int]]:
    """(path, size, mtime) of a generation's tables and quarantine: a file is never changed in place."""
    found = []
    for path in generation.rglob("*"):
        rel = path.relative_to(generation)
        if (
            path.is_file()
            and rel.name != "_manifest.parquet"
            and not any(p.startswith(".") for p in rel.parts)
        ):
            info = path.stat()
            found.append((rel.as_posix(), info.st_size, info.st_mtime_ns))
    return sorted(found)


def lake_changed(home: DataHome) -> bool:
    """Whether the lake holds data the current release was not built from (no release yet: any data)."""
    lake = current_generation(home)
    if lake is None:
        return False
    release = current_release_dir(home)
    built_from = Path(str((read_meta(release) or {}).get("lake") or "")) if release else None
    if built_from is None or not built_from.is_dir():
        return bool(lake_fingerprint(lake))
    return lake_fingerprint(lake) != lake_fingerprint(built_from)


def refresh(
    home: DataHome,
    landing: Path | None = None,
    *,
    build_after: bool = True,
    force: bool = False,
    run_id: str | None = None,
    progress: Progress | None = None,
) -> RefreshResult:
    """Load the new landing files, then build if the lake changed (``force``: build anyway); recorded
    in the refresh history and the audit log. Busy and DiskFull are recorded, then raised."""
    say = progress or (lambda _msg: None)
    landing = landing or home.landing
    now = datetime.now().isoformat(sep=" ", timespec="seconds")
    result = RefreshResult(run_id or new_run_id(), actor(), now, load_only=not build_after)
    try:
        _load_new(home, landing, result, say)
        if build_after and (force or lake_changed(home)):
            _build(home, result, say)
    except Busy as exc:
        _conclude(home, result, "busy", str(exc))
        raise
    except DiskFull as exc:
        _conclude(home, result, "disk_full", str(exc))
        raise
    except Exception as exc:
        _conclude(home, result, "error", f"{type(exc).__name__}: {exc}")
        raise
    outcome = _outcome(result)
    return _conclude(home, result, outcome, _message(result, outcome, build_after))


def _outcome(result: RefreshResult) -> str:
    if result.rejected:
        return "rejected"
    if result.failures:
        return "build_failed"
    return "built" if result.release else "loaded" if result.loaded else "nothing_new"


def _load_new(home: DataHome, landing: Path, result: RefreshResult, say: Progress) -> None:
    fresh = set(new_files(home, landing))
    if not fresh:
        return
    say(f"{STAGE_LOAD}: {len(fresh)} new file(s) in {landing}")
    report = load(home, landing, progress=say)
    for record in report.files:
        if record.file not in fresh:
            continue  # rejected before and read again by the loader: not this run's news
        counts = {
            k: getattr(record, k)
            for k in ("rows_read", "rows_accepted", "rows_quarantined", "rows_duplicate")
        }
        if record.status == "loaded":
            result.loaded.append(
                {"file": record.file, "lake_table": f"{record.source}/{record.entity}", **counts}
            )
            if record.rows_read and record.rows_quarantined == record.rows_read:
                result.rejected.append(
                    {
                        "file": record.file,
                        "reason": f"all {record.rows_read:,} rows quarantined "
                        f"(profile {record.profile}): see `gridpulse status`",
                        # the same in a code and its values: a page says it in its own language
                        "code": "all_quarantined",
                        "rows": record.rows_read,
                        "profile": record.profile,
                    }
                )
        else:
            result.rejected.append({"file": record.file, "reason": record.reason or record.status})
    loaded = [f.file for f in report.files if f.status == "loaded"] + report.skipped
    put_away(home, landing, loaded, after_load_choice(home, False, False))


def _build(home: DataHome, result: RefreshResult, say: Progress) -> None:
    say(f"{STAGE_BUILD}: dbt build into a new release")
    built = build(home, progress=say)
    say(built.summary())
    if built.ok:
        result.release = built.release_id
    else:
        result.failures = built.failures or ["dbt build failed"]


def _message(result: RefreshResult, outcome: str, build_after: bool) -> str:
    loaded = f"{len(result.loaded)} new file(s) loaded" if result.loaded else "no new file loaded"
    if outcome == "rejected":
        bad = "; ".join(f"{r['file']}: {r['reason']}" for r in result.rejected)
        built = f", release {result.release} is now current" if result.release else ""
        built += f", build failed: {result.failures[0]}" if result.failures else ""
        return f"REJECTED {len(result.rejected)} file(s) — {bad} ({loaded}{built})"
    if outcome == "build_failed":
        return f"build failed, the current release was left as it was: {result.failures[0]} ({loaded})"
    if outcome == "built":
        return f"{loaded}; release {result.release} is now current"
    if outcome == "loaded":
        return f"{loaded}; " + (
            "the lake did not change: nothing to build" if build_after else "not built (load only)"
        )
    return "nothing new: no new file in landing, and the current release was built from this lake"


def _conclude(home: DataHome, result: RefreshResult, outcome: str, message: str) -> RefreshResult:
    result.outcome, result.message = outcome, " ".join(message.split())
    result.finished_at = datetime.now().isoformat(sep=" ", timespec="seconds")
    entry = asdict(result)
    append_private(home.root / HISTORY, (json.dumps(entry, ensure_ascii=False) + "\n").encode())
    audit.record(
        home,
        "refresh",
        result.by,
        run_id=result.run_id,
        outcome=outcome,
        message=result.message,
        files=[f["file"] for f in result.loaded],
        rejected=result.rejected,
        release=result.release,
    )
    return result


def history(home: DataHome, limit: int | None = None) -> list[dict[str, Any]]:
    """Refresh runs, newest first."""
    path = home.root / HISTORY
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entries.append(json.loads(line))
        except ValueError:
            continue  # a line cut short by a full disk
    return entries[::-1][:limit]


def result_of(home: DataHome, run_id: str) -> dict[str, Any] | None:
    return next((e for e in history(home) if e.get("run_id") == run_id), None)


def new_run_id() -> str:
    return f"{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}-{time.time_ns() % 10**6:06d}"


def run_log(home: DataHome, run_id: str) -> Path:
    return home.root / RUNS / f"{run_id}.log"


def start(home: DataHome, by: str, *, build_after: bool = True) -> tuple[str, subprocess.Popen]:
    """Run `gridpulse refresh` as a child of its own (its own session: it outlives the page that started
    it and finishes or fails whole); its progress goes to :func:`run_log`. (run id, the process)."""
    run_id = new_run_id()
    private_dir(home.root / RUNS)
    root = Path(__file__).resolve().parents[2]
    cmd = [sys.executable, "-m", "warehouse.cli", "refresh", "--run-id", run_id]
    if not build_after:
        cmd.append("--no-build")
    env = {
        **os.environ,
        "GRIDPULSE_HOME": str(home.root),
        ACTOR_ENV: by,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])),
    }
    fd = os.open(run_log(home, run_id), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        proc = subprocess.Popen(
            cmd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=fd,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=root,
        )
    finally:
        os.close(fd)
    return run_id, proc
