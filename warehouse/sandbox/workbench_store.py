"""The workbench's own small database: query history and saved (named, shareable) queries.

Kept in ``$GRIDPULSE_HOME/workbench.db`` (SQLite from the standard library), never inside a
release: releases are rebuilt and pruned, an analyst's saved queries are not. A saved query
has a stable id; the workbench opens it from the URL ``?q=<id>``.

History and saved queries belong to the user who wrote them: a store opened for an ``owner`` lists,
changes and deletes only that user's entries, while a shared link (:meth:`WorkbenchStore.get`) opens
anyone's saved query for whoever may use the workbench. A store opened without an owner (maintenance,
tests) sees every entry. Entries written before owners were kept have none and are listed for no one.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warehouse.home.paths import DataHome

DB_NAME = "workbench.db"
KEEP_HISTORY = 2000  # newest entries kept; older ones are dropped on write
ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: ids are read aloud and typed
HISTORY_COLUMNS = "id, ran_at, sql, status, rows, seconds, message, saved_id, owner"
SAVED_COLUMNS = "id, name, sql, description, created_at, updated_at, owner"
STATUSES = ("ok", "refused", "timeout", "memory", "busy", "error")

SCHEMA = """
create table if not exists history (
    id integer primary key autoincrement,
    ran_at text not null,
    sql text not null,
    status text not null,
    rows integer,
    seconds real,
    message text,
    saved_id text,
    owner text
);
create index if not exists history_ran_at on history (ran_at);
create table if not exists saved (
    id text primary key,
    name text not null,
    sql text not null,
    description text not null default '',
    created_at text not null,
    updated_at text not null,
    owner text
);
"""
OWNED = ("history", "saved")


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    ran_at: str
    sql: str
    status: str
    rows: int | None
    seconds: float | None
    message: str | None
    saved_id: str | None
    owner: str | None = None


@dataclass(frozen=True)
class SavedQuery:
    id: str
    name: str
    sql: str
    description: str
    created_at: str
    updated_at: str
    owner: str | None = None

    @property
    def link(self) -> str:
        """The shareable address, relative to the dashboard's root."""
        return f"workbench?q={self.id}"


def _now() -> str:
    return datetime.now().isoformat(sep=" ", timespec="seconds")


