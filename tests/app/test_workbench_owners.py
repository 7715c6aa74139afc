"""Workbench history and saved queries belong to the analyst who wrote them; a shared link still opens
for another analyst, who may save it as their own copy but not change or delete the original (issue 18)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.access import SESSION_KEY, session_record
from warehouse.access.accounts import AccountStore
from warehouse.home.paths import DataHome
from warehouse.sandbox.workbench_store import DB_NAME, WorkbenchStore

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


def test_a_store_lists_changes_and_deletes_only_its_owners_entries(tmp_path):
    home = DataHome(tmp_path / "home")
    wang, zhao, everyone = (
        WorkbenchStore.for_home(home, "wang"),
        WorkbenchStore.for_home(home, "zhao"),
        WorkbenchStore.for_home(home),
    )
    mine = wang.record("select 1 as wang_only", "ok", 1, 0.01)
    zhao.record("select 2 as zhao_only", "ok", 1, 0.01)
    assert [e.sql for e in wang.history()] == ["select 1 as wang_only"]
    assert [e.sql for e in zhao.history(search="only")] == ["select 2 as zhao_only"]
    assert zhao.history_entry(mine) is None and wang.history_entry(mine).owner == "wang"
    assert len(everyone.history()) == 2  # maintenance (no owner) sees all
    saved = wang.save("王的查询", "select 1")
    assert zhao.saved() == [] and [s.id for s in wang.saved()] == [saved.id]
    assert zhao.get(saved.id).sql == "select 1"  # the shared link opens for anyone
    with pytest.raises(KeyError):
        zhao.save("改别人的", "select 2", query_id=saved.id)
    assert not zhao.delete(saved.id) and wang.get(saved.id).name == "王的查询"
    copy = zhao.save("我的副本", zhao.get(saved.id).sql)
    assert copy.id != saved.id and copy.owner == "zhao"


def test_a_store_made_before_owners_gains_the_column_and_keeps_its_rows(tmp_path):
    path = tmp_path / DB_NAME
    with sqlite3.connect(path) as con:
        con.executescript(
            "create table history (id integer primary key autoincrement, ran_at text not null, sql text not null,"
            " status text not null, rows integer, seconds real, message text, saved_id text);"
            "create table saved (id text primary key, name text not null, sql text not null,"
            " description text not null default '', created_at text not null, updated_at text not null);"
            "insert into saved values ('abcdefgh', 'old', 'select 1', '', '2025-01-01', '2025-01-01');"
        )
    store = WorkbenchStore(path, "wang")
    assert store.get("abcdefgh").owner is None and store.saved() == []  # opens by link, listed for no one
    store.record("select 1", "ok", 1, 0.1)
    assert [e.owner for e in store.history()] == ["wang"]


def analyst(monkeypatch, home: Path, name: str, params: dict | None = None) -> AppTest:
    monkeypatch.setenv("GRIDPULSE_HOME", str(home))
    store = AccountStore(DataHome(home))
    if store.get(name) is None:
        store.add(name, "analyst", "owners-test-18")
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.session_state["lang"] = "zh"
    at.session_state[SESSION_KEY] = session_record(name, "analyst")
    at.run()
    at.switch_page("views/workbench.py")
    return at.run()


def test_two_analysts_see_their_own_history_and_share_by_link(monkeypatch, warehouse):
    home = warehouse.home.root
    wang = analyst(monkeypatch, home, "owners-wang")
    sql = "select count(*) as wang_private_count from dim_streets"
    wang.text_area(key="wb_sql").set_value(sql).run()
    wang.button(key="wb_run").click().run()
    wang.text_input(key="wb_save_name").set_value("王的街道数")
    wang.button(key="wb_save_as_new").click().run()
    assert not wang.exception, [e.value for e in wang.exception]
    query_id = wang.query_params["q"]
    query_id = query_id[0] if isinstance(query_id, list) else query_id

    zhao = analyst(monkeypatch, home, "owners-zhao")
    assert not zhao.exception
    grids = " ".join(d.value.to_csv() for d in zhao.dataframe)
    assert "wang_private_count" not in grids and "王的街道数" not in grids  # neither history nor saved list
    # Wang's link opens for Zhao: the SQL is in the editor; there is no "update" of Wang's query, only a copy
    shared = analyst(monkeypatch, home, "owners-zhao", {"q": query_id})
    assert shared.text_area(key="wb_sql").value == sql
    assert not [b for b in shared.button if b.key == "wb_save_update"]
    shared.text_input(key="wb_save_name").set_value("赵的副本")
    shared.button(key="wb_save_as_new").click().run()
    assert WorkbenchStore.for_home(warehouse.home).get(query_id).name == "王的街道数"
    assert [s.name for s in WorkbenchStore.for_home(warehouse.home, "owners-zhao").saved()] == ["赵的副本"]
    assert [s.name for s in WorkbenchStore.for_home(warehouse.home, "owners-wang").saved()] == ["王的街道数"]
