"""The lake's table contract is applied by a load; a build only reads the lake."""

from __future__ import annotations

from tests.exports import GRID_EVENT_HEADERS, grid_event, write_csv
from tests.release.test_release import tiny_project
from warehouse.home.paths import DataHome
from warehouse.ingest.load import load
from warehouse.ingest.profile import builtin_profiles
from warehouse.lake.contract import check_lake
from warehouse.lake.generations import current_generation
from warehouse.release.build import build


def loaded_home(tmp_path) -> DataHome:
    home = DataHome(tmp_path / "home")
    write_csv(home.landing / "events.csv", GRID_EVENT_HEADERS, [grid_event("SJ-1")])
    load(home)
    return home


def test_a_load_leaves_every_built_in_table_with_every_column(tmp_path):
    home = loaded_home(tmp_path)
    tables = {f"{p.source}/{p.entity}" for p in builtin_profiles()}
    lake = check_lake(home)
    assert lake.gaps == [] and set(lake.empty) == tables - {"grid/events"}


def test_a_build_does_not_write_into_the_lake(tmp_path):
    home = loaded_home(tmp_path)
    generation = current_generation(home)
    before = {p: p.stat().st_mtime_ns for p in generation.rglob("*.parquet")}
    said = []
    assert build(home, progress=said.append, project_dir=tiny_project(tmp_path)).ok
    assert current_generation(home) == generation
    assert {p: p.stat().st_mtime_ns for p in generation.rglob("*.parquet")} == before  # its .pin aside
    assert any("no data loaded yet for: " in line and "grid/events" not in line for line in said)


def test_a_build_names_what_an_old_lake_lacks(tmp_path):
    home = DataHome(tmp_path / "home")
    said = []
    assert build(home, progress=said.append, project_dir=tiny_project(tmp_path)).ok
    assert any("the lake lacks" in line and "gridpulse load" in line for line in said)
    assert not (home.root / "lake").exists(), "the build wrote no lake"
