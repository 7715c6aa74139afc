"""requirements.lock is what gets installed: it covers pyproject.toml, pins with hashes, and .venv matches it."""

from __future__ import annotations

import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
# Time-zone data: always the newest, so no upper bound.
UNBOUNDED = {"tzdata"}


def locked() -> dict[str, tuple[Requirement, list[str]]]:
    """name → (the pinned requirement with its marker, its hashes)."""
    entries: dict[str, tuple[Requirement, list[str]]] = {}
    current = None
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            current = Requirement(line.rstrip(" \\"))
            entries[canonicalize_name(current.name)] = (current, [])
        elif line.strip().startswith("--hash=sha256:") and current is not None:
            entries[canonicalize_name(current.name)][1].append(
                line.strip().removeprefix("--hash=sha256:")[:64]
            )
    return entries


def direct_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]]


def test_every_pin_is_exact_and_carries_hashes():
    entries = locked()
    assert len(entries) > 50
    for name, (requirement, hashes) in entries.items():
        assert str(requirement.specifier).startswith("=="), name
        assert hashes and all(len(h) == 64 for h in hashes), f"{name} has no sha256 in the lock"


def test_the_lock_satisfies_pyproject():
    """A dependency added or re-bounded in pyproject.toml without `make lock` fails here."""
    entries = locked()
    stale = []
    for requirement in direct_requirements():
        pinned = entries.get(canonicalize_name(requirement.name))
        pinned_version = next(iter(pinned[0].specifier)).version if pinned else None
        if pinned_version is None or not requirement.specifier.contains(pinned_version, prereleases=True):
            stale.append(f"{requirement} (lock: {pinned_version})")
    assert not stale, f"requirements.lock is stale, run `make lock`: {stale}"


def test_direct_dependencies_have_upper_bounds():
    unbounded = [
        str(r)
        for r in direct_requirements()
        if canonicalize_name(r.name) not in UNBOUNDED
        and not any(s.operator in ("<", "<=", "==", "~=") for s in r.specifier)
    ]
    assert not unbounded, f"give these an upper bound (the next major version): {unbounded}"


def test_the_environment_is_the_lock():
    """`make setup` installs exactly the lock: every package that applies here at its locked version."""
    drifted = []
    for name, (requirement, _) in locked().items():
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        wanted = next(iter(requirement.specifier)).version
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = None
        if installed is None or Version(installed) != Version(wanted):
            drifted.append(f"{name}: locked {wanted}, installed {installed}")
    assert not drifted, f"run `make setup` (it installs the lock): {drifted}"
