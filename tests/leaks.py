"""Does a page or a file name another street? The street-scope tests' shared checks (issue 18).

Names are matched as text; codes only as whole numbers, so a grid code that merely contains a street's
digits is not taken for it.
"""

from __future__ import annotations

import io
import re
import zipfile


def other_streets(warehouse, own: str) -> list[tuple[str, str]]:
    """(code, name) of every street in the release's dim_streets but ``own``."""
    return warehouse.query(
        "select street_code, street_name from dim_streets where street_code <> ? order by 1", [own]
    )


def leaks(text: str, others: list[tuple[str, str]]) -> list[str]:
    """The other streets' names and codes found in ``text``."""
    found = [name for _, name in others if name in text]
    found += [code for code, _ in others if re.search(rf"(?<!\d){re.escape(code)}(?!\d)", text)]
    return found


def file_text(file_name: str, data: bytes) -> str:
    """Every piece of text in a downloaded file: xlsx cells, docx paragraphs/tables/headers, pdf text, csv."""
    suffix = file_name.rsplit(".", 1)[-1].lower()
    if suffix == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True)
        cells = [
            str(v)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for v in row
            if v is not None
        ]
        return "\n".join([*book.sheetnames, *cells])
    if suffix == "docx":
        from docx import Document

        doc = Document(io.BytesIO(data))
        parts = [p.text for p in doc.paragraphs]
        parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
        parts += [p.text for s in doc.sections for p in (*s.header.paragraphs, *s.footer.paragraphs)]
        # and the raw XML, for anything outside paragraphs (text boxes, properties)
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts += [z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml")]
        return "\n".join(parts)
    if suffix == "pdf":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        return "\n".join([page.extract_text() or "" for page in reader.pages] + [str(reader.metadata or "")])
    return data.decode("utf-8-sig", "replace")
