"""数据分析台 — the analysts' SQL workbench: schema browser, editor, results, history, saved queries.

Queries run in the sandbox in a child process (``run_isolated``): the same checks and limits as
`gridpulse sql`, and a runaway query cannot hurt this app or other sessions. History and saved
queries live in ``$GRIDPULSE_HOME/workbench.db``; a saved query opens from ``?q=<id>``.
"""

from __future__ import annotations

import time
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from dashboard import access, charts, db, panels, schema_docs
from dashboard.i18n import lang, t
from dashboard.layout import freshness_footer, require_release
from dashboard.queries import EVERYTHING, admin
from warehouse.sandbox.query import EXPORT_FORMATS, Limits, SandboxError, export, run_isolated
from warehouse.sandbox.workbench_store import WorkbenchStore

SQL = "wb_sql"  # the editor's widget key
KEEP = "wb_sql_keep"  # the editor's text, kept across page switches (widget state is dropped off-page)
LIMITS = Limits()
STATUS_ICON = {
    "ok": ":material/check_circle:",
    "refused": ":material/block:",
    "timeout": ":material/timer_off:",
    "memory": ":material/memory:",
    "busy": ":material/hourglass_top:",
    "error": ":material/error:",
}

st.title(t("page_workbench"))
st.html(panels.stylesheet("workbench"))
CAPS = {
    "shown": LIMITS.max_rows_shown,
    "shown_bytes": LIMITS.max_bytes_shown,
    "export": LIMITS.max_rows_export,
    "export_bytes": LIMITS.max_bytes_export,
}
st.caption(t("wb_intro", timeout=f"{LIMITS.timeout_s:g}", memory=LIMITS.memory_limit, **CAPS))

# history and saved queries are the signed-in user's own; a shared link (?q=) opens anyone's saved query
store = WorkbenchStore.for_home(db.home(), owner=st.session_state.get(access.WHO) or "local")
state = st.session_state


# ── editor state: everything that changes the editor goes through these callbacks ──
def set_sql(text: str, saved_id: str | None = None) -> None:
    state[SQL] = text
    state[KEEP] = text
    state.wb_saved_id = saved_id
    if saved_id is None:
        st.query_params.pop("q", None)
        state.wb_opened_q = None


def insert(text: str) -> None:
    current = state.get(SQL) or ""
    sep = "" if not current or current[-1] in " \n\t(,." else " "
    state[SQL] = state[KEEP] = current + sep + text


def insert_columns(widget_key: str, names: list[str]) -> None:
    rows = state[widget_key].selection.rows
    if rows:
        insert(", ".join(names[i] for i in rows if i < len(names)))


def load_example() -> None:
    key = state.get("wb_example")
    if key:
        set_sql(admin.example_sql(key, lang()))
        state.wb_example = None


def open_saved(query_id: str, autorun: bool = True) -> None:
    saved = store.get(query_id)
    if saved is None:
        state.wb_flash = ("warning", t("wb_saved_missing", id=query_id))
        return
    set_sql(saved.sql, saved.id)
    st.query_params["q"] = saved.id
    state.wb_opened_q = saved.id
    state.wb_save_name = saved.name
    state.wb_save_description = saved.description
    state.wb_autorun = autorun


def delete_saved(query_id: str) -> None:
    saved = store.get(query_id)
    if saved and store.delete(query_id):
        state.wb_flash = ("success", t("wb_deleted", name=saved.name))
        if state.get("wb_saved_id") == query_id:
            state.wb_saved_id = None
            st.query_params.pop("q", None)
            state.wb_opened_q = None


def execute(sql: str) -> None:
    """Run in the sandbox's child process; keep the outcome for this session and in the history."""
    path = db.release_path()
    started = time.perf_counter()
    saved_id = state.get("wb_saved_id")
    state.wb_run_no = state.get("wb_run_no", 0) + 1
    try:
        with st.spinner(t("wb_running")):
            result = run_isolated(sql, path, LIMITS)
    except SandboxError as exc:
        state.wb_last = {
            "ok": False,
            "sql": sql,
            "kind": exc.kind,
            "zh": exc.zh,
            "en": exc.en,
            "detail": exc.detail,
        }
        if sql.strip():
            store.record(sql, exc.kind, None, time.perf_counter() - started, str(exc), saved_id)
        access.record(
            "sql",
            sql=sql,
            seconds=round(time.perf_counter() - started, 3),
            rows=None,
            refused=True,
            status=exc.kind,
            reason=str(exc),
        )
        return
    state.wb_last = {
        "ok": True,
        "sql": sql,
        "db": str(path),
        "table": result.table,
        "rows": result.rows,
        "truncated": result.truncated,
        "total": result.total_rows,
        "capped_by": result.capped_by,
        "seconds": result.seconds,
        "at": datetime.now().strftime("%Y%m%d-%H%M%S"),
    }
    store.record(sql, "ok", result.rows, result.seconds, None, saved_id)
    access.record(
        "sql", sql=sql, seconds=round(result.seconds, 3), rows=result.rows, refused=False, status="ok"
    )


