"""The data page (issue 19) in AppTest: only an admin opens it; an upload is checked, saved under a generated
name and loaded by a child `gridpulse refresh`, with the per-file accounting; a held lock says who is busy;
data health shows the last refresh and the history."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from gridpulse_demo import generate
from tests.app.test_pages import run_page
from warehouse.access import audit
from warehouse.home.locks import ACTOR_ENV, load_lock
from warehouse.home.paths import DataHome
from warehouse.lake.manifest import read_manifest
from warehouse.release.refresh import history, refresh

DESK = "views/data_desk.py"
HEALTH = "views/data_health.py"


@pytest.fixture(scope="module")
def day(tmp_path_factory) -> Path:
    """One day of the demo city's exports (outside any data home)."""
    out = tmp_path_factory.mktemp("day") / "exports"
    generate(out, scale=0.02, days=1)
    return out


def texts(at: AppTest) -> str:
    return "\n".join(
        str(m.value) for m in [*at.markdown, *at.caption, *at.error, *at.warning, *at.info, *at.success]
    )


def frames(at: AppTest) -> str:
    return "\n".join(d.value.to_string() for d in at.dataframe)


def test_only_an_admin_opens_the_data_page(monkeypatch, tmp_path):
    at = run_page(monkeypatch, tmp_path / "home", DESK, role="admin")
    assert not at.exception, [e.value for e in at.exception]
    assert at.get("file_uploader") and at.button(key="dd_rebuild")
    for role in ("analyst", "leader"):
        with pytest.raises(ValueError):  # not in the role's navigation: its URL holds only a refusal
            run_page(monkeypatch, tmp_path / "home", DESK, role=role)


def test_an_upload_is_checked_saved_and_loaded_with_its_accounting(monkeypatch, tmp_path, day):
    home = DataHome(tmp_path / "home")
    at = run_page(monkeypatch, home.root, DESK, role="admin")
    cases = next(day.glob("城运平台/案卷_*.csv"))
    at.get("file_uploader")[0].set_value(
        [
            ("../../etc/案卷.csv", cases.read_bytes(), "text/csv"),  # a client path: never used
            ("坏文件.xlsx", os.urandom(4096), "application/octet-stream"),
        ]
    )
    at.button(key="dd_upload").click().run(timeout=120)
    assert not at.exception, [e.value for e in at.exception]
    said = texts(at) + frames(at)
    assert "坏文件.xlsx" in said and "unreadable" in said, said
    saved = [p.relative_to(home.landing).as_posix() for p in home.landing.rglob("*") if p.is_file()]
    assert len(saved) == 1 and saved[0].startswith("uploads/") and saved[0].endswith(".csv"), saved
    assert not list(tmp_path.glob("etc*")) and "etc" not in saved[0]
    records = {r.file: r for r in read_manifest(home)}
    assert records[saved[0]].status == "loaded" and records[saved[0]].rows_read > 0
    row = records[saved[0]]
    assert row.rows_read == row.rows_accepted + row.rows_quarantined + row.rows_duplicate
    assert f"{row.rows_read}" in frames(at)  # the accounting table shows the file's counts
    entries = audit.read(home, events=["upload", "refresh"])
    upload = next(e for e in entries if e["event"] == "upload")
    assert upload["user"] == "test-admin" and upload["saved"] == 1 and upload["refused"] == 1
    assert {f["name"] for f in upload["files"]} == {"../../etc/案卷.csv", "坏文件.xlsx"}
    loaded = next(e for e in entries if e["event"] == "refresh")
    assert loaded["user"] == "test-admin" and loaded["files"] == saved and loaded["outcome"] == "loaded"


def test_a_running_load_makes_the_page_say_who_is_busy(monkeypatch, tmp_path):
    home = DataHome(tmp_path / "home")
    monkeypatch.setenv(ACTOR_ENV, "nightly-timer")
    with load_lock(home):
        at = run_page(monkeypatch, home.root, DESK, role="admin")
        said = texts(at)
        assert "数据正忙：gridpulse load 正在运行" in said and "由 nightly-timer 发起" in said
        assert "busy" not in said  # the Chinese page says it in Chinese
        at.button(key="dd_rebuild").click().run()
        assert "由 nightly-timer 发起" in texts(at)
        assert history(home) == []  # no second writer was started


def test_data_health_shows_the_last_refresh_and_the_history(monkeypatch, tmp_path, day):
    home = DataHome(tmp_path / "home")
    shutil.copytree(day / "城运平台", home.landing / "城运平台")
    (home.landing / "bad.csv").write_bytes(b"\x00\x01\x02 not an export")
    first = refresh(home, build_after=False)
    again = refresh(home, build_after=False)
    assert (first.outcome, again.outcome) == ("rejected", "nothing_new")
    at = run_page(monkeypatch, home.root, HEALTH, role="admin")
    shown = texts(at)
    assert "最近一次更新" in shown and "没有新数据" in shown, shown
    grid = next(d.value for d in at.dataframe if "执行者" in d.value.columns)
    assert list(grid["结果"]) == ["没有新数据", "有文件被拒绝"]
    assert list(grid["导入文件"]) == [0, len(first.loaded)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_refresh_record_is_told_in_the_pages_language(monkeypatch, lang):
    """Issue 16 §2: the refresh history showed refresh.py's English sentences inside the Chinese UI. The
    record keeps codes and counts; the page says them in its language, other software's words as a detail."""
    import streamlit as st

    from dashboard.refresh_panel import describe

    monkeypatch.setitem(st.session_state, "lang", lang)
    quarantined = {
        "outcome": "rejected",
        "loaded": [{"file": "a.csv"}],
        "rejected": [
            {
                "file": "a.csv",
                "reason": "all 3 rows quarantined (profile grid_events): see `gridpulse status`",
                "code": "all_quarantined",
                "rows": 3,
                "profile": "grid_events",
            }
        ],
        "release": None,
    }
    busy = {"outcome": "busy", "message": "busy since 10:00 by nightly-timer (pid 7)"}
    said = describe(quarantined), describe(busy)
    if lang == "zh":
        assert (
            "全部 3 行被隔离" in said[0]
            and "quarantined" not in said[0]
            and "gridpulse status" not in said[0]
        )
        assert said[1].startswith("另一个导入或构建正在进行") and "（原文：busy since" in said[1]
    else:
        assert "all 3 rows quarantined" in said[0] and "another load or build was running" in said[1]
