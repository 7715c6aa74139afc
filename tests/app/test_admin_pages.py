"""The analysts' workbench and the data-health page: AppTests on the demo warehouse, and the pieces behind them.

Workbench: the schema browser carries the dbt docs; examples run in the sandbox; results, history,
saved queries (opened by ``?q=<id>``) and downloads (CSV, Excel, Parquet parse back to the same
rows). Data health: every lake table of the release, quarantine counts equal to the lake's, masked
samples, and a failed build shown with what failed while the previous release is still served.
"""

import io
import json
import shutil
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import access
from dashboard.queries.admin import WORKBENCH_EXAMPLES, example_sql
from dashboard.schema_docs import dbt_results, mart_schema, model_docs, read_manifest
from tests.app.test_pages import run_page as render
from tests.dbt.test_docs_languages import is_chinese, is_english
from tests.release.test_release import tiny_project
from warehouse.home.paths import DataHome
from warehouse.release.build import build
from warehouse.release.releases import current_release_db, history
from warehouse.sandbox.query import Limits, export, run_isolated
from warehouse.sandbox.workbench_store import DB_NAME, WorkbenchStore

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
WORKBENCH = "views/workbench.py"
HEALTH = "views/data_health.py"


def run_page(monkeypatch, home: Path, page: str, params: dict | None = None, lang: str = "zh") -> AppTest:
    at = render(monkeypatch, home, page, params, lang)
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    return "\n".join(
        str(m.value) for m in [*at.markdown, *at.caption, *at.error, *at.warning, *at.info, *at.success]
    )


def capture_downloads(monkeypatch) -> dict:
    """The page's download callables by file suffix (AppTest has no browser to click them), as the page hands
    them to access.audited_download: the callables the buttons get, auditing included."""
    made: dict = {}
    original = access.audited_download

    def capture(make, what, **scope):
        made["." + what.rsplit("(", 1)[1].rstrip(")")] = audited = original(make, what, **scope)
        return audited

    monkeypatch.setattr(access, "audited_download", capture)
    return made


