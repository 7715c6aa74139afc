"""`gridpulse bulletin`'s options are defined once, by the generator's module; the CLI hands every argument on."""

from __future__ import annotations

import subprocess
import sys

from dashboard.bulletin_doc.__main__ import parser as bulletin_parser
from warehouse.cli import build_parser


def test_the_cli_forwards_every_argument_as_typed():
    argv = [
        "--period",
        "2025Q1",
        "--kind",
        "all",
        "--format",
        "pdf",
        "--street",
        "澜汀街道",
        "--out",
        "x.pdf",
    ]
    args = build_parser().parse_args(["bulletin", *argv])
    assert args.bulletin_args == argv
    assert vars(bulletin_parser().parse_args(args.bulletin_args))["kind"] == "all"
    # --help is the module's (one list of options), not a second copy in the CLI
    assert build_parser().parse_args(["bulletin", "--help"]).bulletin_args == ["--help"]


def test_a_wrong_option_is_refused_by_the_one_definition():
    run = subprocess.run(
        [sys.executable, "-m", "warehouse.cli", "bulletin", "--period", "2025-03", "--kind", "towns"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2 and "invalid choice: 'towns'" in run.stderr
    assert run.stderr.startswith("usage: gridpulse bulletin")
