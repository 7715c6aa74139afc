"""Every page on thin data: a subset of sources, empty periods, divisions with nothing to score.

- `thin311`: a small 311 export alone, three streets, reported in January and April only (February and March
  are empty periods), and in April one street has nothing due, so its ranking score is NULL — the case of
  the real export whose street board crashed the command center (a NULL score formatted as a number);
- `no_platform`: the demo city's exports without the city-operations platform (no cases, no workflow log).

Each page renders without an exception or error message, and says "—" or "no data yet" where it has nothing.
"""

from __future__ import annotations

import shutil

import pytest

from tests.app.test_foreign_pages import PAGES
from tests.app.test_pages import html_of, run_page
from tests.conftest import Warehouse, built
from tests.foreign.test_foreign_exports import nyc, nyc_headers, write_rows
from warehouse.home.paths import DataHome
from warehouse.ingest.load import load


@pytest.fixture(scope="module")
def thin311(tmp_path_factory) -> Warehouse:
    home = DataHome(tmp_path_factory.mktemp("thin311") / "home")
    write_rows(
        home.landing / "thin.csv",
        nyc_headers(),
        [
            nyc("T1", "01/05/2024 09:00:00 AM", "Closed", "01/05/2024 11:00:00 AM", "01/06/2024 09:00:00 AM"),
            nyc(
                "T2",
                "01/06/2024 09:00:00 AM",
                "Closed",
                "01/09/2024 11:00:00 AM",
                "01/07/2024 09:00:00 AM",
                borough="BRONX",
                board="04 BRONX",
            ),
            nyc(
                "T3",
                "01/07/2024 09:00:00 AM",
                "Closed",
                "01/07/2024 10:00:00 AM",
                "01/08/2024 09:00:00 AM",
                borough="BROOKLYN",
                board="01 BROOKLYN",
            ),
            # April: only Queens has anything due; the Bronx and Brooklyn have nothing to score
            nyc("T4", "04/02/2024 09:00:00 AM", "In Progress", "", "04/03/2024 09:00:00 AM"),
            nyc(
                "T5",
                "04/03/2024 09:00:00 AM",
                "Open",
                "",
                "06/01/2024 09:00:00 AM",
                borough="BRONX",
                board="04 BRONX",
            ),
            nyc("T6", "04/04/2024 09:00:00 AM", "Open", borough="Unspecified", board="0 Unspecified"),
        ],
    )
    report = load(home)
    assert report.rejected == []
    return built(home)


@pytest.fixture(scope="module")
def no_platform(warehouse, tmp_path_factory) -> Warehouse:
    home = DataHome(tmp_path_factory.mktemp("no_platform") / "home")
    shutil.copytree(warehouse.home.landing, home.landing)
    shutil.rmtree(home.landing / "城运平台")
    load(home)
    return built(home)


def test_the_thin_release_has_empty_periods_and_null_scores(thin311):
    months = dict(
        thin311.query(
            "select period_label, sum(reported_cases) from mart_case_flow_by_street "
            "where period_type = 'month' group by 1"
        )
    )
    assert months == {"2024-01": 3, "2024-02": 0, "2024-03": 0, "2024-04": 3}
    unscored = thin311.query(
        "select street_name from mart_street_ranking where period_label = '2024-04' "
        "and composite_score is null group by 1 order by 1"
    )
    assert [r[0] for r in unscored] == ["BRONX", "BROOKLYN"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_renders_on_a_thin_311_release(monkeypatch, thin311, page, lang):
    at = run_page(monkeypatch, thin311.home.root, f"views/{page}.py", lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_the_street_board_shows_a_dash_for_a_street_with_nothing_to_score(monkeypatch, thin311):
    at = run_page(monkeypatch, thin311.home.root, "views/command_center.py", {"kiosk": "1"})
    assert not at.exception, [e.value for e in at.exception]
    board = html_of(at).split("class='board'", 1)[1].split("</table>", 1)[0]
    assert "<td>—</td><td>BRONX</td><td>—</td>" in board


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_the_platform(monkeypatch, no_platform, page):
    at = run_page(monkeypatch, no_platform.home.root, f"views/{page}.py")
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
