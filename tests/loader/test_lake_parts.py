"""A lake table is a folder of parts, one per export file that wrote its rows (warehouse/lake/parts.py):
one more file adds a part and rewrites only the parts that lose rows, so a day's load does not rewrite a
year; the rows read are those of a one-file table."""

import duckdb

from tests.exports import GRID_EVENT_HEADERS, grid_event, write_csv
from tests.loader.test_load_merge import MONTHS, lake, make_home
from warehouse.ingest.load import load


def _parts(home) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in home.lake_table("grid", "events").iterdir()}


def _part_of(home, sha256: str) -> list[str]:
    return [name for name in _parts(home) if name.startswith(sha256[:16])]


def test_a_file_of_new_records_adds_a_part_and_leaves_the_others(tmp_path):
    home = make_home(tmp_path / "h", ["1_jan.csv", "2_feb.csv"])
    load(home)
    before = _parts(home)
    write_csv(home.landing / "4_apr.csv", GRID_EVENT_HEADERS, [grid_event("SJ7"), grid_event("SJ8")])
    report = load(home)
    after = _parts(home)
    assert {n: after[n] for n in before} == before  # not one byte rewritten
    assert len(after) == len(before) + 1 and _part_of(home, report.files[0].sha256)
    ids = duckdb.sql(f"select event_id from '{home.lake_parts('grid', 'events')}' order by 1").fetchall()
    assert [i for (i,) in ids] == ["SJ1", "SJ2", "SJ3", "SJ4", "SJ7", "SJ8"]


def test_a_replaced_record_rewrites_only_the_part_it_lived_in(tmp_path):
    home = make_home(tmp_path / "h", ["1_jan.csv", "2_feb.csv"])
    first = {f.file: f.sha256 for f in load(home).files}
    feb = {n: b for n, b in _parts(home).items() if n.startswith(first["2_feb.csv"][:16])}
    assert _part_of(home, first["1_jan.csv"]) and feb  # SJ2's latest state is January's
    later = [grid_event("SJ2", 当前状态="已办结", 办结时间="2025-03-06 09:00", 上报人="王五")]
    write_csv(home.landing / "5_may.csv", GRID_EVENT_HEADERS, later)
    report = load(home)
    assert [(f.rows_updated, f.rows_accepted) for f in report.files] == [(1, 1)]
    assert not _part_of(home, first["1_jan.csv"])  # it held only SJ2: rewritten to nothing, removed
    assert {n: b for n, b in _parts(home).items() if n in feb} == feb
    at_once = make_home(tmp_path / "once", ["1_jan.csv", "2_feb.csv"])
    write_csv(at_once.landing / "5_may.csv", GRID_EVENT_HEADERS, later)
    load(at_once)
    assert lake(home) == lake(at_once)


def test_a_one_file_table_of_an_earlier_version_becomes_a_part(tmp_path):
    """An earlier version kept each table in one file; the next load moves it into the folder."""
    once = make_home(tmp_path / "once", ["1_jan.csv", "2_feb.csv"])
    load(once)
    home = make_home(tmp_path / "h", ["1_jan.csv"])
    load(home)
    table = home.lake_table("grid", "events")
    single = table.with_suffix(".parquet")
    duckdb.execute(f"copy (from '{home.lake_parts('grid', 'events')}') to '{single}' (format parquet)")
    for part in table.iterdir():
        part.unlink()
    table.rmdir()
    write_csv(home.landing / "2_feb.csv", GRID_EVENT_HEADERS, MONTHS["2_feb.csv"])
    load(home)
    assert not single.exists() and table.is_dir()
    assert lake(home) == lake(once)
