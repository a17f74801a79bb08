"""Compose: prevalence wording with exact counts, grades, suggested actions."""

from __future__ import annotations

import pytest

from briefing_nlp.compose import bullet_text, finding_wording, parse_scale, prevalence_word
from briefing_nlp.draft import draft_briefing
from briefing_nlp.errors import ConfigError
from briefing_nlp.settings import Settings

SCALE = parse_scale(Settings().prevalence_scale)


@pytest.mark.parametrize(
    ("count", "total", "word"),
    [
        (14, 14, "all"),
        (13, 14, "almost all"),
        (11, 14, "most"),
        (10, 14, "many"),
        (7, 14, "many"),
        (6, 14, "some"),
        (3, 14, "some"),
        (2, 14, "a few"),
        (1, 14, "one"),
        (9, 10, "almost all"),
        (1, 1, "all"),
    ],
)
def test_prevalence_scale(count: int, total: int, word: str) -> None:
    assert prevalence_word(count, total, SCALE) == word


@pytest.mark.parametrize(
    ("section", "text", "count", "total", "word", "expected"),
    [
        pytest.param(
            "worry",
            "Chronologies were not kept up to date",
            11,
            14,
            "most",
            "In most records (11 of 14), chronologies were not kept up to date.",
            id="count-and-prevalence",
        ),
        pytest.param(
            "strength",
            "SOS used well",
            1,
            14,
            "one",
            "In one record (1 of 14), SOS used well.",
            id="one-record",
        ),
        pytest.param(
            "action",
            "update chronology",
            6,
            14,
            "some",
            "Update chronology (agreed in 6 of 14 records).",
            id="action",
        ),
        # Nationalities, faiths and months keep their capital; an ordinary word does not.
        # (A bullet for several records drops one record's heritage by name.)
        pytest.param(
            "strength",
            "Somali heritage and Muslim faith in the plan",
            1,
            9,
            "one",
            "In one record (1 of 9), Somali heritage and Muslim faith in the plan.",
            id="nationality-and-faith",
        ),
        pytest.param(
            "worry",
            "March review not held",
            3,
            9,
            "some",
            "In some records (3 of 9), March review not held.",
            id="month",
        ),
        pytest.param(
            "worry",
            "May need a new plan",
            1,
            9,
            "one",
            "In one record (1 of 9), may need a new plan.",
            id="may-the-verb",
        ),
        # A connective left dangling by clause splitting is dropped.
        pytest.param(
            "strength",
            "contact with dad well supported though",
            2,
            9,
            "a few",
            "In a few records (2 of 9), contact with dad well supported.",
            id="trailing-though",
        ),
        pytest.param(
            "worry",
            "but none of the actions were followed up",
            1,
            9,
            "one",
            "In one record (1 of 9), none of the actions were followed up.",
            id="leading-but",
        ),
    ],
)
def test_bullet_text(
    section: str, text: str, count: int, total: int, word: str, expected: str
) -> None:
    assert bullet_text(section, text, count, total, word) == expected


def test_bad_scale_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"should look like 'most=0\.75'"):
        parse_scale("most=lots")


NOTES = """Title: Test audit
Audit 1
- Chronology out of date
- Graded good
Audit 2
- chronology not updated since March
- Graded good
Audit 3
- No chronology on file
- Requires improvement overall
Audit 4
- Voice of the child clear
"""


def test_grades_and_suggested_actions(classifier) -> None:  # type: ignore[no-untyped-def]
    briefing = draft_briefing([NOTES], classifier=classifier)
    assert briefing.grades == {"good": (1, 2), "requires improvement": (3,)}
    assert briefing.grade_summary == (
        "2 of the 4 records were graded good; 1 was graded requires improvement"
    )
    suggested = [b for b in briefing.sections["action"] if b.suggested]
    assert [b.themes for b in suggested] == [("chronology",)]
    assert suggested[0].support == (1, 2, 3)


def test_a_grade_closing_a_paragraph_is_counted(classifier) -> None:  # type: ignore[no-untyped-def]
    notes = (
        "Audit 1\n- Grade: Good\n- chronology up to date\n"
        "Audit 2\nThe viability assessment was completed within ten days. The housing request "
        "has not been chased. A good record overall.\n"
    )
    briefing = draft_briefing([notes], classifier=classifier)
    assert briefing.grades == {"good": (1, 2)}


def test_no_suggestion_when_auditors_agreed_an_action(classifier) -> None:  # type: ignore[no-untyped-def]
    notes = NOTES + "- SW to update the chronology\n"
    briefing = draft_briefing([notes], classifier=classifier)
    assert not [b for b in briefing.sections["action"] if b.suggested]


