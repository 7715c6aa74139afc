"""The loader as a new user meets it: profiles by name, one-line errors, schema checks with line
numbers, files whose every row was quarantined, and reading quarantined rows again after a fix."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import duckdb
import pytest
import yaml

from tests.conftest import NYC_SAMPLE
from tests.exports import GRID_EVENT_HEADERS, grid_event, write_csv
from warehouse import cli
from warehouse.home.paths import DataHome
from warehouse.ingest.load import load as load_home
from warehouse.ingest.profile import BUILTIN_DIR
from warehouse.lake.manifest import read_manifest

GRIDPULSE = str(Path(sys.executable).with_name("gridpulse"))


@pytest.fixture()
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("GRIDPULSE_HOME", str(tmp_path / "home"))
    home = DataHome.from_env()
    home.landing.mkdir(parents=True)
    return home


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, err
    return lines[0]


# ---------------------------------------------------------------- --profile NAME, user errors, --version


def test_profile_by_builtin_name(home, capsys):
    shutil.copy(NYC_SAMPLE, home.landing / "requests.csv")
    assert cli.main(["load", "--profile", "nyc311"]) == 0
    (record,) = read_manifest(home)
    assert (record.status, record.profile) == ("loaded", "nyc311")


@pytest.mark.parametrize(
    "arg, says",
    [
        ("nyc3111", "no profile 'nyc3111'"),  # neither a file nor a built-in name
        ("{tmp}", "cannot read profile"),  # a folder, not a file
    ],
)
def test_wrong_profile_is_one_line_and_exit_2(home, capsys, tmp_path, arg, says):
    shutil.copy(NYC_SAMPLE, home.landing / "requests.csv")
    assert cli.main(["load", "--profile", arg.format(tmp=tmp_path)]) == 2
    assert says in one_line_error(capsys)
    assert read_manifest(home) == []


def test_misspelt_profile_keys_are_named_with_their_line(home, capsys):
    spec = yaml.safe_load((BUILTIN_DIR / "grid_events.yml").read_text(encoding="utf-8"))
    text = yaml.safe_dump(spec | {"name": "my_events"}, allow_unicode=True, sort_keys=False)
    text = text.replace("required: true", "requird: true", 1).replace("checks:", "chekcs:")
    profile = home.root / "profiles" / "my_events.yml"
    profile.parent.mkdir(parents=True)
    profile.write_text(text, encoding="utf-8")
    write_csv(home.landing / "e.csv", GRID_EVENT_HEADERS, [grid_event("SJ1")])
    assert cli.main(["load"]) == 2
    error = one_line_error(capsys)
    lines = text.splitlines()
    for key in ("requird", "chekcs"):
        line = next(i for i, t in enumerate(lines, 1) if key in t)
        assert f"line {line}: unknown key '{key}'" in error
    assert "did you mean 'required'?" in error and "did you mean 'checks'?" in error


def test_every_builtin_profile_passes_the_published_schema():
    import json

    import jsonschema

    schema = json.loads((Path(__file__).resolve().parents[2] / "docs" / "profile.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    for path in sorted(BUILTIN_DIR.glob("*.yml")):
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)


def test_the_schema_ships_in_the_wheel(tmp_path):
    import zipfile

    from hatchling.builders.wheel import WheelBuilder

    root = Path(__file__).resolve().parents[2]
    wheel = next(WheelBuilder(str(root)).build(directory=str(tmp_path), versions=["standard"]))
    with zipfile.ZipFile(wheel) as archive:
        packaged = archive.read("warehouse/profile.schema.json")  # where warehouse/resources.py finds it
    assert packaged == (root / "docs" / "profile.schema.json").read_bytes()


def test_version_comes_from_the_package_metadata():
    out = subprocess.run([GRIDPULSE, "--version"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == f"gridpulse {version('gridpulse')}"


def test_sql_into_a_closed_pipe_ends_quietly(nyc_warehouse):
    env = {**os.environ, "GRIDPULSE_HOME": str(nyc_warehouse.home.root)}
    out = subprocess.run(
        f"set -o pipefail; '{GRIDPULSE}' sql 'select * from range(100000)' --format csv | head -n 2",
        shell=True,
        executable="/bin/bash",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.stdout.splitlines() == ["range", "0"]
    assert "Traceback" not in out.stderr and "BrokenPipe" not in out.stderr, out.stderr
    assert out.returncode == 0


# ---------------------------------------------------------------- a file whose every row was quarantined


def test_a_file_whose_every_row_is_quarantined_fails_the_load(home, capsys):
    rows = [grid_event("SJ1", 上报时间="yesterday"), grid_event("SJ2", 当前状态="搁置")]
    write_csv(home.landing / "bad.csv", GRID_EVENT_HEADERS, rows)
    write_csv(home.landing / "good.csv", GRID_EVENT_HEADERS, [grid_event("SJ3")])
    assert cli.main(["load"]) == 1
    err = capsys.readouterr().err
    assert "ALL 2 ROWS QUARANTINED in bad.csv" in err and "good.csv" not in err.split("ROWS QUARANTINED")[1]
    assert "nothing new" not in err
    # loading again reads nothing: said plainly, and that is not an error
    assert cli.main(["load"]) == 0
    assert "nothing new" in capsys.readouterr().err


# ---------------------------------------------------------------- gridpulse reload


def fixed_profile(home: DataHome, wordings: list[str]) -> None:
    """The user's copy of the grid-event profile, knowing more status wordings."""
    spec = yaml.safe_load((BUILTIN_DIR / "grid_events.yml").read_text(encoding="utf-8"))
    spec["name"] = "my_events"
    spec["columns"]["status"]["values"]["处置中"] += wordings
    path = home.root / "profiles" / "my_events.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")


