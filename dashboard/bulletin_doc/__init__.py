"""The monthly / quarterly 通报 as a document: Word (.docx, from a replaceable template) and PDF.

    compose()      what it says, read from the current release's marts      (content.py, narrative.py)
    figures        its charts as PNG, rendered offline                       (figures.py)
    render_docx()  the Word file, docxtpl over templates/bulletin.docx       (word.py, make_template.py)
    render_pdf()   the PDF, WeasyPrint over templates/bulletin.html          (pdf.py)

``generate`` is the one call the CLI (`gridpulse bulletin`) and the pages' download buttons make. No
Streamlit here (buttons.py, for the pages, is the only module that imports it).
"""

from __future__ import annotations

from datetime import datetime

import polars as pl

from dashboard.queries.filter import EVERYTHING, Filter
from dashboard.queries.sql import bind, load, scoped
from warehouse.home.paths import DataHome
from warehouse.home.settings import city_name, read_settings
from warehouse.release.releases import current_release_db, open_release

from .content import KINDS, Bulletin, BulletinError, compose, title_for

FORMATS = ("docx", "pdf")
MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}

__all__ = ["FORMATS", "KINDS", "MIME", "Bulletin", "BulletinError", "compose", "generate", "title_for"]


def generate(
    home: DataHome,
    period: str,
    *,
    kind: str = "streets",
    fmt: str = "docx",
    street: str | None = None,
    scope: tuple[str, ...] | None = None,
    generated_at: datetime | None = None,
) -> tuple[Bulletin, bytes]:
    """The 通报 of ``period`` ('2025-11', '2025Q4') from ``home``'s current release, as ``fmt`` bytes.

    ``street`` (code or name) limits it to one street. ``scope`` is the streets the requesting user may
    see (None: the city), applied to every query as on the pages: a street user's document is made from
    their own street's rows only, and a street outside the scope is unknown."""
    if fmt not in FORMATS:
        raise BulletinError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    db = current_release_db(home)
    if db is None:
        raise BulletinError("no warehouse release yet: run `gridpulse build` first")
    settings = read_settings(home)
    con = open_release(db)
    try:

        def query(name: str, f: Filter = EVERYTHING, **extra: object) -> pl.DataFrame:
            q = load(*name.split("/"))
            params = bind(q, scoped(f, scope), **extra)
            return pl.from_arrow(con.sql(q.text, params=params or None).to_arrow_table())

        doc = compose(
            query,
            period,
            kind=kind,
            street=street or (scope[0] if scope is not None and len(scope) == 1 else None),
            city=city_name(home) or "本市",
            release_id=db.parent.name,
            settings=settings,
            generated_at=generated_at,
        )
    finally:
        con.close()
    if fmt == "pdf":
        from .pdf import render_pdf

        return doc, render_pdf(doc)
    from .word import render_docx

    template = settings.get("bulletin_template")
    path = (home.root / str(template)) if template else None
    if path is not None and not path.is_file():
        raise BulletinError(f"bulletin_template in settings.yml names {path}, which is not a file")
    return doc, render_docx(doc, path)
