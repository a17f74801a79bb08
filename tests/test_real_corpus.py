"""The real-language corpus: its size and coverage, its held-out authorities, its own words.

Rows in `real-*.jsonl` (training) and `test-real/` were written from Ofsted inspection
reports. The checks that need the reports themselves (no copied sentence; every URN from
the right side of the authority split) run only where `../shared` holds them; the rest
runs everywhere.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from briefing_nlp.corpus import load_corpus, read_authorities, real_test_dir
from briefing_nlp.reports import SentenceIndex, iter_sentences, load_reports, report_sentences
from briefing_nlp.settings import PROJECT_ROOT
from briefing_nlp.taxonomy import load_taxonomy
from tests.conftest import CORPUS_DIR

REPORTS = PROJECT_ROOT.parent / "shared" / "corpora" / "ofsted-ilacs"
needs_reports = pytest.mark.skipif(
    not (REPORTS / "reports.csv").is_file(), reason="the Ofsted reports (../shared) are not here"
)
REAL_TEST = CORPUS_DIR / "test-real"


def _raw_rows(files: list[Path]) -> list[dict[str, object]]:
    return [
        json.loads(line)
        for file in files
        for line in file.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def real_train_rows() -> list[dict[str, object]]:
    return _raw_rows(sorted((CORPUS_DIR / "train").glob("real-*.jsonl")))


def real_test_rows() -> list[dict[str, object]]:
    return _raw_rows(sorted(REAL_TEST.glob("*.jsonl")))


def test_real_splits_are_big_enough_and_cover_every_section_and_theme() -> None:
    taxonomy = load_taxonomy()
    train, test = real_train_rows(), real_test_rows()
    assert len(train) >= 3000
    assert len(test) >= 600
    assert real_test_dir(CORPUS_DIR) == REAL_TEST
    themes = Counter(t for row in train for t in row["themes"])  # type: ignore[attr-defined]
    assert {slug: themes[slug] for slug in taxonomy.slugs if themes[slug] < 60} == {}
    assert set(Counter(row["section"] for row in test)) == {
        "strength",
        "worry",
        "action",
        "good_practice",
        "neutral",
    }
    # Every row is valid under the corpus rules and keeps its report's URN and register.
    load_corpus(REAL_TEST, taxonomy)
    for row in train + test:
        assert str(row["urn"]).isdigit(), row
        assert row["register"] in {"finding", "note", "imperative", "context"}, row


def test_real_test_split_lists_at_least_thirty_held_out_authorities() -> None:
    authorities = read_authorities(REAL_TEST / "authorities.txt")
    assert len(authorities) >= 30
    assert len(set(authorities)) == len(authorities)
    datasheet = (CORPUS_DIR.parent / "DATASHEET.md").read_text(encoding="utf-8").lower()
    assert all(name in datasheet for name in authorities), "list them in the datasheet"


def test_no_real_test_statement_is_also_a_training_statement() -> None:
    train = {row.text.lower() for row in load_corpus(CORPUS_DIR / "train", load_taxonomy()).rows}
    assert [r["text"] for r in real_test_rows() if str(r["text"]).lower() in train] == []


@needs_reports
def test_urns_keep_the_authority_split() -> None:
    with (REPORTS / "reports.csv").open(encoding="utf-8") as handle:
        authority_of = {row["urn"]: row["local_authority"] for row in csv.DictReader(handle)}
    held_out = set(read_authorities(REAL_TEST / "authorities.txt"))
    train_authorities = {authority_of[str(r["urn"])] for r in real_train_rows()}
    test_authorities = {authority_of[str(r["urn"])] for r in real_test_rows()}
    assert train_authorities & held_out == set()
    assert test_authorities <= held_out
    assert len(test_authorities) >= 30


@needs_reports
@pytest.mark.slow  # about five minutes: every row against 110,000 sentences
def test_no_corpus_row_copies_a_report_sentence() -> None:
    """Rows are the project's own words: none shares 90% of its words, in order, with
    any sentence of any report (all corpora: statements and the PII lines)."""
    index = SentenceIndex(iter_sentences(load_reports(REPORTS)))
    texts = [
        str(row["text"])
        for folder in (CORPUS_DIR / "train", CORPUS_DIR / "test", REAL_TEST)
        for row in _raw_rows(sorted(folder.glob("*.jsonl")))
    ]
    copies = index.copies(texts, threshold=0.9)
    assert [(c.row, c.sentence) for c in copies] == []


def test_the_copy_check_catches_a_copied_sentence() -> None:
    """The check above must be able to fail: a sentence copied, or copied with a word
    dropped, is caught; the same finding in other words is not."""
    report = (
        "Inspection of Anytown local authority children's services\n\n1.\n\n"
        "Management oversight of children's plans is variable and\n"
        "too often lacks a clear rationale for decisions. Visits are regular.\n"
    )
    sentences = report_sentences(report)
    assert sentences[0].startswith("Management oversight")
    index = SentenceIndex(sentences)
    rows = [
        "Management oversight of children's plans is variable and too often lacks a clear "
        "rationale for decisions.",
        "Management oversight of plans is variable and too often lacks a clear rationale "
        "for decisions",
        "Managers rarely write down why they decided what they did on a plan",
    ]
    assert [c.row for c in index.copies(rows)] == rows[:2]
