"""Deterministic writers: the same rows always give the same bytes."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

import xlsxwriter

from .schema import COORD, NUM


def write_csv(path: Path, headers: list[str], rows: list[list], encoding: str) -> None:
    """CSV with CRLF line ends (as Windows-side exports have), in ``encoding`` (utf-8-sig writes a BOM)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as out:  # streamed: a month at scale 30 is big
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerows(rows)


def write_xlsx(
    path: Path,
    headers: list[str],
    kinds: list[str],
    rows: list[list],
    created: datetime,
    sheet: str = "Sheet1",
) -> None:
    """One sheet, header in row 1; numbers (and Excel serial dates) as number cells, text as text."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    book.set_properties({"created": created, "author": "星澜市数据导出"})
    ws = book.add_worksheet(sheet)
    for c, h in enumerate(headers):
        ws.write_string(0, c, h)
    numeric = [k in (NUM, COORD) for k in kinds]
    write_string, write_number = ws.write_string, ws.write_number
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, float):
                write_number(r, c, value)
            elif value:
                if numeric[c]:
                    write_number(r, c, float(value))
                else:
                    write_string(r, c, value)
    book.close()


def write_geojson(path: Path, features: list[dict]) -> None:
    """A FeatureCollection, one feature per line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_bytes(text.encode("utf-8"))


def write_manifest(path: Path, manifest: dict) -> None:
    path.write_bytes(
        (json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
    )
