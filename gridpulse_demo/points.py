"""Points strictly inside unit grids, as written (rounded to 6 decimals, in WGS-84 or GCJ-02).

Candidates are drawn near an anchor (a device, a compound) or uniformly in the
grid's lattice cell, rounded the way the export writes them, converted back to
WGS-84 if they are written in GCJ-02, and checked with ``point_in_polygon``;
the ones that fall outside are drawn again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from warehouse.ingest.geo import gcj02_to_wgs84, point_in_polygon, wgs84_to_gcj02

if TYPE_CHECKING:
    from .city import City

M_PER_DEG = 111_320.0
MAX_ROUNDS = 80
ANCHOR_ROUNDS = 12


class PointSampler:
    def __init__(self, city: City):
        self.rings = [g.ring for g in city.grids]
        self.quad = city.grid_quad

    def inside(self, grid: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Which points lie inside their own grid's polygon."""
        ok = np.zeros(len(grid), dtype=bool)
        order = np.argsort(grid, kind="stable")
        sorted_grid = grid[order]
        cuts = np.flatnonzero(np.diff(sorted_grid)) + 1
        for part in np.split(order, cuts):
            if len(part):
                ok[part] = point_in_polygon(lon[part], lat[part], self.rings[int(grid[part[0]])])
        return ok

    def _uniform(self, rng: np.random.Generator, grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        u = rng.uniform(0.03, 0.97, len(grid))[:, None]
        v = rng.uniform(0.03, 0.97, len(grid))[:, None]
        q = self.quad[grid]
        p = (1 - u) * (1 - v) * q[:, 0] + u * (1 - v) * q[:, 1] + u * v * q[:, 2] + (1 - u) * v * q[:, 3]
        return p[:, 0], p[:, 1]

    def sample(
        self,
        rng: np.random.Generator,
        grid: np.ndarray,
        anchor: tuple[np.ndarray, np.ndarray] | None = None,
        sigma_m: float = 40.0,
        gcj: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Written (lon, lat) per row: inside ``grid[i]``; in GCJ-02 where ``gcj[i]``, else WGS-84."""
        n = len(grid)
        out_lon, out_lat = np.zeros(n), np.zeros(n)
        gcj = np.zeros(n, dtype=bool) if gcj is None else gcj
        todo = np.arange(n)
        for attempt in range(MAX_ROUNDS):
            if not len(todo):
                return out_lon, out_lat
            g = grid[todo]
            if anchor is not None and attempt < ANCHOR_ROUNDS:
                a_lon, a_lat = anchor[0][todo], anchor[1][todo]
                lon = a_lon + rng.normal(0, 1, len(todo)) * sigma_m / (M_PER_DEG * np.cos(np.radians(a_lat)))
                lat = a_lat + rng.normal(0, 1, len(todo)) * sigma_m / M_PER_DEG
            else:
                lon, lat = self._uniform(rng, g)
            w_lon, w_lat = np.round(lon, 6), np.round(lat, 6)
            ok = self.inside(g, w_lon, w_lat)
            in_gcj = gcj[todo]
            if in_gcj.any():
                g_lon, g_lat = wgs84_to_gcj02(lon[in_gcj], lat[in_gcj])
                g_lon, g_lat = np.round(g_lon, 6), np.round(g_lat, 6)
                w_lon[in_gcj], w_lat[in_gcj] = g_lon, g_lat
                back_ok = np.ones(int(in_gcj.sum()), dtype=bool)
                for rounds in (3, 4):
                    b_lon, b_lat = gcj02_to_wgs84(g_lon, g_lat, rounds=rounds)
                    back_ok &= self.inside(g[in_gcj], b_lon, b_lat)
                ok[in_gcj] = back_ok
            out_lon[todo[ok]], out_lat[todo[ok]] = w_lon[ok], w_lat[ok]
            todo = todo[~ok]
        raise RuntimeError(f"could not place {len(todo)} points inside their grids")


def coordinate_text(
    rng: np.random.Generator, lon: np.ndarray, lat: np.ndarray, missing: np.ndarray, impossible: np.ndarray
) -> tuple[list[str], list[str]]:
    """Written 经度/纬度: 6 decimals; blank where ``missing``; (0,0), swapped or 999.0 where ``impossible``."""
    lon_t = [f"{x:.6f}" for x in lon.tolist()]
    lat_t = [f"{y:.6f}" for y in lat.tolist()]
    kind = rng.integers(0, 3, len(lon))
    for i in np.flatnonzero(missing).tolist():
        lon_t[i] = lat_t[i] = ""
    for i in np.flatnonzero(impossible & ~missing).tolist():
        k = int(kind[i])
        lon_t[i], lat_t[i] = (("0", "0"), (lat_t[i], lon_t[i]), ("999.0", lat_t[i]))[k]
    return lon_t, lat_t


def exact_count_mask(
    rng: np.random.Generator, eligible: np.ndarray, rate: float, minimum: int = 1
) -> np.ndarray:
    """A mask over rows choosing round(rate × eligible) of the eligible rows (at least ``minimum``)."""
    idx = np.flatnonzero(eligible)
    k = min(len(idx), max(minimum, int(round(rate * len(idx)))))
    mask = np.zeros(len(eligible), dtype=bool)
    mask[rng.choice(idx, size=k, replace=False)] = True
    return mask
