"""Exports an admin uploads from the data page: each checked before a byte of it reaches landing.

For every uploaded file, and every member of an uploaded zip:

- its size: at most ``GRIDPULSE_MAX_UPLOAD_MB`` (default 200; `gridpulse serve` passes the same limit
  to Streamlit, so the browser refuses a larger file before sending it); a zip's members together at
  most ``GRIDPULSE_MAX_UNZIPPED_MB``, none compressed more than 200:1, at most 500 of them, no zip in a zip;
- its type, from the bytes, never the name: an Excel workbook (xlsx or xls), GeoJSON, or text in an
  encoding the loader reads (a CSV/TSV, delimiter sniffed); anything else is refused as unreadable;
- the loader's own checks (landing.refusal: size, workbook bomb) and its reading of the header: the
  profile it matches, or why none does; bytes already in the lake are not saved again.

A file that passes is written into ``landing/uploads/<batch>/<NN>-<sha256 prefix>.<type>`` (a dot-name
first, renamed in whole: a load never sees half a file). The name the browser sent is only shown and
written to the audit log, never used as a path, so no upload or zip member can land anywhere else.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warehouse.home.paths import DataHome
from warehouse.home.private_files import private_dir
from warehouse.lake.manifest import read_manifest

from .examine import plan_for
from .landing import MAX_RATIO, MAX_UNZIPPED_ENV, MAX_UNZIPPED_MB, refusal, tidy_reason
from .profile import Profile
from .readers import XLS_MAGIC, XLSX_MAGIC, ReadError, decode_text
from .sources import all_profiles

MAX_UPLOAD_ENV, MAX_UPLOAD_MB = "GRIDPULSE_MAX_UPLOAD_MB", 200.0
MAX_MEMBERS = 500
HEAD_BYTES = 1 << 20  # decoded to tell text from binary
UPLOADS = "uploads"
SUFFIX = {"xlsx": ".xlsx", "xls": ".xls", "csv": ".csv", "geojson": ".geojson"}


@dataclass
class Checked:
    """One uploaded file (or zip member) after its checks: saved into landing, or why not."""

    name: str  # as the browser named it (for a zip member: "archive.zip › member"); shown, never a path
    size: int
    kind: str | None = None  # xlsx | xls | csv | geojson | zip
    profile: str | None = None
    sha256: str | None = None
    saved_as: str | None = None  # path in landing
    reason: str | None = None  # why it was not saved
    already_loaded: bool = False  # not saved: the lake holds these very bytes (not an error)

    @property
    def ok(self) -> bool:
        return self.saved_as is not None


def upload_limit_mb() -> float:
    try:
        return float(os.environ.get(MAX_UPLOAD_ENV) or MAX_UPLOAD_MB)
    except ValueError:
        return MAX_UPLOAD_MB


def kind_of(data: bytes) -> str:
    """xlsx | xls | zip | geojson | csv from the bytes; ReadError when they are none of these."""
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ReadError("empty file")
    if data[:8] == XLS_MAGIC:
        return "xls"
    if data[:4] == XLSX_MAGIC:
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile as exc:
            raise ReadError("a damaged zip or workbook (its directory cannot be read)") from exc
        return "xlsx" if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names) else "zip"
    text, _ = decode_text(data[:HEAD_BYTES] if len(data) <= HEAD_BYTES else _cut(data[:HEAD_BYTES]))
    if (
        "\x00" in text
        or sum(c < " " and c not in "\t\r\n\f" for c in text[:65536]) > len(text[:65536]) // 100
    ):
        raise ReadError("binary data: not an Excel workbook, a CSV/TSV text or GeoJSON")
    return "geojson" if text.lstrip().startswith("{") else "csv"


def _cut(head: bytes) -> bytes:
    """``head`` cut at its last line break, so a multi-byte character is never split."""
    end = head.rfind(b"\n")
    return head[: end + 1] if end > 0 else head


def check_uploads(home: DataHome, files: list[tuple[str, bytes]]) -> list[Checked]:
    """Check ``files`` ((browser name, bytes), in any order) and save those that pass into landing."""
    batch = f"{datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"
    seen = {r.sha256: r.file for r in read_manifest(home) if r.status == "loaded"}
    profiles = all_profiles(home)
    done: list[Checked] = []
    scratch = private_dir(home.root / ".intake")
    with tempfile.TemporaryDirectory(dir=scratch) as tmp:
        for number, (name, data) in enumerate(sorted(files, key=lambda f: f[0]), 1):
            for checked, body, tag in _members(name, data, f"{number:02d}"):
                done.append(checked)
                if checked.reason is None:
                    _check_and_save(home, checked, body, tag, batch, Path(tmp), profiles, seen)
    return done


def _members(name: str, data: bytes, tag: str):
    """(Checked, bytes, tag) of an upload, or of each member of an uploaded zip."""
    item = Checked(name, len(data))
    limit = upload_limit_mb() * 1024 * 1024
    if len(data) > limit:
        item.reason = f"file too large: {_mb(len(data))} > {_mb(limit)} ({MAX_UPLOAD_ENV})"
        yield item, b"", tag
        return
    try:
        item.kind = kind_of(data)
    except ReadError as exc:
        item.reason = f"unreadable: {exc}"
    if item.kind != "zip":
        yield item, data, tag
        return
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [p for p in archive.infolist() if not p.is_dir() and not _hidden(p.filename)]
        why = _zip_refusal(parts)
        if why:
            item.reason = why
            yield item, b"", tag
            return
        for number, part in enumerate(sorted(parts, key=lambda p: p.filename), 1):
            member = Checked(f"{name} › {part.filename}", part.file_size)
            body = b""
            try:
                body = _read_capped(archive, part, limit)
                member.size, member.kind = len(body), kind_of(body)
            except ReadError as exc:
                member.reason = f"unreadable: {exc}"
            if member.kind == "zip":
                member.reason = "a zip inside a zip: upload the inner zip itself"
            yield member, body, f"{tag}-{number:03d}"


def _hidden(name: str) -> bool:
    """A zip member that is no export: macOS resource forks, hidden files (as landing skips them)."""
    parts = name.replace("\\", "/").split("/")
    return "__MACOSX" in parts or parts[-1].startswith(".")


def _zip_refusal(parts: list[zipfile.ZipInfo]) -> str | None:
    if not parts:
        return "an empty zip"
    if len(parts) > MAX_MEMBERS:
        return f"a zip of {len(parts):,} files (at most {MAX_MEMBERS}): upload it in parts"
    try:
        limit = float(os.environ.get(MAX_UNZIPPED_ENV) or MAX_UNZIPPED_MB) * 1024 * 1024
    except ValueError:
        limit = MAX_UNZIPPED_MB * 1024 * 1024
    total = sum(p.file_size for p in parts)
    if total > limit:
        return f"zip too large: {_mb(total)} unpacked > {_mb(limit)} ({MAX_UNZIPPED_ENV})"
    for p in parts:
        if p.file_size > 1 << 20 and p.file_size > MAX_RATIO * max(p.compress_size, 1):
            return f"a zip member compressed more than {MAX_RATIO}:1: not unpacked, as a zip bomb"
    return None


def _read_capped(archive: zipfile.ZipFile, part: zipfile.ZipInfo, limit: float) -> bytes:
    """A member's bytes, read no further than ``limit`` whatever its header claims; ReadError if it
    is larger, encrypted or damaged."""
    out = bytearray()
    try:
        with archive.open(part) as handle:
            while chunk := handle.read(1 << 20):
                out += chunk
                if len(out) > limit:
                    raise ReadError(f"over {_mb(limit)} unpacked ({MAX_UPLOAD_ENV})")
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
        raise ReadError(f"a damaged or encrypted zip member ({type(exc).__name__})") from exc
    return bytes(out)


def _check_and_save(
    home: DataHome,
    item: Checked,
    body: bytes,
    tag: str,
    batch: str,
    tmp: Path,
    profiles: list[Profile],
    seen: dict[str, str],
) -> None:
    """The loader's checks on the bytes in a scratch file; then into landing, or the reason why not."""
    item.sha256 = hashlib.sha256(body).hexdigest()
    if item.sha256 in seen:
        item.reason = f"already loaded (same bytes as {seen[item.sha256]})"
        item.already_loaded = True
        return
    scratch = tmp / f"{tag}{SUFFIX[item.kind or 'csv']}"
    scratch.write_bytes(body)
    item.reason = refusal(scratch)
    if item.reason is None:
        plan = plan_for(scratch, profiles)  # the loader's own reading: header row, profile
        if isinstance(plan, str):
            item.reason = tidy_reason(plan)
        else:
            plan[0].discard()
            item.profile = plan[1].profile.name
    if item.reason is None:
        item.saved_as = _save(home, scratch, batch, f"{tag}-{item.sha256[:12]}{scratch.suffix}")
        seen[item.sha256] = item.saved_as
    scratch.unlink(missing_ok=True)


def _save(home: DataHome, scratch: Path, batch: str, name: str) -> str:
    """``scratch`` into landing as ``uploads/<batch>/<name>``, whole (landing may be another file system)."""
    folder = home.landing / UPLOADS / batch
    folder.mkdir(parents=True, exist_ok=True)
    part = folder / f".{name}.part"
    part.write_bytes(scratch.read_bytes())
    os.replace(part, folder / name)
    return (folder / name).relative_to(home.landing).as_posix()


def _mb(size: float) -> str:
    return f"{size / 1024 / 1024:,.1f} MB"
