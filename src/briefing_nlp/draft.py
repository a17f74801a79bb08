"""The drafting pipeline as one call: notes in, briefing out (used by the CLI and web app).

ingest -> segment -> classify -> group -> compose; each stage is its own module and the
classifier is loaded once per process.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from scipy import sparse

from briefing_nlp.classify import StatementClassifier
from briefing_nlp.compose import compose_briefing
from briefing_nlp.datatypes import Audit, Briefing, Classification, Statement
from briefing_nlp.grades import GRADE_SECTIONS, grade_of
from briefing_nlp.group import group_findings
from briefing_nlp.headings import HeadingIndex
from briefing_nlp.ingest import MB, load_audit
from briefing_nlp.ingest.limits import ExpansionLimits
from briefing_nlp.redact import redact_audit, redactor_for
from briefing_nlp.redact.patterns import RELATIONS
from briefing_nlp.segment import AGREED_THAT, JUDGED_RE, UNJUDGED_SECTIONS, split_statements
from briefing_nlp.settings import Settings
from briefing_nlp.taxonomy import load_taxonomy
from briefing_nlp.wording import PLACEHOLDER_RE


class _Memo:
    """Classify each distinct text once: segmentation's trial splits and the final
    statements share the work (most statements are a trial part already)."""

    def __init__(self, classifier: StatementClassifier) -> None:
        self.classifier = classifier
        self.seen: dict[str, Classification] = {}
        # Feature rows stay in the batches they were computed in; a text maps to its
        # global row number (slicing single rows out of a sparse matrix is slow).
        self.batches: list[sparse.csr_matrix] = []
        self.row_of: dict[str, int] = {}
        self._stacked: sparse.csr_matrix | None = None

    def __call__(self, texts: Sequence[str]) -> list[Classification]:
        missing = [t for t in dict.fromkeys(texts) if t not in self.seen]
        if missing:
            results, matrix = self.classifier.classify_with_vectors(missing, evidence=False)
            first = sum(b.shape[0] for b in self.batches)
            self.batches.append(sparse.csr_matrix(matrix))
            self._stacked = None
            for index, (text, result) in enumerate(zip(missing, results, strict=True)):
                self.seen[text] = _graded(result)
                self.row_of[text] = first + index
        return [self.seen[t] for t in texts]

    def with_vectors(self, texts: Sequence[str]) -> tuple[list[Classification], sparse.csr_matrix]:
        """Classifications and feature rows for `texts`, classifying only new ones."""
        labels = self(texts)
        if not texts:
            return labels, sparse.csr_matrix((0, self.classifier.feature_count))
        if self._stacked is None:
            self._stacked = sparse.vstack(self.batches, format="csr")
        return labels, self._stacked[[self.row_of[t] for t in texts]]


def _graded(result: Classification) -> Classification:
    """A recorded grade decides the section (the labelling guidelines' rule): good or
    outstanding is a strength, requires improvement or inadequate a worry, whatever
    else the line says ("Requires improvement - feedback given to SW")."""
    section = GRADE_SECTIONS.get(grade_of(result.text))
    if section is None or section == result.section:
        return result
    return replace(result, section=section)


def draft_briefing(
    notes: Sequence[Path | str],
    *,
    title: str | None = None,
    date: str | None = None,
    context: str | None = None,
    columns: dict[str, str] | None = None,
    settings: Settings | None = None,
    classifier: StatementClassifier | None = None,
    timings: dict[str, float] | None = None,
    keep_header: bool = False,
    notices: list[str] | None = None,
) -> Briefing:
    """Draft a six-step briefing from audit notes.

    Args:
        notes: files (`Path`) and/or pasted text (`str`); together they are one audit.
        title, date, context: override the notes' front matter.
        columns: spreadsheet column overrides, role -> header (e.g. {"comment": "Finding"}).
        settings: pipeline settings (defaults if None).
        classifier: a loaded classifier to reuse (loaded from settings.model_dir if None).
        timings: if given, filled with each stage's seconds (for benchmarks/scale.py).
        keep_header: keep the title, date and context as typed (not redacted).
        notices: if given, receives a line saying what redaction changed in the title,
            date or context, for the caller to show the user.

    Raises:
        InputError: the notes cannot be read or hold no comments.
        ModelError: the models cannot be loaded.
    """
    settings = settings or Settings()
    clock = _Clock(timings)
    taxonomy = load_taxonomy(settings.taxonomy_path)
    audit = load_audit(
        notes,
        title=title,
        date=date,
        context=context,
        columns=columns,
        max_bytes=int(settings.max_input_mb * MB),
        limits=ExpansionLimits.from_settings(settings),
    )
    clock.lap("ingest")
    if settings.redact:
        # Before anything else sees the text: statements, bullets and stores hold
        # placeholders only.
        audit = redact_audit(
            audit, redactor_for(settings), keep_header=keep_header, notices=notices
        )
        clock.lap("redact")
    classifier = classifier or StatementClassifier.load(settings.model_dir).for_settings(settings)
    clock.lap("load models")
    memo = _Memo(classifier)
    statements = split_statements(audit, classifier.nlp, memo)
    clock.lap("segment (with its trial classifications)")
    # A request split off a finding is read with the subject it borrows: "hospital
    # discharge plan needs agreeing with maternity", not "needs agreeing with maternity".
    classifications, vectors = memo.with_vectors([s.worded for s in statements])
    classifications = _in_context(audit, statements, classifications, memo)
    clock.lap("classify (statements not already classified as trial parts)")
    findings, unplaced = group_findings(
        statements, classifications, classifier.wording_vectors(vectors), settings
    )
    clock.lap("group")
    briefing = compose_briefing(audit, findings, unplaced, taxonomy, settings)
    clock.lap("compose")
    return briefing


# A part that judges or reports something: a negation, a past participle ("completed",
# "missed"), a state verb or an evaluative word. A part with none of these, on a line of
# actions, is one more thing asked for ("carers assmt; get EHCP from school; direct work
# with Tyrese"), not a strength.
# Under a heading, the sections a statement is moved from (see segment.HEADINGS): a
# statement under an action heading is an action whatever it says; under an improvement
# heading a bare or hoped-for state is a worry; under a strengths heading a bare topic is a
# strength; under a good-practice heading a strength is good practice.
HEADED: dict[str, tuple[str, ...]] = {
    "action": ("strength", "worry", "good_practice", "neutral"),
    "worry": ("strength", "neutral"),
    "strength": ("neutral",),
    "good_practice": ("strength",),
}
# Who is who in a case, not a finding: relations, roles and placeholders only ("Partner
# [PERSON 2].", "Mum [PERSON 3] and dad [PERSON 4]").
RELATION_WORDS_RE = re.compile(rf"\b{RELATIONS}\b|\band\b|&", re.I)


def settled(result: Classification, section: str) -> Classification:
    """A classification whose section the notes themselves settle (a heading): the
    section's score is certain and the others are nil."""
    scores = {name: float(name == section) for name in result.section_scores}
    return replace(result, section=section, section_scores=scores)


def names_only(text: str) -> bool:
    """Whether a statement only names people (linear: no nested repetition to backtrack)."""
    rest = RELATION_WORDS_RE.sub(" ", PLACEHOLDER_RE.sub(" ", text))
    return rest != text and not re.search(r"[A-Za-z0-9]", rest.replace("'s", ""))


# A record header's label: "Record 7 (CP plan)", "Audit 5 – CWD CIN". Its parts say what
# kind of case it is; "(CIN) with SW" says who the audit was done with, a finding.
HEADER_LABEL_MAX_WORDS = 3
WITH_RE = re.compile(r"\bwith\b", re.I)


def header_label(statement: Statement) -> bool:
    """Whether a header statement is only a label of the case: a few words that judge
    nothing and name no one the audit was done with."""
    text = statement.text
    return (
        statement.header
        and len(text.split()) <= HEADER_LABEL_MAX_WORDS
        and not JUDGED_RE.search(text)
        and not WITH_RE.search(text)
    )


# A standard after a finding: "..., should be 4 weekly", "... - should have been day 15".
NORM_TAIL = re.compile(
    r"[,;:(–—-]\s*(?:it\s+|they\s+|this\s+)?(?:should|must|ought to)\s+(?:be|have been)\b"
    r"(?!\s+(?:done|completed|updated|seen|held|made|recorded|reviewed|shared|sent|"
    r"agreed|offered|booked|arranged|considered|referred|assessed|invited)\b).*$",
    re.I,
)


def _shared_verdicts(
    statements: Sequence[Statement],
    classifications: list[Classification],
    classify: Callable[[Sequence[str]], list[Classification]],
) -> list[Classification]:
    """A piece of practice judged with others under one verdict ("Plan and review both
    fine", segment.distribute) takes the whole statement's section, and keeps its own
    themes: alone, "Review fine" reads as a request."""
    shared = [i for i, statement in enumerate(statements) if statement.wording]
    if not shared:
        return classifications
    out = list(classifications)
    for i, whole in zip(shared, classify([statements[i].text for i in shared]), strict=True):
        out[i] = replace(out[i], section=whole.section, section_scores=whole.section_scores)
    return out


def _in_context(
    audit: Audit,
    statements: Sequence[Statement],
    classifications: list[Classification],
    classify: Callable[[Sequence[str]], list[Classification]],
) -> list[Classification]:
    """Statements listed under an action heading are actions ("Needs: chronology updated,
    genogram completed" asks for both), and so is a part that judges nothing on a line
    whose other parts are mostly actions; a finding with the standard it falls short of
    is a worry; a recorded grade keeps its own section."""
    sources = {r.ordinal: r.source for r in audit.records}
    headings = {ordinal: HeadingIndex(source) for ordinal, source in sources.items()}
    classifications = _shared_verdicts(statements, classifications, classify)
    out = []
    for statement, result in zip(statements, classifications, strict=True):
        heading = (
            None if grade_of(result.text) else headings[statement.record].section(statement.start)
        )
        if result.section != "neutral" and (names_only(result.text) or header_label(statement)):
            # "Partner [PERSON 2].": who is who in the case, not a finding; nor is a
            # header's "(CP plan)".
            result = replace(result, section="neutral", themes=())
        elif statement.wording and AGREED_THAT.match(statement.text):
            # A second action agreed in one breath ("..., and that a fresh DASH will be done
            # with mum"): agreed, whatever its wording alone reads as.
            result = settled(result, "action")
        elif heading is not None and result.section in (heading, *HEADED.get(heading, ())):
            # The auditor's own heading settles the section: no hesitation of the model's
            # is left for the finding's confidence to weigh.
            result = settled(result, heading)
        elif result.section == "action" and (norm := NORM_TAIL.search(result.text)):
            # "core groups held 10-12 weeks apart, should be 4 weekly": the "should"
            # states the standard the finding falls short of, not a request.
            head = result.text[: norm.start()].strip()
            if head and classify([head])[0].section == "worry":
                result = replace(result, section="worry")
        out.append(result)
    lines: dict[tuple[int, int], list[int]] = {}
    for index, statement in enumerate(statements):
        source = sources[statement.record]
        lines.setdefault((statement.record, source.rfind("\n", 0, statement.start)), []).append(
            index
        )
    for members in lines.values():
        actions = sum(out[i].section == "action" for i in members)
        if actions == 0 or actions * 2 < len(members):
            continue
        for i in members:
            if (
                out[i].section in UNJUDGED_SECTIONS
                and not statements[i].header
                and not grade_of(out[i].text)
                and not names_only(out[i].text)
                and not JUDGED_RE.search(out[i].text)
            ):
                out[i] = replace(out[i], section="action")
    return out


class _Clock:
    """Seconds per stage into `timings`, when the caller asked for them."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
        self.last = now
