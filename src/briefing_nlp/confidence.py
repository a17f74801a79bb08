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

from briefing_nlp.grades import singles_out
from briefing_nlp.wording import PLACEHOLDER_RE

if TYPE_CHECKING:
    from briefing_nlp.datatypes import Member

WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]*")
# Wording that continues another clause ("but not updated since", "which meant ...").
CONNECTIVE_START_RE = re.compile(
    r"^\W*(?:and|but|or|so|also|then|which|though|although|however|as|because|whereas|"
    r"while|this|that|these|it|they|he|she|his|her|their|its)\b",
    re.I,
)
FRAGMENT_WORDS = 4  # fewer words than this is a fragment, not a finding
SHORT_WORDS = 8  # wording shorter than this rarely states a whole finding
CLOSE_MARGIN = 0.2  # a runner-up section this close means the section was a near thing
# Calibrated on the eight development audits (benchmarks/confidence.py): since the least
# sure one-record findings are listed apart, not in the briefing, the bad bullets left are
# surer ones, and 0.65 flags 0.26 of the bullets holding 0.79 of the bad ones.
LOOK_FIRST_BELOW = 0.65


@dataclass(frozen=True)
class Signals:
    """What is known about a finding that bears on whether it is right."""

    margin: float  # mean lead of the finding's section over the members' runner-up, -1..1
    doubtful: float  # share of members whose best section is another, or a near thing
    cohesion: float  # mean similarity between members (0 for a single member)
    theme_certainty: float  # mean top theme score of the members
    placeholder: float  # 1 when the wording holds personal-data placeholders
    fragment: float  # 1 when the wording has few words or opens with a connective
    short: float  # how far the wording falls short of SHORT_WORDS words, 0..1
    one_record: float  # 1 when the finding rests on a single record
    two_records: float  # 1 when it rests on two: often a detail split off a finding


# Logistic weights on the signals, fitted on the eight development audits by
# `benchmarks/confidence.py --fit` (a bullet is bad when it matches no gold finding of its
# section). Leave-one-audit-out, they rank 0.77 of the bad bullets into the least
# confident 30% (one-record alone: 0.66); see benchmarks/RESULTS.md "Confidence".
# Placeholders earn no weight there: multi-record wording has them replaced already.
WEIGHTS = {
    "margin": 1.79,
    "doubtful": -0.5,
    "cohesion": 2.11,
    "theme_certainty": 2.19,
    "placeholder": 0.13,
    "fragment": -0.91,
    "short": -1.33,
    "one_record": -1.93,
    "two_records": -1.97,
}
BIAS = -1.42


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
        lead = own - runner_up
        if section == "good_practice" and singles_out(member.classification.text):
            lead = 1.0  # the auditor's own words single it out: no hesitation to weigh
        margins.append(lead)
        doubtful += lead < CLOSE_MARGIN
    size = len(similarity)
    cohesion = 0.0
    if size > 1:
        cohesion = float(np.clip(similarity[~np.eye(size, dtype=bool)].mean(), 0.0, 1.0))
    themes = [max(m.classification.theme_scores.values(), default=0.0) for m in primary]
    words = len(WORD_RE.findall(PLACEHOLDER_RE.sub(" ", wording)))
    records = len({m.statement.record for m in members})
    return Signals(
        margin=float(np.clip(np.mean(margins), -1.0, 1.0)),
        doubtful=doubtful / len(primary),
        cohesion=cohesion,
        theme_certainty=float(np.mean(themes)),
        placeholder=float(bool(PLACEHOLDER_RE.search(wording))),
        fragment=float(words < FRAGMENT_WORDS or bool(CONNECTIVE_START_RE.match(wording))),
        short=max(0.0, 1.0 - words / SHORT_WORDS),
        one_record=float(records == 1),
        two_records=float(records == 2),
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
