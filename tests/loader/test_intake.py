"""Uploads from the data page (issue 19): the type comes from the bytes, the size is capped, the profile is
named or why none fits, and nothing the browser sends (a file name, a zip member's path, a zip bomb) can
write outside landing/uploads or anything at all for a refused file."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from dashboard.refresh_panel import progress_of
from gridpulse_demo import generate
from warehouse.home.paths import DataHome
from warehouse.ingest.intake import check_uploads, kind_of
from warehouse.ingest.load import load
from warehouse.ingest.readers import ReadError, decode_text


@pytest.fixture(scope="module")
def day(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("intake") / "exports"
    generate(out, scale=0.02, days=1)
    return out


@pytest.fixture
def home(tmp_path) -> DataHome:
    return DataHome(tmp_path / "home")


def written(home: DataHome) -> list[str]:
    return sorted(
        p.relative_to(home.root).as_posix()
        for p in home.root.rglob("*")
        if p.is_file() and ".intake" not in p.parts and "auth" not in p.parts
    )


def a_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_the_type_comes_from_the_bytes_not_the_name(day):
    book = next(day.glob("网格事件/*.xlsx")).read_bytes()
    cases = next(day.glob("城运平台/案卷_*.csv")).read_bytes()
    assert kind_of(book) == "xlsx" and kind_of(cases) == "csv"
    assert kind_of(next(day.glob("网格系统/*.geojson")).read_bytes()) == "geojson"
    text, encoding = decode_text(cases)
    assert encoding == "gb18030"  # the demo platform exports as Windows systems do
    assert kind_of(text.encode("utf-8-sig")) == "csv" and kind_of(text.encode("utf-16")) == "csv"
    assert kind_of(a_zip({"a.csv": cases})) == "zip"
    for junk in (os.urandom(5000), b"\x00" * 100 + b"abc", b"  \n"):
        with pytest.raises(ReadError):
            kind_of(junk)


def test_files_are_checked_then_saved_under_generated_names(home, day):
    cases = next(day.glob("城运平台/案卷_*.csv")).read_bytes()
    book = next(day.glob("网格事件/*.xlsx")).read_bytes()
    checked = check_uploads(
        home,
        [
            ("/etc/passwd", decode_text(cases)[0].encode("utf-8-sig")),  # a path as a name: only shown
            ("网格事件.csv", book),  # a workbook under a CSV's name
            ("names.csv", b"a,b\n1,2\n"),
            ("坏文件.xlsx", os.urandom(3000)),
        ],
    )
    by_name = {c.name: c for c in checked}
    assert by_name["/etc/passwd"].kind == "csv" and by_name["/etc/passwd"].profile
    assert by_name["网格事件.csv"].kind == "xlsx" and by_name["网格事件.csv"].ok
    assert "unknown headers" in by_name["names.csv"].reason and not by_name["names.csv"].ok
    assert by_name["坏文件.xlsx"].reason.startswith("unreadable") and by_name["坏文件.xlsx"].kind is None
    saved = sorted(c.saved_as for c in checked if c.ok)
    assert written(home) == [f"landing/{s}" for s in saved]
    assert all(s.startswith("uploads/") and s.rsplit("/", 1)[1][:2].isdigit() for s in saved)
    assert {Path(s).suffix for s in saved} == {".csv", ".xlsx"}


def test_zip_members_cannot_escape_and_bombs_are_not_unpacked(home, day, tmp_path):
    cases = next(day.glob("城运平台/案卷_*.csv")).read_bytes()
    escape = check_uploads(
        home,
        [
            (
                "exports.zip",
                a_zip(
                    {
                        "../../../evil.csv": cases,
                        "/abs/x.csv": cases,
                        "__MACOSX/._evil.csv": b"junk",
                        "inner.zip": a_zip({"x.csv": b"a,b\n"}),
                    }
                ),
            )
        ],
    )
    assert [c.name for c in escape] == [
        "exports.zip › ../../../evil.csv",
        "exports.zip › /abs/x.csv",
        "exports.zip › inner.zip",
    ]
    assert escape[0].ok and escape[1].already_loaded  # the same bytes twice: saved once
    assert "zip inside a zip" in escape[2].reason
    assert not list(tmp_path.rglob("evil.csv")) and not Path("/abs/x.csv").exists()
    assert written(home) == [f"landing/{escape[0].saved_as}"]

    bomb = check_uploads(home, [("bomb.zip", a_zip({"big.csv": b"0" * (50 << 20)}))])
    assert len(bomb) == 1 and "zip bomb" in bomb[0].reason
    assert len(written(home)) == 1


def test_the_size_limit_is_a_setting(home, day, monkeypatch):
    monkeypatch.setenv("GRIDPULSE_MAX_UPLOAD_MB", "0.001")
    checked = check_uploads(home, [("cases.csv", next(day.glob("城运平台/案卷_*.csv")).read_bytes())])
    assert "file too large" in checked[0].reason and "GRIDPULSE_MAX_UPLOAD_MB" in checked[0].reason
    assert written(home) == []


def test_bytes_already_in_the_lake_are_skipped(home, day):
    cases = next(day.glob("城运平台/案卷_*.csv"))
    (home.landing / "城运平台").mkdir(parents=True)
    (home.landing / "城运平台" / cases.name).write_bytes(cases.read_bytes())
    load(home)
    again = check_uploads(home, [("copy.csv", cases.read_bytes())])
    assert again[0].already_loaded and f"城运平台/{cases.name}" in again[0].reason


def test_progress_goes_file_by_file_then_through_dbt():
    lines = ["== 加载 load: 2 new file(s) in /x", "[1/2] read a.csv: 10 rows", "REJECTED b.xlsx: unreadable"]
    fraction, latest, files = progress_of(lines, builds=False)
    assert latest == lines[1] and files == lines[1:] and fraction == 0.5
    assert progress_of(lines)[0] == 0.125  # a quarter of the bar for loading when a build follows
    fraction, latest, _ = progress_of([*lines, "== 构建 build: dbt build", "30 of 60 OK created table x"])
    assert latest.startswith("30 of 60") and fraction == 0.625
