"""Each landing file before it is read: refused, loaded before, or sniffed and matched to a profile and header row."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .landing import identity as landing_identity
from .landing import refusal as landing_refusal
from .profile import HeaderMatch, Profile, choose_profile
from .readers import RawFile, ReadError, sniff
from .sources import file_sha256

SUPPORTED_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xls", ".geojson", ".json"}

log = logging.getLogger(__name__)


@dataclass
class Examined:
    """A landing file after hashing and sniffing: its plan, a reason it cannot be loaded, or None if loaded before."""

    path: Path
    rel: str
    sha: str
    plan: tuple[RawFile, HeaderMatch] | str | None


class Examiner:
    """Hashes and sniffs the landing files in name order on a worker thread, ahead of the reads."""

    def __init__(self, files: list[Path], landing: Path, profiles: list[Profile], loaded: set[str]):
        self.landing, self.profiles, self.loaded = landing, profiles, loaded
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gridpulse-sniff")
        self.futures = [self.pool.submit(self._examine, path) for path in files]
        self._last: dict[str, int] | None = None

    def __iter__(self) -> Iterator[Examined]:
        return (future.result() for future in self.futures)

    def last_files(self) -> dict[str, int] | None:
        """Index of each profile's last file to load, once every file has been examined (None before)."""
        if self._last is None and (not self.futures or self.futures[-1].done()):  # one worker: done in order
            self._last = {}
            for index, item in enumerate(self):
                if isinstance(item.plan, tuple):
                    self._last[item.plan[1].profile.name] = index
        return self._last

    def close(self) -> None:
        """Stop examining; drop the UTF-8 copies of files examined but never read (a load that failed)."""
        self.pool.shutdown(cancel_futures=True)
        for future in self.futures:
            if future.done() and not future.cancelled() and future.exception() is None:
                plan = future.result().plan
                if isinstance(plan, tuple):
                    plan[0].discard()

    def _examine(self, path: Path) -> Examined:
        rel = path.relative_to(self.landing).as_posix()
        refused = landing_refusal(path)  # before a byte is read
        if refused:
            return Examined(path, rel, landing_identity(path, self.landing), refused)
        sha = file_sha256(path)
        if sha in self.loaded:
            return Examined(path, rel, sha, None)
        plan = plan_for(path, self.profiles)
        if not isinstance(plan, str):
            self.loaded.add(sha)  # the same bytes under a second name are loaded once
        return Examined(path, rel, sha, plan)


def plan_for(path: Path, profiles: list[Profile]) -> tuple[RawFile, HeaderMatch] | str:
    """Sniff the file and choose its profile and header row, or say why it cannot be loaded."""
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return f"unsupported file type '{path.suffix or '(none)'}' (expected .csv, .tsv, .txt, .xlsx, .xls or .geojson)"
    try:
        raw = sniff(path)
    except ReadError as exc:
        return str(exc)
    first_reason = None
    for row, headers in enumerate(raw.header_candidates):
        choice = choose_profile(headers, profiles)
        if isinstance(choice, HeaderMatch):
            raw.header_row = row
            log.debug(
                "%s: %s, %s; profile %s, header row %d",
                path.name,
                raw.format,
                raw.encoding,
                choice.profile.name,
                row,
            )
            return raw, choice
        first_reason = first_reason or choice
    raw.discard()
    return first_reason or "no header row"
