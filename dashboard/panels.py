"""HTML panels the pages draw with ``st.html``: small builders, text in, HTML out.

Every piece of text a builder is given is escaped (street, community and department names, categories,
descriptions come from the source systems' exports, and an export is not trusted to be free of markup);
only a parameter named ``*_html`` is taken as HTML, and it must come from another builder here. Styles live
in stylesheet files (dashboard/styles/), read once per process.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from html import escape
from pathlib import Path

from . import formatting

STYLES = Path(__file__).resolve().with_name("styles")


@functools.cache
def _css(name: str) -> str:
    return (STYLES / f"{name}.css").read_text(encoding="utf-8")


def stylesheet(*names: str) -> str:
    """The named stylesheets of dashboard/styles/ as one ``<style>`` element (files read once per process)."""
    return "<style>" + "\n".join(_css(n) for n in names) + "</style>"


def screen_styles(kiosk: bool) -> str:
    """The command center's styles: its panels with the wall's palette and frame, or the app's palette."""
    return stylesheet("screen", "screen-wall" if kiosk else "screen-app")


def board_title(text: str) -> str:
    """A panel's heading."""
    return f"<div class='board-title'>{escape(text)}</div>"


def empty(text: str) -> str:
    """What a panel says when it has nothing to show, instead of a blank space."""
    return f"<div class='panel-empty'>{escape(text)}</div>"


def change(now: float | None, before: float | None, unit: str) -> str:
    """A KPI's change (:func:`dashboard.formatting.change`) coloured by its direction."""
    text, way = formatting.change(now, before, unit)
    return f"<span class='{way}'>{escape(text)}</span>"


def rank_change(change: int | None) -> str:
    """A rank change as a coloured arrow: ▲2 up, ▼1 down, — none."""
    way = formatting.direction(change)
    text = formatting.arrow(change).replace(" ", "")
    return f"<span class='{way}'>{escape(text)}</span>"


def kpi_card(
    code: str, value: float | None, name: str, unit: str, shown: str, basis: str, delta_html: str, alert: bool
) -> str:
    """One KPI card: its name and unit, the value as ``shown``, its basis and its comparison (HTML)."""
    return (
        f"<div class='kpi{' alert' if alert else ''}' data-kpi='{escape(code)}' data-value='{escape(str(value))}'>"
        f"<div class='kpi-name'>{escape(name)}<span class='kpi-unit'>（{escape(unit)}）</span></div>"
        f"<div class='kpi-value'>{escape(shown)}</div>"
        f"<div class='kpi-basis'>{escape(basis)}</div>"
        f"<div class='kpi-delta'>{delta_html}</div></div>"
    )


def kpi_row(cards_html: Iterable[str]) -> str:
    return f"<div class='kpi-row'>{''.join(cards_html)}</div>"


def urgent_list(items: Iterable[dict], page: int, pages: int, overdue_label: str) -> str:
    """Urgent cases, one line each (``category``, ``place``, ``reported``, ``channel``, ``overdue``), and the
    pager ``page + 1 / pages``."""
    lines = "".join(
        f"<li class='{'overdue' if i['overdue'] else ''}'><b>{escape(i['category'] or formatting.MISSING)}</b> · "
        f"{escape(i['place'])}<br><small>{escape(i['reported'])} · {escape(i['channel'] or formatting.MISSING)}"
        f"{' · ' + escape(overdue_label) if i['overdue'] else ''}</small></li>"
        for i in items
    )
    return f"<ul class='urgent'>{lines}</ul><div class='pager'>{page + 1} / {pages}</div>"


def table_board(
    title: str, headers: list[str], rows: Iterable[list[str]], html_columns: frozenset[int] = frozenset()
) -> str:
    """A titled table; cells are text, except the columns in ``html_columns`` (built here, e.g. rank_change)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{c if j in html_columns else escape(str(c))}</td>" for j, c in enumerate(r))
        + "</tr>"
        for r in rows
    )
    return board_title(title) + f"<table class='board'><tr>{head}</tr>{body}</table>"


def screen_title(title: str, place: str, refreshed: str) -> str:
    """The command center's heading: the title, then where and when (``data-refreshed``: when it redrew)."""
    return (
        f"<div class='cc-title' data-refreshed='{escape(refreshed)}'>{escape(title)}"
        f"<span class='cc-sub'>{escape(place)}</span></div>"
    )


def escaped(**values: object) -> dict[str, str]:
    """``values`` as escaped text, to fill a label whose template holds markup (``t(key, **escaped(...))``)."""
    return {k: escape(str(v)) for k, v in values.items()}


def callout(
    text_html: str, faller: str, metric: str | None = None, calm: bool = False, badge: str | None = None
) -> str:
    """The note over a ranking (dashboard/styles/desk.css): red for who fell most, green (``calm``) when
    nobody did. ``text_html``: labels filled with :func:`escaped` values; ``badge``: a tag after the text;
    ``data-faller`` / ``data-metric``: who and why, for the browser tests."""
    attrs = f" data-faller='{escape(faller)}'" + (
        "" if metric is None else f" data-metric='{escape(metric)}'"
    )
    tag = f" <span class='desk-sim'>{escape(badge)}</span>" if badge else ""
    return f"<div class='desk-callout{' calm' if calm else ''}'{attrs}>{text_html}{tag}</div>"


def marker(data: dict[str, object]) -> str:
    """An invisible element whose ``data-*`` attributes a browser test or the bench waits for or reads
    (``{"desk-drawn": "funnel"}`` → ``[data-desk-drawn='funnel']``)."""
    attrs = "".join(f" data-{escape(k)}='{escape(str(v))}'" for k, v in data.items())
    return f"<div{attrs} style='height:1px'></div>"


def heading(text: str, tone: str) -> str:
    """A small heading over a list (dashboard/styles/desk.css): ``tone`` red or black."""
    return f"<h4 class='list-heading {escape(tone)}'>{escape(text)}</h4>"
