"""Read-only access to the current warehouse release.

The connection is cached per release file (``st.cache_resource``); every run
re-resolves the ``current`` pointer (a readlink), so a newly built release is
picked up on the next rerun — within a minute for self-refreshing pages — and
the old connection is closed when its cache entry is dropped. Results are
cached per release and query (``st.cache_data`` with a TTL). A release never
changes once built, so the key (its file, the SQL, the parameters) is what keeps
results current; the TTL only bounds how long a result sits in memory (and how
stale the few clock-relative figures, like data health's lag to today, may be).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import streamlit as st

from warehouse.home.paths import DataHome
from warehouse.release.releases import current_release_db, open_release, read_meta

RESULT_TTL_S = 600


def home() -> DataHome:
    return DataHome.from_env()


def release_path() -> Path | None:
    return current_release_db(home())


def _close(con: duckdb.DuckDBPyConnection) -> None:
    con.close()


@st.cache_resource(max_entries=2, on_release=_close, show_spinner=False)
def _connect(path: str) -> duckdb.DuckDBPyConnection:
    return open_release(Path(path))


@st.cache_data(ttl=RESULT_TTL_S, max_entries=512, show_spinner=False)
def _query(path: str, sql: str, params: tuple[tuple[str, Any], ...]) -> pl.DataFrame:
    cursor = _connect(path).cursor()  # one cursor per query: safe across Streamlit's threads
    try:
        bound = {k: list(v) if isinstance(v, tuple) else v for k, v in params}
        return pl.from_arrow(cursor.sql(sql, params=bound or None).to_arrow_table())
    finally:
        cursor.close()


def fetch(sql: str, params: dict[str, Any]) -> pl.DataFrame:
    """Run SQL with named parameters against the current release (empty frame before the first build).

    Pages call the typed functions of :mod:`dashboard.queries`, which call this.
    """
    path = release_path()
    if path is None:
        return pl.DataFrame()
    frozen = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in sorted(params.items()))
    return _query(str(path), sql, frozen)


def has_table(name: str) -> bool:
    path = release_path()
    if path is None:
        return False
    tables = _query(
        str(path), "select table_name from information_schema.tables where table_schema = 'main'", ()
    )
    return name in set(tables["table_name"].to_list())


def release_meta() -> dict[str, Any] | None:
    path = release_path()
    return read_meta(path.parent) if path else None
