"""Grouping: near-duplicates merge, different findings stay apart, support is records."""

from __future__ import annotations

import pytest

from briefing_nlp.classify import StatementClassifier
from briefing_nlp.group import group_findings
from briefing_nlp.segment import Statement
from briefing_nlp.settings import PROJECT_ROOT, Settings


def group(classifier: StatementClassifier, rows: list[tuple[int, str]]):  # type: ignore[no-untyped-def]
    statements = [Statement(record, text, 0, len(text)) for record, text in rows]
    classifications, matrix = classifier.classify_with_vectors([t for _, t in rows])
    return group_findings(
        statements, classifications, classifier.wording_vectors(matrix), Settings()
    )


def finding_of(findings, text):  # type: ignore[no-untyped-def]
    return next(
        f for f in findings if any(m.statement.text == text and m.primary for m in f.members)
    )


@pytest.mark.parametrize(
    ("rows", "first", "second", "supports"),
    [
        pytest.param(
            [
                (1, "Chronology out of date"),
                (2, "chrono not updated since the ICPC"),
                (3, "Chronology has not been updated since March"),
                (3, "chronology out of date again"),
                (4, "Genogram out of date"),
                (5, "genogram doesn't show dad's side of the family"),
            ],
            "Chronology out of date",
            "Genogram out of date",
            ((1, 2, 3), (4, 5)),
            id="paraphrases-merge-and-support-counts-records",
        ),
        pytest.param(
            [
                (1, "strategy meeting held the same day, police and school attended"),
                (2, "strat meeting held within 24 hours of the concern"),
                (3, "strategy discussion held promptly after the missing episode"),
                (4, "police sharing intelligence promptly with the SW"),
                (5, "police and YOT sharing information well through MACE"),
            ],
            "strat meeting held within 24 hours of the concern",
            "police sharing intelligence promptly with the SW",
            ((1, 2, 3), (4, 5)),
            id="the-subject-a-statement-opens-with-decides-between-close-findings",
        ),
    ],
)
def test_close_findings_group_apart(
    classifier: StatementClassifier,
    rows: list[tuple[int, str]],
    first: str,
    second: str,
    supports: tuple[tuple[int, ...], tuple[int, ...]],
) -> None:
    findings, unplaced = group(classifier, rows)
    one, other = finding_of(findings, first), finding_of(findings, second)
    assert one is not other
    assert (one.support, other.support) == supports
    assert not unplaced


def test_a_statement_naming_two_findings_supports_both(classifier: StatementClassifier) -> None:
    rows = [
        (1, "Chronology out of date"),
        (2, "chronology not updated since the ICPC"),
        (3, "Genogram out of date"),
        (4, "no genogram on file"),
        (5, "Chronology and genogram both out of date"),
    ]
    findings, _ = group(classifier, rows)
    assert 5 in finding_of(findings, "Chronology out of date").support
    assert 5 in finding_of(findings, "Genogram out of date").support


def test_grades_form_their_own_findings(classifier: StatementClassifier) -> None:
    rows = [
        (1, "Graded good, feedback given to SW and TM"),
        (2, "Graded good"),
        (3, "Audited with SW"),
    ]
    findings, _ = group(classifier, rows)
    assert finding_of(findings, "Graded good").support == (1, 2)


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("Grade: RI", "requires improvement"),
        ("overall requires improvment", "requires improvement"),
        ("Rated: Requires Improvement", "requires improvement"),
        ("A good record overall.", "good"),
        ("judged as inadequate", "inadequate"),
        # a verdict on one piece of practice is not the record's grade
        ("good record overall but chronology missing", ""),
        ("overall the plan is good", ""),
    ],
)
def test_grades_are_read_as_notes_write_them(text: str, grade: str) -> None:
    from briefing_nlp.grades import grade_of

    assert grade_of(text) == grade


