"""Shared fixtures: one demo warehouse per test session (generate scale 0.1 × 90 days, load, build)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from gridpulse_demo import generate
from gridpulse_demo.names import CITY
from warehouse.home.paths import DataHome
from warehouse.home.settings import set_defaults
from warehouse.ingest.load import load
from warehouse.release.build import build
from warehouse.release.releases import open_release


@dataclass
class Warehouse:
    home: DataHome
    manifest: dict
    release_db: Path

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        con = open_release(self.release_db)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def lake(self, source: str, entity: str) -> str:
        return self.home.lake_parts(source, entity)


NYC_SAMPLE = Path(__file__).parent / "data" / "nyc311_sample_2022-05-01.csv"


def built(home: DataHome, manifest: dict | None = None) -> Warehouse:
    """Build ``home``'s lake into a release (asserting it passed) and wrap it."""
    result = build(home)
    assert result.ok, result.summary()
    return Warehouse(home, manifest or {}, result.release_db)


@pytest.fixture(scope="session")
def nyc_warehouse(tmp_path_factory) -> Warehouse:
    """A data home holding only the NYC 311 sample (no grid events, report-in, property, boundaries)."""
    home = DataHome(tmp_path_factory.mktemp("nyc") / "home")
    home.landing.mkdir(parents=True)
    shutil.copy(NYC_SAMPLE, home.landing / NYC_SAMPLE.name)
    report = load(home)
    assert report.rejected == [], report.rejected
    return built(home)


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory) -> Warehouse:
    home = DataHome(tmp_path_factory.mktemp("dbt") / "home")
    manifest = generate(home.landing, scale=0.1, days=90)
    set_defaults(home, city_name=CITY)  # as `gridpulse generate` does
    report = load(home)
    assert report.rejected == [], report.rejected
    return built(home, manifest)
