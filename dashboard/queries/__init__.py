"""Every SQL the pages run: ``<area>/<name>.sql`` files with a typed function each, by area.

``from dashboard.queries import Filter, desk`` then ``desk.funnel_counts(Filter(start=…, end=…))``.
Heavy aggregation and every rule live in the dbt marts; these are thin selections and roll-ups over them.
"""

from . import admin, coverage, desk, screens
from .filter import EVERYTHING, Filter

__all__ = ["EVERYTHING", "Filter", "admin", "coverage", "desk", "screens"]
