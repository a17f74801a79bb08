"""Word documents: paragraphs, list items and table cells as lines of notes, read by
walking the document's XML (python-docx opens the package)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from briefing_nlp.errors import InputError
from briefing_nlp.headings import names_a_heading, under_heading
from briefing_nlp.ingest.limits import DAMAGED, ExpansionLimits, check_package, refuse_encrypted


def read_docx_lines(path: Path, limits: ExpansionLimits | None = None) -> list[str]:
    """Paragraphs, list items and table cells of a Word document, in document order.

    Raises:
        InputError: the file is not a readable .docx (corrupt or password-protected), or
            unzips past `limits`.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    refuse_encrypted(path, "Word document", ".docx")
    check_package(path, "Word document", ".docx", limits or ExpansionLimits.from_settings())
    try:
        document = docx.Document(str(path))
        return list(_docx_lines(document))
    except (PackageNotFoundError, *DAMAGED) as exc:
        raise InputError(
            f"{path}: not a readable Word document ({type(exc).__name__}; corrupt or "
            "password-protected); save an unprotected copy as .docx"
        ) from None


def _docx_lines(document: object) -> Iterator[str]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for block in document.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(block, Paragraph):
            yield from paragraph_text(block._element).split("\n")
        elif isinstance(block, Table):
            yield from _table_lines([_row_cells(row) for row in block.rows])
            yield ""


def _row_cells(row: object) -> list[list[str]]:
    """A table row's cells, each as its lines (merged cells, which repeat across the row,
    once)."""
    seen: set[int] = set()
    cells = []
    for cell in row.cells:  # type: ignore[attr-defined]
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        cells.append(
            [line for p in cell.paragraphs for line in paragraph_text(p._element).split("\n")]
        )
    return cells


def _is_heading(lines: list[str]) -> bool:
    return names_a_heading(" ".join(lines)) is not None


def _table_lines(rows: list[list[list[str]]]) -> Iterator[str]:
    """A table's cells as lines of notes. A table whose first row names a kind of finding
    in every column ("Strengths | Areas for development | Actions"), or whose rows open
    with one ("Strengths | chronology up to date"), gives each cell as a line under its
    heading ("Strengths: chronology up to date"): read cell by cell, the lines under the
    last heading would all take its kind."""
    if not rows:
        return
    header = rows[0]
    if len(header) > 1 and all(_is_heading(cell) for cell in header):
        for row in rows[1:]:
            for label, cell in zip(header, row, strict=False):
                if line := under_heading(" ".join(label), cell):
                    yield line
        return
    for row in rows:
        if len(row) == 2 and _is_heading(row[0]):
            if line := under_heading(" ".join(row[0]), row[1]):
                yield line
            continue
        for cell in row:
            yield from cell


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
RUN_TEXT = {f"{W}tab": "\t", f"{W}ptab": "\t", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}


def paragraph_text(paragraph: object) -> str:
    """A `w:p` element's text as python-docx's `Paragraph.text` gives it (runs and
    hyperlinked runs; tabs, breaks and non-breaking hyphens as characters), read by
    walking the element: python-docx runs an XPath query per run, 20 s for 10 MB."""
    parts: list[str] = []
    for child in paragraph:  # type: ignore[attr-defined]
        if child.tag == f"{W}r":
            _run_text(child, parts)
        elif child.tag == f"{W}hyperlink":
            for run in child:
                if run.tag == f"{W}r":
                    _run_text(run, parts)
    return "".join(parts)


def _run_text(run: object, parts: list[str]) -> None:
    for element in run:  # type: ignore[attr-defined]
        tag = element.tag
        if tag == f"{W}t":
            parts.append(element.text or "")
        elif tag == f"{W}br":
            # A line break is a new line; page and column breaks are nothing.
            if element.get(f"{W}type", "textWrapping") == "textWrapping":
                parts.append("\n")
        elif tag in RUN_TEXT:
            parts.append(RUN_TEXT[tag])
