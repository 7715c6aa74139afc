"""A full disk: load and build stop with one line, the current lake and release stay, the half-written
generation or release folder is removed, and old releases are pruned before a build when space is short.
On a real small filesystem (a tmpfs, mounted when the tests run as root) and by an injected ENOSPC."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess

import duckdb
import pytest

from tests.exports import GRID_EVENT_HEADERS, write_csv
from tests.loader.test_load_crash import FIRST, run, snapshot
from tests.loader.test_load_merge import MONTHS, lake, make_home
from warehouse import cli
from warehouse.home.diskspace import DiskFull
from warehouse.home.paths import DataHome
from warehouse.ingest import load as load_module
from warehouse.ingest import merge as merge_module
from warehouse.release.releases import current_release_dir


def fill(home: DataHome, leave: int) -> None:
    """Take the disk's free space down to about ``leave`` bytes."""
    (home.root / "filler").unlink(missing_ok=True)
    free = shutil.disk_usage(home.root).free
    with open(home.root / "filler", "wb") as handle:
        os.posix_fallocate(handle.fileno(), 0, max(free - leave, 1))


def unfill(home: DataHome) -> None:
    (home.root / "filler").unlink()


def release_folders(home: DataHome) -> list[str]:
    return sorted(p.name for p in home.releases.glob("[!.]*") if not p.is_symlink())


def one_line(result, code: int) -> str:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == code and "Traceback" not in result.stderr, result.stderr[-3000:]
    return lines[-1]


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=96m", "tmpfs", str(mount)], capture_output=True
        ).returncode
        != 0
    ):
        pytest.skip("mounting a small tmpfs needs root (the injected-ENOSPC tests below run everywhere)")
    yield DataHome(mount / "home")
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_load_and_build_on_a_full_disk(small_disk, tmp_path):
    home = small_disk
    exports, first = tmp_path / "exports", tmp_path / "first"
    assert run(home, "generate", "--out", str(exports), "--scale", "0.02", "--days", "20").returncode == 0
    for path in exports.rglob("*"):
        if path.is_file() and path.relative_to(exports).as_posix().startswith(FIRST):
            (first / path.relative_to(exports)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, first / path.relative_to(exports))
    assert run(home, "load", "--landing", str(first)).returncode == 0
    lake = snapshot(home)

    fill(home, leave=40_000)
    line = one_line(run(home, "load", "--landing", str(exports)), 74)
    assert (
        line.startswith("磁盘已满 / disk full: gridpulse load stopped") and "lake was left as it was" in line
    )
    assert snapshot(home) == lake
    assert [p.name for p in (home.root / "lake.d").glob("[!.]*")] == [home.lake.resolve().name]
    unfill(home)

    assert run(home, "load", "--landing", str(exports)).returncode == 0
    lake = snapshot(home)
    assert run(home, "build").returncode == 0
    first_release = current_release_dir(home)

    fill(home, leave=8 << 20)
    line = one_line(run(home, "build"), 74)
    assert line.startswith("磁盘已满 / disk full: gridpulse build stopped") and "current release" in line
    assert release_folders(home) == [first_release.name], "the half-written release folder is removed"
    assert current_release_dir(home) == first_release and snapshot(home) == lake
    con = duckdb.connect(str(first_release / "gridpulse.duckdb"), read_only=True)
    assert con.execute("select count(*) from staging.stg_lake__manifest").fetchone()[0] == len(lake[0])
    con.close()
    unfill(home)

    assert run(home, "build").returncode == 0
    assert len(release_folders(home)) == 2
    size = sum(p.stat().st_size for p in current_release_dir(home).rglob("*") if p.is_file())
    fill(home, leave=int(size * 0.8))  # less than a release takes: the oldest goes first
    done = run(home, "build")
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"pruned old releases before building: {first_release.name}" in done.stderr
    assert first_release.name not in release_folders(home)


def test_a_full_disk_during_a_load_is_one_line_and_leaves_the_lake(tmp_path, monkeypatch, capsys):

    home = make_home(tmp_path / "home", ["1_jan.csv"])
    load_module.load(home)
    before = lake(home)
    for name in MONTHS:
        write_csv(home.landing / name, GRID_EVENT_HEADERS, MONTHS[name])

    def no_space(*_args, **_kwargs):
        raise duckdb.IOException(f"Could not write file: {errno.ENOSPC}: No space left on device")

    monkeypatch.setattr(merge_module, "copy_to_parquet_atomic", no_space)
    monkeypatch.setenv("GRIDPULSE_HOME", str(home.root))
    capsys.readouterr()
    assert cli.main(["load"]) == 74
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("磁盘已满 / disk full: gridpulse load stopped") and "Traceback" not in "".join(
        err
    )
    assert lake(home) == before and len(list((home.root / "lake.d").glob("[!.]*"))) == 1
    with pytest.raises(DiskFull):
        load_module.load(home)
