"""The demo generator's full snapshots (device registry, party members): one more day adds only the newest."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from gridpulse_demo import party, platform
from gridpulse_demo.world import World

SEED, START, SCALE = 20250101, date(2025, 1, 1), 0.02
SNAPSHOTS = ("双报到/报到党员_", "城运平台/设备台账_")


def snapshot_names(days: int) -> set[str]:
    """The snapshot files a ``days``-long generation exports, from the generators alone (nothing written)."""
    world = World.create(SEED, START, days, SCALE)
    return {f.path for m in (party, platform) for f in m.exports(world, {}) if f.path.startswith(SNAPSHOTS)}


# 365 → 366 is the benchmark's one more day (the midpoint moved 2025-07-02 → 2025-07-03); 91 → 92 moves it too
@pytest.mark.parametrize("days", [91, 365])
def test_one_more_day_adds_only_the_end_snapshots(days):
    end = f"{START + timedelta(days=days + 1):%Y%m%d}"
    assert snapshot_names(days + 1) - snapshot_names(days) == {
        f"双报到/报到党员_{end}.csv",
        f"城运平台/设备台账_{end}.xlsx",
    }
