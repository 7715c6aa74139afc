"""数据健康 — per source: freshness, files loaded, quarantined rows; the current release, its tests and history.

The freshness figures come from the release's ``mart_data_health`` (through ``dashboard.queries.admin``); the
manifest and the quarantine are read live from the lake's Parquet files in a throwaway in-memory
DuckDB. Quarantine samples show only the masked record (names and phones are masked at the lake
boundary) and hide the detail of personal-data columns. A failed build is shown with what failed,
while the dashboard keeps serving the release that is current.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from dashboard import access, charts, coverage, db, refresh_panel, schema_docs
from dashboard.desk_ui import dashes, filled
from dashboard.i18n import LABELS, t
from dashboard.layout import freshness_footer, require_release
from dashboard.queries import EVERYTHING, admin
from warehouse.ingest.profile import builtin_profiles
from warehouse.release import freshness
from warehouse.release.releases import DOCS_FILE, history

LAKE_TTL_S = 30
SAMPLE_ROWS = 20

cfg = st.column_config
home = db.home()


@st.cache_data(ttl=LAKE_TTL_S, show_spinner=False)
def lake(name: str, **params: Any) -> pl.DataFrame:
    return admin.lake_frame(name, **params)


@st.cache_data(ttl=LAKE_TTL_S, show_spinner=False)
def results_of(target: str) -> list[schema_docs.DbtResult]:
    return schema_docs.dbt_results(Path(target))


def label(prefix: str, code: str | None) -> str:
    key = f"{prefix}{code}"
    return t(key) if key in LABELS else str(code)


@st.cache_data(show_spinner=False)
def non_personal_columns() -> list[str]:
    """``<source>/<entity>.<column>`` of every built-in column that is not personal data."""
    return [
        f"{p.source}/{p.entity}.{name}"
        for p in builtin_profiles()
        for name, c in p.columns.items()
        if not c.pii
    ]


def failed_build_banner(releases: list[dict[str, Any]], current: str | None) -> None:
    if not releases:
        return
    newest = releases[0]
    if newest.get("status") == "building":
        st.info(
            t("dh_building", id=newest.get("id"), at=newest.get("started_at")),
            icon=":material/hourglass_top:",
        )
        return
    if newest.get("status") not in ("failed", "incomplete"):
        # the newest build passed: still say, at the top, when the last one failed and what failed
        last_failed = next((r for r in releases if r.get("status") == "failed"), None)
        if last_failed is not None:
            st.warning(
                t("dh_last_failed", id=last_failed.get("id"), at=last_failed.get("finished_at") or "—")
                + " "
                + failed_in_words(last_failed),
                icon=":material/history:",
            )
        return
    st.error(
        t(
            "dh_build_failed",
            id=newest.get("id"),
            at=newest.get("finished_at") or newest.get("started_at") or "—",
            current=current or t("dh_build_failed_none"),
        )
        + " "
        + failed_in_words(newest),
        icon=":material/error:",
    )
    failed_details(newest)


def failed_in_words(release: dict[str, Any]) -> str:
    """What failed in a build, as a sentence: each failing dbt test with its model and failing rows."""
    target = Path(release["path"]).parent / "target"
    bad = [r for r in results_of(str(target)) if r.status in ("fail", "error", "runtime error")]
    if not bad:
        failures = release.get("failures") or []
        return t("dh_failed_plain", what="；".join(failures)) if failures else ""
    words = [
        t(
            "dh_test_failed_words",
            test=r.name,
            model=r.model or "—",
            n=r.failures if r.failures is not None else "—",
        )
        for r in bad[:3]
    ]
    more = t("dh_failed_more", n=len(bad) - 3) if len(bad) > 3 else ""
    return "；".join(words) + more


def failed_details(release: dict[str, Any]) -> None:
    failures = release.get("failures") or []
    if failures:
        st.markdown(f"**{t('dh_failed_what')}**")
        st.markdown("\n".join(f"- `{f}`" for f in failures))
    target = Path(release["path"]).parent / "target"
    bad = [r for r in results_of(str(target)) if r.status in ("fail", "error", "runtime error")]
    if bad:
        st.markdown(f"**{t('dh_failed_tests')}**")
        st.dataframe(tests_frame(bad), hide_index=True)
    elif not (target / "run_results.json").exists():
        st.caption(t("dh_no_results"))


def tests_frame(results: list[schema_docs.DbtResult]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            t("dh_t_status"): [label("dh_result_", r.status) for r in results],
            t("dh_t_name"): [r.name for r in results],
            t("dh_t_kind"): [label("dh_result_kind_", r.kind) for r in results],
            t("dh_t_model"): [r.model or "—" for r in results],
            t("dh_t_failures"): ["—" if r.failures is None else f"{r.failures:,}" for r in results],
            t("dh_t_message"): [r.message or "—" for r in results],  # dbt's own words
        }
    )


def overview(health: pl.DataFrame, reasons: pl.DataFrame, fresh: dict[str, str]) -> None:
    st.subheader(t("dh_overview"))
    live = (
        reasons.group_by("lake_table").agg(pl.col("quarantined_rows").sum().alias("live_quarantined"))
        if reasons.height
        else pl.DataFrame(schema={"lake_table": pl.String, "live_quarantined": pl.Int64})
    )
    frame = health.join(live, on="lake_table", how="left").with_columns(
        pl.col("live_quarantined").fill_null(0)
    )
    states = []
    for row in frame.iter_rows(named=True):
        if row["files_rejected"]:
            states.append(t("dh_state_rejects"))
        elif not row["lake_rows"]:
            states.append(t("dh_state_empty"))
        elif row["latest_record_at"] is None:
            states.append(t("dh_state_register"))
        elif fresh.get(row["lake_table"]) == "error":
            states.append(t("dh_state_stale"))
        elif fresh.get(row["lake_table"]) == "warn":
            states.append(t("dh_state_late"))
        else:
            states.append(t("dh_state_ok"))
    shown = pl.DataFrame(
        {
            t("dh_col_state"): states,
            t("dh_col_source"): [label("dh_source_", s) for s in frame["source_name"]],
            t("dh_col_table"): frame["table_label"],
            t("dh_col_lake_table"): frame["lake_table"],
            t("dh_col_latest"): frame["latest_record_at"],
            t("dh_col_basis"): frame["record_time_basis"],
            t("dh_col_lag_today"): frame["lag_days_to_today"],
            t("dh_col_lag_clock"): frame["lag_hours_to_data_clock"].round(1),
            t("dh_col_rows"): frame["lake_rows"],
            t("dh_col_files"): frame["files_loaded"],
            t("dh_col_rejected_files"): frame["files_rejected"],
            t("dh_col_quarantined"): frame["live_quarantined"],
            t("dh_col_flagged"): frame["flag_summary"],
            t("dh_col_last_load"): frame["last_load_at"],
        }
    )
    # a register table (no business time) has no latest record and no lag: "—", never "None"
    shown = dashes(
        shown,
        t("dh_col_latest"),
        t("dh_col_basis"),
        t("dh_col_lag_today"),
        t("dh_col_lag_clock"),
        t("dh_col_flagged"),
    )
    st.dataframe(
        shown,
        hide_index=True,
        key="dh_overview",
        column_config={
            t("dh_col_last_load"): cfg.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
            t("dh_col_rows"): cfg.NumberColumn(format="localized"),
        },
    )
    st.caption(t("dh_overview_note"))


def source_tab(
    source: str,
    health: pl.DataFrame,
    manifest: pl.DataFrame,
    reasons: pl.DataFrame,
    quarantine_files: list[str],
) -> None:
    tables = health.filter(pl.col("source_name") == source) if health.height else health
    if tables.height:
        cols = st.columns(min(4, tables.height))
        for i, row in enumerate(tables.iter_rows(named=True)):
            with cols[i % len(cols)]:
                st.metric(
                    f"{row['table_label']} · {row['entity_name']}",
                    t("dh_rows_metric", rows=row["lake_rows"] or 0),
                )
                if row["latest_record_at"] is None:
                    st.caption(t("dh_register_caption"))
                else:
                    st.caption(
                        f"{t('dh_latest_metric')} {row['latest_record_at']:%Y-%m-%d %H:%M} · "
                        + t(
                            "dh_lag_caption",
                            basis=row["record_time_basis"],
                            days=row["lag_days_to_today"],
                            hours=row["lag_hours_to_data_clock"],
                        )
                    )
    st.markdown(f"**{t('dh_files')}**")
    files = (
        manifest.filter(pl.col("lake_table").str.split("/").list.first() == source)
        if manifest.height
        else manifest
    )
    if not files.height:
        st.caption(t("dh_no_files"))
    else:
        st.dataframe(
            filled(
                files.select(
                    pl.col("file").alias(t("dh_f_file")),
                    pl.col("lake_table").alias(t("dh_col_lake_table")),
                    pl.col("status")
                    .map_elements(lambda s: label("dh_file_", s), return_dtype=pl.String)
                    .alias(t("dh_f_status")),
                    pl.col("rows_read").alias(t("dh_f_read")),
                    pl.col("rows_accepted").alias(t("dh_f_accepted")),
                    pl.col("rows_quarantined").alias(t("dh_f_quarantined")),
                    pl.col("rows_duplicate").alias(t("dh_f_duplicate")),
                    pl.col("rows_updated").alias(t("dh_f_updated")),
                    pl.col("rows_add_up").alias(t("dh_f_adds_up")),
                    pl.col("reason").alias(t("dh_f_reason")),
                    pl.col("format").alias(t("dh_f_format")),
                    pl.col("encoding").alias(t("dh_f_encoding")),
                    pl.col("profile").alias(t("dh_f_profile")),
                    pl.col("loaded_at").alias(t("dh_f_loaded_at")),
                )
            )[0],
            hide_index=True,
            key=f"dh_files_{source}",
            column_config={
                t("dh_f_loaded_at"): cfg.DatetimeColumn(format="YYYY-MM-DD HH:mm:ss"),
                t("dh_f_file"): cfg.TextColumn(width="large"),
            },
        )
    st.markdown(f"**{t('dh_quarantine')}**")
    mine = (
        reasons.filter(pl.col("lake_table").str.split("/").list.first() == source)
        if reasons.height
        else reasons
    )
    if not mine.height:
        st.caption(t("dh_no_quarantine"))
        return
    mine = mine.with_columns(
        pl.col("reason")
        .map_elements(lambda r: label("dh_reason_", r), return_dtype=pl.String)
        .alias("reason_label")
    )
    left, right = st.columns([3, 2])
    with left:
        st.dataframe(
            mine.select(
                pl.col("lake_table").alias(t("dh_col_lake_table")),
                pl.col("reason").alias(t("dh_f_reason")),
                pl.col("reason_label").alias(t("dh_q_meaning")),
                pl.col("quarantined_rows").alias(t("dh_q_rows")),
                pl.col("files").alias(t("dh_q_files")),
            ),
            hide_index=True,
            key=f"dh_reasons_{source}",
        )
    with right:
        st.altair_chart(charts.quarantine_chart(mine, height=max(80, 35 * mine.height)), width="stretch")
    pairs = list(zip(mine["lake_table"].to_list(), mine["reason"].to_list(), strict=True))
    pick = st.selectbox(
        t("dh_sample_pick"),
        range(len(pairs)),
        key=f"dh_sample_{source}",
        format_func=lambda i: f"{pairs[i][0]} · {label('dh_reason_', pairs[i][1])}",
    )
    table, reason = pairs[pick or 0]
    sample = lake(
        "lake_quarantine_sample",
        public_columns=non_personal_columns(),
        files=quarantine_files,
        lake_table=table,
        reason=reason,
        limit=SAMPLE_ROWS,
    )
    st.markdown(f"**{t('dh_sample')}**")
    picked = st.dataframe(
        filled(
            sample.select(
                pl.col("file").alias(t("dh_f_file")),
                pl.col("source_row").alias(t("dh_q_row")),
                pl.col("column").alias(t("dh_q_column")),
                pl.col("detail").alias(t("dh_q_detail")),
                pl.col("record").alias(t("dh_q_record")),
            )
        )[0],
        hide_index=True,
        key=f"dh_samples_{source}_{pick}",
        on_select="rerun",
        selection_mode="single-row",
        column_config={t("dh_q_record"): cfg.TextColumn(width="large")},
    )
    rows = picked.selection.rows if picked else []
    if sample.height:
        record = sample["record"][rows[0] if rows else 0]
        with st.expander(t("dh_sample_record"), expanded=bool(rows)):
            try:
                st.json(json.loads(record) if record else {})
            except ValueError:
                st.code(record or "")


def freshness_now(meta: dict[str, Any]) -> dict[str, str]:
    """Each lake table's freshness verdict (pass / warn / error) against now, by the sources' dbt thresholds."""
    now = datetime.now(UTC)
    return {f.lake_table: f.status(now) for f in freshness.from_release_meta(meta)}


def freshness_section(meta: dict[str, Any]) -> None:
    """`dbt source freshness` as the build found it, and the same thresholds judged against now."""
    st.subheader(t("dh_fresh_title"))
    sources = freshness.from_release_meta(meta)
    if not sources:
        st.caption(t("dh_fresh_none"))
        return
    now = datetime.now(UTC)
    word = {
        "pass": t("dh_fresh_pass"),
        "warn": t("dh_fresh_warn_state"),
        "error": t("dh_fresh_error_state"),
        "runtime error": t("dh_fresh_runtime_error"),
    }

    def days(delta: timedelta | None) -> float | None:
        return round(delta.total_seconds() / 86400, 1) if delta is not None else None

    st.dataframe(
        pl.DataFrame(
            {
                t("dh_fresh_now"): [word.get(f.status(now), f.status(now)) for f in sources],
                t("dh_col_lake_table"): [f.lake_table for f in sources],
                t("dh_fresh_newest"): [
                    f.max_loaded_at.astimezone().replace(tzinfo=None) if f.max_loaded_at else None
                    for f in sources
                ],
                t("dh_fresh_age"): [days(f.age(now)) for f in sources],
                t("dh_fresh_warn"): [days(f.warn_after) for f in sources],
                t("dh_fresh_error"): [days(f.error_after) for f in sources],
                t("dh_fresh_build"): [word.get(f.status_at_build, f.status_at_build) for f in sources],
            },
            schema_overrides={
                t("dh_fresh_newest"): pl.Datetime,
                t("dh_fresh_age"): pl.Float64,
                t("dh_fresh_warn"): pl.Float64,
                t("dh_fresh_error"): pl.Float64,
            },
        ),
        hide_index=True,
        key="dh_freshness",
        column_config={t("dh_fresh_newest"): cfg.DatetimeColumn(format="YYYY-MM-DD HH:mm")},
    )
    st.caption(t("dh_fresh_note"))


def docs_button(meta: dict[str, Any], release_dir: Path) -> None:
    """The release's dbt docs (lineage included) as one self-contained HTML file, read only when clicked."""
    docs = release_dir / DOCS_FILE
    if not meta.get("docs") or not docs.exists():
        st.caption(t("dh_docs_none"))
        return
    st.download_button(
        t("dh_docs_button"),
        data=access.audited_download(
            docs.read_bytes, "dbt docs (html)", period=release_dir.name, scope="whole warehouse"
        ),
        file_name=f"gridpulse-dbt-docs-{release_dir.name}.html",
        mime="text/html",
        help=t("dh_docs_help"),
        icon=":material/account_tree:",
        on_click="ignore",
        key="dh_docs",
    )


