"""城运平台: the device registry, cases and their workflow log.

Cases come from six sources with their own weekly and daily rhythm; camera
and sensor cases carry the 设备编号 of a device in their grid and lie near it;
categories follow the source, the season (露天烧烤 on summer evenings,
道路积雪结冰 on snow days) and the hot spots.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import numpy as np

from . import names
from .calendar import DAY, EPOCH, Window, season_of
from .points import coordinate_text, exact_count_mask
from .rng import choice_by_weight, stream
from .schema import PLATFORM_CASES, PLATFORM_DEVICES, PLATFORM_WORKFLOW, ExportFile
from .workflow import ACTIONS, FAIL, FEEDBACK, Log, simulate
from .world import World

CASES_PER_DAY = 300
# source: (share, hour profile, off-day factor, Spring Festival factor)
SOURCES = {
    "视频智能识别": (0.45, "camera", 0.9, 0.55),
    "物联感知": (0.25, "sensor", 1.0, 0.95),
    "信息采集员": (0.15, "inspector", 0.4, 0.2),
    "无人机巡查": (0.05, "drone", 0.15, 0.1),
    "12345热线": (0.08, "citizen", 0.8, 0.6),
    "公众上报": (0.02, "citizen", 1.25, 0.7),
}
CAMERAS = 8500
# sensor type: (ID prefix, count at scale 1, share of sensor alarms, summer factor, winter factor, categories)
SENSORS = {
    "井盖位移传感器": ("JG", 600, 0.30, 1.2, 0.9, {"BJ0101": 1.0, "BJ0102": 1.2, "BJ0103": 1.5}),
    "积水监测传感器": ("JS", 300, 0.15, 2.8, 0.2, {"SJ0401": 1.0}),
    "垃圾满溢传感器": ("LJ", 500, 0.35, 1.2, 0.9, {"SJ0103": 1.0}),
    "消防栓压力传感器": ("XF", 350, 0.08, 1.0, 1.4, {"BJ0107": 1.0}),
    "环境噪声传感器": ("ZS", 250, 0.12, 1.5, 0.7, {"SJ0509": 1.0}),
}
DEVICE_STATUS = ("在线", "离线", "维修中")

# Category mix by source (relative weights, category codes of seeds/case_categories.csv).
CATEGORY_MIX = {
    "视频智能识别": {
        "SJ0101": 12,
        "SJ0102": 5,
        "SJ0103": 4,
        "SJ0104": 4,
        "SJ0501": 14,
        "SJ0502": 12,
        "SJ0503": 6,
        "SJ0504": 5,
        "SJ0505": 10,
        "SJ0506": 8,
        "SJ0507": 8,
        "SJ0508": 7,
        "SJ0202": 2,
        "SJ0203": 1,
        "SJ0302": 3,
        "SJ0401": 1,
        "SJ0106": 1,
    },
    "信息采集员": {
        "BJ0101": 2,
        "BJ0102": 3,
        "BJ0103": 3,
        "BJ0104": 1,
        "BJ0105": 1,
        "BJ0106": 1.5,
        "BJ0107": 1.5,
        "BJ0108": 5,
        "BJ0109": 1.5,
        "BJ0201": 1.5,
        "BJ0202": 2.5,
        "BJ0203": 3,
        "BJ0204": 1.5,
        "BJ0205": 4,
        "BJ0206": 2,
        "BJ0301": 1.5,
        "BJ0302": 4,
        "BJ0303": 3,
        "BJ0304": 1.5,
        "BJ0401": 3,
        "BJ0402": 2,
        "BJ0403": 2,
        "BJ0501": 0.5,
        "BJ0502": 1,
        "BJ0503": 0.5,
        "SJ0101": 5,
        "SJ0102": 3,
        "SJ0104": 3,
        "SJ0105": 1,
        "SJ0201": 6,
        "SJ0202": 2,
        "SJ0203": 1,
        "SJ0301": 2,
        "SJ0302": 2,
        "SJ0303": 2,
        "SJ0403": 0.5,
        "SJ0406": 0.5,
        "SJ0501": 4,
        "SJ0502": 3,
        "SJ0503": 2,
        "SJ0508": 3,
        "SJ0601": 2,
        "SJ0602": 1,
        "SJ0603": 1,
    },
    "无人机巡查": {
        "SJ0601": 25,
        "SJ0301": 20,
        "SJ0105": 15,
        "SJ0603": 10,
        "SJ0102": 10,
        "SJ0106": 8,
        "SJ0303": 7,
        "BJ0501": 5,
    },
    "12345热线": {
        "SJ0509": 15,
        "SJ0304": 12,
        "BJ0108": 10,
        "SJ0503": 6,
        "SJ0101": 8,
        "SJ0401": 5,
        "SJ0405": 5,
        "SJ0404": 2,
        "BJ0201": 4,
        "BJ0301": 3,
        "SJ0505": 8,
        "SJ0501": 6,
        "SJ0601": 6,
        "BJ0102": 4,
        "SJ0602": 4,
        "SJ0406": 3,
        "SJ0403": 2,
    },
    "公众上报": {
        "SJ0101": 10,
        "SJ0501": 8,
        "SJ0507": 8,
        "BJ0108": 6,
        "BJ0205": 6,
        "SJ0201": 6,
        "SJ0505": 6,
        "SJ0508": 5,
        "BJ0401": 4,
        "SJ0104": 4,
        "SJ0503": 4,
        "BJ0302": 3,
    },
}
SNOW_SHARE = {"视频智能识别": 0.08, "信息采集员": 0.25, "12345热线": 0.25, "公众上报": 0.2}
URGENT_MAJORS = {"突发事件": (0.3, 0.4, 0.3)}
URGENCY = (0.82, 0.13, 0.05)
# Extra hot-spot pull by category (added to the base hot-spot multiplier).
CATEGORY_HOT = {
    "SJ0501": {"农贸市场": 5, "商圈": 1.5},
    "SJ0504": {"农贸市场": 4, "学校周边": 2},
    "SJ0101": {"农贸市场": 3, "老旧小区": 2},
    "SJ0102": {"老旧小区": 3},
    "SJ0502": {"商圈": 4, "农贸市场": 2},
    "SJ0505": {"商圈": 3, "学校周边": 3},
    "SJ0506": {"商圈": 3, "学校周边": 3},
    "SJ0507": {"商圈": 4, "学校周边": 2},
    "SJ0503": {"商圈": 3, "农贸市场": 2},
    "SJ0508": {"老旧小区": 3, "农贸市场": 2},
    "SJ0601": {"老旧小区": 3},
    "SJ0509": {"商圈": 3, "老旧小区": 1},
    "SJ0103": {"农贸市场": 3, "商圈": 2},
}
PHRASES = {
    "公用设施": "，存在安全隐患",
    "道路交通": "，影响通行",
    "市容环境": "，影响市容",
    "园林绿化": "，影响绿化景观",
    "房屋土地": "，存在安全隐患",
    "宣传广告": "，影响市容",
    "施工管理": "，影响周边居民",
    "突发事件": "，请尽快处置",
    "街面秩序": "，影响通行秩序",
    "违法建设": "，请依法处理",
}


def _category_factor(code: str, season: int, evening: bool, snow: bool) -> float:
    if code == "SJ0503":  # 露天烧烤
        return (
            (6.0 if evening else 0.15) if season == 2 else (0.5 if evening else 0.05) if season != 0 else 0.02
        )
    if code == "SJ0401":
        return {0: 0.3, 2: 2.5}.get(season, 1.0)
    if code == "SJ0406":
        return 2.0 if season == 2 else 1.0
    if code == "SJ0106":
        return 2.0 if season in (0, 3) else 0.7
    if code == "SJ0301":
        return {1: 1.5, 0: 0.7}.get(season, 1.0)
    if code == "SJ0509":
        return 2.0 if season == 2 and evening else 1.0
    return 1.0


class Devices:
    """Cameras and sensors: every one inside its grid."""

    def __init__(self, world: World, rng: np.random.Generator):
        city = world.city
        types = ["视频监控"] * world.volume(CAMERAS, 1)
        for name, spec in SENSORS.items():
            types += [name] * world.volume(spec[1], 1)
        self.type = np.array(types)
        n = len(types)
        camera = self.type == "视频监控"
        grid_w = city.grid_weight * city.hot_multiplier(base=2.0)
        self.grid = np.where(
            camera, choice_by_weight(rng, grid_w, n), choice_by_weight(rng, city.grid_weight, n)
        )
        # types are already grouped (cameras, then each sensor type): order by grid within each type
        order = np.lexsort(
            (self.grid, np.array([list(SENSORS).index(t) + 1 if t in SENSORS else 0 for t in types]))
        )
        self.type, self.grid = self.type[order], self.grid[order]
        self.ids = []
        seq: dict[str, int] = {}
        for t in self.type.tolist():
            prefix = "SXT" if t == "视频监控" else SENSORS[t][0]
            seq[prefix] = seq.get(prefix, 0) + 1
            self.ids.append(f"{prefix}{names.COUNTY_CODE}{seq[prefix]:05d}")
        self.lon, self.lat = world.scatter(rng, self.grid, near_share=0.6, sigma_m=80)
        self.weight = rng.gamma(1.5, 1 / 1.5, n)
        start = world.period.start
        first = np.where(camera, date(2016, 1, 1).toordinal(), date(2021, 1, 1).toordinal())
        self.installed = first + (rng.random(n) * (start.toordinal() - first)).astype(np.int64)
        self.status_mid = rng.choice(3, n, p=[0.93, 0.045, 0.025])
        changed = rng.random(n) < 0.05
        self.status_end = np.where(changed, (self.status_mid + rng.integers(1, 3, n)) % 3, self.status_mid)
        missing = exact_count_mask(rng, np.ones(n, dtype=bool), 0.004)
        impossible = exact_count_mask(rng, ~missing, 0.003)
        self.lon_t, self.lat_t = coordinate_text(rng, self.lon, self.lat, missing, impossible)
        addresses = city.addresses(rng, self.grid, self.lon, self.lat)
        self.names = [
            a
            + ("视频监控点" if t == "视频监控" else t.removesuffix("传感器").removesuffix("监测") + "监测点")
            for a, t in zip(addresses, self.type.tolist(), strict=True)
        ]

    def rows(self, world: World, status: np.ndarray) -> list[list[str]]:
        city = world.city
        out = []
        for i in range(len(self.ids)):
            g = int(self.grid[i])
            out.append(
                [
                    self.ids[i],
                    str(self.type[i]),
                    self.names[i],
                    self.lon_t[i],
                    self.lat_t[i],
                    city.streets[int(city.grid_street[g])].name,
                    city.communities[int(city.grid_community[g])].name,
                    city.grids[g].code,
                    date.fromordinal(int(self.installed[i])).isoformat(),
                    DEVICE_STATUS[int(status[i])],
                ]
            )
        return out


def exports(world: World, truth: dict) -> Iterator[ExportFile]:
    rng = stream(world.seed, "platform")
    devices = Devices(world, rng)
    period = world.period
    snapshots = (
        [(period.mid_snapshot, devices.status_mid), (period.end, devices.status_end)]
        if period.days >= 2
        else [(period.end, devices.status_end)]
    )
    for day, status in snapshots:
        yield ExportFile(
            f"城运平台/设备台账_{day:%Y%m%d}.xlsx",
            PLATFORM_DEVICES,
            "xlsx",
            None,
            devices.rows(world, status),
            (day.toordinal() - EPOCH) * DAY,
        )

    cases = _cases(world, rng, devices)
    log = simulate(
        world,
        rng,
        cases["t0"],
        list(SOURCES),
        cases["source"],
        cases["category"],
        cases["urgency"],
        cases["department"],
        cases["street"],
    )
    _truth(world, truth, cases, log, devices)
    rows = _case_rows(world, rng, cases, devices)
    windows = period.monthly_windows()
    t0 = cases["t0"]
    for w in windows:
        sel = np.flatnonzero((t0 >= w.start_min) & (t0 < w.export_min))
        yield ExportFile(
            f"城运平台/案卷_{w.label}.csv",
            PLATFORM_CASES,
            "csv",
            "gb18030",
            rows(sel),
            w.export_min,
        )
    ids = cases["id"]
    depts = [d.name for d in world.reference.departments]
    for k, w in enumerate(windows):
        yield _workflow_file(world, log, ids, depts, w, "utf-8-sig" if k % 3 == 2 else "utf-8")


def _workflow_file(
    world: World, log: Log, ids: list[str], depts: list[str], w: Window, encoding: str
) -> ExportFile:
    lo, hi = np.searchsorted(log.time, [w.start_min, w.export_min])
    ts = world.text.ts
    rows = [
        [ids[c], ACTIONS[a], ts(t), depts[d], log.note[i]]
        for i, c, a, t, d in zip(
            range(lo, hi),
            log.case[lo:hi].tolist(),
            log.action[lo:hi].tolist(),
            log.time[lo:hi].tolist(),
            log.department[lo:hi].tolist(),
            strict=True,
        )
    ]
    return ExportFile(
        f"城运平台/流转日志_{w.label}.csv", PLATFORM_WORKFLOW, "csv", encoding, rows, w.export_min
    )


def _cases(world: World, rng: np.random.Generator, devices: Devices) -> dict:
    rhythm, ref, city = world.rhythm, world.reference, world.city
    cats = ref.case_categories
    code_idx = {c.code: i for i, c in enumerate(cats)}
    parts_t0, parts_src = [], []
    for s, (share, hours, offday, festival) in enumerate(SOURCES.values()):
        typical = (5 + 2 * offday) / 7
        lam = share * CASES_PER_DAY * world.scale * rhythm.intake(offday, festival) / typical
        counts = rng.poisson(lam)
        day_idx = np.repeat(np.arange(rhythm.n), counts)
        parts_t0.append(rhythm.sample_minutes(rng, day_idx, hours))
        parts_src.append(np.full(len(day_idx), s))
    t0 = np.concatenate(parts_t0)
    source = np.concatenate(parts_src)
    order = np.lexsort((source, t0))
    t0, source = t0[order], source[order]
    n = len(t0)
    day_idx = (t0 // DAY + EPOCH - rhythm.ordinals[0]).astype(np.int64)
    season = season_of(rhythm.month[day_idx])
    hour = (t0 % DAY) // 60
    evening = (hour >= 18) | (hour < 2)
    snow = rhythm.snow[day_idx]

    category = np.zeros(n, dtype=np.int64)
    device = np.full(n, -1, dtype=np.int64)
    src_names = list(SOURCES)
    sensor_src, camera_src = src_names.index("物联感知"), src_names.index("视频智能识别")
    # Sensor alarms: pick the device (by type share and season), its type gives the category.
    sensor_idx = np.flatnonzero(source == sensor_src)
    sensor_types = list(SENSORS)
    dev_type = np.array([sensor_types.index(t) if t in SENSORS else -1 for t in devices.type.tolist()])
    type_counts = np.bincount(dev_type[dev_type >= 0], minlength=len(sensor_types))
    for sea in range(4):
        rows = sensor_idx[season[sensor_idx] == sea]
        w = np.zeros(len(dev_type))
        for t, spec in enumerate(SENSORS.values()):
            factor = spec[3] if sea == 2 else spec[4] if sea == 0 else 1.0
            w[dev_type == t] = spec[2] * factor / max(type_counts[t], 1)
        device[rows] = choice_by_weight(rng, w * devices.weight, len(rows))
    for t, spec in enumerate(SENSORS.values()):
        rows = sensor_idx[dev_type[device[sensor_idx]] == t]
        codes = np.array([code_idx[c] for c in spec[5]])
        category[rows] = codes[choice_by_weight(rng, np.array(list(spec[5].values())), len(rows))]
    # Everyone else: category by source, season, evening and snow.
    klass = ((source * 4 + season) * 2 + evening) * 2 + snow
    others = np.flatnonzero(source != sensor_src)
    for k in np.unique(klass[others]).tolist():
        rows = others[klass[others] == k]
        s, sea, eve, sn = k // 16, (k // 4) % 4, (k // 2) % 2, k % 2
        mix = CATEGORY_MIX[src_names[s]]
        w = np.zeros(len(cats))
        for code, base in mix.items():
            w[code_idx[code]] = base * _category_factor(code, sea, bool(eve), bool(sn))
        snow_share = SNOW_SHARE.get(src_names[s], 0.0)
        if sea == 0 and snow_share:
            w[code_idx["SJ0402"]] = w.sum() * (snow_share if sn else 0.004)
        category[rows] = choice_by_weight(rng, w, len(rows))
    # Cameras: the camera that saw it, pulled towards matching hot spots.
    cam_idx = np.flatnonzero(source == camera_src)
    cameras = np.flatnonzero(devices.type == "视频监控")
    for c in np.unique(category[cam_idx]).tolist():
        rows = cam_idx[category[cam_idx] == c]
        pull = city.hot_multiplier(CATEGORY_HOT.get(cats[c].code), base=1.0)[devices.grid[cameras]]
        device[rows] = cameras[choice_by_weight(rng, devices.weight[cameras] * pull, len(rows))]
    grid = np.zeros(n, dtype=np.int64)
    has_device = device >= 0
    grid[has_device] = devices.grid[device[has_device]]
    free = np.flatnonzero(~has_device)
    for c in np.unique(category[free]).tolist():
        rows = free[category[free] == c]
        w = city.grid_weight * city.hot_multiplier(CATEGORY_HOT.get(cats[c].code))
        grid[rows] = choice_by_weight(rng, w, len(rows))

    lon, lat = np.zeros(n), np.zeros(n)
    for src_id, sigma in ((camera_src, 35.0), (sensor_src, 8.0)):
        rows = np.flatnonzero(has_device & (source == src_id))
        if len(rows):
            anchor = (devices.lon[device[rows]], devices.lat[device[rows]])
            lon[rows], lat[rows] = world.sampler.sample(rng, grid[rows], anchor, sigma)
    if len(free):
        lon[free], lat[free] = world.scatter(rng, grid[free])

    majors = np.array([c.major for c in cats])
    urgency = np.where(
        majors[category] == "突发事件",
        rng.choice(3, n, p=URGENT_MAJORS["突发事件"]),
        rng.choice(3, n, p=URGENCY),
    )
    dept_of = {d.code: i for i, d in enumerate(world.reference.departments)}
    department = np.array([dept_of[c.department] for c in cats])[category]
    day = t0 // DAY
    first_of_day = np.searchsorted(day, day)
    seq = np.arange(n) - first_of_day + 1
    text = world.text
    ids = [
        f"AJ{text.day(d).replace('-', '')}{q:05d}" for d, q in zip(day.tolist(), seq.tolist(), strict=True)
    ]
    return {
        "t0": t0,
        "source": source,
        "category": category,
        "device": device,
        "grid": grid,
        "lon": lon,
        "lat": lat,
        "urgency": urgency,
        "department": department,
        "street": world.city.grid_street[grid],
        "id": ids,
    }


def _case_rows(
    world: World, rng: np.random.Generator, cases: dict, devices: Devices
) -> Callable[[np.ndarray], list[list[str]]]:
    """The cases' export rows, made one window at a time (a year's rows at once would not fit at a
    large scale); every random draw is made here, for all cases, so the rows do not depend on the windows."""
    city, cats = world.city, world.reference.case_categories
    n = len(cases["t0"])
    src_names = np.array(list(SOURCES))[cases["source"]]
    missing_rate = np.select([src_names == "12345热线", src_names == "公众上报"], [0.07, 0.02], 0.003)
    missing = rng.random(n) < missing_rate
    impossible = exact_count_mask(rng, ~missing, 0.004)
    lon_t, lat_t = coordinate_text(rng, cases["lon"], cases["lat"], missing, impossible)
    addresses = city.addresses(rng, cases["grid"], cases["lon"], cases["lat"])
    phones = names.phones(rng, n)
    confidence = rng.integers(82, 100, n)
    urg = ("一般", "较急", "紧急")

    def row(i: int) -> list[str]:
        cat = cats[int(cases["category"][i])]
        src = str(src_names[i])
        g = int(cases["grid"][i])
        d = int(cases["device"][i])
        addr = addresses[i]
        if src == "视频智能识别":
            desc = f"视频智能识别：{cat.minor}（置信度{confidence[i]}%）"
        elif src == "物联感知":
            desc = f"{devices.type[d]}告警：{cat.minor}"
        elif src == "无人机巡查":
            desc = f"无人机巡查发现{addr}{cat.minor}"
        elif src == "12345热线":
            desc = f"市民来电反映{addr}{cat.minor}{PHRASES[cat.major]}"
        elif src == "公众上报":
            desc = f"市民随手拍：{addr}{cat.minor}"
        else:
            desc = f"{addr}{cat.minor}{PHRASES[cat.major]}"
        return [
            cases["id"][i],
            src,
            cat.problem_type,
            cat.major,
            cat.minor,
            devices.ids[d] if d >= 0 else "",
            desc,
            addr,
            city.streets[int(city.grid_street[g])].name,
            city.communities[int(city.grid_community[g])].name,
            city.grids[g].code,
            lon_t[i],
            lat_t[i],
            world.text.ts(int(cases["t0"][i])),
            urg[int(cases["urgency"][i])],
            phones[i] if src in ("12345热线", "公众上报") else "",
        ]

    return lambda sel: [row(i) for i in sel.tolist()]


def _truth(world: World, truth: dict, cases: dict, log: Log, devices: Devices) -> None:
    export = world.period.export_min
    n = len(cases["t0"])
    src = np.array(list(SOURCES))[cases["source"]]
    older = cases["t0"] < export - 30 * DAY
    voided = (log.voided_at >= 0) & (log.voided_at <= export)
    closed = (log.closed_at >= 0) & (log.closed_at <= export)
    shown = log.time < export
    fed = np.zeros(n, dtype=bool)
    fed[log.case[shown & (log.action == FEEDBACK)]] = True
    failed = np.zeros(n, dtype=bool)
    failed[log.case[shown & (log.action == FAIL)]] = True
    loops = np.bincount(log.case[shown & (log.action == FAIL)], minlength=n)
    on_time = closed & (log.closed_at <= log.deadline)
    depts = world.reference.departments
    streets = world.city.streets
    by_dept = {
        depts[d].name: round(float(on_time[closed & (log.final_department == d)].mean()), 4)
        for d in np.unique(log.final_department[closed]).tolist()
    }
    street = cases["street"]
    by_street = {
        streets[s].name: round(float(on_time[closed & (street == s)].mean()), 4)
        for s in range(len(streets))
        if (closed & (street == s)).any()
    }
    denominator = int((older & ~voided).sum())
    truth["platform"] = {
        "cases": n,
        "source_shares": {s: round(float((src == s).mean()), 4) for s in SOURCES} if n else {},
        "cases_older_than_30_days": int(older.sum()),
        "closure_rate_older_than_30_days": round(float((older & closed).sum() / denominator), 4)
        if denominator
        else None,
        "closure_rate_definition": "cases reported more than 30 days before export time with a 结案 action by export"
        " time / those cases minus the ones with 作废",
        "voided_share": round(float(voided.mean()), 4) if n else None,
        "rework_share": round(float(failed.sum() / max(fed.sum(), 1)), 4),
        "rework_definition": "cases with at least one 核查不通过 / cases with at least one 处置反馈 (by export time)",
        "rework_two_loops": int((loops >= 2).sum()),
        "extension_share": round(float(log.extended.mean()), 4) if n else None,
        "rollback_share": round(float(log.rolled_back.mean()), 4) if n else None,
        "still_open_at_export": int((~closed & ~voided).sum()),
        "on_time_definition": "结案 at or before the deadline: 立案 + deadline of (小类, 紧急程度), hours or working days"
        " (seeds/work_calendar.csv), extended by one more deadline on 延期批准",
        "on_time_rate_by_department": dict(sorted(by_dept.items(), key=lambda kv: -kv[1])),
        "on_time_rate_by_street": dict(sorted(by_street.items(), key=lambda kv: -kv[1])),
        "cameras": int((devices.type == "视频监控").sum()),
        "sensors": int((devices.type != "视频监控").sum()),
        "workflow_actions_by_export": int(shown.sum()),
    }
