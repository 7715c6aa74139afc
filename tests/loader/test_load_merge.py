"""The loader's fast paths keep its rules: later loads, rows classified without ordering, broken lines, mixed profiles."""

import tempfile
import time

import duckdb
import pytest

from tests.exports import GRID_EVENT_HEADERS, csv_bytes, grid_event, write_csv
from warehouse.home.paths import DataHome
from warehouse.ingest import group as group_module
from warehouse.ingest import normalize as N
from warehouse.ingest.load import load
from warehouse.ingest.profile import DEFAULT_TIMESTAMP_FORMATS, builtin_profiles
from warehouse.ingest.pseudonyms import key_path
from warehouse.ingest.readers import read_raw, sniff

WORKFLOW_HEADERS = ["案卷编号", "环节", "操作时间", "操作部门", "备注"]
SALT = "00112233445566778899aabbccddeeff"

MONTHS = {
    "1_jan.csv": [
        grid_event("SJ1", 当前状态="处置中"),
        grid_event("SJ2", 当前状态="已办结", 办结时间="2025-03-06 09:00"),
        grid_event("SJ3", 当前状态="已受理"),
    ],
    "2_feb.csv": [
        grid_event("SJ1", 当前状态="办结", 办结时间="2025/3/7 10:00"),  # later state
        grid_event("SJ2", 当前状态=" 已办结 ", 办结时间="2025-03-06 09:00:00"),  # same state, cosmetic noise
        grid_event("SJ3", 当前状态="已受理", 上报人="李四"),  # same version, other content
        grid_event("SJ4"),
        grid_event("SJ4"),  # the same row twice in one file
    ],
    "3_mar.csv": [
        grid_event("SJ1", 当前状态="处置中"),  # an older state exported late
        grid_event("SJ5", 上报时间="yesterday"),
        grid_event("SJ6"),
    ],
}


def make_home(root, files):
    home = DataHome(root)
    home.root.mkdir(parents=True)
    key = key_path(home)
    key.parent.mkdir(mode=0o700)
    key.write_text(SALT)
    for name in files:
        write_csv(home.landing / name, GRID_EVENT_HEADERS, MONTHS[name])
    return home


def counts(report):
    return {
        f.file: (f.rows_read, f.rows_accepted, f.rows_updated, f.rows_duplicate, f.rows_quarantined)
        for f in report.files
    }


def lake(home, table=("grid", "events")):
    con = duckdb.connect()
    return sorted(
        con.execute(
            f"select * exclude (_loaded_at) from read_parquet('{home.lake_parts(*table)}')"
        ).fetchall(),
        key=repr,
    )


def test_loads_into_an_existing_lake_follow_the_sequential_rule(tmp_path):
    at_once = make_home(tmp_path / "a", MONTHS)
    expected = counts(load(at_once))
    assert expected == {
        "1_jan.csv": (3, 3, 0, 0, 0),
        "2_feb.csv": (5, 3, 2, 2, 0),  # SJ1 and SJ3 updated, SJ2 and the second SJ4 duplicates
        "3_mar.csv": (3, 1, 0, 1, 1),
    }
    for first in (["1_jan.csv"], ["1_jan.csv", "2_feb.csv"]):
        home = make_home(tmp_path / str(len(first)), first)
        got = counts(load(home))
        for name in MONTHS:
            write_csv(home.landing / name, GRID_EVENT_HEADERS, MONTHS[name])
        got |= counts(load(home))
        assert got == expected
        assert lake(home) == lake(at_once)


def test_the_latest_states_again_under_new_bytes_are_duplicates_and_leave_the_lake_alone(tmp_path):
    home = make_home(tmp_path / "h", MONTHS)
    load(home)
    parts = home.lake_table("grid", "events")
    before = {p.name: p.read_bytes() for p in parts.iterdir()}
    (home.landing / "4_again.csv").write_bytes(csv_bytes(GRID_EVENT_HEADERS, MONTHS["2_feb.csv"]) + b"\n")
    assert counts(load(home)) == {"4_again.csv": (5, 0, 0, 5, 0)}
    assert {p.name: p.read_bytes() for p in parts.iterdir()} == before


