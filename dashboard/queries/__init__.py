"""Every SQL the pages run, by name, one module per area; ``queries.NAME`` reaches them all.

Heavy aggregation lives in the dbt marts; these are thin selections and small roll-ups over them.
"""

from .admin import *  # noqa: F403
from .coverage import *  # noqa: F403
from .desk import *  # noqa: F403
from .screens import *  # noqa: F403