def test_a_record_graded_in_words_joins_the_same_grade(classifier: StatementClassifier) -> None:
    rows = [(7, "Grade: Good"), (10, "A good record overall."), (12, "overall requires improvment")]
    findings, _ = group(classifier, rows)
    assert finding_of(findings, "Grade: Good").support == (7, 10)


def test_neutral_statements_are_not_findings(classifier: StatementClassifier) -> None:
    findings, unplaced = group(classifier, [(1, "16yo, CLA s20 since [DATE]")])
    assert findings == [] and unplaced == []


def test_a_subject_skips_verdicts_and_who_is_asked_to_act() -> None:
    from briefing_nlp.group import subject_of

    assert subject_of("TM to protect time for training", 2) == ("protect", "time")
    assert subject_of("RHIs late on 6 of 9 episodes", 2) == ("return", "home")
    assert subject_of("Good MA working with [PERSON 2]'s school", 2) == ("multi-agency", "working")


def test_a_bullet_for_several_records_is_worded_by_its_most_general_member() -> None:
    from briefing_nlp.group import _wording_score

    listing = "chrono to be updated, birth plan to maternity, escalate late referral to lead"
    single = "chronology to be completed before the next review"
    # For several records the finding, not one record's list of three actions...
    assert _wording_score(single, "action", several=True) > _wording_score(
        listing, "action", several=True
    )
    # ... nor its particular numbers; a placeholder's number is no particular.
    dated = "referral at 32 weeks, ICPC not until 37 weeks"
    general = "referral from midwife came late, ICPC delayed as a result"
    assert _wording_score(general, "worry", several=True) > _wording_score(
        dated, "worry", several=True
    )
    named = "DA not explored with [PERSON 22] alone"
    assert _wording_score(named, "worry", several=True) == _wording_score(
        "DA not explored with [PERSON 2] alone", "worry", several=True
    )
    # ... nor one record's aside after a dash.
    aside = "partner not assessed by the SW - seen once"
    plain = "partner not assessed by the SW at any point"
    assert _wording_score(plain, "worry", several=True) > _wording_score(
        aside, "worry", several=True
    )
    assert _wording_score(plain, "worry") == _wording_score(aside, "worry")
    # ... nor a second finding after a comma, which its own bullet states.
    two = "no pre-birth plan by 28 weeks, no discharge plan"
    one = "no pre-birth plan in place by 28 weeks"
    assert _wording_score(one, "worry", several=True) > _wording_score(two, "worry", several=True)
    # One record's bullet may keep its detail.
    assert _wording_score(listing, "action") == _wording_score(listing, "action", several=False)
    # ... nor one child's own words, nor what someone told the auditor; it is judged as
    # the bullet will read, one child's aside dropped.
    quoted = '"I miss my mother\'s bread", wants to be a mechanic'
    stated = "[PERSON 21]'s wishes and feelings are all through the notes"
    assert _wording_score(stated, "strength", several=True) > _wording_score(
        quoted, "strength", several=True
    )
    told = 'dad told me the letter "said it straight"'
    plain_told = "the letter said it straight, no jargon"
    assert _wording_score(plain_told, "strength", several=True) > _wording_score(
        told, "strength", several=True
    )
    with_aside = '[PERSON 3]\'s wishes recorded - he was "happy to say bye to his SW"'
    assert _wording_score(with_aside, "strength", several=True) == _wording_score(
        "[PERSON 3]'s wishes recorded", "strength", several=True
    )
    # A language or nationality is no name, but still one child's particular; a month
    # is as particular as a name; "that this has been" points outside the statement.
    faith = "Carer takes her to the Eritrean Orthodox church; her faith is really respected"
    assert _wording_score(faith, "strength", several=True) > _wording_score(
        "Carer takes her to the Smith Street church; her faith is really respected",
        "strength",
        several=True,
    )
    assert _wording_score(
        "An interpreter was booked for every visit and review", "strength", several=True
    ) > _wording_score("Dari interpreter booked for every visit and review", "strength", True)
    assert _wording_score("supervision not recorded for months", "worry", True) > _wording_score(
        "supervision not recorded since Oct", "worry", several=True
    )
    assert _wording_score("no emotional health referral made", "worry", True) > _wording_score(
        "no evidence that this has been raised with the GP", "worry", True
    )
    # A quoted phrase the finding is about is no one's own words.
    phrase = 'lots of "mum failing to protect" language in the conf report'
    assert _wording_score(phrase, "worry", several=True) == _wording_score(
        "lots of mum failing to protect language in the conf report", "worry", several=True
    )


