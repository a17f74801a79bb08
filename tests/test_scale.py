"""Large drafts use blocked grouping and keep every invariant of small ones."""

from __future__ import annotations

from dataclasses import replace

import pytest
from benchmarks.synthetic import corpus_statements, synthetic_notes

from briefing_nlp.classify import StatementClassifier
from briefing_nlp.draft import draft_briefing
from briefing_nlp.settings import Settings
from tests.conftest import CORPUS_DIR, assert_no_statement_placed_twice


@pytest.mark.slow  # groups a synthetic section larger than the exact limit
def test_blocked_grouping_places_every_statement_once(classifier: StatementClassifier) -> None:
    notes = synthetic_notes(corpus_statements(CORPUS_DIR / "train"), 3000)
    settings = replace(Settings(), exact_grouping_limit=200)  # force the blocked path
    briefing = draft_briefing([notes], settings=settings, classifier=classifier)
    total = len(briefing.records)
    assert_no_statement_placed_twice(briefing)
    assert total > 300
    for bullets in briefing.sections.values():
        for bullet in bullets:
            if not bullet.suggested:
                assert set(bullet.support) == {s.record for s in bullet.sources}
                assert f"of {total}" in bullet.text


def test_blocking_has_its_own_cut(classifier: StatementClassifier) -> None:
    """Blocks of an oversized section follow `blocking_similarity`, not the clustering
    cut (`similarity_threshold`): each setting means one thing."""
    from briefing_nlp.draft import _Memo
    from briefing_nlp.group import _blocks

    texts = [
        f"{stem} {n}"
        for n in range(30)
        for stem in ("chronology not updated since the ICPC", "no genogram on the file at all")
    ]
    classifications, vectors = _Memo(classifier).with_vectors(texts)
    wording = classifier.wording_vectors(vectors)
    indices = list(range(len(texts)))
    base = replace(Settings(), exact_grouping_limit=10)

    def blocks(**changes: float) -> list[list[int]]:
        return sorted(_blocks(indices, classifications, wording, replace(base, **changes)))

    assert blocks(similarity_threshold=0.05) == blocks(similarity_threshold=0.95)
    assert blocks(blocking_similarity=0.05) != blocks(blocking_similarity=0.999)
