"""Ingest: header forms, separators, front matter, normalisation, CSV/XLSX/DOCX, bad files."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest

from briefing_nlp.errors import InputError
from briefing_nlp.ingest import load_audit, normalise_text, parse_notes


@pytest.mark.parametrize(
    ("header", "finding"),
    [
        ("Audit 3 - CIN", "CIN"),
        ("Record 7 (CP plan)", "CP plan"),
        ("Rec 3 - CP - audited with SW", "CP - audited with SW"),
        ("AUDIT 5 – CLA", "CLA"),
        ("Case ref 1234567", ""),
        ("Case 2:", ""),
        ("## Record 4 - audited with TM", "audited with TM"),
        ("audit 12.", ""),
    ],
)
def test_header_forms(header: str, finding: str) -> None:
    records, _ = parse_notes(f"{header}\n- chronology out of date\n\n{header}\nvoice clear\n")
    assert [r.ordinal for r in records] == [1, 2]
    assert records[0].label == header.strip("# ").strip()
    texts = [c.text for c in records[0].comments]
    assert texts[-1] == "chronology out of date"
    assert (texts[0] if finding else "") == (finding if finding else "")
    if finding:
        assert records[0].comments[0].header


def test_comment_like_lines_are_not_headers() -> None:
    records, _ = parse_notes("Audit 1\nCase notes not up to date\nRecord keeping good\n")
    assert len(records) == 1 and len(records[0].comments) == 2


def test_title_line_before_first_header_becomes_the_title() -> None:
    records, front = parse_notes("Neglect audit - March\n\nAudit 1\n- voice clear\n")
    assert front["title"] == "Neglect audit - March"
    assert len(records) == 1


def test_front_matter() -> None:
    text = "Title: Neglect audit\nDate: March 2022\nContext: rise in plans\n\nAudit 1\n- x y\n"
    audit = load_audit([text])
    assert (audit.title, audit.date, audit.context) == (
        "Neglect audit",
        "March 2022",
        "rise in plans",
    )
    assert load_audit([text], title="Other").title == "Other"


def test_separator_blocks_without_headers() -> None:
    records, _ = parse_notes(
        "chronology out of date\n---\nvoice clear\nvisits late\n---\nMO clear\n"
    )
    assert [len(r.comments) for r in records] == [1, 2, 1]
    assert [r.label for r in records] == ["Record 1", "Record 2", "Record 3"]


def test_blank_line_blocks_without_headers_or_separators() -> None:
    records, _ = parse_notes("chronology out of date\nno genogram\n\n\nvoice clear\n")
    assert [len(r.comments) for r in records] == [2, 1]


@pytest.mark.parametrize(
    "line",
    [
        "- chronology out of date",
        "• chronology out of date",
        "* chronology out of date",
        "1. chronology out of date",
        "2) chronology out of date",
        "a) chronology out of date",
        "– chronology out of date",
        "\u00a0\u00a0chronology out of date",
    ],
)
def test_bullets_are_stripped_and_offsets_point_back(line: str) -> None:
    records, _ = parse_notes(f"Audit 1\n{line}\n")
    [comment] = records[0].comments
    assert comment.text == "chronology out of date"
    assert records[0].source[comment.start : comment.end] == comment.text


def test_word_artefacts_are_normalised() -> None:
    assert normalise_text("Mum\u2019s \u201cviews\u201d\u00a0clear\r\n") == 'Mum\'s "views" clear\n'


def test_cp1252_and_bom_files(tmp_path: Path) -> None:
    cp = tmp_path / "cp.txt"
    cp.write_bytes("Audit 1\n- Mum\u2019s views clear\n".encode("cp1252"))
    bom = tmp_path / "bom.txt"
    bom.write_bytes("\ufeffAudit 1\n- voice clear\n".encode())
    assert load_audit([cp]).records[0].comments[0].text == "Mum's views clear"
    assert load_audit([bom]).records[0].label == "Audit 1"


def test_several_files_are_one_audit(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.md"
    a.write_text("Audit 1\n- x y\nAudit 2\n- y z\n", encoding="utf-8")
    b.write_text("Audit 1\n- z w\n", encoding="utf-8")
    audit = load_audit([a, b])
    assert [r.ordinal for r in audit.records] == [1, 2, 3]
    assert audit.records[2].label == "Audit 1"


def test_csv_one_row_per_comment(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Case ID,Question,Auditor comment,Grade\n"
        "C1,Is the chronology up to date?,No,Good\n"
        "C1,,Voice of the child clear,\n"
        "C2,,Supervision not recorded,Requires improvement\n",
        encoding="utf-8",
    )
    audit = load_audit([path])
    assert [r.label for r in audit.records] == ["C1", "C2"]
    texts = [c.text for c in audit.records[0].comments]
    assert texts[0] == "Is the chronology up to date? - No"
    assert "Graded Good" in texts
    assert audit.records[1].meta["grade"] == "Requires improvement"


def test_csv_column_override_and_error_listing_columns(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Ref;What we saw\n1;chronology out of date\n", encoding="utf-8")
    with pytest.raises(
        InputError, match=r"no comment column found; columns are: 'Ref', 'What we saw'"
    ):
        load_audit([path])
    audit = load_audit([path], columns={"comment": "What we saw"})
    assert audit.records[0].comments[0].text == "chronology out of date"


def test_a_column_per_kind_of_finding_is_read_as_notes_under_headings(tmp_path: Path) -> None:
    """Audit tools often export "Strengths" and "Areas for development" columns, not one
    comment column: each cell becomes a line under its heading."""
    path = tmp_path / "export.csv"
    path.write_text(
        "Record,Strengths,Areas for development,Actions agreed\n"
        '1,"Chronology up to date\n- good direct work",'
        '"Genogram; supervision not recorded",Update genogram\n'
        '2,Voice of child clear,,"Update chronology"\n',
        encoding="utf-8",
    )
    audit = load_audit([path])
    assert [c.text for c in audit.records[0].comments] == [
        "Strengths: Chronology up to date; good direct work",
        "Areas for development: Genogram; supervision not recorded",
        "Actions agreed: Update genogram",
    ]
    assert [c.text for c in audit.records[1].comments] == [
        "Strengths: Voice of child clear",
        "Actions agreed: Update chronology",
    ]


def test_a_table_with_neither_comment_nor_heading_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Record,Colour\n1,blue\n", encoding="utf-8")
    with pytest.raises(InputError, match="no comment column found"):
        load_audit([path])


def test_a_word_table_of_headings_keeps_each_cell_under_its_heading(tmp_path: Path) -> None:
    """Read cell by cell, a table with a "Strengths | Areas for development | Actions"
    header row would put every cell under the last heading (all actions)."""
    path = tmp_path / "audit.docx"
    document = docx.Document()
    document.add_paragraph("Audit 1 - CIN")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["Strengths", "EBI", "Actions"], strict=True):
        cell.text = text
    for cell, text in zip(
        table.rows[1].cells,
        ["Chronology up to date", "Chronology; visits late", "Update genogram"],
        strict=True,
    ):
        cell.text = text
    document.add_paragraph("Audit 2 - CP")
    rows = document.add_table(rows=2, cols=2)
    rows.rows[0].cells[0].text, rows.rows[0].cells[1].text = "What went well", "voice clear"
    rows.rows[1].cells[0].text, rows.rows[1].cells[1].text = "Even better if", "chronology updated"
    document.save(path)
    audit = load_audit([path])
    assert [c.text for c in audit.records[0].comments][1:] == [
        "Strengths: Chronology up to date",
        "EBI: Chronology; visits late",
        "Actions: Update genogram",
    ]
    assert [c.text for c in audit.records[1].comments][1:] == [
        "What went well: voice clear",
        "Even better if: chronology updated",
    ]


def test_xlsx_export(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    book = openpyxl.Workbook()
    empty = book.active
    empty.title = "Cover"
    sheet = book.create_sheet("Comments")
    sheet.append(["Record", "Findings"])
    sheet.append([1, "No genogram on file"])
    sheet.append([1, "=1+1"])
    sheet.append([2, "Voice clear"])
    book.save(path)
    audit = load_audit([path])
    assert [r.label for r in audit.records] == ["Record 1", "Record 2"]
    assert audit.records[0].comments[0].text == "No genogram on file"


def test_docx_paragraphs_lists_and_tables(tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    document = docx.Document()
    document.add_paragraph("Audit 1 - CIN")
    document.add_paragraph("chronology out of date", style="List Bullet")
    document.add_paragraph("Audit 2 - CP")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "voice of child clear"
    table.cell(0, 1).text = "no supervision recorded"
    document.save(str(path))
    audit = load_audit([path])
    assert [c.text for c in audit.records[0].comments] == ["CIN", "chronology out of date"]
    assert [c.text for c in audit.records[1].comments][1:] == [
        "voice of child clear",
        "no supervision recorded",
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", r"empty.txt: empty"),
        ("blank.txt", b"  \n\n \n", r"blank.txt: empty"),
        ("binary.txt", bytes(range(256)) * 4, r"binary.txt: looks like a binary file"),
        ("notes.pdf", b"%PDF-1.4", r"notes.pdf: unsupported file type .pdf"),
        ("corrupt.docx", b"PK\x03\x04 not really", r"corrupt.docx: not a readable Word document"),
        ("corrupt.xlsx", b"garbage", r"corrupt.xlsx: not a readable Excel workbook"),
        ("headers.csv", b"record,comment\n", r"headers.csv: the comment column is empty|no audit"),
    ],
)
def test_unreadable_input_is_one_line(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as info:
        load_audit([path])
    assert "\n" not in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        load_audit([tmp_path / "nope.txt"])


def test_headers_of_several_auditors_number_the_records_in_turn() -> None:
    """Notes pasted together from several auditors: "Case 2:", then "Child 3 –", then a
    numbered line after a blank line, each opening the next record."""
    notes = (
        "Audit 1 - CIN\n- chrono o/d\n\nCase 2: Sam\n- visits regular\n\n"
        "Child 3 – Ali\n- no genogram\n\n4. Mia Jones – DOB 01/02/2015\n- voice clear\n\n"
        "YP 5:\n- PP up to date\n"
    )
    records, _ = parse_notes(notes)
    assert [r.label for r in records] == [
        "Audit 1 - CIN",
        "Case 2: Sam",
        "Child 3 – Ali",
        "4. Mia Jones – DOB 01/02/2015",
        "YP 5:",
    ]
    assert [c.text for c in records[3].comments] == ["Mia Jones – DOB 01/02/2015", "voice clear"]


@pytest.mark.parametrize(
    ("notes", "labels"),
    [
        (
            "Child A – CIN\n- chrono o/d\n\nChild B – CP\n- no genogram\n\nChild C\n- voice\n",
            ["Child A – CIN", "Child B – CP", "Child C"],
        ),
        (
            "Case A:\nchrono o/d\n\nCase B:\nno genogram\n",
            ["Case A:", "Case B:"],
        ),
        # A series of one kind needs no blank lines between its records.
        (
            "Child 1 of 3: CIN\n- chrono\nChild 2 of 3\n- geno\nChild 3 of 3\n- voice\n",
            ["Child 1 of 3: CIN", "Child 2 of 3", "Child 3 of 3"],
        ),
        # A named line straight after another line, with no header before it to match,
        # opens nothing (and nothing fails for want of a header to compare with).
        ("Notes from the audit\nChild 1 – CIN\n- chrono o/d\n", ["Record 1"]),
    ],
)
def test_children_and_cases_lettered_or_numbered_in_turn_are_records(
    notes: str, labels: list[str]
) -> None:
    records, _ = parse_notes(notes)
    assert [r.label for r in records] == labels


@pytest.mark.parametrize(
    "record",
    [
        # A sibling named in a comment under another kind of header, not a header.
        "Audit 1\n- facts\nChild A – seen\nChild B – not seen alone\n",
        # A child of a sibling group named in a comment, not a header.
        "Audit 1\nChild 2 not seen alone since March\n",
        # A numbered list inside the record, even where a number is the next record's.
        "Audit 1\n1. chrono o/d\n2. no genogram\n",
        "Audit 1\n- facts\n\n1. chrono o/d\n\n2. no genogram\n",
        # A numbered line straight after another line is a comment.
        "Audit 1\n- facts\n2) chronology out of date\n",
    ],
)
def test_a_numbered_or_child_line_that_is_not_the_next_record_stays_a_comment(
    record: str,
) -> None:
    records, _ = parse_notes(record)
    assert len(records) == 1
