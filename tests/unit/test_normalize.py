"""Each SQL normaliser, evaluated in DuckDB on the values real exports carry."""

from datetime import date, datetime

import duckdb
import pytest

from warehouse.ingest import normalize as N
from warehouse.ingest.profile import DEFAULT_TIMESTAMP_FORMATS, Column


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    yield c
    c.close()


def ev(con, sql_of_x: str, value):
    return con.execute(f"select {sql_of_x} from (select ?::varchar as x)", [value]).fetchone()[0]


FORMATS = tuple(DEFAULT_TIMESTAMP_FORMATS)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2025-03-05 14:03:00", datetime(2025, 3, 5, 14, 3)),
        ("2025-03-05 14:03", datetime(2025, 3, 5, 14, 3)),
        ("2025/3/5 14:03", datetime(2025, 3, 5, 14, 3)),
        ("2025/03/05 14:03:07", datetime(2025, 3, 5, 14, 3, 7)),
        ("2025年3月5日 14:03", datetime(2025, 3, 5, 14, 3)),
        ("2025-03-05T14:03:00", datetime(2025, 3, 5, 14, 3)),
        ("2025-03-05", datetime(2025, 3, 5)),
        ("45721.585416667", datetime(2025, 3, 5, 14, 3)),  # Excel serial day number
        ("45721", datetime(2025, 3, 5)),
        ("not a time", None),
        ("2025-13-45 10:00", None),
    ],
)
def test_timestamps(con, text, expected):
    assert ev(con, N.parse_timestamp("x", FORMATS), text) == expected


def test_fullwidth_and_spaces(con):
    assert ev(con, N.halfwidth("x"), "\u3000２０２５－０３－０５ １４：０３ ") == "2025-03-05 14:03"
    assert ev(con, N.halfwidth("x"), "ＳＪ００１") == "SJ001"
    assert ev(con, N.halfwidth("x"), "  ") is None
    # Free text keeps its Chinese punctuation but loses the padding.
    assert ev(con, N.cleaned("x", "text"), " 垃圾，很多。\u3000") == "垃圾，很多。"


def test_value_wording_maps_to_canonical(con):
    values = {"已办结": ("办结", "已结案"), "处置中": ("办理中",), "gcj02": ("GCJ-02",)}
    expr = N.map_values("x", values)
    assert ev(con, expr, "已结案") == "已办结"
    assert ev(con, expr, "办 结") == "已办结"
    assert ev(con, expr, "办理中") == "处置中"
    assert ev(con, expr, "gcj-02") == "gcj02"
    assert ev(con, expr, "不知道") is None


@pytest.mark.parametrize("text, expected", [("1,234", 1234), ("12.0", 12), ("12.5", None), ("abc", None)])
def test_integers(con, text, expected):
    assert ev(con, N.parse_number("x", "integer"), text) == expected


def test_doubles(con):
    assert ev(con, N.parse_number("x", "double"), "116.397") == pytest.approx(116.397)
    assert ev(con, N.parse_number("x", "double"), "east") is None


@pytest.mark.parametrize(
    "text, expected", [("是", True), ("否", False), ("Y", True), ("0", False), ("也许", None)]
)
def test_booleans(con, text, expected):
    assert ev(con, N.parse_boolean("x"), text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2025年第1季度", "2025Q1"),
        ("2025年一季度", "2025Q1"),
        ("2025Q3", "2025Q3"),
        ("2025-Q4", "2025Q4"),
        ("2025年第四季度", "2025Q4"),
        ("2025", None),
        ("第5季度", None),
    ],
)
def test_quarters(con, text, expected):
    assert ev(con, N.parse_quarter("x"), text) == expected


def test_parse_dispatches_by_type(con):
    expr, reason = N.parse(Column("d", ("日期",), type="date"), "x", FORMATS)
    assert reason == "bad_date" and ev(con, expr, "2025/3/5") == date(2025, 3, 5)
    expr, reason = N.parse(Column("s", ("s",), type="string"), "x", FORMATS)
    assert reason is None and ev(con, expr, "abc") == "abc"


def test_masks_keep_no_clear_personal_data(con):
    assert ev(con, N.mask("x", "name"), "张三丰") == "张**"
    assert ev(con, N.mask("x", "phone"), "138-1234-5678") == "138****5678"
    assert ev(con, N.mask("x", "id"), "110101199003071234") == "1101************34"
    assert ev(con, N.mask("x", "name"), None) is None
    assert ev(con, N.mask_free_text("x"), "张三,13812345678,x") == "张三,138****5678,x"


def test_pseudonym_is_stable_and_salted(con):
    a = ev(con, N.pseudonym("x", "salt1"), "13812345678")
    assert a == ev(con, N.pseudonym("x", "salt1"), "13812345678")
    assert a != ev(con, N.pseudonym("x", "salt2"), "13812345678")
    assert len(a) == 16 and "1381" not in a


def test_literal_quoting(con):
    assert con.execute(f"select {N.lit(chr(39) + 'x' + chr(39))}").fetchone()[0] == "'x'"


WARD_RULES = ((r"(?i)(?:ward\s*)?0*([1-9][0-9]*)", r"Ward \1"), (r"(?i)unspecified.*", ""))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ward 3", "Ward 3"),
        ("03", "Ward 3"),
        ("3", "Ward 3"),
        ("ward  3", "Ward 3"),
        ("WARD 03", "Ward 3"),
        ("Ward 13", "Ward 13"),
        ("Unspecified QUEENS", None),
        ("Roxbury", "Roxbury"),
        ("Back  Bay", "Back Bay"),
    ],
)
def test_normalize_rules_make_one_division_of_its_wordings(con, text, expected):
    assert ev(con, N.rewritten(N.cleaned("x", "string"), WARD_RULES), text) == expected


def test_no_normalize_rules_leave_the_value_alone(con):
    assert N.rewritten("x", ()) == "x"
