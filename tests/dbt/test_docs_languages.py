"""The marts' docs are Chinese first, with the English beside them (issue 16 §2: no English column docs in the
Chinese UI). ``description`` (persisted as the DuckDB comment, so any client sees it) and ``meta.grain`` are
Chinese; ``meta.description_en`` / ``meta.grain_en`` carry the English the English UI shows."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

MARTS = Path(__file__).resolve().parents[2] / "dbt_project" / "models" / "marts"
MART_PREFIXES = ("dim_", "fct_", "mart_")
CJK = re.compile(r"[\u4e00-\u9fff]")


def is_chinese(text: str) -> bool:
    return len(CJK.findall(text or "")) >= 2


def is_english(text: str) -> bool:
    """English prose: it opens with a Latin word (Chinese terms and data values may follow in it)."""
    return (
        bool(text) and bool(re.match(r"[\"'`(]?[A-Za-z0-9]", text)) and bool(re.search("[A-Za-z]{3}", text))
    )


def documented_marts() -> list[dict]:
    models = []
    for path in sorted(MARTS.glob("*.yml")):
        models += [m for m in yaml.safe_load(path.read_text(encoding="utf-8")).get("models") or []]
    return [m for m in models if m["name"].startswith(MART_PREFIXES)]


def test_the_checks_tell_chinese_from_english():
    assert is_chinese("街道编码（9 位），来自 dim_streets。") and not is_chinese("Street (街) code.")
    assert is_english("Street (街道) code.") and is_english("Urgency (紧急程度): 一般 / 较急 / 紧急.")
    assert not is_english("街道 name.") and not is_english("备注.") and not is_english("")


def test_every_mart_and_every_column_has_chinese_and_english_docs():
    marts = documented_marts()
    assert len(marts) > 30
    missing = []
    for model in marts:
        meta = (model.get("config") or {}).get("meta") or {}
        pairs = {
            model["name"]: (model.get("description"), meta.get("description_en")),
            f"{model['name']} (grain)": (meta.get("grain"), meta.get("grain_en")),
        }
        for column in model.get("columns") or []:
            column_meta = (column.get("config") or {}).get("meta") or {}
            pairs[f"{model['name']}.{column['name']}"] = (
                column.get("description"),
                column_meta.get("description_en"),
            )
        missing += [
            (name, zh, en)
            for name, (zh, en) in pairs.items()
            if not is_chinese(str(zh or "")) or not is_english(str(en or "")) or zh == en
        ]
    assert missing == [], missing[:10]
