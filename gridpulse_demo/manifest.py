"""What the loader must find: per-table expected counts, replaying the loader's rules on the canonical rows.

Files in sorted path order, rows in file order. A row is quarantined if it was
closed before it was reported (only rows that have a 办结时间); otherwise, if a
row with the same key was accepted before, an identical clean state is a
duplicate and a different (later) state is accepted and replaces it; else the
row is accepted. Coordinate counts are over the final records.
"""

from __future__ import annotations

import hashlib
from collections import Counter

import numpy as np

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


_QUALITY = ("", "missing", "invalid", "ok", "gcj02")  # a kept state's coordinates, as an index


def _key(values: list[str]) -> bytes:
    """A record key's 16-byte fingerprint: unique among tens of millions of records."""
    return hashlib.blake2b("\x1f".join(values).encode("utf-8"), digest_size=16).digest()


def _state(row: list) -> int:
    """A row state's 8-byte fingerprint: only ever compared with the states of the same record."""
    data = "\x1f".join(map(str, row)).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


class Ledger:
    """Replays one table's files in load order.

    The records kept so far are fingerprints in sorted arrays, 25 bytes each, not the rows: a year at
    scale 30 keeps tens of millions of them, and the rows are made one file at a time."""

    def __init__(self, entity: Entity):
        self.entity = entity
        self.key_idx = [entity.index(k) for k in entity.key]
        self.keys = np.empty(0, dtype="V16")  # sorted
        self.states = np.empty(0, dtype=np.uint64)  # the kept state of each key
        self.quality = np.empty(0, dtype=np.uint8)  # its coordinates, a _QUALITY index
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
        read: list[tuple[bytes, int, int]] = []  # key, state, quality of each row not quarantined
        for row in rows:
            quality = ""
            if self.geo_idx:
                quality = coordinate_quality(row[self.geo_idx[0]], row[self.geo_idx[1]])
                if quality == "missing":
                    injected["missing_coordinates"] += 1
                elif quality == "invalid":
                    injected["impossible_coordinates"] += 1
                elif self._is_gcj(row):
                    injected["gcj02"] += 1
                    quality = "gcj02"
            self.counts["rows_read"] += 1
            if self.check_idx:
                closed, reported = row[self.check_idx[0]], row[self.check_idx[1]]
                if closed and closed < reported:
                    injected["closed_before_reported"] += 1
                    self.quarantined["closed_before_reported"] += 1
                    continue
            read.append((_key([row[i] for i in self.key_idx]), _state(row), _QUALITY.index(quality)))
        latest = self._classify(read, injected)
        self._keep(latest)
        return injected

    def _classify(
        self, read: list[tuple[bytes, int, int]], injected: Counter
    ) -> dict[bytes, tuple[int, int]]:
        """Count each row as accepted, duplicate or later state; the file's last state of each key."""
        where, found = self._find([k for k, _, _ in read])
        latest: dict[bytes, tuple[int, int]] = {}
        for (key, state, quality), i, earlier in zip(read, where, found, strict=True):
            before = latest.get(key)
            before_state = before[0] if before else int(self.states[i]) if earlier else None
            if before_state is None:
                self.counts["accepted"] += 1
            elif before_state == state:
                self.counts["duplicates"] += 1
                injected["overlap_duplicate"] += 1
                continue
            else:
                self.counts["accepted"] += 1
                injected["overlap_later_state"] += 1
            latest[key] = (state, quality)
        return latest

    def _find(self, keys: list[bytes]) -> tuple[list[int], list[bool]]:
        """Each key's place among the kept keys, and whether it is there."""
        if not len(self.keys) or not keys:
            return [0] * len(keys), [False] * len(keys)
        wanted = np.array(keys, dtype="V16")
        at = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
        return at.tolist(), (self.keys[at] == wanted).tolist()

    def _keep(self, latest: dict[bytes, tuple[int, int]]) -> None:
        """Record the file's last states: replace those of keys kept before, insert the new keys."""
        if not latest:
            return
        keys = np.array(list(latest), dtype="V16")
        states = np.array([s for s, _ in latest.values()], dtype=np.uint64)
        quality = np.array([q for _, q in latest.values()], dtype=np.uint8)
        where, found = self._find(list(latest))
        old = np.array(found, dtype=bool)
        at = np.array(where, dtype=np.int64)[old]
        self.states[at], self.quality[at] = states[old], quality[old]
        new = ~old
        order = np.argsort(keys[new], kind="stable")
        keys, states, quality = keys[new][order], states[new][order], quality[new][order]
        place = np.searchsorted(self.keys, keys)
        self.keys = np.insert(self.keys, place, keys)
        self.states = np.insert(self.states, place, states)
        self.quality = np.insert(self.quality, place, quality)

    def expected(self) -> dict:
        coords = np.bincount(self.quality, minlength=len(_QUALITY))
        return {
            "rows_read": self.counts["rows_read"],
            "accepted": self.counts["accepted"],
            "duplicates": self.counts["duplicates"],
            "quarantined": dict(sorted(self.quarantined.items())),
            "records": len(self.keys),
            "missing_coordinates": int(coords[_QUALITY.index("missing")]),
            "impossible_coordinates": int(coords[_QUALITY.index("invalid")]),
            "gcj02": int(coords[_QUALITY.index("gcj02")]),
        }
