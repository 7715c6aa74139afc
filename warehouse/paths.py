"""Where GridPulse keeps its data: everything lives under one data home.

``GRIDPULSE_HOME`` names it (default ``./data``); nothing else in the code
knows a path of any machine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "GRIDPULSE_HOME"
DEFAULT_HOME = "data"


@dataclass(frozen=True)
class DataHome:
    root: Path

    @classmethod
    def from_env(cls) -> DataHome:
        return cls(Path(os.environ.get(ENV_VAR) or DEFAULT_HOME).expanduser().resolve())

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def lake(self) -> Path:
        return self.root / "lake"

    @property
    def manifest(self) -> Path:
        return self.lake / "_manifest.parquet"

    @property
    def quarantine(self) -> Path:
        return self.lake / "_quarantine"

    @property
    def releases(self) -> Path:
        return self.root / "releases"

    def lake_table(self, source: str, entity: str) -> Path:
        return self.lake / source / f"{entity}.parquet"
