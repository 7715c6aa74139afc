"""Local accounts: who may sign in to the dashboard, with which role (and street).

Stored in ``$GRIDPULSE_HOME/auth/users.json`` (owner-only). A password is kept only as an Argon2id
hash (argon2-cffi) and is never logged. Failed sign-ins are throttled (each failure doubles the wait
before the next attempt for that name, up to ``MAX_WAIT_S``) and ``MAX_FAILURES`` in a row lock the
account for ``LOCK_MINUTES``; setting a new password unlocks it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from warehouse.home.paths import DataHome
from warehouse.home.private_files import locked, read_json, write_json

# role code → its Chinese name (the order is the order pages and lists show them in)
ROLES: dict[str, str] = {
    "leader": "领导",
    "organization": "组织部",
    "street": "街道",
    "analyst": "分析员",
    "admin": "数据管理员",
}
MAX_FAILURES = 5
LOCK_MINUTES = 15
MAX_WAIT_S = 30
MIN_PASSWORD = 8
NAME = re.compile(r"^[\w.@-]{1,64}$")

_hasher = PasswordHasher()
# Verifying an unknown name costs as much as a known one: a sign-in's timing does not tell which names exist.
_DUMMY_HASH = _hasher.hash("gridpulse-no-such-user")

Outcome = Literal["ok", "bad", "locked", "lockout", "wait", "disabled"]


class AccountError(ValueError):
    """A request the account store refuses (one line, for the CLI and the admin page)."""


@dataclass
class Account:
    name: str
    role: str
    street: str | None = None
    disabled: bool = False
    created_at: str = ""
    password_hash: str = field(default="", repr=False)
    failures: int = 0
    last_failure_at: str | None = None
    locked_until: str | None = None

    def public(self) -> dict[str, object]:
        """What may be shown or printed: everything but the hash."""
        return {k: v for k, v in asdict(self).items() if k != "password_hash"}


@dataclass(frozen=True)
class SignIn:
    outcome: Outcome
    account: Account | None = None
    wait_s: float = 0.0


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def check_role(role: str, street: str | None) -> None:
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}: one of {', '.join(ROLES)}")
    if role == "street" and not street:
        raise AccountError("a street account needs --street CODE (the street it may see)")


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password too short: at least {MIN_PASSWORD} characters")


class AccountStore:
    def __init__(self, home: DataHome):
        self.path = home.auth / "users.json"

    def _load(self) -> dict[str, Account]:
        return {name: Account(**row) for name, row in read_json(self.path, {}).items()}

    def _save(self, accounts: dict[str, Account]) -> None:
        write_json(self.path, {name: asdict(a) for name, a in sorted(accounts.items())})

    def list(self) -> list[Account]:
        return sorted(self._load().values(), key=lambda a: (list(ROLES).index(a.role), a.name))

    def get(self, name: str) -> Account | None:
        return self._load().get(name)

    def add(self, name: str, role: str, password: str, street: str | None = None) -> Account:
        if not NAME.match(name):
            raise AccountError(f"invalid user name {name!r}: letters, digits, . _ @ - (at most 64)")
        check_role(role, street)
        check_password(password)
        with locked(self.path):
            accounts = self._load()
            if name in accounts:
                raise AccountError(
                    f"user {name} already exists (change the password with `gridpulse users passwd`)"
                )
            accounts[name] = Account(
                name, role, street or None, created_at=_iso(_now()), password_hash=_hasher.hash(password)
            )
            self._save(accounts)
            return accounts[name]

    def _change(self, name: str, **values: object) -> Account:
        with locked(self.path):
            accounts = self._load()
            if name not in accounts:
                raise AccountError(f"no user {name}")
            for key, value in values.items():
                setattr(accounts[name], key, value)
            self._save(accounts)
            return accounts[name]

    def disable(self, name: str) -> Account:
        return self._change(name, disabled=True)

    def enable(self, name: str) -> Account:
        return self._change(name, disabled=False, failures=0, locked_until=None)

    def set_password(self, name: str, password: str) -> Account:
        check_password(password)
        return self._change(
            name, password_hash=_hasher.hash(password), failures=0, locked_until=None, last_failure_at=None
        )

    def set_role(self, name: str, role: str, street: str | None) -> Account:
        check_role(role, street)
        return self._change(name, role=role, street=street or None)

    def sign_in(self, name: str, password: str, now: datetime | None = None) -> SignIn:
        """Check a name and password, counting failures, throttling and locking (see the module)."""
        now = now or _now()
        with locked(self.path):
            accounts = self._load()
            account = accounts.get(name)
            if account is None:
                _verify(_DUMMY_HASH, password)
                return SignIn("bad")
            if account.locked_until and datetime.fromisoformat(account.locked_until) > now:
                return SignIn("locked", account)
            if account.failures and account.last_failure_at:
                ready = datetime.fromisoformat(account.last_failure_at) + timedelta(
                    seconds=_wait_s(account.failures)
                )
                if ready > now:
                    return SignIn("wait", account, (ready - now).total_seconds())
            if not _verify(account.password_hash, password):
                account.failures += 1
                account.last_failure_at = _iso(now)
                outcome: Outcome = "bad"
                if account.failures >= MAX_FAILURES:
                    account.locked_until = _iso(now + timedelta(minutes=LOCK_MINUTES))
                    account.failures = 0
                    outcome = "lockout"
                self._save(accounts)
                return SignIn(outcome, account)
            if account.disabled:
                return SignIn("disabled", account)
            if account.failures or account.locked_until:
                account.failures, account.locked_until, account.last_failure_at = 0, None, None
                self._save(accounts)
            return SignIn("ok", account)


def _wait_s(failures: int) -> float:
    return min(MAX_WAIT_S, 2 ** (failures - 1))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
