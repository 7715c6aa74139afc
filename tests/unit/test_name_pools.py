"""The demo generator's name pools hold out at every scale the scale benchmark uses."""

from __future__ import annotations

from collections import Counter

import pytest

from gridpulse_demo import names
from gridpulse_demo.party import UNITS, unit_names_and_kinds
from gridpulse_demo.rng import stream


@pytest.mark.parametrize("scale", [1, 30, 100])
def test_party_units_get_distinct_names_at_scale(scale):
    n_units = UNITS * scale
    got, kinds = unit_names_and_kinds(stream(20250101, "party"), n_units)
    assert len(got) == len(kinds) == n_units
    assert len(set(got)) == n_units
    for kind, count in Counter(kinds).items():
        pool = names.unit_pool(kind)
        assert pool is None or count <= pool, kind
    # still a city's mix: every kind present, private firms the largest group only when the others run short
    assert set(kinds) == {"党政机关", "事业单位", "国有企业", "非公企业", "社会组织"}
    assert all(name.startswith(("星澜", "中共星澜市")) for name in got)


def test_unit_names_are_deterministic():
    first = unit_names_and_kinds(stream(7, "party"), UNITS * 30)
    assert unit_names_and_kinds(stream(7, "party"), UNITS * 30) == first
