"""Packaging Spark's tables into a release's DuckDB file (no Spark needed: Parquet written by DuckDB)."""

from __future__ import annotations

import json

import duckdb

from warehouse.release.spark import _lake_files, _lake_links, package


def _node(name, schema, columns, description="", kind="model"):
    return {
        "resource_type": kind,
        "name": name,
        "alias": name,
        "schema": schema,
        "config": {"materialized": "table"},
        "description": description,
        "columns": {c: {"data_type": t, "description": f"{c} 说明"} for c, t in columns.items()},
    }


def _write(tmp_path, nodes, tables):
    warehouse = tmp_path / "warehouse"
    con = duckdb.connect()
    for (schema, name), sql in tables.items():
        folder = warehouse / f"{schema}.db" / name
        folder.mkdir(parents=True)
        con.execute(f"copy ({sql}) to '{folder / 'part-0.parquet'}' (format parquet)")
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"nodes": {f"model.x.{n['name']}": n for n in nodes}}), encoding="utf-8")
    return manifest, warehouse


def test_marts_get_contract_types_order_and_comments(tmp_path):
    mart = _node(
        "mart_x", "main", {"street_code": "varchar", "cases": "hugeint", "rate": "double"}, "一个集市"
    )
    staging = _node("stg_y", "staging", {})
    manifest, warehouse = _write(
        tmp_path,
        [mart, staging],
        {
            ("main", "mart_x"): "select 0.5::double as rate, 3::bigint as cases, 'S1' as street_code",
            ("staging", "stg_y"): "select 1 as a",
        },
    )
    db = tmp_path / "release.duckdb"
    assert package(manifest, warehouse, db) == []
    con = duckdb.connect(str(db), read_only=True)
    cols = con.execute(
        "select column_name, data_type, comment from duckdb_columns() where table_name = 'mart_x' order by column_index"
    ).fetchall()
    assert cols == [
        ("street_code", "VARCHAR", "street_code 说明"),
        ("cases", "HUGEINT", "cases 说明"),
        ("rate", "DOUBLE", "rate 说明"),
    ]
    assert con.execute("select comment from duckdb_tables() where table_name = 'mart_x'").fetchone() == (
        "一个集市",
    )
    assert con.execute("select * from staging.stg_y").fetchall() == [(1,)]


def test_a_mart_that_breaks_its_contract_is_a_failure(tmp_path):
    mart = _node("mart_x", "main", {"street_code": "varchar", "cases": "bigint"})
    manifest, warehouse = _write(tmp_path, [mart], {("main", "mart_x"): "select 'S1' as street_code"})
    failures = package(manifest, warehouse, tmp_path / "release.duckdb")
    assert len(failures) == 1 and "mart_x" in failures[0] and "missing ['cases']" in failures[0]


def test_a_mart_row_that_breaks_a_constraint_is_a_failure(tmp_path):
    """The contract's not-null and check constraints hold in a Spark build's release, as DuckDB enforces
    them on a DuckDB build: a null code, a rate above 1, each fails the packaging, in DuckDB's words."""
    mart = _node("mart_x", "main", {"street_code": "varchar", "rate": "double"})
    mart["columns"]["street_code"]["constraints"] = [{"type": "not_null"}]
    mart["columns"]["rate"]["constraints"] = [{"type": "check", "expression": "rate between 0 and 1"}]
    for code, rate, broken in (("null", "0.5", "NOT NULL"), ("'S1'", "1.5", "CHECK")):
        work = tmp_path / broken
        manifest, warehouse = _write(
            work, [mart], {("main", "mart_x"): f"select {code} as street_code, {rate} as rate"}
        )
        failures = package(manifest, warehouse, work / "release.duckdb")
        assert len(failures) == 1 and "mart_x" in failures[0] and f"{broken} constraint" in failures[0], (
            failures
        )
    manifest, warehouse = _write(
        tmp_path / "ok", [mart], {("main", "mart_x"): "select 'S1' as street_code, null::double as rate"}
    )
    assert package(manifest, warehouse, tmp_path / "ok" / "release.duckdb") == []


def test_an_empty_table_is_created_from_its_contract(tmp_path):
    mart = _node("mart_x", "main", {"street_code": "varchar", "cases": "bigint"})
    manifest, warehouse = _write(tmp_path, [mart], {})
    db = tmp_path / "release.duckdb"
    assert package(manifest, warehouse, db) == []
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from mart_x").fetchone() == (0,)
    assert [r[1] for r in con.execute("describe mart_x").fetchall()] == ["VARCHAR", "BIGINT"]


def test_spark_sees_the_lake_without_leading_underscores(tmp_path):
    lake = tmp_path / "lake"
    (lake / "_quarantine" / "grid" / "events").mkdir(parents=True)
    (lake / "_quarantine" / "grid" / "events" / "a.parquet").write_bytes(b"x")
    (lake / "grid").mkdir()
    (lake / "grid" / "events.parquet").write_bytes(b"x")
    (lake / "_manifest.parquet").write_bytes(b"x")
    links = _lake_links(lake, tmp_path / "links")
    assert sorted(p.name for p in links.iterdir()) == ["grid", "manifest.parquet", "quarantine"]
    assert (links / "quarantine" / "grid" / "events" / "a.parquet").exists()
    assert _lake_files(lake) == [
        "_manifest.parquet",
        "_quarantine/grid/events/a.parquet",
        "grid/events.parquet",
    ]
