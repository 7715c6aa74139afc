"""What `gridpulse serve` prepares for sign-in, and the demo's accounts.

Single sign-on is configured in ``$GRIDPULSE_HOME/auth/sso.toml`` (see README, "Deploying for a city"):
Streamlit's ``[auth]`` section for ``st.login`` plus GridPulse's ``[gridpulse_sso]`` claim mapping.
The cookie secret is generated on first start (``auth/cookie_secret``, owner-only) and added to the
``[auth]`` section in the secrets file handed to Streamlit (``auth/secrets.toml``, owner-only).
"""

from __future__ import annotations

import secrets
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warehouse.home.paths import DataHome
from warehouse.home.private_files import secret_file, write_private

from . import audit
from .accounts import ROLES, AccountStore

SSO_FILE = "sso.toml"


@dataclass
class Serving:
    cookie_secret: str
    secrets_file: Path | None
    notes: list[str] = field(default_factory=list)


def sso_config(home: DataHome) -> dict[str, Any]:
    """The city's SSO file as a dict ({} without one)."""
    path = home.auth / SSO_FILE
    if not path.exists():
        return {}
    with path.open("rb") as f:
        return tomllib.load(f)


def prepare_serving(home: DataHome) -> Serving:
    cookie = secret_file(home.auth / "cookie_secret")
    serving = Serving(cookie, None)
    sso_path = home.auth / SSO_FILE
    if sso_path.exists():
        text = sso_path.read_text(encoding="utf-8")
        config = tomllib.loads(text)
        if "auth" not in config:
            serving.notes.append(f"note: {sso_path} has no [auth] section: single sign-on is off")
        else:
            if "cookie_secret" not in config["auth"]:
                text = _with_cookie_secret(text, cookie)
            serving.secrets_file = home.auth / "secrets.toml"
            write_private(serving.secrets_file, text.encode())
            serving.notes.append(f"single sign-on on: {sso_path}")
    if not AccountStore(home).list() and not serving.secrets_file:
        serving.notes.append(
            "no accounts yet: add one with `gridpulse users add NAME --role admin --password-stdin`"
        )
    return serving


def _with_cookie_secret(text: str, cookie: str) -> str:
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip() == "[auth]":
            lines.insert(i + 1, f'cookie_secret = "{cookie}"')
            result = "\n".join(lines) + "\n"
            tomllib.loads(result)
            return result
    raise ValueError("sso.toml: write the [auth] section's keys under a line that reads exactly [auth]")


def demo_accounts(home: DataHome, say: Callable[[str], None]) -> dict[str, str]:
    """One account per role (the street account for the first street), with generated passwords printed once."""
    from warehouse.release.releases import current_release_db, open_release

    store = AccountStore(home)
    if store.list():
        say(
            f"sign-in accounts: {', '.join(a.name for a in store.list())} "
            "(new password: `gridpulse users passwd NAME --password-stdin`)"
        )
        return {}
    street = None
    db = current_release_db(home)
    if db is not None:
        con = open_release(db)
        try:
            row = con.execute("select street_code from dim_streets order by street_code limit 1").fetchone()
            street = row[0] if row else None
        finally:
            con.close()
    made: dict[str, str] = {}
    for role in ROLES:
        if role == "street" and not street:
            continue
        password = secrets.token_urlsafe(12)
        account = store.add(f"demo-{role}", role, password, street if role == "street" else None)
        audit.record(
            home,
            "user_change",
            "gridpulse demo",
            action="add",
            target=account.name,
            role=role,
            street=account.street,
            via="demo",
        )
        made[account.name] = password
    say(
        "demo sign-in accounts (passwords shown this once; change one with "
        "`gridpulse users passwd NAME --password-stdin`, list them with `gridpulse users list`):"
    )
    for name, password in made.items():
        role = name.removeprefix("demo-")
        extra = f" street {street}" if role == "street" else ""
        say(f"  {name:<18} {password}   {ROLES[role]} ({role}){extra}")
    return made
