"""The demo city's divisions: 5 streets, 29 communities, 946 unit grids, 417 compounds, hot spots.

Geometry is a 43 × 22 lattice of cells, warped into a rounded, lobed outline,
with jittered vertices and wiggly (subdivided) edges. Every unit grid is one
cell; communities are contiguous blocks of cells inside one street, streets
contiguous blocks of cells. All outlines are traced along the shared cell
edges, so nesting is exact. The city does not depend on the user's seed: the
demo city is always the same place (only what happens in it varies).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import names
from .points import PointSampler
from .rng import choice_by_weight

NX, NY = 43, 22
WIDTH_KM, HEIGHT_KM = 10.4, 6.2
LON0, LAT0 = 113.062, 29.478
CITY_SEED = 990102
COMPOUNDS = 417
COMMUNITIES = 29
KM_PER_DEG_LAT = 111.32
KM_PER_DEG_LON = 111.32 * np.cos(np.radians(LAT0))

HOT_KINDS = ("农贸市场", "老旧小区", "学校周边", "商圈")
COMPOUND_KINDS = ("商品房", "老旧小区", "保障房", "单位宿舍")


@dataclass(frozen=True)
class Area:
    level: str
    code: str
    name: str
    parent: str
    ring: np.ndarray  # closed ring, lon/lat rounded to 6 decimals, counter-clockwise


@dataclass(frozen=True)
class Compound:
    code: str
    name: str
    kind: str
    grid: int
    lon: float
    lat: float
    hot: str


@dataclass
class City:
    streets: list[Area]
    communities: list[Area]
    grids: list[Area]
    grid_street: np.ndarray  # index into streets
    grid_community: np.ndarray  # index into communities
    community_street: np.ndarray
    grid_hot: list[str]  # '' or one of HOT_KINDS
    grid_weight: np.ndarray  # base activity of each grid (density × local variation)
    grid_quad: np.ndarray  # (G, 4, 2) lattice corners, lon/lat, counter-clockwise
    grid_road_ew: np.ndarray  # nearest east-west road per grid
    grid_road_ns: np.ndarray
    compounds: list[Compound]

    @property
    def name(self) -> str:
        return names.CITY

    def hot_codes(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {k: [] for k in HOT_KINDS}
        for g, kind in enumerate(self.grid_hot):
            if kind:
                out[kind].append(self.grids[g].code)
        return out

    def hot_multiplier(self, boost: dict[str, float] | None = None, base: float = 2.6) -> np.ndarray:
        """Per-grid intake multiplier: hot spots take several times the intake, more for matching categories."""
        boost = boost or {}
        return np.array([1.0 if not k else base + boost.get(k, 0.0) for k in self.grid_hot])

    def addresses(
        self, rng: np.random.Generator, grid: np.ndarray, lon: np.ndarray, lat: np.ndarray
    ) -> list[str]:
        """Street addresses: the nearest road of the grid and a house number along it."""
        x = (lon - LON0) * KM_PER_DEG_LON * 40 + 300
        y = (lat - LAT0) * KM_PER_DEG_LAT * 40 + 200
        ew = rng.random(len(grid)) < 0.55
        number = np.where(ew, x, y).astype(np.int64) * 2 + rng.integers(1, 3, len(grid))
        number = np.maximum(number, 1)
        suffix = rng.integers(0, len(names.ADDRESS_SUFFIX), len(grid))
        out = []
        for g, e, n, s in zip(grid.tolist(), ew.tolist(), number.tolist(), suffix.tolist(), strict=True):
            road = names.ROADS_EW[self.grid_road_ew[g]] if e else names.ROADS_NS[self.grid_road_ns[g]]
            out.append(f"{road}{n}号{names.ADDRESS_SUFFIX[s]}")
        return out

    def features(self) -> list[dict]:
        """GeoJSON features: streets, communities, grids (Polygons), compounds (Points)."""
        hot_of = {a.code: h for a, h in zip(self.grids, self.grid_hot, strict=True)}
        feats = []
        for area in [*self.streets, *self.communities, *self.grids]:
            props = {
                "级别": area.level,
                "编码": area.code,
                "名称": area.name,
                "上级编码": area.parent,
                "小区类型": "",
                "热点": hot_of.get(area.code, ""),
            }
            coords = [[float(x), float(y)] for x, y in area.ring.tolist()]
            feats.append(
                {
                    "type": "Feature",
                    "properties": props,
                    "geometry": {"type": "Polygon", "coordinates": [coords]},
                }
            )
        for c in self.compounds:
            props = {
                "级别": "小区",
                "编码": c.code,
                "名称": c.name,
                "上级编码": self.grids[c.grid].code,
                "小区类型": c.kind,
                "热点": c.hot,
            }
            feats.append(
                {
                    "type": "Feature",
                    "properties": props,
                    "geometry": {"type": "Point", "coordinates": [c.lon, c.lat]},
                }
            )
        return feats


def _lattice(rng: np.random.Generator) -> np.ndarray:
    """(NX+1, NY+1, 2) vertex positions in km: rounded, lobed, warped and jittered."""
    s, t = np.meshgrid(np.linspace(-1, 1, NX + 1), np.linspace(-1, 1, NY + 1), indexing="ij")
    alpha = 0.5
    x = (1 - alpha) * s + alpha * s * np.sqrt(1 - t * t / 2)
    y = (1 - alpha) * t + alpha * t * np.sqrt(1 - s * s / 2)
    phase = rng.uniform(0, 2 * np.pi, 5)
    theta = np.arctan2(y, x)
    lobes = (
        1
        + 0.07 * np.sin(3 * theta + phase[0])
        + 0.045 * np.sin(5 * theta + phase[1])
        + 0.03 * np.sin(2 * theta + phase[2])
    )
    x, y = x * lobes, y * lobes
    x = x + 0.045 * np.sin(2.3 * y + phase[3])
    y = y + 0.05 * np.sin(1.7 * x + phase[4])
    pts = np.stack([x * WIDTH_KM / 2, y * HEIGHT_KM / 2], axis=-1)
    cell = np.array([WIDTH_KM / NX, HEIGHT_KM / NY])
    pts += rng.uniform(-0.17, 0.17, pts.shape) * cell
    return pts


def _mids(a: np.ndarray, b: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Two wiggle points on each edge a→b (arrays of edges): (..., 2, 2)."""
    d = b - a
    normal = np.stack([-d[..., 1], d[..., 0]], axis=-1)
    off = rng.uniform(-0.07, 0.07, a.shape[:-1] + (2,))
    return np.stack(
        [a + d * (1 / 3) + normal * off[..., 0:1], a + d * (2 / 3) + normal * off[..., 1:2]], axis=-2
    )


