"""Segmentation: one finding per statement, offsets back to the record."""

from __future__ import annotations

import pytest

from briefing_nlp.classify import StatementClassifier
from briefing_nlp.draft import _Memo
from briefing_nlp.headings import heading_section
from briefing_nlp.ingest import load_audit
from briefing_nlp.segment import split_statements

CASES = [
    (
        "good multi-agency input (FNP, HV, college) but chronology not updated since March",
        ["good multi-agency input (FNP, HV, college)", "chronology not updated since March"],
    ),
    (
        "Chronology out of date, genogram not updated since the baby was born, "
        "no supervision recorded.",
        [
            "Chronology out of date",
            "genogram not updated since the baby was born",
            "no supervision recorded.",
        ],
    ),
    ("MA good; voice clear; MO evident", ["MA good", "voice clear", "MO evident"]),
    (
        "SW did direct work (talked through at case obs) but none of it is on the system",
        ["SW did direct work (talked through at case obs) but none of it is on the system"],
    ),
    (
        "No formal supervision recorded since Feb, although SW says TM is very supportive",
        ["No formal supervision recorded since Feb, although SW says TM is very supportive"],
    ),
    # A concession that is the auditor's own opposite verdict is a finding of its own;
    # evidence ("even though ...") and a part leaning on the first ("it") are not.
    (
        "Mum not offered carers assessment though relationship with mum is good",
        ["Mum not offered carers assessment", "relationship with mum is good"],
    ),
    (
        "NRM not considered even though he was arrested in possession in June",
        ["NRM not considered even though he was arrested in possession in June"],
    ),
    (
        "Plan is clear although it has no timescales",
        ["Plan is clear although it has no timescales"],
    ),
    (
        "HV, school nurse and police all contributed to assessing her parenting",
        ["HV, school nurse and police all contributed to assessing her parenting"],
    ),
    # Kept whole as written; it is a statement for each piece of practice (see below).
    ("Chronology and genogram both out of date", ["Chronology and genogram both out of date"] * 2),
    (
        "SOS mapping not used. Action: SW to update chronology.",
        ["SOS mapping not used.", "Action: SW to update chronology."],
    ),
    # An imperative after "and" shares its subject: one action, not two.
    (
        "IRO to chase the health assessment and escalate to the TM",
        ["IRO to chase the health assessment and escalate to the TM"],
    ),
    # ... unless each verb takes its own piece of practice: two actions.
    (
        "SW to update chronology and complete GCP2",
        ["SW to update chronology", "complete GCP2"],
    ),
    (
        "no transitions plan despite being 16, no EHCP on file",
        ["no transitions plan despite being 16", "no EHCP on file"],
    ),
    (
        "invite school to next review, carers assessment for dad",
        ["invite school to next review", "carers assessment for dad"],
    ),
    # ", and ..." starts a new finding without the conjunction.
    (
        "SW to update the chronology, and add the paternal family to the genogram",
        ["SW to update the chronology", "add the paternal family to the genogram"],
    ),
    # "done but late" judges one thing.
    ("PEPs completed but late each term", ["PEPs completed but late each term"]),
    # A compound subject ("X and Y are ...") is one finding; two clauses are two.
    (
        "her Somali heritage and faith are well reflected in the plan",
        ["her Somali heritage and faith are well reflected in the plan"],
    ),
    (
        "good multi-agency input and visits are regular",
        ["good multi-agency input", "visits are regular"],
    ),
    # A list that says nothing of its items until the last one's verdict is one finding;
    # two requests, or a list with its own verdict, are not.
    (
        "school attendance, sexual health and CSE risk all considered in her own right",
        ["school attendance, sexual health and CSE risk all considered in her own right"],
    ),
    (
        "MBU staff, HV and midwife all feeding into the parenting assessment",
        ["MBU staff, HV and midwife all feeding into the parenting assessment"],
    ),
    (
        "upload direct work and TM to make sure supervision is on file",
        ["upload direct work", "TM to make sure supervision is on file"],
    ),
    # Detail after a dash that asks for nothing is not an action of its own.
    (
        "no health assessment since March - carer chasing GP",
        ["no health assessment since March - carer chasing GP"],
    ),
    # A number is a word in a list's part; a placeholder's number is not.
    ("Referral 27 wks, no pre-birth plan yet", ["Referral 27 wks", "no pre-birth plan yet"]),
    (
        "[PERSON 1]'s history and the previous care proceedings are well analysed",
        ["[PERSON 1]'s history and the previous care proceedings are well analysed"],
    ),
    # A part ending on a bare question word has lost its clause to the part before; a
    # verb with no subject of its own shares the one before "and".
    (
        "TM to review the decision and record why",
        ["TM to review the decision and record why"],
    ),
    ("GCP2 used well and informs the plan", ["GCP2 used well and informs the plan"]),
    # ... and so does a verb whose object is a pronoun for what the part before names.
    ("TM to hold supervision and record it", ["TM to hold supervision and record it"]),
    # Two-word findings, each with its own verdict about different practice, are two;
    # a bare "no ..." after a finding elaborates it.
    ("GCP2 completed, history explored", ["GCP2 completed", "history explored"]),
    ("MO good, sup overdue", ["MO good", "sup overdue"]),
    (
        "screening is cut and pasted from the contact, no analysis",
        ["screening is cut and pasted from the contact, no analysis"],
    ),
    # "and" between two objects of one preposition, or two participles after "to be".
    (
        "Excellent direct work on grooming and county lines using the toolkit",
        ["Excellent direct work on grooming and county lines using the toolkit"],
    ),
    (
        "consent to be sought and recorded going forward",
        ["consent to be sought and recorded going forward"],
    ),
    # ... but not when the right part says something of its own, or after a set phrase.
    (
        "no interpreter - HV used dad to translate on the home visit and MASH didn't pick this up",
        ["no interpreter - HV used dad to translate on the home visit", "MASH didn't pick this up"],
    ),
    ("No supervision on record and no use of SOS", ["No supervision on record", "no use of SOS"]),
    # "there is" names nothing of its own: it leans on the part before ...
    (
        "Partner's DBS was applied for but there is no result on file.",
        ["Partner's DBS was applied for but there is no result on file."],
    ),
    # ... unless after a semicolon.
    ("Plan good; there is no chronology on file", ["Plan good", "there is no chronology on file"]),
    # A request whose verb has no object shares the next one's object.
    ("TM to review and consider strat", ["TM to review and consider strat"]),
    (
        "SW to update chronology and complete genogram",
        ["SW to update chronology", "complete genogram"],
    ),
    # After ";" a judgement with the practice it judges is a finding of its own.
    (
        "chronology up to date; good direct work with him",
        ["chronology up to date", "good direct work with him"],
    ),
    ("chronology updated; good overall", ["chronology updated; good overall"]),
    # An elliptical ending borrows the verb of the part before.
    (
        "core group minutes: school attend, GP and health don't",
        ["core group minutes: school attend, GP and health don't"],
    ),
    # A list of a preposition's objects, closed by "or"/"and", is one finding.
    (
        "Nothing in the assesment about his heritage, hair and skin care or keeping him "
        "linked to dads family",
        [
            "Nothing in the assesment about his heritage, hair and skin care or keeping him "
            "linked to dads family"
        ],
    ),
    # A pronoun object in a part's first words points back at the part before.
    (
        "Contact at the family centre is well run - workers adapt it when she is unwell",
        ["Contact at the family centre is well run - workers adapt it when she is unwell"],
    ),
    (
        'matched as permanent Jan 2023 - calls it "my forever house"',
        ['matched as permanent Jan 2023 - calls it "my forever house"'],
    ),
    # A reason, reply or outcome and nothing else answers the part before.
    (
        "hasnt seen her brother since Easter, no reason on file",
        ["hasnt seen her brother since Easter, no reason on file"],
    ),
    (
        "carer has asked twice for help with his hair and skin care - no response",
        ["carer has asked twice for help with his hair and skin care - no response"],
    ),
    (
        "Gran asked twice for help with school transport; there is no response to either request",
        ["Gran asked twice for help with school transport; there is no response to either request"],
    ),
    # A bare noun phrase after "+" is a second object of the request before it; a
    # second verb, or a verdict, makes a second action or a finding.
    (
        "TM to review drift + SW's caseload in supervision",
        ["TM to review drift + SW's caseload in supervision"],
    ),
    ("SW to update chronology and complete GCP2", ["SW to update chronology", "complete GCP2"]),
    # The complement after "and" belongs to both objects of the request.
    (
        "SW to get the plan and the RA signed off by the TM",
        ["SW to get the plan and the RA signed off by the TM"],
    ),
    (
        "two extensions and no reason recorded for either",
        ["two extensions and no reason recorded for either"],
    ),
    # A verb's second object after "and": one finding; a second verdict is a second one.
    (
        "Designated teacher and VS officer have set up a mentor and revision plan for her "
        "GCSEs - exemplary joint work",
        [
            "Designated teacher and VS officer have set up a mentor and revision plan for her "
            "GCSEs - exemplary joint work"
        ],
    ),
    (
        "SW completed a genogram and chronology not updated",
        ["SW completed a genogram", "chronology not updated"],
    ),
    # Two objects of one preposition in the subject: one finding.
    (
        "contact with mum and nan is well supported, carers drive her there",
        ["contact with mum and nan is well supported, carers drive her there"],
    ),
    # ... but a finding of its own after a list still splits.
    (
        "nothing in care plan on his heritage, hair or skin care; resi staff never asked",
        ["nothing in care plan on his heritage, hair or skin care", "resi staff never asked"],
    ),
]


