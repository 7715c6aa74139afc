"""What the loader must find: per-table expected counts, replaying the loader's rules on the canonical rows.

Files in sorted path order, rows in file order. A row is quarantined if it was
closed before it was reported (only rows that have a 办结时间); otherwise, if a
row with the same key was accepted before, an identical clean state is a
duplicate and a different (later) state is accepted and replaces it; else the
row is accepted. Coordinate counts are over the final records.
"""

from __future__ import annotations

from collections import Counter

from .schema import Entity

BBOX = (73.0, 3.0, 136.0, 54.0)  # the profiles' plausible range (lon0, lat0, lon1, lat1)


def coordinate_quality(lon: str, lat: str) -> str:
    """'missing', 'invalid' or 'ok', as the loader flags a point."""
    if not lon or not lat:
        return "missing"
    x, y = float(lon), float(lat)
    valid = (
        -180 <= x <= 180
        and -90 <= y <= 90
        and not (x == 0 and y == 0)
        and BBOX[0] <= x <= BBOX[2]
        and BBOX[1] <= y <= BBOX[3]
    )
    return "ok" if valid else "invalid"


class Ledger:
    """Replays one table's files in load order."""

    def __init__(self, entity: Entity):
        self.entity = entity
        self.key_idx = [entity.index(k) for k in entity.key]
        self.kept: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.counts: Counter = Counter()
        self.quarantined: Counter = Counter()
        e = entity
        self.geo_idx = (e.index(e.geo[0]), e.index(e.geo[1])) if e.geo else None
        self.datum_idx = e.index(e.datum) if e.datum else None
        self.check_idx = (e.index(e.closed_check[0]), e.index(e.closed_check[1])) if e.closed_check else None

    def _is_gcj(self, row: tuple[str, ...] | list[str]) -> bool:
        return self.datum_idx is not None and row[self.datum_idx] == "GCJ02"

    def add(self, rows: list[list[str]]) -> Counter:
        """Classify one file's rows; returns the record-level mess and overlap counts of the file."""
        injected: Counter = Counter()
        kept, key_idx = self.kept, self.key_idx
        for row in rows:
            state = tuple(row)
            if self.geo_idx:
                quality = coordinate_quality(row[self.geo_idx[0]], row[self.geo_idx[1]])
                if quality == "missing":
                    injected["missing_coordinates"] += 1
                elif quality == "invalid":
                    injected["impossible_coordinates"] += 1
                elif self._is_gcj(row):
                    injected["gcj02"] += 1
            if self.check_idx:
                closed, reported = row[self.check_idx[0]], row[self.check_idx[1]]
                if closed and closed < reported:
                    injected["closed_before_reported"] += 1
                    self.quarantined["closed_before_reported"] += 1
                    self.counts["rows_read"] += 1
                    continue
            self.counts["rows_read"] += 1
            key = tuple(row[i] for i in key_idx)
            before = kept.get(key)
            if before is None:
                self.counts["accepted"] += 1
                kept[key] = state
            elif before == state:
                self.counts["duplicates"] += 1
                injected["overlap_duplicate"] += 1
            else:
                self.counts["accepted"] += 1
                injected["overlap_later_state"] += 1
                kept[key] = state
        return injected

    def expected(self) -> dict:
        coords: Counter = Counter()
        if self.geo_idx:
            lon_i, lat_i = self.geo_idx
            for state in self.kept.values():
                quality = coordinate_quality(state[lon_i], state[lat_i])
                coords[quality] += 1
                if quality == "ok" and self._is_gcj(state):
                    coords["gcj02"] += 1
        return {
            "rows_read": self.counts["rows_read"],
            "accepted": self.counts["accepted"],
            "duplicates": self.counts["duplicates"],
            "quarantined": dict(sorted(self.quarantined.items())),
            "records": len(self.kept),
            "missing_coordinates": coords["missing"],
            "impossible_coordinates": coords["invalid"],
            "gcj02": coords["gcj02"],
        }
