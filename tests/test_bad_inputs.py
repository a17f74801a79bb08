"""The bad-input matrix: what real users and real files do, through the CLI and the web app.

Each case is a file a user might really give the tool and its documented behaviour: a
useful draft, or a one-line error that names the file and the fix, exit code 1 (CLI) or
a message on the start page (web), and no partial output. The README's "What happens
when..." table is drawn from this table; change both together.
"""

from __future__ import annotations

import errno
import html
import io
import json
import os
import re
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docx
import numpy as np
import openpyxl
import pytest
import skops.io as sio
import uvicorn
from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

from briefing_nlp import store as store_module
from briefing_nlp.artifacts import file_sha256
from briefing_nlp.classify import forget_loaded_models
from briefing_nlp.cli import app
from briefing_nlp.errors import InputError, StorageError
from briefing_nlp.settings import Settings
from briefing_nlp.store import MIGRATIONS, Store
from briefing_nlp.web.app import create_app
from tests.conftest import MODEL_DIR
from tests.office_bombs import docx_bomb_bytes, docx_bytes, xlsx_bytes, xlsx_rows, zip_of

runner = CliRunner()
SAME_ORIGIN = {"Origin": "http://127.0.0.1"}
MB = 1024 * 1024
FINDINGS = (
    "chronology out of date",
    "supervision regular and reflective",
    "voice of the child clear throughout",
    "SW to update the genogram",
)


