"""`streamlit run dashboard/app.py` — from the repository root or from dashboard/ — is as private as
`gridpulse serve`: no usage statistics, headless (no welcome message that looks up the external IP address),
no file watcher, XSRF protection on. The settings live in dashboard/.streamlit/config.toml."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.server import free_port, healthy

ROOT = Path(__file__).resolve().parents[2]
PRIVATE = {
    "browser.gatherUsageStats": False,
    "server.headless": True,
    "server.fileWatcherType": "none",
    "server.enableXsrfProtection": True,
    "logger.hideWelcomeMessage": True,
    "global.developmentMode": False,
}
PLACES = {"repo root": (ROOT, "dashboard/app.py"), "dashboard/": (ROOT / "dashboard", "app.py")}


def clean_env(home: Path) -> dict[str, str]:
    """The environment without any STREAMLIT_* setting (those would override the file) and a fresh HOME (no
    ~/.streamlit/config.toml of the person running the tests)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    return {**env, "HOME": str(home), "GRIDPULSE_HOME": str(home / "data")}


@pytest.mark.parametrize("place", list(PLACES))
def test_streamlit_resolves_the_private_settings_for_the_app_from_any_directory(place, tmp_path):
    """The settings Streamlit resolves for dashboard/app.py (st.App takes the script's config directory, as
    `streamlit run` does) when started from ``place``."""
    cwd, script = PLACES[place]
    probe = (
        "import json, streamlit as st\n"
        f"st.App({script!r})\n"
        f"print(json.dumps({{k: st.get_option(k) for k in {list(PRIVATE)!r}}}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=cwd,
        env=clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert json.loads(out.strip().splitlines()[-1]) == PRIVATE


def new_session_config(port: int) -> object:
    """The config the server sends a browser in its first message (NewSession) when a script run is asked."""
    import asyncio

    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    async def ask() -> object:
        async with websockets.connect(
            f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"]
        ) as ws:
            msg = BackMsg()
            msg.rerun_script.query_string = ""
            msg.rerun_script.page_script_hash = ""
            await ws.send(msg.SerializeToString())
            while True:
                forward = ForwardMsg()
                forward.ParseFromString(await asyncio.wait_for(ws.recv(), 60))
                if forward.WhichOneof("type") == "new_session":
                    return forward.new_session.config

    return asyncio.run(ask())


@pytest.mark.parametrize("place", list(PLACES))
def test_plain_streamlit_run_of_the_app_is_private(place, tmp_path):
    """The real thing, without `gridpulse serve`'s flags: the browser is told not to gather usage statistics,
    the console shows no welcome message (headless, no external-IP lookup) and no prompt."""
    cwd, script = PLACES[place]
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                script,
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
            ],
            cwd=cwd,
            env=clean_env(tmp_path),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        assert healthy(f"http://127.0.0.1:{port}", proc, 90), log.read_text(errors="replace")
        assert new_session_config(port).gather_usage_stats is False
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    said = log.read_text(errors="replace")
    assert "You can now view" not in said and "External URL" not in said and "Email" not in said, said
