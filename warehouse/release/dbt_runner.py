"""dbt through its Python API, in a child process of `gridpulse build`: one JSON line on stdout per event.

``python -m warehouse.release.dbt_runner <project_dir>`` runs ``dbt build``; when it passed, ``dbt source freshness``
and ``dbt docs generate --static`` into the same target folder (the release's). dbt's own console output
is off; a ``dbtRunner`` callback turns the events the build needs into lines the parent reads:

    {"progress": "12 of 310 OK created sql table model main.dim_streets"}
    {"failed": {"kind": "model", "name": "mart_x", "status": "error", "message": "Binder Error: …"}, "step": "build"}
    {"error": "Parsing Error …", "step": "build"}    an error outside any node (parse, connection)
    {"done": true, "step": "build"}                   one per dbt command run (false: it failed)

Only what fails in the "build" step fails the release; a stale source (freshness) or docs that could
not be written are reported, and the release still becomes current.

A child process, not the build process itself: dbt keeps global state (flags, adapters, logging) per
process, and the kill test needs the build's dbt to die with it (see warehouse.build._die_with_parent).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

RESULT_EVENTS = {"LogModelResult", "LogTestResult", "LogSeedResult", "LogFreshnessResult", "LogNodeResult"}
FAILED = ("error", "fail", "runtime error")


STEP = {"name": "build"}
REPORTED: set[str] = set()  # errors already emitted (dbt fires one and returns the same exception)


def emit(**line: Any) -> None:
    print(json.dumps({**line, "step": STEP["name"]}, ensure_ascii=False, default=str), flush=True)


def on_event(msg: Any) -> None:
    """dbtRunner callback: the lines above, from dbt's structured events (never its console text)."""
    try:
        _translate(msg)
    except Exception as exc:  # noqa: BLE001 — an exception here would fail the dbt node being reported
        emit(error=f"gridpulse could not read dbt event {msg.info.name}: {exc}")


def _translate(msg: Any) -> None:
    name = msg.info.name
    if name in RESULT_EVENTS:
        emit(progress=msg.info.msg.strip())
    elif name == "NodeFinished":
        result = msg.data.run_result
        # a stale source is a freshness verdict (its LogFreshnessResult line says so), not a failure
        if result.status in FAILED and (STEP["name"] == "build" or result.status == "runtime error"):
            node = msg.data.node_info
            emit(
                failed={
                    "kind": node.unique_id.partition(".")[0],
                    "name": node.node_name,
                    "status": result.status,
                    "message": result.message,
                    "failures": result.num_failures or None,
                    "path": node.node_path,
                }
            )
    elif name == "MainEncounteredError":
        REPORTED.add(str(msg.data.exc))
        emit(error=str(msg.data.exc))


def invoke(step: str, args: list[str]) -> bool:
    from dbt.cli.main import dbtRunner

    STEP["name"] = step
    result = dbtRunner(callbacks=[on_event]).invoke(
        [*args, "--log-level", "none", "--log-level-file", "info"]
    )
    if result.exception is not None and str(result.exception) not in REPORTED:
        emit(error=f"{type(result.exception).__name__}: {result.exception}")
    emit(done=result.success)
    return result.success


def main(argv: list[str]) -> int:
    """``<project_dir> [dbt flags…]``; $GRIDPULSE_DBT_STEPS picks the steps (a Spark build runs "build" on
    Spark, then "freshness,docs" on the release it packaged: warehouse.release.spark; an increment
    runs "build,freshness" and keeps its base's docs); $GRIDPULSE_DBT_BUILD_ARGS adds flags to `dbt build`."""
    project = Path(argv[0]).resolve()
    where = ["--project-dir", str(project), "--profiles-dir", str(project), *argv[1:]]
    steps = os.environ.get("GRIDPULSE_DBT_STEPS", "build,freshness,docs").split(",")
    only_build = os.environ.get("GRIDPULSE_DBT_BUILD_ARGS", "").split()  # an increment's --exclude
    if "build" in steps and not invoke("build", ["build", *where, *only_build]):
        return 1
    if "freshness" in steps:
        invoke("freshness", ["source", "freshness", *where])  # stale data: shown on the data-health page
    if "docs" in steps:
        invoke("docs", ["docs", "generate", "--static", "--no-compile", *where])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