def _to_lonlat(km: np.ndarray) -> np.ndarray:
    lon = LON0 + km[..., 0] / KM_PER_DEG_LON
    lat = LAT0 + km[..., 1] / KM_PER_DEG_LAT
    return np.round(np.stack([lon, lat], axis=-1), 6)


class _Sides:
    """Each cell's four directed sides (counter-clockwise), with their points (start vertex + wiggles)."""

    def __init__(self, verts: np.ndarray, h_mid: np.ndarray, v_mid: np.ndarray):
        self.verts, self.h_mid, self.v_mid = verts, h_mid, v_mid

    def cell_sides(
        self, i: int, j: int
    ) -> list[tuple[tuple[int, int], tuple[int, int], list[np.ndarray], tuple[int, int]]]:
        """(start vertex, end vertex, points without end, neighbour cell across)."""
        v, h, m = self.verts, self.h_mid, self.v_mid
        return [
            ((i, j), (i + 1, j), [v[i, j], h[i, j, 0], h[i, j, 1]], (i, j - 1)),
            ((i + 1, j), (i + 1, j + 1), [v[i + 1, j], m[i + 1, j, 0], m[i + 1, j, 1]], (i + 1, j)),
            ((i + 1, j + 1), (i, j + 1), [v[i + 1, j + 1], h[i, j + 1, 1], h[i, j + 1, 0]], (i, j + 1)),
            ((i, j + 1), (i, j), [v[i, j + 1], m[i, j, 1], m[i, j, 0]], (i - 1, j)),
        ]

    def outline(self, cells: set[tuple[int, int]]) -> np.ndarray | None:
        """The single closed boundary ring of a set of cells, or None if it is not one simple ring."""
        nxt: dict[tuple[int, int], tuple[tuple[int, int], list[np.ndarray]]] = {}
        for i, j in sorted(cells):
            for start, end, pts, across in self.cell_sides(i, j):
                if across in cells:
                    continue
                if start in nxt:
                    return None  # pinch: two boundary sides leave the same vertex
                nxt[start] = (end, pts)
        first = min(nxt)
        ring: list[np.ndarray] = []
        at = first
        for _ in range(len(nxt)):
            end, pts = nxt[at]
            ring.extend(pts)
            at = end
            if at == first:
                break
        if at != first or len(ring) != 3 * len(nxt):
            return None  # more than one ring (a hole or a split region)
        ring.append(ring[0])
        return np.array(ring)


def _components(cells: np.ndarray) -> list[np.ndarray]:
    """4-connected components of the cells (rows of (i, j)), largest first."""
    todo = {tuple(c) for c in cells.tolist()}
    comps = []
    while todo:
        seed = min(todo)
        todo.remove(seed)
        stack, comp = [seed], [seed]
        while stack:
            i, j = stack.pop()
            for nb in ((i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1)):
                if nb in todo:
                    todo.remove(nb)
                    stack.append(nb)
                    comp.append(nb)
        comps.append(np.array(sorted(comp)))
    return sorted(comps, key=lambda c: (-len(c), tuple(c[0])))


