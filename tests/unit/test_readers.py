"""Format and encoding are told from the bytes, not from the file name."""

import json

import duckdb
import pytest

from tests.exports import GRID_EVENT_HEADERS, csv_bytes, grid_event, write_xlsx
from warehouse.readers import ReadError, centroid, decode_text, read_raw, sniff

ROWS = [grid_event("SJ1"), grid_event("SJ2", 上报人="李四")]


@pytest.mark.parametrize("encoding, expected", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030")])
def test_csv_encodings_detected(tmp_path, encoding, expected):
    path = tmp_path / "events.txt"  # the extension says nothing
    path.write_bytes(csv_bytes(GRID_EVENT_HEADERS, ROWS, encoding))
    raw = sniff(path)
    assert (raw.format, raw.encoding) == ("csv", expected)
    assert raw.headers == GRID_EVENT_HEADERS
    con = duckdb.connect()
    assert read_raw(con, raw, "t") == []
    assert con.execute("select c0, c3, _source_row from t order by _source_row").fetchall() == [
        ("SJ1", "张三", 2), ("SJ2", "李四", 3)
    ]


def test_gb18030_text_is_not_utf8():
    data = "网格事件".encode("gb18030")
    assert decode_text(data) == ("网格事件", "gb18030")


def test_bom_claiming_utf8_over_gb18030_is_rejected(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_bytes(GRID_EVENT_HEADERS, ROWS, "gb18030"))
    with pytest.raises(ReadError, match="byte-order mark but is not UTF-8"):
        sniff(path)


def test_binary_garbage_is_rejected(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(ReadError, match="not text in UTF-8 or GB18030"):
        sniff(path)


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b" \n\n"])
def test_empty_files(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(ReadError, match="empty file"):
        sniff(path)


def test_xlsx_read_as_text_with_title_row_candidates(tmp_path):
    path = write_xlsx(tmp_path / "events.csv", GRID_EVENT_HEADERS, [grid_event("SJ9", 上报时间=45721.585416667)],
                      title="星澜市网格事件导出")
    raw = sniff(path)  # named .csv, but the bytes are a workbook
    assert raw.format == "xlsx"
    assert raw.header_candidates[0][0] == "星澜市网格事件导出"
    assert raw.header_candidates[1] == GRID_EVENT_HEADERS
    raw.header_row = 1
    con = duckdb.connect()
    read_raw(con, raw, "t")
    assert con.execute("select c0, c1, _source_row from t").fetchall() == [("SJ9", "45721.585416667", 3)]


def test_corrupt_xlsx_is_rejected(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    with pytest.raises(ReadError, match="corrupt or unreadable Excel"):
        sniff(path)


def test_truncated_csv_line_is_reported_not_lost(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(csv_bytes(GRID_EVENT_HEADERS, ROWS) + b'SJ3,"2025-03-05 1')
    raw = sniff(path)
    con = duckdb.connect()
    bad = read_raw(con, raw, "t")
    assert con.execute("select count(*) from t").fetchone()[0] == 2
    assert len(bad) == 1 and bad[0].source_row == 4 and "SJ3" in bad[0].text


def test_ragged_lines_keep_row_numbers(tmp_path):
    path = tmp_path / "t.csv"
    rows = [grid_event("SJ1"), ["SJ2", "too", "short"], grid_event("SJ3")]
    path.write_bytes(csv_bytes(GRID_EVENT_HEADERS, rows))
    con = duckdb.connect()
    bad = read_raw(con, sniff(path), "t")
    assert [b.source_row for b in bad] == [3]
    assert con.execute("select c0, _source_row from t order by 2").fetchall() == [("SJ1", 2), ("SJ3", 4)]


def test_geojson_features_become_rows(tmp_path):
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"级别": "网格", "编码": "990102001001001", "名称": "一号网格"},
         "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]}},
        {"type": "Feature", "properties": {"级别": "小区", "编码": "990102001001001001", "名称": "甲小区"},
         "geometry": {"type": "Point", "coordinates": [1.5, 0.5]}},
    ]}
    path = tmp_path / "d.geojson"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    raw = sniff(path)
    assert raw.headers == ["级别", "编码", "名称", "geometry", "geometry_type", "centroid_lon", "centroid_lat"]
    con = duckdb.connect()
    read_raw(con, raw, "t")
    rows = con.execute("select c1, c4, c5::double, c6::double from t order by _source_row").fetchall()
    assert rows == [("990102001001001", "Polygon", 1.0, 1.0), ("990102001001001001", "Point", 1.5, 0.5)]


def test_not_geojson(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"a": 1}')
    with pytest.raises(ReadError, match="not a GeoJSON FeatureCollection"):
        sniff(path)


def test_centroid_of_multipolygon_uses_largest_part():
    small = [[[10, 10], [11, 10], [11, 11], [10, 11], [10, 10]]]
    big = [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]]
    assert centroid({"type": "MultiPolygon", "coordinates": [small, big]}) == (2.0, 2.0)
