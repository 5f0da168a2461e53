"""The service's working directory (`ASSISTANT_VAR_DIR`, default `var/`), private to its user.

It holds patients' records and words (the SQLite database, Rasa's tracker store, the spool),
the logs and the trained models, so it is 0700 and what the service writes in it is 0600, like
the spool. A clean clone has no `var/`: every command makes it before anything opens a file in
it, and tightens one that an older version (or a lax umask) left readable by other users.
"""

from __future__ import annotations

import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
PRIVATE_UMASK = 0o077  # files 0600, directories 0700, in this process and its children
_DATA_FILES = ("*.sqlite3", "*.sqlite3-wal", "*.sqlite3-shm", "*.sqlite3-journal")


def prepare(var_dir: Path) -> Path:
    """Create `var_dir` (and parents) if missing and make it and its data files private."""
    os.umask(PRIVATE_UMASK)
    var_dir.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    _tighten(var_dir, DIR_MODE)
    for child in var_dir.iterdir():
        if child.is_dir() and not child.is_symlink():
            _tighten(child, DIR_MODE)
    for pattern in _DATA_FILES:
        for path in var_dir.glob(pattern):
            _tighten(path, FILE_MODE)
    return var_dir


def _tighten(path: Path, mode: int) -> None:
    if path.stat().st_mode & 0o777 != mode:
        os.chmod(path, mode)
