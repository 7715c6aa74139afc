"""Named points in long commands where a test can hold the process to kill it there.

``GRIDPULSE_TEST_PAUSE_AT=<name>`` makes the process log ``paused at <name>`` (a warning, so --quiet
keeps it; on stderr like every CLI line) when it reaches that point and wait there until it is killed; unset (always, outside tests) it does nothing.
The crash tests use it to send a real ``kill -9`` at a known moment instead of a lucky one.
"""

from __future__ import annotations

import logging
import os
import time

ENV_VAR = "GRIDPULSE_TEST_PAUSE_AT"
log = logging.getLogger(__name__)


def reached(name: str) -> None:
    if os.environ.get(ENV_VAR) == name:
        log.warning("paused at %s", name)
        while True:
            time.sleep(3600)
