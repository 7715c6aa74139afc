"""The marts as documented by dbt, and dbt's test results — read from a release's ``target/``.

``target/manifest.json`` carries every model's description, ``meta.grain`` and column
descriptions; ``target/run_results.json`` every model's and test's status. Both are written by
`gridpulse build` into the release folder, so the docs always describe the release being queried.
The docs are Chinese first: ``description`` (persisted as the DuckDB comment) and ``meta.grain`` are
Chinese, the English is in ``meta.description_en`` / ``meta.grain_en``; a page asks for its language.
No Streamlit here: the pages cache what these functions return.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MART_PREFIXES = ("dim_", "fct_", "mart_")  # the tables analysts query (same as warehouse.release.build)
KINDS = {"dim_": "dimension", "fct_": "fact", "mart_": "mart"}


# The docs are searched in both languages whichever the page shows; a Chinese word also matches
# through these English stems (and the column names they are part of).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "超期": ("overdue",),
    "逾期": ("overdue",),
    "返工": ("rework",),
    "延期": ("extension", "extended"),
    "按期": ("on time", "on-time", "ontime"),
    "结案": ("clos",),
    "办结": ("clos",),
    "作废": ("cancel",),
    "街道": ("street",),
    "社区": ("community",),
    "网格": ("grid",),
    "小区": ("compound",),
    "部门": ("department",),
    "单位": ("unit",),
    "党员": ("member",),
    "报到": ("report-in", "report_in", "reported"),
    "时长": ("hours", "minutes"),
    "满意": ("satisf",),
    "排名": ("rank",),
    "名次": ("rank",),
    "得分": ("score",),
    "来源": ("source", "channel"),
    "渠道": ("channel",),
    "物业": ("property",),
    "考评": ("assessment",),
    "红榜": ("list",),
    "黑榜": ("list",),
    "设备": ("device",),
    "案件": ("case",),
    "案卷": ("case",),
    "事件": ("event",),
    "日期": ("date",),
    "月": ("month",),
    "季度": ("quarter",),
    "类别": ("categor",),
    "紧急": ("urgen",),
    "期限": ("deadline",),
    "数据健康": ("health",),
    "隔离": ("quarantin",),
    "坐标": ("lon", "lat"),
    "三率": ("response_rate", "resolution_rate", "satisfaction_rate"),
}


def _found(word: str, *texts: str) -> bool:
    needles = (word.lower(), *SYNONYMS.get(word, ()))
    return any(n in text.lower() for n in needles for text in texts)


@dataclass(frozen=True)
class ColumnDoc:
    name: str
    type: str
    description: str  # in the page's language
    other: str = ""  # the other language's, searched too

    def matches(self, word: str) -> bool:
        return _found(word, self.name, self.description, self.other)


@dataclass(frozen=True)
class TableDoc:
    name: str
    kind: str  # dimension | fact | mart
    description: str
    grain: str
    columns: tuple[ColumnDoc, ...]
    other: str = ""  # description and grain in the other language, searched too

    def matches(self, text: str) -> bool:
        """Every word of ``text`` (or one of its synonyms) is in the table's name, description or grain, or a column's."""
        return all(
            self.table_matches(word) or any(c.matches(word) for c in self.columns) for word in text.split()
        )

    def table_matches(self, text: str) -> bool:
        """Every word of ``text`` (or a synonym) is in the table's own name, description or grain."""
        return all(_found(word, self.name, self.description, self.grain, self.other) for word in text.split())


@dataclass(frozen=True)
class DbtResult:
    name: str
    kind: str  # test | unit_test | model | seed
    status: str  # pass | fail | warn | error | skipped | success
    failures: int | None
    message: str
    seconds: float | None
    model: str


def read_manifest(target: Path) -> dict[str, Any]:
    try:
        return json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _meta(node: dict[str, Any]) -> dict[str, Any]:
    return {**(node.get("meta") or {}), **((node.get("config") or {}).get("meta") or {})}


def _text(node: dict[str, Any], key: str, lang: str) -> str:
    """``key`` of a node in ``lang``: the Chinese is the property itself, the English ``meta.<key>_en``."""
    zh = node.get(key) if key == "description" else _meta(node).get(key)
    text = _meta(node).get(f"{key}_en") if lang == "en" else zh
    return str(text or "").strip()


def model_docs(manifest: dict[str, Any], lang: str = "zh") -> dict[str, dict[str, Any]]:
    """Documented models by name: description, grain and column descriptions in ``lang`` (zh or en)."""
    docs: dict[str, dict[str, Any]] = {}
    for node in (manifest.get("nodes") or {}).values():
        if node.get("resource_type") != "model":
            continue
        docs[node.get("alias") or node["name"]] = {
            "description": _text(node, "description", lang),
            "grain": _text(node, "grain", lang),
            "columns": {
                name: _text(col, "description", lang) for name, col in (node.get("columns") or {}).items()
            },
        }
    return docs


def mart_schema(target: Path, columns: list[tuple[str, str, str]], lang: str = "zh") -> list[TableDoc]:
    """The marts that exist in the release (``columns``: table, column, type in column order) with their docs.

    The database decides what exists; the manifest adds what it means, in ``lang`` (the other
    language's text is kept for search). Undocumented tables and columns have an empty description.
    """
    manifest = read_manifest(target)
    docs = model_docs(manifest, lang)
    others = model_docs(manifest, "zh" if lang == "en" else "en")
    by_table: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in columns:
        if table.startswith(MART_PREFIXES):
            by_table.setdefault(table, []).append((column, kind))
    tables = []
    for name in sorted(by_table, key=lambda n: (list(KINDS).index(n[: n.index("_") + 1]), n)):
        doc, other = docs.get(name, {}), others.get(name, {})
        described, alt = doc.get("columns", {}), other.get("columns", {})
        tables.append(
            TableDoc(
                name=name,
                kind=KINDS[name[: name.index("_") + 1]],
                description=doc.get("description", ""),
                grain=doc.get("grain", ""),
                columns=tuple(
                    ColumnDoc(c, k, described.get(c, ""), alt.get(c, "")) for c, k in by_table[name]
                ),
                other=f"{other.get('description', '')} {other.get('grain', '')}",
            )
        )
    return tables


def search(tables: list[TableDoc], text: str) -> list[TableDoc]:
    return [t for t in tables if t.matches(text)]


def dbt_results(target: Path) -> list[DbtResult]:
    """Every result in ``run_results.json``: failures and errors first, then by name."""
    try:
        results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    nodes = (read_manifest(target).get("nodes") or {}) if results else {}
    out = []
    for r in results:
        uid = r.get("unique_id", "")
        parts = uid.split(".")
        if parts[:1] == ["exposure"]:  # a page's lineage, not a check: dbt reports it as a no-op
            continue
        node = nodes.get(uid) or {}
        attached = node.get("attached_node") or ""
        depends = (node.get("depends_on") or {}).get("nodes") or []
        model = (attached or (depends[0] if depends else "")).split(".")[-1]
        lines = (r.get("message") or "").strip().splitlines()
        out.append(
            DbtResult(
                name=parts[2] if len(parts) > 2 else uid,
                kind=parts[0] if parts else "",
                status=str(r.get("status") or ""),
                failures=r.get("failures"),
                message=lines[0] if lines else "",
                seconds=round(r["execution_time"], 3)
                if isinstance(r.get("execution_time"), int | float)
                else None,
                model=model if parts[:1] != ["model"] else "",
            )
        )
    order = {"error": 0, "fail": 1, "runtime error": 1, "warn": 2}
    return sorted(out, key=lambda t: (order.get(t.status, 3), t.kind, t.name))
