"""Every dashboard page is a dbt exposure that depends on every mart its code reads (so
`dbt ls -s +exposure:<page>` is the page's lineage), at the page's URL path."""

from __future__ import annotations

import json

import pytest

from tests.dbt.page_lineage import DASHBOARD, reads, routes

MART_PREFIXES = ("dim_", "fct_", "mart_")


@pytest.fixture(scope="module")
def manifest(warehouse) -> dict:
    return json.loads((warehouse.release_db.parent / "target" / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def marts(manifest) -> set[str]:
    return {
        n["name"]
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["name"].startswith(MART_PREFIXES)
    }


def upstream(manifest: dict, page: str) -> set[str]:
    exposure = manifest["exposures"][f"exposure.gridpulse.{page}"]
    return {node.split(".")[-1] for node in exposure["depends_on"]["nodes"]}


def test_every_page_is_an_exposure_at_its_url(manifest):
    pages = sorted(p.stem for p in (DASHBOARD / "views").glob("*.py"))
    exposures = {e["name"]: e for e in manifest["exposures"].values()}
    assert sorted(exposures) == pages
    paths = routes()
    for page in pages:
        exposure = exposures[page]
        assert exposure["type"] == "dashboard", page
        assert exposure["url"] == f"/{paths[page]}", page
        assert exposure["owner"].get("name") or exposure["owner"].get("email"), page


@pytest.mark.parametrize("page", sorted(routes()))
def test_an_exposure_names_every_mart_its_page_reads(manifest, marts, page):
    read = reads(page, marts)
    missing = {mart: sorted(where) for mart, where in read.items() if mart not in upstream(manifest, page)}
    assert not missing, f"exposure {page} lacks marts its page reads: {missing}"


def test_the_lineage_reaches_the_sources(manifest):
    """`+exposure:funnel`: the exposure's marts lead back through staging to the lake's sources."""
    parents = manifest["parent_map"]
    seen, todo = set(), ["exposure.gridpulse.funnel"]
    while todo:
        node = todo.pop()
        for parent in parents.get(node, []):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    assert "model.gridpulse.fct_case_funnel_steps" in seen
    assert "model.gridpulse.stg_platform__workflow_actions" in seen
    assert "source.gridpulse.platform.workflow" in seen


def test_the_workbench_exposes_every_mart(manifest, marts):
    assert upstream(manifest, "workbench") == marts
