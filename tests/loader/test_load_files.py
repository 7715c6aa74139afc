"""The loader on hand-made exports: bad files, overlaps, idempotency, personal data."""

import json

import duckdb
import pytest

from tests.exports import GRID_EVENT_HEADERS, csv_bytes, grid_event, write_csv, write_xlsx
from warehouse import cli
from warehouse.home.paths import DataHome
from warehouse.ingest.load import load
from warehouse.lake.status import lake_status


@pytest.fixture()
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("GRIDPULSE_HOME", str(tmp_path / "home"))
    return DataHome.from_env()


def lake_rows(home, sql="select * from t order by event_id"):
    con = duckdb.connect()
    con.execute(
        f"create view t as select * from read_parquet('{home.lake_parts('grid', 'events')}', union_by_name = true)"
    )
    return con.execute(sql).fetchall()


def test_bad_files_are_rejected_whole_and_the_rest_loads(home, capsys):
    land = home.landing
    write_csv(land / "a_good.csv", GRID_EVENT_HEADERS, [grid_event("SJ1"), grid_event("SJ2")], "gb18030")
    (land / "b_empty.csv").write_bytes(b"")
    (land / "c_corrupt.xlsx").write_bytes(b"PK\x03\x04" + b"\x01" * 300)
    write_csv(land / "d_unknown.csv", ["foo", "bar"], [["1", "2"]])
    write_csv(
        land / "e_missing.csv", [h for h in GRID_EVENT_HEADERS if h != "当前状态"], [grid_event("SJ5")[:-8]]
    )
    write_csv(land / "f_header_only.csv", GRID_EVENT_HEADERS, [])
    (land / "g_bom_lies.csv").write_bytes(
        b"\xef\xbb\xbf" + csv_bytes(GRID_EVENT_HEADERS, [grid_event("SJ7")], "gb18030")
    )
    (land / "h_notes.docx").write_bytes(b"whatever")
    write_csv(land / "_ignored.csv", ["x"], [["y"]])

    assert cli.main(["load"]) == 1  # non-zero: some files were rejected …
    err = capsys.readouterr().err
    assert "REJECTED c_corrupt.xlsx" in err
    by_file = {f["file"]: f for f in lake_status(home)["files"]}
    assert "_ignored.csv" not in by_file
    reasons = {name: f["reason"] for name, f in by_file.items() if f["status"] == "rejected"}
    assert reasons["b_empty.csv"] == "empty file"
    assert "corrupt or unreadable Excel" in reasons["c_corrupt.xlsx"]
    assert reasons["d_unknown.csv"].startswith("unknown headers")
    assert "当前状态" in reasons["e_missing.csv"]
    assert "byte-order mark" in reasons["g_bom_lies.csv"]
    assert "unsupported file type" in reasons["h_notes.docx"]
    # … after loading the others.
    assert by_file["a_good.csv"]["status"] == "loaded" and by_file["a_good.csv"]["rows_accepted"] == 2
    assert (
        by_file["f_header_only.csv"]["status"] == "loaded" and by_file["f_header_only.csv"]["rows_read"] == 0
    )
    assert [r[0] for r in lake_rows(home, "select event_id from t order by 1")] == ["SJ1", "SJ2"]


def test_loading_again_adds_nothing(home):
    write_csv(home.landing / "a.csv", GRID_EVENT_HEADERS, [grid_event("SJ1"), grid_event("SJ2")])
    write_xlsx(home.landing / "b.xlsx", GRID_EVENT_HEADERS, [grid_event("SJ3")])
    first = load(home)
    assert [f.status for f in first.files] == ["loaded", "loaded"]
    table = home.lake_table("grid", "events")
    before = ({p.name: p.read_bytes() for p in table.iterdir()}, home.manifest.read_bytes())
    second = load(home)
    assert second.files == [] and sorted(second.skipped) == ["a.csv", "b.xlsx"]
    assert ({p.name: p.read_bytes() for p in table.iterdir()}, home.manifest.read_bytes()) == before
    # The same bytes under another name are not loaded twice either.
    (home.landing / "copy_of_a.csv").write_bytes((home.landing / "a.csv").read_bytes())
    third = load(home)
    assert third.files == [] and "copy_of_a.csv" in third.skipped
    assert len(lake_rows(home)) == 3


