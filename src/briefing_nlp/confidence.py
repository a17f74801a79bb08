"""How far a reviewer can trust a finding: signals of what goes wrong, combined into 0..1.

A finding goes wrong when the classifier hesitated over its section (a small margin, or
members whose own best section is another), when its members say different things (low
cohesion), when its wording is one record's note (placeholders) or a fragment, and when
it rests on one record. The weights were fitted on the development audits (see
benchmarks/confidence.py); below `LOOK_FIRST_BELOW` a bullet goes to "Look at these first".
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # group imports this module; the types are only annotations here
    from briefing_nlp.group import Member

PLACEHOLDER_RE = re.compile(r"\[[A-Z][A-Z _]*\d*\]")
WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]*")
# Wording that continues another clause ("but not updated since", "which meant ...").
CONNECTIVE_START_RE = re.compile(
    r"^\W*(?:and|but|or|so|also|then|which|though|although|however|as|because|whereas|"
    r"while|this|that|these|it|they|he|she|his|her|their|its)\b",
    re.I,
)
FRAGMENT_WORDS = 4  # fewer content words than this is a fragment, not a finding
CLOSE_MARGIN = 0.2  # a runner-up section this close means the section was a near thing
LOOK_FIRST_BELOW = 0.5


@dataclass(frozen=True)
class Signals:
    """What is known about a finding that bears on whether it is right (all 0..1)."""

    margin: float  # mean lead of the finding's section over the members' runner-up
    doubtful: float  # share of members whose best section is another, or a near thing
    cohesion: float  # mean similarity between members (1 for a single member)
    placeholder: float  # 1 when the wording holds personal-data placeholders
    fragment: float  # 1 when the wording is very short or opens with a connective
    one_record: float  # 1 when the finding rests on a single record


# Logistic weights on the signals, fitted on the eight development audits by
# benchmarks/confidence.py --fit (each bullet labelled bad when it matches no gold
# finding in its section); see benchmarks/RESULTS.md "Confidence".
WEIGHTS = {
    "margin": 1.5,
    "doubtful": -1.5,
    "cohesion": 1.0,
    "placeholder": -1.0,
    "fragment": -1.5,
    "one_record": -1.5,
}
BIAS = 0.5


def finding_signals(
    section: str, members: Sequence[Member], similarity: np.ndarray, wording: str
) -> Signals:
    """The signals of one finding.

    Args:
        section: the finding's section.
        members: its statements with their classifications (co-supporting ones included).
        similarity: pairwise similarity of its primary members, in their order.
        wording: the statement chosen as its wording.
    """
    primary = [m for m in members if m.primary] or list(members)
    margins, doubtful = [], 0
    for member in primary:
        scores = member.classification.section_scores
        own = scores.get(section, 0.0)
        runner_up = max((v for k, v in scores.items() if k != section), default=0.0)
        margins.append(own - runner_up)
        doubtful += own - runner_up < CLOSE_MARGIN
    size = len(similarity)
    if size > 1:
        off_diagonal = similarity[~np.eye(size, dtype=bool)]
        cohesion = float(np.clip(off_diagonal.mean(), 0.0, 1.0))
    else:
        cohesion = 1.0
    words = WORD_RE.findall(PLACEHOLDER_RE.sub(" ", wording))
    return Signals(
        margin=float(np.clip(np.mean(margins), -1.0, 1.0)),
        doubtful=doubtful / len(primary),
        cohesion=cohesion,
        placeholder=float(bool(PLACEHOLDER_RE.search(wording))),
        fragment=float(len(words) < FRAGMENT_WORDS or bool(CONNECTIVE_START_RE.match(wording))),
        one_record=float(len({m.statement.record for m in members}) == 1),
    )


def combine(signals: Signals, weights: dict[str, float] = WEIGHTS, bias: float = BIAS) -> float:
    """The signals as one confidence in 0..1 (a logistic over their weighted sum)."""
    values = asdict(signals)
    total = bias + sum(weights[name] * values[name] for name in weights)
    return 1.0 / (1.0 + math.exp(-total))


def finding_confidence(
    section: str, members: Sequence[Member], similarity: np.ndarray, wording: str
) -> float:
    """A finding's confidence in 0..1; below LOOK_FIRST_BELOW a reviewer should look first."""
    return round(combine(finding_signals(section, members, similarity, wording)), 3)