@pytest.mark.parametrize(("line", "expected"), CASES)
def test_split(classifier: StatementClassifier, line: str, expected: list[str]) -> None:
    audit = load_audit([f"Audit 1\n- {line}\n"])
    statements = split_statements(audit, classifier.nlp, _Memo(classifier))
    assert [s.text for s in statements] == expected


def test_header_findings_are_split_from_record_facts(classifier: StatementClassifier) -> None:
    audit = load_audit(["Audit 1 - CIN - audited with SW\n- voice clear\n"])
    texts = [s.text for s in split_statements(audit, classifier.nlp, _Memo(classifier))]
    assert texts[:2] == ["CIN", "audited with SW"]


def test_a_label_with_redacted_particulars_is_split_from_its_finding(
    classifier: StatementClassifier,
) -> None:
    """ "Auditor: [PERSON 21] [DATE] - audited side-by-side with SW": a past participle
    after a dash usually leans on the part before, but a label and placeholders are
    nothing to lean on."""
    audit = load_audit(["Audit 1\n- Auditor: [PERSON 21] [DATE] - audited side-by-side with SW\n"])
    texts = [s.text for s in split_statements(audit, classifier.nlp, _Memo(classifier))]
    assert texts == ["Auditor: [PERSON 21] [DATE]", "audited side-by-side with SW"]


