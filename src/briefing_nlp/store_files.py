"""The review database's files on disk: made owner-only, and reported when others can
read them (case notes are personal data)."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def writable(path: Path) -> bool:
    """False for a file marked read-only, even for a user (root) who could write it anyway."""
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & stat.S_IWUSR)


def make_private(path: Path) -> None:
    """Create the database's missing folders 0700 and the file 0600 (SQLite gives its
    -wal and -shm files the database file's mode)."""
    missing = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=0o700)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def open_to_others(path: Path) -> str:
    """A one-line warning if the database, or its folder, can be read by other users."""
    if not path.exists():
        return ""
    # Group or world read on the file is what exposes it (a private folder only hides it
    # from some of them); the fix makes both owner-only.
    if path.stat().st_mode & 0o044:
        return (
            f"warning: {path}: the review database holds case notes and other users of this "
            f"computer can read it; run: chmod 600 '{path}'* && chmod 700 '{path.parent}'"
        )
    return ""
