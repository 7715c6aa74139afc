"""网格化服务管理平台: grid events, with their state as of each monthly export.

小事不出网格、难事不出社区、大事不出街道: most events are settled by the grid
itself, some by the community, a few escalate (街道吹哨 / 部门报到). Residents'
events are visited after closure and their satisfaction follows timeliness.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import numpy as np

from . import names
from .calendar import DAY, EPOCH, season_of
from .points import coordinate_text, exact_count_mask
from .rng import choice_by_weight, logistic, stream
from .schema import GRID_EVENTS, ExportFile
from .world import World

EVENTS_PER_DAY = 120
# channel: (share, hour profile, off-day factor, Spring Festival factor)
CHANNELS = {
    "网格员巡查": (0.55, "gridworker", 0.35, 0.15),
    "居民反映": (0.15, "citizen", 1.1, 0.6),
    "随手拍": (0.10, "citizen", 1.3, 0.6),
    "12345转办": (0.13, "citizen", 0.8, 0.6),
    "单位提交": (0.07, "inspector", 0.2, 0.2),
}
VISITED_CHANNELS = ("居民反映", "随手拍", "12345转办")
LEVELS = ("网格自办", "社区办理", "街道吹哨", "部门报到")
# How often each channel reports each 大类.
CHANNEL_MIX = {
    "网格员巡查": {
        "环境卫生": 24,
        "市容秩序": 18,
        "安全隐患": 16,
        "市政设施": 12,
        "特殊人群": 12,
        "民生服务": 8,
        "矛盾纠纷": 4,
        "物业管理": 3,
        "违法建设": 3,
    },
    "居民反映": {
        "矛盾纠纷": 22,
        "物业管理": 20,
        "环境卫生": 16,
        "市容秩序": 12,
        "市政设施": 10,
        "民生服务": 10,
        "安全隐患": 6,
        "违法建设": 4,
    },
    "随手拍": {"环境卫生": 30, "市容秩序": 26, "市政设施": 22, "安全隐患": 12, "违法建设": 6, "物业管理": 4},
    "12345转办": {
        "物业管理": 24,
        "市容秩序": 18,
        "市政设施": 16,
        "矛盾纠纷": 14,
        "环境卫生": 12,
        "民生服务": 8,
        "安全隐患": 4,
        "违法建设": 4,
    },
    "单位提交": {"安全隐患": 30, "违法建设": 20, "民生服务": 20, "市政设施": 15, "环境卫生": 15},
}
# Resolution level mix by 大类 (网格自办, 社区办理, 街道吹哨, 部门报到).
LEVEL_MIX = {
    "矛盾纠纷": (0.50, 0.38, 0.12, 0.0),
    "环境卫生": (0.70, 0.18, 0.05, 0.07),
    "市容秩序": (0.62, 0.15, 0.11, 0.12),
    "安全隐患": (0.47, 0.27, 0.15, 0.11),
    "市政设施": (0.36, 0.23, 0.15, 0.26),
    "物业管理": (0.42, 0.38, 0.15, 0.05),
    "民生服务": (0.66, 0.30, 0.04, 0.0),
    "特殊人群": (0.76, 0.22, 0.02, 0.0),
    "违法建设": (0.20, 0.20, 0.40, 0.20),
}
DEPARTMENT_BY_MAJOR = {
    "环境卫生": "BM08",
    "市容秩序": "BM03",
    "安全隐患": "BM16",
    "市政设施": "BM06",
    "物业管理": "BM04",
    "违法建设": "BM03",
}
DEPARTMENT_BY_MINOR = {
    "井盖缺失": "BM05",
    "下水道堵塞": "BM05",
    "燃气使用隐患": "BM11",
    "违规停车": "BM14",
    "噪声扰民": "BM13",
    "二次供水": "BM05",
    "污水外溢": "BM05",
}
MINOR_HOT = {
    "占道经营": {"农贸市场": 5, "商圈": 2},
    "垃圾乱堆": {"农贸市场": 3, "老旧小区": 2},
    "楼道堆物": {"老旧小区": 4},
    "电动车违规充电": {"老旧小区": 4},
    "违规停车": {"商圈": 3, "学校周边": 3},
    "噪声扰民": {"商圈": 3},
    "露天烧烤": {"商圈": 3},
    "消防通道堵塞": {"老旧小区": 3},
    "私搭乱建": {"老旧小区": 3},
    "下水道堵塞": {"老旧小区": 2},
    "独居老人关爱": {"老旧小区": 3},
    "困境儿童关爱": {"学校周边": 2},
    "消费纠纷": {"商圈": 3, "农贸市场": 3},
}
# Deadline in hours by level and urgency (一般, 较急, 紧急), counted from 受理.
DEADLINE_HOURS = {0: (48, 24, 6), 1: (120, 72, 24), 2: (168, 120, 48), 3: (240, 168, 72)}
LEVEL_EFFECT = (0.8, 0.3, -0.3, -0.6)
STREET_EFFECT = (0.5, 0.2, 0.0, -0.3, -0.6)
PHRASES = {
    "矛盾纠纷": "，双方争执不下",
    "环境卫生": "，影响居民生活",
    "市容秩序": "，影响市容秩序",
    "安全隐患": "，存在安全隐患",
    "市政设施": "，影响居民出行",
    "物业管理": "，居民意见较大",
    "民生服务": "，需协助办理",
    "特殊人群": "，需上门走访",
    "违法建设": "，请核查处理",
}
SATISFACTION = ("满意", "基本满意", "不满意")


def _minor_factor(minor: str, season: int, evening: bool, snow: bool, festival: bool) -> float:
    if minor == "露天烧烤":
        return (
            (6.0 if evening else 0.2) if season == 2 else (0.4 if evening else 0.05) if season != 0 else 0.02
        )
    if minor == "道路积雪结冰":
        return 12.0 if snow else (0.1 if season == 0 else 0.0)
    if minor in ("电动车违规充电", "燃气使用隐患"):
        return 1.6 if season == 0 else 1.0
    if minor in ("独居老人关爱", "困难帮扶"):
        return 3.0 if festival else 1.6 if season == 0 else 1.0
    if minor in ("下水道堵塞", "二次供水", "污水外溢"):
        return 1.8 if season == 2 else 1.0
    if minor == "噪声扰民":
        return 2.0 if season == 2 and evening else 1.0
    return 1.0


def exports(world: World, truth: dict) -> Iterator[ExportFile]:
    rng = stream(world.seed, "grid_events")
    ev = _events(world, rng)
    _truth(world, truth, ev)
    for k, w in enumerate(world.period.monthly_windows()):
        sel = np.flatnonzero((ev["t0"] >= w.start_min) & (ev["t0"] < w.export_min))
        rows = [_row(world, ev, int(i), w.export_min) for i in sel]
        if k % 4 == 1:
            yield ExportFile(
                f"网格事件/网格事件导出_{w.label}.csv", GRID_EVENTS, "csv", "gb18030", rows, w.export_min
            )
        else:
            yield ExportFile(
                f"网格事件/网格事件导出_{w.label}.xlsx", GRID_EVENTS, "xlsx", None, rows, w.export_min
            )


def _events(world: World, rng: np.random.Generator) -> dict:
    rhythm, city = world.rhythm, world.city
    cats = world.reference.grid_event_categories
    majors = sorted({m for m, _ in cats})
    parts_t0, parts_ch = [], []
    for c, (share, hours, offday, festival) in enumerate(CHANNELS.values()):
        typical = (5 + 2 * offday) / 7
        lam = share * EVENTS_PER_DAY * world.scale * rhythm.intake(offday, festival, 0.1) / typical
        day_idx = np.repeat(np.arange(rhythm.n), rng.poisson(lam))
        parts_t0.append(rhythm.sample_minutes(rng, day_idx, hours))
        parts_ch.append(np.full(len(day_idx), c))
    t0 = np.concatenate(parts_t0)
    channel = np.concatenate(parts_ch)
    order = np.lexsort((channel, t0))
    t0, channel = t0[order], channel[order]
    n = len(t0)
    day_idx = (t0 // DAY + EPOCH - rhythm.ordinals[0]).astype(np.int64)
    season = season_of(rhythm.month[day_idx])
    hour = (t0 % DAY) // 60
    evening = (hour >= 18) | (hour < 2)
    snow, festival = rhythm.snow[day_idx], rhythm.spring_festival[day_idx]

    channels = list(CHANNELS)
    category = np.zeros(n, dtype=np.int64)
    klass = (((channel * 4 + season) * 2 + evening) * 2 + snow) * 2 + festival
    per_major = Counter(m for m, _ in cats)
    for k in np.unique(klass).tolist():
        rows = np.flatnonzero(klass == k)
        ch, sea, eve, sn, fe = k // 32, (k // 8) % 4, (k // 4) % 2, (k // 2) % 2, k % 2
        mix = CHANNEL_MIX[channels[ch]]
        w = np.array(
            [
                mix.get(m, 0) / per_major[m] * _minor_factor(minor, sea, bool(eve), bool(sn), bool(fe))
                for m, minor in cats
            ]
        )
        category[rows] = choice_by_weight(rng, w, len(rows))
    grid = np.zeros(n, dtype=np.int64)
    for c in np.unique(category).tolist():
        rows = np.flatnonzero(category == c)
        w = city.grid_weight * city.hot_multiplier(MINOR_HOT.get(cats[c][1]))
        grid[rows] = choice_by_weight(rng, w, len(rows))
    gcj = channel == channels.index("随手拍")
    lon, lat = world.scatter(rng, grid, gcj=gcj)
    missing = exact_count_mask(rng, ~gcj, 0.015)
    impossible = exact_count_mask(rng, ~gcj & ~missing, 0.008)
    lon_t, lat_t = coordinate_text(rng, lon, lat, missing, impossible)

    major_of = np.array([majors.index(m) for m, _ in cats])[category]
    level = np.zeros(n, dtype=np.int64)
    for m, major in enumerate(majors):
        rows = np.flatnonzero(major_of == m)
        level[rows] = choice_by_weight(rng, np.array(LEVEL_MIX[major]), len(rows))
    urgency = rng.choice(3, n, p=[0.85, 0.12, 0.03])

    # Acceptance: grid workers accept their own reports at once; others wait for office hours.
    mod = t0 % DAY
    wait = np.where(mod >= 20 * 60, DAY - mod + 8 * 60, np.where(mod < 8 * 60, 8 * 60 - mod, 0))
    own = channel == channels.index("网格员巡查")
    accept = t0 + np.where(
        own,
        rng.integers(1, 6, n),
        wait + np.clip(np.round(rng.lognormal(np.log(40), 0.8, n)), 1, 720).astype(np.int64),
    )
    void = rng.random(n) < 0.015
    void_at = accept + rng.integers(30, 1440, n)
    dispatch_gap = np.clip(np.round(rng.lognormal(np.log(np.array([1, 60, 180, 240])[level]), 0.7)), 1, 2880)
    dispatch = np.where(level > 0, accept + dispatch_gap.astype(np.int64), -1)
    deadline = (
        np.array([DEADLINE_HOURS[lv][u] for lv, u in zip(level.tolist(), urgency.tolist(), strict=True)]) * 60
    )
    street = city.grid_street[grid]
    street_effect = rng.permutation(np.array(STREET_EFFECT))
    on_time = rng.random(n) < logistic(2.0 + np.array(LEVEL_EFFECT)[level] + street_effect[street])
    stuck = ~void & (rng.random(n) < 0.02)
    never = stuck & (rng.random(n) < 0.5)
    work = np.where(
        on_time, rng.uniform(0.05, 0.9, n) * deadline, deadline * (1 + rng.lognormal(np.log(0.4), 0.8, n))
    )
    work = np.where(stuck, deadline + DAY * 30 * rng.lognormal(np.log(1.5), 0.8, n), work).astype(np.int64)
    closed = np.maximum(accept + np.maximum(work, 5), dispatch + 10)
    closed = np.where(void | never, -1, closed)
    late = closed > accept + deadline
    visited = (closed >= 0) & (
        np.isin(channel, [channels.index(c) for c in VISITED_CHANNELS]) | (rng.random(n) < 0.2)
    )
    visit_at = closed + rng.integers(120, 4320, n)
    clock = visit_at % DAY  # visits are made between 09:00 and 20:00
    visit_at += np.where(clock < 9 * 60, 9 * 60 - clock, np.where(clock > 20 * 60, DAY - clock + 9 * 60, 0))
    visit_at = np.where(
        visited, visit_at + np.where((clock < 9 * 60) | (clock > 20 * 60), rng.integers(0, 150, n), 0), -1
    )
    contacted = visited & (rng.random(n) < 0.94)
    resolved = contacted & (rng.random(n) < np.where(late, 0.78, 0.93))
    p_sat = np.where(
        resolved[:, None], np.where(late[:, None], [0.5, 0.28, 0.22], [0.82, 0.14, 0.04]), [0.1, 0.3, 0.6]
    )
    satisfaction = (rng.random(n)[:, None] > np.cumsum(p_sat, axis=1)).sum(1)
    # closed-before-reported: a bad 办结时间 typed into some records
    bad_close = exact_count_mask(rng, closed >= 0, 0.008)
    written_close = np.where(bad_close, t0 - rng.integers(10, 4320, n), closed)

    dept_names = {d.code: d.name for d in world.reference.departments}
    handler = []
    for i in range(n):
        lv, g = int(level[i]), int(grid[i])
        if lv == 0:
            handler.append(city.grids[g].name)
        elif lv == 1:
            handler.append(city.communities[int(city.grid_community[g])].name + "居委会")
        elif lv == 2:
            handler.append(city.streets[int(street[i])].name + "办事处")
        else:
            major, minor = cats[int(category[i])]
            handler.append(dept_names[DEPARTMENT_BY_MINOR.get(minor, DEPARTMENT_BY_MAJOR[major])])
    workers = names.people(rng, len(city.grids))
    worker_phones = names.phones(rng, len(city.grids))
    reporters = names.people(rng, n)
    phones = names.phones(rng, n)
    day = t0 // DAY
    seq = np.arange(n) - np.searchsorted(day, day) + 1
    addresses = city.addresses(rng, grid, lon, lat)
    return {
        "t0": t0,
        "channel": channel,
        "category": category,
        "grid": grid,
        "lon_t": lon_t,
        "lat_t": lat_t,
        "gcj": gcj,
        "level": level,
        "urgency": urgency,
        "accept": accept,
        "dispatch": dispatch,
        "closed": closed,
        "written_close": written_close,
        "void": void,
        "void_at": void_at,
        "visit_at": visit_at,
        "contacted": contacted,
        "resolved": resolved,
        "satisfaction": satisfaction,
        "late": late,
        "handler": handler,
        "reporter": [
            workers[g] if o else r for g, o, r in zip(grid.tolist(), own.tolist(), reporters, strict=True)
        ],
        "phone": [
            worker_phones[g] if o else p for g, o, p in zip(grid.tolist(), own.tolist(), phones, strict=True)
        ],
        "id": [
            f"SJ{world.text.day(d).replace('-', '')}{q:06d}"
            for d, q in zip(day.tolist(), seq.tolist(), strict=True)
        ],
        "address": addresses,
        "bad_close": bad_close,
        "never": never,
    }


def _row(world: World, ev: dict, i: int, at: int) -> list[str]:
    """The event as the system showed it at minute ``at``."""
    city, ts = world.city, world.text.ts
    cats = world.reference.grid_event_categories
    g = int(ev["grid"][i])
    major, minor = cats[int(ev["category"][i])]
    accepted = ev["accept"][i] <= at
    voided = ev["void"][i] and ev["void_at"][i] <= at
    dispatched = not voided and 0 <= ev["dispatch"][i] <= at
    closed = not voided and 0 <= ev["closed"][i] <= at
    visited = closed and 0 <= ev["visit_at"][i] <= at
    level = int(ev["level"][i])
    if voided:
        status = "已作废"
    elif closed:
        status = "已办结"
    elif dispatched or (accepted and level == 0):
        status = "处置中"
    else:
        status = "已受理" if accepted else "待受理"
    channel = list(CHANNELS)[int(ev["channel"][i])]
    addr = ev["address"][i]
    verb = "巡查发现" if channel == "网格员巡查" else "反映"
    return [
        ev["id"][i],
        ts(int(ev["t0"][i])),
        channel,
        ev["reporter"][i],
        ev["phone"][i],
        major,
        minor,
        f"{verb}{addr}{minor}{PHRASES[major]}",
        city.streets[int(city.grid_street[g])].name,
        city.communities[int(city.grid_community[g])].name,
        city.grids[g].code,
        addr,
        ev["lon_t"][i],
        ev["lat_t"][i],
        "GCJ02" if ev["gcj"][i] else "WGS84",
        ("一般", "较急", "紧急")[int(ev["urgency"][i])],
        LEVELS[level] if accepted else "",
        ev["handler"][i] if accepted else "",
        status,
        ts(int(ev["accept"][i])) if accepted else "",
        ts(int(ev["dispatch"][i])) if dispatched else "",
        ts(int(ev["written_close"][i])) if closed else "",
        ts(int(ev["visit_at"][i])) if visited else "",
        ("是" if ev["contacted"][i] else "否") if visited else "",
        ("是" if ev["resolved"][i] else "否") if visited else "",
        (SATISFACTION[int(ev["satisfaction"][i])] if ev["contacted"][i] else "未评价")
        if visited
        else ("未评价" if closed else ""),
    ]


def _truth(world: World, truth: dict, ev: dict) -> None:
    export = world.period.export_min
    n = len(ev["t0"])
    channels, city = list(CHANNELS), world.city
    older = ev["t0"] < export - 30 * DAY
    closed = (ev["closed"] >= 0) & (ev["closed"] <= export)
    voided = ev["void"] & (ev["void_at"] <= export)
    visited = closed & (ev["visit_at"] >= 0) & (ev["visit_at"] <= export) & ev["contacted"]
    sat = np.array(SATISFACTION + ("未评价",))[np.where(ev["contacted"], ev["satisfaction"], 3)]
    per_grid = np.bincount(ev["grid"], minlength=len(city.grids))
    hot = np.array([bool(h) for h in city.grid_hot])

    def share(mask: np.ndarray, value: str) -> float | None:
        return round(float((sat[mask] == value).mean()), 4) if mask.any() else None

    truth["grid_events"] = {
        "events": n,
        "channel_shares": {c: round(float((ev["channel"] == k).mean()), 4) for k, c in enumerate(channels)},
        "level_shares": {lv: round(float((ev["level"] == k).mean()), 4) for k, lv in enumerate(LEVELS)},
        "voided_share": round(float(voided.mean()), 4),
        "closure_rate_older_than_30_days": round(
            float((older & closed).sum() / max((older & ~voided).sum(), 1)), 4
        ),
        "unsatisfied_share_on_time": share(visited & ~ev["late"], "不满意"),
        "unsatisfied_share_late": share(visited & ev["late"], "不满意"),
        "closed_before_reported_records": int(ev["bad_close"].sum()),
        "intake_per_hot_grid": round(float(per_grid[hot].mean()), 2),
        "intake_per_other_grid": round(float(per_grid[~hot].mean()), 2),
    }
