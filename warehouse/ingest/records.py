"""What one load reports: a manifest record for each file, and the summary `gridpulse load` prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from warehouse.lake.manifest import FileRecord

from .landing import tidy_reason
from .profile import Profile
from .readers import RawFile


@dataclass
class LoadReport:
    files: list[FileRecord] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already loaded (same sha256)

    @property
    def rejected(self) -> list[FileRecord]:
        return [f for f in self.files if f.status == "rejected"]

    @property
    def all_quarantined(self) -> list[FileRecord]:
        """Files read whose every row was quarantined: the profile does not fit them yet."""
        return [
            f
            for f in self.files
            if f.status == "loaded" and f.rows_read and f.rows_quarantined == f.rows_read
        ]

    def summary(self) -> str:
        loaded = [f for f in self.files if f.status == "loaded"]
        total = {
            k: sum(getattr(f, k) for f in loaded)
            for k in ("rows_read", "rows_accepted", "rows_quarantined", "rows_duplicate")
        }
        lines = [
            f"{len(loaded)} file(s) loaded, {len(self.rejected)} rejected, {len(self.skipped)} already loaded.",
            f"rows: {total['rows_read']:,} read = {total['rows_accepted']:,} accepted + "
            f"{total['rows_quarantined']:,} quarantined + {total['rows_duplicate']:,} duplicate",
        ]
        lines += [f"REJECTED {f.file}: {f.reason}" for f in self.rejected]
        lines += [
            f"ALL {f.rows_read:,} ROWS QUARANTINED in {f.file} (profile {f.profile}): see `gridpulse status`, "
            f"fix the profile, then `gridpulse reload {f.file}`"
            for f in self.all_quarantined
        ]
        if not total["rows_accepted"]:
            lines.append("nothing new: no row was added to the lake or changed in it.")
        return "\n".join(lines)


class LoadError(Exception):
    """A load that cannot start as asked; the message says why in one line."""


def upsert(manifest: list[FileRecord], record: FileRecord) -> list[FileRecord]:
    return [r for r in manifest if r.sha256 != record.sha256] + [record]


def rejected_record(
    rel: str, sha: str, path: Path, reason: str, raw: RawFile | None = None, profile: Profile | None = None
) -> FileRecord:
    return FileRecord(
        file=rel,
        sha256=sha,
        size_bytes=path.lstat().st_size,
        source=profile.source if profile else None,
        entity=profile.entity if profile else None,
        profile=profile.name if profile else None,
        format=raw.format if raw else None,
        encoding=raw.encoding if raw else None,
        rows_read=0,
        rows_accepted=0,
        rows_quarantined=0,
        rows_duplicate=0,
        rows_updated=0,
        status="rejected",
        reason=tidy_reason(reason),
        loaded_at=datetime.now(),
        seconds=0.0,
    )


def read_record(rel: str, sha: str, path: Path, raw: RawFile, profile: Profile, rows_read: int) -> FileRecord:
    return FileRecord(
        file=rel,
        sha256=sha,
        size_bytes=path.stat().st_size,
        source=profile.source,
        entity=profile.entity,
        profile=profile.name,
        format=raw.format,
        encoding=raw.encoding,
        rows_read=rows_read,
        rows_accepted=0,
        rows_quarantined=0,
        rows_duplicate=0,
        rows_updated=0,
        status="loaded",
        reason=None,
        loaded_at=datetime.now().replace(microsecond=0),
        seconds=0.0,
    )
