"""Read `classify` input (JSONL of `{"id"?, "text"}`) and write outputs atomically."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from briefing_nlp.errors import InputError


@dataclass(frozen=True)
class StatementInput:
    """One line of classify input; `id` defaults to the 1-based line number."""

    id: object
    text: str


def read_statements(path: Path) -> list[StatementInput]:
    """Parse a JSONL file of statements, checking every line.

    Raises:
        InputError: the file is missing, not UTF-8, or a line is not an object with text.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: file not found; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder; give a .jsonl file") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not UTF-8 (bad byte at position {exc.start}); re-save it as UTF-8"
        ) from None
    items: list[StatementInput] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{path}:{number}: not valid JSON ({exc.msg}); one object per line, "
                'like {"id": 1, "text": "chronology out of date"}'
            ) from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise InputError(f'{path}:{number}: text: expected an object with a "text" string')
        items.append(StatementInput(id=record.get("id", number), text=record["text"]))
    return items


def write_atomic(path: Path, content: str) -> None:
    """Write text to `path` via a temporary file, so a failure leaves no partial file."""
    write_bytes_atomic(path, content.encode("utf-8"))


def write_bytes_atomic(path: Path, content: bytes) -> None:
    """Write bytes to `path` via a temporary file, so a failure leaves no partial file.

    Raises:
        InputError: the output folder does not exist.
    """
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise InputError(f"{path.parent}: output folder does not exist; create it first")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
