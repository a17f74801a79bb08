"""Limits on what Office input expands to: zip bombs, huge sheets, damaged packages.

The bombs are built on the fly (tests/office_bombs.py). Memory is measured as the peak
resident size of a `briefing-nlp draft` child process, compared with the same command
refusing a small damaged file, never as seconds.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from openpyxl.utils import get_column_letter

from briefing_nlp.errors import InputError
from briefing_nlp.ingest import load_audit
from briefing_nlp.ingest.docx import paragraph_text, read_docx_lines
from briefing_nlp.ingest.limits import MB, ExpansionLimits
from briefing_nlp.ingest.tables import read_table
from tests.office_bombs import (
    docx_bytes,
    write_docx_bomb,
    write_xlsx,
    xlsx_rows,
    zip_of,
)

DEFAULTS = ExpansionLimits.from_settings()
# Refusing a bomb may cost at most this much more memory than refusing a small broken
# file, and the whole process must stay under 1 GB (issue 15).
MAX_EXTRA_MB = 150
MAX_PEAK_MB = 1024


def test_a_docx_that_unzips_to_hundreds_of_mb_is_refused_before_parsing(tmp_path: Path) -> None:
    bomb = write_docx_bomb(tmp_path / "notes.docx", 300)
    assert bomb.stat().st_size < 5 * MB
    with pytest.raises(InputError) as refused:
        load_audit([bomb])
    message = str(refused.value)
    assert "unzips to 300 MB" in message and "max_expanded_mb" in message
    assert "\n" not in message


def test_an_xlsx_of_a_million_rows_is_refused_by_its_unzipped_size(tmp_path: Path) -> None:
    sheet = write_xlsx(tmp_path / "audit.xlsx", xlsx_rows(1_000_000))
    with pytest.raises(InputError, match=r"unzips to \d+ MB .* raise max_expanded_mb"):
        load_audit([sheet])


def test_rows_are_counted_while_streaming(tmp_path: Path) -> None:
    """Past the unzipped-size check, reading stops at the row limit."""
    sheet = write_xlsx(tmp_path / "audit.xlsx", xlsx_rows(5_000))
    limits = replace(DEFAULTS, rows=1_000)
    with pytest.raises(InputError, match=r"more than 1,000 rows; .* raise max_rows"):
        read_table(sheet, {}, limits)
    assert len(read_table(sheet, {}, replace(DEFAULTS, rows=6_000))) == 5_000


def test_cells_are_counted_while_streaming(tmp_path: Path) -> None:
    wide = "".join(f'<c r="{column}1"><v>1</v></c>' for column in ("A", "Z", "AZ", "ZZ"))
    rows = [f'<row r="1">{wide}</row>', *list(xlsx_rows(10))[1:]]
    sheet = write_xlsx(tmp_path / "audit.xlsx", rows)
    with pytest.raises(InputError, match=r"more than 500 cells; .* raise max_cells"):
        read_table(sheet, {}, replace(DEFAULTS, cells=500))


def test_a_merged_range_over_the_whole_sheet_is_counted(tmp_path: Path) -> None:
    tail = '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
    sheet = write_xlsx(tmp_path / "audit.xlsx", xlsx_rows(200), tail)
    with pytest.raises(InputError, match="raise max_cells"):
        read_table(sheet, {})


def test_merged_cells_still_repeat_their_value(tmp_path: Path) -> None:
    tail = '<mergeCells count="1"><mergeCell ref="A2:A3"/></mergeCells>'
    rows = list(xlsx_rows(3))
    rows[2] = rows[2].replace('<c r="A3"><v>3</v></c>', "")  # the merged cell's hidden part
    sheet = write_xlsx(tmp_path / "audit.xlsx", rows, tail)
    records = read_table(sheet, {})
    assert [r.label for r in records] == ["Record 2", "Record 4"]
    assert len(records[0].comments) == 2


def test_a_sheet_of_many_columns_is_named_in_one_short_line(tmp_path: Path) -> None:
    cells = "".join(f'<c r="{get_column_letter(n)}1"><v>{n}</v></c>' for n in range(1, 21))
    sheet = write_xlsx(tmp_path / "audit.xlsx", [f'<row r="1">{cells}</row>'])
    with pytest.raises(InputError) as refused:
        read_table(sheet, {})
    assert str(refused.value).endswith("and 8 more; name one with --column comment=HEADER")


def test_too_many_zip_entries(tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    path.write_bytes(zip_of({f"word/media/{i}.png": b"" for i in range(300)}))
    with pytest.raises(InputError, match=r"holds 300 parts, over the limit of 200;"):
        read_docx_lines(path, replace(DEFAULTS, entries=200))


def test_the_text_inside_a_docx_is_held_to_the_notes_limit(tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    path.write_bytes(docx_bytes(*["chronology out of date " * 50] * 200))
    with pytest.raises(InputError, match=r"notes.docx \(its text\): .* over the 0.125 MB limit"):
        load_audit([path], max_bytes=MB // 8)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.docx", b"Audit 1\nthese are plain notes\n", "not a readable Word document"),
        ("notes.docx", docx_bytes("chronology out of date")[:3000], "not a readable Word"),
        ("notes.docx", zip_of({"hello.txt": b"hello"}), "not a readable Word document"),
        (
            "notes.docx",
            zip_of({"[Content_Types].xml": b"<Types><broken", "word/document.xml": b"<w:d"}),
            "not a readable Word document",
        ),
        ("audit.xlsx", b"Record,Comment\n1,chronology out of date\n", "not a readable Excel"),
        ("audit.xlsx", zip_of({"hello.txt": b"hello"}), "not a readable Excel workbook"),
    ],
    ids=[
        "text named .docx",
        "truncated docx",
        "docx without its parts",
        "docx with broken XML",
        "csv named .xlsx",
        "xlsx without its parts",
    ],
)
def test_malformed_office_files_are_one_line_errors(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as refused:
        load_audit([path])
    assert message in str(refused.value) and "\n" not in str(refused.value)


def test_a_truncated_xlsx_is_a_one_line_error(tmp_path: Path) -> None:
    whole = write_xlsx(tmp_path / "whole.xlsx", xlsx_rows(2_000)).read_bytes()
    path = tmp_path / "audit.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(InputError, match="not a readable Excel workbook"):
        load_audit([path])


def test_broken_sheet_xml_is_a_one_line_error(tmp_path: Path) -> None:
    sheet = write_xlsx(tmp_path / "audit.xlsx", [*xlsx_rows(3), "<row r="])
    with pytest.raises(InputError, match="not a readable Excel workbook"):
        load_audit([sheet])


def test_paragraph_text_matches_python_docx(tmp_path: Path) -> None:
    """The fast walker gives what python-docx's Paragraph.text gives."""
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    paragraph = document.add_paragraph("chronology ")
    paragraph.add_run("out of\tdate").add_break()
    paragraph.add_run("next line").add_break(WD_BREAK.PAGE)
    paragraph.add_run("after the page break")
    document.add_paragraph("")
    document.add_paragraph("supervision - regular")
    path = tmp_path / "notes.docx"
    document.save(str(path))
    for block in docx.Document(str(path)).paragraphs:
        assert paragraph_text(block._element) == block.text


