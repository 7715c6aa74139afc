"""Source freshness as dbt judged it at build time (``target/sources.json``), and judged again against now.

The thresholds live in the sources' YAML (``config: freshness`` and ``loaded_at_field``); `gridpulse build`
runs ``dbt source freshness`` and keeps a summary per lake table in the release's ``build.json``. A page
shown days after the build asks :meth:`SourceFreshness.status` with the current time, so the same
thresholds still apply: a source fresh at build time turns late while nothing new is built.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

PERIODS = {"minute": timedelta(minutes=1), "hour": timedelta(hours=1), "day": timedelta(days=1)}


@dataclass(frozen=True)
class SourceFreshness:
    lake_table: str  # "<source>/<entity>", as the lake and mart_data_health name it
    max_loaded_at: datetime | None  # the newest record's business time, UTC
    warn_after: timedelta | None
    error_after: timedelta | None
    status_at_build: str  # pass | warn | error | runtime error

    def age(self, now: datetime) -> timedelta | None:
        return now - self.max_loaded_at if self.max_loaded_at is not None else None

    def status(self, now: datetime) -> str:
        """pass | warn | error against ``now`` (aware); "runtime error" when dbt could not measure it."""
        age = self.age(now)
        if age is None:
            return "runtime error" if self.status_at_build == "runtime error" else "error"
        if self.error_after is not None and age > self.error_after:
            return "error"
        if self.warn_after is not None and age > self.warn_after:
            return "warn"
        return "pass"

    def to_meta(self) -> dict[str, Any]:
        return {
            "lake_table": self.lake_table,
            "max_loaded_at": self.max_loaded_at.isoformat() if self.max_loaded_at else None,
            "warn_after_hours": _hours(self.warn_after),
            "error_after_hours": _hours(self.error_after),
            "status_at_build": self.status_at_build,
        }

    @classmethod
    def from_meta(cls, item: dict[str, Any]) -> SourceFreshness:
        return cls(
            lake_table=item["lake_table"],
            max_loaded_at=datetime.fromisoformat(item["max_loaded_at"])
            if item.get("max_loaded_at")
            else None,
            warn_after=_delta(item.get("warn_after_hours")),
            error_after=_delta(item.get("error_after_hours")),
            status_at_build=item.get("status_at_build") or "error",
        )


def read_sources_json(target: Path) -> list[SourceFreshness]:
    """What ``dbt source freshness`` wrote into ``target`` (nothing when it did not run)."""
    try:
        results = json.loads((target / "sources.json").read_text(encoding="utf-8"))["results"]
    except (OSError, ValueError, KeyError):
        return []
    found = []
    for r in results:
        _, _, source, table = r["unique_id"].split(".", 3)
        criteria = r.get("criteria") or {}
        loaded = r.get("max_loaded_at")
        found.append(
            SourceFreshness(
                lake_table=f"{source}/{table}",
                max_loaded_at=datetime.fromisoformat(loaded).astimezone(UTC) if loaded else None,
                warn_after=_threshold(criteria.get("warn_after")),
                error_after=_threshold(criteria.get("error_after")),
                status_at_build=r.get("status") or "runtime error",
            )
        )
    return sorted(found, key=lambda f: f.lake_table)


def from_release_meta(meta: dict[str, Any]) -> list[SourceFreshness]:
    return [SourceFreshness.from_meta(item) for item in meta.get("freshness") or []]


def _threshold(rule: dict[str, Any] | None) -> timedelta | None:
    if not rule or rule.get("count") is None or rule.get("period") not in PERIODS:
        return None
    return rule["count"] * PERIODS[rule["period"]]


def _hours(delta: timedelta | None) -> float | None:
    return delta.total_seconds() / 3600 if delta is not None else None


def _delta(hours: float | None) -> timedelta | None:
    return timedelta(hours=hours) if hours is not None else None
