"""Typed chart builders, one module per area; ``charts.NAME`` reaches them all. No queries, no layout."""

from .screens import *  # noqa: F403
