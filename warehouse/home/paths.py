"""Where GridPulse keeps its data: everything lives under one data home.

``GRIDPULSE_HOME`` names it (default ``./data``); nothing else in the code
knows a path of any machine.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "GRIDPULSE_HOME"
DEFAULT_HOME = "data"


@dataclass(frozen=True)
class DataHome:
    root: Path
    # A load writes into a staged lake generation (see warehouse/lake/generations.py): the same home,
    # its lake paths pointing there until the generation is switched in.
    staged_lake: Path | None = None

    @classmethod
    def from_env(cls) -> DataHome:
        return cls(Path(os.environ.get(ENV_VAR) or DEFAULT_HOME).expanduser().resolve())

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def lake(self) -> Path:
        return self.staged_lake or self.root / "lake"

    def staged(self, lake: Path) -> DataHome:
        """This home with its lake paths pointing at ``lake`` (a generation being written)."""
        return dataclasses.replace(self, staged_lake=lake)

    @property
    def manifest(self) -> Path:
        return self.lake / "_manifest.parquet"

    @property
    def quarantine(self) -> Path:
        return self.lake / "_quarantine"

    @property
    def releases(self) -> Path:
        return self.root / "releases"

    @property
    def auth(self) -> Path:
        """Accounts, kiosk-token hashes and session secrets (owner-only)."""
        return self.root / "auth"

    @property
    def audit_log(self) -> Path:
        return self.root / "audit" / "audit.jsonl"

    def lake_table(self, source: str, entity: str) -> Path:
        """The folder of a lake table's Parquet parts (warehouse/lake/parts.py)."""
        return self.lake / source / entity

    def lake_parts(self, source: str, entity: str) -> str:
        """A glob of the table's parts, as read_parquet(…, union_by_name = true) takes it."""
        return str(self.lake_table(source, entity) / "*.parquet")
