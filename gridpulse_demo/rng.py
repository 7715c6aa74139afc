"""Named random streams: every part of the generator draws from its own seeded stream.

A stream is keyed by the user's seed and a fixed name, so adding draws in one
part never shifts the numbers another part sees.
"""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, name: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(name.encode("utf-8"))])


def choice_by_weight(rng: np.random.Generator, weights: np.ndarray, size: int) -> np.ndarray:
    """Indices drawn with probability proportional to ``weights`` (inverse CDF, fast for large sizes)."""
    cdf = np.cumsum(np.asarray(weights, dtype=float))
    if size == 0 or cdf[-1] <= 0:
        return np.zeros(size, dtype=np.int64)
    idx = np.searchsorted(cdf, rng.random(size) * cdf[-1], side="right")
    return np.minimum(idx, len(cdf) - 1).astype(np.int64)


def logistic(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))