def _workbook(build: Callable[[openpyxl.Workbook], None]) -> bytes:
    book = openpyxl.Workbook()
    build(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _several_sheets(book: openpyxl.Workbook) -> None:
    cover = book.active
    cover.title = "Cover"
    cover["A1"] = "Thematic audit of supervision - summary on the next sheets"
    first = book.create_sheet("March")
    first.append(["Record", "Comment"])
    first.append([1, "chronology out of date"])
    first.append([2, "supervision regular and reflective"])
    second = book.create_sheet("April")
    second.append(["Record", "Comment"])
    second.append([3, "no genogram on file"])
    second.append([1, "SW to update the chronology"])  # record 1 again: the same record
    book.create_sheet("Empty")


def _merged_cells(book: openpyxl.Workbook) -> None:
    sheet = book.active
    sheet.append(["Record", "Comment"])
    sheet.append([1, "chronology out of date"])
    sheet.append([None, "supervision not recorded since March"])
    sheet.append([2, "genogram up to date"])
    sheet.merge_cells("A2:A3")  # record 1 spans two comment rows


def _only_empty_sheets(book: openpyxl.Workbook) -> None:
    book.create_sheet("Second")


# Bell, vertical tab, form feed and escape sequences: what notes copied out of
# case-management systems and terminals carry; Word cannot store them.
CONTROL_NOTES = (
    b"Audit 1\nchronology out of date \x07\x0b\x1b[31m again\x1b[0m\n"
    b"Audit 2\nchronology not\x0c updated since the review\n"
)


def _records(count: int) -> bytes:
    return "".join(
        f"Audit {i}\n{FINDINGS[i % len(FINDINGS)]}\n" for i in range(1, count + 1)
    ).encode()


@dataclass(frozen=True)
class Case:
    """A bad input and what should happen to it."""

    id: str
    name: str
    content: Callable[[], bytes]
    error: str = ""  # message fragment; "" means a draft is made
    records: int | None = None  # records a draft must count
    contains: str = ""  # text some bullet or unplaced statement must hold


CASES = [
    Case("empty", "notes.txt", lambda: b"", error="empty; paste or give"),
    Case("whitespace only", "notes.txt", lambda: b"  \n\t\n \r\n", error="empty; paste or give"),
    Case(
        "binary renamed .txt",
        "notes.txt",
        lambda: bytes(range(256)) * 40,
        error="looks like a binary file, not text",
    ),
    Case(
        "50 MB text file",
        "notes.txt",
        lambda: (b"Audit 1\nchronology out of date.\n" * (50 * MB // 32 + 1))[: 50 * MB],
        error="over the 20 MB limit for one audit; split the notes",
    ),
    Case(
        "one 1 MB line",
        "notes.txt",
        lambda: (b"chronology out of date and no supervision on file. " * 21000)[:MB],
        records=1,
        contains="chronology out of date",
    ),
    Case(
        "invalid UTF-8",
        "notes.txt",
        lambda: b"Audit 1\nchronology out of date \xff\x81 again\nAudit 2\nsupervision good\n",
        records=2,
        contains="chronology out of date",
    ),
    Case(
        "cp1252 text",
        "notes.txt",
        lambda: (
            "Audit 1\nSW\u2019s visits \u2013 timely and child seen alone\nAudit 2\n"
            "chronology not on file\n".encode("cp1252")
        ),
        records=2,
        contains="SW's visits",
    ),
    Case(
        "UTF-16 text",
        "notes.txt",
        lambda: (
            "Audit 1\nchild seen alone at every visit\nAudit 2\nchronology not on file\n".encode(
                "utf-16"
            )
        ),
        records=2,
        contains="chronology not on file",
    ),
    Case(
        "CSV with no comment column",
        "audit.csv",
        lambda: b"Ref,Score\n1,3\n2,4\n",
        error="no comment column found; columns are: 'Ref', 'Score'; name one with --column",
    ),
    Case(
        "CSV with only headers",
        "audit.csv",
        lambda: b"Record,Comment\n",
        error="the comment column is empty",
    ),
    Case(
        "CSV with ragged rows",
        "audit.csv",
        lambda: (
            b"Record,Comment,Grade\n1,chronology out of date\n"
            b"2,supervision regular and reflective,Good,extra,cells\n3\n"
        ),
        records=3,
        contains="chronology out of date",
    ),
    Case(
        "CSV with formulas",
        "audit.csv",
        lambda: (
            b'Record,Comment\n1,"=HYPERLINK(""http://example.org"",""x"")"\n'
            b"2,chronology out of date\n3,+SUM(A1:A2)\n"
        ),
        records=3,
        contains="chronology out of date",
    ),
    Case(
        "XLSX with several sheets",
        "audit.xlsx",
        lambda: _workbook(_several_sheets),
        records=3,
        contains="no genogram on file",
    ),
    Case(
        "XLSX with merged cells",
        "audit.xlsx",
        lambda: _workbook(_merged_cells),
        records=2,
        contains="supervision not recorded",
    ),
    Case(
        "XLSX with only empty sheets",
        "audit.xlsx",
        lambda: _workbook(_only_empty_sheets),
        error="the spreadsheet is empty",
    ),
    Case(
        "corrupt DOCX",
        "notes.docx",
        lambda: b"PK\x03\x04 this zip stops here",
        error="not a readable Word document",
    ),
    Case(
        "password-protected DOCX",
        "notes.docx",
        lambda: bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 4000,
        error="is password-protected or an old-format Word document; remove the password",
    ),
    Case(
        "only neutral lines",
        "notes.txt",
        lambda: (
            b"Audit 1\n15yo, CIN since May\nlives with mum and two sibs\n"
            b"Audit 2\n8yo, CP plan under neglect\n"
        ),
        records=2,
    ),
    Case(
        "one record",
        "notes.txt",
        lambda: b"Audit 1 - CIN\nchronology out of date\nSW to update chronology\n",
        records=1,
        contains="chronology",
    ),
    Case("5,000 records", "notes.txt", lambda: _records(5000), records=5000),
    Case(
        "records with no comments",
        "notes.txt",
        lambda: (
            b"Audit 1\nchronology out of date\nAudit 2\nAudit 3\nsupervision regular\nAudit 4\n"
        ),
        records=4,
        contains="chronology out of date",
    ),
    Case(
        "HTML and script in notes",
        "notes.txt",
        lambda: (
            b"Audit 1\n<script>alert('x')</script> chronology out of date\n"
            b"Audit 2\nsupervision <img src=x onerror=alert(1)> regular and reflective\n"
        ),
        records=2,
        contains="chronology out of date",
    ),
    Case("unsupported type", "notes.rtf", lambda: b"{\\rtf1 notes}", error="unsupported file type"),
    Case(
        "DOCX zip bomb (2.5 MB unzipping to 300 MB)",
        "notes.docx",
        lambda: docx_bomb_bytes(300),
        error="over the 50 MB limit; split it into several files, or raise max_expanded_mb",
    ),
    Case(
        "XLSX of a million rows",
        "audit.xlsx",
        lambda: xlsx_bytes(xlsx_rows(1_000_000)),
        error="over the 50 MB limit; split it into several files, or raise max_expanded_mb",
    ),
    Case(
        "text renamed .docx",
        "notes.docx",
        lambda: b"Audit 1\nchronology out of date\n",
        error="not a readable Word document; it is damaged or not really a .docx file",
    ),
    Case(
        "truncated DOCX",
        "notes.docx",
        lambda: docx_bytes("Audit 1", "chronology out of date")[:4000],
        error="not a readable Word document",
    ),
    Case(
        "DOCX without its parts",
        "notes.docx",
        lambda: zip_of({"notes.txt": b"Audit 1\nchronology out of date\n"}),
        error="not a readable Word document",
    ),
    Case(
        "CSV renamed .xlsx",
        "audit.xlsx",
        lambda: b"Record,Comment\n1,chronology out of date\n",
        error="not a readable Excel workbook",
    ),
    Case(
        "truncated XLSX",
        "audit.xlsx",
        lambda: xlsx_bytes(xlsx_rows(2000))[:3000],
        error="not a readable Excel workbook",
    ),
    Case(
        "XLSX without its parts",
        "audit.xlsx",
        lambda: zip_of({"xl/worksheets/sheet1.xml": b"<worksheet/>"}),
        error="not a readable Excel workbook",
    ),
    Case(
        "control characters in notes",
        "notes.txt",
        lambda: CONTROL_NOTES,
        records=2,
        contains="chronology out of date",
    ),
]
# A megabyte on one line takes most of a minute to draft, 5,000 records several seconds:
# run by `make test`, not the quick loop.
SLOW_CASES = {"one 1 MB line", "5,000 records"}
CASE_PARAMS = [
    pytest.param(c, id=c.id, marks=[pytest.mark.slow] if c.id in SLOW_CASES else []) for c in CASES
]


def _texts(state: dict) -> str:  # type: ignore[type-arg]
    """Every bullet, source and unplaced text of a draft (JSON contract or review state),
    the findings of one record left out of the briefing included."""
    sections = [*state["sections"].values(), *state.get("one_record", {}).values()]
    bullets = [b for section in sections for b in section]
    parts = [b["text"] for b in bullets] + [s["text"] for b in bullets for s in b["sources"]]
    parts += [u["text"] for u in state.get("unplaced", [])]
    return "\n".join(parts)


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_cli(tmp_path: Path, case: Case) -> None:
    source = tmp_path / case.name
    source.write_bytes(case.content())
    out = tmp_path / "out" / "briefing.json"
    out.parent.mkdir()
    result = runner.invoke(app, ["draft", str(source), "-o", str(out)])
    if case.error:
        assert result.exit_code == 1, result.output
        assert case.error in result.stderr and str(source) in result.stderr
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert list(out.parent.iterdir()) == []  # no output and no half-written temp file
        return
    assert result.exit_code == 0, result.stderr
    draft = json.loads(out.read_text(encoding="utf-8"))
    assert len(draft["records"]) == case.records
    assert case.contains in _texts(draft)


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    return TestClient(
        create_app(db_path=tmp_path_factory.mktemp("web") / "review.sqlite3"),
        base_url="http://127.0.0.1",
    )


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_web_upload(web: TestClient, case: Case) -> None:
    before = len(web.app.state.store.list_drafts())  # type: ignore[attr-defined]
    response = web.post(
        "/drafts",
        files={"file": (case.name, case.content(), "application/octet-stream")},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert response.status_code != 500 and "Traceback" not in response.text
    if case.error:
        assert response.status_code in (400, 413)
        page = html.unescape(response.text)
        expected = "larger than 20 MB" if response.status_code == 413 else case.error
        assert expected in page
        assert len(web.app.state.store.list_drafts()) == before  # type: ignore[attr-defined]
        return
    assert response.status_code == 303, html.unescape(response.text)[-600:]
    state = web.get(f"/api{response.headers['location']}").json()
    assert len(state["records"]) == case.records
    assert case.contains in _texts(state)


def test_markup_in_notes_never_becomes_markup(tmp_path: Path) -> None:
    source = tmp_path / "notes.txt"
    source.write_bytes(next(c for c in CASES if c.id == "HTML and script in notes").content())
    for suffix in ("md", "html"):
        out = tmp_path / f"briefing.{suffix}"
        assert (
            runner.invoke(app, ["draft", str(source), "--evidence", "-o", str(out)]).exit_code == 0
        )
        text = out.read_text(encoding="utf-8")
        # Markdown keeps the text with "<" escaped as "\<"; HTML has entities.
        assert not re.search(r"(?<!\\)<(script|img)", text), text


@pytest.mark.parametrize(
    "filename",
    ["../../../../tmp/{tag}.txt", "..\\..\\{tag}.txt", "/tmp/{tag}.txt", "sub/../../{tag}.txt"],
)
def test_upload_filenames_cannot_escape(web: TestClient, filename: str) -> None:
    tag = f"briefing-escape-{uuid.uuid4().hex}"
    response = web.post(
        "/drafts",
        files={
            "file": (filename.format(tag=tag), b"Audit 1\nchronology out of date\n", "text/plain")
        },
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert not list(Path("/tmp").glob(f"{tag}*")) and not list(Path.cwd().glob(f"{tag}*"))


# --- command-line outputs and arguments --------------------------------------------


def _notes(tmp_path: Path, name: str = "notes.txt") -> Path:
    notes = tmp_path / name
    notes.write_text("Audit 1\nchronology out of date\nAudit 2\nchronology not updated\n")
    return notes


def _one_line_error(result: Result, fragment: str) -> None:
    assert result.exit_code == 1, result.output
    assert fragment in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_control_characters_in_notes_export_to_word(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_bytes(CONTROL_NOTES)
    out = tmp_path / "briefing.docx"
    result = runner.invoke(app, ["draft", str(notes), "--evidence", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "chronology out of date" in text and "\x1b" not in text and "\x07" not in text


def test_a_title_of_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    """A shell passes such bytes as lone surrogates; the title keeps U+FFFD in their place."""
    out = tmp_path / "briefing.md"
    title = "Audit of visits \udcff"
    result = runner.invoke(app, ["draft", str(_notes(tmp_path)), "--title", title, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "Audit of visits \ufffd" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("[" * 100_000 + "]" * 100_000, "JSON nested too deeply or a number too long"),
        ('{"id": ' + "9" * 5000 + ', "text": "chronology"}', "a number too long to read"),
        ('{"text": "chronology \\ud800 out of date"}', "text holds a lone surrogate escape"),
        ('{"text": "chronology", ', "not valid JSON"),
    ],
    ids=["nested 100,000 deep", "5,000-digit number", "lone surrogate", "cut short"],
)
def test_malformed_json_statements(tmp_path: Path, line: str, fragment: str) -> None:
    statements = tmp_path / "statements.jsonl"
    statements.write_text('{"text": "supervision regular"}\n' + line + "\n", encoding="utf-8")
    result = runner.invoke(app, ["classify", str(statements), "-o", str(tmp_path / "out.jsonl")])
    _one_line_error(result, "statements.jsonl:2: ")
    assert fragment in result.stderr and not (tmp_path / "out.jsonl").exists()


def test_a_300_character_file_name(tmp_path: Path) -> None:
    long = "a" * 300
    result = runner.invoke(app, ["draft", str(tmp_path / f"{long}.txt")])
    _one_line_error(result, "file name too long (304 characters); rename the file")
    out = tmp_path / f"{long}.md"
    result = runner.invoke(app, ["draft", str(_notes(tmp_path)), "-o", str(out)])
    _one_line_error(result, "file name too long (303 characters); choose a shorter name")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_output_at_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "briefing.md"
    folder.mkdir()
    result = runner.invoke(app, ["draft", str(_notes(tmp_path)), "-o", str(folder)])
    _one_line_error(result, "briefing.md: is a folder; give a file name inside it")
    assert list(folder.iterdir()) == []


def test_output_in_a_read_only_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    if os.geteuid() == 0:  # root writes anywhere: refuse the way the system would

        def refuse(*args: object, **kwargs: object) -> None:
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(tempfile, "mkstemp", refuse)
    try:
        result = runner.invoke(app, ["draft", str(_notes(tmp_path)), "-o", str(folder / "b.md")])
        _one_line_error(result, "locked: cannot write here (Permission denied); choose another")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_draft_will_not_overwrite_its_notes(tmp_path: Path) -> None:
    notes = _notes(tmp_path, "notes.md")
    before = notes.read_bytes()
    result = runner.invoke(app, ["draft", str(notes), "-o", str(tmp_path / "." / "notes.md")])
    _one_line_error(result, "is the notes file given; write the briefing to another -o file")
    assert notes.read_bytes() == before


def test_a_failed_write_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "briefing.md"
    out.write_text("the previous briefing\n")

    def full_disk(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    result = runner.invoke(app, ["draft", str(_notes(tmp_path)), "-o", str(out)])
    _one_line_error(result, "briefing.md: cannot be written (No space left on device)")
    assert out.read_text() == "the previous briefing\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.md", "notes.txt"]


def test_pasted_notes_over_the_limit() -> None:
    from briefing_nlp.draft import draft_briefing

    with pytest.raises(
        InputError, match=r"pasted text: 21.0 MB is over the 20 MB limit .* max_input_mb"
    ):
        draft_briefing(["chronology out of date\n" * (21 * MB // 23 + 1)])


def test_draft_each_carries_on_past_unreadable_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "audits"
    folder.mkdir()
    _notes(folder, "a.txt")
    locked = _notes(folder, "b.txt")
    _notes(folder, "c.md")
    (folder / "d.docx").write_bytes(docx_bomb_bytes(100))
    read_bytes = Path.read_bytes

    def unreadable(path: Path) -> bytes:
        if path == locked:  # as a file without read permission does, even for root
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", unreadable)
    out = tmp_path / "out"
    missing = tmp_path / "gone.txt"
    result = runner.invoke(
        app, ["draft", str(folder), str(missing), "--each", "--out-dir", str(out)]
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "drafted 2 of 5" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == ["a.md", "c.md", "summary.json"]
    failed = {
        Path(f["file"]).name: f["error"]
        for f in json.loads((out / "summary.json").read_text())["failed"]
    }
    assert "cannot be read (Permission denied)" in failed["b.txt"]
    assert "raise max_expanded_mb" in failed["d.docx"]
    assert "not found" in failed["gone.txt"]


def test_draft_each_will_not_overwrite_notes_in_its_out_dir(tmp_path: Path) -> None:
    notes = _notes(tmp_path, "notes.md")
    before = notes.read_bytes()
    result = runner.invoke(app, ["draft", str(notes), "--each", "--out-dir", str(tmp_path)])
    assert result.exit_code == 1 and "would overwrite notes" in result.stderr
    assert notes.read_bytes() == before
    assert json.loads((tmp_path / "summary.json").read_text())["total"] == 1


# --- corpus and model files -----------------------------------------------------------


def test_corpus_row_with_an_unknown_label(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        json.dumps({"text": "chronology out of date", "section": "concern", "themes": []}) + "\n"
    )
    models = tmp_path / "models"
    result = runner.invoke(app, ["--model-dir", str(models), "train", "--corpus", str(corpus)])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "corpus.jsonl:1: section: unknown 'concern'" in result.stderr
    assert not models.exists()


class Smuggled:
    """A type no trust list names: what a tampered model file would carry."""


def _missing(models: Path) -> None:
    (models / "themes.skops").unlink()


def _truncated(models: Path) -> None:
    path = models / "weights.npz"
    path.write_bytes(path.read_bytes()[:500])
    _rehash(models, "weights.npz")


def _tampered(models: Path) -> None:
    with np.load(models / "weights.npz") as archive:
        arrays = {name: archive[name] for name in archive.files}
    arrays["themes_b"] = np.array([Smuggled()], dtype=object)
    np.savez(models / "weights.npz", **arrays)  # type: ignore[arg-type]
    _rehash(models, "weights.npz")  # even a matching hash does not make it loadable


def _swapped(models: Path) -> None:
    sio.dump({"model": Smuggled()}, models / "section.skops")  # hash no longer matches


def _rehash(models: Path, name: str) -> None:
    meta = json.loads((models / "meta.json").read_text())
    meta["artifacts"][name] = file_sha256(models / name)
    (models / "meta.json").write_text(json.dumps(meta))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_missing, "themes.skops: model file missing"),
        (_truncated, "weights.npz: not a readable weights file"),
        (_tampered, "weights.npz: holds Python objects, which are never loaded"),
        (_swapped, "section.skops: model file does not match meta.json"),
    ],
    ids=["missing", "truncated", "tampered", "swapped"],
)
def test_damaged_model_files(tmp_path: Path, damage: Callable[[Path], None], message: str) -> None:
    models = tmp_path / "models"
    shutil.copytree(MODEL_DIR, models)
    damage(models)
    forget_loaded_models()
    notes = tmp_path / "notes.txt"
    notes.write_text("Audit 1\nchronology out of date\n")
    out = tmp_path / "briefing.md"
    result = runner.invoke(app, ["--model-dir", str(models), "draft", str(notes), "-o", str(out)])
    forget_loaded_models()
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert message in result.stderr and not out.exists()


# --- the review database --------------------------------------------------------------


def _serve(db: Path) -> Result:
    """`serve` with a database it must refuse before listening (if it did not, the
    test fails at once rather than serving forever)."""

    def listen(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"serve started with {db} instead of refusing it")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(uvicorn, "run", listen)
        return runner.invoke(app, ["serve", "--db", str(db), "--port", "0"])


def test_read_only_database(tmp_path: Path) -> None:
    db = tmp_path / "review.sqlite3"
    Store(db, Settings().prevalence_scale).close()
    db.chmod(0o444)
    result = _serve(db)
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "read-only; make it writable" in result.stderr


def test_locked_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 200)
    db = tmp_path / "review.sqlite3"
    Store(db, Settings().prevalence_scale).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = _serve(db)
        assert result.exit_code == 1 and result.stderr.count("\n") == 1
        assert "locked by another program" in result.stderr
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_locked_during_an_edit_is_a_message_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 200)
    db = tmp_path / "review.sqlite3"
    web = TestClient(create_app(db_path=db), base_url="http://127.0.0.1")
    response = web.post(
        "/drafts",
        data={"notes": "Audit 1\nchronology out of date\nAudit 2\nchronology not updated"},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    draft = int(response.headers["location"].rsplit("/", 1)[1])
    bullet = web.get(f"/api/drafts/{draft}").json()["sections"]["worry"][0]["id"]
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        edit = {"kind": "text", "bullet": bullet, "text": "Chronologies were out of date."}
        response = web.post(f"/api/drafts/{draft}/edits", json=edit, headers=SAME_ORIGIN)
        assert response.status_code == 503
        assert "locked" in response.json()["error"] and "not saved" in response.json()["error"]
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    response = web.post(f"/api/drafts/{draft}/edits", json=edit, headers=SAME_ORIGIN)
    assert response.status_code == 200  # the page sends it again once the lock is gone


def test_database_from_an_older_schema_is_upgraded(tmp_path: Path) -> None:
    db = tmp_path / "review.sqlite3"
    old = sqlite3.connect(db)
    old.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
    old.execute(
        "INSERT INTO drafts (title, date, context, grades, created_at) "
        "VALUES ('Old audit', '', '', '{}', '2026-01-01')"
    )
    old.commit()
    old.close()
    store = Store(db, Settings().prevalence_scale)
    state = store.draft(1)
    assert state["title"] == "Old audit" and state["revision"] == 0
    assert store._db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    store.close()


def test_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "review.sqlite3"
    newer = sqlite3.connect(db)
    newer.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    newer.close()
    with pytest.raises(StorageError, match="made by a newer briefing-nlp"):
        Store(db, Settings().prevalence_scale)


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    db = tmp_path / "review.sqlite3"
    db.write_bytes(b"these are my notes, not a database" * 100)
    result = _serve(db)
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "not a usable review database" in result.stderr