def quarantined(home: DataHome) -> list[tuple]:
    files = list(home.quarantine.glob("*/*/*.parquet"))
    if not files:
        return []
    return duckdb.sql(
        f"select file, source_row, reason from read_parquet({[str(f) for f in files]}) order by 2"
    ).fetchall()


def lake_ids(home: DataHome) -> list[tuple]:
    return duckdb.sql(
        f"select event_id, status, _file from read_parquet('{home.lake_parts('grid', 'events')}', union_by_name = true) order by 1"
    ).fetchall()


def test_reload_reads_quarantined_rows_again_after_a_fix(home, capsys):
    rows = [
        grid_event("SJ1"),
        grid_event("SJ2", 当前状态="搁置"),
        grid_event("SJ3", 当前状态="挂起"),
        grid_event("SJ1"),
    ]  # a duplicate in the same file
    write_csv(home.landing / "e.csv", GRID_EVENT_HEADERS, rows)
    write_csv(home.landing / "other.csv", GRID_EVENT_HEADERS, [grid_event("SJ9")])
    assert cli.main(["load"]) == 0
    assert [
        (r.rows_read, r.rows_accepted, r.rows_quarantined, r.rows_duplicate)
        for r in read_manifest(home)
        if r.file == "e.csv"
    ] == [(4, 1, 2, 1)]
    assert [r[1:] for r in quarantined(home)] == [(3, "unknown_value"), (4, "unknown_value")]

    fixed_profile(home, ["搁置"])  # half a fix: 挂起 is still unknown
    assert cli.main(["reload"]) == 0
    err = capsys.readouterr().err
    assert "reading again: e.csv" in err and "other.csv" not in err.split("reading again")[1].splitlines()[0]
    (e,) = [r for r in read_manifest(home) if r.file == "e.csv"]
    assert (e.rows_read, e.rows_accepted, e.rows_quarantined, e.rows_duplicate, e.profile) == (
        4,
        2,
        1,
        1,
        "my_events",
    )
    assert [r[1:] for r in quarantined(home)] == [(4, "unknown_value")]  # replaced, not added to
    assert lake_ids(home) == [
        ("SJ1", "处置中", "e.csv"),
        ("SJ2", "处置中", "e.csv"),
        ("SJ9", "处置中", "other.csv"),
    ]

    fixed_profile(home, ["搁置", "挂起"])
    assert cli.main(["reload", str(home.landing / "e.csv")]) == 0  # by path, as well as by default
    (e,) = [r for r in read_manifest(home) if r.file == "e.csv"]
    assert (e.rows_read, e.rows_accepted, e.rows_quarantined, e.rows_duplicate) == (4, 3, 0, 1)
    assert quarantined(home) == []
    assert [r[0] for r in lake_ids(home)] == ["SJ1", "SJ2", "SJ3", "SJ9"]
    assert all(r.invariant_holds for r in read_manifest(home))
    assert cli.main(["reload"]) == 0
    assert "nothing to read again" in capsys.readouterr().err


def test_reload_of_a_file_never_loaded_is_one_line(home, capsys):
    assert cli.main(["reload", "nope.csv"]) == 2
    assert "never loaded" in one_line_error(capsys)


# ---------------------------------------------------------------- file type and encoding from the bytes


