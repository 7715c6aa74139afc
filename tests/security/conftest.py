"""A tiny release (one 5,000-row table) both sandbox test modules attack."""

import duckdb
import pytest

from warehouse.home.paths import DataHome
from warehouse.release.releases import DB_NAME, switch_current


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = DataHome(tmp_path_factory.mktemp("sb") / "home")
    release = home.releases / "r1"
    release.mkdir(parents=True)
    con = duckdb.connect(str(release / DB_NAME))
    con.execute(
        "create table fct_cases as select range as case_id, '澜北街道' as street_name, 1 as n from range(5000)"
    )
    con.close()
    switch_current(home, release)
    return home
