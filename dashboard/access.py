"""Who is using this session, and which pages their role may open.

A session's user comes from one of four places, checked on every script run before any data is read:
a kiosk link's token (``?screen=…``, the big screen only), the local sign-in kept in this session's
state (idle and absolute expiry, the account re-read every run so disabling it takes effect at once),
Streamlit's own ``st.login`` (OIDC, role and street from configurable claims), or ``gridpulse serve
--no-auth`` on 127.0.0.1. Every sign-in, sign-out and refusal is written to the audit log.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import streamlit as st

from dashboard.queries import sql
from warehouse.access import audit
from warehouse.access.accounts import ROLES, AccountStore
from warehouse.access.screens import QUERY_KEY, ScreenStore
from warehouse.home.paths import DataHome

DESK = {"leader", "organization", "street", "analyst", "admin"}
# url path → the roles that may open it (issue 18's table); "screen" is a kiosk link
PAGE_ROLES: dict[str, set[str]] = {
    "command": {"leader", "street", "admin", "screen"},
    "map": {"leader", "street", "admin"},
    "funnel": DESK,
    "street-ranking": DESK,
    "departments": DESK,
    "report-in": DESK,
    "property": DESK,
    "workbench": {"analyst", "admin"},
    "health": {"analyst", "admin"},
    "users": {"admin"},
    "audit": {"admin"},
    "data": {"admin"},
}
SESSION_KEY = "gp_user"
WHO = "gp_who"  # this run's user name, for audit entries
SCOPE_KEY = sql.SCOPE_KEY  # the streets this run's user may see; sql.run applies it to every query
NOBODY = sql.NOBODY  # the scope before anyone is signed in: no street at all
IDLE_S = int(os.environ.get("GRIDPULSE_SESSION_IDLE_MIN", "30")) * 60
MAX_AGE_S = int(os.environ.get("GRIDPULSE_SESSION_MAX_HOURS", "12")) * 3600
LOCAL_ADDRESSES = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class User:
    name: str
    role: str  # a key of ROLES, or "screen"
    street: str | None = None
    via: str = "local"  # local | sso | screen | no-auth

    def may_open(self, url_path: str) -> bool:
        return self.role in PAGE_ROLES.get(url_path, set())


class Refused(Exception):
    """The request carries something that opens nothing (a wrong or revoked kiosk token)."""


def home() -> DataHome:
    return DataHome.from_env()


def session_record(name: str, role: str, street: str | None = None, via: str = "local") -> dict[str, Any]:
    """What a successful sign-in keeps in the session's state (tests set it the same way)."""
    now = time.time()
    return {**asdict(User(name, role, street, via)), "signed_in": now, "seen": now}


def record(event: str, **details: Any) -> None:
    """An audit entry by this session's user."""
    audit.record(home(), event, st.session_state.get(WHO), **details)


def current_user() -> User | None:
    """This run's user, or None (sign-in needed). Raises Refused for a kiosk link that opens nothing.

    It also sets the run's data scope from the user — the one place it is set, on every run before any
    page draws, so nothing the browser sends (a widget, a URL parameter) can widen it."""
    st.session_state[SCOPE_KEY] = NOBODY  # fail closed until the user is known
    user = _resolve()
    st.session_state[WHO] = (
        None if user is None else f"screen:{user.name}" if user.via == "screen" else user.name
    )
    st.session_state[SCOPE_KEY] = data_scope(user)
    return user


def data_scope(user: User | None) -> tuple[str, ...] | None:
    """The streets ``user`` may see: a street account's or a street screen's own street; None is the city."""
    if user is None:
        return NOBODY
    return (user.street,) if user.street else None


def _resolve() -> User | None:
    token = st.query_params.get(QUERY_KEY)
    if token is not None:
        return _screen_user(token)
    if os.environ.get("GRIDPULSE_NO_AUTH") == "1" and st.get_option("server.address") in LOCAL_ADDRESSES:
        return User("local", "admin", via="no-auth")
    kept = st.session_state.get(SESSION_KEY)
    if kept:
        return _local_user(kept)
    return _sso_user()


