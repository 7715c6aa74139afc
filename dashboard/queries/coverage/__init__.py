"""What the current release holds, source system by source system."""

from __future__ import annotations

import polars as pl

from ..filter import Filter
from ..sql import run


def source_coverage(f: Filter) -> pl.DataFrame:
    return run("coverage", "source_coverage", f)
