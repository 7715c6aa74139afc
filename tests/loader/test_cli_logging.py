"""--quiet and --verbose set how much the CLI says; a progress bar only on a terminal."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from tests.exports import GRID_EVENT_HEADERS, grid_event, write_csv
from warehouse import cli
from warehouse.home.paths import DataHome
from warehouse.lake.status import lake_status

GRIDPULSE = str(Path(sys.executable).with_name("gridpulse"))


@pytest.fixture()
def home(tmp_path, monkeypatch):
    home = DataHome(tmp_path / "home")
    write_csv(home.landing / "events.csv", GRID_EVENT_HEADERS, [grid_event("SJ-1"), grid_event("SJ-2")])
    monkeypatch.setenv("GRIDPULSE_HOME", str(home.root))
    return home


def loaded(home: DataHome) -> int:
    return lake_status(home)["tables"]["grid/events"]["rows"]


def test_by_default_a_load_says_each_file_and_sums_up(home, capsys):
    assert cli.main(["load"]) == 0
    err = capsys.readouterr().err
    assert "[1/1] read events.csv: 2 rows" in err and "1 file(s) loaded" in err
    assert "DEBUG" not in err and loaded(home) == 2


@pytest.mark.parametrize("argv", [["--quiet", "load"], ["load", "-q"]])
def test_quiet_says_nothing_when_all_went_well(home, capsys, argv):
    assert cli.main(argv) == 0
    assert capsys.readouterr().err == "" and loaded(home) == 2


def test_quiet_still_says_what_went_wrong(home, capsys):
    (home.landing / "notes.pdf").write_bytes(b"%PDF-1.4")
    assert cli.main(["--quiet", "load"]) == 1
    err = capsys.readouterr().err
    assert "REJECTED notes.pdf: unsupported file type" in err and "[1/2]" not in err


@pytest.mark.parametrize("argv", [["--verbose", "load"], ["load", "-v"]])
def test_verbose_adds_the_diagnostics_with_their_module(home, capsys, argv):
    assert cli.main(argv) == 0
    err = capsys.readouterr().err
    assert "DEBUG warehouse.ingest.examine: events.csv: csv" in err and "profile grid_events" in err
    assert "[1/1] read events.csv" in err


def test_quiet_and_verbose_together_are_refused(home, capsys):
    with pytest.raises(SystemExit):
        cli.main(["--quiet", "--verbose", "load"])


def run_load(home: DataHome, stderr_is_terminal: bool) -> str:
    env = {**os.environ, "GRIDPULSE_HOME": str(home.root)}
    if not stderr_is_terminal:
        return subprocess.run(
            [GRIDPULSE, "load"], env=env, capture_output=True, text=True, timeout=300
        ).stderr
    leader, follower = pty.openpty()
    fcntl.ioctl(
        follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0)
    )  # a new pty is 0 columns wide
    proc = subprocess.Popen([GRIDPULSE, "load"], env=env, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=300)
    os.close(leader)
    return out.decode("utf-8", "replace")


def test_a_progress_bar_only_when_stderr_is_a_terminal(home):
    on_terminal = run_load(home, stderr_is_terminal=True)
    assert "loading: 100%" in on_terminal and "1/1" in on_terminal
    write_csv(home.landing / "more.csv", GRID_EVENT_HEADERS, [grid_event("SJ-3")])
    in_pipe = run_load(home, stderr_is_terminal=False)
    assert "read more.csv: 1 rows" in in_pipe and "%|" not in in_pipe and "loading:" not in in_pipe


def test_a_test_checkpoint_is_logged_like_every_cli_line():
    """warehouse.lake.checkpoints printed its line itself; it logs it, in the CLI's format (here --verbose's)."""
    script = (
        "from warehouse import logs; logs.setup(logs.level_for(verbose=True)); "
        "from warehouse.lake.checkpoints import reached; reached('load:test')"
    )
    env = {**os.environ, "GRIDPULSE_TEST_PAUSE_AT": "load:test"}
    proc = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stderr.readline()
    finally:
        proc.kill()
        proc.wait()
    assert "WARNING warehouse.lake.checkpoints: paused at load:test" in line
