"""The demo-city generator: determinism, shapes, calibration and the injected mess, read back from the files."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from gridpulse_demo import generate
from warehouse.ingest.geo import gcj02_to_wgs84, point_in_polygon

DOC = Path(__file__).resolve().parents[2] / "docs" / "demo-exports.md"
ARGS = {"seed": 20250101, "start": date(2025, 1, 1), "days": 60, "scale": 0.1}
EXCEL_EPOCH = datetime(1899, 12, 30)
TIMESTAMP_HEADERS = {"上报时间", "受理时间", "派遣时间", "办结时间", "回访时间", "操作时间"}
DATE_HEADERS = {"安装日期", "报到日期", "活动日期"}
NUMBER_HEADERS = {
    "经度",
    "纬度",
    "在职党员数",
    "服务时长(小时)",
    "综合管理",
    "房屋管理",
    "共用设施设备",
    "秩序维护",
    "环境卫生",
    "绿化养护",
    "群众满意度",
    "总分",
}
KEYS = {
    "grid/events": ("事件编号",),
    "platform/cases": ("案卷编号",),
    "platform/workflow": ("案卷编号", "环节", "操作时间"),
    "platform/devices": ("设备编号",),
    "party/units": ("单位名称",),
    "party/members": ("党员编号",),
    "party/activities": ("活动编号",),
    "property/assessments": ("考评期次", "统一社会信用代码", "项目名称"),
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("demo")
    return out, generate(out, **ARGS)


@pytest.fixture(scope="module")
def tables(demo) -> dict[str, list[tuple[str, list[dict]]]]:
    """Every tabular file read back: {table: [(path, rows as header→raw value)]} in load order."""
    out, manifest = demo
    found: dict[str, list[tuple[str, list[dict]]]] = defaultdict(list)
    for f in sorted(manifest["files"], key=lambda f: f["path"]):
        if f["format"] != "geojson":
            found[f"{f['source']}/{f['entity']}"].append((f["path"], read_rows(out / f["path"])))
    return found


@pytest.fixture(scope="module")
def areas(demo) -> dict[str, dict]:
    out, _ = demo
    doc = json.loads((out / "网格系统" / "星澜市_区划边界.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["编码"]: f for f in doc["features"]}


def read_rows(path: Path) -> list[dict]:
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        rows = list(book.active.iter_rows(values_only=True))
        book.close()
        headers = [str(h) for h in rows[0]]
        return [{h: ("" if v is None else v) for h, v in zip(headers, r, strict=False)} for r in rows[1:]]
    data = path.read_bytes()
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        text = data.decode("gb18030")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def sha256_tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def clean(header: str, value, variants: dict) -> object:
    """What a loader makes of a raw cell: trimmed, half-width, canonical wording, typed."""
    if isinstance(value, float | int) and header in TIMESTAMP_HEADERS | DATE_HEADERS:
        moment = EXCEL_EPOCH + timedelta(seconds=round(float(value) * 86400))
        return moment.date() if header in DATE_HEADERS else moment
    if isinstance(value, float | int):
        return float(value)
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        return None
    for canonical, words in variants.get(header, {}).items():
        if text in words:
            text = canonical
    if header in TIMESTAMP_HEADERS | DATE_HEADERS:
        if re.fullmatch(r"\d{5}(\.\d+)?", text):
            return clean(header, float(text), variants)
        for fmt in (
            "%Y-%m-%d %H:%M:%S",
            "%Y/%m/%d %H:%M",
            "%Y年%m月%d日 %H:%M",
            "%Y-%m-%d",
            "%Y/%m/%d",
            "%Y年%m月%d日",
        ):
            try:
                moment = datetime.strptime(text, fmt)
            except ValueError:
                continue
            return moment.date() if header in DATE_HEADERS else moment
        raise AssertionError(f"unparseable {header}: {value!r}")
    if header in NUMBER_HEADERS:
        return float(text)
    return text


def clean_rows(rows: list[dict], variants: dict) -> list[dict]:
    return [{h: clean(h, v, variants) for h, v in row.items()} for row in rows]


def records(tables, table: str, variants: dict) -> dict[tuple, dict]:
    """Latest cleaned state per key."""
    out = {}
    for _, rows in tables[table]:
        for row in clean_rows(rows, variants):
            out[tuple(row[k] for k in KEYS[table])] = row
    return out


def test_same_arguments_give_identical_bytes(demo, tmp_path):
    out, manifest = demo
    again = generate(tmp_path / "again", **ARGS)
    assert again == manifest
    assert sha256_tree(tmp_path / "again") == sha256_tree(out)


def test_another_seed_gives_another_city_life(demo, tmp_path):
    out, _ = demo
    generate(tmp_path / "other", **{**ARGS, "seed": 7})
    mine, theirs = sha256_tree(out), sha256_tree(tmp_path / "other")
    assert mine.keys() == theirs.keys()
    changed = [p for p in mine if mine[p] != theirs[p]]
    assert any(p.startswith("城运平台/案卷") for p in changed) and any(
        p.startswith("网格事件/") for p in changed
    )
    assert mine["网格系统/星澜市_区划边界.geojson"] == theirs["网格系统/星澜市_区划边界.geojson"]  # same city


def test_manifest_describes_the_files(demo, tables):
    out, manifest = demo
    assert json.loads((out / "_manifest.json").read_text(encoding="utf-8")) == manifest
    assert manifest["city"] == {
        "name": "星澜市",
        "county_code": "990102",
        "streets": 5,
        "communities": 29,
        "grids": 946,
        "compounds": 417,
    }
    assert manifest["generator"]["export_time"] == "2025-03-02 00:00:00"
    listed = sorted(f["path"] for f in manifest["files"])
    on_disk = sorted(
        p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != "_manifest.json"
    )
    assert listed == on_disk
    written = {path: len(rows) for files in tables.values() for path, rows in files}
    for f in manifest["files"]:
        if f["format"] != "geojson":
            assert written[f["path"]] == f["rows"], f["path"]
    assert set(manifest["expected"]) == {*KEYS, "divisions/areas"}


def test_every_kind_of_mess_in_the_contract_is_injected(demo):
    _, manifest = demo
    text = DOC.read_text(encoding="utf-8")
    table = text[text.index("## The mess") :]
    kinds = {
        k
        for line in table.splitlines()
        if line.startswith("| `")
        for k in re.findall(r"`([a-z0-9_]+)`", line.split("|")[1])
    }
    assert len(kinds) >= 14
    injected = Counter()
    for f in manifest["files"]:
        injected.update(f["injected"])
    assert {k for k in kinds if injected[k] <= 0} == set()


def test_encodings_are_what_the_manifest_says(demo):
    out, manifest = demo
    for f in manifest["files"]:
        data = (out / f["path"]).read_bytes()
        if f["encoding"] == "gb18030":
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
            data.decode("gb18030")
        elif f["encoding"] == "utf-8-sig":
            assert data.startswith(b"\xef\xbb\xbf")
        elif f["format"] == "csv":
            assert not data.startswith(b"\xef\xbb\xbf")
            data.decode("utf-8")
    assert {f["encoding"] for f in manifest["files"] if f["format"] == "csv"} == {
        "gb18030",
        "utf-8",
        "utf-8-sig",
    }


def test_codes_nest_and_outlines_tile(areas):
    by_level = defaultdict(list)
    for code, f in areas.items():
        by_level[f["properties"]["级别"]].append(code)
    digits = {"街道": 9, "社区": 12, "网格": 15, "小区": 18}
    assert {k: len(v) for k, v in by_level.items()} == {"街道": 5, "社区": 29, "网格": 946, "小区": 417}
    for level, codes in by_level.items():
        for code in codes:
            parent = areas[code]["properties"]["上级编码"]
            assert re.fullmatch(rf"990102\d{{{digits[level] - 6}}}", code)
            if level != "街道":
                assert code[:-3] == parent and parent in areas
    area = {
        c: _area(f["geometry"]["coordinates"][0])
        for c, f in areas.items()
        if f["geometry"]["type"] == "Polygon"
    }
    for level in ("社区", "网格"):
        sums = Counter()
        for code in by_level[level]:
            sums[areas[code]["properties"]["上级编码"]] += area[code]
            ring = np.array(areas[areas[code]["properties"]["上级编码"]]["geometry"]["coordinates"][0])
            cx, cy = np.mean(np.array(areas[code]["geometry"]["coordinates"][0])[:-1], axis=0)
            assert point_in_polygon([cx], [cy], ring)[0], code
        for parent, total in sums.items():
            assert total == pytest.approx(area[parent], rel=1e-9), parent


def _area(ring: list) -> float:
    x, y = np.array(ring).T
    return float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]) / 2)


def test_every_point_lies_in_its_grid(demo, tables, areas):
    _, manifest = demo
    variants = manifest["value_variants"]
    checked = 0
    sources = {"grid/events": "网格编号", "platform/cases": "单元网格", "platform/devices": "单元网格"}
    points = defaultdict(list)
    for table, grid_header in sources.items():
        for row in records(tables, table, variants).values():
            lon, lat = row["经度"], row["纬度"]
            if lon is None or lat is None or not (73 <= lon <= 136 and 3 <= lat <= 54):
                continue
            if row.get("坐标系") == "GCJ02":
                lon, lat = (float(v) for v in gcj02_to_wgs84(lon, lat))
            points[row[grid_header]].append((lon, lat))
    for f in areas.values():
        if f["geometry"]["type"] == "Point":
            points[f["properties"]["上级编码"]].append(tuple(f["geometry"]["coordinates"]))
    for code, pts in points.items():
        xy = np.array(pts)
        inside = point_in_polygon(xy[:, 0], xy[:, 1], np.array(areas[code]["geometry"]["coordinates"][0]))
        assert inside.all(), (code, xy[~inside][:3])
        checked += len(pts)
    assert checked > 3000


def test_platform_calibration(demo, tables):
    _, manifest = demo
    variants = manifest["value_variants"]
    cases = records(tables, "platform/cases", variants)
    shares = Counter(r["问题来源"] for r in cases.values())
    targets = {
        "视频智能识别": 0.45,
        "物联感知": 0.25,
        "信息采集员": 0.15,
        "无人机巡查": 0.05,
        "12345热线": 0.08,
        "公众上报": 0.02,
    }
    assert set(shares) == set(targets)
    for source, target in targets.items():
        assert abs(shares[source] / len(cases) - target) < 0.04, source
    actions = defaultdict(list)
    for (case, action, _), _row in records(tables, "platform/workflow", variants).items():
        actions[case].append(action)
    export = datetime(2025, 3, 2)
    older = [r["案卷编号"] for r in cases.values() if r["上报时间"] < export - timedelta(days=30)]
    live = [c for c in older if "作废" not in actions[c]]
    closure = sum("结案" in actions[c] for c in live) / len(live)
    assert 0.93 <= closure <= 0.99
    handled = [c for c, acts in actions.items() if "处置反馈" in acts]
    rework = sum("核查不通过" in actions[c] for c in handled) / len(handled)
    assert 0.005 <= rework <= 0.03
    assert any(a.count("核查不通过") == 0 and "延期批准" in a for a in actions.values())
    assert set(cases) == {(c,) for c in actions}
    # camera and sensor cases name a device in their grid
    devices = records(tables, "platform/devices", variants)
    for row in cases.values():
        if row["问题来源"] in ("视频智能识别", "物联感知"):
            assert devices[(row["设备编号"],)]["单元网格"] == row["单元网格"]


def test_workflow_times_increase_per_case(demo, tables):
    _, manifest = demo
    times = defaultdict(list)
    for case, _action, moment in records(tables, "platform/workflow", manifest["value_variants"]):
        times[case].append(moment)
    assert all(len(set(t)) == len(t) for t in times.values())
    for _, rows in tables["platform/workflow"]:
        keys = [
            (r["案卷编号"], r["环节"], r["操作时间"]) for r in clean_rows(rows, manifest["value_variants"])
        ]
        assert len(keys) == len(set(keys))


def test_rhythm_and_hot_spots(demo, tables, areas):
    _, manifest = demo
    variants = manifest["value_variants"]
    cases = records(tables, "platform/cases", variants)
    events = records(tables, "grid/events", variants)
    per_day = Counter(r["上报时间"].date() for r in [*cases.values(), *events.values()])
    days = [date(2025, 1, 1) + timedelta(days=i) for i in range(60)]
    festival = {date(2025, 1, 28) + timedelta(days=i) for i in range(8)}
    workdays = [per_day[d] for d in days if d.weekday() < 5 and d not in festival]
    weekends = [per_day[d] for d in days if d.weekday() >= 5 and d not in festival]
    assert np.mean(workdays) > 1.1 * np.mean(weekends)
    assert np.mean([per_day[d] for d in festival]) < 0.8 * np.mean(workdays)
    hours = Counter(r["上报时间"].hour for r in cases.values())
    assert sum(hours[h] for h in range(2, 5)) * 3 < sum(hours[h] for h in range(9, 12))
    hot = {c for codes in manifest["truth"]["hot_spot_grids"].values() for c in codes}
    assert len(hot) > 40 and all(areas[c]["properties"]["热点"] for c in hot)
    intake = Counter([r["单元网格"] for r in cases.values()] + [r["网格编号"] for r in events.values()])
    grids = [c for c, f in areas.items() if f["properties"]["级别"] == "网格"]
    hot_mean = np.mean([intake[c] for c in grids if c in hot])
    other_mean = np.mean([intake[c] for c in grids if c not in hot])
    assert hot_mean > 2.0 * other_mean


def test_grid_events_behave(demo, tables):
    _, manifest = demo
    events = records(tables, "grid/events", manifest["value_variants"])
    rows = list(events.values())
    levels = Counter(r["处置层级"] for r in rows if r["处置层级"])
    total = sum(levels.values())
    assert levels["网格自办"] / total > 0.45 and levels["部门报到"] / total < 0.15
    assert all((r["坐标系"] == "GCJ02") == (r["上报渠道"] == "随手拍") for r in rows)
    statuses = Counter(r["当前状态"] for r in rows)
    assert set(statuses) <= {"待受理", "已受理", "处置中", "已办结", "已作废"} and statuses["已作废"] > 0
    assert statuses["待受理"] + statuses["已受理"] + statuses["处置中"] > 0  # open tail at export time
    visited = [r for r in rows if r["回访时间"]]
    assert visited and all(r["是否联系"] in ("是", "否") and r["是否解决"] in ("是", "否") for r in visited)
    bad = [
        r
        for _, fr in tables["grid/events"]
        for r in clean_rows(fr, manifest["value_variants"])
        if r["办结时间"] and r["办结时间"] < r["上报时间"]
    ]
    assert len(bad) == manifest["expected"]["grid/events"]["quarantined"]["closed_before_reported"]


def test_party_roster_covers_reported_members(demo, tables):
    _, manifest = demo
    variants = manifest["value_variants"]
    units = records(tables, "party/units", variants)
    members = records(tables, "party/members", variants)
    per_unit = Counter(r["所在单位"] for r in members.values())
    assert len(units) >= 12 and set(per_unit) <= {u for (u,) in units}
    rates = [per_unit[u] / r["在职党员数"] for (u,), r in units.items()]
    assert max(rates) <= 1.0 and min(rates) < 0.8
    activities = records(tables, "party/activities", variants)
    status = Counter(r["审核状态"] for r in activities.values())
    assert status["已审核"] > status["待审核"] > 0 and set(status) <= {"已审核", "待审核", "驳回"}
    active_units = {members[(r["党员编号"],)]["所在单位"] for r in activities.values()}
    assert set(manifest["truth"]["party"]["zero_activity_units"]) == {u for (u,) in units} - active_units


def test_property_scores_add_up(demo, tables):
    _, manifest = demo
    items = {
        "综合管理": 15,
        "房屋管理": 15,
        "共用设施设备": 15,
        "秩序维护": 15,
        "环境卫生": 15,
        "绿化养护": 10,
        "群众满意度": 15,
    }
    rows = list(records(tables, "property/assessments", manifest["value_variants"]).values())
    assert len(rows) == 216
    for r in rows:
        assert all(0 <= r[k] <= m for k, m in items.items())
        assert r["总分"] == sum(r[k] for k in items)
        assert len(r["统一社会信用代码"]) == 18
    assert any(r["一票否决"] for r in rows) and any(r["榜单"] == "红榜" for r in rows)
    assert 1 <= len(manifest["truth"]["property"]["rule_disagreements"]) <= 2


def test_expected_counts_replay_from_the_files(demo, tables):
    """The manifest's expected counts follow from the files alone: the cosmetic mess is fully reversible."""
    _, manifest = demo
    variants = manifest["value_variants"]
    for table, files in tables.items():
        kept, got = {}, Counter()
        for _, rows in files:
            for row in clean_rows(rows, variants):
                got["rows_read"] += 1
                if row.get("办结时间") and row["办结时间"] < row["上报时间"]:
                    got["quarantined"] += 1
                    continue
                key = tuple(row[k] for k in KEYS[table])
                if kept.get(key) == row:
                    got["duplicates"] += 1
                else:
                    got["accepted"] += 1
                    kept[key] = row
        expected = manifest["expected"][table]
        assert got["rows_read"] == expected["rows_read"], table
        assert got["accepted"] == expected["accepted"], table
        assert got["duplicates"] == expected["duplicates"], table
        assert got["quarantined"] == sum(expected["quarantined"].values()), table
        assert len(kept) == expected["records"], table
