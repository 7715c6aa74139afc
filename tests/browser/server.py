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
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-quic", "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def browser_available() -> bool:
    return Path(CHROMIUM).exists() and shutil.which("fc-list") is not None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(home: Path, timeout: float = 60, log: Path | None = None, env: dict[str, str] | None = None) -> Iterator[str]:
    """Start the dashboard for ``home``; yield its base URL; stop it afterwards.

    ``log``: a file for the server's output (else a pipe, read only if it fails to start);
    ``env``: extra environment variables (e.g. GRIDPULSE_TIMING=1).
    """
    port = free_port()
    env = {**os.environ, **(env or {}), "GRIDPULSE_HOME": str(home)}
    gridpulse = str(Path(sys.executable).with_name("gridpulse"))
    out = log.open("ab") if log else subprocess.PIPE
    proc = subprocess.Popen([gridpulse, "serve", "--port", str(port), "--address", "127.0.0.1"], env=env,
                            stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                if proc.poll() is None:
                    proc.kill()
                said = proc.stdout.read().decode(errors="replace") if proc.stdout else log.read_text(errors="replace")
                raise RuntimeError(f"dashboard did not start:\n{said[-2000:]}")
            time.sleep(0.3)
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
