"""The 通报 as a PDF: the content model as HTML (Jinja2, templates/bulletin.html + .css), laid out by
WeasyPrint (pango; fonts from fontconfig, subset and embedded in the file).

Nothing is fetched: charts are inline data: URLs and any other URL is refused, so the document comes
out the same on an air-gapped intranet.
"""

from __future__ import annotations

import base64
from dataclasses import asdict
from pathlib import Path

import jinja2

from .content import Bulletin, BulletinError

TEMPLATES = Path(__file__).parent / "templates"


def render_html(doc: Bulletin) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    fields = asdict(doc)
    fields["css"] = (TEMPLATES / "bulletin.css").read_text(encoding="utf-8")
    for section in fields["sections"]:
        for f in section["figures"]:
            f["src"] = "data:image/png;base64," + base64.b64encode(f.pop("png")).decode()
    return env.get_template("bulletin.html").render(**fields)


def render_pdf(doc: Bulletin) -> bytes:
    try:  # loads pango: only when a PDF is asked for
        import weasyprint
        from weasyprint.urls import URLFetcher
    except OSError as exc:
        raise BulletinError(
            f"the PDF needs the pango library ({exc}): apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0, or take the Word file"
        ) from exc

    offline = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    html = weasyprint.HTML(string=render_html(doc), url_fetcher=offline, base_url=str(TEMPLATES))
    return html.write_pdf()
