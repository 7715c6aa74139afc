"""`gridpulse unload FILE`: the lake, manifest and quarantine become what they would be had the file never been loaded."""

from __future__ import annotations

import shutil

import duckdb

from tests.exports import write_csv
from tests.loader.test_load_merge import GRID_EVENT_HEADERS, MONTHS, lake, make_home
from warehouse import cli
from warehouse.ingest.load import load
from warehouse.lake.manifest import read_manifest
from warehouse.lake.status import lake_status


def manifest_counts(home):
    return {
        r.file: (r.status, r.rows_read, r.rows_accepted, r.rows_updated, r.rows_duplicate, r.rows_quarantined)
        for r in read_manifest(home)
    }


def test_unload_leaves_the_lake_as_if_the_file_had_never_been_loaded(tmp_path, monkeypatch, capsys):
    home = make_home(tmp_path / "home", MONTHS)
    load(home)
    assert lake_status(home)["quarantine"] == {"grid/events": {"bad_timestamp": 1}}  # from 3_mar.csv
    never = make_home(tmp_path / "never", ["1_jan.csv", "3_mar.csv"])
    load(never)

    monkeypatch.setenv("GRIDPULSE_HOME", str(home.root))
    assert cli.main(["unload", "2_feb.csv"]) == 0
    assert "unloaded 2_feb.csv" in capsys.readouterr().err
    assert manifest_counts(home) == manifest_counts(never)
    assert lake(home) == lake(never)  # SJ1 back in January's state, SJ4 gone, March's rows counted anew
    status = lake_status(home)
    assert status["invariant_holds"] and status["quarantine"] == {"grid/events": {"bad_timestamp": 1}}
    assert (home.landing / "_unloaded" / "2_feb.csv").exists() and not (home.landing / "2_feb.csv").exists()

    again = load(home)  # the unloaded file stays out
    assert again.files == [] and manifest_counts(home) == manifest_counts(never)


def test_unload_reads_archived_files_and_refuses_when_they_are_gone(tmp_path, monkeypatch, capsys):
    home = make_home(tmp_path / "home", MONTHS)
    monkeypatch.setenv("GRIDPULSE_HOME", str(home.root))
    assert cli.main(["load", "--archive"]) == 0
    assert not list(home.landing.glob("*.csv"))
    assert cli.main(["unload", "3_mar.csv"]) == 0
    assert set(manifest_counts(home)) == {"1_jan.csv", "2_feb.csv"}

    shutil.rmtree(home.root / "archive")
    before = lake(home)
    capsys.readouterr()
    assert cli.main(["unload", "1_jan.csv"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: cannot unload 1_jan.csv") and "\n" not in err and "2_feb.csv" in err
    assert lake(home) == before and set(manifest_counts(home)) == {"1_jan.csv", "2_feb.csv"}
    assert cli.main(["unload", "nothing.csv"]) == 2
    assert "is not a loaded file" in capsys.readouterr().err


def test_unload_the_only_file_of_a_table(tmp_path, monkeypatch):
    home = make_home(tmp_path / "home", [])
    write_csv(home.landing / "1_jan.csv", GRID_EVENT_HEADERS, MONTHS["1_jan.csv"])
    load(home)
    monkeypatch.setenv("GRIDPULSE_HOME", str(home.root))
    assert cli.main(["unload", str(home.landing / "1_jan.csv")]) == 0
    assert read_manifest(home) == []
    # the lake's contract keeps every table dbt reads: the table is left empty, with all its columns
    table = home.lake_parts("grid", "events")
    assert duckdb.sql(f"select count(*) from '{table}'").fetchall() == [(0,)]
    assert "event_id" in duckdb.sql(f"select * from '{table}'").columns