@pytest.mark.parametrize(
    ("line", "worded"),
    [
        (
            "No hospital discharge plan - needs agreeing with maternity",
            "Hospital discharge plan needs agreeing with maternity",
        ),
        (
            "Partner [PERSON 9] not included in the assessment - needs to be seen.",
            "Partner [PERSON 9] needs to be seen.",
        ),
        (
            "Chrono out of date - needs updating before the ICPC",
            "Chrono needs updating before the ICPC",
        ),
    ],
)
def test_a_subjectless_request_borrows_the_subject_of_the_finding_before(
    classifier: StatementClassifier, line: str, worded: str
) -> None:
    audit = load_audit([f"Audit 1\n- {line}\n"])
    statements = split_statements(audit, classifier.nlp, _Memo(classifier))
    assert len(statements) == 2
    request = statements[1]
    # The source stays as written; only the bullet's wording borrows the subject.
    assert audit.records[0].source[request.start : request.end] == request.text
    assert request.worded == worded


def test_a_lone_request_after_a_finding_is_an_action_about_it(
    classifier: StatementClassifier,
) -> None:
    """ "Carers assessment for mum out of date (2017) - update.": a worry, and a request
    to put it right that reads with the finding's subject."""
    audit = load_audit(["Audit 1\nCarers assessment for mum out of date (2017) - update.\n"])
    statements = split_statements(audit, classifier.nlp, _Memo(classifier))
    assert [s.text for s in statements] == [
        "Carers assessment for mum out of date (2017)",
        "update.",
    ]
    assert statements[1].worded == "Update carers assessment for mum"
    # Read with its subject it is an action about the carer's assessment.
    result = classifier.classify([statements[1].worded])[0]
    assert result.section == "action"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "SW used Talking Mats with him via his eye gaze and his views are really clear. "
            "Lovely example, share at team meeting",
            [
                "SW used Talking Mats with him via his eye gaze and his views are really clear. "
                "Lovely example, share at team meeting"
            ],
        ),
        (
            "Really good use of SOS - safety plan written with her. "
            "Shared w/ SOS lead as good practice",
            [
                "Really good use of SOS - safety plan written with her. "
                "Shared w/ SOS lead as good practice"
            ],
        ),
        # Praise before the sharing is part of the marker.
        (
            "Safety plan drawn up on a joint visit with the IDVA. Worked really well - show at "
            "team meeting as an example.",
            [
                "Safety plan drawn up on a joint visit with the IDVA. Worked really well - show "
                "at team meeting as an example."
            ],
        ),
        # "should be shared" is a marker too.
        (
            "Memory box and book made with her over six sessions. Should be shared at "
            "practice week as an example",
            [
                "Memory box and book made with her over six sessions. Should be shared at "
                "practice week as an example"
            ],
        ),
        # ... and praise on its own before a dash: the marker is whole again first.
        (
            "RHA done on time at her college, she led it herself and set her own health "
            "goals. Really good - share with the CLA health team",
            [
                "RHA done on time at her college, she led it herself and set her own health "
                "goals. Really good - share with the CLA health team"
            ],
        ),
        # Praise of "a piece of work", and asking for it to be used as an example.
        (
            "SW and the child made a life story book together, explains mum's illness in a "
            "child friendly way. Lovely piece of work - share at team mtg",
            [
                "SW and the child made a life story book together, explains mum's illness in a "
                "child friendly way. Lovely piece of work - share at team mtg"
            ],
        ),
        (
            "FGC brought the whole family together - family plan for contact + respite. "
            "Really good, use as example at kinship practice forum",
            [
                "FGC brought the whole family together - family plan for contact + respite. "
                "Really good, use as example at kinship practice forum"
            ],
        ),
        # A whole sentence of praise and sharing.
        (
            "Her drawings were taken to the review conference. This is a lovely piece of work "
            "and I would like it shared across the team.",
            [
                "Her drawings were taken to the review conference. This is a lovely piece of "
                "work and I would like it shared across the team."
            ],
        ),
        # A marker on a line of its own stays where the auditor put it.
        ("Chronology up to date.\n- Lovely example", ["Chronology up to date.", "Lovely example"]),
        # An instruction to use something is not a marker.
        (
            "Chronology up to date. Use the new template for the plan.",
            ["Chronology up to date.", "Use the new template for the plan."],
        ),
        # A second finding is not a marker.
        (
            "Chronology up to date. Good work on the genogram too, with both sides of the family.",
            [
                "Chronology up to date.",
                "Good work on the genogram too, with both sides of the family.",
            ],
        ),
    ],
)
def test_a_good_practice_marker_joins_the_finding_it_singles_out(
    classifier: StatementClassifier, line: str, expected: list[str]
) -> None:
    audit = load_audit([f"Audit 1\n- {line}\n"])
    statements = split_statements(audit, classifier.nlp, _Memo(classifier))
    assert [s.text for s in statements] == expected