# ── first visit, or a shared link ?q=<id> ──
if SQL not in state:
    state[SQL] = state.get(KEEP) or admin.example_sql("example_overdue_by_street", lang())
requested = st.query_params.get("q")
if requested and state.get("wb_opened_q") != requested:
    state.wb_opened_q = requested
    open_saved(requested)


@st.cache_data(max_entries=8, show_spinner=False)
def mart_tables(release_db: str, language: str) -> list[schema_docs.TableDoc]:
    """The marts of one release with their dbt docs in ``language`` (parsing manifest.json once per release)."""
    columns = admin.mart_columns(EVERYTHING)
    return (
        schema_docs.mart_schema(Path(release_db).parent / "target", list(columns.iter_rows()), language)
        if columns.height
        else []
    )


def schema_browser() -> None:
    st.subheader(t("wb_schema"))
    tables = mart_tables(str(db.release_path()), lang())
    needle = st.text_input(t("wb_schema_search"), key="wb_schema_q", placeholder=t("wb_schema_placeholder"))
    matches = schema_docs.search(tables, needle)
    st.caption(t("wb_schema_count", shown=len(matches), total=len(tables)))
    with st.container(height=560, key="wb_schema_box", border=False):
        if not matches:
            st.info(t("wb_schema_none"))
        for doc in matches:
            whole = not needle.strip() or doc.table_matches(needle)
            shown = [c for c in doc.columns if whole or any(c.matches(word) for word in needle.split())]
            open_now = bool(needle) and (len(matches) <= 3 or doc.name == needle.strip())
            label = f"`{doc.name}`  ·  {t('wb_kind_' + doc.kind)}"  # a name analysts type: as code
            box = st.expander(label, expanded=open_now, key=f"wb_exp_{doc.name}", on_change="rerun")
            if not box.open:
                continue
            with box:
                st.caption(doc.description or t("wb_no_docs"))
                if doc.grain:
                    st.markdown(f"**{t('wb_grain')}**{t('wb_colon')}{doc.grain}")
                st.button(
                    f"{t('wb_insert_table')} `{doc.name}`",
                    key=f"wb_ins_{doc.name}",
                    on_click=insert,
                    args=(doc.name,),
                    type="tertiary",
                    icon=":material/input:",
                )
                frame = pl.DataFrame(
                    {
                        t("wb_col_name"): [c.name for c in shown],
                        t("wb_col_type"): [c.type for c in shown],
                        t("wb_col_desc"): [c.description for c in shown],
                    }
                )
                widget = f"wb_cols_{doc.name}_{needle}"
                st.dataframe(
                    frame,
                    hide_index=True,
                    key=widget,
                    selection_mode="single-row",
                    on_select=partial(insert_columns, widget, [c.name for c in shown]),
                    height=min(35 * (len(shown) + 1) + 3, 420),
                    column_config={
                        t("wb_col_name"): st.column_config.TextColumn(width="small"),
                        t("wb_col_type"): st.column_config.TextColumn(width="small"),
                        t("wb_col_desc"): st.column_config.TextColumn(width="large"),
                    },
                )


def editor() -> None:
    st.selectbox(
        t("wb_examples"),
        list(admin.WORKBENCH_EXAMPLES),
        index=None,
        key="wb_example",
        format_func=t,
        placeholder=t("wb_examples_placeholder"),
        on_change=load_example,
    )
    saved_id = state.get("wb_saved_id")
    if saved_id:
        saved = store.get(saved_id)
        if saved:
            st.caption(t("wb_opened", name=saved.name, id=saved.id, link=f"[?q={saved.id}](?q={saved.id})"))
    text = st.text_area(t("wb_editor"), key=SQL, height=330, placeholder=t("wb_editor_placeholder"))
    state[KEEP] = text
    with st.container(horizontal=True):
        run = st.button(
            t("wb_run"), type="primary", key="wb_run", icon=":material/play_arrow:", shortcut="Ctrl+Enter"
        )
        st.button(t("wb_clear"), key="wb_clear", on_click=set_sql, args=("",), icon=":material/backspace:")
        with st.popover(t("wb_save"), icon=":material/bookmark_add:", key="wb_save_box"):
            save_form(text)
    if run or state.pop("wb_autorun", False):
        execute(text or "")


