"""What pages and analysts read has an enforced contract: every mart column with its data type."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

MART_PREFIXES = ("dim_", "fct_", "mart_")


def test_every_mart_has_an_enforced_contract_with_typed_columns(warehouse):
    manifest = json.loads(
        (warehouse.release_db.parent / "target" / "manifest.json").read_text(encoding="utf-8")
    )
    marts = [
        n
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["name"].startswith(MART_PREFIXES)
    ]
    assert len(marts) > 30
    for node in marts:
        assert node["config"]["contract"]["enforced"], node["name"]
        untyped = [c for c, col in node["columns"].items() if not col.get("data_type")]
        assert node["columns"] and not untyped, (node["name"], untyped)
        built = [
            r[0]
            for r in warehouse.query(
                "select column_name from information_schema.columns where table_schema = 'main' and table_name = ? "
                "order by ordinal_position",
                [node["name"]],
            )
        ]
        assert built == list(node["columns"]), node["name"]


def _marts(warehouse) -> list[dict]:
    manifest = json.loads(
        (warehouse.release_db.parent / "target" / "manifest.json").read_text(encoding="utf-8")
    )
    return [
        n
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["name"].startswith(MART_PREFIXES)
    ]


def test_the_marts_carry_their_contract_constraints(warehouse, tmp_path):
    """A mart column's not-null and range checks are its contract's constraints: DuckDB enforces them as
    dbt writes the table (no query per check after it). The release's tables carry every one, and a
    row that breaks one is refused."""
    declared = sorted(
        (node["name"], column, constraint["type"])
        for node in _marts(warehouse)
        for column, spec in node["columns"].items()
        for constraint in spec.get("constraints") or []
    )
    assert len(declared) > 150
    built = warehouse.query(
        "select table_name, constraint_column_names[1], "
        "case constraint_type when 'NOT NULL' then 'not_null' else 'check' end "
        "from duckdb_constraints() where schema_name = 'main' and constraint_type in ('NOT NULL', 'CHECK')"
    )
    assert sorted(tuple(r) for r in built) == declared
    copy = tmp_path / "release.duckdb"
    shutil.copy(warehouse.release_db, copy)
    con = duckdb.connect(str(copy))
    try:
        with pytest.raises(duckdb.ConstraintException, match="NOT NULL"):
            con.execute("update dim_streets set street_code = null")
        model, column = next(
            (m, c)
            for m, c, kind in declared
            if kind == "check" and con.execute(f"select count(*) from {m}").fetchone()[0]
        )
        with pytest.raises(duckdb.ConstraintException, match="CHECK"):
            con.execute(f"update {model} set {column} = -1")
    finally:
        con.close()