def test_two_actions_agreed_in_one_breath_are_two_actions(
    classifier: StatementClassifier,
) -> None:
    from briefing_nlp.draft import draft_briefing

    line = (
        "It was agreed that the SW will write to dad offering a meeting and will look at the "
        "Caring Dads programme, and that a fresh risk assessment will be done with mum."
    )
    audit = load_audit([f"Audit 1\n- {line}\n"])
    statements = split_statements(audit, classifier.nlp, _Memo(classifier))
    assert [s.worded for s in statements] == [
        "It was agreed that the SW will write to dad offering a meeting and will look at the "
        "Caring Dads programme",
        "A fresh risk assessment will be done with mum.",
    ]
    briefing = draft_briefing([f"Audit 1\n- {line}\n"], classifier=classifier)
    actions = [b.text for b in briefing.one_record.get("action", [])] + [
        b.text for b in briefing.sections["action"]
    ]
    assert any(a.startswith("A fresh risk assessment will be done") for a in actions), actions


def test_a_request_on_a_line_of_its_own_borrows_nothing(classifier: StatementClassifier) -> None:
    audit = load_audit(["Audit 1\n- No hospital discharge plan\n- needs agreeing with maternity\n"])
    statements = split_statements(audit, classifier.nlp, _Memo(classifier))
    assert [s.worded for s in statements] == [
        "No hospital discharge plan",
        "needs agreeing with maternity",
    ]


def test_offsets_map_back_to_the_record(classifier: StatementClassifier) -> None:
    notes = "Record 1 (CP)\n• Mum\u2019s views clear; chrono o/d\n  2) TM to review drift\n"
    audit = load_audit([notes])
    for statement in split_statements(audit, classifier.nlp, _Memo(classifier)):
        record = audit.records[statement.record - 1]
        assert record.source[statement.start : statement.end] == statement.text


