"""Office files built on the fly for the limit tests: zip bombs and damaged packages.

Written with zipfile directly (streamed, not through python-docx or openpyxl), so a
package that unzips to hundreds of MB is made in a second or two without holding it in
memory.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

import docx

MB = 1024 * 1024
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{RELS_NS}"><Relationship Id="rId1" '
        f'Type="{OFFICE_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{SHEET_NS}" xmlns:r="{OFFICE_REL}"><sheets>'
        '<sheet name="Audit" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{RELS_NS}"><Relationship Id="rId1" '
        f'Type="{OFFICE_REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def xlsx_rows(count: int) -> Iterable[str]:
    """A header row, then `count` rows of (record, comment)."""
    yield f'<row r="1">{_cell("A1", "Record")}{_cell("B1", "Comment")}</row>'
    for number in range(2, count + 2):
        yield (
            f'<row r="{number}"><c r="A{number}"><v>{number}</v></c>'
            f"{_cell(f'B{number}', 'chronology out of date')}</row>"
        )


def write_xlsx(path: Path, rows: Iterable[str], tail: str = "") -> Path:
    """A minimal workbook of one sheet whose `sheetData` holds `rows` (XML strings)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for name, text in XLSX_PARTS.items():
            package.writestr(name, text)
        with package.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'<worksheet xmlns="{SHEET_NS}"><sheetData>'.encode())
            batch: list[str] = []
            for row in rows:
                batch.append(row)
                if len(batch) == 10_000:
                    sheet.write("".join(batch).encode())
                    batch = []
            sheet.write(("".join(batch) + "</sheetData>" + tail + "</worksheet>").encode())
    return path


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_docx_bomb(path: Path, expanded_mb: int) -> Path:
    """A valid .docx whose document.xml repeats one paragraph to `expanded_mb` MB: it
    packs to well under 1% of that."""
    paragraph = "<w:p><w:r><w:t>chronology out of date</w:t></w:r></w:p>"
    original = zipfile.ZipFile(io.BytesIO(docx_bytes("chronology out of date")))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for info in original.infolist():
            if info.filename != "word/document.xml":
                package.writestr(info, original.read(info))
                continue
            head, tail = original.read(info).decode().split("<w:body>")
            with package.open("word/document.xml", "w") as part:
                part.write((head + "<w:body>").encode())
                chunk = (paragraph * 20_000).encode()
                for _ in range(expanded_mb * MB // len(chunk)):
                    part.write(chunk)
                part.write(tail.encode())
    return path


def zip_of(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, content in parts.items():
            package.writestr(name, content)
    return buffer.getvalue()


def docx_bomb_bytes(expanded_mb: int) -> bytes:
    """`write_docx_bomb` into memory: a few MB at most."""
    buffer = io.BytesIO()
    write_docx_bomb(buffer, expanded_mb)  # type: ignore[arg-type]
    return buffer.getvalue()


def xlsx_bytes(rows: Iterable[str], tail: str = "") -> bytes:
    """`write_xlsx` into memory."""
    buffer = io.BytesIO()
    write_xlsx(buffer, rows, tail)  # type: ignore[arg-type]
    return buffer.getvalue()
