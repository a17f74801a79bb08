"""Property-based tests (hypothesis) of the pipeline's invariants on generated notes.

Notes are generated the way auditors write them: record headers in several forms, list
markers, Word quotes, blank lines, findings, case facts, children's and workers' names
(different in every record) and stray punctuation. Each property runs on 200 examples.
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing_nlp.classify import StatementClassifier
from briefing_nlp.draft import draft_briefing
from briefing_nlp.ingest import load_audit, normalise_text
from briefing_nlp.redact import redact_audit, redactor_for
from briefing_nlp.render import briefing_to_json
from briefing_nlp.settings import Settings
from tests.conftest import assert_each_finding_placed_once

EXAMPLES = 200
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same 200 examples every run: CI failures reproduce locally
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

HEADERS = (
    "Audit {n} - CIN",
    "Record {n} (CP plan)",
    "AUDIT {n} \u2013 CLA",
    "Case {n}:",
    "Rec {n} - CP",
)
MARKERS = ("", "", "- ", "\u2022 ", "1. ", "a) ", "* ")
FINDINGS = (
    "chronology out of date",
    "chrono not updated since the ICPC",
    "genogram missing the paternal family",
    "supervision regular and reflective",
    "no supervision on file since March",
    "voice of the child clear throughout the assessment",
    "child seen alone at every visit",
    "SW to update the chronology",
    "TM to ensure supervision is recorded",
    "excellent direct work, will share with the team as an example",
    "good multi-agency input but chronology not updated since March",
    "core groups held 4 weekly, school and HV attend",
    "no evidence dad has been contacted",
    "audited with SW",
    "Graded good - feedback given to SW",
    "RI - feedback given to SW and TM",
    "safety plan not shared with mum",
)
FACTS = ("15yo, CIN since May", "lives with mum and two sibs", "8yo, CP plan under neglect", "")
FIRST = ("Amara", "Tomasz", "Kayden", "Hodan", "Niamh", "Oluwaseun", "Bartek", "Saoirse", "Ishaan")
LAST = ("Okonkwo", "Wiśniewska", "Fairclough", "Haddad", "McAllister", "Pemberton", "Achterberg")
NOISE = st.text(alphabet="abcdefghij ,.;:()'\"?!-/&", min_size=0, max_size=30)


@st.composite
def notes(draw: st.DrawFn) -> tuple[str, list[list[str]], list[str]]:
    """(notes text, content lines per record, the names used) with names per record distinct."""
    count = draw(st.integers(1, 6))
    people = draw(
        st.lists(
            st.tuples(st.sampled_from(FIRST), st.sampled_from(LAST)),
            min_size=count,
            max_size=count,
            unique_by=lambda p: p[0],
        )
    )
    header = draw(st.sampled_from(HEADERS))
    blocks: list[str] = []
    lines_per_record: list[list[str]] = []
    for number, (first, last) in enumerate(people, start=1):
        lines: list[str] = []
        for _ in range(draw(st.integers(0, 5))):
            kind = draw(st.sampled_from(("finding", "finding", "fact", "name", "noise")))
            if kind == "finding":
                line = draw(st.sampled_from(FINDINGS))
            elif kind == "fact":
                line = draw(st.sampled_from(FACTS))
            elif kind == "name":
                line = f"{first} {last} told the SW \u201cI feel safe at home now\u201d"
            else:
                line = draw(st.sampled_from(FINDINGS)) + draw(NOISE)
            lines.append(draw(st.sampled_from(MARKERS)) + line if line else "")
        lines_per_record.append([line for line in lines if line.strip()])
        blocks.append("\n".join([header.format(n=number), *lines]))
    separator = draw(st.sampled_from(("\n", "\n\n", "\r\n")))
    text = (
        separator.join(blocks).replace("\n", separator)
        if separator == "\r\n"
        else (separator.join(blocks))
    )
    names = [part for person in people for part in person]
    return text, lines_per_record, names


def _squash(text: str) -> str:
    return " ".join(normalise_text(text).split())


def _unmarked(line: str) -> str:
    return _squash(re.sub(r"^\s*(?:[-*\u2022]|\d+[.)]|[a-z][.)])\s+", "", normalise_text(line)))


@pytest.fixture(scope="module")
def redactor():  # type: ignore[no-untyped-def]
    return redactor_for(Settings())


@PROPERTY
@given(generated=notes())
def test_ingest_never_loses_a_non_empty_line(
    generated: tuple[str, list[list[str]], list[str]],
) -> None:
    text, lines_per_record, _ = generated
    if not any(lines_per_record):
        return  # no comments at all is refused with a message (tested elsewhere)
    audit = load_audit([text])
    assert len(audit.records) == len(lines_per_record)
    for record, lines in zip(audit.records, lines_per_record, strict=True):
        source = _squash(record.source)
        for line in lines:
            assert _unmarked(line) in source, (line, record.source)


@pytest.mark.slow  # drafts a hundred generated audits
@PROPERTY
@given(generated=notes())
def test_draft_invariants(
    generated: tuple[str, list[list[str]], list[str]],
    classifier: StatementClassifier,
    redactor,  # type: ignore[no-untyped-def]
) -> None:
    text, lines_per_record, names = generated
    if not any(lines_per_record):
        return
    briefing = draft_briefing([text], classifier=classifier)
    audit = redact_audit(load_audit([text]), redactor)
    sources = {r.ordinal: r.source for r in audit.records}
    records = set(sources)

    # Every statement's span maps back to its own record's (redacted) text.
    bullets = list(briefing.all_bullets)
    for bullet in bullets:
        assert set(bullet.support) <= records  # support is a set of real records
        for source in bullet.sources:
            assert sources[source.record][source.start : source.end] == source.text
    for statement in briefing.unplaced:
        assert sources[statement.record][statement.start : statement.end] == statement.text

    # Each non-neutral statement is in exactly one bullet or reported unplaced.
    assert_each_finding_placed_once(briefing, audit, classifier)

    # No original name reaches the output, and no placeholder crosses into another record.
    output = json.dumps(briefing_to_json(briefing), ensure_ascii=False)
    for name in names:
        assert name not in output
    for bullet in bullets:
        for source in bullet.sources:
            for placeholder in re.findall(r"\[[A-Z]+ \d+\]", source.text):
                assert placeholder in sources[source.record]

    # Same input, same models: the same draft.
    again = draft_briefing([text], classifier=classifier)
    assert json.dumps(briefing_to_json(again)) == json.dumps(briefing_to_json(briefing))
