"""Kiosk links for wall screens, which cannot type a password.

``gridpulse screens add NAME`` makes a long random token (256 bits) and prints the link once; only its
SHA-256 is stored (``$GRIDPULSE_HOME/auth/screens.json``, owner-only), so the file cannot be turned
back into a working link. A token opens the big screen only, read-only; a revoked or unknown token
opens nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from warehouse.home.paths import DataHome
from warehouse.home.private_files import locked, read_json, write_json

from .accounts import NAME, AccountError

TOKEN_BYTES = 32
QUERY_KEY = "screen"  # the kiosk link's query parameter


@dataclass
class Screen:
    name: str
    token_sha256: str
    street: str | None = None
    created_at: str = ""
    revoked_at: str | None = None

    def public(self) -> dict[str, object]:
        return {k: v for k, v in asdict(self).items() if k != "token_sha256"}


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def kiosk_path(token: str) -> str:
    """The link's path and query, to append to the server's address."""
    return f"/?kiosk=1&{QUERY_KEY}={token}"


class ScreenStore:
    def __init__(self, home: DataHome):
        self.path = home.auth / "screens.json"

    def _load(self) -> dict[str, Screen]:
        return {name: Screen(**row) for name, row in read_json(self.path, {}).items()}

    def list(self) -> list[Screen]:
        return sorted(self._load().values(), key=lambda s: s.name)

    def add(self, name: str, street: str | None = None) -> str:
        """Register a screen; return its token (shown once, never stored)."""
        if not NAME.match(name):
            raise AccountError(f"invalid screen name {name!r}: letters, digits, . _ @ - (at most 64)")
        token = secrets.token_urlsafe(TOKEN_BYTES)
        with locked(self.path):
            screens = self._load()
            if name in screens and not screens[name].revoked_at:
                raise AccountError(f"screen {name} already exists (revoke it first to issue a new link)")
            screens[name] = Screen(
                name, _digest(token), street or None, datetime.now(UTC).isoformat(timespec="seconds")
            )
            write_json(self.path, {n: asdict(s) for n, s in sorted(screens.items())})
        return token

    def revoke(self, name: str) -> Screen:
        with locked(self.path):
            screens = self._load()
            if name not in screens:
                raise AccountError(f"no screen {name}")
            screens[name].revoked_at = screens[name].revoked_at or datetime.now(UTC).isoformat(
                timespec="seconds"
            )
            write_json(self.path, {n: asdict(s) for n, s in sorted(screens.items())})
            return screens[name]

    def verify(self, token: str | None) -> Screen | None:
        """The live screen this token belongs to, else None (unknown, malformed or revoked)."""
        if not token or len(token) > 200:
            return None
        digest = _digest(token)
        for screen in self._load().values():
            if secrets.compare_digest(screen.token_sha256, digest) and not screen.revoked_at:
                return screen
        return None