def release_section(meta: dict[str, Any], release_dir: Path) -> None:
    st.header(t("release"))
    results = [r for r in results_of(str(release_dir / "target")) if r.kind in ("test", "unit_test")]
    counts = meta.get("row_counts") or {}
    st.markdown(t("dh_built_line", id=meta.get("id", release_dir.name), at=meta.get("finished_at", "—")))
    if meta.get("mode") == "incremental":
        st.caption(
            t("dh_mode_incremental", base=meta.get("base_release") or "—", n=meta.get("new_files") or 0)
        )
    elif meta.get("mode") == "full":
        st.caption(t("dh_mode_full"))
    docs_button(meta, release_dir)
    cols = st.columns(3)
    cols[0].metric(t("build_seconds"), meta.get("seconds", "—"))
    cols[1].metric(t("dh_tests_passed"), f"{sum(r.status == 'pass' for r in results):,} / {len(results):,}")
    cols[2].metric(t("dh_marts"), len(counts))
    not_passing = [r for r in results if r.status != "pass"]
    if results and not not_passing:
        st.success(t("dh_tests_all_pass", n=len(results)), icon=":material/check_circle:")
    elif not_passing:
        st.warning(t("dh_tests_some_fail", n=len(not_passing)), icon=":material/warning:")
        st.dataframe(tests_frame(not_passing), hide_index=True, key="dh_tests_bad")
    if results:
        box = st.expander(t("dh_tests_table"), key="dh_tests_all", on_change="rerun")
        if box.open:
            box.dataframe(tests_frame(results), hide_index=True, key="dh_tests_grid")
    if counts:
        st.subheader(t("rows_per_mart"))
        empty = [name for name, n in counts.items() if not n]
        if empty:
            st.warning(
                t("dh_empty_marts", names=", ".join(f"`{n}`" for n in empty)), icon=":material/warning:"
            )
        frame = pl.DataFrame({t("dh_marts"): list(counts), t("dh_mart_rows"): list(counts.values())})
        half = (frame.height + 1) // 2
        for col, part in zip(st.columns(2), (frame.head(half), frame.tail(frame.height - half)), strict=True):
            col.dataframe(
                part,
                hide_index=True,
                height=35 * (half + 1) + 3,
                column_config={t("dh_mart_rows"): cfg.NumberColumn(format="localized")},
            )


