"""Compare two audit cycles: which findings are new, persisting, improved, worse or resolved.

Each audit's findings are its bullets (as drafted, or as a reviewer left them). The
bullets of one section are matched across the two audits by the similarity grouping
uses (`group.pairwise_similarity`: wording, domain vectors, themes and finding codes):
two bullets match when their statements are, on average, as alike as grouping needs to
put them in one finding; each bullet matches at most one, the most alike first.

A finding's prevalence is the share of each audit's records it was seen in, so audits of
different sizes compare ("4 of 12 → 9 of 14"). Its status follows one stated rule
(`STATUS_RULE`): a change counts only when the share moves by at least
`MIN_SHARE_CHANGE` and by more than one record's share of the smaller audit, so one
record cannot turn "persisting" into "improved" or "worse". Worries improve when they
become rarer; strengths and good practice when they become commoner. Agreed actions are
each audit's own plans and are not compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from briefing_nlp.counts import split_count_phrase
from briefing_nlp.datatypes import AuditHeading, Briefing, Bullet, Classification
from briefing_nlp.errors import InputError
from briefing_nlp.group import pairwise_similarity
from briefing_nlp.settings import Settings
from briefing_nlp.taxonomy import Taxonomy

COMPARED = ("strength", "worry", "good_practice")
# Findings are matched within a polarity: what works (strengths and good practice, which
# auditors of two cycles may file either way) and worries.
POLARITIES = (("strength", "good_practice"), ("worry",))
STATUSES = ("new", "persisting", "improved", "worse", "resolved")
MIN_SHARE_CHANGE = 0.15
STATUS_RULE = (
    "Prevalence is the share of an audit's records a finding was seen in. A change counts "
    f"when the share moves by at least {MIN_SHARE_CHANGE:.2f} and by more than one record's "
    "share of the smaller audit. new: not seen in the earlier audit. resolved: a worry not "
    "seen in the later audit. improved: a worry whose share fell, or a strength or good "
    "practice whose share rose, by a change that counts (a strength no longer seen is "
    "worse). worse: the opposite. persisting: seen in both without a change that counts."
)


@dataclass(frozen=True)
class ComparedFinding:
    """A finding of one or both audits, with its prevalence in each and its status."""

    section: str
    themes: tuple[str, ...]
    wording: str
    old_support: tuple[int, ...]
    new_support: tuple[int, ...]
    old_total: int
    new_total: int
    status: str
    similarity: float | None = None  # how alike the matched bullets were; None unmatched

    @property
    def prevalence(self) -> str:
        """ "4 of 12 → 9 of 14"."""
        return (
            f"{len(self.old_support)} of {self.old_total} → "
            f"{len(self.new_support)} of {self.new_total}"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "themes": list(self.themes),
            "wording": self.wording,
            "status": self.status,
            "prevalence": self.prevalence,
            "old": {
                "support": list(self.old_support),
                "share": _share(self.old_support, self.old_total),
            },
            "new": {
                "support": list(self.new_support),
                "share": _share(self.new_support, self.new_total),
            },
            "similarity": None if self.similarity is None else round(self.similarity, 3),
        }


@dataclass(frozen=True)
class ThemeChange:
    """A theme's worries and strengths in each audit: records with at least one."""

    theme: str
    name: str
    worry_old: tuple[int, ...]
    worry_new: tuple[int, ...]
    strength_old: tuple[int, ...]
    strength_new: tuple[int, ...]
    worry_status: str
    strength_status: str

    def to_json(self, old_total: int, new_total: int) -> dict[str, Any]:
        return {
            "theme": self.theme,
            "name": self.name,
            "worries": {
                "old": len(self.worry_old),
                "new": len(self.worry_new),
                "old_share": _share(self.worry_old, old_total),
                "new_share": _share(self.worry_new, new_total),
                "status": self.worry_status,
            },
            "strengths": {
                "old": len(self.strength_old),
                "new": len(self.strength_new),
                "old_share": _share(self.strength_old, old_total),
                "new_share": _share(self.strength_new, new_total),
                "status": self.strength_status,
            },
        }


