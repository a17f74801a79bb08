"""The briefing's data types: what drafting produces and the store, the renderers, the
CLI and the web app read. No spaCy, so reading a stored briefing stays fast."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Source:
    """A statement behind a bullet, traceable to its record."""

    record: int
    label: str
    text: str
    start: int
    end: int
    primary: bool = True  # False: a multi-theme statement that also supports this bullet


@dataclass(frozen=True)
class Bullet:
    """One bullet of the briefing."""

    id: str
    section: str
    text: str
    themes: tuple[str, ...]
    support: tuple[int, ...]
    sources: tuple[Source, ...]
    confidence: float
    suggested: bool = False
    prevalence: str = ""
    # A worry's impact: the auditors' own words where they wrote any ("leaving very little
    # time for the assessment"), else the theme's template, marked suggested.
    impact: str = ""
    impact_suggested: bool = False


@dataclass(frozen=True)
class Briefing:
    """The draft six-step briefing."""

    title: str
    date: str
    context: str
    records: tuple[tuple[int, str], ...]
    sections: dict[str, tuple[Bullet, ...]]
    grades: dict[str, tuple[int, ...]] = field(default_factory=dict)
    unplaced: tuple[Source, ...] = ()
    # Findings of one record that are not sure enough for the briefing: kept for the
    # reviewer (the review app's "seen in one record" lists, the evidence appendix, JSON)
    # rather than crowding the briefing. A reviewer can add any of them back.
    one_record: dict[str, tuple[Bullet, ...]] = field(default_factory=dict)

    @property
    def all_bullets(self) -> tuple[Bullet, ...]:
        """The briefing's bullets, then the findings of one record listed apart."""
        return tuple(
            b for part in (self.sections, self.one_record) for bs in part.values() for b in bs
        )

    @property
    def grade_summary(self) -> str:
        """ "2 of the 14 records were graded good; 1 was graded requires improvement"."""
        total = len(self.records)
        parts = []
        for number, (grade, records) in enumerate(
            sorted(self.grades.items(), key=lambda item: -len(item[1]))
        ):
            count = len(records)
            if number == 0:
                verb = "was" if count == 1 else "were"
                parts.append(f"{count} of the {total} records {verb} graded {grade}")
            else:
                parts.append(f"{count} {'was' if count == 1 else 'were'} graded {grade}")
        return "; ".join(parts)
