"""Reference tables shared with the warehouse, read from its seeds (``seeds/``, packaged in the wheel)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import cache

from warehouse.resources import seeds_dir

SEEDS = seeds_dir()
URGENCIES = ("一般", "较急", "紧急")


def _rows(name: str) -> list[dict[str, str]]:
    with open(SEEDS / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    type: str


@dataclass(frozen=True)
class CaseCategory:
    code: str
    problem_type: str
    major: str
    minor: str
    department: str
    # (value, unit) per urgency in URGENCIES order; unit is "hours" or "workdays"
    deadlines: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class ListRule:
    """The active 红/黑榜 rule (seeds/property_list_rule.csv); None thresholds mean no threshold."""

    red_top_n: int
    red_min_score: float | None
    black_bottom_n: int
    black_max_score: float | None
    veto_forces_black: bool
    ties_split: bool
    rule_id: str
    description: str


@dataclass(frozen=True)
class Reference:
    departments: tuple[Department, ...]
    case_categories: tuple[CaseCategory, ...]
    grid_event_categories: tuple[tuple[str, str], ...]
    workdays: dict[date, bool]
    list_rule: ListRule

    def department(self, code: str) -> Department:
        return next(d for d in self.departments if d.code == code)


def _optional_float(text: str) -> float | None:
    return float(text) if text.strip() else None


def _flag(text: str) -> bool:
    return text.strip().lower() in ("true", "1", "yes", "是")


@cache
def load_reference() -> Reference:
    departments = tuple(
        Department(r["department_code"], r["department_name"], r["department_type"])
        for r in _rows("departments.csv")
    )
    deadlines: dict[str, dict[str, tuple[int, str]]] = {}
    for r in _rows("case_category_deadlines.csv"):
        deadlines.setdefault(r["category_code"], {})[r["urgency"]] = (
            int(r["deadline_value"]),
            r["deadline_unit"],
        )
    categories = tuple(
        CaseCategory(
            r["category_code"],
            r["problem_type"],
            r["category_major"],
            r["category_minor"],
            r["default_department_code"],
            tuple(deadlines[r["category_code"]][u] for u in URGENCIES),
        )
        for r in _rows("case_categories.csv")
    )
    events = tuple((r["category_major"], r["category_minor"]) for r in _rows("grid_event_categories.csv"))
    calendar = SEEDS / "work_calendar.csv"
    workdays = (
        {date.fromisoformat(r["date"]): _flag(r["is_workday"]) for r in _rows(calendar.name)}
        if calendar.exists()
        else {}
    )
    active = [r for r in _rows("property_list_rule.csv") if _flag(r.get("is_active", "true"))][0]
    rule = ListRule(
        red_top_n=int(active["red_top_n_per_street"]),
        red_min_score=_optional_float(active.get("red_min_score", "")),
        black_bottom_n=int(active["black_bottom_n_overall"]),
        black_max_score=_optional_float(active.get("black_max_score", "")),
        veto_forces_black=_flag(active.get("veto_forces_black", "true")),
        ties_split=_flag(active.get("ties_split", "false")),
        rule_id=active.get("rule_id", ""),
        description=active.get("description", ""),
    )
    return Reference(departments, categories, events, workdays, rule)
