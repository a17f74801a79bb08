"""Shared fixtures: the shipped models and corpus, and small corpora for training tests."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefing_nlp.classify import StatementClassifier
from briefing_nlp.settings import PROJECT_ROOT, Settings
from briefing_nlp.store import Store

MODEL_DIR = PROJECT_ROOT / "models"
CORPUS_DIR = PROJECT_ROOT / "corpora" / "statements"


@pytest.fixture(scope="session")
def classifier() -> StatementClassifier:
    return StatementClassifier.load(MODEL_DIR)


@pytest.fixture(scope="session")
def train_texts() -> list[str]:
    """Every training statement's text: realistic wording for property checks."""
    from briefing_nlp.corpus import load_corpus
    from briefing_nlp.taxonomy import load_taxonomy

    return [row.text for row in load_corpus(CORPUS_DIR / "train", load_taxonomy()).rows]


@pytest.fixture(scope="module")
def briefing() -> Any:
    """The neglect-cp example audit drafted with the shipped models, once per module (a
    module may define its own `briefing`, which wins)."""
    from briefing_nlp.draft import draft_briefing

    notes = PROJECT_ROOT / "examples" / "neglect-cp" / "notes.txt"
    return draft_briefing([notes.read_text(encoding="utf-8")])


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    """An empty review database in the test's own folder."""
    opened = Store(tmp_path / "review.sqlite3", Settings().prevalence_scale)
    yield opened
    opened.close()


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(model_dir=tmp_path / "models", corpus_dir=CORPUS_DIR)


def read_rows(folder: Path) -> list[dict[str, object]]:
    return [
        json.loads(line)
        for file in sorted(folder.glob("*.jsonl"))
        for line in file.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def write_rows(path: Path, rows: list[dict[str, object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite golden files from the current output (review the diff before committing).",
    )


@pytest.fixture()
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def primary_placements(briefing: object) -> list[tuple[int, int]]:
    """(record, start) of every statement placed as a bullet's own source, in the
    briefing or in a section's list of findings seen in one record."""
    return [
        (s.record, s.start)
        for b in briefing.all_bullets  # type: ignore[attr-defined]
        for s in b.sources
        if s.primary
    ]


def assert_no_statement_placed_twice(briefing: object) -> None:
    """No statement is two bullets' own source, save one judging several pieces of
    practice under one verdict ("Chronology and genogram both out of date"), which is a
    source of one bullet per piece."""
    from collections import Counter

    from briefing_nlp.datatypes import Statement
    from briefing_nlp.segment import distribute

    texts = {
        (s.record, s.start): (s.text, s.end)
        for b in briefing.all_bullets  # type: ignore[attr-defined]
        for s in b.sources
        if s.primary
    }
    for key, times in Counter(primary_placements(briefing)).items():
        text, end = texts[key]
        assert times <= len(distribute([Statement(key[0], text, key[1], end)])), text


def assert_each_finding_placed_once(briefing: object, audit: object, classifier: object) -> None:
    """Each non-neutral statement of `audit` is one bullet's own source, or reported
    unplaced; neutral ones are in no bullet. Labels come the way draft makes them."""
    from briefing_nlp.draft import _in_context, _Memo
    from briefing_nlp.segment import split_statements

    memo = _Memo(classifier)  # type: ignore[arg-type]
    statements = split_statements(audit, classifier.nlp, memo)  # type: ignore[arg-type, attr-defined]
    labels = _in_context(audit, statements, memo([s.worded for s in statements]), memo)  # type: ignore[arg-type]
    placed = primary_placements(briefing)
    unplaced = [(s.record, s.start) for s in briefing.unplaced]  # type: ignore[attr-defined]
    # A statement judging several pieces of practice with one verdict is a statement for
    # each ("Chronology and genogram both out of date"): one placement per piece.
    pieces: dict[tuple[int, int], int] = {}
    for statement, label in zip(statements, labels, strict=True):
        key = (statement.record, statement.start)
        if label.section != "neutral":
            pieces[key] = pieces.get(key, 0) + 1
    for statement in statements:
        key = (statement.record, statement.start)
        if key not in pieces:
            assert key not in placed
        else:
            assert placed.count(key) + unplaced.count(key) == pieces[key], statement.text


def old_review_database(
    path: Path,
    version: int,
    *,
    wording: str,
    support: list[int],
    confidence: float,
    edited: bool,
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    """A review database left at schema `version` by an older briefing-nlp: one draft with
    a record per supported ordinal, one worry bullet (id 1) and one text edit of it with
    the given undo snapshots. Migration tests open it with today's Store."""
    from briefing_nlp.store_schema import migrate

    old = sqlite3.connect(path, isolation_level=None)
    for number in range(1, version + 1):
        migrate(old, number)
    old.execute(f"PRAGMA user_version = {version}")
    old.execute(
        "INSERT INTO drafts (title, date, context, grades, created_at) "
        "VALUES ('Old audit', '', '', '{}', '2026-01-01')"
    )
    old.executemany(
        "INSERT INTO records (draft_id, ordinal, label) VALUES (1, ?, ?)",
        [(n, f"Audit {n}") for n in support],
    )
    old.execute(
        "INSERT INTO bullets (id, draft_id, section, position, wording, themes, support, "
        "confidence, suggested, edited, status) "
        "VALUES (1, 1, 'worry', 0, ?, '[]', ?, ?, 0, ?, 'pending')",
        (wording, json.dumps(support), confidence, int(edited)),
    )
    old.execute(
        "INSERT INTO edits (draft_id, kind, before, after, created_at) "
        "VALUES (1, 'text', ?, ?, '2026-01-01')",
        (json.dumps(before), json.dumps(after)),
    )
    old.close()
