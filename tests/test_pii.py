"""Redaction quality on the PII test split, and no personal data in any output."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import docx
import openpyxl
import pytest
from benchmarks.packs import load_pack
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from briefing_nlp.classify import StatementClassifier
from briefing_nlp.cli import app
from briefing_nlp.corpus import load_corpus
from briefing_nlp.draft import draft_briefing
from briefing_nlp.evaluate import evaluate_redaction, report
from briefing_nlp.redact import ALLOW, redactor_for
from briefing_nlp.render import render_briefing
from briefing_nlp.settings import PROJECT_ROOT, Settings
from briefing_nlp.taxonomy import load_taxonomy
from briefing_nlp.web.app import create_app
from tests.conftest import CORPUS_DIR

EXAMPLES = sorted(p.parent for p in (PROJECT_ROOT / "examples").glob("*/gold.json"))
runner = CliRunner()


def test_redaction_floors_on_the_pii_test_split() -> None:
    scores = evaluate_redaction(Settings())
    assert scores["person_recall"] >= 0.97
    assert scores["identifier_recall"] >= 0.99
    assert scores["org_address_recall"] >= 0.90
    assert scores["precision"] >= 0.85


def test_practice_terms_are_never_redacted() -> None:
    terms = sorted(t for t in ALLOW if len(t) > 1)
    sentences = (
        [f"{term.upper()} noted at the review" for term in terms]
        + [f"The {term} was discussed" for term in terms]
        + [f"{term.title()} seen" for term in terms]
    )
    found = redactor_for(Settings()).find(sentences)
    leaks = [
        (s, [e.text for e in entities])
        for s, entities in zip(sentences, found, strict=True)
        if any(e.text.lower().strip() in ALLOW for e in entities)
    ]
    assert not leaks, leaks[:10]


def _leaks(text: str, pii: list[dict[str, str]]) -> list[str]:
    return [
        item["text"]
        for item in pii
        if len(item["text"].strip()) >= 3
        and re.search(r"(?<!\w)" + re.escape(item["text"].strip()) + r"(?!\w)", text)
    ]


@pytest.mark.slow  # drafts every example audit in every format
@pytest.mark.parametrize("pack", EXAMPLES, ids=lambda p: p.name)
def test_no_personal_data_in_any_draft_output(pack: Path, classifier: StatementClassifier) -> None:
    gold = load_pack(pack).gold["pii"]
    briefing = draft_briefing([pack / "notes.txt"], classifier=classifier)
    outputs = {fmt: render_briefing(briefing, fmt, evidence=True) for fmt in ("md", "html", "json")}
    word = docx.Document(io.BytesIO(render_briefing(briefing, "docx", evidence=True)))  # type: ignore[arg-type]
    outputs["docx"] = "\n".join(p.text for p in word.paragraphs)
    for fmt, text in outputs.items():
        assert isinstance(text, str)
        assert not _leaks(text, gold), (fmt, _leaks(text, gold))


@pytest.mark.parametrize("pack", EXAMPLES, ids=lambda p: p.name)
def test_no_personal_data_in_the_review_database(pack: Path, tmp_path: Path) -> None:
    db = tmp_path / "review.sqlite3"
    # The app answers only for the address it serves (a DNS-rebinding guard).
    client = TestClient(create_app(db_path=db), base_url="http://127.0.0.1")
    notes = (pack / "notes.txt").read_text(encoding="utf-8")
    response = client.post(
        "/drafts",
        data={"notes": notes},
        headers={"Origin": "http://127.0.0.1"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("review.sqlite3*"))
    text = stored.decode("utf-8", errors="ignore")
    assert not _leaks(text, load_pack(pack).gold["pii"])


def test_classification_quality_holds_on_redacted_text(classifier: StatementClassifier) -> None:
    taxonomy = load_taxonomy()
    test = load_corpus(CORPUS_DIR / "test", taxonomy)
    texts = [row.text for row in test.rows]
    redacted = [r.text for r in redactor_for(Settings()).redact(texts)]
    plain = report(
        test, [(c.section, c.themes) for c in classifier.classify(texts, False)], taxonomy.slugs
    )
    hidden = report(
        test, [(c.section, c.themes) for c in classifier.classify(redacted, False)], taxonomy.slugs
    )
    assert hidden["section"]["macro_f1"] >= plain["section"]["macro_f1"] - 0.01
    assert hidden["themes"]["micro_f1"] >= plain["themes"]["micro_f1"] - 0.01


NOTE = (
    "Audit 1 - CIN\n- Mum (Sarah Okafor) DOB 12/03/1990, tel 07700 900412\n"
    "- chronology out of date\n"
)


def _inputs(tmp_path: Path) -> list[Path]:
    txt = tmp_path / "notes.txt"
    txt.write_text(NOTE, encoding="utf-8")
    md = tmp_path / "notes.md"
    md.write_text(NOTE, encoding="utf-8")
    csv_file = tmp_path / "notes.csv"
    csv_file.write_text(
        "Record,Comment\n1,Mum (Sarah Okafor) DOB 12/03/1990\n1,chronology out of date\n",
        encoding="utf-8",
    )
    xlsx = tmp_path / "notes.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Record", "Comment"])
    book.active.append([1, "Mum (Sarah Okafor) DOB 12/03/1990"])
    book.save(xlsx)
    word = tmp_path / "notes.docx"
    document = docx.Document()
    for line in NOTE.splitlines():
        document.add_paragraph(line)
    document.save(str(word))
    return [txt, md, csv_file, xlsx, word]


def test_redact_command_reads_every_format(tmp_path: Path) -> None:
    for path in _inputs(tmp_path):
        result = runner.invoke(app, ["redact", str(path), "--format", "json"])
        assert result.exit_code == 0, (path, result.output)
        data = json.loads(result.stdout)
        assert "Sarah" not in data["text"] and "12/03/1990" not in data["text"], path
        assert {"PERSON", "DATE"} <= {e["type"] for e in data["entities"]}
        assert all(set(e) == {"start", "end", "type", "text", "reason"} for e in data["entities"])
        # Each redaction says why it was made, so a reviewer can judge a doubtful one.
        assert all(e["reason"] for e in data["entities"])
        text = runner.invoke(app, ["redact", str(path)])
        assert text.exit_code == 0 and "[PERSON 1]" in text.stdout
