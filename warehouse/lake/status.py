"""`gridpulse status`: what the lake holds, file by file and table by table."""

from __future__ import annotations

from typing import Any

import duckdb

from warehouse.home.paths import DataHome
from warehouse.release.releases import current_release_db, history

from .manifest import MANIFEST_COLUMNS, read_manifest
from .parts import part_files, read_parts


def lake_status(home: DataHome) -> dict[str, Any]:
    manifest = read_manifest(home)
    files = []
    for r in sorted(manifest, key=lambda r: r.file):
        item = {k: getattr(r, k) for k in MANIFEST_COLUMNS}
        item["loaded_at"] = r.loaded_at.isoformat(sep=" ") if r.loaded_at else None
        item["invariant_holds"] = r.invariant_holds
        files.append(item)
    tables: dict[str, dict[str, Any]] = {}
    quarantine: dict[str, dict[str, int]] = {}
    con = duckdb.connect()
    try:
        if home.lake.exists():
            for folder in sorted(p for p in home.lake.glob("*/*") if p.is_dir()):
                parts = part_files(folder)
                if folder.parent.name.startswith("_") or not parts:
                    continue
                rows = con.execute(f"select count(*) from {read_parts(parts)}").fetchone()[0]
                tables[f"{folder.parent.name}/{folder.name}"] = {"rows": rows, "path": str(folder)}
            qfiles = sorted(home.quarantine.glob("*/*/*.parquet")) if home.quarantine.exists() else []
            if qfiles:
                for source, entity, reason, n in con.execute(
                    "select source, entity, reason, count(*) from read_parquet(?) group by all order by all",
                    [[str(p) for p in qfiles]],
                ).fetchall():
                    quarantine.setdefault(f"{source}/{entity}", {})[reason] = n
    finally:
        con.close()
    current = current_release_db(home)
    return {
        "data_home": str(home.root),
        "current_release": str(current) if current else None,
        "releases": history(home),
        "tables": tables,
        "quarantine": quarantine,
        "files": files,
        "invariant_holds": all(f["invariant_holds"] for f in files if f["status"] == "loaded"),
    }


def format_status(status: dict[str, Any]) -> str:
    lines = [
        f"data home: {status['data_home']}",
        f"current release: {status['current_release'] or '(none — run `gridpulse build`)'}",
    ]
    for r in status["releases"][:5]:
        flag = "*" if r.get("current") else " "
        lines.append(
            f"  {flag} {r.get('id')}  {r.get('status'):<8} {r.get('finished_at') or r.get('started_at') or ''}"
        )
    lines += ["", "lake tables:"]
    if not status["tables"]:
        lines.append("  (empty — run `gridpulse generate` then `gridpulse load`)")
    for name, t in status["tables"].items():
        lines.append(f"  {name:<24} {t['rows']:>12,} rows")
    lines += ["", "quarantine by reason:"]
    if not status["quarantine"]:
        lines.append("  (none)")
    for table, reasons in status["quarantine"].items():
        for reason, n in reasons.items():
            lines.append(f"  {table:<24} {reason:<28} {n:>8,}")
    lines += ["", "files:", f"  {'status':<9}{'read':>10}{'accepted':>10}{'quarant.':>10}{'dup':>8}  file"]
    for f in status["files"]:
        lines.append(
            f"  {f['status']:<9}{f['rows_read']:>10,}{f['rows_accepted']:>10,}{f['rows_quarantined']:>10,}"
            f"{f['rows_duplicate']:>8,}  {f['file']}" + (f"  — {f['reason']}" if f["reason"] else "")
        )
    return "\n".join(lines)