def history_section(releases: list[dict[str, Any]]) -> None:
    st.subheader(t("release_history"))
    st.dataframe(
        pl.DataFrame(
            {
                t("dh_release_id"): [r.get("id") for r in releases],
                t("status"): [
                    ("★ " if r.get("current") else "") + label("dh_release_", r.get("status"))
                    for r in releases
                ],
                t("built_at"): [r.get("finished_at") or r.get("started_at") for r in releases],
                t("build_seconds"): [r.get("seconds") for r in releases],
                t("tests"): [
                    ", ".join(f"{label('dh_result_', k)} {v}" for k, v in (r.get("tests") or {}).items())
                    or "—"
                    for r in releases
                ],
                t("failures"): ["; ".join(r.get("failures") or []) or "—" for r in releases],
            },
            schema_overrides={t("build_seconds"): pl.Float64},
        ),
        hide_index=True,
        key="dh_history",
    )
    for r in releases[1:]:
        if r.get("status") == "failed":
            with st.expander(t("dh_failed_release", id=r.get("id"))):
                failed_details(r)


st.title(t("page_health"))
st.caption(t("dh_intro"))
refresh_panel.last_refresh(home)  # issue 19: the nightly refresh's last run on top, its history below
releases = history(home)
current_db = db.release_path()
failed_build_banner(releases, current_db.parent.name if current_db else None)

