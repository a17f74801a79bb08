"""Large drafts use blocked grouping and keep every invariant of small ones."""

from __future__ import annotations

from dataclasses import replace

from briefing_nlp.classify import StatementClassifier
from briefing_nlp.draft import draft_briefing
from briefing_nlp.settings import Settings
from briefing_nlp.synthetic import corpus_statements, synthetic_notes
from tests.conftest import CORPUS_DIR, primary_placements


def test_blocked_grouping_places_every_statement_once(classifier: StatementClassifier) -> None:
    notes = synthetic_notes(corpus_statements(CORPUS_DIR / "train"), 3000)
    settings = replace(Settings(), exact_grouping_limit=200)  # force the blocked path
    briefing = draft_briefing([notes], settings=settings, classifier=classifier)
    total = len(briefing.records)
    placed = primary_placements(briefing)
    assert len(placed) == len(set(placed))
    assert total > 300
    for bullets in briefing.sections.values():
        for bullet in bullets:
            if not bullet.suggested:
                assert set(bullet.support) == {s.record for s in bullet.sources}
                assert f"of {total}" in bullet.text
