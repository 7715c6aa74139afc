"""Typed chart builders, one module per area; ``charts.NAME`` reaches them all. No queries, no layout."""

from .admin import *  # noqa: F403
from .desk import *  # noqa: F403
from .screens import *  # noqa: F403
