"""The built wheel is complete: installed into a clean venv outside the checkout, it generates, loads, builds
and serves. Dependencies come from requirements.lock through uv's cache (filled by `make setup`), so the test
needs no network once the lock has been installed here; a cache that lacks a file falls back to the registry."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.browser.server import serve

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements.lock"

pytestmark = pytest.mark.install


def build_wheel(out: Path) -> Path:
    from hatchling.builders.wheel import WheelBuilder

    return Path(next(WheelBuilder(str(ROOT)).build(directory=str(out), versions=["standard"])))


def uv() -> str:
    found = Path(sys.executable).with_name("uv")
    if found.exists():
        return str(found)
    return shutil.which("uv") or pytest.fail(
        "uv is not installed: run `make setup` (it installs uv from the lock)"
    )


def clean_venv(where: Path, wheel: Path) -> Path:
    """A new venv holding the wheel and its locked dependencies (not the dev tools): its bin/ folder."""
    subprocess.run([uv(), "venv", "--quiet", "--python", sys.executable, str(where)], check=True)
    install = [
        uv(),
        "pip",
        "install",
        "--quiet",
        "--python",
        str(where / "bin" / "python"),
        "-c",
        str(LOCK),
        str(wheel),
    ]
    if subprocess.run([*install, "--offline"], capture_output=True).returncode != 0:
        subprocess.run(install, check=True, timeout=900)  # a cache not filled by `make setup`: the registry
    return where / "bin"


def run(bin_dir: Path, *args: str, env: dict[str, str], cwd: Path, timeout: float = 600) -> str:
    out = subprocess.run(
        [str(bin_dir / "gridpulse"), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    assert out.returncode == 0, (
        f"gridpulse {' '.join(args)} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    )
    return out.stdout + out.stderr


def test_the_wheel_carries_the_dbt_project_and_the_seeds(tmp_path):
    with zipfile.ZipFile(build_wheel(tmp_path)) as archive:
        packaged = set(archive.namelist())
    tracked = subprocess.run(
        ["git", "ls-files", "dbt_project", "seeds"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert tracked
    assert {f"warehouse/{path}" for path in tracked} <= packaged
    assert not [name for name in packaged if "/target/" in name or "/logs/" in name]
    assert "warehouse/profile.schema.json" in packaged
    assert "dashboard/.streamlit/config.toml" in packaged
    assert any(name.endswith("dist-info/licenses/LICENSE") for name in packaged)


def test_the_installed_wheel_generates_loads_builds_and_serves_outside_the_checkout(tmp_path):
    wheel = build_wheel(tmp_path / "dist")
    bin_dir = clean_venv(tmp_path / "venv", wheel)
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env |= {"GRIDPULSE_HOME": str(work / "home"), "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"}
    try:
        where = subprocess.run(
            [
                str(bin_dir / "python"),
                "-c",
                "import warehouse, dashboard; print(warehouse.__file__); print(dashboard.__file__)",
            ],
            env=env,
            cwd=work,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        assert all(Path(p).is_relative_to(tmp_path / "venv") for p in where), where  # not the checkout

        run(bin_dir, "generate", "--scale", "0.02", "--days", "30", env=env, cwd=work)
        run(bin_dir, "load", env=env, cwd=work)
        project = Path(where[0]).parent / "dbt_project"
        shipped = sorted(project.rglob("*"))
        built = run(bin_dir, "build", env=env, cwd=work)
        assert "is now current" in built
        assert sorted(project.rglob("*")) == shipped  # dbt wrote into the release, not the installed package
        counted = run(
            bin_dir,
            "sql",
            "select count(*) as n from fct_platform_cases",
            "--format",
            "csv",
            env=env,
            cwd=work,
        )
        assert int(counted.split()[1]) > 0

        with serve(
            work / "home", timeout=120, no_auth=True, gridpulse=bin_dir / "gridpulse", cwd=work
        ) as url:
            with urllib.request.urlopen(url, timeout=10) as page:
                assert page.status == 200 and b"<html" in page.read().lower()
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as health:
                assert health.read() == b"ok"
    finally:
        shutil.rmtree(tmp_path / "venv", ignore_errors=True)
