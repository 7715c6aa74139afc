"""Time in the demo city: the period, export windows, daily and hourly rhythm, workdays.

Times are integer minutes since 1970-01-01 00:00 local time (Asia/Shanghai,
naive); -1 means "no time". Days are proleptic Gregorian ordinals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np

from .reference import Reference

EPOCH = date(1970, 1, 1).toordinal()
DAY = 1440
NO_TIME = -1

# 除夕 .. 初六 is the dip around 春节 (the Spring Festival holiday week).
SPRING_FESTIVAL = {
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
}

# Relative intake per hour of day, by who reports.
HOURS = {
    # city cameras see the street all day; violations follow street life
    "camera": [2, 1.5, 1, 1, 1, 1.5, 3, 6, 8, 9, 9, 9, 8, 7, 7, 7, 7, 7, 8, 8, 7, 5, 4, 3],
    "sensor": [4, 4, 4, 4, 4, 4, 5, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 5, 5, 4],
    "inspector": [0, 0, 0, 0, 0, 0, 0.3, 3, 10, 11, 10, 8, 3, 4, 9, 10, 9, 6, 1, 0.3, 0, 0, 0, 0],
    "drone": [0, 0, 0, 0, 0, 0, 0, 0, 4, 9, 10, 9, 4, 3, 8, 10, 8, 3, 0, 0, 0, 0, 0, 0],
    "citizen": [0.6, 0.3, 0.2, 0.2, 0.2, 0.4, 1, 3, 7, 9, 9, 8, 6, 6, 7, 7, 7, 6, 6, 6, 6, 5, 3, 1.5],
    "gridworker": [0, 0, 0, 0, 0, 0, 0.2, 2, 9, 11, 10, 8, 3, 4, 9, 10, 9, 6, 2, 1, 0.5, 0, 0, 0],
}


def season_of(month: np.ndarray) -> np.ndarray:
    """0 winter (12–2), 1 spring (3–5), 2 summer (6–9), 3 autumn (10–11)."""
    return np.select(
        [np.isin(month, (12, 1, 2)), np.isin(month, (3, 4, 5)), np.isin(month, (6, 7, 8, 9))], [0, 1, 2], 3
    )


def minute_of(day: date, hour: int = 0, minute: int = 0) -> int:
    return (day.toordinal() - EPOCH) * DAY + hour * 60 + minute


def as_datetime(minutes: int) -> datetime:
    return datetime(1970, 1, 1) + timedelta(minutes=int(minutes))


@dataclass(frozen=True)
class Window:
    first: date
    last: date

    @property
    def export_min(self) -> int:
        """Exported at 00:00 the day after the window's last day."""
        return minute_of(self.last + timedelta(days=1))

    @property
    def label(self) -> str:
        return f"{self.first:%Y%m%d}-{self.last:%Y%m%d}"

    @property
    def start_min(self) -> int:
        return minute_of(self.first)