@dataclass(frozen=True)
class Comparison:
    """Two audit cycles compared finding by finding and theme by theme."""

    old: AuditHeading
    new: AuditHeading
    findings: tuple[ComparedFinding, ...]
    themes: tuple[ThemeChange, ...]

    def to_json(self) -> dict[str, Any]:
        """The `compare --format json` contract (README: Compare two audit cycles)."""
        return {
            "old": self.old.to_json(),
            "new": self.new.to_json(),
            "rule": STATUS_RULE,
            "min_share_change": MIN_SHARE_CHANGE,
            "counts": {s: sum(f.status == s for f in self.findings) for s in STATUSES},
            "findings": [f.to_json() for f in self.findings],
            "themes": [t.to_json(self.old.records, self.new.records) for t in self.themes],
        }


def _share(support: Sequence[int], total: int) -> float:
    return round(len(support) / total, 3) if total else 0.0


def change_counts(old: int, old_total: int, new: int, new_total: int) -> bool:
    """Whether a move from `old` of `old_total` records to `new` of `new_total` is a
    change (`STATUS_RULE`), not one record's noise."""
    if not old_total or not new_total:
        return False
    change = abs(new / new_total - old / old_total)
    return change >= MIN_SHARE_CHANGE - 1e-9 and change > 1 / min(old_total, new_total) + 1e-9


def status_of(section: str, old: int, old_total: int, new: int, new_total: int) -> str:
    """A finding's status by `STATUS_RULE`; `section` gives its polarity (a worry that
    becomes rarer improved, a strength that becomes rarer got worse)."""
    if not old:
        return "new"
    worry = section == "worry"
    if not new:
        return "resolved" if worry else "worse"
    if not change_counts(old, old_total, new, new_total):
        return "persisting"
    rarer = new / new_total < old / old_total
    return "improved" if rarer == worry else "worse"


def compare_briefings(
    old: Briefing,
    new: Briefing,
    classifier: Any,
    settings: Settings,
    taxonomy: Taxonomy,
) -> Comparison:
    """Match the findings of two audits and say how each changed.

    `classifier` is a loaded `StatementClassifier` (its features make the similarity).

    Raises:
        InputError: either audit has no records.
    """
    for briefing, which in ((old, "earlier"), (new, "later")):
        if not briefing.records:
            raise InputError(f"the {which} audit has no records; give an audit with notes")
    old_total, new_total = len(old.records), len(new.records)
    findings: list[ComparedFinding] = []
    for sections in POLARITIES:
        olds = [b for section in sections for b in old.findings(section)]
        news = [b for section in sections for b in new.findings(section)]
        if not olds and not news:
            continue
        pairs, similarities = _match(olds, news, classifier, settings)
        matched_new = {j for _, j in pairs}
        for i, j in pairs:
            findings.append(_compared(olds[i], news[j], old_total, new_total, similarities[i, j]))
        paired_old = {i for i, _ in pairs}
        findings += [
            _compared(bullet, None, old_total, new_total, None)
            for i, bullet in enumerate(olds)
            if i not in paired_old
        ]
        findings += [
            _compared(None, bullet, old_total, new_total, None)
            for j, bullet in enumerate(news)
            if j not in matched_new
        ]
    order = {s: n for n, s in enumerate(COMPARED)}
    findings.sort(
        key=lambda f: (
            order[f.section],
            -max(len(f.new_support) / new_total, len(f.old_support) / old_total),
        )
    )
    return Comparison(
        old=AuditHeading(old.title, old.date, old_total),
        new=AuditHeading(new.title, new.date, new_total),
        findings=tuple(findings),
        themes=tuple(_themes(old, new, taxonomy)),
    )


def _texts(bullet: Bullet) -> list[str]:
    """The statements behind a bullet (its wording when a reviewer wrote it by hand)."""
    texts = [s.text for s in bullet.sources if s.primary]
    return texts or [bullet.wording or bullet.text]


