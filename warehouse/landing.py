"""The landing folder: what a load may read from it, and what happens to files once loaded.

Landing holds the systems' raw exports in clear (names, full phone numbers). After a load that
switched the lake, ``gridpulse load --archive`` moves every loaded file into an owner-only
``$GRIDPULSE_HOME/archive/<time>/`` and ``--delete-loaded`` deletes them; ``after_load: archive``
or ``after_load: delete`` in settings.yml makes either the default. Rejected files stay, to be
fixed and loaded again.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

from .paths import DataHome
from .pseudonyms import owner_only_dir
from .settings import read_settings

AFTER_LOAD = ("keep", "archive", "delete")


def after_load_choice(home: DataHome, archive: bool, delete: bool) -> str:
    """keep | archive | delete: the command line's flag, else settings.yml's ``after_load``, else keep."""
    if archive or delete:
        return "archive" if archive else "delete"
    choice = str(read_settings(home).get("after_load") or "keep")
    return choice if choice in AFTER_LOAD else "keep"


def put_away(home: DataHome, landing: Path, loaded: list[str], how: str) -> list[str]:
    """Archive or delete the landing files ``loaded`` (paths relative to ``landing``); what was moved."""
    if how == "keep" or not loaded:
        return []
    target = None
    if how == "archive":
        target = owner_only_dir(owner_only_dir(home.root / "archive") / datetime.now().strftime("%Y%m%d-%H%M%S"))
    done = []
    for rel in loaded:
        path = landing / rel
        if path.is_symlink() or not path.is_file():
            continue
        if target is None:
            path.unlink()
        else:
            dest = target / rel
            for folder in reversed(dest.relative_to(target).parents[:-1]):
                owner_only_dir(target / folder)
            shutil.move(path, dest)
            os.chmod(dest, 0o600)
        done.append(rel)
    return done
