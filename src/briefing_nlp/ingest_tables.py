"""Spreadsheet and Word readers for ingest: CSV/XLSX exports and DOCX documents.

Exports have one row per comment or per record; columns are found by name (record/case
id, comment/finding/notes, optional question, grade, auditor) and can be named
explicitly with `--column role=Header`.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from briefing_nlp.errors import InputError
from briefing_nlp.ingest import AuditRecord, Comment, decode_bytes, normalise_text

# Header names each role answers to, most specific first (compared after normalising).
ROLES: dict[str, tuple[str, ...]] = {
    "record": (
        "record",
        "record id",
        "record no",
        "record number",
        "case",
        "case id",
        "case ref",
        "case reference",
        "case number",
        "case no",
        "child id",
        "child ref",
        "audit",
        "audit id",
        "audit no",
        "audit number",
        "ref",
        "reference",
        "id",
        "file",
    ),
    "comment": (
        "comment",
        "comments",
        "finding",
        "findings",
        "notes",
        "note",
        "auditor comments",
        "auditor comment",
        "audit comments",
        "audit findings",
        "text",
        "response",
        "narrative",
        "observations",
        "observation",
        "feedback",
        "summary",
    ),
    "question": ("question", "prompt", "area", "standard", "domain", "audit question", "theme"),
    "grade": (
        "grade",
        "grading",
        "rating",
        "judgement",
        "judgment",
        "overall grade",
        "overall judgement",
    ),
    "auditor": ("auditor", "reviewer", "audited by", "auditor name"),
}
SHORT_ANSWER_WORDS = 3


def _key(header: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", header.lower()).split())


def map_columns(headers: list[str], overrides: dict[str, str], name: str) -> dict[str, int]:
    """Column index for each role found; `overrides` maps role -> header as written.

    Raises:
        InputError: an override names a missing column, or no comment column exists.
    """
    keys = [_key(h) for h in headers]
    found: dict[str, int] = {}
    for role, header in overrides.items():
        if role not in ROLES:
            raise InputError(f"--column {role}=...: unknown role; use one of {', '.join(ROLES)}")
        if _key(header) not in keys:
            raise InputError(
                f"{name}: no column {header!r} for --column {role}; columns are: "
                + ", ".join(repr(h) for h in headers)
            )
        found[role] = keys.index(_key(header))
    for role, names in ROLES.items():
        if role in found:
            continue
        taken = set(found.values())
        exact = [keys.index(n) for n in names if n in keys and keys.index(n) not in taken]
        if exact:
            found[role] = exact[0]
    if "comment" not in found:
        shown = ", ".join(repr(h) for h in headers if h.strip()) or "(none)"
        raise InputError(
            f"{name}: no comment column found; columns are: {shown}; "
            "name one with --column comment=HEADER"
        )
    return found


def read_table(path: Path, overrides: dict[str, str]) -> list[AuditRecord]:
    """Records from a CSV or XLSX export, grouped by the record column in order of appearance.

    Every sheet of a workbook that has a comment column is read (a cover sheet or an
    empty sheet is skipped); a record id that appears on several sheets is one record.

    Raises:
        InputError: unreadable, no header row, or no sheet with a comment column.
    """
    xlsx = path.suffix.lower() == ".xlsx"
    sheets = _xlsx_sheets(path) if xlsx else [("", _csv_rows(path))]
    tables: list[tuple[dict[str, int], list[list[str]], int]] = []
    refused: InputError | None = None
    for sheet, rows in sheets:
        rows = [r for r in rows if any(cell.strip() for cell in r)]
        if not rows:
            continue
        label = f"{path} (sheet {sheet!r})" if len(sheets) > 1 else str(path)
        try:
            tables.append((map_columns(rows[0], overrides, label), rows[1:], len(rows[0])))
        except InputError as exc:
            refused = refused or exc
    if not tables:
        if refused is not None:
            raise refused
        raise InputError(f"{path}: the spreadsheet is empty; export the audit comments into it")
    groups: dict[str, list[dict[str, str]]] = {}
    number = 0
    for columns, body, width in tables:
        for row in body:
            number += 1
            row = row + [""] * (width - len(row))  # ragged rows: missing cells are empty
            cells = {role: row[index] for role, index in columns.items()}
            key = cells.get("record", "").strip()
            groups.setdefault(key or f"row {number}", []).append(cells)
    with_record = any("record" in columns for columns, _, _ in tables)
    records = [
        _table_record(ordinal, key, group, with_record)
        for ordinal, (key, group) in enumerate(groups.items(), start=1)
    ]
    if not any(r.comments for r in records):
        raise InputError(f"{path}: the comment column is empty; check --column comment=HEADER")
    return records


def _table_record(
    ordinal: int, key: str, rows: list[dict[str, str]], with_record: bool
) -> AuditRecord:
    parts: list[str] = []
    comments: list[Comment] = []
    meta: dict[str, str] = {}
    position = 0
    for row in rows:
        for role in ("grade", "auditor"):
            if row.get(role, "").strip():
                meta.setdefault(role, normalise_text(row[role]).strip())
        text = " ".join(normalise_text(row["comment"]).split())
        if not text:
            continue
        question = " ".join(normalise_text(row.get("question", "")).split())
        if question and len(text.split()) <= SHORT_ANSWER_WORDS:
            text = f"{question} - {text}"  # "Yes" alone says nothing without its question
        parts.append(text)
        comments.append(Comment(text, position, position + len(text), question=question))
        position += len(text) + 1
    label = key if not key.startswith("row ") else f"Record {ordinal}"
    if with_record and not key.startswith("row "):
        label = key if not key.isdigit() else f"Record {key}"
    if meta.get("grade"):
        # A grade column becomes a comment too, so it is summarised like "Graded good".
        grade = f"Graded {meta['grade']}"
        comments.append(Comment(grade, position, position + len(grade)))
        parts.append(grade)
    return AuditRecord(ordinal, label, "\n".join(parts), tuple(comments), meta)


def _csv_rows(path: Path) -> list[list[str]]:
    text = decode_bytes(path.read_bytes(), str(path))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [list(r) for r in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as exc:
        raise InputError(f"{path}: not readable as CSV ({exc}); re-export it as CSV") from None


def _xlsx_sheets(path: Path) -> list[tuple[str, list[list[str]]]]:
    """(sheet name, rows as text) for every worksheet; merged cells repeat their value."""
    import openpyxl

    _refuse_encrypted(path, "Excel workbook", ".xlsx")
    try:
        # data_only: formulas give their cached values, never executed or shown as code.
        # Not read_only: merged ranges are only known to a fully loaded sheet.
        book = openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise InputError(
            f"{path}: not a readable Excel workbook ({type(exc).__name__}); "
            "open it in Excel and save it again as .xlsx"
        ) from None
    sheets = []
    try:
        for sheet in book.worksheets:
            rows = [
                ["" if cell is None else str(cell) for cell in row]
                for row in sheet.iter_rows(values_only=True)
            ]
            first_row, first_col = sheet.min_row, sheet.min_column
            for merged in sheet.merged_cells.ranges:
                value = sheet.cell(merged.min_row, merged.min_col).value
                for r in range(merged.min_row, merged.max_row + 1):
                    for c in range(merged.min_col, merged.max_col + 1):
                        rows[r - first_row][c - first_col] = "" if value is None else str(value)
            sheets.append((sheet.title, rows))
    finally:
        book.close()
    return sheets


OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


def _refuse_encrypted(path: Path, kind: str, suffix: str) -> None:
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


def read_docx_lines(path: Path) -> list[str]:
    """Paragraphs, list items and table cells of a Word document, in document order.

    Raises:
        InputError: the file is not a readable .docx (corrupt or password-protected).
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _refuse_encrypted(path, "Word document", ".docx")
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(
            f"{path}: not a readable Word document ({type(exc).__name__}; corrupt or "
            "password-protected); save an unprotected copy as .docx"
        ) from None
    return list(_docx_lines(document))


def _docx_lines(document: object) -> Iterator[str]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for block in document.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(block, Paragraph):
            yield from block.text.split("\n")
        elif isinstance(block, Table):
            for row in block.rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # merged cells repeat across the row
                        continue
                    seen.add(id(cell._tc))
                    for paragraph in cell.paragraphs:
                        yield from paragraph.text.split("\n")
            yield ""
