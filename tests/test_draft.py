"""End-to-end drafts of the example audits: quality floors, traceability, golden file."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
from benchmarks.packs import load_pack, score_briefing

from briefing_nlp.classify import StatementClassifier
from briefing_nlp.compose import Briefing
from briefing_nlp.draft import draft_briefing
from briefing_nlp.ingest import Audit, load_audit, normalise_text
from briefing_nlp.redact import redact_audit, redactor_for
from briefing_nlp.render import render_briefing
from briefing_nlp.settings import PROJECT_ROOT, Settings
from tests.conftest import assert_each_finding_placed_once

EXAMPLES = sorted(p.parent for p in (PROJECT_ROOT / "examples").glob("*/gold.json"))
GOLDEN = Path(__file__).parent / "golden" / "neglect-cp.md"
# Floors held on the example audits (mean over the packs), at what is reached less a
# margin: 85% of gold bullets matched (0.93 reached), and exact support counts for 67%
# of the matched ones (0.71 reached). The exact-count floor was 0.80 over the first three
# packs; front-door and cla-permanence, written so that findings recur in different
# words, hold it to 0.52 and 0.67 (issue 14 asks for 0.85: not yet met).
MIN_RECALL = 0.85
MIN_EXACT_COUNTS = 0.67
# Drafted bullets that match a gold finding: 0.83 reached since unsure findings of one
# record are listed apart (0.76 before).
MIN_PRECISION = 0.78


@pytest.fixture(scope="module")
def drafts(classifier: StatementClassifier) -> dict[str, Briefing]:
    return {
        pack.name: draft_briefing([pack / "notes.txt"], classifier=classifier) for pack in EXAMPLES
    }


def test_there_are_three_example_audits() -> None:
    assert len(EXAMPLES) >= 3
    for pack in EXAMPLES:
        assert 10 <= load_pack(pack).gold["records"] <= 16


def test_gold_bullets_are_matched(drafts: dict[str, Briefing]) -> None:
    scores = [score_briefing(drafts[p.name], load_pack(p).gold) for p in EXAMPLES]
    recall = sum(s.recall for s in scores) / len(scores)
    exact = sum(s.exact_count_rate for s in scores) / len(scores)
    assert recall >= MIN_RECALL, [s.recall for s in scores]
    assert exact >= MIN_EXACT_COUNTS, [s.exact_count_rate for s in scores]
    precision = sum(s.precision for s in scores) / len(scores)
    assert precision >= MIN_PRECISION, [s.precision for s in scores]


def _squash(text: str) -> str:
    return " ".join(normalise_text(text).split())


def redacted_audit(pack: Path) -> Audit:
    """The audit as drafting sees it: personal data already replaced."""
    return redact_audit(load_audit([pack / "notes.txt"]), redactor_for(Settings()))


@pytest.mark.parametrize("pack", EXAMPLES, ids=lambda p: p.name)
def test_sources_are_real_statements(pack: Path, drafts: dict[str, Briefing]) -> None:
    audit = redacted_audit(pack)
    records = {r.ordinal: _squash(r.source) for r in audit.records}
    for bullets in drafts[pack.name].sections.values():
        for bullet in bullets:
            assert set(bullet.support) == {s.record for s in bullet.sources} or bullet.suggested
            for source in bullet.sources:
                assert _squash(source.text) in records[source.record]


@pytest.mark.parametrize("pack", EXAMPLES, ids=lambda p: p.name)
def test_every_finding_lands_in_exactly_one_bullet(
    pack: Path, drafts: dict[str, Briefing], classifier: StatementClassifier
) -> None:
    assert_each_finding_placed_once(drafts[pack.name], redacted_audit(pack), classifier)


def test_golden_markdown_draft(drafts: dict[str, Briefing], update_golden: bool) -> None:
    text = render_briefing(drafts["neglect-cp"], "md", evidence=True)
    assert isinstance(text, str)
    if update_golden:
        GOLDEN.write_text(text, encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(
            difflib.unified_diff(expected.splitlines(True), text.splitlines(True), "golden", "now")
        )
        pytest.fail(
            "draft differs from tests/golden/neglect-cp.md; if the change is intended, run "
            f"`pytest tests/test_draft.py --update-golden` and review the diff:\n{diff[:3000]}"
        )


def test_drafting_is_deterministic(classifier: StatementClassifier) -> None:
    notes = EXAMPLES[0] / "notes.txt"
    first = render_briefing(draft_briefing([notes], classifier=classifier), "json")
    again = render_briefing(draft_briefing([notes], classifier=classifier), "json")
    assert first == again


def test_stage_timings_are_reported_when_asked(classifier: StatementClassifier) -> None:
    timings: dict[str, float] = {}
    timed = draft_briefing([EXAMPLES[0] / "notes.txt"], classifier=classifier, timings=timings)
    assert list(timings) == [
        "ingest",
        "redact",
        "load models",
        "segment (with its trial classifications)",
        "classify (statements not already classified as trial parts)",
        "group",
        "compose",
    ]
    assert all(seconds >= 0 for seconds in timings.values())
    plain = draft_briefing([EXAMPLES[0] / "notes.txt"], classifier=classifier)
    assert render_briefing(timed, "json") == render_briefing(plain, "json")


def test_bullet_text_carries_exact_counts(drafts: dict[str, Briefing]) -> None:
    for briefing in drafts.values():
        total = len(briefing.records)
        for bullets in briefing.sections.values():
            for bullet in bullets:
                if bullet.suggested:
                    continue
                count = re.search(r"\((?:agreed in )?(\d+) of (\d+)", bullet.text)
                assert count, bullet.text
                assert (int(count.group(1)), int(count.group(2))) == (len(bullet.support), total)


@pytest.mark.parametrize(
    ("line", "action", "kept"),
    [
        # Parts that judge nothing on a line of requests are requests too.
        (
            "carers assmt; get EHCP from school; direct work with him, consider Talking Mats",
            ["carers assmt", "direct work with him"],
            [],
        ),
        # ... including one that reads as a bare fact alone, in a comma list of requests.
        (
            "chrono to be updated, birth plan to maternity, escalate the late referral to "
            "the midwifery safeguarding lead",
            ["chrono to be updated", "birth plan to maternity"],
            [],
        ),
        # A part that reports or judges something keeps its section.
        (
            "dentist and optician both done; book the eye test; chase the dentist",
            [],
            ["dentist and optician both done"],
        ),
        (
            "good relationship with mum; TM to review the plan; SW to update chronology",
            [],
            ["good relationship with mum"],
        ),
    ],
)
def test_a_part_that_judges_nothing_on_a_line_of_actions_is_an_action(
    classifier: StatementClassifier, line: str, action: list[str], kept: list[str]
) -> None:
    briefing = draft_briefing([f"Audit 1 - CIN\n- {line}\n"], classifier=classifier)
    texts = {
        section: {s.text for b in bullets for s in b.sources}
        | {s.text for b in briefing.one_record.get(section, ()) for s in b.sources}
        for section, bullets in briefing.sections.items()
    }
    actions = texts.get("action", set())
    for part in action:
        assert part in actions
    for part in kept:
        assert part not in actions


@pytest.mark.parametrize(
    ("line", "section"),
    [
        ("core groups held 10-12 weeks apart, should be 4 weekly", "worry"),
        ("ICPC on day 22 - should have been day 15", "worry"),
        # A request stays a request.
        ("genogram out of date - should be updated before the RCPC", None),
    ],
)
def test_a_finding_with_the_standard_it_misses_is_a_worry(
    classifier: StatementClassifier, line: str, section: str | None
) -> None:
    briefing = draft_briefing([f"Audit 1 - CP\n- {line}\n"], classifier=classifier)
    sections = {
        name
        for part in (briefing.sections, briefing.one_record)
        for name, bullets in part.items()
        for b in bullets
        if any(line.startswith(s.text) or s.text.startswith(line[:20]) for s in b.sources)
    }
    if section is not None:
        assert sections == {section}
    else:
        assert "action" in sections


def test_headings_in_the_notes_decide_bare_and_hoped_for_items(
    classifier: StatementClassifier,
) -> None:
    notes = (
        "Audit 1 - CP\n"
        "What went well: visits in timescale; child seen alone\n"
        "Even better if: chronology updated; plan SMARTer\n"
        "Actions: chronology to be updated by SW\n"
    )
    briefing = draft_briefing([notes], classifier=classifier)
    section_of = _section_of(briefing)
    assert section_of["chronology updated"] == "worry"
    assert section_of["plan SMARTer"] == "worry"
    assert section_of["visits in timescale"] == "strength"
    # The heading's words are practice vocabulary, not a name.
    assert "[PERSON" not in " ".join(section_of)


def test_a_spreadsheet_with_a_column_per_section_drafts_by_its_headings(
    classifier: StatementClassifier, tmp_path: Path
) -> None:
    path = tmp_path / "audit.csv"
    path.write_text(
        "Record,What went well,Even better if,Actions\n"
        '1,"Chronology up to date; good direct work with him",Plan SMARTer,Update the plan\n'
        "2,Voice of child clear,Chronology updated,Update chronology\n",
        encoding="utf-8",
    )
    briefing = draft_briefing([path], classifier=classifier)
    section_of = _section_of(briefing)
    assert section_of["Chronology up to date"] == "strength"
    assert section_of["good direct work with him"] == "strength"
    assert section_of["Chronology updated"] == "worry"
    assert section_of["Update chronology"] == "action"


def test_a_statement_that_only_names_people_is_no_finding(classifier: StatementClassifier) -> None:
    """ "Partner Ryan Cole." on a record's first line says who is who; redacted to
    "Partner [PERSON 2]." it had read as an action ("partner with ...")."""
    notes = (
        "Audit 1 - CP\n- Sophie Walsh (24), EDD 14/02/21. Partner Ryan Cole.\n"
        "- chrono out of date\n"
    )
    briefing = draft_briefing([notes], classifier=classifier)
    texts = [s.text for b in briefing.all_bullets for s in b.sources]
    assert not [t for t in texts if t.startswith("Partner")]
    assert "chrono out of date" in texts


def _section_of(briefing: Briefing) -> dict[str, str]:
    """Each source statement's section, in the briefing or its one-record lists."""
    return {
        s.text: name
        for part in (briefing.sections, briefing.one_record)
        for name, bullets in part.items()
        for b in bullets
        for s in b.sources
    }


