"""What a load takes from landing (no symlinks, nothing over the size limits, no zip bombs, reasons that never
quote a file) and what leaves it once loaded (archive or delete)."""

from __future__ import annotations

import shutil
import stat
import zipfile

import duckdb

from tests.exports import GRID_EVENT_HEADERS, grid_event, write_csv, write_xlsx
from warehouse import cli
from warehouse.home.paths import DataHome
from warehouse.ingest.load import load
from warehouse.lake.manifest import read_manifest


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
    assert {r.file: r.status for r in read_manifest(home)} == {
        "网格事件/events.csv": "loaded",
        "notes.csv": "rejected",
    }


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


def reasons(home: DataHome) -> dict[str, str]:
    return {r.file: r.reason for r in read_manifest(home) if r.status == "rejected"}


def test_symlinks_in_landing_are_rejected_not_followed(tmp_path):
    home = DataHome(tmp_path / "home")
    outside = tmp_path / "elsewhere"
    write_csv(outside / "events.csv", GRID_EVENT_HEADERS, [grid_event("SJ9")])
    write_csv(home.landing / "events.csv", GRID_EVENT_HEADERS, [grid_event("SJ1")])
    (home.landing / "linked.csv").symlink_to(outside / "events.csv")
    (home.landing / "linked_folder").symlink_to(outside)
    report = load(home)
    assert [(f.file, f.rows_accepted) for f in report.files if f.status == "loaded"] == [("events.csv", 1)]
    assert set(reasons(home)) == {"linked.csv", "linked_folder"}
    assert all(r.startswith("symbolic link") for r in reasons(home).values())
    assert lake_keys(home) == ["SJ1"]


def test_a_rejection_never_quotes_the_file(tmp_path):
    home = DataHome(tmp_path / "home")
    (home.landing).mkdir(parents=True)
    (home.landing / "names.csv").write_text("王小明,13812345678,110101199003071234\n李四,13912345678,x\n")
    (home.landing / "wide.csv").write_text(",".join(f"列{i}" for i in range(2000)) + "\n1\n")
    load(home)
    got = reasons(home)
    assert "3 columns" in got["names.csv"] and "事件编号" in got["names.csv"]
    assert not any(s in got["names.csv"] for s in ("王", "1381", "110101"))
    assert "2000 columns" in got["wide.csv"] and "列1" not in got["wide.csv"]
    assert all(len(r) <= 300 for r in got.values())


def test_files_over_the_size_limit_are_rejected_whole(tmp_path, monkeypatch):
    monkeypatch.setenv("GRIDPULSE_MAX_FILE_MB", "0.002")  # about 2 kB
    home = DataHome(tmp_path / "home")
    write_csv(home.landing / "small.csv", GRID_EVENT_HEADERS, [grid_event("SJ1")])
    write_csv(home.landing / "big.csv", GRID_EVENT_HEADERS, [grid_event(f"SJ{i}") for i in range(100, 150)])
    report = load(home)
    assert (
        reasons(home)["big.csv"].startswith("file too large")
        and "GRIDPULSE_MAX_FILE_MB" in reasons(home)["big.csv"]
    )
    assert [f.file for f in report.files if f.status == "loaded"] == ["small.csv"] and lake_keys(home) == [
        "SJ1"
    ]


def test_xlsx_bombs_are_rejected_from_the_zip_directory(tmp_path, monkeypatch):
    home = DataHome(tmp_path / "home")
    book = write_xlsx(tmp_path / "book.xlsx", GRID_EVENT_HEADERS, [grid_event("SJ1")])
    bomb = home.landing / "bomb.xlsx"
    bomb.parent.mkdir(parents=True)
    shutil.copy(book, bomb)
    with zipfile.ZipFile(bomb, "a", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/padding.bin", b"\0" * (40 << 20))  # 40 MB of zeros, ~40 kB compressed
    shutil.copy(book, home.landing / "fine.xlsx")
    load(home)
    assert "zip bomb" in reasons(home)["bomb.xlsx"] and set(reasons(home)) == {"bomb.xlsx"}
    monkeypatch.setenv("GRIDPULSE_MAX_UNZIPPED_MB", "0.001")
    (home.landing / "fine.xlsx").unlink()
    shutil.copy(book, home.landing / "other.xlsx")
    load(home)
    assert reasons(home)["other.xlsx"].startswith("workbook too large")


def lake_keys(home: DataHome) -> list[str]:
    con = duckdb.connect()
    return [
        r[0]
        for r in con.execute(
            f"select event_id from read_parquet('{home.lake_table('grid', 'events')}') order by 1"
        ).fetchall()
    ]
