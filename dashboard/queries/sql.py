"""Named SQL files, loaded once, run with DuckDB named parameters bound from a :class:`Filter`.

A query is ``dashboard/queries/<area>/<name>.sql``. ``{{ fragment }}`` pulls in ``_fragment.sql`` of the
same area (the case-set predicate several queries share). Parameters are ``$name``: the fields of
:class:`~dashboard.queries.filter.Filter` and the extra keyword arguments of the query's function.

Every file reads ``$scope`` (the streets the user may see) unless its first line says why it need not:
``-- scope: none — <reason>``. :func:`run` puts the session's scope into the filter, so this is the one
place a user's data scope is applied.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import polars as pl

from .filter import Filter

ROOT = Path(__file__).parent
PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
INCLUDE = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
SCOPE_FREE = "-- scope: none"
FILTER_FIELDS = frozenset(f.name for f in fields(Filter))


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    params: frozenset[str]

    @property
    def scoped(self) -> bool:
        return "scope" in self.params


@functools.cache
def load(area: str, name: str) -> Query:
    """``<area>/<name>.sql`` with its fragments expanded; raises if it neither reads nor waives ``$scope``."""
    folder = ROOT / area
    text = (folder / f"{name}.sql").read_text(encoding="utf-8")
    while INCLUDE.search(text):  # fragments may pull in fragments
        text = INCLUDE.sub(
            lambda m: (folder / f"_{m.group(1)}.sql").read_text(encoding="utf-8").strip(), text
        )
    query = Query(f"{area}/{name}", text, frozenset(PARAM.findall(text)))
    if not query.scoped and not text.startswith(SCOPE_FREE):
        raise ValueError(f"{query.name}.sql neither reads $scope nor says '{SCOPE_FREE} — why'")
    return query


def all_queries() -> list[Query]:
    return [load(p.parent.name, p.stem) for p in sorted(ROOT.glob("*/*.sql")) if not p.stem.startswith("_")]


SCOPE_KEY = "data_scope"  # set by dashboard.access from the signed-in user, on every run
NOBODY: tuple[str, ...] = ()


def session_scope() -> tuple[str, ...] | None:
    """The streets this session's user may see (None: all), as :mod:`dashboard.access` set it this run.

    Outside a Streamlit run (the CLI, scripts, tests calling a query function) there is no session and no
    scope. Inside one, a missing entry means no user was resolved: no street at all (fail closed).
    """
    import streamlit as st

    if not st.runtime.exists():  # the CLI, scripts, tests calling a query function: no session, no scope
        return None
    scope = st.session_state.get(SCOPE_KEY, NOBODY)
    return tuple(scope) if scope is not None else None


def narrowed(asked: tuple[str, ...] | None, allowed: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """The scope a query runs with: what a page asked for, never wider than what the user may see."""
    if allowed is None:
        return asked
    if asked is None:
        return allowed
    return tuple(s for s in asked if s in allowed)


def bind(query: Query, f: Filter, **extra: Any) -> dict[str, Any]:
    """The named parameters ``query`` reads, from the filter and ``extra`` (an unknown extra is an error).

    A filter field (``scope`` above all) comes only from the filter: an extra of that name is refused, so
    no caller can slip a wider scope past :func:`run`."""
    shadowing = set(extra) & FILTER_FIELDS
    if shadowing:
        raise TypeError(f"{query.name}: {sorted(shadowing)} must come from the Filter, not a keyword")
    unknown = set(extra) - query.params
    if unknown:
        raise TypeError(f"{query.name}: no parameter {sorted(unknown)}")
    values = {**f.params(), **{k: list(v) if isinstance(v, tuple) else v for k, v in extra.items()}}
    missing = query.params - set(values)
    if missing:
        raise TypeError(f"{query.name}: missing parameter {sorted(missing)}")
    return {k: values[k] for k in sorted(query.params)}


def scoped(f: Filter, allowed: tuple[str, ...] | None) -> Filter:
    """``f`` as it runs for a user who may see ``allowed``: its scope narrowed to that, and the street of a
    one-street user filled in where the page asked for "every street"."""
    scope = narrowed(f.scope, allowed)
    out = f.with_scope(scope)
    if f.street is None and scope is not None and len(scope) == 1:
        out = replace(out, street=scope[0])
    return out


def run(area: str, name: str, f: Filter, **extra: Any) -> pl.DataFrame:
    """Run ``<area>/<name>.sql`` on the current release with the session's data scope applied."""
    from dashboard import db
    from dashboard.i18n import localized_divisions

    query = load(area, name)
    return localized_divisions(db.fetch(query.text, bind(query, scoped(f, session_scope()), **extra)))