def test_a_header_label_is_no_finding(classifier: StatementClassifier) -> None:
    notes = (
        "Record 7 (CP plan)\n- chronology out of date\n\n"
        "Record 8 (CIN) with SW\n- chronology not updated since March\n"
    )
    briefing = draft_briefing([notes], classifier=classifier)
    findings = [
        s.text
        for bullets in (*briefing.sections.values(), *briefing.one_record.values())
        for b in bullets
        for s in b.sources
    ]
    assert "CP plan" not in findings
    # A header part that says who the audit was done with is still a finding.
    assert any("with SW" in text for text in findings)


def test_requests_under_an_action_heading_reach_the_briefing(
    classifier: StatementClassifier,
) -> None:
    """The heading settles the section, so a terse request of one record is not set
    aside as unsure ("see dad", "chrono" under "ACTIONS:"), and a one-word request that
    names practice is a finding, unlike "done."."""
    notes = (
        "Audit 1\n- chrono o/d\n- dad not seen since ICPC\n- ACTIONS: update chrono, see dad\n\n"
        "Audit 2\n- chrono not started\n- ACTIONS: chrono\n"
    )
    briefing = draft_briefing([notes], classifier=classifier)
    actions = {s.text: b.support for b in briefing.sections["action"] for s in b.sources}
    assert actions["see dad"] == (1,)
    assert actions["chrono"] == actions["update chrono"] == (1, 2)


