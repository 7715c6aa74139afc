"""Everything the domain generators share: the city, the period and its rhythm, the reference tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from .calendar import Period, Rhythm, TimeText, Workdays
from .city import City, build_city
from .points import PointSampler
from .reference import Reference, load_reference
from .rng import stream

ANCHORS_PER_GRID = 3


@dataclass
class World:
    seed: int
    scale: float
    period: Period
    reference: Reference
    rhythm: Rhythm
    workdays: Workdays
    city: City
    sampler: PointSampler
    anchors: np.ndarray  # (grids, ANCHORS_PER_GRID, 2): places in each grid where things tend to happen
    text: TimeText

    @classmethod
    def create(cls, seed: int, start: date, days: int, scale: float) -> World:
        period = Period(start, days)
        reference = load_reference()
        city = build_city()
        sampler = PointSampler(city)
        rng = stream(seed, "anchors")
        grids = np.repeat(np.arange(len(city.grids)), ANCHORS_PER_GRID)
        lon, lat = sampler.sample(rng, grids)
        anchors = np.stack([lon, lat], axis=-1).reshape(len(city.grids), ANCHORS_PER_GRID, 2)
        workdays = Workdays(reference, start - timedelta(days=30), period.end + timedelta(days=800))
        return cls(
            seed,
            scale,
            period,
            reference,
            Rhythm(period, reference, stream(seed, "rhythm")),
            workdays,
            city,
            sampler,
            anchors,
            TimeText(),
        )

    def volume(self, per_scale_one: float, minimum: int = 0) -> int:
        return max(minimum, int(round(per_scale_one * self.scale)))

    def scatter(
        self,
        rng: np.random.Generator,
        grid: np.ndarray,
        near_share: float = 0.55,
        sigma_m: float = 60.0,
        gcj: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Points in their grids: some near the grid's usual places, the rest anywhere in it."""
        near = rng.random(len(grid)) < near_share
        pick = self.anchors[grid, rng.integers(0, ANCHORS_PER_GRID, len(grid))]
        gcj = np.zeros(len(grid), dtype=bool) if gcj is None else gcj
        lon, lat = np.zeros(len(grid)), np.zeros(len(grid))
        for mask, anchor in ((near, (pick[:, 0], pick[:, 1])), (~near, None)):
            idx = np.flatnonzero(mask)
            if len(idx):
                sel_anchor = None if anchor is None else (anchor[0][idx], anchor[1][idx])
                lon[idx], lat[idx] = self.sampler.sample(rng, grid[idx], sel_anchor, sigma_m, gcj[idx])
        return lon, lat
