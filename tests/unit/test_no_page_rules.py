"""dbt owns every rate, denominator, status rule and target (issue 16): the dashboard only filters, groups and
counts. A page's rate over a freely filtered set is the one allowed division, counting a fact's flags:

    count(*) filter (where <hit flag>) / nullif(count(*) filter (where <in_…_base flag>), 0)

so the warehouse names both the numerator and the base (fct_case_due_by_period, fct_platform_cases,
fct_case_funnel_steps carry them). Everything else a page shows as a rate is a mart column.

These tests grep the dashboard's SQL and Python for what would restate a rule — a division of counts, a
compound status condition, a numeric threshold — outside the documented allow-lists below.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"

# The one documented rule in Python: the what-if re-ranking (dashboard/whatif.py re-scores the ranking
# with weights the user moves, and tests/unit/test_whatif.py holds it to the dbt ranking).
# The other modules divide geometry, layout or progress, never a count of cases.
PYTHON_DIVIDES = {
    "whatif.py": "the what-if re-ranking, the one documented exception (parity-tested against dbt)",
    "charts/screens.py": "map geometry: centres, offsets, zoom from degrees and pixels",
    "bulletin_doc/word.py": "the Word table's column widths",
    "refresh_panel.py": "the refresh progress bar",
    "formatting.py": "a KPI's relative change against its comparison, as text",
}
# Divisions a page still does in Python, each named with what is left to move (issue 16): none.
PYTHON_PENDING: dict[str, str] = {}
# SQL that divides something other than counts.
SQL_DIVIDES = {
    "screens/case_bins.sql": "map binning: a coordinate over the cell size",
}
# A divisor that converts a unit (minutes → hours, hours → days, seconds → days, bytes → KiB).
UNIT = r"(?:60|24|1440|3600|86400|1024)(?:\.0)?"
FLAG = r"(?:\w+\.)?(?:is|has)_\w+"
BASE = r"(?:\w+\.)?in_\w+_base"
RATIO = re.compile(
    rf"count\(\*\)\s+filter\s*\(\s*where\s+{FLAG}\s*\)\s*/\s*"
    rf"nullif\(\s*count\(\*\)\s+filter\s*\(\s*where\s+{BASE}\s*\)\s*,\s*0\s*\)",
    re.IGNORECASE,
)
UNIT_DIVISION = re.compile(rf"/\s*{UNIT}\b")
FILTER = re.compile(r"filter\s*\(\s*where\b", re.IGNORECASE)
WHEN = re.compile(r"\bwhen\b(.*?)\bthen\b", re.IGNORECASE | re.DOTALL)
COMPOUND = re.compile(r"\b(?:and|or)\b|\bnot\b(?!\s+null)", re.IGNORECASE)
STATUS_TERM = re.compile(
    r"\b(?:is|has|in)_\w+|\b\w*status\w*\b|\bstage_no\b|\bresolution_rank\b", re.IGNORECASE
)
THRESHOLD = re.compile(r"[<>]=?\s*0?\.\d+|\b0?\.\d+\s*[<>]=?")
# a flag restated from a count (``rollback_count > 0``): the fact carries the flag
COUNT_RULE = re.compile(r"\b\w+_count\s*(?:[<>]=?|=)\s*\d")


def code_of(sql: str) -> str:
    """``sql`` without comments and string literals (kept as empty quotes), lines preserved."""
    sql = re.sub(r"--[^\n]*", "", sql)
    return re.sub(r"'(?:[^']|'')*'", "''", sql)


def parenthesised(text: str, start: int) -> str:
    """The text from ``start`` to the parenthesis that closes the one open at ``start``."""
    depth = 1
    for i in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return text[start:i]
    return text[start:]


def sql_findings(name: str, sql: str) -> list[str]:
    code = code_of(sql)
    found = []
    rest = UNIT_DIVISION.sub(" ", RATIO.sub(" ", code))
    if "/" in rest and name not in SQL_DIVIDES:
        line = next(x for x in rest.splitlines() if "/" in x)
        found.append(f"{name}: divides — {line.strip()}")
    for m in FILTER.finditer(code):
        condition = parenthesised(code, m.end())
        if COMPOUND.search(condition):
            found.append(f"{name}: compound count condition — filter (where {' '.join(condition.split())})")
    for m in WHEN.finditer(code):
        if COMPOUND.search(m.group(1)) and STATUS_TERM.search(m.group(1)):
            found.append(f"{name}: compound status rule — when {' '.join(m.group(1).split())}")
    for m in THRESHOLD.finditer(code):
        found.append(f"{name}: numeric threshold — {m.group(0)}")
    for m in COUNT_RULE.finditer(code):
        found.append(f"{name}: a flag restated from a count — {m.group(0)}")
    return found


def dashboard_sql() -> dict[str, str]:
    return {
        str(p.relative_to(DASHBOARD / "queries")): p.read_text(encoding="utf-8")
        for p in sorted((DASHBOARD / "queries").rglob("*.sql"))
        # the workbench's examples are analysts' SQL over the marts, shown as examples, not page rules
        if "examples" not in p.parts
    }


def python_divisions(path: Path) -> list[str]:
    """Divisions in ``path`` whose divisor is neither a number (a unit) nor a path join's string."""
    src = path.read_text(encoding="utf-8")
    found = []
    for node in ast.walk(ast.parse(src, str(path))):
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)):
            continue
        left, right = node.left, node.right
        if isinstance(right, ast.Constant) or isinstance(left, ast.Constant) and isinstance(left.value, str):
            continue  # a unit conversion, or a string
        if isinstance(right, ast.JoinedStr) or "path" in ast.unparse(left).lower():
            continue  # a path join
        if any(w in ast.unparse(left) for w in ("ROOT", "STYLES", "EXAMPLES", "release_dir", "out", "home")):
            continue
        found.append(f"{path.relative_to(DASHBOARD)}:{node.lineno}: {ast.get_source_segment(src, node)}")
    return found


