"""Run `gridpulse serve` on a free port and drive Debian's chromium with playwright."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def browser_available() -> bool:
    return Path(CHROMIUM).exists() and shutil.which("fc-list") is not None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str, proc: subprocess.Popen, timeout: float) -> bool:
    """Wait for the Streamlit server at ``url`` to answer its health check: True, or False once ``proc`` has
    exited or ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return True
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            return False
        time.sleep(0.3)


ROLE_PASSWORD = "browser-test-18"


def role_accounts(home: Path, street: str | None = None) -> dict[str, str]:
    """One account per role in ``home`` (``browser-<role>``, created if missing): role → user name."""
    from warehouse.access.accounts import ROLES, AccountStore
    from warehouse.home.paths import DataHome

    store = AccountStore(DataHome(home))
    for role in ROLES:
        if store.get(f"browser-{role}") is None:
            store.add(
                f"browser-{role}", role, ROLE_PASSWORD, (street or "S-TEST") if role == "street" else None
            )
    return {role: f"browser-{role}" for role in ROLES}


def sign_in(page, role: str, timeout_s: float = 120) -> None:
    """Fill the sign-in form the page shows (in either language) with the ``browser-<role>`` account."""
    form = page.locator("[data-testid='stForm']")
    form.locator("input[type='text']").fill(f"browser-{role}", timeout=timeout_s * 1000)
    form.locator("input[type='password']").fill(ROLE_PASSWORD)
    form.locator("[data-testid='stFormSubmitButton'] button").click()
    form.wait_for(state="detached", timeout=timeout_s * 1000)


def kiosk_link(home: Path, name: str = "browser-wall", street: str | None = None) -> str:
    """A kiosk link's path and query for a new screen ``name`` (a revoked one of that name is replaced)."""
    from warehouse.access.screens import ScreenStore, kiosk_path
    from warehouse.home.paths import DataHome

    store = ScreenStore(DataHome(home))
    if any(s.name == name and not s.revoked_at for s in store.list()):
        store.revoke(name)
    return kiosk_path(store.add(name, street))


@contextlib.contextmanager
def serve(
    home: Path,
    timeout: float = 60,
    log: Path | None = None,
    env: dict[str, str] | None = None,
    no_auth: bool = False,
    port: int | None = None,
    gridpulse: Path | None = None,
    cwd: Path | None = None,
) -> Iterator[str]:
    """Start the dashboard for ``home``; yield its base URL; stop it afterwards.

    ``log``: a file for the server's output (else a pipe, read only if it fails to start);
    ``env``: extra environment variables (e.g. GRIDPULSE_TIMING=1); ``no_auth``: `serve --no-auth`;
    ``port``: a port chosen beforehand (e.g. named in an SSO redirect URI), else a free one;
    ``gridpulse``, ``cwd``: another installation's command and where to start it (the wheel test).
    """
    port = port or free_port()
    env = {**os.environ, **(env or {}), "GRIDPULSE_HOME": str(home)}
    gridpulse = str(gridpulse or Path(sys.executable).with_name("gridpulse"))
    out = log.open("ab") if log else subprocess.PIPE
    proc = subprocess.Popen(
        [
            gridpulse,
            "serve",
            "--port",
            str(port),
            "--address",
            "127.0.0.1",
            *(["--no-auth"] if no_auth else []),
        ],
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        cwd=cwd,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        if not healthy(url, proc, timeout):
            if proc.poll() is None:
                proc.kill()
            said = (
                proc.stdout.read().decode(errors="replace")
                if proc.stdout
                else log.read_text(errors="replace")
            )
            raise RuntimeError(f"dashboard did not start:\n{said[-2000:]}")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if log:
            out.close()


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