def _screen_user(token: str) -> User:
    screen = ScreenStore(home()).verify(token)
    if screen is None:
        raise Refused()
    if not st.session_state.get("gp_screen_opened"):
        st.session_state.gp_screen_opened = True
        audit.record(home(), "screen_open", f"screen:{screen.name}", street=screen.street)
    return User(screen.name, "screen", screen.street, "screen")


def _local_user(kept: dict[str, Any]) -> User | None:
    now = time.time()
    expired = now - kept["seen"] > IDLE_S or now - kept["signed_in"] > MAX_AGE_S
    account = AccountStore(home()).get(kept["name"]) if kept["via"] == "local" else None
    gone = kept["via"] == "local" and (
        account is None
        or account.disabled
        or account.role != kept["role"]
        or account.street != kept["street"]
    )
    if expired or gone:
        audit.record(home(), "logout", kept["name"], reason="expired" if expired else "account changed")
        del st.session_state[SESSION_KEY]
        st.session_state.gp_flash = "login_expired"
        return None
    kept["seen"] = now
    return User(kept["name"], kept["role"], kept["street"], kept["via"])


def _sso_user() -> User | None:
    """The st.login identity mapped to a role, or None (not signed in through SSO)."""
    if not st.user.get("is_logged_in"):
        return None
    from warehouse.access.serving import sso_config

    claims = dict(st.user.to_dict())
    name = str(claims.get("email") or claims.get("preferred_username") or claims.get("sub"))
    role, street = map_claims(claims, sso_config(home()).get("gridpulse_sso", {}))
    if role is None:
        st.session_state.gp_sso_unmapped = name
        return None
    if st.session_state.get("gp_sso_logged") != name:
        st.session_state.gp_sso_logged = name
        audit.record(home(), "login_success", name, via="sso", role=role, street=street)
    return User(name, role, street, "sso")


def map_claims(claims: dict[str, Any], config: dict[str, Any]) -> tuple[str | None, str | None]:
    """(role, street) from an identity's claims: the configured claims first, then the per-user mapping.

    ``config`` is sso.toml's ``[gridpulse_sso]``: ``role_claim`` (default "gridpulse_role"), ``street_claim``
    (default "gridpulse_street"), ``role_values`` (the IdP's value → a role, e.g. {"区领导" = "leader"}), and
    ``users`` ({"alice@city.gov" = {role = "analyst"}}) for identities whose claims carry neither.
    """
    values = {
        **{code: code for code in ROLES},
        **{zh: code for code, zh in ROLES.items()},
        **config.get("role_values", {}),
    }
    raw = claims.get(config.get("role_claim", "gridpulse_role"))
    if isinstance(raw, list):  # a groups-style claim: the first value that names a role
        raw = next((v for v in raw if v in values), None)
    role = values.get(raw) if isinstance(raw, str) else None
    street = claims.get(config.get("street_claim", "gridpulse_street"))
    users = config.get("users", {})
    for key in (claims.get("email"), claims.get("preferred_username"), claims.get("sub")):
        if role is None and key in users:
            role, street = users[key].get("role"), street or users[key].get("street")
    if role not in ROLES or (role == "street" and not street):
        return None, None
    return role, str(street) if street else None


def sso_available() -> bool:
    return "is_logged_in" in st.user


def sign_out(user: User) -> None:
    record("logout", via=user.via)
    st.session_state.pop(SESSION_KEY, None)
    if user.via == "sso":
        st.logout()
    else:
        st.rerun()


def audited_download(
    make: Callable[[], Any], what: str, *, period: str, scope: str, **details: Any
) -> Callable[[], Any]:
    """A download button's data callable that writes an export entry — what, which period, which streets —
    when the file is made. Who and the data home are taken now: Streamlit calls it outside the script run."""
    who = st.session_state.get(WHO)
    where = home()

    def make_and_record() -> Any:
        data = make()
        audit.record(where, "export", who, what=what, period=period, scope=scope, **details)
        return data

    return make_and_record
