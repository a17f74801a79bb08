"""The pipeline's data types, in the order the pipeline makes them: an audit's records and
comments (ingest), statements (segment), their classifications (classify), findings
(group) and the briefing's bullets (compose). The store, the renderers, the CLI and the
web app read them. No spaCy and no numpy here, so reading a stored briefing stays fast."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from briefing_nlp.taxonomy import BRIEFING_SECTIONS


@dataclass(frozen=True)
class Comment:
    """One comment line or cell; `start`/`end` index its record's `source`."""

    text: str
    start: int
    end: int
    header: bool = False
    question: str = ""


@dataclass(frozen=True)
class AuditRecord:
    """One audited record: its 1-based position, header as written, and comments."""

    ordinal: int
    label: str
    source: str
    comments: tuple[Comment, ...]
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Audit:
    """The records of one audit and its front matter."""

    title: str
    date: str
    context: str
    records: tuple[AuditRecord, ...]
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Statement:
    """One finding-sized piece of a record; `start`/`end` index the record's source."""

    record: int
    text: str
    start: int
    end: int
    header: bool = False
    # What a subjectless request split off a finding is about, taken from that finding:
    # "hospital discharge plan" for "No hospital discharge plan - needs agreeing with
    # maternity". Only the bullet's wording uses it (`worded`); sources stay as written.
    subject: str = ""
    # One of several practices the statement judges with one verdict, worded alone:
    # "Genogram up to date" of "Chronology and genogram both up to date" (see
    # segment.distribute). Only the bullet's wording uses it; sources stay as written.
    wording: str = ""

    @property
    def worded(self) -> str:
        """The statement as a bullet would word it: its practice alone or with its
        borrowed subject, if either."""
        if self.wording:
            return self.wording
        if not self.subject:
            return self.text
        if (
            " " not in self.text.strip()
        ):  # a lone imperative comes first: "Update carers assessment"
            verb = self.text.strip().rstrip(".!")
            return (
                f"{verb[0].upper()}{verb[1:].lower()} {self.subject[0].lower()}{self.subject[1:]}"
            )
        return f"{self.subject[0].upper()}{self.subject[1:]} {self.text[0].lower()}{self.text[1:]}"


@dataclass(frozen=True)
class Classification:
    """A statement's labels, calibrated scores and the terms that drove them."""

    text: str
    section: str
    section_scores: dict[str, float]
    themes: tuple[str, ...]
    theme_scores: dict[str, float]
    section_evidence: tuple[str, ...] = ()
    theme_evidence: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def to_json(self, evidence: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "text": self.text,
            "section": self.section,
            "section_scores": self.section_scores,
            "themes": list(self.themes),
            "theme_scores": self.theme_scores,
        }
        if evidence:
            out["evidence"] = {
                "section": list(self.section_evidence),
                "themes": {k: list(v) for k, v in self.theme_evidence.items()},
            }
        return out


@dataclass(frozen=True)
class Member:
    """A statement placed in a finding, with its classification."""

    statement: Statement
    classification: Classification
    primary: bool = True  # False: supports this finding through one of its other themes


@dataclass(frozen=True)
class Finding:
    """One finding of one section across records."""

    section: str
    themes: tuple[str, ...]
    members: tuple[Member, ...]
    support: tuple[int, ...]
    representative: str
    confidence: float


@dataclass(frozen=True)
class AuditHeading:
    """An audit as a report across audits names it: title, date and records audited."""

    title: str
    date: str
    records: int

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "date": self.date, "records": self.records}


@dataclass(frozen=True)
class Source:
    """A statement behind a bullet, traceable to its record."""

    record: int
    label: str
    text: str
    start: int
    end: int
    primary: bool = True  # False: a multi-theme statement that also supports this bullet

    def to_json(self) -> dict[str, Any]:
        return {"record": self.record, "text": self.text}


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
    # What the bullet says without its count phrase (a suggested action: its text), which
    # the review store keeps and puts the count phrase around; "" when not known.
    wording: str = ""

    def to_json(self) -> dict[str, Any]:
        """A bullet in the `draft --format json` contract (the review API adds its review
        state: status, edits, sources' ids and labels)."""
        return {
            "id": self.id,
            "text": self.text,
            "themes": list(self.themes),
            "support": list(self.support),
            "sources": [s.to_json() for s in self.sources],
            "confidence": self.confidence,
            "suggested": self.suggested,
            "impact": self.impact,
            "impact_suggested": self.impact_suggested,
        }


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
    # Each record's (redacted) text, which sources' start/end index: the review app
    # shows the whole record beside a bullet. Not part of the JSON contract.
    record_texts: dict[int, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The `draft --format json` contract (DESIGN.md), plus grades, unplaced
        statements and the findings of one record."""
        return {
            "title": self.title,
            "date": self.date,
            "context": self.context,
            "records": [{"ordinal": o, "label": label} for o, label in self.records],
            "sections": {
                section: [b.to_json() for b in self.sections.get(section, ())]
                for section in BRIEFING_SECTIONS
            },
            "grades": {grade: list(records) for grade, records in self.grades.items()},
            "unplaced": [s.to_json() for s in self.unplaced],
            "one_record": {
                section: [b.to_json() for b in bullets]
                for section, bullets in self.one_record.items()
            },
        }

    def findings(self, section: str) -> tuple[Bullet, ...]:
        """A section's findings: its bullets and those seen in one record, never a
        suggested action."""
        return tuple(
            b
            for b in (*self.sections.get(section, ()), *self.one_record.get(section, ()))
            if not b.suggested and b.support
        )

    def theme_records(self, theme: str, sections: tuple[str, ...]) -> set[int]:
        """The records with at least one finding of these sections on the theme."""
        return {
            r for s in sections for b in self.findings(s) if theme in b.themes for r in b.support
        }

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
