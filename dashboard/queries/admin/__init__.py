"""The analyst and data-admin pages' queries (workbench, data health).

Release queries run through :func:`dashboard.queries.sql.run`; the ``lake_*`` queries run on the Parquet lake
in a throwaway in-memory DuckDB (never the release connection). ``examples/`` hold what an analyst starts
from in the workbench: each runs in the sandbox on the demo marts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from ..filter import Filter
from ..sql import load, run

AREA = "admin"
EXAMPLES = Path(__file__).parent / "examples"
# label key (dashboard/labels/admin.py) → example SQL, in the order the workbench lists them
EXAMPLE_ORDER = [
    "overdue_by_street",
    "department_rework",
    "unit_report_in_hours",
    "street_ranking",
    "three_rates",
    "cases_by_source",
]
WORKBENCH_EXAMPLES: dict[str, str] = {
    f"example_{name}": (EXAMPLES / f"{name}.sql").read_text(encoding="utf-8") for name in EXAMPLE_ORDER
}


def example_sql(key: str, language: str) -> str:
    """An example in the UI's language: its opening comment is written in both (Chinese lines first), and
    only the lines of ``language`` are kept; the SQL below it is the same in both."""
    lines = WORKBENCH_EXAMPLES[key].strip().splitlines()
    head = next((i for i, line in enumerate(lines) if not line.startswith("--")), len(lines))
    chinese = [line for line in lines[:head] if any("\u4e00" <= ch <= "\u9fff" for ch in line)]
    english = [line for line in lines[:head] if line not in chinese]
    return "\n".join((chinese if language == "zh" else english) + lines[head:]) + "\n"


def mart_columns(f: Filter) -> pl.DataFrame:
    return run(AREA, "mart_columns", f)


def source_health(f: Filter) -> pl.DataFrame:
    return run(AREA, "source_health", f)


def lake_frame(name: str, **params: Any) -> pl.DataFrame:
    """Run ``admin/<name>.sql`` on the Parquet lake in a throwaway in-memory DuckDB."""
    query = load(AREA, name)
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    try:
        return pl.from_arrow(con.sql(query.text, params=params).to_arrow_table())
    finally:
        con.close()


def lake_files(folder: Path, pattern: str) -> list[str]:
    """Parquet files under ``folder`` matching ``pattern`` (temporary files of a running load excluded)."""
    if not folder.exists():
        return []
    return sorted(str(p) for p in folder.glob(pattern) if not p.name.startswith("."))
