"""The data page's live progress of a refresh run, its per-upload accounting, and the refresh history
that the data-health page shows on top. Renders only: the runs are `gridpulse refresh` child processes
(warehouse.refresh), whose log and history entry are read here."""

from __future__ import annotations

import re
import subprocess
import time
from typing import Any

import polars as pl
import streamlit as st

from dashboard.i18n import t
from dashboard.queries import admin
from warehouse.home.paths import DataHome
from warehouse.ingest.profile import builtin_profiles
from warehouse.lake.manifest import quarantine_path, read_manifest
from warehouse.release.refresh import STAGE_BUILD, STAGE_LOAD, history, result_of, run_log

POLL_S = 0.5
SAMPLES = 5
FILE_LINE = re.compile(r"\[(\d+)/(\d+)\] ")
DBT_LINE = re.compile(r"^(\d+) of (\d+) ")
LOAD_SHARE = 0.25  # of the bar, when a run loads and then builds


def progress_of(lines: list[str], builds: bool = True) -> tuple[float, str, list[str]]:
    """(fraction done, the stage's latest line, the file-by-file lines) of a refresh run's log; ``builds``:
    the run goes on to build (loading fills a quarter of the bar, dbt the rest)."""
    fraction, latest, files = 0.0, "", []
    loading_share = LOAD_SHARE if builds else 1.0
    for line in lines:
        if m := FILE_LINE.search(line):
            fraction = loading_share * int(m[1]) / int(m[2])
            files.append(line)
            latest = line
        elif line.startswith("REJECTED"):
            files.append(line)
        elif m := DBT_LINE.match(line):
            fraction = LOAD_SHARE + (1 - LOAD_SHARE) * int(m[1]) / int(m[2])
            latest = line
        elif line.startswith((STAGE_LOAD, STAGE_BUILD)):
            latest = line
    return min(fraction, 1.0), latest, files


def read_lines(home: DataHome, run_id: str) -> list[str]:
    try:
        return run_log(home, run_id).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def follow(home: DataHome, run: dict[str, Any], title: str) -> dict[str, Any] | None:
    """Show a run's progress live until it ends; its history entry (None: it ended without one)."""
    proc: subprocess.Popen | None = run.get("proc")
    started = time.monotonic()
    with st.status(title, expanded=True) as box:
        bar = st.progress(0.0)
        files = st.empty()
        while True:
            entry = result_of(home, run["id"])
            ended = entry is not None or (proc is not None and proc.poll() is not None)
            fraction, latest, done = progress_of(read_lines(home, run["id"]), run["kind"] == "rebuild")
            stage = (
                t("dd_stage_build")
                if latest.startswith(STAGE_BUILD) or " of " in latest
                else t("dd_stage_load")
            )
            bar.progress(
                1.0 if entry else fraction,
                text=f"{stage} · {latest[:140]} · {t('dd_running_since', s=int(time.monotonic() - started))}",
            )
            files.markdown("\n".join(f"- `{line[:200]}`" for line in done[-40:]) or " ")
            if ended:
                break
            time.sleep(POLL_S)
        entry = entry or result_of(home, run["id"])
        ok = entry is not None and entry["outcome"] in ("built", "loaded", "nothing_new")
        box.update(
            label=t("dd_run_ok") if ok else t("dd_run_not_ok"),
            state="complete" if ok else "error",
            expanded=not ok,
        )
    return entry


def outcome_label(outcome: str) -> str:
    return t(f"rf_outcome_{outcome}") if outcome in OUTCOMES else outcome


OUTCOMES = ("nothing_new", "loaded", "built", "rejected", "build_failed", "busy", "disk_full", "error")


