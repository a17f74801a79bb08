"""Turn findings into the briefing's bullets: prevalence wording, grades, suggested actions.

Prevalence follows a configurable scale (all; almost all ≥ 90%; most ≥ 75%; many ≥ 50%;
some ≥ 20%; a few; one) and always carries the exact count ("In most records (11 of 14),
..."). A recurring worry that no auditor action covers gets the theme's template action,
marked `suggested`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# The briefing's types and its wording live in spaCy-free modules (the store and the
# renderers read them); they are re-exported here, where drafting has always found them.
from briefing_nlp.datatypes import Audit, Briefing, Bullet, Finding, Source, Statement
from briefing_nlp.grades import SENTENCE_END, grade_of
from briefing_nlp.settings import Settings
from briefing_nlp.taxonomy import BRIEFING_SECTIONS, Taxonomy
from briefing_nlp.wording import (
    bullet_text,
    bullet_wording,
    capitalise,
    finding_wording,
    parse_scale,
    person_roles,
    prevalence_word,
)

__all__ = [
    "Briefing",
    "Bullet",
    "Source",
    "bullet_text",
    "compose_briefing",
    "finding_wording",
    "parse_scale",
    "person_roles",
    "prevalence_word",
    "worry_impact",
]

# Where auditors say what a shortfall means: "..., leaving very little time for the
# assessment", "... - the impact is that mum's needs are missed".
IMPACT_RE = re.compile(
    r"(?:[,;:]|\s[-–—])\s*(?:leaving|which means|meaning(?: that)?|so that|with the result that|"
    r"as a result,?|the impact (?:of this )?(?:is|was|being)(?: that)?|impact(?: of this)?:|"
    r"this means(?: that)?)\s+(?P<impact>[^;]+)$",
    re.I,
)


def worry_impact(
    finding: Finding, taxonomy: Taxonomy, roles: dict[str, str] | None = None
) -> tuple[str, bool]:
    """A worry's impact and whether it is suggested: the auditors' own impact words in its
    wording or another member, else its main theme's template (empty if it has none)."""
    count = len(finding.support)
    texts = [finding.representative] + [
        m.statement.text
        for m in finding.members
        if m.primary and m.statement.text != finding.representative
    ]
    for number, text in enumerate(texts):
        match = IMPACT_RE.search(text)
        if match and len(match.group("impact").split()) >= 3:
            if number == 0:
                return "", False  # the bullet's own wording says it already
            words = finding_wording(match.group("impact"), count, roles).rstrip(" .;,")
            return capitalise(words) + ".", False
    if count < 2 or grade_of(finding.representative):
        return "", False  # like suggested actions: for recurring worries, not grade lines
    theme = finding.themes[0] if finding.themes else ""
    if theme in taxonomy.slugs and taxonomy.get(theme).impact:
        return capitalise(taxonomy.get(theme).impact), True
    return "", False


def compose_briefing(
    audit: Audit,
    findings: Sequence[Finding],
    unplaced: Sequence[Statement],
    taxonomy: Taxonomy,
    settings: Settings,
) -> Briefing:
    """The briefing's sections from grouped findings."""
    scale = parse_scale(settings.prevalence_scale)
    total = len(audit.records)
    labels = {r.ordinal: r.label for r in audit.records}
    roles = person_roles([r.source for r in audit.records])
    sections: dict[str, list[Bullet]] = {s: [] for s in BRIEFING_SECTIONS}
    aside: dict[str, list[Bullet]] = {s: [] for s in BRIEFING_SECTIONS}
    for finding in findings:
        count = len(finding.support)
        word = prevalence_word(count, total, scale)
        # Gold briefings keep a one-record finding when it is clearly one (a delay, a
        # piece of good practice); the unsure ones are mostly fragments ("carers assmt",
        # "Consider strat") and details split off a finding (benchmarks/RESULTS.md).
        set_aside = count == 1 and finding.confidence < settings.one_record_min_confidence
        bullets = (aside if set_aside else sections)[finding.section]
        sources = tuple(
            Source(
                m.statement.record,
                labels[m.statement.record],
                m.statement.text,
                m.statement.start,
                m.statement.end,
                m.primary,
            )
            for m in sorted(finding.members, key=lambda m: (m.statement.record, m.statement.start))
        )
        impact, impact_suggested = (
            worry_impact(finding, taxonomy, roles) if finding.section == "worry" else ("", False)
        )
        bullets.append(
            Bullet(
                id=f"{finding.section}-{'one-' if set_aside else ''}{len(bullets) + 1}",
                section=finding.section,
                text=bullet_text(
                    finding.section, finding.representative, count, total, word, roles
                ),
                themes=finding.themes,
                support=finding.support,
                sources=sources,
                confidence=finding.confidence,
                prevalence=word,
                impact=impact,
                impact_suggested=impact_suggested,
                wording=bullet_wording(finding.section, finding.representative, count, roles),
            )
        )
    if settings.suggest_actions:
        sections["action"].extend(_suggested_actions(sections, taxonomy, total))
    return Briefing(
        title=audit.title,
        date=audit.date,
        context=audit.context,
        records=tuple((r.ordinal, r.label) for r in audit.records),
        sections={s: tuple(b) for s, b in sections.items()},
        grades=_grades(audit),
        unplaced=tuple(
            Source(s.record, labels[s.record], s.text, s.start, s.end) for s in unplaced
        ),
        one_record={s: tuple(b) for s, b in aside.items() if b},
        record_texts={r.ordinal: r.source for r in audit.records},
    )


def _suggested_actions(
    sections: dict[str, list[Bullet]], taxonomy: Taxonomy, total: int
) -> list[Bullet]:
    covered = {t for bullet in sections["action"] for t in bullet.themes}
    suggested: list[Bullet] = []
    for worry in sections["worry"]:
        if len(worry.support) < 2 or worry.themes[0] in covered:
            continue
        if set(worry.themes) & covered:
            continue
        theme = taxonomy.get(worry.themes[0]) if worry.themes[0] in taxonomy.slugs else None
        if theme is None:
            continue
        covered.add(theme.slug)
        suggested.append(
            Bullet(
                id=f"action-suggested-{len(suggested) + 1}",
                section="action",
                text=theme.action,
                themes=(theme.slug,),
                support=worry.support,
                sources=(),
                confidence=worry.confidence,
                suggested=True,
                prevalence=worry.prevalence,
                wording=theme.action,
            )
        )
    return suggested


def _grades(audit: Audit) -> dict[str, tuple[int, ...]]:
    found: dict[int, str] = {}
    for record in audit.records:
        # A spreadsheet's grade column arrives as a "Graded ..." comment (see ingest.tables).
        for comment in record.comments:
            # Sentence by sentence: "... has not been chased. A good record overall."
            grade = next(
                (g for sentence in SENTENCE_END.split(comment.text) if (g := grade_of(sentence))),
                "",
            )
            if grade:
                found[record.ordinal] = grade
                break
    grades: dict[str, list[int]] = {}
    for ordinal, grade in sorted(found.items()):
        grades.setdefault(grade, []).append(ordinal)
    return {grade: tuple(records) for grade, records in grades.items()}
