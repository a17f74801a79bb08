"""Hand-picked hard statements the shipped model must get right (section + a key theme).

Written for this test, not taken from the corpus: negation, hedges, double negatives,
"no concerns", abbreviations, typos, placeholders and multi-theme statements.
"""

from __future__ import annotations

import pytest

from briefing_nlp.classify import StatementClassifier

# (statement, expected section, themes that must all be predicted)
HARD_CASES: list[tuple[str, str, tuple[str, ...]]] = [
    # negation
    ("No evidence of supervision on the child's file", "worry", ("supervision",)),
    (
        "There was no evidence that management had reviewed the plan",
        "worry",
        ("management_oversight",),
    ),
    ("Child's voice is not evident in the plan", "worry", ("voice_of_child",)),
    ("School was not invited to the CIN review", "worry", ("multi_agency",)),
    ("Father not assessed despite living in the home", "worry", ("family_engagement",)),
    (
        "Interpreter wasn't used for visits - older sibling translating",
        "worry",
        ("identity_diversity",),
    ),
    ("SOS mapping not used", "worry", ("practice_model",)),
    # double negatives and "no concerns"
    ("No concerns about the quality of supervision", "strength", ("supervision",)),
    (
        "No concerns about engagement with mum, relationship is positive",
        "strength",
        ("family_engagement",),
    ),
    ("No drift evident in the plan", "strength", ("planning",)),
    ("No gaps in the chronology", "strength", ("chronology",)),
    # hedges
    ("Supervision is not consistently recorded", "worry", ("supervision",)),
    ("Visits mostly within timescale", "strength", ("visits_timeliness",)),
    ("Not all visits were recorded and in most cases the notes were late", "worry", ("recording",)),
    ("Management oversight only partly evident", "worry", ("management_oversight",)),
    # abbreviations and jottings
    ("chrono o/d", "worry", ("chronology",)),
    ("TM to ensure supervision is recorded on the system", "action", ("supervision",)),
    ("Strat discussion needed re new disclosure", "action", ("risk_safeguarding",)),
    ("CP visits not within 10 working days on three occasions", "worry", ("visits_timeliness",)),
    ("ICPC held late - 25 working days after the strat", "worry", ("visits_timeliness",)),
    (
        "Good MA working - HV, school and CAMHS all attend core groups",
        "strength",
        ("multi_agency",),
    ),
    ("EHCP not on file and PEP out of date", "worry", ("child_needs",)),
    ("audited with SW", "strength", ("workforce_learning",)),
    ("16yo, CLA s20 since [DATE], lives in semi-independent", "neutral", ()),
    ("Audited with TM as SW on sick leave", "neutral", ()),
    # typos
    ("chronolgy not updated since the ICPC", "worry", ("chronology",)),
    ("genogarm missing dad's side of the family", "worry", ("genogram",)),
    ("superivsion notes are reflective and set clear actions", "strength", ("supervision",)),
    ("assesment is descriptive with little analysis", "worry", ("assessment",)),
    # actions
    ("SW to update the chronology and genogram", "action", ("chronology", "genogram")),
    ("Invite school to next review", "action", ("multi_agency",)),
    ("Needs chronology updating", "action", ("chronology",)),
    ("Ensure all records have an up to date genogram", "action", ("genogram",)),
    # strengths and good practice
    ("Chronology is up to date and analysed", "strength", ("chronology",)),
    ("Voice of the child clear throughout, direct quotes used", "strength", ("voice_of_child",)),
    ("TM oversight evident at every key decision", "strength", ("management_oversight",)),
    (
        "Cultural and religious identity well considered in the care plan",
        "strength",
        ("identity_diversity",),
    ),
    ("CIN plan SMART and reviewed regularly", "strength", ("planning",)),
    ("Parenting assessment thorough and well analysed", "strength", ("assessment",)),
    ("Case recording is up to date and written to the child", "strength", ("recording",)),
    ("Graded good, feedback given to SW and TM", "strength", ("workforce_learning",)),
    (
        "[CHILD A]'s own needs considered separately from her role as a parent",
        "strength",
        ("child_needs",),
    ),
    (
        "Excellent SOS mapping with the family - will be shared with the SOS lead as an example",
        "good_practice",
        ("practice_model",),
    ),
    (
        "Lovely life story work - to be shared at the team meeting as good practice",
        "good_practice",
        ("direct_work",),
    ),
    # several themes
    ("Chronology and genogram both out of date", "worry", ("chronology", "genogram")),
    ("Risk of CSE not explored despite missing episodes", "worry", ("risk_safeguarding",)),
    (
        "No DW on file although SW describes lots of sessions with [CHILD A]",
        "worry",
        ("direct_work",),
    ),
    (
        "Practice champion has not been able to attend training due to caseload",
        "worry",
        ("workforce_learning",),
    ),
]


def test_there_are_at_least_forty_cases() -> None:
    assert len(HARD_CASES) >= 40


@pytest.mark.parametrize(("text", "section", "themes"), HARD_CASES)
def test_hard_case(
    classifier: StatementClassifier, text: str, section: str, themes: tuple[str, ...]
) -> None:
    [result] = classifier.classify([text])
    assert result.section == section, result.section_scores
    assert set(themes) <= set(result.themes), result.theme_scores
    if section == "neutral":
        assert result.themes == ()
