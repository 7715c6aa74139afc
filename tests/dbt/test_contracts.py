"""What pages and analysts read has an enforced contract: every mart column with its data type."""

from __future__ import annotations

import json

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