def accounting(home: DataHome, saved: list[str]) -> None:
    """Rows read / accepted / quarantined / duplicate of the uploaded files, and their quarantine
    reasons with masked samples (as `gridpulse status` and data health count them)."""
    records = [r for r in read_manifest(home) if r.file in set(saved)]
    if not records:
        return
    st.subheader(t("dd_accounting"))
    st.dataframe(
        pl.DataFrame(
            {
                t("dd_c_saved"): [r.file for r in records],
                t("dd_f_table"): [f"{r.source}/{r.entity}" if r.source else "—" for r in records],
                t("dd_f_status"): [r.status for r in records],
                t("dd_f_read"): [r.rows_read for r in records],
                t("dd_f_accepted"): [r.rows_accepted for r in records],
                t("dd_f_quarantined"): [r.rows_quarantined for r in records],
                t("dd_f_duplicate"): [r.rows_duplicate for r in records],
                t("dd_f_reason"): [r.reason or "" for r in records],
            }
        ),
        hide_index=True,
        key="dd_accounting",
    )
    files = [
        str(p)
        for r in records
        if r.rows_quarantined and r.source
        for p in [quarantine_path(home, r.source, r.entity, r.sha256)]
        if p.exists()
    ]
    if not files:
        return
    reasons = admin.lake_frame("lake_quarantine_by_reason", files=files)
    st.markdown(f"**{t('dd_quarantine_reasons')}**")
    st.dataframe(
        reasons.select("lake_table", "reason", "quarantined_rows"), hide_index=True, key="dd_reasons"
    )
    public = [
        f"{p.source}/{p.entity}.{n}" for p in builtin_profiles() for n, c in p.columns.items() if not c.pii
    ]
    for table, reason in reasons.select("lake_table", "reason").iter_rows():
        sample = admin.lake_frame(
            "lake_quarantine_sample",
            public_columns=public,
            files=files,
            lake_table=table,
            reason=reason,
            limit=SAMPLES,
        )
        with st.expander(t("dd_quarantine_samples", table=table, reason=reason)):
            st.dataframe(sample.drop("loaded_at"), hide_index=True)


def describe(entry: dict[str, Any]) -> str:
    """What a refresh did, in the page's language, from the record's outcome, codes and counts. The words
    the record keeps from elsewhere (the lock's, the loader's reasons, dbt's) follow as a detail."""
    outcome = entry.get("outcome", "")
    if outcome in ("busy", "error", "disk_full"):
        detail = entry.get("message", "")
        return t(f"rf_why_{outcome}") + (t("rf_detail", detail=detail) if detail else "")
    parts = [t("rf_loaded_n", n=len(entry.get("loaded") or []))]
    rejected = entry.get("rejected") or []
    if rejected:
        parts.append(
            t("rf_rejected", files=t("list_sep").join(f"{r['file']}（{reason(r)}）" for r in rejected))
        )
    if entry.get("release"):
        parts.append(t("rf_built", release=entry["release"]))
    elif entry.get("failures"):
        parts.append(t("rf_failed", what=entry["failures"][0]))
    elif outcome in ("nothing_new", "loaded"):
        parts.append(t("rf_load_only") if entry.get("load_only") else t("rf_no_build"))
    return t("rf_parts_sep").join(parts)


def reason(rejected: dict[str, Any]) -> str:
    """Why a file was not loaded: said by the page when the record has a code, else as the loader wrote it."""
    if rejected.get("code") == "all_quarantined":
        return t("rf_all_quarantined", rows=f"{rejected.get('rows') or 0:,}", profile=rejected.get("profile"))
    return str(rejected.get("reason") or "")


def last_refresh(home: DataHome) -> None:
    """The last refresh, on top of the data-health page."""
    runs = history(home, limit=1)
    if not runs:
        st.caption(t("rf_none"))
        return
    last = runs[0]
    text = t(
        "rf_last",
        at=last.get("finished_at") or last.get("started_at"),
        by=last.get("by"),
        outcome=outcome_label(last.get("outcome", "")),
        message=describe(last),
    )
    if last.get("outcome") in ("built", "loaded", "nothing_new"):
        st.success(text, icon=":material/update:")
    else:
        st.error(text, icon=":material/sync_problem:")


def refresh_history(home: DataHome, limit: int = 200) -> None:
    """Every refresh (newest first): when, who, what it loaded, what it built or why it failed."""
    runs = history(home, limit=limit)
    if not runs:
        return
    with st.expander(t("rf_history"), expanded=False):
        st.dataframe(
            pl.DataFrame(
                {
                    t("rf_c_started"): [r.get("started_at") for r in runs],
                    t("rf_c_finished"): [r.get("finished_at") or "—" for r in runs],
                    t("rf_c_by"): [r.get("by") or "—" for r in runs],
                    t("rf_c_outcome"): [outcome_label(r.get("outcome", "")) for r in runs],
                    t("rf_c_loaded"): [len(r.get("loaded") or []) for r in runs],
                    t("rf_c_release"): [r.get("release") or "—" for r in runs],
                    t("rf_c_message"): [describe(r) for r in runs],
                }
            ),
            hide_index=True,
            key="rf_history",
        )
