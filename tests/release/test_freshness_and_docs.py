"""A build keeps dbt's source freshness and its static docs in the release: the freshness verdicts in
build.json (thresholds from the sources' YAML, judged again against any later time), the docs as one HTML
file that needs no network."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from warehouse.release.freshness import SourceFreshness, from_release_meta
from warehouse.release.releases import DOCS_FILE, read_meta

DAILY = ["grid/events", "party/activities", "platform/cases", "platform/workflow"]


@pytest.fixture(scope="module")
def meta(warehouse) -> dict:
    return read_meta(warehouse.release_db.parent)


def test_freshness_of_every_dated_source_is_in_the_release(meta, warehouse):
    found = {f.lake_table: f for f in from_release_meta(meta)}
    # registers (divisions, units, devices) have no business time, so no freshness
    assert sorted(found) == sorted([*DAILY, "party/members", "property/assessments"])
    for table in DAILY:
        assert found[table].warn_after == timedelta(days=2) and found[table].error_after == timedelta(days=7)
    newest = warehouse.query("select max(reported_at) from fct_grid_events")[0][0]
    # the demo city's clock is Asia/Shanghai wall time; dbt reports UTC
    assert found["grid/events"].max_loaded_at == newest.replace(tzinfo=UTC) - timedelta(hours=8)


def test_the_build_time_verdict_is_what_the_thresholds_say_at_build_time(meta):
    built = datetime.fromisoformat(meta["finished_at"]).astimezone(UTC)
    for f in from_release_meta(meta):
        assert f.status(built) == f.status_at_build, f


def test_freshness_is_judged_again_against_now():
    newest = datetime(2025, 3, 10, 8, tzinfo=UTC)
    f = SourceFreshness("grid/events", newest, timedelta(days=2), timedelta(days=7), "pass")
    assert f.status(newest + timedelta(days=1)) == "pass"
    assert f.status(newest + timedelta(days=3)) == "warn"
    assert f.status(newest + timedelta(days=8)) == "error"
    assert SourceFreshness.from_meta(json.loads(json.dumps(f.to_meta()))) == f


def test_the_static_docs_are_kept_in_the_release_with_lineage_and_no_network(meta, warehouse):
    assert meta["docs"] == DOCS_FILE
    html = (warehouse.release_db.parent / DOCS_FILE).read_text(encoding="utf-8")
    # everything inline: no script, stylesheet or font fetched from elsewhere
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:)?//""", html, re.I)
    assert not re.search(r"""@import|url\(["']?(https?:)?//""", html)
    # dbt's docs load a tracker only when the manifest says usage statistics are on
    assert '"send_anonymous_usage_stats": false' in html
    # lineage: the manifest is inlined with its parent map and the pages' exposures
    assert '"parent_map"' in html and '"exposure.gridpulse.funnel"' in html
    assert "mart_command_center_kpis" in html
