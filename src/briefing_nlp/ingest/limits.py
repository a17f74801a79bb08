"""Limits on what an input expands to, checked before and while it is parsed.

A .docx or .xlsx is a zip: its size on disk says little about what it unzips to (a 2 MB
file can hold 2 GB of XML). The zip's directory is read first and the package refused
when its parts add up to more than `max_expanded_mb` or number more than
`max_zip_entries`; spreadsheet rows and cells are counted as they stream and reading
stops at `max_rows` / `max_cells`. Each refusal is one line naming the limit and the
setting that raises it.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from xml.parsers import expat

from briefing_nlp.errors import InputError

if TYPE_CHECKING:
    from briefing_nlp.settings import Settings

MB = 1024 * 1024


@dataclass(frozen=True)
class ExpansionLimits:
    """How far one input may expand: unzipped bytes, zip entries, sheet rows and cells."""

    expanded_bytes: int
    entries: int
    rows: int
    cells: int

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> ExpansionLimits:
        """The limits `settings` give (the defaults when None)."""
        from briefing_nlp.settings import Settings

        settings = settings or Settings()
        return cls(
            expanded_bytes=int(settings.max_expanded_mb * MB),
            entries=settings.max_zip_entries,
            rows=settings.max_rows,
            cells=settings.max_cells,
        )


def check_package(path: Path, kind: str, suffix: str, limits: ExpansionLimits) -> None:
    """Refuse a zip package that is no zip, or would unzip past the limits.

    Only the zip's directory is read: the sizes it declares bound what reading can
    produce, since Python's zipfile stops at a member's declared size and refuses a
    member whose data does not match it.

    Raises:
        InputError: not a zip, damaged, or over `limits`.
    """
    unreadable = (
        f"{path}: not a readable {kind}; it is damaged or not really a {suffix} file: "
        f"open it and save it again as {suffix}"
    )
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
        raise InputError(unreadable) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}); check the file") from None
    if len(members) > limits.entries:
        raise InputError(
            f"{path}: the {kind} holds {len(members):,} parts, over the limit of "
            f"{limits.entries:,}; save it again as {suffix}, or raise max_zip_entries"
        )
    expanded = sum(member.file_size for member in members)
    if expanded > limits.expanded_bytes:
        packed = max(sum(member.compress_size for member in members), 1)
        raise InputError(
            f"{path}: the {kind} unzips to {expanded / MB:,.0f} MB ({expanded / packed:,.0f} "
            f"times its packed size), over the {limits.expanded_bytes / MB:g} MB limit; "
            "split it into several files, or raise max_expanded_mb"
        )


class CellBudget:
    """Counts rows and cells of one table as they are read; refuses past the limits.

    Blank rows do not count as rows but count as one cell each, so a sheet padded with a
    million empty rows still costs its reader a bounded amount of work.
    """

    def __init__(self, name: str, limits: ExpansionLimits) -> None:
        self.name = name
        self.limits = limits
        self.rows = 0
        self.cells = 0

    def take(self, row: Sequence[object]) -> None:
        """Count one row as read.

        Raises:
            InputError: the table has more rows or cells than allowed.
        """
        self.cells += max(len(row), 1)
        if any(value is not None and value != "" for value in row):
            self.rows += 1
            if self.rows > self.limits.rows:
                raise InputError(
                    f"{self.name}: more than {self.limits.rows:,} rows; split the export "
                    "into several files, or raise max_rows"
                )
        self._check_cells()

    def take_cells(self, count: int) -> None:
        """Count cells a merged range fills in.

        Raises:
            InputError: the table has more cells than allowed.
        """
        self.cells += count
        self._check_cells()

    def _check_cells(self) -> None:
        if self.cells > self.limits.cells:
            raise InputError(
                f"{self.name}: more than {self.limits.cells:,} cells; remove unused "
                "columns or split the export, or raise max_cells"
            )


# What a damaged package raises from inside openpyxl or python-docx: broken XML, a
# missing part, bad compressed data, a cell pointing past the shared strings.
DAMAGED = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    SyntaxError,  # xml.etree's ParseError and lxml's XMLSyntaxError are SyntaxErrors
    expat.ExpatError,
)
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


def refuse_encrypted(path: Path, kind: str, suffix: str) -> None:
    """Office files saved with a password are OLE containers, not zip packages."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(OLE_MAGIC))
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}); check the file") from None
    if head == OLE_MAGIC:
        raise InputError(
            f"{path}: is password-protected or an old-format {kind}; remove the password "
            f"and save it again as {suffix}"
        )
