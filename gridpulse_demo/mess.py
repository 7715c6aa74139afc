"""Cosmetic mess, drawn per row written and exactly reversible (docs/demo-exports.md).

Dates in other formats (``2025/3/5 14:03``, ``2025年3月5日 14:03``, Excel serial
day numbers), full-width digits, stray spaces (incl. U+3000) and wording
variants. Semantic mess (coordinates, GCJ-02, closed-before-reported) is part
of the record and is made by the domain modules, not here.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import numpy as np

from .schema import CODE, DATE, ID, PHONE, STR, TEXT, TS, VAL, Entity

RATES = {
    "date_slash": 0.015,
    "date_excel_serial": 0.008,
    "date_chinese": 0.01,
    "fullwidth_digits": 0.012,
    "stray_spaces": 0.02,
    "status_variant": 0.025,
}
EXCEL_EPOCH = date(1899, 12, 30).toordinal()
# A 1 ms bias keeps truncation as well as rounding (to the second or minute) on the intended minute.
SERIAL_BIAS = 0.001 / 86400
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
PADDING = (" ", "  ", "\u3000", " \u3000", "\u3000\u3000")


def slash(text: str) -> str:
    y, m, d = int(text[0:4]), int(text[5:7]), int(text[8:10])
    return f"{y}/{m}/{d}" + (f" {text[11:16]}" if len(text) > 10 else "")


def chinese(text: str) -> str:
    y, m, d = int(text[0:4]), int(text[5:7]), int(text[8:10])
    return f"{y}年{m}月{d}日" + (f" {text[11:16]}" if len(text) > 10 else "")


def excel_serial(text: str) -> float:
    days = date(int(text[0:4]), int(text[5:7]), int(text[8:10])).toordinal() - EXCEL_EPOCH
    if len(text) == 10:
        return float(days)
    return days + (int(text[11:13]) * 60 + int(text[14:16])) / 1440 + SERIAL_BIAS


class Mess:
    """Applies the cosmetic mess to the rows of one file of ``entity``."""

    def __init__(self, entity: Entity, excel: bool):
        self.excel = excel
        kinds = entity.kinds
        self.dates = [i for i, k in enumerate(kinds) if k in (TS, DATE)]
        self.digits = [i for i, k in enumerate(kinds) if k in (ID, CODE, PHONE)]
        self.padded = [i for i, k in enumerate(kinds) if k in (ID, CODE, PHONE, STR, VAL, TEXT)]
        self.variants = [(entity.index(h), m) for h, m in entity.variants.items()]

    def _serial(self, text: str) -> str | float:
        value = excel_serial(text)
        if self.excel:
            return value
        return str(int(value)) if len(text) == 10 else f"{value:.10f}"

    def apply(self, rows: list[list[str]], rng: np.random.Generator) -> tuple[list[list], Counter]:
        """(rows as written, rows per mess kind); ``rows`` itself is not changed."""
        n = len(rows)
        counts: Counter = Counter()
        out: list[list] = list(rows)
        u = rng.random((n, 8))
        p_slash, p_serial, p_chinese = RATES["date_slash"], RATES["date_excel_serial"], RATES["date_chinese"]
        hit = (
            (u[:, 0] < p_slash + p_serial + p_chinese)
            | (u[:, 1] < RATES["fullwidth_digits"])
            | (u[:, 2] < RATES["stray_spaces"])
            | (u[:, 3] < RATES["status_variant"])
        )
        for i in np.flatnonzero(hit).tolist():
            row: list = list(rows[i])
            r = u[i]
            if r[3] < RATES["status_variant"]:
                options = [(c, m[row[c]]) for c, m in self.variants if row[c] in m]
                if options:
                    col, variants = options[int(r[4] * len(options))]
                    row[col] = variants[int(r[5] * len(variants))]
                    counts["status_variant"] += 1
            standard = set(self.dates)
            if r[0] < p_slash + p_serial + p_chinese:
                cols = [c for c in self.dates if row[c]]
                kind = (
                    "date_slash"
                    if r[0] < p_slash
                    else "date_excel_serial"
                    if r[0] < p_slash + p_serial
                    else "date_chinese"
                )
                for c in cols:
                    row[c] = (
                        slash(row[c])
                        if kind == "date_slash"
                        else chinese(row[c])
                        if kind == "date_chinese"
                        else self._serial(row[c])
                    )
                if cols:
                    counts[kind] += 1
                    standard.clear()
            if r[1] < RATES["fullwidth_digits"]:
                cols = [c for c in self.digits + sorted(standard) if row[c]]
                if cols:
                    c = cols[int(r[6] * len(cols))]
                    row[c] = row[c].translate(FULLWIDTH)
                    counts["fullwidth_digits"] += 1
            if r[2] < RATES["stray_spaces"]:
                cols = [c for c in self.padded if isinstance(row[c], str) and row[c]]
                if cols:
                    c = cols[int(r[7] * len(cols))]
                    pad = PADDING[int(r[7] * 1000) % len(PADDING)]
                    side = int(r[7] * 10000) % 3
                    row[c] = (pad if side != 1 else "") + row[c] + (pad if side != 0 else "")
                    counts["stray_spaces"] += 1
            out[i] = row
        return out, counts
