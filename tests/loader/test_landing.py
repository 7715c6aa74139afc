"""What a load takes from landing: loaded files may leave it (archive or delete)."""

from __future__ import annotations

import stat

from tests.exports import GRID_EVENT_HEADERS, grid_event, write_csv
from warehouse import cli
from warehouse.lake import read_manifest
from warehouse.paths import DataHome


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_loaded_files_move_to_an_owner_only_archive(tmp_path, monkeypatch):
    home = DataHome(tmp_path / "home")
    monkeypatch.setenv("GRIDPULSE_HOME", str(home.root))
    write_csv(home.landing / "网格事件" / "events.csv", GRID_EVENT_HEADERS, [grid_event("SJ1")])
    (home.landing / "notes.csv").write_text("a,b\n1,2\n")  # rejected: stays to be fixed
    assert cli.main(["load", "--archive"]) == 1
    archived = list((home.root / "archive").rglob("events.csv"))
    assert len(archived) == 1 and mode(archived[0]) == 0o600
    folders = [home.root / p for p in archived[0].relative_to(home.root).parents if str(p) != "."]
    assert len(folders) == 3 and all(mode(f) == 0o700 for f in folders)  # archive/<time>/网格事件
    assert not (home.landing / "网格事件" / "events.csv").exists() and (home.landing / "notes.csv").exists()
    assert {r.file: r.status for r in read_manifest(home)} == {"网格事件/events.csv": "loaded", "notes.csv": "rejected"}


def test_after_load_delete_in_settings(tmp_path, monkeypatch):
    home = DataHome(tmp_path / "home")
    monkeypatch.setenv("GRIDPULSE_HOME", str(home.root))
    write_csv(home.landing / "events.csv", GRID_EVENT_HEADERS, [grid_event("SJ1")])
    (home.root / "settings.yml").write_text("after_load: delete\n")
    assert cli.main(["load"]) == 0
    assert not (home.landing / "events.csv").exists() and not (home.root / "archive").exists()
    assert [r.rows_accepted for r in read_manifest(home)] == [1]


def test_loaded_files_stay_by_default(tmp_path, monkeypatch):
    home = DataHome(tmp_path / "home")
    monkeypatch.setenv("GRIDPULSE_HOME", str(home.root))
    write_csv(home.landing / "events.csv", GRID_EVENT_HEADERS, [grid_event("SJ1")])
    assert cli.main(["load"]) == 0
    assert (home.landing / "events.csv").exists()
