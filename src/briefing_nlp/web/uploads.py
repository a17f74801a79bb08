"""Uploaded notes on their way to the drafting pipeline, and nothing of them left behind.

Ingest reads files by path (Word and Excel need one), so an upload is copied to a scratch
folder: one per request, inside a per-process folder, inside a per-user folder only its
owner can open. The request's folder is removed in a `finally`; a process that died
(SIGKILL, power cut) leaves its folder, which the next app to start removes.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from starlette.datastructures import UploadFile

from briefing_nlp.errors import InputError
from briefing_nlp.ingest import SUPPORTED

CHUNK_BYTES = 1 << 20


class UploadTooLarge(Exception):
    """The upload ran past the app's limit while it was being copied."""


def scratch_root() -> Path:
    """This user's folder for uploads in flight, owner-only, made if missing.

    Raises:
        InputError: the folder exists but belongs to someone else or is a link (another
            user could read the uploads): remove it or set TMPDIR.
    """
    root = Path(tempfile.gettempdir()) / f"briefing-nlp-uploads-{os.getuid()}"
    with suppress(FileExistsError):
        root.mkdir(mode=0o700)
    info = root.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise InputError(
            f"{root}: the upload folder is not this user's own folder; remove it or set TMPDIR"
        )
    if stat.S_IMODE(info.st_mode) != 0o700:
        root.chmod(0o700)
    return root


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep(root: Path) -> int:
    """Remove the folders of app processes that are no longer running; returns how many."""
    removed = 0
    for folder in root.iterdir():
        pid = folder.name.split("-", 1)[0]
        if pid.isdigit() and (int(pid) == os.getpid() or _alive(int(pid))):
            continue  # a request of a running app (this one or another) is using it
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed


@contextmanager
def scratch_folder(root: Path) -> Iterator[Path]:
    """A folder for one request's upload, removed when the request ends, however it ends."""
    folder = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=root))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def save_upload(upload: UploadFile, folder: Path, limit: int) -> Path:
    """Copy an upload into `folder` (owner-only) within the size limit.

    Raises:
        InputError: the file type is not one ingest reads.
        UploadTooLarge: the file is larger than `limit` bytes.
    """
    name = Path(upload.filename or "upload").name[-120:]  # never trust a client's path
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED:
        raise InputError(
            f"{name}: unsupported file type {suffix or '(none)'}; use {', '.join(SUPPORTED)}"
        )
    target = folder / name
    size = 0
    with os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        while chunk := await upload.read(CHUNK_BYTES):
            size += len(chunk)
            if size > limit:
                raise UploadTooLarge
            out.write(chunk)
    return target


def without_paths(message: str, folder: Path) -> str:
    """An error message with the scratch folder taken out: a reviewer sees the file's
    name, never where the server keeps it."""
    return message.replace(f"{folder}{os.sep}", "").replace(str(folder), "(upload)")
