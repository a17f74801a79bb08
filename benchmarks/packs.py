"""Labelled example audits ("packs") and how a drafted briefing scores against them: a
measuring tool for the benchmarks and tests, not part of the package.

A pack folder holds notes.txt, statements.jsonl, gold.json and meta.json (see
examples/README.md). Scoring matches each gold bullet, largest support first, to an
unused drafted bullet of the same section that shares a theme, by support Jaccard ≥ 0.5.
"""

from __future__ import annotations

import json
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Any

from briefing_nlp.confidence import LOOK_FIRST_BELOW
from briefing_nlp.datatypes import Briefing, Bullet
from briefing_nlp.errors import InputError

MIN_JACCARD = 0.5


@dataclass(frozen=True)
class Pack:
    """One labelled example audit."""

    path: Path
    meta: dict[str, str]
    gold: dict[str, Any]
    statements: tuple[dict[str, Any], ...]

    @property
    def notes(self) -> Path:
        return self.path / "notes.txt"


@dataclass(frozen=True)
class PackScore:
    """How well a draft reproduces a pack's gold bullets."""

    gold_bullets: int
    drafted_bullets: int
    matched: int
    exact_counts: int
    exact_sets: int
    mean_jaccard: float

    @property
    def recall(self) -> float:
        return self.matched / max(1, self.gold_bullets)

    @property
    def precision(self) -> float:
        """Share of drafted (non-suggested) bullets that match a gold finding."""
        return self.matched / max(1, self.drafted_bullets)

    @property
    def exact_count_rate(self) -> float:
        return self.exact_counts / max(1, self.matched)


def load_pack(path: Path) -> Pack:
    """Read a pack folder.

    Raises:
        InputError: a file is missing or not valid JSON.
    """
    path = Path(path)
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        gold = json.loads((path / "gold.json").read_text(encoding="utf-8"))
        statements = tuple(
            json.loads(line)
            for line in (path / "statements.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()
        )
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a complete example pack ({exc})") from None
    return Pack(path=path, meta=meta, gold=gold, statements=statements)


def score_briefing(briefing: Briefing, gold: dict[str, Any]) -> PackScore:
    """Match gold bullets to drafted (non-suggested) bullets and measure support."""
    drafted = [
        (section, set(b.support), set(b.themes))
        for section, bullets in briefing.sections.items()
        for b in bullets
        if not b.suggested
    ]
    used: set[int] = set()
    matched = exact_counts = exact_sets = 0
    jaccards: list[float] = []
    gold_bullets = [b for b in gold["bullets"] if b["section"] != "neutral"]
    for bullet in sorted(gold_bullets, key=lambda b: -len(b["support"])):
        support, themes = set(bullet["support"]), set(bullet["themes"])
        best, best_jaccard = None, 0.0
        for index, (section, drafted_support, drafted_themes) in enumerate(drafted):
            if index in used or section != bullet["section"] or not themes & drafted_themes:
                continue
            jaccard = len(support & drafted_support) / len(support | drafted_support)
            if jaccard > best_jaccard:
                best, best_jaccard = index, jaccard
        if best is None or best_jaccard < MIN_JACCARD:
            continue
        used.add(best)
        matched += 1
        jaccards.append(best_jaccard)
        exact_counts += len(drafted[best][1]) == len(support)
        exact_sets += drafted[best][1] == support
    return PackScore(
        gold_bullets=len(gold_bullets),
        drafted_bullets=len(drafted),
        matched=matched,
        exact_counts=exact_counts,
        exact_sets=exact_sets,
        mean_jaccard=round(sum(jaccards) / max(1, len(jaccards)), 3),
    )


@dataclass(frozen=True)
class FlagCount:
    """How "Look at these first" fares on one labelled audit."""

    bullets: int  # every bullet shown, suggested ones included
    flagged: int  # bullets below LOOK_FIRST_BELOW
    bad: int  # drafted bullets that match no gold finding of their section
    bad_flagged: int

    def __add__(self, other: FlagCount) -> FlagCount:
        return FlagCount(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))

    @property
    def flagged_share(self) -> float:
        return self.flagged / max(1, self.bullets)

    @property
    def bad_coverage(self) -> float:
        return self.bad_flagged / max(1, self.bad)


def bad_bullets(briefing: Briefing, gold: dict[str, Any]) -> list[tuple[Bullet, bool]]:
    """Each drafted (non-suggested) bullet and whether it is bad: matched by no gold finding
    under the pack scorer's rule (same section, a shared theme, support Jaccard >= 0.5,
    largest gold findings first), so a bullet in the wrong section is bad too."""
    drafted = [b for bullets in briefing.sections.values() for b in bullets if not b.suggested]
    used: set[int] = set()
    findings = [g for g in gold["bullets"] if g["section"] != "neutral"]
    for finding in sorted(findings, key=lambda g: -len(g["support"])):
        support, themes = set(finding["support"]), set(finding["themes"])
        best, best_jaccard = None, 0.0
        for index, bullet in enumerate(drafted):
            if index in used or bullet.section != finding["section"]:
                continue
            if not themes & set(bullet.themes):
                continue
            jaccard = len(support & set(bullet.support)) / len(support | set(bullet.support))
            if jaccard > best_jaccard:
                best, best_jaccard = index, jaccard
        if best is not None and best_jaccard >= MIN_JACCARD:
            used.add(best)
    return [(bullet, index not in used) for index, bullet in enumerate(drafted)]


def flag_count(
    briefing: Briefing, gold: dict[str, Any], below: float = LOOK_FIRST_BELOW
) -> FlagCount:
    """Flagged share and bad-bullet coverage of "Look at these first" on one labelled audit."""
    labelled = bad_bullets(briefing, gold)
    shown = [b for bullets in briefing.sections.values() for b in bullets]
    return FlagCount(
        bullets=len(shown),
        flagged=sum(b.confidence < below for b in shown),
        bad=sum(bad for _, bad in labelled),
        bad_flagged=sum(bad and b.confidence < below for b, bad in labelled),
    )
