"""The one filter every page query takes: what the user picked, and the streets they may see."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Filter:
    """What a page asks for. Every field is bound by name (``$start`` …) in the queries that use it.

    ``start``/``end`` are a half-open period [start, end) of dates; ``street`` is the street the user
    picked (None: every street); the lists are empty for "all". ``scope`` is the set of streets the
    user may see at all (None: the whole city) — :func:`dashboard.queries.sql.run` applies it to every
    query, so a street user never sees another street's rows whatever the page asks for.
    """

    start: date | None = None
    end: date | None = None
    street: str | None = None
    sources: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    period_type: str | None = None
    scope: tuple[str, ...] | None = None

    def with_scope(self, scope: tuple[str, ...] | None) -> Filter:
        return self if scope == self.scope else replace(self, scope=scope)

    def params(self) -> dict[str, Any]:
        """Field name → the value DuckDB binds (tuples as lists, so ``$sources::varchar[]`` casts)."""
        return {f.name: list(v) if isinstance(v := getattr(self, f.name), tuple) else v for f in fields(self)}


EVERYTHING = Filter()
