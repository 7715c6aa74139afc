"""The lake's generations: a data home from an earlier version (a plain lake folder) is taken over without
losing or recounting a row, even when the takeover is killed half-way; old generations are removed."""

from __future__ import annotations

import os
import shutil

from tests.exports import GRID_EVENT_HEADERS, write_csv
from tests.loader.test_load_merge import MONTHS, counts, lake, make_home
from warehouse.ingest.load import load
from warehouse.lake.generations import adopt_plain_lake, current_generation, generations_dir
from warehouse.lake.manifest import read_manifest


def plain_lake_home(tmp_path, name):
    """A home whose lake is a plain folder, as earlier versions wrote it, with January loaded."""
    home = make_home(tmp_path / name, ["1_jan.csv"])
    load(home)
    generation = home.lake.resolve()
    (home.root / "lake").unlink()
    shutil.copytree(generation, home.root / "lake")
    shutil.rmtree(generations_dir(home))
    return home


def test_a_plain_lake_folder_becomes_the_first_generation(tmp_path):
    home = plain_lake_home(tmp_path, "old")
    jan = lake(home)
    for name in MONTHS:
        write_csv(home.landing / name, GRID_EVENT_HEADERS, MONTHS[name])
    report = load(home)
    assert (home.root / "lake").is_symlink() and current_generation(home) is not None
    assert {f.file for f in report.files} == {"2_feb.csv", "3_mar.csv"}, "January is not loaded again"
    at_once = make_home(tmp_path / "new", MONTHS)
    expected = counts(load(at_once))
    assert {
        r.file: (r.rows_read, r.rows_accepted, r.rows_updated, r.rows_duplicate, r.rows_quarantined)
        for r in read_manifest(home)
    } == expected
    assert lake(home) == lake(at_once) and jan != lake(home)


def test_a_takeover_killed_half_way_is_finished_by_the_next_one(tmp_path):
    home = plain_lake_home(tmp_path, "old")
    jan = lake(home)
    generations_dir(home).mkdir()
    os.rename(home.root / "lake", generations_dir(home) / ".plain-lake")  # killed right after moving it aside
    adopt_plain_lake(home)
    assert (home.root / "lake").is_symlink() and lake(home) == jan
    assert [p.name for p in generations_dir(home).iterdir() if not p.name.startswith(".")] == [
        current_generation(home).name
    ]


def test_each_load_leaves_one_generation(tmp_path):
    home = make_home(tmp_path / "home", MONTHS)
    for _ in range(3):
        load(home)
    assert len([p for p in generations_dir(home).iterdir() if not p.name.startswith(".")]) == 1