@pytest.mark.parametrize(
    ("wording", "count", "expected"),
    [
        ("[PERSON 25]'s own needs considered", 11, "the child's own needs considered"),
        ("Partner [PERSON 3] not assessed - seen once", 8, "Partner not assessed - seen once"),
        ("Father ([PERSON 12], 22) not assessed", 2, "Father not assessed"),
        ("feedback given to [PERSON 30] (SW)", 3, "feedback given to the SW"),
        ("bruise reported on [DATE] - not followed up", 2, "bruise reported - not followed up"),
        ("no contact, tel [PHONE], with school", 2, "no contact, with school"),
        ("Action: SW to update chronology", 5, "SW to update chronology"),
        ("Actions - assess partner", 1, "assess partner"),
        ("Worry: no plan", 1, "no plan"),
        # one record's bullet keeps its detail; ordinary words are not labels
        ("[PERSON 9]'s voice missing", 1, "[PERSON 9]'s voice missing"),
        (
            "no sense of life for [PERSON 3] and [PERSON 4] at home",
            2,
            "no sense of life for the children at home",
        ),
        ("Needs chronology updating", 3, "Needs chronology updating"),
        ("Feedback given to SW", 3, "Feedback given to SW"),
        # a closing pat on the back goes; a verdict that is the finding stays
        (
            "HV did antenatal visit jointly with SW, good",
            7,
            "HV did antenatal visit jointly with SW",
        ),
        ("Joint visit with the HV - really good!", 1, "Joint visit with the HV"),
        ("Chronology, good", 3, "Chronology, good"),
        ("supervision recorded but not good", 3, "supervision recorded but not good"),
        ("midwife referral at 12 weeks - timely", 4, "midwife referral at 12 weeks - timely"),
        # one auditor's plan for sharing one record's example is not the finding
        (
            "Talking Mats used with him and his views are clear. "
            "Lovely example, share at team meeting",
            2,
            "Talking Mats used with them and their views are clear.",
        ),
        (
            "Talking Mats used with him. Lovely example, share at team meeting",
            1,
            "Talking Mats used with him. Lovely example, share at team meeting",
        ),
        ("Chronology up to date. Genogram too.", 3, "Chronology up to date. Genogram too."),
        # one record's heritage and faith by name speak for none of the others
        (
            "Polish heritage and Catholic faith included in plan",
            4,
            "heritage and faith included in plan",
        ),
        ("his Nigerian heritage is reflected", 2, "their heritage is reflected"),
        # one child's "his" or "her" speaks for none of the others
        ("short breaks meeting his needs", 5, "short breaks meeting their needs"),
        ("no observation of her recorded", 2, "no observation of them recorded"),
        ("you can hear her all the way through it", 2, "you can hear them all the way through it"),
        ("nothing from the child herself", 3, "nothing from the child themselves"),
        ("short breaks meeting his needs", 1, "short breaks meeting his needs"),
        # a titled person is an adult of the case, never "Mr the child"
        (
            "No work with Mr [PERSON 8] about his behaviour",
            2,
            "No work with the parent about their behaviour",
        ),
        ("Polish heritage included in plan", 1, "Polish heritage included in plan"),
        ("from a Polish background", 3, "from a Polish background"),
        # a closing aside about one child is that record's evidence
        (
            "Dental care and immunisations have both lapsed – she hasn't seen a dentist "
            "since 2024.",
            7,
            "Dental care and immunisations have both lapsed",
        ),
        (
            "safety plan drawn up on a joint visit by the SW and the IDVA ([PERSON 5])",
            2,
            "safety plan drawn up on a joint visit by the SW and the IDVA",
        ),
        (
            "lived experience described well in the ICPC report, she talks about looking "
            "after her brother",
            6,
            "lived experience described well in the ICPC report",
        ),
        (
            "Dental care lapsed – she hasn't seen a dentist since 2024.",
            1,
            "Dental care lapsed – she hasn't seen a dentist since 2024.",
        ),
        # one child as the subject speaks for none of the others either
        (
            "care plan reflects what she's told us about wanting to do A-levels",
            4,
            "care plan reflects what the child has told us about wanting to do A-levels",
        ),
        ("He's not been seen alone since May", 3, "The child has not been seen alone since May"),
        (
            "wishes and feelings recorded; he wants to stay with carers post 18",
            6,
            "wishes and feelings recorded; the child wants to stay with carers post 18",
        ),
        # once the child is named, "they", with the verb made to agree
        (
            "the young person told me she has never been told why she came into care",
            2,
            "the young person told me they have never been told why they came into care",
        ),
        (
            "nothing tells us how the child feels about home or what he wants",
            2,
            "nothing tells us how the child feels about home or what they want",
        ),
        # a professional or a relative could be the "she": the pronoun stays
        (
            "SW visits within timescale and she's always seen alone",
            3,
            "SW visits within timescale and she's always seen alone",
        ),
        (
            "mum said he'd threatened to take the children",
            3,
            "mum said he'd threatened to take the children",
        ),
        ("he wants to stay with carers", 1, "he wants to stay with carers"),
    ],
)
def test_finding_wording_speaks_for_the_finding(wording: str, count: int, expected: str) -> None:
    assert finding_wording(wording, count) == expected