def save_form(text: str) -> None:
    name = st.text_input(t("wb_save_name"), key="wb_save_name")
    description = st.text_area(t("wb_save_description"), key="wb_save_description", height=80)
    saved_id = state.get("wb_saved_id")
    opened = store.get(saved_id) if saved_id else None
    current = opened if opened is not None and opened.owner == store.owner else None  # another's: save a copy
    with st.container(horizontal=True):
        new = st.button(t("wb_save_new"), key="wb_save_as_new", type="primary")
        update = st.button(t("wb_save_update", name=current.name), key="wb_save_update") if current else False
    if not (new or update):
        return
    if not (name or "").strip():
        st.warning(t("wb_save_need_name"))
        return
    if not (text or "").strip():
        st.warning(t("wb_save_need_sql"))
        return
    saved = store.save(name, text, description or "", query_id=current.id if update and current else None)
    state.wb_saved_id = saved.id
    state.wb_opened_q = saved.id
    st.query_params["q"] = saved.id
    state.wb_flash = ("success", t("wb_saved_ok", name=saved.name, link=f"[?q={saved.id}](?q={saved.id})"))
    st.rerun()


def results() -> None:
    last: dict[str, Any] | None = state.get("wb_last")
    if not last:
        return
    if not last["ok"]:
        st.error(f"**{t('wb_kind_' + last['kind'])}**：{reason(last)}", icon=STATUS_ICON[last["kind"]])
        return
    table = last["table"]
    meta = (
        "wb_result_meta"
        if not last["truncated"]
        else "wb_result_of"
        if last["total"] is not None
        else "wb_result_of_more"
    )
    st.markdown(f"**{t(meta, rows=last['rows'], total=last['total'], seconds=last['seconds'])}**")
    if last["truncated"]:
        st.warning(t("wb_truncated_bytes" if last["capped_by"] == "bytes" else "wb_truncated", **CAPS))
    if last["rows"] == 0:
        st.info(t("wb_no_result_rows"))
    grid, chart, download = st.tabs([t("wb_tab_grid"), t("wb_tab_chart"), t("wb_tab_download")])
    with grid:
        st.dataframe(table, hide_index=True, height=min(35 * (last["rows"] + 1) + 3, 520), key="wb_grid")
    with chart:
        quick_chart(table, state.get("wb_run_no", 0))
    with download:
        downloads(last)


def reason(outcome: dict[str, Any]) -> str:
    """Why a query failed, in the UI's language; DuckDB's own message (English) only as a detail below it."""
    if lang() == "en" or not outcome["zh"]:
        return outcome["en"]
    detail = outcome.get("detail")
    return f"{outcome['zh']}  \n{t('wb_duckdb_says')}`{detail}`" if detail else outcome["zh"]


def quick_chart(table: Any, run_no: int) -> None:
    try:
        frame = pl.from_arrow(table)
    except Exception:  # a type polars cannot hold: the grid still shows it
        frame = None
    if not isinstance(frame, pl.DataFrame) or frame.height == 0 or frame.width == 0:
        st.info(t("wb_no_result_rows"))
        return
    numeric = charts.numeric_columns(frame)
    others = [c for c in frame.columns if c not in numeric]
    cols = st.columns(4)
    kind = cols[0].selectbox(
        t("wb_chart_kind"),
        list(charts.CHART_KINDS),
        format_func=lambda k: t("wb_chart_" + k),
        key=f"wb_chart_kind_{run_no}",
    )
    x_options = others + numeric
    x = cols[1].selectbox(t("wb_chart_x"), x_options, key=f"wb_chart_x_{run_no}")
    y_options = [None] + [c for c in numeric if c != x]
    y = cols[2].selectbox(
        t("wb_chart_y"),
        y_options,
        index=1 if len(y_options) > 1 else 0,
        format_func=lambda c: t("wb_chart_count") if c is None else c,
        key=f"wb_chart_y_{run_no}",
    )
    color = cols[3].selectbox(
        t("wb_chart_color"),
        [None] + [c for c in frame.columns if c not in (x, y)],
        format_func=lambda c: t("wb_chart_none") if c is None else c,
        key=f"wb_chart_c_{run_no}",
    )
    figure, capped = charts.quick_chart(frame, x, y, color, kind)
    st.altair_chart(figure, width="stretch")
    if capped:
        st.caption(t("wb_chart_capped", n=charts.MAX_POINTS))