@dataclass(frozen=True)
class Period:
    start: date
    days: int

    @property
    def end(self) -> date:
        """The export day: first day after the period."""
        return self.start + timedelta(days=self.days)

    @property
    def export_min(self) -> int:
        return minute_of(self.end)

    @property
    def mid_snapshot(self) -> date:
        """The day of the mid-period full snapshot (device registry, party members; only if ``days >= 2``).

        The first day of the month that holds the midpoint ``start + max(1, days // 2)``, when that day lies
        strictly between ``start`` and ``end``; otherwise (short periods) the midpoint itself. The midpoint
        moves with every other extra day, the month's first day only when the midpoint enters a new month:
        a longer period must not move an earlier snapshot, since the benchmark's "one more day" (the files
        of a ``days + 1`` generation that the ``days`` one lacks) and a real city's daily export both add
        only the newest snapshot.
        """
        midpoint = self.start + timedelta(days=max(1, self.days // 2))
        first = midpoint.replace(day=1)
        return first if self.start < first < self.end else midpoint

    @property
    def ordinals(self) -> np.ndarray:
        return np.arange(self.start.toordinal(), self.end.toordinal(), dtype=np.int64)

    def monthly_windows(self, overlap_days: int = 5) -> list[Window]:
        """One window per calendar month: [first day − overlap, last day], clipped to the period."""
        windows = []
        month = date(self.start.year, self.start.month, 1)
        last_day = self.end - timedelta(days=1)
        while month <= last_day:
            following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
            first = max(self.start, month - timedelta(days=overlap_days))
            windows.append(Window(first, min(following - timedelta(days=1), last_day)))
            month = following
        return windows

    def quarters(self) -> list[tuple[int, int, date, date]]:
        """(year, quarter, first day, last day) of every quarter that intersects the period."""
        found = []
        year, q = self.start.year, (self.start.month - 1) // 3 + 1
        last_day = self.end - timedelta(days=1)
        while True:
            first = date(year, 3 * q - 2, 1)
            if first > last_day:
                return found
            nxt = date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
            found.append((year, q, first, nxt - timedelta(days=1)))
            year, q = (year + 1, 1) if q == 4 else (year, q + 1)


class Rhythm:
    """Per-day facts of the period: weekday, off-days, Spring Festival, season, snow."""

    def __init__(self, period: Period, reference: Reference, rng: np.random.Generator):
        self.ordinals = period.ordinals
        dates = [date.fromordinal(int(o)) for o in self.ordinals]
        self.weekday = np.array([d.weekday() for d in dates])
        self.month = np.array([d.month for d in dates])
        self.doy = np.array([d.timetuple().tm_yday for d in dates])
        workdays = reference.workdays
        self.offday = np.array([not workdays.get(d, d.weekday() < 5) for d in dates])
        self.spring_festival = np.array([_in_spring_festival(d) for d in dates])
        # A few snowfalls per winter: days on which 道路积雪结冰 floods in.
        self.snow = np.zeros(len(dates), dtype=bool)
        winter = np.isin(self.month, (12, 1, 2))
        winter_idx = np.flatnonzero(winter)
        if len(winter_idx):
            n = max(1, round(len(winter_idx) * 7 / 90))
            starts = rng.choice(winter_idx, size=min(n, len(winter_idx)), replace=False)
            for s in np.sort(starts):
                self.snow[s : s + int(rng.integers(1, 3))] = True
        self.snow &= winter

    @property
    def n(self) -> int:
        return len(self.ordinals)

    def season(self, amplitude: float = 0.12) -> np.ndarray:
        """Mild annual cycle peaking in midsummer."""
        return 1.0 + amplitude * np.sin(2 * np.pi * (self.doy - 110) / 365.0)

    def intake(self, offday: float, festival: float, amplitude: float = 0.12) -> np.ndarray:
        """Relative daily intake: off-days and the Spring Festival lower it, summer raises it."""
        factor = self.season(amplitude)
        factor = np.where(self.offday, factor * offday, factor)
        return np.where(self.spring_festival, factor * festival, factor)

    def sample_minutes(self, rng: np.random.Generator, day_idx: np.ndarray, hours: str) -> np.ndarray:
        """Times on the given period days, hour by the named profile, minute uniform."""
        weights = np.asarray(HOURS[hours], dtype=float)
        cdf = np.cumsum(weights / weights.sum())
        hour = np.minimum(np.searchsorted(cdf, rng.random(len(day_idx)), side="right"), 23)
        day0 = (self.ordinals[0] - EPOCH) * DAY
        return day0 + day_idx * DAY + hour * 60 + rng.integers(0, 60, len(day_idx))


def _in_spring_festival(d: date) -> bool:
    new_year = SPRING_FESTIVAL.get(d.year)
    return new_year is not None and new_year - timedelta(days=1) <= d <= new_year + timedelta(days=6)


class Workdays:
    """Deadline arithmetic in working days (holidays and 调休 from seeds/work_calendar.csv)."""

    def __init__(self, reference: Reference, first: date, last: date):
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        known = reference.workdays
        self.ordinals = np.array(
            [d.toordinal() for d in days if known.get(d, d.weekday() < 5)], dtype=np.int64
        )

    def add(self, minutes: np.ndarray, n: np.ndarray) -> np.ndarray:
        """The same clock time on the n-th working day after each time's day."""
        day = minutes // DAY + EPOCH
        k = np.searchsorted(self.ordinals, day, side="right")
        target = self.ordinals[np.minimum(k + n - 1, len(self.ordinals) - 1)]
        return (target - EPOCH) * DAY + minutes % DAY


class TimeText:
    """Fast standard text of minutes: 'YYYY-MM-DD HH:MM:00' and 'YYYY-MM-DD'."""

    def __init__(self) -> None:
        self._days: dict[int, str] = {}
        self._hm = [f" {h:02d}:{m:02d}:00" for h in range(24) for m in range(60)]

    def day(self, day_number: int) -> str:
        text = self._days.get(day_number)
        if text is None:
            text = date.fromordinal(day_number + EPOCH).isoformat()
            self._days[day_number] = text
        return text

    def ts(self, minutes: int) -> str:
        if minutes < 0:
            return ""
        return self.day(minutes // DAY) + self._hm[minutes % DAY]
