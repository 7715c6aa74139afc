"""DuckDB's memory limits for load and build: a share of the machine, an override, spill folders in the data home."""

from __future__ import annotations

import duckdb
import pytest

from warehouse.home import memory
from warehouse.home.paths import DataHome
from warehouse.ingest.group import connection_settings

GIB = 1 << 30


@pytest.fixture
def machine(monkeypatch, tmp_path):
    """A 24 GiB machine without a cgroup cap, and no override in the environment."""
    monkeypatch.delenv(memory.BUILD_ENV, raising=False)
    monkeypatch.delenv(memory.LOAD_ENV, raising=False)
    monkeypatch.setattr(memory, "CGROUP_LIMIT", tmp_path / "memory.max")
    pages = {"SC_PAGE_SIZE": 4096, "SC_PHYS_PAGES": 24 * GIB // 4096}
    monkeypatch.setattr(memory.os, "sysconf", pages.__getitem__)
    return tmp_path


def test_build_memory_is_a_share_of_the_machine(machine):
    assert memory.build_memory() == "12288MiB"


def test_a_cgroup_cap_below_the_machine_sizes_the_limits(machine):
    (machine / "memory.max").write_text(f"{8 * GIB}\n")
    assert memory.total_memory() == 8 * GIB
    assert memory.build_memory() == "4096MiB"
    (machine / "memory.max").write_text("max\n")
    assert memory.total_memory() == 24 * GIB


def test_the_environment_overrides_the_share(machine, monkeypatch):
    monkeypatch.setenv(memory.BUILD_ENV, "6GB")
    monkeypatch.setenv(memory.LOAD_ENV, "2GB")
    assert memory.build_memory() == "6GB"
    assert memory.load_memory(3) == "2GB"


def test_a_small_machine_still_gets_a_workable_limit(machine, monkeypatch):
    monkeypatch.setattr(
        memory.os, "sysconf", {"SC_PAGE_SIZE": 4096, "SC_PHYS_PAGES": GIB // 4096}.__getitem__
    )
    assert memory.build_memory() == "1024MiB"
    assert memory.load_memory(3) == "1024MiB"


def test_a_load_connection_is_limited_and_spills_into_the_data_home(machine, tmp_path):
    home = DataHome(tmp_path / "home")
    con = duckdb.connect(config=connection_settings(home))
    limit, temp = con.execute(
        "select current_setting('memory_limit'), current_setting('temp_directory')"
    ).fetchone()
    assert memory.load_memory(3) == "2048MiB"  # a quarter of 24 GiB over the three connections a load holds
    assert limit.replace(" ", "") == "2.0GiB"
    assert temp == str(home.root / "tmp" / "load")
    assert (home.root / "tmp" / "load").stat().st_mode & 0o077 == 0  # spilled rows are the lake's: owner-only