manifest_path = home.manifest
manifest = lake("lake_manifest", files=str(manifest_path)) if manifest_path.exists() else pl.DataFrame()
quarantine_files = admin.lake_files(home.quarantine, "*/*/*.parquet")
reasons = lake("lake_quarantine_by_reason", files=quarantine_files) if quarantine_files else pl.DataFrame()
has_release = require_release()
meta = (db.release_meta() or {}) if has_release else {}
health = (
    admin.source_health(EVERYTHING) if has_release and db.has_table("mart_data_health") else pl.DataFrame()
)

st.header(t("sources"))
if has_release:
    st.subheader(t("coverage_title"))
    coverage.coverage_table()
if manifest.height and meta.get("started_at"):
    newer = manifest.filter(pl.col("loaded_at") > pl.lit(meta["started_at"]).str.to_datetime())
    if newer.height:
        st.info(
            t("dh_lake_newer", n=newer.height, at=f"{newer['loaded_at'].max():%Y-%m-%d %H:%M}"),
            icon=":material/move_to_inbox:",
        )
if not manifest.height and not health.height:
    st.info(t("dh_no_lake"))
else:
    if has_release and not health.height:
        st.caption(t("dh_no_health_mart"))
    if health.height:
        overview(health, reasons, freshness_now(meta))
    if has_release:
        freshness_section(meta)
    sources = list(
        dict.fromkeys(
            (health["source_name"].to_list() if health.height else [])
            + ([s.split("/")[0] for s in manifest["lake_table"].to_list()] if manifest.height else [])
            + ([s.split("/")[0] for s in reasons["lake_table"].to_list()] if reasons.height else [])
        )
    )
    for tab, source in zip(st.tabs([label("dh_source_", s) for s in sources]), sources, strict=True):
        with tab:
            source_tab(source, health, manifest, reasons, quarantine_files)

if has_release and current_db is not None:
    release_section(meta, current_db.parent)
if releases:
    history_section(releases)
refresh_panel.refresh_history(home)
if has_release:
    freshness_footer()
