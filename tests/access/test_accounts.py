"""Local accounts, kiosk tokens and the audit log: the stores and the `gridpulse users/screens/audit` commands."""

from __future__ import annotations

import io
import json
import stat
from datetime import UTC, datetime, timedelta

import pytest

from warehouse.access import audit
from warehouse.access.accounts import LOCK_MINUTES, MAX_FAILURES, AccountError, AccountStore
from warehouse.access.screens import ScreenStore
from warehouse.cli import main
from warehouse.home.paths import DataHome

PASSWORD = "correct horse 18"


@pytest.fixture
def home(tmp_path, monkeypatch) -> DataHome:
    monkeypatch.setenv("GRIDPULSE_HOME", str(tmp_path / "home"))
    return DataHome(tmp_path / "home")


def owner_only(path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_password_is_stored_only_as_an_argon2_hash_in_an_owner_only_file(home):
    AccountStore(home).add("li", "analyst", PASSWORD)
    path = home.auth / "users.json"
    text = path.read_text()
    assert PASSWORD not in text and "$argon2id$" in text
    assert owner_only(path)
    assert AccountStore(home).sign_in("li", PASSWORD).outcome == "ok"
    assert AccountStore(home).sign_in("li", PASSWORD + "x").outcome == "bad"


def test_roles_and_streets_are_checked(home):
    store = AccountStore(home)
    with pytest.raises(AccountError, match="unknown role"):
        store.add("a", "mayor", PASSWORD)
    with pytest.raises(AccountError, match="--street"):
        store.add("b", "street", PASSWORD)
    with pytest.raises(AccountError, match="too short"):
        store.add("c", "leader", "short")
    assert store.add("d", "street", PASSWORD, "420102001").street == "420102001"
    with pytest.raises(AccountError, match="already exists"):
        store.add("d", "leader", PASSWORD)


def test_failures_are_throttled_then_lock_the_account(home):
    store = AccountStore(home)
    store.add("wang", "leader", PASSWORD)
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    assert store.sign_in("wang", "guess-1", t0).outcome == "bad"
    # the next attempt comes too soon: refused without checking the password, even the right one
    assert store.sign_in("wang", PASSWORD, t0 + timedelta(milliseconds=100)).outcome == "wait"
    moment = t0
    outcomes = []
    for i in range(2, MAX_FAILURES + 1):
        moment += timedelta(seconds=60)
        outcomes.append(store.sign_in("wang", f"guess-{i}", moment).outcome)
    assert outcomes[-1] == "lockout" and set(outcomes[:-1]) == {"bad"}
    # locked: the right password does not open it until the lock ends
    assert store.sign_in("wang", PASSWORD, moment + timedelta(minutes=LOCK_MINUTES - 1)).outcome == "locked"
    assert store.sign_in("wang", PASSWORD, moment + timedelta(minutes=LOCK_MINUTES + 1)).outcome == "ok"


def test_new_password_unlocks_and_disabled_accounts_cannot_sign_in(home):
    store = AccountStore(home)
    store.add("zhao", "admin", PASSWORD)
    now = datetime.now(UTC)
    for i in range(MAX_FAILURES):
        store.sign_in("zhao", "nope", now + timedelta(minutes=i))
    assert store.get("zhao").locked_until
    store.set_password("zhao", "a new password")
    assert store.sign_in("zhao", "a new password").outcome == "ok"
    store.disable("zhao")
    assert store.sign_in("zhao", "a new password").outcome == "disabled"
    assert store.sign_in("nobody", "whatever").outcome == "bad"


def test_kiosk_tokens_are_long_random_and_stored_as_hashes(home):
    screens = ScreenStore(home)
    token = screens.add("hall", "420102001")
    assert len(token) >= 43 and token not in (home.auth / "screens.json").read_text()
    assert owner_only(home.auth / "screens.json")
    assert screens.verify(token).name == "hall"
    assert screens.verify(token[:-1] + ("A" if token[-1] != "A" else "B")) is None  # forged
    assert screens.verify("") is None and screens.verify(None) is None
    screens.revoke("hall")
    assert screens.verify(token) is None  # replayed after revocation
    assert screens.add("hall") != token  # a new link for the same wall


def test_audit_log_is_append_only_json_lines_and_never_holds_secrets(home):
    audit.record(home, "login_success", "li", via="local")
    audit.record(home, "sql", "li", sql="select 1", rows=1, refused=False)
    first = home.audit_log.read_bytes()
    audit.record(home, "logout", "li")
    assert home.audit_log.read_bytes().startswith(first)
    assert owner_only(home.audit_log)
    assert [e["event"] for e in audit.read(home)] == ["login_success", "sql", "logout"]
    assert [e["event"] for e in audit.read(home, events=["sql"])] == ["sql"]
    assert audit.read(home, since=datetime.now(UTC) + timedelta(minutes=1)) == []
    with pytest.raises(ValueError, match="secrets"):
        audit.record(home, "user_change", "li", password="x")


def run_cli(monkeypatch, capsys, args: list[str], stdin: str | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_users_commands(home, monkeypatch, capsys):
    code, _, err = run_cli(
        monkeypatch,
        capsys,
        ["users", "add", "chen", "--role", "street", "--street", "420102001", "--password-stdin"],
        PASSWORD + "\n",
    )
    assert code == 0, err
    assert AccountStore(home).sign_in("chen", PASSWORD).outcome == "ok"
    code, _, err = run_cli(monkeypatch, capsys, ["users", "add", "x", "--role", "leader"])
    assert code == 2 and "--password-stdin" in err
    code, out, _ = run_cli(monkeypatch, capsys, ["users", "list", "--json"])
    listed = json.loads(out)
    assert listed[0]["name"] == "chen" and listed[0]["street"] == "420102001" and "password_hash" not in out
    code, out, _ = run_cli(monkeypatch, capsys, ["users", "list"])
    assert code == 0 and "chen" in out and "street 街道" in out and "$argon2" not in out
    assert (
        run_cli(monkeypatch, capsys, ["users", "passwd", "chen", "--password-stdin"], "another pass 18\n")[0]
        == 0
    )
    assert AccountStore(home).sign_in("chen", "another pass 18").outcome == "ok"
    assert run_cli(monkeypatch, capsys, ["users", "disable", "chen"])[0] == 0
    assert AccountStore(home).get("chen").disabled
    code, _, err = run_cli(monkeypatch, capsys, ["users", "disable", "nobody"])
    assert code == 2 and err.strip() == "error: no user nobody"
    changes = [(e["event"], e["action"]) for e in audit.read(home)]
    assert changes == [("user_change", "add"), ("user_change", "passwd"), ("user_change", "disable")]
    assert PASSWORD not in home.audit_log.read_text() and "another pass" not in home.audit_log.read_text()


def test_screens_and_audit_commands(home, monkeypatch, capsys):
    code, out, _ = run_cli(monkeypatch, capsys, ["screens", "add", "hall", "--base-url", "http://wall:8501"])
    link = out.strip()
    assert code == 0 and link.startswith("http://wall:8501/?kiosk=1&screen=")
    token = link.rsplit("=", 1)[1]
    assert ScreenStore(home).verify(token).name == "hall"
    assert run_cli(monkeypatch, capsys, ["screens", "revoke", "hall"])[0] == 0
    assert ScreenStore(home).verify(token) is None
    code, out, _ = run_cli(monkeypatch, capsys, ["audit", "--json"])
    entries = [json.loads(line) for line in out.splitlines()]
    assert [(e["event"], e["action"]) for e in entries] == [
        ("screen_change", "add"),
        ("screen_change", "revoke"),
    ]
    assert token not in out
    code, out, _ = run_cli(monkeypatch, capsys, ["audit", "--since", "1h"])
    assert code == 0 and len(out.splitlines()) == 2 and "screen_change" in out
    assert run_cli(monkeypatch, capsys, ["audit", "--since", "2999-01-01"])[1] == ""


def test_no_auth_refuses_any_other_address(home, monkeypatch, capsys):
    code, _, err = run_cli(monkeypatch, capsys, ["serve", "--no-auth", "--address", "0.0.0.0"])
    assert code == 2 and "127.0.0.1" in err


def test_demo_accounts_one_per_role_passwords_printed_once(warehouse, tmp_path):
    import shutil

    from warehouse.access.serving import demo_accounts

    home = DataHome(tmp_path / "demo")
    shutil.copytree(warehouse.home.releases, home.releases, symlinks=True)
    said: list[str] = []
    made = demo_accounts(home, said.append)
    assert set(made) == {"demo-leader", "demo-organization", "demo-street", "demo-analyst", "demo-admin"}
    store = AccountStore(home)
    assert (
        store.get("demo-street").street == warehouse.query("select min(street_code) from dim_streets")[0][0]
    )
    for name, password in made.items():
        assert store.sign_in(name, password).outcome == "ok"
        assert any(password in line for line in said)
    assert any("gridpulse users passwd" in line for line in said)
    again: list[str] = []
    assert demo_accounts(home, again.append) == {}
    assert not any(p in line for p in made.values() for line in again)


def test_serving_secrets_are_generated_once_owner_only_and_join_the_sso_file(home):
    import tomllib

    from warehouse.access.serving import prepare_serving

    first = prepare_serving(home)
    assert first.secrets_file is None and len(first.cookie_secret) >= 43
    assert owner_only(home.auth / "cookie_secret")
    assert prepare_serving(home).cookie_secret == first.cookie_secret
    (home.auth / "sso.toml").write_text('[auth]\nredirect_uri = "http://x/oauth2callback"\nclient_id = "c"\n')
    serving = prepare_serving(home)
    assert owner_only(serving.secrets_file)
    auth = tomllib.loads(serving.secrets_file.read_text())["auth"]
    assert auth["cookie_secret"] == first.cookie_secret and auth["client_id"] == "c"
