"""What the CLI tells its user, and how much: Python's logging on stderr, set by --quiet / --verbose.

Every module logs to ``logging.getLogger(__name__)``; the CLI sends the ``warehouse`` and ``gridpulse_demo``
loggers to stderr as plain lines (progress and summaries at INFO, problems at WARNING or ERROR). --quiet keeps
warnings and errors only; --verbose adds the DEBUG diagnostics, each with its time and module. On a terminal a
long load shows a progress bar (tqdm) instead of a line per file; in a pipe or a log file the lines stay.
"""

from __future__ import annotations

import logging
import sys

from tqdm import tqdm

LOGGERS = ("warehouse", "gridpulse_demo")
PLAIN = "%(message)s"
DETAILED = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _Stderr(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a record is emitted, above a progress bar if one is shown."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass

    def emit(self, record: logging.LogRecord) -> None:
        try:
            tqdm.write(self.format(record), file=sys.stderr)  # a plain write when no bar is shown
        except Exception:  # noqa: BLE001 - logging must never raise into the command
            self.handleError(record)


def level_for(quiet: bool = False, verbose: bool = False) -> int:
    return logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO


def setup(level: int = logging.INFO) -> None:
    """Send the GridPulse loggers to stderr at ``level`` (called once per CLI run; replaces an earlier setup)."""
    handler = _Stderr()
    handler.setFormatter(logging.Formatter(DETAILED if level <= logging.DEBUG else PLAIN, "%H:%M:%S"))
    for name in LOGGERS:
        logger = logging.getLogger(name)
        for old in [h for h in logger.handlers if isinstance(h, _Stderr)]:
            logger.removeHandler(old)
        logger.addHandler(handler)
        logger.setLevel(level)


class Progress:
    """Progress of a long command for its user: lines (logged at INFO), and on a terminal a bar of the steps.

    Call it with a line to say; ``step(done, total)`` moves the bar. The bar appears only when stderr is a
    terminal and the log level shows progress (not --quiet); ``close()`` removes it.
    """

    def __init__(self, logger: logging.Logger, what: str, unit: str = "file"):
        self.logger, self.what, self.unit = logger, what, unit
        self.bar: tqdm | None = None

    def __call__(self, message: str) -> None:
        self.logger.info(message)

    def step(self, done: int, total: int) -> None:
        if self.bar is None:
            if not (sys.stderr.isatty() and self.logger.isEnabledFor(logging.INFO)):
                return
            self.bar = tqdm(
                total=total, desc=self.what, unit=self.unit, file=sys.stderr, leave=False, dynamic_ncols=True
            )
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