def test_the_checks_catch_what_issue_16_moved_out():
    """The patterns the pages used to hold are caught (so the grep below can fail)."""
    old = {
        "compound": "select count(*) filter (where is_disposed and is_disposed_on_time) as n from t",
        "page_denominator": "select count(*) filter (where is_disposed) / nullif(count(*), 0) from t",
        "restated_rule": (
            "select count(*) filter (where is_closed_on_time)"
            " / nullif(count(*) filter (where is_closed and is_closed_on_time is not null), 0) from t"
        ),
        "summed_rate": "select sum(closed_cases) / nullif(sum(due_cases), 0) from t",
        "status_case": "select case when is_closed and not is_cancelled then 1 end from t",
        "target": "select closure_rate >= 0.9 from t",
        "count_rule": "select count(*) filter (where rollback_count > 0) from t",
    }
    assert all(sql_findings(name, sql) for name, sql in old.items()), {
        n: sql_findings(n, s) for n, s in old.items()
    }
    allowed = (
        "select count(*) filter (where s.is_ontime_closure_hit)\n"
        "    / nullif(count(*) filter (where s.in_ontime_closure_base), 0) as r,\n"
        "  median(minutes_report_to_close) / 60.0 as h, count(*) filter (where is_open) as n -- a / b\n"
        "from t where status = 'a/b'"
    )
    assert sql_findings("allowed.sql", allowed) == []


def test_no_page_sql_restates_a_rate_a_status_rule_or_a_target():
    queries = dashboard_sql()
    assert len(queries) > 60, "the page queries were found"
    findings = [f for name, sql in queries.items() for f in sql_findings(name, sql)]
    assert findings == [], "\n".join(findings)


def test_no_page_python_divides_counts():
    modules = sorted(DASHBOARD.rglob("*.py"))
    assert len(modules) > 30, "the dashboard's modules were found"
    allowed = set(PYTHON_DIVIDES) | set(PYTHON_PENDING)
    findings = [
        f
        for path in modules
        if str(path.relative_to(DASHBOARD)) not in allowed
        for f in python_divisions(path)
    ]
    assert findings == [], "\n".join(findings)


def test_the_allow_lists_name_only_modules_that_still_divide():
    """An allow-list entry whose module no longer divides is stale: remove it."""
    for rel in {**PYTHON_DIVIDES, **PYTHON_PENDING}:
        path = DASHBOARD / rel
        assert path.exists(), rel
        src = path.read_text(encoding="utf-8")
        assert any(
            isinstance(n, ast.BinOp) and isinstance(n.op, ast.Div) for n in ast.walk(ast.parse(src))
        ), f"{rel} no longer divides: take it off the allow-list"
    for rel in SQL_DIVIDES:
        assert "/" in code_of((DASHBOARD / "queries" / rel).read_text(encoding="utf-8")), rel
