"""数据上传与更新 — the data admin's desk: upload exports (checked, saved into landing, loaded) and rebuild.

Loading and building run as `gridpulse refresh` child processes under the data home's locks (one
writer across the command line and this page); this page only starts them and follows their log, so
a browser closing mid-way leaves the run to finish or fail whole.
"""

from __future__ import annotations

from dataclasses import asdict

import polars as pl
import streamlit as st

from dashboard import access, refresh_panel
from dashboard.i18n import t
from warehouse.home.locks import lock_holder
from warehouse.ingest.intake import Checked, check_uploads, upload_limit_mb
from warehouse.release.refresh import start
from warehouse.release.releases import current_release_dir

KINDS = ["xlsx", "xls", "csv", "tsv", "txt", "geojson", "json", "zip"]
home = access.home()


def checks_table(checked: list[dict]) -> None:
    st.subheader(t("dd_checks"))
    st.dataframe(
        pl.DataFrame(
            {
                t("dd_c_name"): [c["name"] for c in checked],
                t("dd_c_size"): [round(c["size"] / 1024, 1) for c in checked],
                t("dd_c_kind"): [c["kind"] or "—" for c in checked],
                t("dd_c_profile"): [c["profile"] or "—" for c in checked],
                t("dd_c_result"): [result_text(c) for c in checked],
                t("dd_c_saved"): [c["saved_as"] or "—" for c in checked],
            }
        ),
        hide_index=True,
        key="dd_checks",
    )
    refused = [c for c in checked if not c["saved_as"] and not c["already_loaded"]]
    if refused:
        st.error(
            t(
                "dd_refused_n",
                n=len(refused),
                names="；".join(f"{c['name']}（{c['reason']}）" for c in refused),
            ),
            icon=":material/block:",
        )


def result_text(c: dict) -> str:
    if c["saved_as"]:
        return t("dd_saved")
    return t("dd_skipped", reason=c["reason"]) if c["already_loaded"] else t("dd_refused", reason=c["reason"])


def busy_text() -> str | None:
    """Who holds the data home now, in the page's language, else None."""
    holder = lock_holder(home)
    return t("dd_held", **asdict(holder)) if holder else None


def launch(kind: str, files: list[str] | None = None) -> None:
    """Start a refresh child (``kind`` load: load only; rebuild: load and build), unless one is running."""
    busy = busy_text()
    if busy:
        st.warning(busy, icon=":material/hourglass_top:")
        return
    run_id, proc = start(home, st.session_state.get(access.WHO) or "?", build_after=kind == "rebuild")
    st.session_state.dd_run = {"id": run_id, "kind": kind, "proc": proc, "files": files or []}


def upload(files: list) -> None:
    checked = check_uploads(home, [(f.name, f.getvalue()) for f in files])
    access.record(
        "upload",
        files=[_audited(c) for c in checked],
        saved=sum(c.ok for c in checked),
        refused=sum(not c.ok for c in checked),
    )
    st.session_state.dd_checked = [asdict(c) for c in checked]
    st.session_state.pop("dd_run", None)
    saved = [c.saved_as for c in checked if c.saved_as]
    if saved:
        launch("load", saved)


def _audited(c: Checked) -> dict:
    return {
        "name": c.name,
        "size": c.size,
        "kind": c.kind,
        "profile": c.profile,
        "sha256": c.sha256,
        "saved_as": c.saved_as,
        "reason": c.reason,
    }


def show_result(run: dict) -> None:
    entry = run.get("entry")
    current = current_release_dir(home)
    current_id = current.name if current else t("dd_none")
    if entry is None:
        st.error(t("dd_run_vanished"), icon=":material/error:")
        return
    outcome = entry["outcome"]
    if outcome in ("busy", "error", "disk_full"):
        st.error(t("dd_run_failed", message=refresh_panel.describe(entry)), icon=":material/error:")
        if run["kind"] == "load":
            st.info(t("dd_not_loaded_yet", why=refresh_panel.outcome_label(outcome)))
        return
    if outcome == "rejected":
        st.warning(t("dd_done_rejected", message=refresh_panel.describe(entry)), icon=":material/warning:")
    if entry.get("release"):
        st.success(t("dd_done_built", release=entry["release"]), icon=":material/check_circle:")
    elif outcome == "build_failed" or entry.get("failures"):
        st.error(t("dd_build_failed", current=current_id), icon=":material/error:")
        st.markdown("\n".join(f"- {f}" for f in entry["failures"]))
    elif outcome == "nothing_new":
        st.info(t("dd_done_nothing", release=current_id), icon=":material/info:")
    elif outcome == "loaded":
        st.success(t("dd_done_loaded", message=refresh_panel.describe(entry)), icon=":material/check_circle:")
    if run["kind"] == "load":
        refresh_panel.accounting(home, run["files"])


st.title(t("page_data"))
st.caption(t("dd_intro", limit=f"{upload_limit_mb():g}"))
running = st.session_state.get("dd_run")
busy = busy_text()
if busy and (running is None or "entry" in running):
    st.warning(busy, icon=":material/hourglass_top:")

# not a form: the sign-in page's form is the only one a visitor meets; a new key empties the uploader
batch = st.session_state.get("dd_batch", 0)
files = st.file_uploader(t("dd_drop"), type=KINDS, accept_multiple_files=True, key=f"dd_files_{batch}")
send = st.button(t("dd_upload"), type="primary", key="dd_upload", icon=":material/upload:")
rebuild = st.button(
    t("dd_rebuild"), help=t("dd_rebuild_help"), key="dd_rebuild", icon=":material/construction:"
)

if send:
    if files:
        st.session_state.dd_batch = batch + 1
        upload(files)
    else:
        st.warning(t("dd_no_files"))
if rebuild:
    st.session_state.pop("dd_checked", None)
    launch("rebuild")

if st.session_state.get("dd_checked"):
    checks_table(st.session_state.dd_checked)
run = st.session_state.get("dd_run")
if run is not None:
    if "entry" not in run:
        title = t("dd_loading", n=len(run["files"])) if run["kind"] == "load" else t("dd_refreshing")
        run["entry"] = refresh_panel.follow(home, run, title)
        run.pop("proc", None)
    show_result(run)
st.divider()
refresh_panel.last_refresh(home)
refresh_panel.refresh_history(home)