def test_broken_lines_keep_every_row_number_in_a_group(tmp_path):
    home = DataHome(tmp_path / "h")
    write_csv(home.landing / "a.csv", GRID_EVENT_HEADERS, [grid_event("SJ1")])
    data = (
        csv_bytes(
            GRID_EVENT_HEADERS,
            [
                grid_event("SJ2"),
                ["SJ3", "too", "short"],
                ["SJ4", "short"],
                grid_event("SJ5"),
                ["x"],
                grid_event("SJ6"),
            ],
        )
        + b'SJ7,"2025-03-05 1'
    )
    (home.landing / "b.csv").write_bytes(data)
    report = load(home)
    assert counts(report)["b.csv"] == (7, 3, 0, 0, 4)
    con = duckdb.connect()
    rows = con.execute(
        f"select event_id, _source_row from read_parquet('{home.lake_parts('grid', 'events')}') order by 1"
    ).fetchall()
    assert rows == [("SJ1", 2), ("SJ2", 2), ("SJ5", 5), ("SJ6", 7)]
    bad = con.execute(
        f"select source_row, reason from read_parquet('{home.quarantine}/*/*/*.parquet') order by 1"
    ).fetchall()
    assert bad == [(3, "malformed_line"), (4, "malformed_line"), (6, "malformed_line"), (8, "malformed_line")]


def test_interleaved_profiles_merge_each_table_once_complete(tmp_path):
    home = DataHome(tmp_path / "h")
    write_csv(home.landing / "a_events.csv", GRID_EVENT_HEADERS, [grid_event("SJ1"), grid_event("SJ2")])
    write_csv(
        home.landing / "b_flow.csv", WORKFLOW_HEADERS, [["AJ1", "上报", "2025-03-05 14:03:00", "中心", ""]]
    )
    write_csv(
        home.landing / "c_events.csv",
        GRID_EVENT_HEADERS,
        [grid_event("SJ2", 当前状态="已办结"), grid_event("SJ3")],
    )
    write_csv(
        home.landing / "d_flow.csv", WORKFLOW_HEADERS, [["AJ1", "上报", "2025-03-05 14:03", "中心", ""]]
    )
    assert counts(load(home)) == {
        "a_events.csv": (2, 2, 0, 0, 0),
        "c_events.csv": (2, 2, 1, 0, 0),
        "b_flow.csv": (1, 1, 0, 0, 0),
        "d_flow.csv": (1, 0, 0, 1, 0),
    }
    con = duckdb.connect()
    events = con.execute(
        f"select event_id, status, _file from read_parquet('{home.lake_parts('grid', 'events')}') order by 1"
    ).fetchall()
    assert events == [
        ("SJ1", "处置中", "a_events.csv"),
        ("SJ2", "已办结", "c_events.csv"),
        ("SJ3", "处置中", "c_events.csv"),
    ]
    assert len(lake(home, ("platform", "workflow"))) == 1


TIMESTAMPS = [
    "2025-03-05 14:03:00",
    "2025-3-5 14:03",
    " 2025/03/05 14:03:07",
    "2025年3月5日",
    "2025年3月5日 14:03",
    "2025-03-05T14:03:00",
    "2025-03-05t14:03:00",
    "2025-03-05  14:03",
    "2025-03-0514:03",
    "2025-03-05",
    "2025/3/5",
    "20250305",
    "2025-13-45",
    "45721.5",
    "45721",
    "",
    "14:03",
    "2025-03-05 14:03:00.5",
    None,
]


@pytest.mark.parametrize(
    "formats",
    [
        tuple(DEFAULT_TIMESTAMP_FORMATS),
        ("%Y%m%d", "%d/%m/%Y %H:%M", "%-d.%-m.%Y", "%Y-%m-%d %H:%M:%S%%"),
    ],
)
def test_guarded_formats_parse_as_strptime_over_the_whole_list(formats):
    """Each format is tried only on values holding its literal characters; the result is unchanged."""
    con = duckdb.connect()
    fmts = "[" + ", ".join(N.lit(f) for f in formats) + "]"
    plain = (
        f"case when regexp_full_match(x, '[0-9]{{5}}(\\.[0-9]+)?') then null else try_strptime(x, {fmts}) end"
    )
    guarded = f"case when regexp_full_match(x, '[0-9]{{5}}(\\.[0-9]+)?') then null else {N.parse_timestamp('x', formats)} end"
    values = TIMESTAMPS + ["20250305", "5/3/2025 14:03", "5.3.2025", "2025-03-05 14:03:00%"]
    rows = con.execute(f"select x, {plain}, {guarded} from unnest(?::varchar[]) as t(x)", [values]).fetchall()
    assert [(x, a) for x, a, _ in rows] == [(x, b) for x, _, b in rows]
    assert any(a is not None for _, a, _ in rows)