class WorkbenchStore:
    def __init__(self, path: Path, owner: str | None = None):
        self.path = path
        self.owner = owner

    @classmethod
    def for_home(cls, home: DataHome, owner: str | None = None) -> WorkbenchStore:
        return cls(home.root / DB_NAME, owner)

    def _mine(self, sql: str, params: list[object]) -> tuple[str, list[object]]:
        """``sql`` (ending in a where clause) limited to this store's owner, if it has one."""
        if self.owner is None:
            return sql, params
        return sql + " and owner = ?", [*params, self.owner]

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # analysts' SQL text may quote names or numbers: owner-only, like every personal-data file of the home
        # (SQLite gives its journal the database file's mode)
        self.path.touch(mode=0o600, exist_ok=True)
        self.path.chmod(0o600)
        con = sqlite3.connect(self.path, timeout=10)
        try:
            con.execute("pragma journal_mode = wal")
            con.executescript(SCHEMA)
            for table in OWNED:  # a store made before entries had owners
                if "owner" not in {row[1] for row in con.execute(f"pragma table_info({table})")}:
                    con.execute(f"alter table {table} add column owner text")
            with con:  # one transaction, committed on success
                yield con
        finally:
            con.close()

    # ── history ─────────────────────────────────────────────────────────────
    def record(
        self,
        sql: str,
        status: str,
        rows: int | None = None,
        seconds: float | None = None,
        message: str | None = None,
        saved_id: str | None = None,
    ) -> int:
        """Add one run to the history; returns its id."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r} (one of {STATUSES})")
        with self._db() as con:
            cursor = con.execute(
                "insert into history (ran_at, sql, status, rows, seconds, message, saved_id, owner) "
                "values (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    _now(),
                    sql,
                    status,
                    rows,
                    None if seconds is None else round(seconds, 3),
                    message,
                    saved_id,
                    self.owner,
                ),
            )
            con.execute("delete from history where id <= (select max(id) from history) - ?", (KEEP_HISTORY,))
            return int(cursor.lastrowid or 0)

    def history(self, limit: int = 100, search: str | None = None) -> list[HistoryEntry]:
        """This owner's runs, newest first; ``search`` matches the SQL text (case-insensitive)."""
        sql, params = self._mine(f"select {HISTORY_COLUMNS} from history where true", [])
        if search:
            sql += " and sql like ? escape '\\' collate nocase"
            params.append(f"%{_like(search)}%")
        sql += " order by id desc limit ?"
        params.append(limit)
        with self._db() as con:
            return [HistoryEntry(*row) for row in con.execute(sql, params).fetchall()]

    def history_entry(self, entry_id: int) -> HistoryEntry | None:
        with self._db() as con:
            row = con.execute(
                *self._mine(f"select {HISTORY_COLUMNS} from history where id = ?", [entry_id])
            ).fetchone()
        return HistoryEntry(*row) if row else None

    # ── saved queries ───────────────────────────────────────────────────────
    def save(self, name: str, sql: str, description: str = "", query_id: str | None = None) -> SavedQuery:
        """Save a new query, or update this owner's ``query_id`` in place (its id, hence its link, stays).

        Another user's query is not changed (KeyError): saving it again makes a copy of one's own."""
        name, sql = name.strip(), sql.strip()
        if not name:
            raise ValueError("a saved query needs a name")
        if not sql:
            raise ValueError("there is no SQL to save")
        now = _now()
        with self._db() as con:
            if query_id is not None:
                updated = con.execute(
                    *self._mine(
                        "update saved set name = ?, sql = ?, description = ?, updated_at = ? where id = ?",
                        [name, sql, description.strip(), now, query_id],
                    )
                ).rowcount
                if not updated:
                    raise KeyError(f"no saved query with id {query_id!r}")
            else:
                query_id = self._new_id(con)
                con.execute(
                    "insert into saved (id, name, sql, description, created_at, updated_at, owner) "
                    "values (?, ?, ?, ?, ?, ?, ?)",
                    (query_id, name, sql, description.strip(), now, now, self.owner),
                )
        saved = self.get(query_id)
        assert saved is not None
        return saved

    def get(self, query_id: str) -> SavedQuery | None:
        """Any user's saved query by its id: a shared link opens for everyone who may use the workbench."""
        with self._db() as con:
            row = con.execute(
                f"select {SAVED_COLUMNS} from saved where id = ?", (query_id.strip(),)
            ).fetchone()
        return SavedQuery(*row) if row else None

    def saved(self, search: str | None = None) -> list[SavedQuery]:
        """This owner's saved queries, most recently changed first; ``search`` matches name, description or SQL."""
        sql, params = self._mine(f"select {SAVED_COLUMNS} from saved where true", [])
        if search:
            sql += " and (name || ' ' || description || ' ' || sql) like ? escape '\\' collate nocase"
            params.append(f"%{_like(search)}%")
        with self._db() as con:
            return [
                SavedQuery(*row)
                for row in con.execute(sql + " order by updated_at desc, id", params).fetchall()
            ]

    def delete(self, query_id: str) -> bool:
        with self._db() as con:
            return con.execute(*self._mine("delete from saved where id = ?", [query_id])).rowcount > 0

    @staticmethod
    def _new_id(con: sqlite3.Connection) -> str:
        while True:
            candidate = "".join(secrets.choice(ID_ALPHABET) for _ in range(8))
            if not con.execute("select 1 from saved where id = ?", (candidate,)).fetchone():
                return candidate


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
