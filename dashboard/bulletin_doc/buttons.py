"""The pages' download buttons for the 通报 document of the period on screen (Word and PDF).

The document is made only when a button is clicked (Streamlit calls ``data`` then), from the same
current release the page shows. ``street`` limits it to one street — a street-scoped user's.
"""

from __future__ import annotations

import streamlit as st

from dashboard import access, db, i18n
from dashboard.bulletin import period_text
from dashboard.i18n import t
from dashboard.queries import EVERYTHING, screens
from dashboard.queries.sql import session_scope

from . import MIME, generate
from .content import parse_period, title_for


def scoped_street(user: access.User | None, street: str | None) -> str | None:
    """The street a document covers: a street user's own, whatever the page asked for; else ``street``."""
    if user is not None and user.role == "street":
        return user.street
    return street


def download_buttons(kind: str, period_label: str, street: str | None = None, key: str = "") -> None:
    street = scoped_street(access.current_user(), street)
    # taken now, in the script run: Streamlit makes the file later, outside it, where no session is at hand
    scope = session_scope()
    period_type, start, _ = parse_period(period_label)
    streets = screens.streets(EVERYTHING) if street else None
    street_name = dict(streets.iter_rows()).get(street) if streets is not None and streets.height else None
    stem = title_for(i18n.city(), period_text(period_type, start), kind, street_name)
    left, right = st.columns(2)
    for col, fmt in ((left, "docx"), (right, "pdf")):
        col.download_button(
            t(f"bulletin_{fmt}"),
            data=access.audited_download(  # the export is written to the audit log when it is made
                lambda fmt=fmt: generate(
                    db.home(), period_label, kind=kind, fmt=fmt, street=street, scope=scope
                )[1],
                f"{kind} bulletin ({fmt})",
                period=period_label,
                scope=street or "all streets",
            ),
            file_name=f"{stem}.{fmt}",
            mime=MIME[fmt],
            on_click="ignore",
            icon=":material/description:",
            help=t("bulletin_doc_help"),
            key=f"bulletin_{key or kind}_{fmt}",
            width="stretch",
        )
