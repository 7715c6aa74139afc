"""Where GridPulse's own data files are: the dbt project, its seeds and the published profile schema.

Found through this package, never through the working directory: an installed wheel carries them inside
the package (``warehouse/dbt_project``, ``warehouse/seeds``, ``warehouse/profile.schema.json``; see the
wheel's ``sources`` in pyproject.toml); a checkout (an editable install) has them at its top, beside the
package. The dbt project finds the seeds as ``../seeds`` in both layouts.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def _located(in_wheel: str, in_checkout: str) -> Path:
    """The packaged copy when this is an installed wheel, else the checkout's; a clear error if neither."""
    for path in (PACKAGE / in_wheel, PACKAGE.parent / in_checkout):
        if path.exists():
            return path
    raise FileNotFoundError(
        f"GridPulse is installed without its {in_checkout}: neither {PACKAGE / in_wheel} "
        f"nor {PACKAGE.parent / in_checkout} exists; reinstall the wheel"
    )


def dbt_project_dir() -> Path:
    """The dbt project `gridpulse build` runs (dbt_project.yml, models, macros, tests, profiles.yml)."""
    return _located("dbt_project", "dbt_project")


def seeds_dir() -> Path:
    """The reference seeds (categories, deadlines, departments, calendar, metrics, weights)."""
    return _located("seeds", "seeds")


def profile_schema() -> Path:
    """The JSON schema every export profile is checked against (docs/profile.schema.json in a checkout)."""
    return _located("profile.schema.json", "docs/profile.schema.json")
