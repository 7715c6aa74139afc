"""Which marts each dashboard page reads, found from the code (not from the exposures that should say so).

A page is ``dashboard/views/<name>.py``. It reads marts through the named query files
(``dashboard/queries/<area>/<name>.sql``, called as ``<area>.<function>(…)``) and through the dashboard modules
it imports (the freshness footer, source coverage, the 通报 buttons …), followed transitively. A mart's name
written in Python (``db.has_table("mart_x")``) counts too.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DASHBOARD = REPO / "dashboard"
QUERIES = DASHBOARD / "queries"
WORD = re.compile(r"\b[a-z][a-z0-9_]*\b")


def routes() -> dict[str, str]:
    """View name → URL path, from the entrypoint's ROUTES table."""
    tree = ast.parse((DASHBOARD / "app.py").read_text(encoding="utf-8"))
    table = next(
        n.value
        for n in tree.body
        if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "ROUTES"
    )
    return {
        Path(script).stem: path
        for section in ast.literal_eval(table).values()
        for path, script, *_ in section
    }


def _module_file(parts: list[str]) -> Path | None:
    base = REPO.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def _package(path: Path) -> list[str]:
    rel = path.relative_to(REPO).with_suffix("").parts
    return list(rel[:-1])  # a module's package (…/__init__ is its own package's module)


def _imports(path: Path) -> tuple[set[Path], dict[str, str]]:
    """Dashboard modules ``path`` imports, and the names it binds to query areas (``desk``, ``coverage_queries``)."""
    modules: set[Path] = set()
    areas: dict[str, str] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        base = _package(path)[: len(_package(path)) - node.level + 1] if node.level else []
        parts = base + (node.module.split(".") if node.module else [])
        if not parts or parts[0] != "dashboard":
            continue
        for alias in node.names:
            target = parts + [alias.name]
            if (
                target[:2] == ["dashboard", "queries"]
                and len(target) == 3
                and (QUERIES / alias.name).is_dir()
            ):
                areas[alias.asname or alias.name] = alias.name
                continue
            found = _module_file(target) or _module_file(parts)
            if found and QUERIES not in found.parents:
                modules.add(found)
    return modules, areas


def _area_queries(area: str) -> dict[str, set[str]]:
    """Function name → the SQL files it runs, for one query area."""
    stems = {p.stem for p in (QUERIES / area).glob("*.sql")}
    tree = ast.parse((QUERIES / area / "__init__.py").read_text(encoding="utf-8"))
    return {
        fn.name: {c.value for c in ast.walk(fn) if isinstance(c, ast.Constant) and c.value in stems}
        for fn in tree.body
        if isinstance(fn, ast.FunctionDef)
    }


def _sql(area: str, stem: str) -> str:
    from dashboard.queries.sql import load

    return load(area, stem).text


def reads(view: str, marts: set[str]) -> dict[str, set[str]]:
    """Mart → where page ``view`` reads it (query files and modules), following its dashboard imports."""
    found: dict[str, set[str]] = {}
    todo, seen = [DASHBOARD / "views" / f"{view}.py"], set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        modules, areas = _imports(path)
        todo += [m for m in modules if m not in seen]
        text = path.read_text(encoding="utf-8")
        for word in set(WORD.findall(text)) & marts:
            found.setdefault(word, set()).add(str(path.relative_to(REPO)))
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in areas
            ):
                area = areas[node.value.id]
                for stem in _area_queries(area).get(node.attr, ()):
                    for word in set(WORD.findall(_sql(area, stem))) & marts:
                        found.setdefault(word, set()).add(f"dashboard/queries/{area}/{stem}.sql")
    return found
