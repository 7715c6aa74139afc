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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from .filter import Filter

ROOT = Path(__file__).parent
PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
INCLUDE = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
SCOPE_FREE = "-- scope: none"


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


def session_scope() -> tuple[str, ...] | None:
    """The streets the signed-in user may see (None: all). Set by the login (issue 18) in session state."""
    import streamlit as st

    try:
        scope = st.session_state.get("data_scope")
    except Exception:  # noqa: BLE001 — outside a Streamlit run (scripts, tests): no session, no scope
        return None
    return tuple(scope) if scope is not None else None


def bind(query: Query, f: Filter, **extra: Any) -> dict[str, Any]:
    """The named parameters ``query`` reads, from the filter and ``extra`` (an unknown extra is an error)."""
    unknown = set(extra) - query.params
    if unknown:
        raise TypeError(f"{query.name}: no parameter {sorted(unknown)}")
    values = {**f.params(), **{k: list(v) if isinstance(v, tuple) else v for k, v in extra.items()}}
    missing = query.params - set(values)
    if missing:
        raise TypeError(f"{query.name}: missing parameter {sorted(missing)}")
    return {k: values[k] for k in sorted(query.params)}


def run(area: str, name: str, f: Filter, **extra: Any) -> pl.DataFrame:
    """Run ``<area>/<name>.sql`` on the current release with the session's data scope applied."""
    from dashboard import db
    from dashboard.i18n import localized_divisions

    query = load(area, name)
    session = session_scope()
    # a page may narrow the session's scope, never widen it
    scope = (
        f.scope
        if session is None
        else session
        if f.scope is None
        else tuple(s for s in f.scope if s in session)
    )
    scoped = f.with_scope(scope)
    return localized_divisions(db.fetch(query.text, bind(query, scoped, **extra)))