def test_multi_record_bullets_carry_no_placeholder() -> None:
    text = bullet_text("strength", "[PERSON 2]'s views captured by [PERSON 7] (SW)", 4, 10, "some")
    assert "[" not in text
    assert text == "In some records (4 of 10), the child's views captured by the SW."


def test_a_person_is_named_by_the_role_the_notes_give_them() -> None:
    from briefing_nlp.compose import person_roles

    roles = person_roles(
        ["Partner [PERSON 3] not seen", "[PERSON 7] (SW) left", "[PERSON 3] again"]
    )
    assert roles == {"[PERSON 3]": "partner", "[PERSON 7]": "SW"}
    assert finding_wording("[PERSON 3] not assessed", 4, roles) == "the partner not assessed"
    assert finding_wording("[PERSON 9]'s views missing", 4, roles) == "the child's views missing"


def test_a_worry_carries_its_impact() -> None:
    briefing = draft_briefing(
        [
            "Audit 1\n- chronology out of date, leaving gaps in the history for the plan\n\n"
            "Audit 2\n- chronology not updated since March\n- no supervision on file\n\n"
            "Audit 3\n- supervision not recorded\n- chrono out of date\n\n"
            "Audit 4\n- IRO not consulted about the plan\n"
        ],
        settings=Settings(),
    )
    worries = {b.text: b for b in briefing.sections["worry"]}
    chronology = next(b for b in worries.values() if "chrono" in b.text.lower())
    if "leaving" in chronology.text:
        assert chronology.impact == ""  # the bullet's own wording gives the impact
    else:
        assert chronology.impact == "Gaps in the history for the plan."
    assert not chronology.impact_suggested
    supervision = next(b for b in worries.values() if "supervision" in b.text.lower())
    assert supervision.impact_suggested and supervision.impact
    # a one-record worry gets no suggested impact, as it gets no suggested action
    single = next(b for b in worries.values() if len(b.support) == 1)
    assert (single.impact, single.impact_suggested) == ("", False)


@pytest.mark.parametrize(
    ("line", "placeholder", "role"),
    [
        ("- [PERSON 4], 28, EDD [DATE], ref [ID]", "[PERSON 4]", "mum"),
        ("[PERSON 10] 31, second baby, EDD [DATE].", "[PERSON 10]", "mum"),
        ("• [PERSON 3] 17, baby [PERSON 4] 7 wks. CP plan", "[PERSON 3]", "young parent"),
        ("• [PERSON 3] 17, baby [PERSON 4] 7 wks. CP plan", "[PERSON 4]", "baby"),
        ("Rec 3 - CP - [PERSON 5] (15) & baby [PERSON 6]", "[PERSON 5]", "young parent"),
        ("- [PERSON 1], 9, ASD and severe learning disability", "[PERSON 1]", "child"),
        # A sibling is not the person's own baby, and no six-year-old is a parent.
        ("- [PERSON 9], 6, and baby brother [PERSON 10]", "[PERSON 9]", "child"),
        ("- [PERSON 9], 16, and baby sister [PERSON 10]", "[PERSON 9]", "young person"),
        ("- [PERSON 9], 11, pregnant", "[PERSON 9]", "child"),
        ("- [PERSON 46], 16y 10m, [ORG 3], ref [ID]", "[PERSON 46]", "young person"),
        ("- [PERSON 5], 14 wks old, referred by ED", "[PERSON 5]", "baby"),
        ("- [PERSON 7] and [PERSON 8], EDD [DATE]", "[PERSON 8]", "parent"),
        # A role the notes give wins over the age; numbers that are not ages say nothing.
        ("Mum [PERSON 2], 22. Dad [PERSON 2] away", "[PERSON 2]", "mum"),
        ("- saw [PERSON 6] 3 weeks ago", "[PERSON 6]", None),
        ("- [PERSON 6] 2 visits late", "[PERSON 6]", None),
    ],
)
def test_person_roles_read_ages_in_record_headers(
    line: str, placeholder: str, role: str | None
) -> None:
    from briefing_nlp.compose import person_roles

    assert person_roles([line]).get(placeholder) == role


def test_several_records_of_expectant_mothers_read_as_mum() -> None:
    from briefing_nlp.compose import finding_wording

    roles = {"[PERSON 4]": "mum"}
    text = finding_wording("DV history not explored with [PERSON 4] on her own", 4, roles)
    assert text == "DV history not explored with mum on her own"
