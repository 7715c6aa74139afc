"""A release holds everything it exposes (issue 16): no relation reads the lake, layers by schema, docs inside."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from warehouse.release.releases import open_release
from warehouse.sandbox.query import run


def relations(warehouse) -> list[tuple[str, str, str]]:
    return warehouse.query(
        "select schema_name, table_name, 'table' from duckdb_tables() where not internal and database_name = "
        "current_database() union all select schema_name, view_name, 'view' from duckdb_views() where not internal "
        "and database_name = current_database() order by 1, 2"
    )


def test_every_relation_is_a_table_and_the_sandbox_reads_it_without_the_lake(warehouse, tmp_path):
    rels = relations(warehouse)
    assert [r for r in rels if r[2] == "view"] == []  # a view would read Parquet at query time
    assert {s for s, _, _ in rels} == {"main", "staging", "intermediate"}
    assert {n for s, n, _ in rels if s == "staging"} >= {"stg_platform__cases", "stg_grid__events"}
    assert {n for s, n, _ in rels if s == "intermediate"} >= {"int_platform_cases_due_by_period"}
    assert all(
        n.startswith(("dim_", "fct_", "mart_")) or not n.startswith(("stg_", "int_"))
        for s, n, _ in rels
        if s == "main"
    )
    # a copy of the release without any lake next to it: every relation still answers in the sandbox
    copy = tmp_path / "gridpulse.duckdb"
    shutil.copy(warehouse.release_db, copy)
    for schema, name, _ in rels:
        result = run(f'select count(*) as n from "{schema}"."{name}"', copy)
        assert result.rows == 1, (schema, name)


def test_column_descriptions_are_persisted_in_the_database(warehouse):
    comment = warehouse.query(
        "select comment from duckdb_columns() where schema_name = 'main' and table_name = 'fct_platform_cases' "
        "and column_name = 'is_overdue'"
    )[0][0]
    facts = yaml.safe_load((Path(__file__).parents[2] / "dbt_project/models/marts/_facts.yml").read_text())
    cases = next(m for m in facts["models"] if m["name"] == "fct_platform_cases")
    assert comment == next(c["description"] for c in cases["columns"] if c["name"] == "is_overdue")
    table_comment = warehouse.query(
        "select comment from duckdb_tables() where schema_name = 'main' and table_name = 'fct_case_due_by_period'"
    )[0][0]
    assert "应结案" in table_comment
    # any DuckDB client sees them: a plain read-only connection, no dbt
    con = open_release(warehouse.release_db)
    try:
        undocumented = con.execute(
            "select table_name, column_name from duckdb_columns() where schema_name = 'main' "
            "and (table_name like 'fct\\_%' escape '\\' or table_name like 'mart\\_%' escape '\\') "
            "and (comment is null or comment = '')"
        ).fetchall()
    finally:
        con.close()
    assert undocumented == []
