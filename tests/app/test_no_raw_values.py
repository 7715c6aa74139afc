"""Issue 16: no page in either language shows "None", "nan", "NaT" or a raw column name, in its text, its
tables' headers or their cells; and the Chinese UI says GridPulse's own words in Chinese."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n import LABELS

from .test_pages import APP, run_page

PAGES = sorted(f"views/{p.name}" for p in (Path(APP).parent / "views").glob("*.py"))
RAW = re.compile(r"\b(None|nan|NaN|NaT|null)\b")
RAW_HEADER = re.compile(r"^[a-z][a-z0-9_]*$")  # a column name as the code spells it (labels are capitalised)
SNAKE_IN_TEXT = re.compile(r"(?<![\w./`-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w./`(-])")


class _Text(HTMLParser):
    """The visible text of an HTML fragment (no tags, attributes, styles or scripts)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script") and self._skip > 0

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def texts(at: AppTest) -> list[str]:
    """Every string the page shows outside its tables (markdown without code spans, html text, metrics…)."""
    out: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "caption",
        "markdown",
        "info",
        "warning",
        "error",
        "success",
        "text",
        "latex",
    ):
        out += [re.sub(r"`[^`]*`", "", str(e.value)) for e in getattr(at, kind)]
    out += [visible(h.proto.body) for h in at.get("html")]
    for m in at.metric:
        out += [m.label, str(m.value)]
    out += [re.sub(r"`[^`]*`", "", e.label) for e in at.expander] + [tab.label for tab in at.tabs]
    for box in [*at.selectbox, *at.radio, *at.multiselect]:
        out += [box.label, *map(str, box.options)]
    return out


def table_problems(frame, config: dict, order: list[str]) -> list[str]:
    """Headers and cells a reader would see in one st.dataframe (``order``: its column_order, if any)."""
    problems = []
    columns = config.get("columns", config) if isinstance(config, dict) else {}
    for name in order or frame.columns:
        conf = columns.get(name) or columns.get(f"col:{name}") or {}
        if conf.get("hidden"):
            continue
        header = conf.get("label") or str(name)
        if RAW_HEADER.match(header):
            problems.append(f"header {header!r}")
        col = frame[name]
        # a progress column draws a missing value as an empty cell (no bar, no "None"): the departments
        # page's unranked department, whose score column keeps every other row's bar
        progress = (conf.get("type_config") or {}).get("type") == "progress"
        if col.isna().any() and not progress:
            problems.append(f"empty cells (shown as None) in {header!r}")
        if col.dtype == object and col.astype(str).isin(["None", "nan", "NaN", "NaT"]).any():
            problems.append(f"raw text cells in {header!r}")
    return problems


def page_problems(at: AppTest) -> list[str]:
    problems = [f"exception: {e.value}" for e in at.exception]
    for text in texts(at):
        problems += [f"{m.group(0)!r} in {text[:120]!r}" for m in RAW.finditer(text)]
        problems += [f"raw name {m.group(0)!r} in {text[:120]!r}" for m in SNAKE_IN_TEXT.finditer(text)]
    for table in at.dataframe:
        config = json.loads(table.proto.columns or "{}")
        problems += table_problems(table.value, config, list(table.proto.column_order))
    return problems


FUNNEL_TABS = ["desk_tab_events", "desk_tab_durations", "desk_tab_breakdown"]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_no_page_shows_raw_values(monkeypatch, warehouse, page, lang):
    at = run_page(monkeypatch, warehouse.home.root, page, lang=lang, role="admin")
    problems = page_problems(at)
    if page.endswith("funnel.py"):
        # the funnel draws only its open tab: open each in turn, each in a fresh session (AppTest re-formats
        # an English radio's value in Chinese on a rerun)
        for key in FUNNEL_TABS:
            at = run_page(
                monkeypatch,
                warehouse.home.root,
                page,
                lang=lang,
                role="admin",
                state={"funnel_tab": LABELS[key][lang == "en"]},
            )
            problems += page_problems(at)
    assert not problems, "\n".join(sorted(set(problems)))


def test_the_unassigned_division_is_named_in_the_ui_language():
    """未划分 (the warehouse's name of an unknown street / community) reads "Unassigned" in the English UI."""

    def page() -> None:
        import polars as pl
        import streamlit as st

        from dashboard.i18n import localized_divisions

        frame = pl.DataFrame({"street_name": ["未划分", "城关街道"], "street_code": ["UNASSIGNED", "S1"]})
        for lang in ("zh", "en"):
            st.session_state.lang = lang
            st.text(" / ".join(localized_divisions(frame)["street_name"]))

    at = AppTest.from_function(page).run()
    assert [x.value for x in at.text] == ["未划分 / 城关街道", "Unassigned / 城关街道"]
