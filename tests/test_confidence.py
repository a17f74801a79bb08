"""Bullet confidence: each signal moves it the right way, and "Look at these first" holds
the bad bullets of the labelled audits within its share of all bullets."""

from __future__ import annotations

from dataclasses import replace
from functools import reduce
from pathlib import Path

import numpy as np
import pytest
from benchmarks.packs import FlagCount, flag_count, load_pack

from briefing_nlp.classify import Classification, StatementClassifier
from briefing_nlp.confidence import LOOK_FIRST_BELOW, finding_confidence, finding_signals
from briefing_nlp.draft import draft_briefing
from briefing_nlp.group import Member
from briefing_nlp.segment import Statement
from briefing_nlp.settings import PROJECT_ROOT

OWN_PACKS = sorted(p.parent for p in (PROJECT_ROOT / "examples").glob("*/gold.json"))
SHARED_PACKS = sorted(
    p.parent for p in (PROJECT_ROOT.parent / "shared" / "examples").glob("*/gold.json")
)
WORDING = "Chronology not updated since the first child protection plan"
# Measured with benchmarks/confidence.py (benchmarks/RESULTS.md, "Confidence"): the
# issue's targets themselves (at least 70% of the bad bullets in at most 30% of all).
# Measured 0.27 and 0.78 on these five (0.28 and 0.81 with the three shared audits) with
# the finding codes of December 2026 session 10; 0.25 and 0.71 in session 9.
OWN_MAX_SHARE, OWN_MIN_COVERAGE = 0.30, 0.70
ALL_MAX_SHARE, ALL_MIN_COVERAGE = 0.30, 0.70  # measured 0.26 and 0.79


def member(record: int, worry: float = 0.9, theme: float = 0.9, text: str = WORDING) -> Member:
    rest = (1.0 - worry) / 4
    scores = {"worry": worry, "strength": rest, "action": rest, "good_practice": rest}
    scores["neutral"] = rest
    classification = Classification(
        text=text,
        section="worry",
        section_scores=scores,
        themes=("chronology",),
        theme_scores={"chronology": theme, "genogram": 1 - theme},
    )
    return Member(Statement(record, text, 0, len(text)), classification)


def similar(size: int, value: float) -> np.ndarray:
    matrix = np.full((size, size), value)
    np.fill_diagonal(matrix, 1.0)
    return matrix


SURE = ([member(1), member(2), member(3), member(4)], similar(4, 0.7), WORDING)


@pytest.mark.parametrize(
    ("why", "members", "similarity", "wording"),
    [
        (
            "the classifier hesitated",
            [member(r, worry=0.45) for r in (1, 2, 3, 4)],
            similar(4, 0.7),
            WORDING,
        ),
        ("the members say different things", SURE[0], similar(4, 0.1), WORDING),
        (
            "the themes are unsure",
            [member(r, theme=0.35) for r in (1, 2, 3, 4)],
            similar(4, 0.7),
            WORDING,
        ),
        ("a fragment", SURE[0], SURE[1], "but not since"),
        ("a clause opening with a connective", SURE[0], SURE[1], "which meant " + WORDING),
        ("one record", [member(1)], similar(1, 1.0), WORDING),
        ("two records", [member(1), member(2)], similar(2, 0.7), WORDING),
    ],
)
def test_each_signal_lowers_confidence(
    why: str, members: list[Member], similarity: np.ndarray, wording: str
) -> None:
    sure = finding_confidence("worry", *SURE)
    assert finding_confidence("worry", members, similarity, wording) < sure, why


def test_a_sure_recurring_finding_is_not_flagged_and_a_shaky_one_is() -> None:
    assert finding_confidence("worry", *SURE) >= 0.8
    shaky = finding_confidence("worry", [member(1, worry=0.4, theme=0.4)], similar(1, 1), "and so")
    assert shaky < LOOK_FIRST_BELOW


def test_members_whose_own_section_is_another_count_as_doubtful() -> None:
    members = [member(1), member(2), member(3)]
    strength = replace(
        members[2].classification,
        section_scores={"strength": 0.7, "worry": 0.2, "action": 0.05, "good_practice": 0.05},
    )
    members[2] = replace(members[2], classification=strength)
    signals = finding_signals("worry", members, similar(3, 0.7), WORDING)
    assert signals.doubtful == pytest.approx(1 / 3) and signals.margin < 0.8


def _counts(packs: list[Path], classifier: StatementClassifier) -> FlagCount:
    counts = [
        flag_count(draft_briefing([p / "notes.txt"], classifier=classifier), load_pack(p).gold)
        for p in packs
    ]
    return reduce(lambda a, b: a + b, counts)


def test_look_first_holds_the_bad_bullets_of_the_project_examples(
    classifier: StatementClassifier,
) -> None:
    total = _counts(OWN_PACKS, classifier)
    assert total.bad >= 20  # enough bad bullets for the share to mean something
    assert total.flagged_share <= OWN_MAX_SHARE, total
    assert total.bad_coverage >= OWN_MIN_COVERAGE, total


@pytest.mark.slow
@pytest.mark.skipif(not SHARED_PACKS, reason="the shared development audits are not here")
def test_look_first_holds_the_bad_bullets_of_all_development_audits(
    classifier: StatementClassifier,
) -> None:
    total = _counts(OWN_PACKS + SHARED_PACKS, classifier)
    assert total.flagged_share <= ALL_MAX_SHARE, total
    assert total.bad_coverage >= ALL_MIN_COVERAGE, total