def _partition(centers: np.ndarray, cells: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Split cells into k contiguous blocks: k-means on cell centres, then stray fragments joined to a neighbour."""
    pts = centers[cells[:, 0], cells[:, 1]]
    seeds = pts[rng.choice(len(pts), size=k, replace=False)]
    for _ in range(30):
        label = np.argmin(((pts[:, None, :] - seeds[None, :, :]) ** 2).sum(-1), axis=1)
        seeds = np.array([pts[label == c].mean(0) if (label == c).any() else seeds[c] for c in range(k)])
    grid = -np.ones((NX, NY), dtype=np.int64)
    grid[cells[:, 0], cells[:, 1]] = label
    for _ in range(20):
        moved = False
        for c in range(k):
            comps = _components(np.argwhere(grid == c))
            for comp in comps[1:]:
                for i, j in comp.tolist():
                    nbs = [
                        grid[a, b]
                        for a, b in ((i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1))
                        if 0 <= a < NX and 0 <= b < NY and grid[a, b] >= 0 and grid[a, b] != c
                    ]
                    if nbs:
                        grid[i, j] = max(sorted(set(nbs)), key=nbs.count)
                        moved = True
        if not moved:
            break
    return grid[cells[:, 0], cells[:, 1]]


def _order(centers: np.ndarray, cells_of: list[np.ndarray]) -> list[int]:
    """Numbering order of regions: north to south in bands, west to east within a band."""
    keys = []
    for idx, cells in enumerate(cells_of):
        cx, cy = centers[cells[:, 0], cells[:, 1]].mean(0)
        keys.append((-round(cy / 1.6), cx, idx))
    return [k[2] for k in sorted(keys)]


def _split_counts(sizes: list[int], total: int, minimum: int) -> list[int]:
    share = np.array(sizes, dtype=float) / sum(sizes) * total
    counts = np.maximum(np.floor(share).astype(int), minimum)
    while counts.sum() < total:
        counts[np.argmax(share - counts)] += 1
    while counts.sum() > total:
        counts[np.argmax(counts - share)] -= 1
    return counts.tolist()


def build_city() -> City:
    """The demo city (fixed: the first lattice/partition attempt that traces cleanly)."""
    for attempt in range(50):
        city = _try_build(np.random.default_rng([CITY_SEED, attempt]))
        if city is not None:
            return city
    raise RuntimeError("could not build the demo city's divisions")


def _try_build(rng: np.random.Generator) -> City | None:
    verts_km = _lattice(rng)
    h_mid_km = _mids(verts_km[:-1, :], verts_km[1:, :], rng)
    v_mid_km = _mids(verts_km[:, :-1], verts_km[:, 1:], rng)
    sides = _Sides(_to_lonlat(verts_km), _to_lonlat(h_mid_km), _to_lonlat(v_mid_km))
    centers = (verts_km[:-1, :-1] + verts_km[1:, :-1] + verts_km[1:, 1:] + verts_km[:-1, 1:]) / 4
    all_cells = np.argwhere(np.ones((NX, NY), dtype=bool))

    street_label = _partition(centers, all_cells, len(names.STREETS), rng)
    street_cells = [all_cells[street_label == s] for s in range(len(names.STREETS))]
    if any(len(_components(c)) != 1 for c in street_cells):
        return None
    street_order = _order(centers, street_cells)
    street_cells = [street_cells[s] for s in street_order]
    n_comm = _split_counts([len(c) for c in street_cells], COMMUNITIES, 4)

    comm_cells: list[np.ndarray] = []
    comm_street: list[int] = []
    for s, cells in enumerate(street_cells):
        label = _partition(centers, cells, n_comm[s], rng)
        blocks = [cells[label == c] for c in range(n_comm[s])]
        if any(len(b) == 0 or len(_components(b)) != 1 for b in blocks):
            return None
        for c in _order(centers, blocks):
            comm_cells.append(blocks[c])
            comm_street.append(s)

    comm_names = [names.COMMUNITIES[i] for i in rng.permutation(len(names.COMMUNITIES))]
    streets, communities, grids = [], [], []
    grid_cells: list[tuple[int, int]] = []
    grid_comm: list[int] = []
    for s, cells in enumerate(street_cells):
        ring = sides.outline({tuple(c) for c in cells.tolist()})
        if ring is None:
            return None
        streets.append(Area("街道", f"{names.COUNTY_CODE}{s + 1:03d}", names.STREETS[s] + "街道", "", ring))
    per_street: dict[int, int] = {}
    for c, cells in enumerate(comm_cells):
        s = comm_street[c]
        per_street[s] = per_street.get(s, 0) + 1
        ring = sides.outline({tuple(x) for x in cells.tolist()})
        if ring is None:
            return None
        code = f"{streets[s].code}{per_street[s]:03d}"
        community = Area("社区", code, comm_names[c] + "社区", streets[s].code, ring)
        communities.append(community)
        order = sorted(
            cells.tolist(), key=lambda ij: (-round(centers[ij[0], ij[1], 1] / 0.25), centers[ij[0], ij[1], 0])
        )
        for n, (i, j) in enumerate(order, start=1):
            grid_ring = sides.outline({(i, j)})
            if grid_ring is None or _signed_area(grid_ring) <= 0:
                return None
            grids.append(Area("网格", f"{code}{n:03d}", f"{comm_names[c]}社区第{n:02d}网格", code, grid_ring))
            grid_cells.append((i, j))
            grid_comm.append(c)

    cells_arr = np.array(grid_cells)
    gi, gj = cells_arr[:, 0], cells_arr[:, 1]
    lonlat = sides.verts
    quad = np.stack([lonlat[gi, gj], lonlat[gi + 1, gj], lonlat[gi + 1, gj + 1], lonlat[gi, gj + 1]], axis=1)
    grid_comm_arr = np.array(grid_comm)
    comm_street_arr = np.array(comm_street)
    cxy = centers[gi, gj]
    hot, weight = _hot_spots(rng, cxy)
    road_rows = np.arange(1, NY, 2)[: len(names.ROADS_EW)]
    road_cols = np.linspace(1, NX - 2, len(names.ROADS_NS)).round().astype(int)
    road_ew = np.abs(gj[:, None] - road_rows[None, :]).argmin(1)
    road_ns = np.abs(gi[:, None] - road_cols[None, :]).argmin(1)
    city = City(
        streets,
        communities,
        grids,
        comm_street_arr[grid_comm_arr],
        grid_comm_arr,
        comm_street_arr,
        hot,
        weight,
        quad,
        road_ew,
        road_ns,
        [],
    )
    city.compounds = _compounds(rng, city)
    return city


def _signed_area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]) / 2)


def _hot_spots(rng: np.random.Generator, cxy: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Hot-spot grids (商圈 clusters, markets, an old town, schools) and every grid's base activity."""
    n = len(cxy)
    hot = [""] * n

    def dist(p: np.ndarray) -> np.ndarray:
        return np.hypot(*(cxy - p).T)

    downtown = cxy[rng.integers(n)] * 0.35
    density = np.clip(1.45 - 0.18 * dist(downtown), 0.45, 1.45)
    weight = density * rng.lognormal(0.0, 0.35, n)

    def claim(kind: str, idx: np.ndarray, count: int) -> None:
        got = 0
        for g in idx.tolist():
            if got == count:
                return
            if not hot[g]:
                hot[g] = kind
                got += 1

    for center in (downtown, downtown + rng.normal(0, 1.6, 2)):
        claim("商圈", np.argsort(dist(center), kind="stable"), 7)
    old_town = downtown + rng.normal(0, 1.2, 2)
    claim("老旧小区", np.argsort(dist(old_town), kind="stable"), 18)
    claim("老旧小区", rng.permutation(n), 10)
    claim("农贸市场", choice_by_weight(rng, density, 60), 12)
    claim("学校周边", choice_by_weight(rng, density, 80), 18)
    return hot, weight


def _compounds(rng: np.random.Generator, city: City) -> list[Compound]:
    w = city.grid_weight * np.array(
        [3.0 if h == "老旧小区" else 0.3 if h == "商圈" else 1.0 for h in city.grid_hot]
    )
    count = np.zeros(len(city.grids), dtype=np.int64)
    picks = []
    for _ in range(COMPOUNDS):
        g = int(choice_by_weight(rng, w * (count < 3), 1)[0])
        count[g] += 1
        picks.append(g)
    grid = np.array(sorted(picks))
    old = np.array([city.grid_hot[g] == "老旧小区" for g in grid])
    kind_idx = np.where(
        old,
        rng.choice(4, len(grid), p=[0.12, 0.8, 0.03, 0.05]),
        rng.choice(4, len(grid), p=[0.65, 0.12, 0.12, 0.11]),
    )
    lon, lat = PointSampler(city).sample(rng, grid)
    taken: set[str] = set()
    out, seq = [], {}
    for k, g in enumerate(grid.tolist()):
        seq[g] = seq.get(g, 0) + 1
        kind = COMPOUND_KINDS[int(kind_idx[k])]
        name = names.unique(rng, lambda r, kind=kind: names.compound(r, kind), 1, taken)[0]
        taken.add(name)
        out.append(
            Compound(
                f"{city.grids[g].code}{seq[g]:03d}",
                name,
                kind,
                g,
                float(lon[k]),
                float(lat[k]),
                city.grid_hot[g],
            )
        )
    return out