def test_finding_codes_join_paraphrases_and_part_neighbours(
    classifier: StatementClassifier,
) -> None:
    """The issues' own examples: a missed dental check and an undone health assessment, a
    screening that took three days and a wait of 72 hours for a manager, are one finding
    each in few shared words; the learnt finding codes join them, where wording and vectors
    alone (no codes, their own cut) leave the delay apart. Codes also part neighbours that
    wording joins: a child's many workers is not a caseload finding."""
    assert classifier.code_model is not None

    def supports(rows: list[tuple[int, str]], coded: bool) -> set[tuple[int, ...]]:
        statements = [Statement(record, text, 0, len(text)) for record, text in rows]
        classifications, matrix = classifier.classify_with_vectors([t for _, t in rows])
        vectors = classifier.wording_vectors(matrix)
        if not coded:  # as a model trained without codes: no code columns
            vectors = (*vectors[:3], vectors[3][:, :0])
        findings, _ = group_findings(statements, classifications, vectors, Settings())
        return {f.support for f in findings}

    health = [
        (1, "dental check missed this year"),
        (2, "annual health assessment not done"),
        (3, "not attending school"),
    ]
    assert (1, 2) in supports(health, coded=True)
    delay = [
        (1, "screening took three days"),
        (2, "waited 72 hrs for a manager decision"),
        (3, "no chronology on file"),
    ]
    assert (1, 2) in supports(delay, coded=True)
    assert (1, 2) not in supports(delay, coded=False)
    workers = [
        (2, "child has had many different social workers"),
        (3, "caseloads too high for the SW"),
        (4, "SW carrying 30 cases"),
    ]
    assert supports(workers, coded=True) == {(2,), (3, 4)}
    assert (2, 3, 4) in supports(workers, coded=False)


SHARED_YOUNG_PARENTS = PROJECT_ROOT.parent / "shared" / "examples" / "young-parents" / "notes.txt"


@pytest.mark.slow
@pytest.mark.skipif(not SHARED_YOUNG_PARENTS.exists(), reason="needs ../shared/examples")
def test_a_fragment_of_one_record_gains_no_support_from_another_finding(
    classifier: StatementClassifier,
) -> None:
    """In the shared young-parents audit, "CP plan" (a header fact of record 2) took a
    second record from a pathway-plan statement through that statement's other theme and
    became a strength "In a few records (2 of 14), CP plan."; a fragment of one record
    stays one record's."""
    from briefing_nlp.draft import draft_briefing

    briefing = draft_briefing([SHARED_YOUNG_PARENTS], classifier=classifier)
    fragments = [
        b
        for bullets in (*briefing.sections.values(), *briefing.one_record.values())
        for b in bullets
        if b.text.rstrip(".").endswith("CP plan")
    ]
    assert all(len(b.support) == 1 for b in fragments), [b.text for b in fragments]


def test_different_kinds_of_one_document_are_different_findings(
    classifier: StatementClassifier,
) -> None:
    """A pre-birth plan and a discharge plan, a short breaks review and a CIN review: alike
    in words, different findings."""
    rows = [
        (1, "pre-birth plan only agreed at 33 wks"),
        (2, "No pre-birth plan until 35 wks"),
        (1, "no discharge plan shared with maternity ward"),
        (3, "No hospital discharge plan"),
        (4, "Short breaks review overdue by 5 months"),
        (5, "Short breaks not reviewed in 12 months"),
        (4, "CIN review overdue"),
        (6, "CIN review overdue"),
    ]
    findings, _ = group(classifier, rows)
    assert finding_of(findings, "No pre-birth plan until 35 wks").support == (1, 2)
    assert finding_of(findings, "No hospital discharge plan").support == (1, 3)
    assert finding_of(findings, "Short breaks not reviewed in 12 months").support == (4, 5)
    assert 5 not in finding_of(findings, "CIN review overdue").support