def test_the_one_sentence_shortcut_agrees_with_the_sentencizer(
    classifier: StatementClassifier, train_texts: list[str]
) -> None:
    from briefing_nlp.segment import _one_sentence_test

    texts = [
        *train_texts,
        "done. +",
        "(see notes.)",
        "Seen alone!) Then",
        "visits ok... mostly",
        "chronology o/d?!",
        "e.g. chronology",
        "“Quoted.” she said",
    ]
    one_sentence = _one_sentence_test(classifier.nlp)
    shortcut = [t for t in texts if one_sentence(t)]
    assert len(shortcut) > len(texts) / 2  # the shortcut is the common case
    for text, doc in zip(shortcut, classifier.nlp.pipe(shortcut), strict=True):
        assert len(list(doc.sents)) == 1, text


def test_a_sentence_without_any_separator_is_left_whole(
    classifier: StatementClassifier, train_texts: list[str]
) -> None:
    """The shortcut past the per-level trials agrees with the levels themselves, and what
    it skips is really one statement (it is never given to the classifier to split)."""
    from briefing_nlp.segment import ANY_SEPARATOR, LEVELS

    texts = [*train_texts, "SW visited - and, but; then", "A & B", "x + y", "a —— b"]
    for text in texts:
        assert bool(ANY_SEPARATOR.search(text)) == any(p.search(text) for _, p in LEVELS), text
    asked: list[str] = []

    def spy(batch: list[str]) -> list:  # type: ignore[type-arg]
        asked.extend(batch)
        return _Memo(classifier)(batch)

    line = "Chronology was not updated after the strategy discussion in March"
    audit = load_audit(["## Record 1\n- " + line])
    assert [s.text for s in split_statements(audit, classifier.nlp, spy)] == [line]
    assert asked == []


@pytest.mark.parametrize(
    ("source", "statement", "expected"),
    [
        ("- Needs: chronology updated, genogram completed", "genogram completed", True),
        ("* Actions - assess dad, think about GCP2", "think about GCP2", True),
        ("Actions:\n- chronology updated\n- TM oversight\n\n- genogram good", "TM oversight", True),
        ("Actions:\n- chronology updated\n\n- genogram completed", "genogram completed", False),
        ("- chronology updated, genogram completed", "genogram completed", False),
        ("- Needs of the child well understood", "well understood", False),
        ("Actions: chase school\n- genogram completed", "genogram completed", False),
        # The nearest heading decides: strengths listed after the actions are not actions.
        (
            "Actions:\n- update genogram\nStrengths:\n- chronology up to date",
            "chronology up to date",
            False,
        ),
    ],
)
def test_action_heading_makes_its_list_actions(source: str, statement: str, expected: bool) -> None:
    assert (heading_section(source, source.index(statement)) == "action") is expected


@pytest.mark.parametrize(
    ("source", "statement", "expected"),
    [
        ("Strengths:\n- chronology up to date\n- voice clear", "voice clear", "strength"),
        ("What went well: visits in timescale; child seen alone", "child seen alone", "strength"),
        ("Even better if: chronology updated; plan SMARTer", "plan SMARTer", "worry"),
        ("Areas for development:\n- genogram\n- visits late x2", "visits late x2", "worry"),
        ("EBI - genogram to include dad", "genogram to include dad", "worry"),
        (
            "Good practice:\n- SOS mapping with the family",
            "SOS mapping with the family",
            "good_practice",
        ),
        ("Strengths:\n- voice clear\n\n- visits late", "visits late", None),
        ("- Concerns about DA not explored with mum", "not explored with mum", None),
        # A short label that is also a word of notes heads a list only with a colon.
        ("GP\n- chronology up to date", "chronology up to date", None),
        ("GP:\n- chronology up to date", "chronology up to date", "good_practice"),
    ],
)
def test_the_heading_a_statement_sits_under(
    source: str, statement: str, expected: str | None
) -> None:
    assert heading_section(source, source.index(statement)) == expected


def test_a_heading_label_is_not_part_of_the_finding(classifier: StatementClassifier) -> None:
    audit = load_audit(
        ["Audit 1\nWhat went well: visits in timescale; child seen alone\nActions: chase GP\n"]
    )
    texts = [s.text for s in split_statements(audit, classifier.nlp, _Memo(classifier))]
    assert texts == ["visits in timescale", "child seen alone", "chase GP"]