def test_overlapping_exports_keep_the_latest_state(home):
    jan = [
        grid_event("SJ1", 当前状态="处置中"),
        grid_event("SJ2", 当前状态="已办结", 办结时间="2025-03-06 09:00"),
    ]
    feb = [
        grid_event("SJ1", 当前状态="办结", 办结时间="2025/3/7 10:00"),  # later state, other wording
        grid_event("SJ2", 当前状态=" 已办结 ", 办结时间="2025-03-06 09:00:00"),  # same state, cosmetic noise
        grid_event("SJ3"),
    ]
    mar = [grid_event("SJ1", 当前状态="处置中")]  # an older state exported late
    write_csv(home.landing / "1_jan.csv", GRID_EVENT_HEADERS, jan, "gb18030")
    write_xlsx(home.landing / "2_feb.xlsx", GRID_EVENT_HEADERS, feb)
    write_csv(home.landing / "3_mar.csv", GRID_EVENT_HEADERS, mar, "utf-8-sig")
    report = load(home)
    counts = [(f.file, f.rows_read, f.rows_accepted, f.rows_updated, f.rows_duplicate) for f in report.files]
    assert counts == [("1_jan.csv", 2, 2, 0, 0), ("2_feb.xlsx", 3, 2, 1, 1), ("3_mar.csv", 1, 0, 0, 1)]
    rows = lake_rows(home, "select event_id, status, closed_at::varchar, _file from t order by 1")
    assert rows == [
        ("SJ1", "已办结", "2025-03-07 10:00:00", "2_feb.xlsx"),
        ("SJ2", "已办结", "2025-03-06 09:00:00", "1_jan.csv"),
        ("SJ3", "处置中", None, "2_feb.xlsx"),
    ]
    assert all(f.invariant_holds for f in report.files)


def test_bad_rows_are_quarantined_with_reason_and_row(home):
    rows = [
        grid_event("SJ1"),
        grid_event("SJ2", 上报时间="yesterday"),
        grid_event("", 上报人="王五"),
        grid_event("SJ4", 当前状态="搁置"),
        grid_event("SJ5", 办结时间="2025-03-01 08:00", 当前状态="已办结"),
        grid_event("SJ6", 经度="0", 纬度="0"),
        grid_event("SJ7", 经度="", 纬度=""),
        grid_event("SJ8", 坐标系="GCJ02"),
    ]
    write_csv(home.landing / "e.csv", GRID_EVENT_HEADERS, rows)
    (f,) = load(home).files
    assert (f.rows_read, f.rows_accepted, f.rows_quarantined, f.rows_duplicate) == (8, 4, 4, 0)
    con = duckdb.connect()
    q = con.execute(
        f"select source_row, reason, \"column\", record from read_parquet('{home.quarantine}/*/*/*.parquet') order by 1"
    ).fetchall()
    assert [(r[0], r[1], r[2]) for r in q] == [
        (3, "bad_timestamp", "reported_at"),
        (4, "missing_key", "event_id"),
        (5, "unknown_value", "status"),
        (6, "closed_before_reported", None),
    ]
    assert json.loads(q[1][3])["reporter_name"] == "王*"
    geo = dict(lake_rows(home, "select event_id, geo_quality from t"))
    assert geo == {"SJ1": "ok", "SJ6": "invalid", "SJ7": "missing", "SJ8": "ok"}
    (sj8,) = lake_rows(home, "select lon, lat, lon_raw, lat_raw, datum_raw from t where event_id = 'SJ8'")
    assert sj8[2:] == (112.95, 28.23, "gcj02")
    assert abs(sj8[0] - 112.95) > 1e-3 and abs(sj8[0] - 112.95) < 0.01  # shifted back by a few hundred metres


def test_no_personal_data_in_clear(home):
    write_csv(
        home.landing / "e.csv",
        GRID_EVENT_HEADERS,
        [grid_event("SJ1", 上报人="欧阳娜娜", 联系电话="13912345678")],
    )
    load(home)
    con = duckdb.connect()
    text = " ".join(
        str(v)
        for v in con.execute(
            f"select * from read_parquet('{home.lake_parts('grid', 'events')}', union_by_name = true)"
        ).fetchone()
    )
    assert "欧阳娜娜" not in text and "13912345678" not in text
    assert "欧***" in text and "139****5678" in text


def test_status_json_lists_files(home, capsys):
    write_csv(home.landing / "e.csv", GRID_EVENT_HEADERS, [grid_event("SJ1")])
    load(home)
    assert cli.main(["status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    (f,) = status["files"]
    for key in (
        "file",
        "sha256",
        "source",
        "status",
        "rows_read",
        "rows_accepted",
        "rows_quarantined",
        "rows_duplicate",
    ):
        assert key in f
    assert f["source"] == "grid" and status["tables"]["grid/events"]["rows"] == 1


def test_missing_landing_folder_is_explained(home, capsys):
    assert cli.main(["load"]) == 2
    assert "does not exist" in capsys.readouterr().err
