"""Read audit notes into records: pasted text, .txt/.md, .csv/.xlsx exports and .docx.

One module per kind of input: `text` (normalising and splitting notes into records),
`tables` (CSV and XLSX), `docx` (Word) and `limits` (what an input may expand to). This
module picks the reader by file type and checks sizes, so every reader is held to the
same limits.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from briefing_nlp.datatypes import Audit, AuditRecord, Comment
from briefing_nlp.errors import InputError
from briefing_nlp.ingest.docx import read_docx_lines
from briefing_nlp.ingest.limits import ExpansionLimits
from briefing_nlp.ingest.tables import read_table
from briefing_nlp.ingest.text import (
    BULLET_RE,
    decode_bytes,
    normalise_text,
    parse_notes,
    renumber,
    split_long,
    without_surrogates,
)

__all__ = [
    "BULLET_RE",
    "DEFAULT_MAX_BYTES",
    "MB",
    "SUPPORTED",
    "TABLE_SUFFIXES",
    "TEXT_SUFFIXES",
    "Audit",
    "AuditRecord",
    "Comment",
    "ExpansionLimits",
    "check_file",
    "check_size",
    "decode_bytes",
    "extract_text",
    "load_audit",
    "normalise_text",
    "parse_notes",
    "without_surrogates",
]

TEXT_SUFFIXES = (".txt", ".md", ".text")
TABLE_SUFFIXES = (".csv", ".xlsx")
SUPPORTED = (*TEXT_SUFFIXES, *TABLE_SUFFIXES, ".docx")
MB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MB


def load_audit(
    sources: Sequence[Path | str],
    *,
    title: str | None = None,
    date: str | None = None,
    context: str | None = None,
    columns: dict[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    limits: ExpansionLimits | None = None,
) -> Audit:
    """Read one audit from files and/or pasted text (a `str` that is not a path).

    Several sources are one audit: their records are numbered on in order. Explicit
    `title`/`date`/`context` win over front matter. `limits` bound what a .docx or .xlsx
    may unzip to and how many rows and cells a spreadsheet may have.

    Raises:
        InputError: a file is missing, unsupported, unreadable, over a limit or holds no
            comments.
    """
    limits = limits or ExpansionLimits.from_settings()
    if not sources:
        raise InputError("no notes given; pass a notes file or paste text")
    records: list[AuditRecord] = []
    front: dict[str, str] = {}
    names: list[str] = []
    for source in sources:
        if isinstance(source, Path):
            name = str(source)
            suffix = source.suffix.lower()
            try:
                check_file(source, max_bytes)
                found_front: dict[str, str] = {}
                if suffix in TABLE_SUFFIXES:
                    found = read_table(source, columns or {}, limits)
                elif suffix == ".docx":
                    found, found_front = parse_notes(_docx_text(source, max_bytes, limits), name)
                else:
                    text = decode_bytes(source.read_bytes(), name)
                    found, found_front = parse_notes(text, name)
            except OSError as exc:
                raise _unreadable(source, exc) from None
        else:
            name = "pasted text"
            check_size(len(source.encode("utf-8", errors="replace")), name, max_bytes)
            found, found_front = parse_notes(source, name)
        names.append(name)
        for key, value in found_front.items():
            front.setdefault(key, value)
        offset = len(records)
        records.extend(renumber(r, offset + i + 1) for i, r in enumerate(found))
    if not any(r.comments for r in records):
        raise InputError(f"{', '.join(names)}: no audit comments found; check the file has notes")
    records = [replace(r, comments=split_long(r.source, r.comments)) for r in records]
    return Audit(
        title=without_surrogates(title) if title is not None else front.get("title", ""),
        date=without_surrogates(date) if date is not None else front.get("date", ""),
        context=without_surrogates(context) if context is not None else front.get("context", ""),
        records=tuple(records),
        sources=tuple(names),
    )


def check_file(path: Path, max_bytes: int) -> None:
    """Refuse a notes file that is missing, a folder, of a type not read, or too large.

    Raises:
        InputError: what is wrong with the file, and the fix.
        OSError: the file system refused to look at it (for `_unreadable`).
    """
    suffix = path.suffix.lower()
    if not path.exists():
        raise InputError(f"{path}: file not found; check the path")
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give the notes files inside it")
    if suffix not in SUPPORTED:
        raise InputError(
            f"{path}: unsupported file type {suffix or '(none)'}; use {', '.join(SUPPORTED)}"
        )
    check_size(path.stat().st_size, str(path), max_bytes)


def _unreadable(path: Path, exc: OSError) -> InputError:
    if exc.errno == errno.ENAMETOOLONG:
        return InputError(
            f"{path.name[:40]}...: file name too long ({len(path.name)} characters); "
            "rename the file"
        )
    return InputError(f"{path}: cannot be read ({exc.strerror}); check the file and its access")


def check_size(size: int, name: str, max_bytes: int) -> None:
    """Refuse notes over the size limit before reading them into memory.

    Raises:
        InputError: the notes are larger than `max_bytes`.
    """
    if size > max_bytes:
        raise InputError(
            f"{name}: {size / MB:.1f} MB is over the {max_bytes / MB:g} MB limit for one audit; "
            "split the notes into several files (draft --each) or raise max_input_mb"
        )


def _docx_text(path: Path, max_bytes: int, limits: ExpansionLimits) -> str:
    """A Word document's lines as one text, held to the same size limit as a text file."""
    text = "\n".join(read_docx_lines(path, limits))
    check_size(len(text.encode("utf-8", errors="replace")), f"{path} (its text)", max_bytes)
    return text


def extract_text(
    path: Path,
    columns: dict[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    limits: ExpansionLimits | None = None,
) -> str:
    """The notes in a file as one normalised text, as `redact` shows them.

    Text files keep their layout; Word documents give their lines; spreadsheets give each
    record's label and comments.

    Raises:
        InputError: the file is missing, unsupported or unreadable.
    """
    limits = limits or ExpansionLimits.from_settings()
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        check_file(path, max_bytes)
        if suffix in TABLE_SUFFIXES:
            records = read_table(path, columns or {}, limits)
            return "\n\n".join(f"{r.label}\n{r.source}" for r in records) + "\n"
        if suffix == ".docx":
            text = normalise_text(_docx_text(path, max_bytes, limits))
        else:
            text = normalise_text(decode_bytes(path.read_bytes(), str(path)))
    except OSError as exc:
        raise _unreadable(path, exc) from None
    if not text.strip():
        raise InputError(f"{path}: empty; give a file with the auditors' notes")
    return text
