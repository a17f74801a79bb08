"""A year at a glance: across several audits on different topics, the themes that keep
coming back as worries or as strengths, with the audits and prevalences behind each.

A theme *recurs* when it is a worry (or a strength, with good practice) in at least
`RECURS_IN` of the audits; its prevalence in an audit is the share of that audit's
records with at least one such bullet on the theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from briefing_nlp.datatypes import AuditHeading, Briefing
from briefing_nlp.errors import InputError
from briefing_nlp.taxonomy import Taxonomy

RECURS_IN = 2
RULE = (
    "A theme recurs when it is a worry (or a strength, with good practice) in at least "
    f"{RECURS_IN} of the audits. Its prevalence in an audit is the share of that audit's "
    "records with at least one such bullet on the theme."
)


@dataclass(frozen=True)
class ThemeAcross:
    """A theme across the audits: in each, how many records had a worry and a strength."""

    theme: str
    name: str
    worries: tuple[int, ...]  # per audit, records with a worry on the theme
    strengths: tuple[int, ...]  # per audit, records with a strength or good practice

    @property
    def worry_audits(self) -> int:
        return sum(1 for n in self.worries if n)

    @property
    def strength_audits(self) -> int:
        return sum(1 for n in self.strengths if n)

    @property
    def recurs_as(self) -> tuple[str, ...]:
        """ "worry", "strength", both or neither."""
        return tuple(
            kind
            for kind, audits in (("worry", self.worry_audits), ("strength", self.strength_audits))
            if audits >= RECURS_IN
        )


@dataclass(frozen=True)
class Programme:
    """Several audits read together, theme by theme."""

    audits: tuple[AuditHeading, ...]
    themes: tuple[ThemeAcross, ...]

    def to_json(self) -> dict[str, Any]:
        """The `programme --format json` contract (README: A year at a glance)."""

        def per_audit(counts: tuple[int, ...]) -> list[dict[str, Any]]:
            return [
                {
                    "audit": index,
                    "records": count,
                    "share": round(count / audit.records, 3) if audit.records else 0.0,
                }
                for index, (audit, count) in enumerate(zip(self.audits, counts, strict=True))
                if count
            ]

        return {
            "audits": [a.to_json() for a in self.audits],
            "rule": RULE,
            "themes": [
                {
                    "theme": t.theme,
                    "name": t.name,
                    "recurs_as": list(t.recurs_as),
                    "worries": per_audit(t.worries),
                    "strengths": per_audit(t.strengths),
                }
                for t in self.themes
            ],
        }

    def share(self, audit: int, count: int) -> str:
        return f"{count} of {self.audits[audit].records}"


def programme_of(briefings: Sequence[Briefing], taxonomy: Taxonomy) -> Programme:
    """Read several audits together, theme by theme.

    Raises:
        InputError: fewer than two audits, or an audit without records.
    """
    if len(briefings) < 2:
        raise InputError("a programme needs at least two audits; give two or more")
    for number, briefing in enumerate(briefings, start=1):
        if not briefing.records:
            raise InputError(f"audit {number} has no records; give audits with notes")
    themes = []
    for theme in taxonomy.themes:
        worries = tuple(len(b.theme_records(theme.slug, ("worry",))) for b in briefings)
        strengths = tuple(
            len(b.theme_records(theme.slug, ("strength", "good_practice"))) for b in briefings
        )
        if any(worries) or any(strengths):
            themes.append(ThemeAcross(theme.slug, theme.name, worries, strengths))
    audits = tuple(AuditHeading(b.title, b.date, len(b.records)) for b in briefings)

    def mean_share(counts: tuple[int, ...]) -> float:
        return sum(c / a.records for c, a in zip(counts, audits, strict=True)) / len(audits)

    themes.sort(key=lambda t: (-t.worry_audits, -mean_share(t.worries), -t.strength_audits))
    return Programme(audits=audits, themes=tuple(themes))