def test_tab_separated_and_big5_exports_load(home):
    from tests.unit.test_readers import BIG5_HEADERS, BIG5_ROWS

    tsv = "\n".join("\t".join(r) for r in [GRID_EVENT_HEADERS, grid_event("SJ1"), grid_event("SJ2")])
    (home.landing / "events.tsv").write_bytes(tsv.encode("gb18030"))
    big5 = "\n".join(",".join(r) for r in [BIG5_HEADERS, *BIG5_ROWS])
    (home.landing / "taipei.txt").write_bytes(big5.encode("big5"))
    profile = home.root / "profiles" / "taipei.yml"
    profile.parent.mkdir(parents=True)
    profile.write_text(
        "name: taipei\nsource: taipei\nentity: cases\nkey: [case_id]\ncolumns:\n"
        "  case_id: {headers: [案件編號], required: true}\n  reported_at: {headers: [上報時間], type: timestamp}\n"
        "  description: {headers: [問題描述], type: text}\n  district: {headers: [所屬區域]}\n",
        encoding="utf-8",
    )
    report = load_home(home)
    got = {f.file: (f.status, f.encoding, f.rows_read, f.rows_accepted) for f in report.files}
    assert got == {"events.tsv": ("loaded", "gb18030", 2, 2), "taipei.txt": ("loaded", "big5", 3, 3)}
    rows = duckdb.sql(
        f"select case_id, description, district from read_parquet('{home.lake_parts('taipei', 'cases')}', union_by_name = true) order by 1"
    ).fetchall()
    assert rows == [(r[0], r[2], r[3]) for r in BIG5_ROWS]


# ---------------------------------------------------------------- day-first dates


def test_day_first_dates_say_how_to_read_them(home, capsys):
    rows = [
        grid_event("SJ1", 上报时间="05/03/2025 14:03"),  # 5 March, the export's convention
        grid_event("SJ2", 上报时间="25/03/2025 09:00"),
        grid_event("SJ3", 上报时间="03/25/2025 02:03:04 PM"),
    ]
    write_csv(home.landing / "eu.csv", GRID_EVENT_HEADERS, rows)
    assert cli.main(["load"]) == 1
    got = duckdb.sql(
        f"select source_row, reason, detail from read_parquet('{home.quarantine}/*/*/*.parquet') order by 1"
    ).fetchall()
    assert [r[:2] for r in got] == [(2, "day_first_date"), (3, "day_first_date"), (4, "month_first_date")]
    assert 'add formats: ["%d/%m/%Y %H:%M"] to columns.reported_at' in got[0][2]
    assert 'add formats: ["%m/%d/%Y %I:%M:%S %p"] to columns.reported_at' in got[2][2]
    # following the advice reads them
    spec = yaml.safe_load((BUILTIN_DIR / "grid_events.yml").read_text(encoding="utf-8"))
    spec["name"] = "eu_events"
    spec["columns"]["reported_at"]["formats"] = ["%d/%m/%Y %H:%M"]
    (home.root / "profiles").mkdir()
    (home.root / "profiles" / "eu_events.yml").write_text(
        yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8"
    )
    assert cli.main(["reload"]) == 0
    lake = duckdb.sql(
        f"select event_id, reported_at::varchar from read_parquet('{home.lake_parts('grid', 'events')}', union_by_name = true) order by 1"
    ).fetchall()
    assert lake == [("SJ1", "2025-03-05 14:03:00"), ("SJ2", "2025-03-25 09:00:00")]
    assert [r[1] for r in quarantined(home)] == [4]


# ---------------------------------------------------------------- columns of the user's own


def test_columns_outside_the_canonical_set_are_kept_in_extra(home):
    spec = yaml.safe_load((BUILTIN_DIR / "grid_events.yml").read_text(encoding="utf-8"))
    spec["name"] = "events_plus"
    spec["columns"]["own_verdict"] = {"headers": ["街道核定结果"]}
    spec["columns"]["inspector"] = {"headers": ["核查人"], "pii": "name"}
    (home.root / "profiles").mkdir()
    (home.root / "profiles" / "plus.yml").write_text(
        yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8"
    )
    headers = [*GRID_EVENT_HEADERS, "街道核定结果", "核查人"]
    write_csv(home.landing / "plus.csv", headers, [grid_event("SJ1") + ["按期", "欧阳娜娜"]])
    write_csv(home.landing / "plain.csv", GRID_EVENT_HEADERS, [grid_event("SJ2")])
    assert load_home(home).rejected == []
    rows = duckdb.sql(
        f"select event_id, _extra from read_parquet('{home.lake_parts('grid', 'events')}', union_by_name = true) order by 1"
    ).fetchall()
    assert [(k, v and json.loads(v)) for k, v in rows] == [
        ("SJ1", {"own_verdict": "按期", "inspector": "欧***"}),  # personal data masked
        ("SJ2", None),  # read by the same profile, but without values of its own
    ]


def test_reload_reads_an_archived_file(home, capsys):
    write_csv(
        home.landing / "e.csv", GRID_EVENT_HEADERS, [grid_event("SJ1"), grid_event("SJ2", 当前状态="搁置")]
    )
    assert cli.main(["load", "--archive"]) == 0
    assert not (home.landing / "e.csv").exists()
    fixed_profile(home, ["搁置"])
    assert cli.main(["reload"]) == 0
    (e,) = read_manifest(home)
    assert (e.rows_read, e.rows_accepted, e.rows_quarantined) == (2, 2, 0) and quarantined(home) == []