def test_halfwidth_folds_then_trims_in_one_pass():
    con = duckdb.connect()
    values = [
        "ＳＪ００１",
        "\u3000ＳＪ１",
        "SJ1\u00a0",
        "\ufeffSJ1",
        " ",
        "\u3000",
        "",
        "Ａ Ｂ",
        "中文，标点",
        "a\tb",
        "\fx",
        None,
    ]
    fold = "translate(x, " + N.lit(N._FULLWIDTH) + ", " + N.lit(N._HALFWIDTH) + ")"
    two_step = N.trimmed(f"case when regexp_matches(x, '[\uff01-\uff5e\u3000]') then {fold} else x end")
    rows = con.execute(
        f"select {N.halfwidth('x')}, {two_step} from unnest(?::varchar[]) as t(x)", [values]
    ).fetchall()
    assert [a for a, _ in rows] == [b for _, b in rows]
    assert rows[0][0] == "SJ001" and rows[1][0] == "SJ1" and rows[4][0] is None


def test_many_broken_lines_number_every_record_right(tmp_path):
    """Each record's row number skips exactly the broken lines above it (an ASOF join, not a scan per line)."""
    lines = ["id,value,text"]
    for line in range(2, 20_002):
        lines.append(f"{line},short" if line % 7 in (0, 1) else f'{line},{line * 3},"a, b"')
    path = tmp_path / "t.csv"
    path.write_text("\n".join(lines) + "\n")
    con = duckdb.connect()
    bad = read_raw(con, sniff(path), "t")
    assert [b.source_row for b in bad] == [n for n in range(2, 20_002) if n % 7 in (0, 1)]
    assert con.execute(
        "select count(*), count(*) filter (where c0::bigint <> _source_row) from t"
    ).fetchone() == (20_000 - len(bad), 0)


def test_profiles_sharing_a_table_merge_in_the_order_they_first_appear(tmp_path):
    """A table two profiles write is merged profile by profile, the first-seen profile's files first."""
    home = DataHome(tmp_path / "h")
    builtin = next(p for p in builtin_profiles() if p.name == "grid_events")
    mine = builtin.path.read_text(encoding="utf-8").replace("name: grid_events", "name: my_events")
    (home.root / "profiles").mkdir(parents=True)
    (home.root / "profiles" / "my_events.yml").write_text(
        mine.replace("事件编号, 事件ID, 事件单号", "事件号码"), encoding="utf-8"
    )
    my_headers = ["事件号码", *GRID_EVENT_HEADERS[1:]]
    write_csv(home.landing / "a.csv", GRID_EVENT_HEADERS, [grid_event("SJ1"), grid_event("SJ2")])
    write_csv(home.landing / "b.csv", my_headers, [grid_event("SJ1", 当前状态="已办结"), grid_event("SJ3")])
    write_csv(
        home.landing / "c.csv",
        GRID_EVENT_HEADERS,
        [grid_event("SJ1", 当前状态="已受理"), grid_event("SJ2", 当前状态="已办结")],
    )
    report = load(home)
    assert {f.file: f.profile for f in report.files} == {
        "a.csv": "grid_events",
        "c.csv": "grid_events",
        "b.csv": "my_events",
    }
    assert counts(report) == {"a.csv": (2, 2, 0, 0, 0), "c.csv": (2, 1, 1, 1, 0), "b.csv": (2, 2, 1, 0, 0)}
    con = duckdb.connect()
    rows = con.execute(
        f"select event_id, status, _file from read_parquet('{home.lake_parts('grid', 'events')}') order by 1"
    ).fetchall()
    assert rows == [("SJ1", "已办结", "b.csv"), ("SJ2", "已办结", "c.csv"), ("SJ3", "处置中", "b.csv")]


@pytest.fixture()
def scratch(tmp_path, monkeypatch):
    """Where the loader's temporary UTF-8 copies of GB18030 files go."""
    folder = tmp_path / "scratch"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_no_utf8_copy_is_left_behind(tmp_path, scratch):
    home = DataHome(tmp_path / "h")
    write_csv(home.landing / "a.csv", GRID_EVENT_HEADERS, [grid_event("SJ1")], "gb18030")
    write_csv(
        home.landing / "b.csv", ["名称", "数值"], [["中文", "1"]], "gb18030"
    )  # headers no profile knows
    report = load(home)
    assert [f.status for f in report.files] == ["rejected", "loaded"]
    assert list(scratch.iterdir()) == []


def test_a_failed_load_leaves_no_utf8_copy_of_files_examined_ahead(tmp_path, scratch, monkeypatch):
    home = DataHome(tmp_path / "h")
    for name in ("a.csv", "b.csv", "c.csv"):
        write_csv(home.landing / name, GRID_EVENT_HEADERS, [grid_event(f"SJ-{name}")], "gb18030")

    def broken(*_args):
        deadline = time.monotonic() + 10
        while len(list(scratch.iterdir())) < 3 and time.monotonic() < deadline:  # all three examined ahead
            time.sleep(0.01)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(group_module, "append_raw", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        load(home)
    assert list(scratch.iterdir()) == []