def downloads(last: dict[str, Any]) -> None:
    st.caption(t("wb_download_note", **CAPS))

    def payload(fmt: str) -> Any:
        def make() -> bytes:
            table = last["table"]
            if last["truncated"]:  # the grid holds the first rows only: fetch up to the export cap
                path = Path(last["db"]) if Path(last["db"]).exists() else db.release_path()
                rows, nbytes = LIMITS.caps(export=True)
                table = run_isolated(last["sql"], path, LIMITS, max_rows=rows, max_bytes=nbytes).table
            return export(table, fmt, LIMITS)

        return access.audited_download(
            make,
            f"workbench result ({fmt})",
            sql=last["sql"],
            rows=last["rows"],
            period="as the SQL selects",
            scope="whole warehouse",
        )

    with st.container(horizontal=True):
        for fmt, (mime, suffix) in EXPORT_FORMATS.items():
            st.download_button(
                t(f"wb_download_{fmt}"),
                data=payload(fmt),
                file_name=f"gridpulse_{last['at']}.{suffix}",
                mime=mime,
                key=f"wb_download_{fmt}",
                on_click="ignore",
                icon=":material/download:",
            )


def history_tab() -> None:
    entries = store.history(limit=100)
    if not entries:
        st.info(t("wb_history_empty"))
        return
    frame = pl.DataFrame(
        {
            t("wb_h_time"): [e.ran_at for e in entries],
            t("wb_h_status"): [t("wb_status_" + e.status) for e in entries],
            t("wb_h_rows"): [e.rows for e in entries],
            t("wb_h_seconds"): [e.seconds for e in entries],
            t("wb_h_sql"): [" ".join(e.sql.split())[:200] for e in entries],
            t("wb_h_message"): [e.message or "" for e in entries],
        },
        schema_overrides={t("wb_h_rows"): pl.Int64, t("wb_h_seconds"): pl.Float64},
    )
    st.dataframe(
        frame,
        hide_index=True,
        key="wb_history_grid",
        height=min(35 * (len(entries) + 1) + 3, 380),
        column_config={t("wb_h_sql"): st.column_config.TextColumn(width="large")},
    )
    by_id = {e.id: e for e in entries}
    with st.container(horizontal=True, vertical_alignment="bottom"):
        picked = st.selectbox(
            t("wb_history_pick"),
            list(by_id),
            key="wb_history_pick",
            width=640,
            format_func=lambda i: f"{by_id[i].ran_at} · {' '.join(by_id[i].sql.split())[:80]}",
        )
        if picked is not None:
            st.button(
                t("wb_load"),
                key="wb_history_load",
                on_click=set_sql,
                args=(by_id[picked].sql,),
                icon=":material/edit_note:",
            )


def saved_tab() -> None:
    needle = st.text_input(t("wb_saved_search"), key="wb_saved_q")
    items = store.saved(needle or None)
    if not items:
        st.info(t("wb_saved_empty"))
        return
    frame = pl.DataFrame(
        {
            t("wb_h_name"): [s.name for s in items],
            t("wb_h_id"): [s.id for s in items],
            t("wb_h_link"): [f"?q={s.id}" for s in items],
            t("wb_col_desc"): [s.description for s in items],
            t("wb_h_updated"): [s.updated_at for s in items],
            t("wb_h_sql"): [" ".join(s.sql.split())[:200] for s in items],
        }
    )
    st.dataframe(
        frame,
        hide_index=True,
        key="wb_saved_grid",
        height=min(35 * (len(items) + 1) + 3, 380),
        column_config={t("wb_h_link"): st.column_config.LinkColumn(display_text=r"\?q=(.*)")},
    )
    by_id = {s.id: s for s in items}
    with st.container(horizontal=True, vertical_alignment="bottom"):
        picked = st.selectbox(
            t("wb_saved_pick"),
            list(by_id),
            key="wb_saved_pick",
            width=480,
            format_func=lambda i: f"{by_id[i].name} · {i}",
        )
        if picked is not None:
            st.button(
                t("wb_open"),
                key="wb_saved_open",
                on_click=open_saved,
                args=(picked,),
                type="primary",
                icon=":material/open_in_new:",
            )
            st.button(
                t("wb_delete"),
                key="wb_saved_delete",
                on_click=delete_saved,
                args=(picked,),
                icon=":material/delete:",
            )


if require_release():
    flash = state.pop("wb_flash", None)
    if flash:
        getattr(st, flash[0])(flash[1])
    left, right = st.columns([1, 2.2], gap="medium")
    with left:
        schema_browser()
    with right:
        editor()
    results()
    st.divider()
    history, saved = st.tabs([t("wb_tab_history"), t("wb_tab_saved")])
    with history:
        history_tab()
    with saved:
        saved_tab()
    freshness_footer()
