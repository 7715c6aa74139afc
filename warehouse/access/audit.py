"""The audit trail: who signed in, ran which SQL, downloaded what, changed which account or screen,
uploaded which exports and refreshed the warehouse with what result.

One JSON object per line in ``$GRIDPULSE_HOME/audit/audit.jsonl`` (owner-only), only ever appended
to. Each entry has ``at`` (UTC, ISO 8601), ``event`` and ``user``; the rest depends on the event.
Passwords and kiosk tokens are never written here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from warehouse.home.paths import DataHome
from warehouse.home.private_files import append_private

EVENTS = (
    "login_success",
    "login_failure",
    "lockout",
    "logout",
    "sql",
    "export",
    "user_change",
    "screen_change",
    "screen_open",
    "upload",
    "refresh",
)
SECRET_KEYS = {"password", "token", "password_hash", "token_sha256"}


def record(home: DataHome, event: str, user: str | None, **details: Any) -> dict[str, Any]:
    if event not in EVENTS:
        raise ValueError(f"unknown audit event {event!r}")
    leaked = SECRET_KEYS & details.keys()
    if leaked:
        raise ValueError(f"secrets never go into the audit log: {sorted(leaked)}")
    entry = {
        "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "event": event,
        "user": user,
        **details,
    }
    append_private(home.audit_log, (json.dumps(entry, ensure_ascii=False, default=str) + "\n").encode())
    return entry


def read(
    home: DataHome,
    since: datetime | None = None,
    events: Iterable[str] | None = None,
    user: str | None = None,
) -> list[dict[str, Any]]:
    """Entries in the order written, filtered (``since`` compares in UTC; a naive time is taken as UTC)."""
    if not home.audit_log.exists():
        return []
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    wanted = set(events) if events else None
    entries = []
    with home.audit_log.open(encoding="utf-8") as lines:
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # a line cut short by a full disk: the rest is still readable
            if wanted and entry.get("event") not in wanted:
                continue
            if user and entry.get("user") != user:
                continue
            if since and datetime.fromisoformat(entry["at"]) < since:
                continue
            entries.append(entry)
    return entries


def format_entry(entry: dict[str, Any]) -> str:
    rest = {k: v for k, v in entry.items() if k not in ("at", "event", "user")}
    details = " ".join(f"{k}={json.dumps(v, ensure_ascii=False, default=str)}" for k, v in rest.items())
    return f"{entry['at']}  {entry['event']:<13}  {entry.get('user') or '-':<16}  {details}".rstrip()