SHARED_EXAMPLES = sorted(
    p.parent for p in (PROJECT_ROOT.parent / "shared" / "examples").glob("*/gold.json")
)


@pytest.mark.slow
@pytest.mark.skipif(not SHARED_EXAMPLES, reason="the shared development audits are not here")
def test_the_shared_development_audits_meet_issue_14s_figures(
    classifier: StatementClassifier,
) -> None:
    """Issue 14 on the three shared audits: bullet recall >= 0.95, precision >= 0.75 and
    exact counts >= 0.85, pooled as `../shared/tools/score.py draft` pools them (measured
    0.973, 0.820 and 0.877, 7 December 2026; `benchmarks.packs` matches as it does)."""
    scores = [
        score_briefing(
            draft_briefing([pack / "notes.txt"], classifier=classifier), load_pack(pack).gold
        )
        for pack in SHARED_EXAMPLES
    ]
    gold_bullets = sum(s.gold_bullets for s in scores)
    matched = sum(s.matched for s in scores)
    drafted = sum(s.drafted_bullets for s in scores)
    exact = sum(s.exact_sets for s in scores)
    assert matched / gold_bullets >= 0.95
    assert matched / drafted >= 0.75
    assert exact / matched >= 0.85


def test_a_piece_judged_with_others_takes_the_whole_statements_section(
    classifier: StatementClassifier,
) -> None:
    """ "CP plan and review both good": alone, "Review good" could read as a request; the
    verdict is the whole statement's."""
    from briefing_nlp.draft import _in_context, _Memo
    from briefing_nlp.segment import split_statements

    audit = load_audit(["Audit 1\n- CP plan and review both good\n"])
    memo = _Memo(classifier)
    statements = split_statements(audit, classifier.nlp, memo)
    labels = _in_context(audit, statements, memo([s.worded for s in statements]), memo)
    whole = memo([statements[0].text])[0]
    assert [s.worded for s in statements] == ["CP plan good", "Review good"]
    assert [label.section for label in labels] == [whole.section] * 2 == ["strength"] * 2


def test_the_issues_three_record_audit_meets_as_one_finding_each(
    classifier: StatementClassifier, tmp_path: Path
) -> None:
    """Issue 13's own audit: a missed dental check meets an undone health assessment; a
    child's many social workers meets "frequent changes of worker" (a worry, where the
    corpus taught it as a strength, "a thing of the past") and "new social worker again,
    third this year"."""
    notes = (
        "Title: Issue audit\nDate: December 2026\n\n"
        "Record 1\n- dental check missed this year\n"
        "- child has had many different social workers\n\n"
        "Record 2\n- annual health assessment not done\n- frequent changes of worker\n\n"
        "Record 3\n- new social worker again, third this year\n- dental check overdue\n"
    )
    path = tmp_path / "notes.txt"
    path.write_text(notes, encoding="utf-8")
    briefing = draft_briefing([path], classifier=classifier)
    worries = {tuple(b.support) for b in briefing.sections["worry"]}
    assert worries == {(1, 2, 3)}, [(b.support, b.text) for b in briefing.sections["worry"]]
    assert len(briefing.sections["worry"]) == 2
    assert not briefing.sections["strength"]
    assert all(b.suggested for b in briefing.sections["action"])  # none from the notes