def test_each_item_of_a_list_under_an_action_heading_is_a_request(
    classifier: StatementClassifier,
) -> None:
    audit = load_audit(
        [
            "Audit 1\n- chrono o/d\n- ACTIONS: geno, DW w/ child, TM sup\n"
            "- Actions: update chrono, including dad's side\n"
        ]
    )
    texts = [s.text for s in split_statements(audit, classifier.nlp, _Memo(classifier))]
    assert texts == [
        "chrono o/d",
        "geno",
        "DW w/ child",
        "TM sup",
        "update chrono, including dad's side",
    ]


@pytest.mark.parametrize(
    ("line", "worded"),
    [
        (
            "Chronology and genogram both up to date",
            ["Chronology up to date", "Genogram up to date"],
        ),
        (
            "Chronology + genogram up to date and used in assessment",
            [
                "Chronology up to date and used in assessment",
                "Genogram up to date and used in assessment",
            ],
        ),
        ("No chrono or geno on file", ["No chrono on file", "No geno on file"]),
        (
            "Chronology, genogram and ecomap all updated after the review",
            [
                "Chronology updated after the review",
                "Genogram updated after the review",
                "Ecomap updated after the review",
            ],
        ),
        ("visits and supervision both regular", ["Visits regular", "Supervision regular"]),
        (
            "Chronology and genogram are both stale",
            ["Chronology stale", "Genogram stale"],
        ),
        # "neither" said of one piece
        (
            "Chronology and genogram are both stale - neither has been touched since the ICPC",
            [
                "Chronology stale - has not been touched since the ICPC",
                "Genogram stale - has not been touched since the ICPC",
            ],
        ),
        # A request for two pieces at once asks for each.
        (
            "SW to bring chronology and genogram up to date before the next review",
            [
                "SW to bring chronology up to date before the next review",
                "SW to bring genogram up to date before the next review",
            ],
        ),
        ("SW to update the chrono & geno", ["SW to update the chrono", "SW to update the geno"]),
        ("Mum and dad both engaged well", ["Mum and dad both engaged well"]),
        ("chrono and chronology both out of date", ["chrono and chronology both out of date"]),
        (
            "Chronology updated and shared with the family",
            ["Chronology updated and shared with the family"],
        ),
    ],
)
def test_pieces_of_practice_under_one_verdict_are_a_statement_each(
    classifier: StatementClassifier, line: str, worded: list[str]
) -> None:
    """ "Chronology and genogram both up to date" supports two findings, each counted; the
    sources stay as written."""
    audit = load_audit([f"Audit 1\n- {line}\n"])
    statements = split_statements(audit, classifier.nlp, _Memo(classifier))
    assert [s.worded for s in statements] == worded
    for statement in statements:
        assert audit.records[0].source[statement.start : statement.end] == statement.text == line


def test_sentences_cut_apart_are_put_back(classifier: StatementClassifier) -> None:
    """A question and the answer jotted after it are one finding (apart, the answer would
    be a bullet about nothing), unless the answer says something of its own; a quote is
    the speaker's whole; "Case no." is not a sentence."""
    audit = load_audit(
        [
            "Audit 1\n- kids wishes & feelings?? none recorded anywhere\n"
            "- Contingency plan? Nothing on file. Dad not seen.\n"
            "- Is there a plan? No.\n"
            "- Were school asked what they thought before closing? nothing on file to say so.\n"
            "- Does he want support to attend? No contact with dad since May and no plan.\n"
            '- She said "I miss mum. I want to go home." Voice clear.\n'
            "- Mum Kerry, Case no. 3310562. Graded RI.\n"
        ]
    )
    texts = [s.text for s in split_statements(audit, classifier.nlp, _Memo(classifier))]
    assert texts == [
        "kids wishes & feelings?? none recorded anywhere",
        "Contingency plan? Nothing on file.",
        "Dad not seen.",
        "Is there a plan? No.",
        "Were school asked what they thought before closing? nothing on file to say so.",
        "Does he want support to attend?",
        "No contact with dad since May and no plan.",
        'She said "I miss mum. I want to go home."',
        "Voice clear.",
        "Mum Kerry, Case no. 3310562.",
        "Graded RI.",
    ]


def test_words_in_quotes_are_not_split(classifier: StatementClassifier) -> None:
    audit = load_audit(
        [
            "Audit 1\n- Connor's view recorded: \"I just want to be left alone, I'll go to the"
            ' group if I have to."\n'
        ]
    )
    texts = [s.text for s in split_statements(audit, classifier.nlp, _Memo(classifier))]
    assert texts == [
        "Connor's view recorded: \"I just want to be left alone, I'll go to the group if I"
        ' have to."'
    ]
