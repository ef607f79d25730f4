"""Where the bot writes the files it hands out (Board reports): a directory only its own user
can enter, under the system's temporary directory, and emptied as files are delivered.

A shared /tmp/qabot-reports was readable by every local user and could be planted (a
symlink, or a directory someone else owns); here a directory that is not ours and private is
never used: a fresh one is made instead.
"""

from __future__ import annotations

import logging
import os
import stat
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger("qabot.files")

# A file nobody collected (e.g. a Teams reply, which says where it is on the server) is
# removed this long after it was written, when the next one is.
KEEP_SECONDS = 24 * 3600

_made: dict[str, Path] = {}


def _private_and_ours(path: Path) -> bool:
    try:
        info = path.lstat()
    except FileNotFoundError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.getuid()
        and stat.S_IMODE(info.st_mode) & 0o077 == 0
    )


def private_dir(purpose: str = "reports") -> Path:
    """`<tmp>/qabot-<uid>/<purpose>`, 0700, created when missing."""
    if purpose in _made and _private_and_ours(_made[purpose]):
        return _made[purpose]
    base = Path(tempfile.gettempdir()) / f"qabot-{os.getuid()}"
    try:
        base.mkdir(mode=0o700, exist_ok=True)
        if not _private_and_ours(base):
            raise PermissionError(f"{base} is not a private directory of this user")
        where = base / purpose
        where.mkdir(mode=0o700, exist_ok=True)
        if not _private_and_ours(where):
            raise PermissionError(f"{where} is not a private directory of this user")
    except OSError as e:
        where = Path(tempfile.mkdtemp(prefix=f"qabot-{purpose}-"))  # always 0700 and ours
        log.warning("files: %s; using %s instead", e, where)
    _made[purpose] = where
    return where


def sweep(directory: Path, now: float | None = None) -> int:
    """Remove files older than KEEP_SECONDS from one of the private directories."""
    cutoff = (time.time() if now is None else now) - KEEP_SECONDS
    removed = 0
    for path in directory.iterdir():
        try:
            if path.is_file() and not path.is_symlink() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except OSError:
            continue
    return removed


def discard(paths: Iterable[str]) -> None:
    """Remove delivered files, but only those the bot wrote in its private directories: a
    path anywhere else (a file someone asked for with --out) is left alone."""
    roots = [p.resolve() for p in _made.values()]
    for name in paths:
        path = Path(name).resolve()
        if any(path.is_relative_to(root) for root in roots):
            path.unlink(missing_ok=True)
