"""Spreadsheets: CSV and XLSX exports of audit tools.

Exports have one row per comment or per record; columns are found by name (record/case
id, comment/finding/notes, optional question, grade, auditor) and can be named
explicitly with `--column role=Header`. An export with no comment column but a column per
kind of finding ("Strengths", "Areas for development", "Actions") is read as notes under
those headings.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path
from xml.parsers import expat

from briefing_nlp.datatypes import AuditRecord, Comment
from briefing_nlp.errors import InputError
from briefing_nlp.headings import names_a_heading, under_heading
from briefing_nlp.ingest.limits import (
    DAMAGED,
    CellBudget,
    ExpansionLimits,
    check_package,
    refuse_encrypted,
)
from briefing_nlp.ingest.text import decode_bytes, normalise_text

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
                f"{name}: no column {header!r} for --column {role}; columns are: " + _shown(headers)
            )
        found[role] = keys.index(_key(header))
    for role, names in ROLES.items():
        if role in found:
            continue
        taken = set(found.values())
        exact = [keys.index(n) for n in names if n in keys and keys.index(n) not in taken]
        if exact:
            found[role] = exact[0]
    if "comment" not in found and not heading_columns(headers, found):
        shown = _shown(headers)
        raise InputError(
            f"{name}: no comment column found; columns are: {shown}; "
            "name one with --column comment=HEADER"
        )
    return found


def heading_columns(headers: list[str], found: dict[str, int]) -> list[int]:
    """Columns whose header is a heading and nothing more ("Strengths", "Even better if",
    "Actions agreed"), not already given a role: each holds findings of its kind."""
    taken = set(found.values())
    return [i for i, header in enumerate(headers) if i not in taken and names_a_heading(header)]


def _shown(headers: list[str], most: int = 12) -> str:
    """The header names for a message: a sheet can have 16,384 columns, a line cannot."""
    names = [repr(h) for h in headers if h.strip()]
    if len(names) > most:
        return ", ".join(names[:most]) + f" and {len(names) - most:,} more"
    return ", ".join(names) or "(none)"


def read_table(
    path: Path, overrides: dict[str, str], limits: ExpansionLimits | None = None
) -> list[AuditRecord]:
    """Records from a CSV or XLSX export, grouped by the record column in order of appearance.

    Every sheet of a workbook that has a comment column is read (a cover sheet or an
    empty sheet is skipped); a record id that appears on several sheets is one record.

    Raises:
        InputError: unreadable, no header row, no sheet with a comment column, or over
            the rows, cells or unzipped size `limits` allow.
    """
    limits = limits or ExpansionLimits.from_settings()
    xlsx = path.suffix.lower() == ".xlsx"
    sheets = _xlsx_sheets(path, limits) if xlsx else [("", _csv_rows(path, limits))]
    tables: list[tuple[dict[str, int], list[list[str]], int]] = []
    labels: dict[str, str] = {}  # a heading column's role -> its header as written
    refused: InputError | None = None
    for sheet, rows in sheets:
        rows = [r for r in rows if any(cell.strip() for cell in r)]
        if not rows:
            continue
        label = f"{path} (sheet {sheet!r})" if len(sheets) > 1 else str(path)
        try:
            columns = map_columns(rows[0], overrides, label)
        except InputError as exc:
            refused = refused or exc
            continue
        if "comment" not in columns:
            # One column per kind of finding: each cell is read as a line under its
            # heading ("Strengths: ..."), which drafting reads as it reads notes.
            headed = {f"heading {index}": index for index in heading_columns(rows[0], columns)}
            labels.update({role: rows[0][index].strip() for role, index in headed.items()})
            columns = columns | headed
        tables.append((columns, rows[1:], len(rows[0])))
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
        _table_record(ordinal, key, group, with_record, labels)
        for ordinal, (key, group) in enumerate(groups.items(), start=1)
    ]
    if not any(r.comments for r in records):
        raise InputError(f"{path}: the comment column is empty; check --column comment=HEADER")
    return records


def _table_record(
    ordinal: int,
    key: str,
    rows: list[dict[str, str]],
    with_record: bool,
    labels: dict[str, str] | None = None,
) -> AuditRecord:
    parts: list[str] = []
    comments: list[Comment] = []
    meta: dict[str, str] = {}
    position = 0
    for row in rows:
        for role in ("grade", "auditor"):
            if row.get(role, "").strip():
                meta.setdefault(role, normalise_text(row[role]).strip())
        for text, question in _row_texts(row, labels or {}):
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


def _row_texts(row: dict[str, str], labels: dict[str, str]) -> list[tuple[str, str]]:
    """A row's comments and their questions: the comment cell, or one per heading column
    as "<heading>: <cell>" (a cell's own lines kept apart with "; ")."""
    if "comment" in row:
        text = " ".join(normalise_text(row["comment"]).split())
        if not text:
            return []
        question = " ".join(normalise_text(row.get("question", "")).split())
        if question and len(text.split()) <= SHORT_ANSWER_WORDS:
            text = f"{question} - {text}"  # "Yes" alone says nothing without its question
        return [(text, question)]
    lines = (
        under_heading(label, normalise_text(row.get(role, "")).splitlines())
        for role, label in labels.items()
    )
    return [(line, "") for line in lines if line]


def _csv_rows(path: Path, limits: ExpansionLimits) -> list[list[str]]:
    text = decode_bytes(path.read_bytes(), str(path))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    budget = CellBudget(str(path), limits)
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            budget.take(row)
            rows.append(row)
    except csv.Error as exc:
        raise InputError(f"{path}: not readable as CSV ({exc}); re-export it as CSV") from None
    return rows


def _xlsx_sheets(path: Path, limits: ExpansionLimits) -> list[tuple[str, list[list[str]]]]:
    """(sheet name, rows as text) for every worksheet; merged cells repeat their value.

    Rows stream from the file (openpyxl's read-only mode) and are counted as they come,
    so a sheet of a million rows is refused after the limit, not after loading it all.
    """
    import openpyxl

    refuse_encrypted(path, "Excel workbook", ".xlsx")
    check_package(path, "Excel workbook", ".xlsx", limits)
    unreadable = (
        f"{path}: not a readable Excel workbook ({{}}); open it in Excel and save it again as .xlsx"
    )
    budget = CellBudget(str(path), limits)
    sheets = []
    # The file is opened here so it is closed even when openpyxl fails half-way through
    # loading (it leaves its own handle open then).
    with path.open("rb") as handle, zipfile.ZipFile(path) as package:
        try:
            # data_only: formulas give their cached values, never executed or shown as code.
            book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
            for sheet in book.worksheets:
                sheets.append((sheet.title, _sheet_rows(sheet, package, budget)))
        except DAMAGED as exc:
            raise InputError(unreadable.format(type(exc).__name__)) from None
    return sheets


def _sheet_rows(sheet: object, package: zipfile.ZipFile, budget: CellBudget) -> list[list[str]]:
    # The dimension a file declares can be wrong or huge ("A1:XFD1048576"); without it
    # each row is as wide as its last cell and rows start at A1.
    sheet.reset_dimensions()  # type: ignore[attr-defined]
    rows: list[list[str]] = []
    for row in sheet.iter_rows(values_only=True):  # type: ignore[attr-defined]
        budget.take(row)
        rows.append(["" if cell is None else str(cell) for cell in row])
    for top, left, bottom, right in _merged_ranges(package, sheet._worksheet_path):  # type: ignore[attr-defined]
        if top > len(rows):
            continue
        bottom = min(bottom, len(rows))
        budget.take_cells((bottom - top + 1) * (right - left + 1))
        first = rows[top - 1]
        value = first[left - 1] if left <= len(first) else ""
        for r in range(top - 1, bottom):
            if len(rows[r]) < right:
                rows[r].extend([""] * (right - len(rows[r])))
            rows[r][left - 1 : right] = [value] * (right - left + 1)
    return rows


def _merged_ranges(package: zipfile.ZipFile, part: str) -> list[tuple[int, int, int, int]]:
    """(top, left, bottom, right), 1-based, of each merged range of a sheet part.

    Read-only sheets do not keep merged ranges, so the part is streamed once more for
    its `mergeCell` elements (they follow the rows); expat builds no tree, so memory
    stays flat however long the sheet is.
    """
    from openpyxl.utils.cell import range_boundaries

    ranges = []

    def start(name: str, attributes: dict[str, str]) -> None:
        if name.rpartition(" ")[2] == "mergeCell" and attributes.get("ref"):
            left, top, right, bottom = range_boundaries(attributes["ref"])
            ranges.append((top, left, bottom, right))

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    with package.open(part.lstrip("/")) as source:
        parser.ParseFile(source)
    return ranges
