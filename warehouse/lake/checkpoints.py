"""Named points in long commands where a test can hold the process to kill it there.

``GRIDPULSE_TEST_PAUSE_AT=<name>`` makes the process print ``paused at <name>`` on stderr when it
reaches that point and wait there until it is killed; unset (always, outside tests) it does nothing.
The crash tests use it to send a real ``kill -9`` at a known moment instead of a lucky one.
"""

from __future__ import annotations

import os
import sys
import time

ENV_VAR = "GRIDPULSE_TEST_PAUSE_AT"


def reached(name: str) -> None:
    if os.environ.get(ENV_VAR) == name:
        print(f"paused at {name}", file=sys.stderr, flush=True)
        while True:
            time.sleep(3600)