def _peak_mb(tmp_path: Path, notes: Path, *options: str) -> tuple[float, str]:
    """Peak resident MB of a child process running `briefing-nlp draft`, and its stderr."""
    # The peak is read from /proc (VmHWM, kB), which starts afresh with the child's own
    # program: ru_maxrss survives exec, so a child of a pytest process that has grown
    # past 1 GB in a full run would report the parent's peak as its own.
    child = (
        "import resource, runpy, sys\n"
        "sys.argv = ['briefing-nlp', *sys.argv[1:]]\n"
        "try:\n"
        "    runpy.run_module('briefing_nlp', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "try:\n"
        "    status = open('/proc/self/status').read().split('VmHWM:')[1]\n"
        "    print(int(status.split()[0]))\n"
        "except (OSError, IndexError):\n"
        "    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    out = tmp_path / "briefing.json"
    done = subprocess.run(
        [sys.executable, "-c", child, *options, "draft", str(notes), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert not out.exists()
    return int(done.stdout.split()[-1]) / 1024, done.stderr


@pytest.mark.slow
def test_refusing_bombs_keeps_memory_flat(tmp_path: Path) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not a zip")
    baseline, _ = _peak_mb(tmp_path, broken)
    settings = tmp_path / "settings.toml"
    settings.write_text("max_expanded_mb = 2000\n")
    cases = [
        (write_docx_bomb(tmp_path / "bomb.docx", 300), (), "max_expanded_mb"),
        (write_xlsx(tmp_path / "rows.xlsx", xlsx_rows(1_000_000)), (), "max_expanded_mb"),
        # With the unzipped-size limit raised, the row limit stops the stream.
        (tmp_path / "rows.xlsx", ("--config", str(settings)), "max_rows"),
    ]
    for notes, options, setting in cases:
        peak, stderr = _peak_mb(tmp_path, notes, *options)
        assert setting in stderr and stderr.count("\n") == 1, stderr
        assert peak < MAX_PEAK_MB and peak - baseline < MAX_EXTRA_MB, (notes, peak, baseline)
