"""A street user sees only their own street (issue 18): every page they may open, the big screen and its
carousel, and every file they download — no other street's name or code anywhere, attacks included.

The pages are rendered with AppTest as the street user; every element's protobuf is read field by field
(texts, JSON specs of maps and charts, the Arrow tables of dataframes and charts). The download buttons'
files are made as Streamlit makes them — outside the script run — and read back as text (xlsx, docx, pdf).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import access
from dashboard.access import SCOPE_KEY, SESSION_KEY, session_record
from tests.leaks import file_text, leaks, other_streets
from warehouse.access import audit
from warehouse.access.accounts import AccountStore
from warehouse.access.screens import ScreenStore

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
STREET_PAGES = [
    "command_center",
    "map",
    "funnel",
    "street_ranking",
    "department_ranking",
    "report_in",
    "property_lists",
]
ACCOUNT, PASSWORD = "scope-street", "scope-street-18"


@pytest.fixture(scope="module")
def own(warehouse) -> str:
    street = warehouse.query("select min(street_code) from dim_streets")[0][0]
    store = AccountStore(warehouse.home)
    if store.get(ACCOUNT) is None:
        store.add(ACCOUNT, "street", PASSWORD, street)
    return street


@pytest.fixture
def downloads(monkeypatch) -> list[dict[str, Any]]:
    """Every export a page offers, caught where every download button gets its data: access.audited_download.
    The file is named after what it is ("… (xlsx)" → "….xlsx"); its data is the callable Streamlit calls later."""
    made: list[dict[str, Any]] = []
    real = access.audited_download

    def recording(make, what, **kwargs):
        data = real(make, what, **kwargs)
        fmt = what.rsplit("(", 1)[-1].rstrip(")")
        made.append({"data": data, "file_name": f"{what}.{fmt}"})
        return data

    monkeypatch.setattr(access, "audited_download", recording)
    return made


def proto_text(message) -> list[str]:
    """Every string in a protobuf message, and every Arrow table in it as CSV (dataframes, chart data)."""
    out: list[str] = []
    for field, value in message.ListFields():
        values = value if field.is_repeated else [value]
        for v in values:
            if isinstance(v, str):
                out.append(v)
            elif isinstance(v, bytes):
                out.append(arrow_text(v))
            elif hasattr(v, "ListFields"):
                out += proto_text(v)
    return out


def arrow_text(data: bytes) -> str:
    try:
        table = pa.ipc.open_stream(io.BytesIO(data)).read_all()
    except (pa.ArrowInvalid, OSError):
        return data.decode("utf-8", "replace")
    return "\n".join([*table.column_names, *(str(v) for col in table.columns for v in col.to_pylist())])


def page_text(at: AppTest) -> str:
    parts: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "ListFields"):
            parts.extend(proto_text(proto))
        for child in (getattr(node, "children", None) or {}).values():
            walk(child)

    walk(at.main)
    walk(at.sidebar)
    return "\n".join(parts)


def signed_in_street(monkeypatch, warehouse, street: str, params: dict | None = None) -> AppTest:
    monkeypatch.setenv("GRIDPULSE_HOME", str(warehouse.home.root))
    at = AppTest.from_file(APP, default_timeout=180)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.session_state["lang"] = "zh"
    at.session_state[SESSION_KEY] = session_record(ACCOUNT, "street", street)
    return at


def open_page(at: AppTest, page: str) -> AppTest:
    at.run()
    at.switch_page(f"views/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def made_files(downloads: list[dict[str, Any]]) -> dict[str, bytes]:
    """The download buttons' files, made as Streamlit makes them: the callable run outside the script run."""
    files = {}
    for d in downloads:
        data = d["data"]() if isinstance(data := d["data"], Callable) else data
        files[d["file_name"]] = data.encode() if isinstance(data, str) else data
    return files


@pytest.mark.parametrize("page", STREET_PAGES)
def test_a_street_users_page_and_downloads_name_no_other_street(monkeypatch, warehouse, own, downloads, page):
    others = other_streets(warehouse, own)
    own_name = warehouse.query("select street_name from dim_streets where street_code = ?", [own])[0][0]
    at = open_page(signed_in_street(monkeypatch, warehouse, own), page)
    text = page_text(at)
    assert own_name in text or page == "department_ranking"  # the page is about their street
    assert leaks(text, others) == [], page
    # the street filter offers their street only, not "all streets"
    pickers = [s for s in at.sidebar.selectbox if s.label == "街道"]
    assert all(s.options == [own_name] for s in pickers), [s.options for s in pickers]
    before = len(audit.read(warehouse.home))
    files = made_files(downloads)
    for name, data in files.items():
        assert leaks(name + "\n" + file_text(name, data), others) == [], name
    exports = [e for e in audit.read(warehouse.home)[before:] if e["event"] == "export"]
    assert len(exports) == len(files)
    assert all(e["what"] and e["period"] and e["scope"] == own and e["user"] == ACCOUNT for e in exports), (
        exports
    )
    if page in ("street_ranking", "property_lists", "department_ranking"):
        assert files, f"{page} offers its 通报 downloads"


