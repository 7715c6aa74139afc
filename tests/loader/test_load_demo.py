"""The generated demo city through the loader: the injected mess is caught exactly as its manifest says."""

import json
import re
import subprocess
import sys

import duckdb
import pytest

from warehouse import cli
from warehouse.home.paths import DataHome
from warehouse.ingest.load import load
from warehouse.ingest.profile import builtin_profiles
from warehouse.lake.status import lake_status

TABLES = {p.table: p for p in builtin_profiles()}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    home = DataHome(tmp_path_factory.mktemp("demo") / "home")
    from gridpulse_demo import generate

    manifest = generate(home.landing, seed=7, scale=0.1, days=60)
    report = load(home)
    return home, manifest, report


def lake(home, table, sql):
    source, entity = table.split("/")
    con = duckdb.connect()
    con.execute(f"create view t as select * from read_parquet('{home.lake_parts(source, entity)}')")
    return con.execute(sql).fetchall()


def test_every_file_loads_and_the_invariant_holds(demo):
    home, manifest, report = demo
    assert report.rejected == []
    assert len(report.files) == len(manifest["files"])
    for f in report.files:
        assert f.rows_read == f.rows_accepted + f.rows_quarantined + f.rows_duplicate, f.file
    by_path = {f["path"]: f for f in manifest["files"]}
    for f in report.files:
        assert f.rows_read == by_path[f.file]["rows"], f.file
        assert f"{f.source}/{f.entity}" == f"{by_path[f.file]['source']}/{by_path[f.file]['entity']}", f.file
        assert f.encoding == by_path[f.file]["encoding"] or by_path[f.file]["format"] != "csv", f.file


def test_counts_per_table_match_the_generator(demo):
    home, manifest, report = demo
    for table, expected in manifest["expected"].items():
        files = [f for f in report.files if f"{f.source}/{f.entity}" == table]
        got = {
            "rows_read": sum(f.rows_read for f in files),
            "accepted": sum(f.rows_accepted for f in files),
            "duplicates": sum(f.rows_duplicate for f in files),
        }
        assert got == {k: expected[k] for k in got}, table
        assert lake(home, table, "select count(*) from t")[0][0] == expected["records"], table


def test_quarantine_by_reason_matches_the_generator(demo):
    home, manifest, _ = demo
    status = lake_status(home)
    for table, expected in manifest["expected"].items():
        assert status["quarantine"].get(table, {}) == expected["quarantined"], table


def test_coordinates_flagged_and_converted_as_injected(demo):
    home, manifest, _ = demo
    for table, expected in manifest["expected"].items():
        if TABLES[table].geo is None:
            continue
        counts = dict(lake(home, table, "select geo_quality, count(*) from t group by 1"))
        assert counts.get("missing", 0) == expected["missing_coordinates"], table
        assert counts.get("invalid", 0) == expected["impossible_coordinates"], table
        gcj = lake(home, table, "select count(*) from t where datum_raw = 'gcj02' and geo_quality = 'ok'")[0][
            0
        ]
        assert gcj == expected["gcj02"], table
        # Converted points moved by a plausible GCJ-02 offset, and every kept point is in WGS-84 range.
        moved = lake(
            home,
            table,
            "select max(abs(lon - lon_raw)), max(abs(lat - lat_raw)) from t where datum_raw = 'gcj02'",
        )
        if expected["gcj02"]:
            assert 0.0005 < moved[0][0] < 0.01 and 0.0005 < moved[0][1] < 0.01


def test_wording_and_characters_are_normalised(demo):
    home, _, _ = demo
    fullwidth = re.compile("[\uff01-\uff5e\u3000]")
    for table, profile in TABLES.items():
        for name, col in profile.columns.items():
            if col.type in ("text",) or col.pii:
                continue
            values = [
                v for (v,) in lake(home, table, f'select distinct cast("{name}" as varchar) from t') if v
            ]
            if col.values:
                assert set(values) <= set(col.values), (table, name, set(values) - set(col.values))
            if col.type in ("string", "code"):
                assert not [v for v in values if fullwidth.search(v) or v != v.strip()], (table, name)


def test_no_clear_personal_data_in_the_lake(demo):
    home, _, _ = demo
    phones = set()
    for path in home.landing.rglob("*.csv"):
        text = path.read_bytes().decode("gb18030", errors="ignore")
        phones.update(re.findall(r"1[3-9]\d{9}", text))
    assert phones, "the demo should contain phone numbers to protect"
    con = duckdb.connect()
    lake_text = con.execute(
        f"select string_agg(cast(columns(*) as varchar), '|') from read_parquet('{home.lake}/*/*/*.parquet', union_by_name=true)"
    ).fetchone()
    blob = "|".join(str(v) for v in lake_text)
    assert not [p for p in phones if p in blob]


def test_second_load_adds_nothing(demo):
    home, _, _ = demo
    before = {p: p.read_bytes() for p in home.lake.rglob("*.parquet")}
    again = load(home)
    assert again.files == [] and len(again.skipped) > 0
    assert {p: p.read_bytes() for p in home.lake.rglob("*.parquet")} == before


def test_done_means_command_line(tmp_path, monkeypatch, capsys):
    """GRIDPULSE_HOME=… gridpulse generate --scale 0.1 --days 60 && gridpulse load && gridpulse status --json"""
    monkeypatch.setenv("GRIDPULSE_HOME", str(tmp_path / "x"))
    exe = [sys.executable, "-m", "warehouse.cli"]
    env = {"GRIDPULSE_HOME": str(tmp_path / "x"), "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [*exe, "generate", "--scale", "0.1", "--days", "60"], check=True, env=env, capture_output=True
    )
    load_run = subprocess.run([*exe, "load"], env=env, capture_output=True, text=True)
    assert load_run.returncode == 0, load_run.stderr[-2000:]
    assert "rejected" in load_run.stderr and "[1/" in load_run.stderr  # progress and summary
    assert cli.main(["status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    sources = {f["source"] for f in status["files"]}
    assert sources == {"divisions", "grid", "platform", "party", "property"}
    assert all(f["status"] == "loaded" for f in status["files"]) and status["invariant_holds"]
