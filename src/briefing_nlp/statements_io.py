"""Read `classify` input (JSONL of `{"id"?, "text"}`) and write outputs atomically."""

from __future__ import annotations

import errno
import json
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing_nlp.errors import InputError

# Half of a UTF-16 pair on its own: JSON can spell it ("\\ud800") but UTF-8 cannot.
LONE_SURROGATE_RE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class StatementInput:
    """One line of classify input; `id` defaults to the 1-based line number."""

    id: object
    text: str


def jsonl_values(text: str) -> Iterator[tuple[int, Any, str | None]]:
    """Each non-blank line of JSONL as (line number, its value, None), or (line number,
    None, what is wrong) for a line that is not JSON. `classify` input and the corpus
    both read JSONL through this, and each says what shape its lines must have."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, None, f"not valid JSON ({exc.msg}); one object per line"
            continue
        except (RecursionError, ValueError):
            # Thousands of nested brackets, or a number of thousands of digits.
            yield (
                number,
                None,
                "JSON nested too deeply or a number too long to read; one flat object per line",
            )
            continue
        yield number, record, None


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
    example = '{"id": 1, "text": "chronology out of date"}'
    for number, record, problem in jsonl_values(text):
        if problem:
            raise InputError(f"{path}:{number}: {problem}, like {example}")
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise InputError(f'{path}:{number}: text: expected an object with a "text" string')
        if LONE_SURROGATE_RE.search(record["text"]):
            raise InputError(
                f"{path}:{number}: text holds a lone surrogate escape (like \\ud800), which "
                "is no character; fix the program that wrote the file"
            )
        items.append(StatementInput(id=record.get("id", number), text=record["text"]))
    return items


def write_atomic(path: Path, content: str) -> None:
    """Write text to `path` via a temporary file, so a failure leaves no partial file."""
    write_bytes_atomic(path, content.encode("utf-8"))


def write_bytes_atomic(path: Path, content: bytes) -> None:
    """Write bytes to `path` via a temporary file, so a failure leaves no partial file.

    Raises:
        InputError: the output folder does not exist or cannot be written, `path` is a
            folder, or its name is too long.
    """
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise InputError(f"{path.parent}: output folder does not exist; create it first")
    try:
        if path.is_dir():
            raise InputError(f"{path}: is a folder; give a file name inside it, like briefing.md")
        handle, temporary = tempfile.mkstemp(prefix=".briefing-", dir=path.parent or ".")
    except OSError as exc:
        raise _unwritable(path, exc) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise _unwritable(path, exc) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _unwritable(path: Path, exc: OSError) -> InputError:
    if exc.errno == errno.ENAMETOOLONG:
        return InputError(
            f"{path.name[:40]}...: file name too long ({len(path.name)} characters); "
            "choose a shorter name"
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return InputError(
            f"{path.parent}: cannot write here ({exc.strerror}); choose another folder"
        )
    return InputError(f"{path}: cannot be written ({exc.strerror}); choose another place")
