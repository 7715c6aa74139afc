"""Format and encoding are told from the bytes, not from the file name."""

import json

import duckdb
import pytest

from tests.exports import GRID_EVENT_HEADERS, csv_bytes, grid_event, write_xlsx
from warehouse.ingest.readers import ReadError, centroid, decode_text, read_raw, sniff

ROWS = [grid_event("SJ1"), grid_event("SJ2", 上报人="李四")]


@pytest.mark.parametrize(
    "encoding, expected", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030")]
)
def test_csv_encodings_detected(tmp_path, encoding, expected):
    path = tmp_path / "events.txt"  # the extension says nothing
    path.write_bytes(csv_bytes(GRID_EVENT_HEADERS, ROWS, encoding))
    raw = sniff(path)
    assert (raw.format, raw.encoding) == ("csv", expected)
    assert raw.headers == GRID_EVENT_HEADERS
    con = duckdb.connect()
    assert read_raw(con, raw, "t") == []
    assert con.execute("select c0, c3, _source_row from t order by _source_row").fetchall() == [
        ("SJ1", "张三", 2),
        ("SJ2", "李四", 3),
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
    with pytest.raises(ReadError, match="not text in UTF-8, GB18030 or Big5"):
        sniff(path)


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b" \n\n"])
def test_empty_files(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(ReadError, match="empty file"):
        sniff(path)


def test_xlsx_read_as_text_with_title_row_candidates(tmp_path):
    path = write_xlsx(
        tmp_path / "events.csv",
        GRID_EVENT_HEADERS,
        [grid_event("SJ9", 上报时间=45721.585416667)],
        title="星澜市网格事件导出",
    )
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
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"级别": "网格", "编码": "990102001001001", "名称": "一号网格"},
                "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]},
            },
            {
                "type": "Feature",
                "properties": {"级别": "小区", "编码": "990102001001001001", "名称": "甲小区"},
                "geometry": {"type": "Point", "coordinates": [1.5, 0.5]},
            },
        ],
    }
    path = tmp_path / "d.geojson"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    raw = sniff(path)
    assert raw.headers == [
        "级别",
        "编码",
        "名称",
        "geometry",
        "geometry_type",
        "centroid_lon",
        "centroid_lat",
    ]
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


# ---------------------------------------------------------------- delimiters and quoting: DuckDB's sniffer


def test_semicolon_export_with_commas_in_its_text(tmp_path):
    """European-style export: ';' between fields, decimal commas and commas in free text."""
    path = tmp_path / "export.txt"
    path.write_text(
        "编号;描述;经度;纬度\nA1;坏了, 很坏, 真的, 唉, 算了;112,95;28,23\nA2;好的, 还行, 可以, 嗯;112,96;28,24\n",
        encoding="utf-8",
    )
    raw = sniff(path)
    assert raw.headers == ["编号", "描述", "经度", "纬度"]
    con = duckdb.connect()
    assert read_raw(con, raw, "t") == []
    assert con.execute("select c0, c1, c2 from t order by _source_row").fetchall() == [
        ("A1", "坏了, 很坏, 真的, 唉, 算了", "112,95"),
        ("A2", "好的, 还行, 可以, 嗯", "112,96"),
    ]


def test_pipe_export_quoted_with_apostrophes(tmp_path):
    path = tmp_path / "export.txt"
    path.write_text("id|name|note\n1|'a|b'|x\n2|'c'|y\n3|'d'|z\n", encoding="utf-8")
    raw = sniff(path)
    con = duckdb.connect()
    assert read_raw(con, raw, "t") == []
    assert con.execute("select c0, c1, c2 from t order by _source_row").fetchall() == [
        ("1", "a|b", "x"),
        ("2", "c", "y"),
        ("3", "d", "z"),
    ]


def test_tab_separated_with_a_title_line(tmp_path):
    path = tmp_path / "export.tsv"
    rows = "\n".join("\t".join(r) for r in ROWS)
    path.write_bytes(
        ("星澜市网格事件导出\n" + "\t".join(GRID_EVENT_HEADERS) + "\n" + rows + "\n").encode("gb18030")
    )
    raw = sniff(path)
    assert raw.header_candidates[1] == GRID_EVENT_HEADERS
    raw.header_row = 1
    con = duckdb.connect()
    assert read_raw(con, raw, "t") == []
    assert con.execute("select c0, c3, _source_row from t order by 3").fetchall() == [
        ("SJ1", "张三", 3),
        ("SJ2", "李四", 4),
    ]


# ---------------------------------------------------------------- Big5 is not GB18030

BIG5_HEADERS = ["案件編號", "上報時間", "問題描述", "所屬區域"]
BIG5_ROWS = [
    ["TP001", "2025-03-05 14:03", "路燈損壞，請儘速處理", "萬華區"],
    ["TP002", "2025-03-06 09:30", "違規停車佔用人行道", "臺北市大安區"],
    ["TP003", "2025-03-07 18:45", "垃圾未清運，環境髒亂", "信義區"],
]


@pytest.mark.parametrize("suffix", [".csv", ".txt"])
def test_big5_is_read_as_big5(tmp_path, suffix):
    data = csv_bytes(BIG5_HEADERS, BIG5_ROWS, "big5")
    assert data.decode("gb18030")  # the trap: Big5 bytes are valid GB18030, as nonsense
    path = tmp_path / f"taipei{suffix}"
    path.write_bytes(data)
    raw = sniff(path)
    assert (raw.encoding, raw.headers) == ("big5", BIG5_HEADERS)
    con = duckdb.connect()
    assert read_raw(con, raw, "t") == []
    assert [
        list(r) for r in con.execute("select c0, c1, c2, c3 from t order by _source_row").fetchall()
    ] == BIG5_ROWS


def test_big5_text_decodes_as_big5():
    assert decode_text("臺北市萬華區路燈損壞，請儘速處理".encode("big5")) == (
        "臺北市萬華區路燈損壞，請儘速處理",
        "big5",
    )
    assert decode_text("澜北街道晨光社区路灯损坏".encode("gb18030")) == (
        "澜北街道晨光社区路灯损坏",
        "gb18030",
    )