def test_a_document_named_in_passing_does_not_keep_statements_apart(
    classifier: StatementClassifier,
) -> None:
    """ "quoted in the care plan" is about the child's voice, not the care plan."""
    rows = [
        (1, "[PERSON 1]'s voice is strong in her pathway plan"),
        (2, "[PERSON 2]'s wishes and feelings clearly recorded, she is quoted in the care plan"),
    ]
    from briefing_nlp.group import _kinds

    assert _kinds(rows[0][1]) == set() and _kinds(rows[1][1]) == set()
    assert _kinds("no discharge plan shared with maternity") == {("plan", "birth")}
    assert _kinds("ICPC not until 37 weeks") == {("event", "conference")}


def test_a_late_referral_and_a_late_conference_are_two_findings(
    classifier: StatementClassifier,
) -> None:
    rows = [
        (1, "Referral at 32 weeks"),
        (1, "ICPC not until 37 weeks"),
        (2, "late referral from the midwife at 29 weeks"),
        (3, "Referral 27 wks"),
    ]
    findings, _ = group(classifier, rows)
    assert finding_of(findings, "Referral 27 wks").support == (1, 2, 3)
    assert finding_of(findings, "ICPC not until 37 weeks").support == (1,)


def _scipy_partition(distance, cut):
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    labels = fcluster(linkage(squareform(distance, checks=False), "average"), cut, "distance")
    return _partition(labels)


def _partition(labels):
    groups: dict[int, list[int]] = {}
    for position, label in enumerate(labels):
        groups.setdefault(int(label), []).append(position)
    return sorted(groups.values())


@pytest.mark.parametrize("seed", range(40))
def test_small_blocks_cluster_exactly_as_scipys_average_linkage(seed: int) -> None:
    """Drafting clusters an audit's sections without importing scipy.cluster; the flat
    clusters must be scipy's, on matrices shaped like grouping's: a few tight findings,
    cannot-link pairs at distance 1, repeated statements at distance 0."""
    import numpy as np

    from briefing_nlp.group import average_linkage_cut

    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 120))
    centres = rng.normal(size=(int(rng.integers(1, 12)), 8))
    points = centres[rng.integers(0, len(centres), n)] + rng.normal(scale=0.6, size=(n, 8))
    points[rng.random(n) < 0.1] = points[0]  # repeated statements
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    similarity = np.clip(points @ points.T, 0.0, 1.0)
    apart = np.triu(rng.random((n, n)) < 0.05, 1)
    similarity[apart | apart.T] = 0.0  # cannot-link pairs
    distance = 1.0 - similarity
    np.fill_diagonal(distance, 0.0)
    for cut in (0.2, 0.45, 0.6, 0.8):
        assert _partition(average_linkage_cut(distance, cut)) == _scipy_partition(distance, cut)


def test_drafting_an_audit_does_not_load_scipys_clustering() -> None:
    """Importing scipy.cluster (with scipy.spatial and scipy.special) cost every cold
    draft about 0.3 s; an audit's grouping no longer needs it."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from briefing_nlp.classify import StatementClassifier\n"
        "from briefing_nlp.draft import draft_briefing\n"
        "from briefing_nlp.group import _cluster\n"
        "import numpy as np\n"
        "_cluster(np.array([[1.0, 0.9, 0.1], [0.9, 1.0, 0.2], [0.1, 0.2, 1.0]]), 0.5)\n"
        "slow = ['scipy.cluster', 'scipy.spatial', 'scipy.special', 'scipy.sparse.csgraph']\n"
        "print(' '.join(m for m in slow if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
