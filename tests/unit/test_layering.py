"""Dependencies point one way: the dashboard may import the warehouse, never the reverse."""

from __future__ import annotations

import ast
from pathlib import Path

WAREHOUSE = Path(__file__).resolve().parents[2] / "warehouse"


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_no_warehouse_module_imports_the_dashboard():
    modules = sorted(WAREHOUSE.rglob("*.py"))
    assert len(modules) > 30, "the warehouse's modules were found"
    offenders = {
        str(path.relative_to(WAREHOUSE.parent)): sorted(
            m for m in imported_modules(path) if m.split(".")[0] == "dashboard"
        )
        for path in modules
    }
    assert {p: m for p, m in offenders.items() if m} == {}
