"""The 通报 as a Word file: the content model poured into a .docx template by docxtpl.

The stock template is templates/bulletin.docx (made by make_template.py); a department's own copy —
its letterhead, issuing unit, fonts — is used instead when settings.yml names it (``bulletin_template``).
Every field the template may use is in :func:`context`.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import asdict
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docx.table import Table
from docxtpl import DocxTemplate, InlineImage

from .content import Bulletin
from .make_template import TEMPLATE

TYPE_AREA_MM = 156.0  # A4 less the 28 + 26 mm side margins
CJK_MM, LATIN_MM = (
    3.6,
    2.3,
)  # a character of the tables' 10 pt text (Latin: the widest fallback faces' digits)
CELL_PADDING_MM = 4.2  # the cell margins either side, and a little air
SHORT_MM = 24.0  # a column whose every cell is narrower keeps its text on one line
LONG_MM = 45.0  # beyond this a long column's claim on the rest stops growing
HEADER_MIN_MM = 2 * CJK_MM  # a header wraps to two characters a line at the narrowest


def context(doc: Bulletin, template: DocxTemplate) -> dict[str, Any]:
    """The template's fields: title, issuing_unit, doc_number, recipients, intro, date_text, city, period_text,
    release_id, data_as_of, and ``sections`` (heading, paragraphs, tables: caption/header/rows/notes,
    figures: image/caption)."""
    fields = asdict(doc)
    fields["sections"] = []
    for section in doc.sections:
        images = [
            {"caption": f.caption, "image": InlineImage(template, io.BytesIO(f.png), width=Mm(f.width_mm))}
            for f in section.figures
        ]
        fields["sections"].append(asdict(section) | {"figures": images})
    return fields


def _text_mm(text: str) -> float:
    return sum(CJK_MM if unicodedata.east_asian_width(ch) in "WFA" else LATIN_MM for ch in text)


def fit_columns(table: Table, type_area_mm: float = TYPE_AREA_MM) -> None:
    """Column widths from the cells' text: short columns (ranks, scores, rates) on one line, the long text
    columns (names, notes) share what is left.

    The template's table repeats one cell per column (docxtpl), so every column starts equally wide;
    Word would autofit them, LibreOffice and WPS keep the grid.
    """
    rows = [[c.text for c in row.cells] for row in table.rows]
    if not rows or not rows[0]:
        return
    want = []
    for col in zip(*rows, strict=False):
        body = max((_text_mm(t) for t in col[1:]), default=0.0)
        want.append(max(body, min(_text_mm(col[0]), HEADER_MIN_MM)) + CELL_PADDING_MM)
    short = [w <= SHORT_MM for w in want]
    fixed = sum(w for w, s in zip(want, short, strict=True) if s)
    # the long columns share the rest, wrapping as needed; a very long one (notes) does not crowd out names
    share = [0.0 if s else min(w, LONG_MM) for w, s in zip(want, short, strict=True)]
    if sum(share) and fixed < type_area_mm * 0.8:
        rest = (type_area_mm - fixed) / sum(share)
        widths = [w if s else part * rest for w, s, part in zip(want, short, share, strict=True)]
    else:
        widths = want
    scale = type_area_mm / sum(widths)
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width * scale)
        for cell in column.cells:
            cell.width = Mm(width * scale)


def render_docx(doc: Bulletin, template: Path | None = None) -> bytes:
    tpl = DocxTemplate(str(template or TEMPLATE))
    tpl.render(context(doc, tpl), autoescape=True)
    for table in tpl.docx.tables:
        fit_columns(table)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()