@pytest.mark.parametrize("params", [{"kiosk": "1"}, {"kiosk": "1", "carousel": "1"}])
def test_a_street_screens_kiosk_link_shows_only_that_street(monkeypatch, warehouse, own, params):
    others = other_streets(warehouse, own)
    token = ScreenStore(warehouse.home).add(f"scope-wall-{len(params)}", own)
    monkeypatch.setenv("GRIDPULSE_HOME", str(warehouse.home.root))
    at = AppTest.from_file(APP, default_timeout=180)
    for k, v in {**params, "screen": token}.items():
        at.query_params[k] = v
    texts = []
    for _ in range(3):  # the carousel moves on each run
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        texts.append(page_text(at))
    assert "data-kpi" in texts[0]
    assert leaks("\n".join(texts), others) == []


ATTACKS: dict[str, Callable[[AppTest, str], None]] = {
    # the sidebar's street filter set to another street (as a crafted widget message would)
    "street filter": lambda at, other: at.session_state.__setitem__("street_code", other),
    # the session's scope overwritten before the run
    "session scope": lambda at, other: at.session_state.__setitem__(SCOPE_KEY, None),
    "session scope other": lambda at, other: at.session_state.__setitem__(SCOPE_KEY, (other,)),
    # URL parameters a page might be thought to read
    "url street": lambda at, other: at.query_params.__setitem__("street", other),
    "url street_code": lambda at, other: at.query_params.__setitem__("street_code", other),
}


@pytest.mark.parametrize("attack", list(ATTACKS))
@pytest.mark.parametrize("page", ["command_center", "street_ranking", "funnel"])
def test_attacks_on_the_scope_get_nothing_of_another_street(
    monkeypatch, warehouse, own, downloads, attack, page
):
    others = other_streets(warehouse, own)
    at = signed_in_street(monkeypatch, warehouse, own)
    at.run()
    ATTACKS[attack](at, others[0][0])
    at.switch_page(f"views/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state[SCOPE_KEY] == (own,)
    assert leaks(page_text(at), others) == [], attack
    for name, data in made_files(downloads).items():
        assert leaks(file_text(name, data), others) == [], (attack, name)


def test_a_session_record_claiming_another_street_signs_out(monkeypatch, warehouse, own):
    """The signed-in record is checked against the account every run: another street in it ends the session."""
    others = other_streets(warehouse, own)
    at = signed_in_street(monkeypatch, warehouse, own)
    at.run()
    at.session_state[SESSION_KEY] = {**at.session_state[SESSION_KEY], "street": others[0][0]}
    at.run()
    assert [w.label for w in at.text_input] == ["用户名", "密码"]
    assert leaks(page_text(at), others) == []


def test_a_document_for_another_street_is_refused_inside_a_street_scope(warehouse, own):
    """The 通报 generator applies the requesting user's scope: another street is unknown, and the
    street's own document names no other street."""
    from dashboard.bulletin_doc import BulletinError, generate

    others = other_streets(warehouse, own)
    month = warehouse.query("select max(period_label) from mart_street_ranking where period_type = 'month'")[
        0
    ][0]
    with pytest.raises(BulletinError, match="unknown street"):
        generate(warehouse.home, month, kind="all", street=others[0][0], scope=(own,))
    doc, data = generate(warehouse.home, month, kind="all", scope=(own,))
    assert doc.street_code == own
    assert leaks(file_text("x.docx", data), others) == []


@pytest.mark.parametrize("page", ["street_ranking", "department_ranking"])
def test_a_street_users_ranking_page_says_it_is_limited_to_their_street(monkeypatch, warehouse, own, page):
    """Issue 16 §2 review: the ranking pages' caption read as the city's for a signed-in street user."""
    own_name = warehouse.query("select street_name from dim_streets where street_code = ?", [own])[0][0]
    at = open_page(signed_in_street(monkeypatch, warehouse, own), page)
    captions = [c.value for c in at.caption]
    assert any(f"本页限于您的街道：{own_name}" in c for c in captions), captions
    expected = "名次为在全部" if page == "street_ranking" else "只计本街道的案件和事件"
    assert any(expected in c for c in captions), captions
