"""Parity (issue 16): every page query returns what the pre-issue-16 SQL returned on the demo release,
except where issue 16 fixes a defect — each such difference is named in ``DEFECTS``."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from dashboard import queries
from tests.parity.probes import Probe, context, probes

# Columns whose value depends on the wall clock (compared by dtype only).
CLOCK_COLUMNS = {"SOURCE_HEALTH": {"lag_days_to_today"}}
# Legacy query name → why its result may differ now (a defect issue 16 fixes).
DEFECTS: dict[str, str] = {}


def current(name: str, legacy_params: tuple, **_: Any) -> pl.DataFrame:
    from dashboard import db
    return db.query(getattr(queries, name), *legacy_params)


@pytest.fixture(scope="module")
def release(warehouse, monkeypatch_module):
    monkeypatch_module.setenv("GRIDPULSE_HOME", str(warehouse.home.root))
    return warehouse


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def canonical(frame: pl.DataFrame) -> pl.DataFrame:
    sortable = [c for c, t in frame.schema.items() if not t.is_nested() and t != pl.Object]
    return frame.sort(sortable, nulls_last=True) if sortable and frame.height else frame


def legacy(warehouse, probe: Probe) -> pl.DataFrame:
    from warehouse.release import open_release
    con = open_release(warehouse.release_db)
    try:
        return pl.from_arrow(con.sql(probe.legacy_sql, params=list(probe.legacy_params) or None).to_arrow_table())
    finally:
        con.close()


def test_every_page_query_returns_what_it_returned_before(release):
    ctx = context(lambda sql: release.query(sql))
    checked, differing = 0, []
    for probe in probes(ctx, current):
        base = probe.name.split(" ")[0]
        before, after = legacy(release, probe), probe.current()
        for col in CLOCK_COLUMNS.get(base, ()):
            before, after = before.drop(col), after.drop(col)
        if base in DEFECTS:
            continue
        try:
            # several old queries leave ties (or the whole order) open: compare the rows as a multiset
            assert_frame_equal(canonical(after), canonical(before), check_exact=False, rel_tol=1e-9, abs_tol=1e-12)
        except AssertionError as exc:
            differing.append(f"{probe.name}: {str(exc).splitlines()[0]}")
        checked += 1
    assert not differing, "\n".join(differing)
    assert checked > 150