def run_sql(at: AppTest, sql: str) -> AppTest:
    at.text_area(key="wb_sql").set_value(sql)
    at.button(key="wb_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def result_frame(at: AppTest, columns: list[str]):
    matches = [d.value for d in at.dataframe if list(d.value.columns) == columns]
    assert len(matches) == 1, [list(d.value.columns) for d in at.dataframe]
    return matches[0]


# ── workbench: the pieces ────────────────────────────────────────────────────
@pytest.mark.parametrize("key", list(WORKBENCH_EXAMPLES))
def test_every_example_runs_in_the_sandbox_and_returns_rows(warehouse, key):
    result = run_isolated(WORKBENCH_EXAMPLES[key], warehouse.release_db)
    assert result.rows > 0 and not result.truncated


def test_schema_docs_come_from_the_release_manifest(warehouse):
    target = warehouse.release_db.parent / "target"
    columns = warehouse.query(
        "select table_name, column_name, data_type from information_schema.columns "
        "order by table_name, ordinal_position"
    )
    tables = {t.name: t for t in mart_schema(target, columns)}
    marts = {
        r[0]
        for r in warehouse.query(
            "select table_name from information_schema.tables where table_name like 'fct\\_%' "
            "escape '\\' or table_name like 'dim\\_%' escape '\\' "
            "or table_name like 'mart\\_%' escape '\\'"
        )
    }
    assert set(tables) == marts
    docs = model_docs(read_manifest(target))
    cases = tables["fct_platform_cases"]
    assert cases.kind == "fact" and cases.grain == docs["fct_platform_cases"]["grain"] == "每个案件一行"
    english = {t.name: t for t in mart_schema(target, columns, "en")}["fct_platform_cases"]
    assert english.grain == model_docs(read_manifest(target), "en")["fct_platform_cases"]["grain"]
    assert english.grain == "one row per case"
    assert all(c.description for c in cases.columns)  # every column is documented
    overdue = next(c for c in cases.columns if c.name == "is_overdue")
    assert (
        overdue.description == docs["fct_platform_cases"]["columns"]["is_overdue"]
        and overdue.type == "BOOLEAN"
    )
    assert cases.matches("OVERDUE") and not cases.matches("zebra giraffe")
    # Analysts search in Chinese: the English docs are found through their terms.
    assert cases.matches("超期") and cases.matches("街道 返工") and not tables["dim_dates"].matches("超期")
    assert {t.name for t in tables.values() if t.matches("三率")} >= {"mart_three_rates_by_street_month"}
    results = dbt_results(target)
    assert results and all(r.status in ("pass", "success") for r in results)


def test_every_documented_column_reads_in_the_ui_language(warehouse):
    """Issue 16 §2: the workbench's docs were English inside the Chinese UI."""
    target = warehouse.release_db.parent / "target"
    columns = warehouse.query(
        "select table_name, column_name, data_type from information_schema.columns "
        "where table_schema = 'main' order by table_name, ordinal_position"
    )
    chinese, english = mart_schema(target, columns, "zh"), mart_schema(target, columns, "en")
    assert len(chinese) == len(english) > 30
    for zh_table, en_table in zip(chinese, english, strict=True):
        assert is_chinese(zh_table.description) and is_chinese(zh_table.grain), zh_table.name
        assert is_english(en_table.description) and is_english(en_table.grain), en_table.name
        assert all(c.description for c in zh_table.columns), zh_table.name  # every column documented
        for zh, en in zip(zh_table.columns, en_table.columns, strict=True):
            assert is_chinese(zh.description), (zh_table.name, zh.name, zh.description)
            assert is_english(en.description), (en_table.name, en.name, en.description)
    # the DuckDB comments (what any client sees) are the Chinese
    comment = warehouse.query(
        "select comment from duckdb_columns() where table_name = 'fct_platform_cases' and column_name = 'is_overdue'"
    )[0][0]
    cases_zh = next(t for t in chinese if t.name == "fct_platform_cases")
    assert comment == next(c.description for c in cases_zh.columns if c.name == "is_overdue")
    # search finds a table in either language, whichever is shown
    cases = next(t for t in english if t.name == "fct_platform_cases")
    assert cases.matches("超期") and cases.matches("overdue")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_schema_browser_shows_the_docs_in_the_ui_language(monkeypatch, warehouse, lang):
    at = run_page(monkeypatch, warehouse.home.root, WORKBENCH, lang=lang)
    at.text_input(key="wb_schema_q").set_value("mart_case_flow_by_street").run()
    assert not at.exception
    name, description = ("列名", "说明") if lang == "zh" else ("Column", "Description")
    frame = next(
        d.value for d in at.dataframe if name in d.value.columns and "due_cases" in list(d.value[name])
    )
    docs = list(frame[description])
    assert len(docs) > 10 and all(docs)
    check = is_chinese if lang == "zh" else is_english
    assert [d for d in docs if not check(d)] == []
    shown = texts(at)
    doc = model_docs(read_manifest(warehouse.release_db.parent / "target"), lang)["mart_case_flow_by_street"]
    assert doc["description"] in shown and doc["grain"] in shown


def test_history_and_saved_queries_live_in_their_own_database(tmp_path):
    home = DataHome(tmp_path / "home")
    store = WorkbenchStore.for_home(home)
    first = store.record("select 1", "ok", 1, 0.01)
    store.record("select nothing from nowhere", "error", None, 0.02, "Catalog Error: nowhere")
    store.record("copy (select 1) to 'x'", "refused", None, 0.0, "only SELECT queries are allowed")
    entries = store.history()
    assert [e.status for e in entries] == ["refused", "error", "ok"] and entries[-1].id == first
    assert [e.sql for e in store.history(search="NOWHERE")] == ["select nothing from nowhere"]
    assert store.history_entry(first).rows == 1
    with pytest.raises(ValueError):
        store.record("select 1", "exploded")

    saved = store.save("街道超期", "select street_name from fct_platform_cases", "按街道")
    assert len(saved.id) == 8 and saved.link == f"workbench?q={saved.id}"
    other = store.save("部门返工", "select 2")
    assert other.id != saved.id
    updated = store.save("街道超期（新）", "select street_name, 1 from fct_platform_cases", query_id=saved.id)
    assert updated.id == saved.id and updated.created_at == saved.created_at
    assert store.get(saved.id).sql.endswith("1 from fct_platform_cases")
    assert [s.id for s in store.saved(search="返工")] == [other.id]
    assert {s.id for s in store.saved()} == {saved.id, other.id}
    with pytest.raises(ValueError):
        store.save("  ", "select 1")
    with pytest.raises(KeyError):
        store.save("x", "select 1", query_id="nosuchid")
    assert store.delete(other.id) and not store.delete(other.id) and store.get(other.id) is None
    # A fresh store on the same home sees the same data: it is a file under the data home, not in a release.
    assert (home.root / DB_NAME).exists() and not home.releases.exists()
    assert WorkbenchStore.for_home(home).get(saved.id).name == "街道超期（新）"


def test_exports_parse_back_with_the_same_rows(warehouse):
    sql = WORKBENCH_EXAMPLES["example_overdue_by_street"]
    table = run_isolated(sql, warehouse.release_db).table
    expected = table.to_pylist()
    csv_bytes = export(table, "csv")
    assert csv_bytes.startswith("\ufeff".encode())  # Excel opens Chinese CSV right with a BOM
    from_csv = pl.read_csv(io.BytesIO(csv_bytes[3:]), try_parse_dates=True)
    assert from_csv.columns == table.column_names and from_csv.height == len(expected)
    assert from_csv["street_name"].to_list() == [r["street_name"] for r in expected]
    assert from_csv["overdue_cases"].to_list() == [r["overdue_cases"] for r in expected]
    sheet = openpyxl.load_workbook(io.BytesIO(export(table, "xlsx")), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == table.column_names
    assert [list(r) for r in rows[1:]] == [
        list(r.values()) for r in expected
    ]  # numbers and datetimes stay typed
    assert pq.read_table(io.BytesIO(export(table, "parquet"))).equals(table)


def test_exports_hold_nested_values_and_are_capped():
    table = pa.table({"k": [1, 2, 3], "m": [{"a": 1}, None, {"a": 3}], "l": [[1, 2], [], None]})
    assert pl.read_csv(io.BytesIO(export(table, "csv")[3:]))["m"].to_list() == ['{"a": 1}', None, '{"a": 3}']
    capped = export(table, "parquet", Limits(max_rows_export=2))
    assert pq.read_table(io.BytesIO(capped)).num_rows == 2
    sheet = openpyxl.load_workbook(
        io.BytesIO(export(table, "xlsx", Limits(max_rows_export=2))), read_only=True
    ).active
    assert len(list(sheet.iter_rows(values_only=True))) == 3  # header + 2
    with pytest.raises(ValueError):
        export(table, "pdf")


# ── workbench: the page ──────────────────────────────────────────────────────
def test_workbench_on_an_empty_home_says_what_to_run(monkeypatch, tmp_path):
    at = run_page(monkeypatch, tmp_path / "empty", WORKBENCH)
    assert any("gridpulse build" in i.value for i in at.info)


def test_schema_browser_searches_and_inserts_names(monkeypatch, warehouse):
    at = run_page(monkeypatch, warehouse.home.root, WORKBENCH)
    n_marts = len(
        mart_schema(
            warehouse.release_db.parent / "target",
            warehouse.query("select table_name, column_name, data_type from information_schema.columns"),
        )
    )
    assert f"{n_marts} / {n_marts}" in texts(at)
    at.text_input(key="wb_schema_q").set_value("fct_platform_cases").run()
    assert not at.exception
    assert any(e.label.startswith("`fct_platform_cases`") for e in at.expander)
    docs = model_docs(read_manifest(warehouse.release_db.parent / "target"))["fct_platform_cases"]
    assert docs["grain"] in texts(at) and docs["description"] in texts(at)
    columns = next(
        d.value for d in at.dataframe if "列名" in d.value.columns and "overdue" in " ".join(d.value["列名"])
    )
    assert (
        dict(zip(columns["列名"], columns["说明"], strict=True))["is_overdue"]
        == docs["columns"]["is_overdue"]
    )
    at.text_area(key="wb_sql").set_value("select count(*) from").run()
    at.button(key="wb_ins_fct_platform_cases").click().run()
    assert at.text_area(key="wb_sql").value == "select count(*) from fct_platform_cases"
    at.text_input(key="wb_schema_q").set_value("no table has this in its docs").run()
    assert any("没有匹配" in i.value for i in at.info)


def test_running_an_example_shows_rows_elapsed_time_and_history(monkeypatch, warehouse):
    at = run_page(monkeypatch, warehouse.home.root, WORKBENCH)
    at.selectbox(key="wb_example").set_value("example_department_rework").run()
    sql = at.text_area(key="wb_sql").value
    # the SQL of the example, opened by its comment in the UI's language only (Chinese here)
    assert sql.strip() == example_sql("example_department_rework", "zh").strip()
    assert sql.startswith("-- 某部门各月返工") and "A department's rework" not in sql
    assert sql.strip().endswith(WORKBENCH_EXAMPLES["example_department_rework"].strip().splitlines()[-1])
    at.button(key="wb_run").click().run()
    assert not at.exception and not at.error
    expected = run_isolated(sql, warehouse.release_db).table
    shown = result_frame(at, expected.column_names)
    assert len(shown) == expected.num_rows > 0
    assert shown["reworked_cases"].tolist() == expected.column("reworked_cases").to_pylist()
    assert any(f"{expected.num_rows} 行 · 用时" in m.value for m in at.markdown)
    assert len(at.get("download_button")) == 3
    latest = WorkbenchStore.for_home(warehouse.home).history(limit=1)[0]
    assert latest.sql == sql and latest.status == "ok" and latest.rows == expected.num_rows
    history_grid = next(
        d.value for d in at.dataframe if "SQL" in d.value.columns and "结果" in d.value.columns
    )
    assert history_grid["结果"].iloc[0] == "成功" and history_grid["行数"].iloc[0] == expected.num_rows


def test_a_refused_query_shows_its_reason(monkeypatch, warehouse):
    trap = Path("/tmp/gridpulse_workbench_trap.csv")
    trap.unlink(missing_ok=True)
    at = run_page(monkeypatch, warehouse.home.root, WORKBENCH)
    sql = f"copy (select 1) to '{trap}'"
    run_sql(at, sql)
    # Chinese UI: GridPulse's reason in Chinese, never its English sentence (issue 16)
    assert (
        len(at.error) == 1 and "查询被拒绝" in at.error[0].value and "只允许 SELECT 查询" in at.error[0].value
    )
    assert "only SELECT" not in at.error[0].value and "statement" not in at.error[0].value
    assert not trap.exists()
    latest = WorkbenchStore.for_home(warehouse.home).history(limit=1)[0]
    assert (latest.sql, latest.status) == (sql, "refused")
    run_sql(at, "select * from no_such_table")
    assert (
        "查询出错" in at.error[0].value and "no_such_table" in at.error[0].value
    )  # DuckDB's words as detail
    assert "DuckDB 原始信息" in at.error[0].value
    run_sql(at, "selec 1")
    assert "SQL 语法错误" in at.error[0].value and "SQL syntax error" not in at.error[0].value
    run_sql(at, "select 42 as answer")  # the page (and the sandbox) carry on
    assert not at.error and result_frame(at, ["answer"])["answer"].tolist() == [42]


def test_saving_and_reopening_a_query_by_id(monkeypatch, warehouse):
    at = run_page(monkeypatch, warehouse.home.root, WORKBENCH)
    sql = "select street_name, count(*) as cases from fct_platform_cases group by 1 order by 1"
    at.text_area(key="wb_sql").set_value(sql).run()
    at.text_input(key="wb_save_name").set_value("各街道案件数")
    at.text_area(key="wb_save_description").set_value("给街道通报用")
    at.button(key="wb_save_as_new").click().run()
    assert not at.exception
    query_id = at.query_params["q"]
    query_id = query_id[0] if isinstance(query_id, list) else query_id
    saved = WorkbenchStore.for_home(warehouse.home).get(query_id)
    assert saved.name == "各街道案件数" and saved.sql == sql and saved.description == "给街道通报用"
    assert any(f"?q={query_id}" in s.value for s in at.success)

    # Someone else opens the shared link: the query is in the editor and its results are shown.
    other = run_page(monkeypatch, warehouse.home.root, WORKBENCH, {"q": query_id})
    assert other.text_area(key="wb_sql").value == sql
    assert "各街道案件数" in texts(other)
    streets = warehouse.query("select street_name, count(*) from fct_platform_cases group by 1 order by 1")
    shown = result_frame(other, ["street_name", "cases"])
    assert list(zip(shown["street_name"], shown["cases"], strict=True)) == streets
    # Updating keeps the id (and so the link); the saved list offers it.
    other.text_area(key="wb_sql").set_value(sql + " limit 2").run()
    other.button(key="wb_save_update").click().run()
    assert WorkbenchStore.for_home(warehouse.home).get(query_id).sql == sql + " limit 2"
    saved_grid = next(d.value for d in other.dataframe if "编号" in d.value.columns)
    assert query_id in saved_grid["编号"].tolist()
    # An unknown id says so instead of failing.
    missing = run_page(monkeypatch, warehouse.home.root, WORKBENCH, {"q": "nosuchid"})
    assert any("nosuchid" in w.value for w in missing.warning)


def test_downloads_from_the_page_parse_back_with_the_same_rows(monkeypatch, warehouse):
    made = capture_downloads(monkeypatch)
    at = run_page(monkeypatch, warehouse.home.root, WORKBENCH)
    sql = "select case_id, street_name, reported_at, is_overdue, rework_count from fct_platform_cases order by case_id"
    run_sql(at, sql)
    expected = warehouse.query(sql)
    assert set(made) == {".csv", ".xlsx", ".parquet"}
    from_csv = pl.read_csv(io.BytesIO(made[".csv"]()[3:]), try_parse_dates=True)
    assert from_csv.rows() == expected
    sheet = openpyxl.load_workbook(io.BytesIO(made[".xlsx"]()), read_only=True).active
    assert [tuple(r) for r in list(sheet.iter_rows(values_only=True))[1:]] == expected
    assert [tuple(r.values()) for r in pq.read_table(io.BytesIO(made[".parquet"]())).to_pylist()] == expected


def test_downloads_of_a_truncated_result_fetch_up_to_the_export_cap(monkeypatch, warehouse):
    monkeypatch.setenv("GRIDPULSE_SQL_MAX_ROWS", "100")
    made = capture_downloads(monkeypatch)
    at = run_page(monkeypatch, warehouse.home.root, WORKBENCH)
    run_sql(at, "select case_id from fct_workflow_actions")
    total = warehouse.query("select count(*) from fct_workflow_actions")[0][0]
    assert total > 100
    assert len(result_frame(at, ["case_id"])) == 100 and any("100" in w.value for w in at.warning)
    assert pq.read_table(io.BytesIO(made[".parquet"]())).num_rows == total
    monkeypatch.setenv("GRIDPULSE_SQL_MAX_EXPORT_ROWS", "1000")
    run_sql(at, "select case_id from fct_workflow_actions")
    assert pq.read_table(io.BytesIO(made[".parquet"]())).num_rows == 1000


def test_quick_chart_draws_the_result(monkeypatch, warehouse):
    at = run_page(monkeypatch, warehouse.home.root, WORKBENCH)
    run_sql(at, WORKBENCH_EXAMPLES["example_three_rates"])
    kinds = [s for s in at.selectbox if s.key and s.key.startswith("wb_chart_")]
    assert {s.key.rsplit("_", 1)[0] for s in kinds} == {
        "wb_chart_kind",
        "wb_chart_x",
        "wb_chart_y",
        "wb_chart_c",
    }
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.spec)
    assert (
        spec["encoding"]["x"]["field"] == "month_label" and spec["encoding"]["y"]["field"] == "valid_visits"
    )
    x = next(s for s in kinds if s.key.startswith("wb_chart_x"))
    color = next(s for s in kinds if s.key.startswith("wb_chart_c"))
    x.set_value("month_label").run()
    color.set_value("street_name").run()
    kind = next(s for s in at.selectbox if s.key and s.key.startswith("wb_chart_kind"))
    kind.set_value("line").run()
    assert not at.exception
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert spec["encoding"]["color"]["field"] == "street_name" and spec["mark"]["type"] == "line"


def test_workbench_speaks_english(monkeypatch, warehouse):
    at = run_page(monkeypatch, warehouse.home.root, WORKBENCH, lang="en")
    assert at.title[0].value == "SQL workbench" and at.button(key="wb_run").label == "Run"


# ── data health ──────────────────────────────────────────────────────────────
def lake_reasons(home: DataHome) -> dict[tuple[str, str], int]:
    files = [str(p) for p in home.quarantine.glob("*/*/*.parquet")]
    con = duckdb.connect()
    try:
        rows = (
            con.execute(
                "select source || '/' || entity, reason, count(*) from read_parquet(?) group by all", [files]
            ).fetchall()
            if files
            else []
        )
    finally:
        con.close()
    return {(table, reason): n for table, reason, n in rows}


def test_data_health_shows_every_source_and_the_lake_quarantine(monkeypatch, warehouse):
    at = run_page(monkeypatch, warehouse.home.root, HEALTH)
    assert not at.error
    health = warehouse.query("select lake_table, lake_rows, files_loaded from mart_data_health order by 1")
    overview = next(
        d.value for d in at.dataframe if "湖表" in d.value.columns and "湖中行数" in d.value.columns
    )
    assert sorted(zip(overview["湖表"], overview["湖中行数"], overview["已导入文件"], strict=True)) == health
    sources = {t.split("/")[0] for t, _, _ in health}
    assert len(at.tabs) >= len(sources)
    # Quarantine by reason, as the lake has it (the demo city quarantines grid events closed before reported).
    expected = lake_reasons(warehouse.home)
    assert expected
    shown = {}
    for d in at.dataframe:
        if list(d.value.columns)[:2] == ["湖表", "原因"]:
            shown.update(
                {(t, r): n for t, r, n in zip(d.value["湖表"], d.value["原因"], d.value["行数"], strict=True)}
            )
    assert shown == expected
    assert dict(zip(overview["湖表"], overview["隔离行数"], strict=True))["grid/events"] == sum(
        n for (t, _), n in expected.items() if t == "grid/events"
    )
    # Samples: only the masked record, no lake columns; names and phones are masked.
    samples = next(d.value for d in at.dataframe if "原始记录（已脱敏）" in d.value.columns)
    assert list(samples.columns) == ["文件", "原文件行号", "列", "详情", "原始记录（已脱敏）"]
    records = [json.loads(r) for r in samples["原始记录（已脱敏）"]]
    assert records and all("*" in r["reporter_name"] and "****" in r["reporter_phone"] for r in records)
    # Files loaded: every manifest line of the source.
    files = next(d.value for d in at.dataframe if "文件" in d.value.columns and "读取行" in d.value.columns)
    assert len(files) >= 1
    # The current release: its id, and all its dbt tests passed.
    meta = json.loads((warehouse.release_db.parent / "build.json").read_text())
    page = texts(at)
    assert meta["id"] in page and f"全部 {sum(meta['tests'].values())} 项 dbt 测试通过" in page


def test_data_health_shows_a_failed_build_while_the_previous_release_is_served(
    monkeypatch, warehouse, tmp_path
):
    copy = DataHome(tmp_path / "home")
    shutil.copytree(warehouse.home.root, copy.root, symlinks=True, ignore=shutil.ignore_patterns("landing"))
    good = current_release_db(copy)
    failed = build(copy, project_dir=tiny_project(tmp_path, failing=True))
    assert not failed.ok and current_release_db(copy) == good

    at = run_page(monkeypatch, copy.root, HEALTH)
    assert len(at.error) == 1
    banner = at.error[0].value
    assert failed.release_id in banner and good.parent.name in banner
    page = texts(at)
    assert "fail_on_purpose" in page and "1 failing row" in page
    failing = next(
        d.value for d in at.dataframe if "测试" in d.value.columns and "失败行数" in d.value.columns
    )
    assert failing["测试"].tolist() == ["fail_on_purpose"] and failing["失败行数"].tolist() == ["1"]
    # dbt's statuses and kinds in Chinese (issue 16), the history's too
    assert failing["结果"].tolist() == ["未通过"] and failing["类别"].tolist() == ["数据测试"]
    releases = next(
        d.value for d in at.dataframe if "版本" in d.value.columns and "测试结果" in d.value.columns
    )
    assert {"失败", "★ 通过"} <= set(releases["状态"]) and not releases["测试结果"].str.contains("pass").any()
    # The dashboard still serves the good release: its id, its marts and the sources from its mart_data_health.
    assert f"`{good.parent.name}`" in page
    assert any("湖中行数" in d.value.columns for d in at.dataframe)
    statuses = {h["id"]: (h["status"], h["current"]) for h in history(copy)}
    assert statuses[failed.release_id] == ("failed", False) and statuses[good.parent.name] == ("ok", True)


def test_data_health_speaks_english(monkeypatch, warehouse):
    at = run_page(monkeypatch, warehouse.home.root, HEALTH, lang="en")
    assert at.title[0].value == "Data health"
    overview = next(d.value for d in at.dataframe if "Lake table" in d.value.columns)
    assert "Rows in lake" in overview.columns and "湖中行数" not in overview.columns
    assert "Grid events" in [tab.label for tab in at.tabs]


def test_data_health_on_a_lake_without_a_release(monkeypatch, warehouse, tmp_path):
    """A data admin who loaded files but never built still sees the files and the quarantine."""
    copy = DataHome(tmp_path / "home")
    shutil.copytree(warehouse.home.lake, copy.lake)
    at = run_page(monkeypatch, copy.root, HEALTH)
    assert any("gridpulse build" in i.value for i in at.info)
    shown = {}
    for d in at.dataframe:
        if list(d.value.columns)[:2] == ["湖表", "原因"]:
            shown.update(
                {(t, r): n for t, r, n in zip(d.value["湖表"], d.value["原因"], d.value["行数"], strict=True)}
            )
    assert shown == lake_reasons(copy)


def test_the_last_failed_build_stays_at_the_top_in_words_after_a_good_one(monkeypatch, warehouse, tmp_path):
    """Issue 16: a failed build is not hidden once a later build passed; its failing test is said in words."""
    from warehouse.release.releases import read_meta, switch_current, write_meta

    copy = DataHome(tmp_path / "home")
    shutil.copytree(warehouse.home.root, copy.root, symlinks=True, ignore=shutil.ignore_patterns("landing"))
    good = current_release_db(copy)
    failed = build(copy, project_dir=tiny_project(tmp_path, failing=True))
    later = copy.releases / (failed.release_id + "z")  # a newer release that passed
    shutil.copytree(good.parent, later)
    write_meta(later, {**(read_meta(good.parent) or {}), "id": later.name, "status": "ok"})
    switch_current(copy, later)
    at = run_page(monkeypatch, copy.root, HEALTH)
    assert not at.error
    top = at.warning[0].value
    assert failed.release_id in top and "此后的构建已通过" in top
    assert "检查 fail_on_purpose 未通过（1 行不符合）" in top


def test_freshness_is_judged_against_now(monkeypatch, warehouse):
    """The demo's records are from 2025: against today every dated table is stale, none 正常."""
    at = run_page(monkeypatch, warehouse.home.root, HEALTH)
    overview = next(d.value for d in at.dataframe if "湖中行数" in d.value.columns)
    state = overview.columns[0]
    lag_today = next(c for c in overview.columns if "今天" in c or "今日" in c)
    days = overview[lag_today].map(lambda v: 0 if v in ("—", None) else float(v))
    dated = overview[days > 2]
    assert len(dated) and set(dated[state]) == {"滞后"}
    # nothing in the overview reads "None": a register table's missing time is "—"
    assert not overview.astype(str).isin(["None", "nan", "NaT"]).any().any()
    assert "—" in set(overview[lag_today])


def test_data_health_judges_freshness_against_now_and_offers_the_dbt_docs(monkeypatch, warehouse, tmp_path):
    """dbt's freshness thresholds, judged against now (not the build): a source whose newest record is 3 days
    old is late (warn after 2 days) and one 10 days old stale (error after 7); the docs download is the
    release's single-file dbt docs."""
    from datetime import UTC, datetime, timedelta

    from warehouse.release.releases import read_meta, write_meta

    copy = DataHome(tmp_path / "home")
    shutil.copytree(warehouse.home.root, copy.root, symlinks=True, ignore=shutil.ignore_patterns("landing"))
    release = current_release_db(copy).parent
    meta = read_meta(release)
    now = datetime.now(UTC)
    ages = {
        "grid/events": timedelta(days=3),
        "platform/cases": timedelta(days=10),
        "platform/workflow": timedelta(0),
    }
    for item in meta["freshness"]:
        if item["lake_table"] in ages:
            item["max_loaded_at"] = (now - ages[item["lake_table"]]).isoformat()
            item["status_at_build"] = "pass"
    write_meta(release, meta)

    made = capture_downloads(monkeypatch)
    at = run_page(monkeypatch, copy.root, HEALTH)
    fresh = next(d.value for d in at.dataframe if "现在" in d.value.columns and "构建时" in d.value.columns)
    now_said = dict(zip(fresh["湖表"], fresh["现在"], strict=True))
    assert (now_said["grid/events"], now_said["platform/cases"], now_said["platform/workflow"]) == (
        "偏旧",
        "滞后",
        "正常",
    )
    assert set(dict(zip(fresh["湖表"], fresh["构建时"], strict=True)).values()) <= {"正常", "偏旧", "滞后"}
    overview = next(d.value for d in at.dataframe if "湖表" in d.value.columns and "状态" in d.value.columns)
    state = dict(zip(overview["湖表"], overview["状态"], strict=True))
    assert (state["grid/events"], state["platform/cases"], state["platform/workflow"]) == (
        "偏旧",
        "滞后",
        "正常",
    )
    assert state["divisions/areas"] == "台账"  # a register has no freshness to miss

    docs = made[".html"]()
    assert docs.startswith(b"<!doctype html>")
    assert b"exposure.gridpulse.funnel" in docs and b'"parent_map"' in docs


def test_data_health_says_how_the_release_was_built(monkeypatch, warehouse, tmp_path):
    """A full build says so; an increment names its base and what it took from it, so fewer tests
    (no unit tests) on the page are explained."""
    from warehouse.release.releases import read_meta, write_meta

    at = run_page(monkeypatch, warehouse.home.root, HEALTH)
    assert "完整构建" in texts(at) and "增量构建" not in texts(at)
    copy = DataHome(tmp_path / "home")
    shutil.copytree(warehouse.home.root, copy.root, symlinks=True, ignore=shutil.ignore_patterns("landing"))
    release = current_release_db(copy).parent
    meta = read_meta(release)
    write_meta(
        release, {**meta, "mode": "incremental", "base_release": "20261202-010000-abcd", "new_files": 9}
    )
    page = texts(run_page(monkeypatch, copy.root, HEALTH))
    assert "增量构建：从版本 `20261202-010000-abcd` 开始，读入 9 个新文件" in page
    assert "单元测试" in page and "完整构建" not in page


def test_accounts_page_without_accounts_says_so_in_words(monkeypatch, tmp_path):
    """An empty grid drew Streamlit's own "empty" (English, on the canvas) under a blank header."""
    from warehouse.access.accounts import AccountStore

    monkeypatch.setattr(AccountStore, "list", lambda self, *a, **k: [])  # as on a `serve --no-auth` machine
    at = run_page(monkeypatch, tmp_path / "home", "views/users.py")
    assert not [d for d in at.dataframe if d.key == "users_grid"]
    assert any("还没有账号" in i.value for i in at.info)