def _match(
    olds: list[Bullet], news: list[Bullet], classifier: Any, settings: Settings
) -> tuple[list[tuple[int, int]], np.ndarray]:
    """One-to-one pairs (old index, new index) of bullets alike enough to be one finding,
    the most alike first, and the bullet-by-bullet similarity they were chosen on."""
    owners: list[tuple[int, int]] = []  # (0 old / 1 new, bullet index) per statement
    texts: list[str] = []
    for side, bullets in ((0, olds), (1, news)):
        for index, bullet in enumerate(bullets):
            for text in _texts(bullet):
                owners.append((side, index))
                texts.append(text)
    classifications, matrix = classifier.classify_with_vectors(texts, evidence=False)
    # Each statement keeps the section and themes of its bullet, as a reviewer left them.
    bullet_of = [(olds if which == 0 else news)[number] for which, number in owners]
    classifications = [_as_placed(c, b) for c, b in zip(classifications, bullet_of, strict=True)]
    similarity, cut = pairwise_similarity(
        classifications, classifier.wording_vectors(matrix), settings
    )
    sides = np.array([s for s, _ in owners])
    numbers = np.array([i for _, i in owners])
    between = np.zeros((len(olds), len(news)))
    for i in range(len(olds)):
        rows = np.flatnonzero((sides == 0) & (numbers == i))
        for j in range(len(news)):
            columns = np.flatnonzero((sides == 1) & (numbers == j))
            # Average linkage, as grouping clusters: the mean over all pairs.
            between[i, j] = similarity[np.ix_(rows, columns)].mean()
    pairs: list[tuple[int, int]] = []
    used_old: set[int] = set()
    used_new: set[int] = set()
    for flat in np.argsort(-between, axis=None):
        i, j = divmod(int(flat), len(news))
        if between[i, j] < cut:
            break
        if i in used_old or j in used_new:
            continue
        pairs.append((i, j))
        used_old.add(i)
        used_new.add(j)
    return pairs, between


def _as_placed(classification: Classification, bullet: Bullet) -> Classification:
    return replace(classification, section=bullet.section, themes=bullet.themes)


def _compared(
    old: Bullet | None,
    new: Bullet | None,
    old_total: int,
    new_total: int,
    similarity: float | None,
) -> ComparedFinding:
    old_support = tuple(old.support) if old else ()
    new_support = tuple(new.support) if new else ()
    later = new or old
    assert later is not None
    section = later.section  # where the later audit files it
    themes = tuple(dict.fromkeys((*(new.themes if new else ()), *(old.themes if old else ()))))
    return ComparedFinding(
        section=section,
        themes=themes,
        wording=_plain(later),
        old_support=old_support,
        new_support=new_support,
        old_total=old_total,
        new_total=new_total,
        status=status_of(section, len(old_support), old_total, len(new_support), new_total),
        similarity=None if similarity is None else float(similarity),
    )


def _plain(bullet: Bullet) -> str:
    """What a bullet says, without its count phrase (which the comparison replaces)."""
    words = bullet.wording or split_count_phrase(bullet.text)[0] or bullet.text
    return words[:1].upper() + words[1:]


def _themes(old: Briefing, new: Briefing, taxonomy: Taxonomy) -> list[ThemeChange]:
    """Each theme's worries and strengths (with good practice) in both audits."""

    old_total, new_total = len(old.records), len(new.records)
    changes = []
    for theme in taxonomy.themes:
        positive = ("strength", "good_practice")
        worry_old = tuple(sorted(old.theme_records(theme.slug, ("worry",))))
        worry_new = tuple(sorted(new.theme_records(theme.slug, ("worry",))))
        strength_old = tuple(sorted(old.theme_records(theme.slug, positive)))
        strength_new = tuple(sorted(new.theme_records(theme.slug, positive)))
        if not (worry_old or worry_new or strength_old or strength_new):
            continue
        changes.append(
            ThemeChange(
                theme=theme.slug,
                name=theme.name,
                worry_old=worry_old,
                worry_new=worry_new,
                strength_old=strength_old,
                strength_new=strength_new,
                worry_status=_theme_status("worry", worry_old, worry_new, old_total, new_total),
                strength_status=_theme_status(
                    "strength", strength_old, strength_new, old_total, new_total
                ),
            )
        )
    return changes


def _theme_status(
    section: str, old: tuple[int, ...], new: tuple[int, ...], old_total: int, new_total: int
) -> str:
    if not old and not new:
        return "none"
    return status_of(section, len(old), old_total, len(new), new_total)
