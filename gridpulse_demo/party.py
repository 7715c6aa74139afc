"""双报到: units whose party organisations report in, members reporting to their home communities,
and the service activities they log (only approved hours count).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import numpy as np

from . import names
from .calendar import DAY, EPOCH
from .rng import choice_by_weight, stream
from .schema import PARTY_ACTIVITIES, PARTY_MEMBERS, PARTY_UNITS, ExportFile
from .world import World

UNITS, MEMBERS, APPROVED_HOURS_PER_YEAR = 237, 13_000, 80_000
UNIT_TYPES = {
    "党政机关": (0.2, 1.6),
    "事业单位": (0.3, 1.3),
    "国有企业": (0.2, 1.4),
    "非公企业": (0.18, 0.5),
    "社会组织": (0.12, 0.3),
}  # share of units, relative size
ZERO_ACTIVITY_UNITS = 0.05
INACTIVE_MEMBERS = 0.22
ACTIVITY_TYPES = ("政策宣传", "扶贫帮困", "教学辅导", "环境整治", "矛盾调解", "志愿服务")
TYPE_MIX = (0.22, 0.14, 0.12, 0.20, 0.10, 0.22)
HOURS = (1, 1.5, 2, 2.5, 3, 3.5, 4, 5, 6, 8)
HOURS_P = (0.06, 0.08, 0.22, 0.14, 0.18, 0.08, 0.12, 0.06, 0.04, 0.02)
REJECTED, NEVER_REVIEWED = 0.02, 0.008
REVIEW_STATUS = ("待审核", "已审核", "驳回")


def _type_counts(n: int) -> dict[str, int]:
    share = np.array([s for s, _ in UNIT_TYPES.values()]) * n
    counts = np.floor(share).astype(int)
    counts[np.argsort(counts - share, kind="stable")[: n - counts.sum()]] += 1
    out = dict(zip(UNIT_TYPES, counts.tolist(), strict=True))
    # A big city has more private firms, not more agencies: a kind whose name pool runs short (at
    # most half of it is drawn, so drawing stays quick) passes its overflow to 非公企业.
    for kind, room in (
        ("党政机关", names.AGENCY_COUNT),
        ("事业单位", names.INSTITUTION_COUNT // 2),
        ("国有企业", names.unit_pool("国有企业") // 2),
        ("社会组织", names.unit_pool("社会组织") // 2),
    ):
        overflow = max(0, out[kind] - room)
        out[kind] -= overflow
        out["非公企业"] += overflow
    return out


def unit_names_and_kinds(rng: np.random.Generator, n_units: int) -> tuple[list[str], list[str]]:
    """``n_units`` distinct unit names and their 单位类型, kind by kind."""
    kinds: list[str] = []
    unit_names: list[str] = []
    taken: set[str] = set()
    for kind, count in _type_counts(n_units).items():
        got = names.unique(rng, lambda r, kind=kind: names.unit(r, kind), count, taken)
        taken.update(got)
        unit_names += got
        kinds += [kind] * count
    return unit_names, kinds


def _org_name(unit: str, kind: str, roster: int) -> str:
    suffix = "委员会" if roster >= 100 else "总支部委员会" if roster >= 50 else "支部委员会"
    if unit.startswith("中共"):
        return f"{unit}机关{suffix}"
    return f"中共{unit}{'机关' if kind == '党政机关' else ''}{suffix}"


def exports(world: World, truth: dict) -> Iterator[ExportFile]:
    rng = stream(world.seed, "party")
    city, period = world.city, world.period
    communities = [c.name for c in city.communities]
    n_units = world.volume(UNITS, 12)
    unit_names, kinds = unit_names_and_kinds(rng, n_units)
    size = np.array([UNIT_TYPES[k][1] for k in kinds]) * rng.lognormal(0, 0.6, n_units)
    n_members = max(world.volume(MEMBERS), n_units)
    reported = 1 + rng.multinomial(n_members - n_units, size / size.sum())
    rate = 0.4 + 0.6 * rng.beta(2.5, 1.5, n_units)
    roster = np.ceil(reported / rate).astype(np.int64)
    paired = rng.integers(0, len(communities), n_units)
    unit_rows = [
        [u, _org_name(u, k, int(m)), k, str(int(m)), communities[int(c)]]
        for u, k, m, c in zip(unit_names, kinds, roster.tolist(), paired.tolist(), strict=True)
    ]
    yield ExportFile("双报到/报到单位名册.xlsx", PARTY_UNITS, "xlsx", None, unit_rows, period.export_min)

    # Members: most reported in before the period, some during it.
    unit = np.repeat(np.arange(n_units), reported)
    m = len(unit)
    start, end = period.start.toordinal(), period.end.toordinal()
    early = date(2019, 6, 1).toordinal()
    before = rng.random(m) < 0.85
    reported_on = np.where(
        before,
        early + (rng.random(m) ** 0.8 * (start - early)).astype(np.int64),
        start + (rng.random(m) * (end - start)).astype(np.int64),
    )
    reported_on = np.minimum(reported_on, end - 1)
    order = np.lexsort((unit, reported_on))
    unit, reported_on = unit[order], reported_on[order]
    ids = [f"DY{v:08d}" for v in (10_376_500 + np.cumsum(rng.integers(1, 4, m))).tolist()]
    home = np.where(
        rng.random(m) < 0.35,
        paired[unit],
        choice_by_weight(rng, np.bincount(city.grid_community, minlength=len(communities)).astype(float), m),
    )
    member_names, phones = names.people(rng, m), names.phones(rng, m)
    member_rows = [
        [
            ids[i],
            member_names[i],
            phones[i],
            unit_names[int(unit[i])],
            communities[int(home[i])],
            date.fromordinal(int(reported_on[i])).isoformat(),
        ]
        for i in range(m)
    ]
    snapshot_days = [period.mid_snapshot, period.end] if period.days >= 2 else [period.end]
    for day in snapshot_days:
        rows = [member_rows[i] for i in np.flatnonzero(reported_on < day.toordinal()).tolist()]
        yield ExportFile(
            f"双报到/报到党员_{day:%Y%m%d}.csv",
            PARTY_MEMBERS,
            "csv",
            "gb18030",
            rows,
            (day.toordinal() - EPOCH) * DAY,
        )

    acts = _activities(world, rng, unit, reported_on, home, n_units)

    def act_row(i: int, export_day: int) -> list[str]:  # made per window: a year's rows need not fit
        return [
            acts["id"][i],
            ids[int(acts["member"][i])],
            communities[int(acts["community"][i])],
            date.fromordinal(int(acts["day"][i])).isoformat(),
            ACTIVITY_TYPES[int(acts["type"][i])],
            f"{acts['hours'][i]:g}",
            REVIEW_STATUS[_status(acts, i, export_day)],
        ]

    for w in period.monthly_windows():
        sel = np.flatnonzero((acts["day"] >= w.first.toordinal()) & (acts["day"] <= w.last.toordinal()))
        export_day = w.last.toordinal() + 1
        rows = [act_row(i, export_day) for i in sel.tolist()]
        yield ExportFile(
            f"双报到/服务活动_{w.label}.csv", PARTY_ACTIVITIES, "csv", "utf-8-sig", rows, w.export_min
        )

    final = np.array([_status(acts, i, end) for i in range(len(acts["day"]))], dtype=np.int64)
    active_units = set(unit[acts["member"]].tolist())
    hours_by_type = {
        t: round(float(acts["hours"][(final == 1) & (acts["type"] == k)].sum()), 1)
        for k, t in enumerate(ACTIVITY_TYPES)
    }
    truth["party"] = {
        "units": n_units,
        "members_reported": m,
        "roster_members": int(roster.sum()),
        "report_rate_range": [
            round(float((reported / roster).min()), 3),
            round(float((reported / roster).max()), 3),
        ],
        "activities": len(final),
        "approved_hours": round(float(acts["hours"][final == 1].sum()), 1),
        "approved_hours_by_type": hours_by_type,
        "pending_at_export": int((final == 0).sum()),
        "rejected": int((final == 2).sum()),
        "zero_activity_units": sorted(unit_names[u] for u in range(n_units) if u not in active_units),
    }


def _status(acts: dict, i: int, export_day: int) -> int:
    """0 待审核, 1 已审核, 2 驳回, as of 00:00 on ``export_day``."""
    return int(acts["outcome"][i]) if acts["reviewed"][i] < export_day else 0


def _activities(
    world: World,
    rng: np.random.Generator,
    unit: np.ndarray,
    reported_on: np.ndarray,
    home: np.ndarray,
    n_units: int,
) -> dict:
    rhythm, period = world.rhythm, world.period
    m = len(unit)
    engagement = rng.gamma(2.0, 0.5, n_units)
    engagement[rng.choice(n_units, max(1, round(ZERO_ACTIVITY_UNITS * n_units)), replace=False)] = 0.0
    keen = rng.gamma(0.9, 1 / 0.9, m) * (rng.random(m) >= INACTIVE_MEMBERS)
    first_day = np.maximum(reported_on + 1 - period.start.toordinal(), 0)
    eligible_days = np.maximum(period.days - first_day, 0)
    mean_hours = float(np.dot(HOURS, HOURS_P))
    target = (
        APPROVED_HOURS_PER_YEAR
        * world.scale
        * period.days
        / 365
        / mean_hours
        / (1 - REJECTED - NEVER_REVIEWED)
    )
    propensity = engagement[unit] * keen * eligible_days
    lam = propensity * target / max(propensity.sum(), 1e-9)
    counts = rng.poisson(lam)
    member = np.repeat(np.arange(m), counts)
    n = len(member)
    # Day of the activity: weekends, 学雷锋 (early March) and the run-up to 春节 are busy.
    dom = np.array([date.fromordinal(int(o)).day for o in rhythm.ordinals])
    weight = np.where(rhythm.weekday >= 5, 2.2, 1.0) * np.where((rhythm.month == 3) & (dom <= 10), 1.8, 1.0)
    weight = weight * np.where(rhythm.spring_festival, 1.3, 1.0)
    cdf = np.concatenate([[0.0], np.cumsum(weight)])
    lo = cdf[first_day[member]]
    day_idx = np.searchsorted(cdf, lo + rng.random(n) * (cdf[-1] - lo), side="right") - 1
    day_idx = np.clip(day_idx, first_day[member], rhythm.n - 1)
    month = rhythm.month[day_idx]
    activity_type = np.zeros(n, dtype=np.int64)
    for mo in range(1, 13):
        rows = np.flatnonzero(month == mo)
        w = np.array(TYPE_MIX) * np.array(
            [1, 2.5 if mo in (1, 2, 12) else 1, 2.5 if mo in (7, 8) else 1, 1.5 if mo in (3, 4) else 1, 1, 1]
        )
        activity_type[rows] = choice_by_weight(rng, w, len(rows))
    hours = np.array(HOURS)[choice_by_weight(rng, np.array(HOURS_P), n)]
    community = np.where(rng.random(n) < 0.9, home[member], rng.integers(0, len(world.city.communities), n))
    day = rhythm.ordinals[day_idx]
    order = np.lexsort((member, day))
    member, day, activity_type, hours, community = (
        a[order] for a in (member, day, activity_type, hours, community)
    )
    reviewed = day + 1 + rng.geometric(1 / 6, n)
    outcome = np.where(rng.random(n) < REJECTED, 2, 1)
    reviewed = np.where(rng.random(n) < NEVER_REVIEWED, np.iinfo(np.int64).max, reviewed)
    seq = np.arange(n) - np.searchsorted(day, day) + 1
    ids = [f"HD{date.fromordinal(d):%Y%m%d}{q:05d}" for d, q in zip(day.tolist(), seq.tolist(), strict=True)]
    return {
        "member": member,
        "day": day,
        "type": activity_type,
        "hours": hours,
        "community": community,
        "reviewed": reviewed,
        "outcome": outcome,
        "id": ids,
    }
