"""The key of the pseudonyms the lake keeps for personal data (see docs/personal-data.md).

A pseudonym is HMAC-SHA256(key, value), cut to 16 hex digits: stable, so records of one person
stay countable, and without the key not reversible, even for a phone number whose masked form
(138****5678) leaves only 10,000 candidates. The key is 32 random bytes in
``$GRIDPULSE_HOME/secrets/pseudonym.key`` (folder 0700, file 0600: only the owner of the data
home reads it), or in the file ``GRIDPULSE_KEY_FILE`` names, which may live outside the data home.
It is never inside the lake or a release, which the dashboard and the SQL sandbox read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from warehouse.home.paths import DataHome
from warehouse.home.private_files import private_dir

KEY_ENV = "GRIDPULSE_KEY_FILE"
LEGACY_SALT = ".salt"  # written world-readable by earlier versions: it made every phone hash reversible


def key_path(home: DataHome) -> Path:
    named = os.environ.get(KEY_ENV)
    return Path(named).expanduser() if named else home.root / "secrets" / "pseudonym.key"


def pseudonym_key(home: DataHome) -> str:
    """The data home's pseudonym key (hex), created owner-only on first use."""
    path = key_path(home)
    private_dir(path.parent)
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it first
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(os.urandom(32).hex())
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        os.chmod(path, 0o600)
    (home.root / LEGACY_SALT).unlink(missing_ok=True)
    return path.read_text().strip()
