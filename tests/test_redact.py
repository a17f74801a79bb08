"""Redaction: recognizer hits and misses, placeholders, offsets, and the pipeline edge."""

from __future__ import annotations

import pytest

from briefing_nlp.ingest import load_audit
from briefing_nlp.redact import Placeholders, Redactor, redact_audit
from briefing_nlp.redact.patterns import find_patterns, nhs_checksum_ok

PATTERNS = Redactor(None)


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("DOB 12/03/2004", "DATE", "12/03/2004"),
        ("born 2.6.20", "DATE", "2.6.20"),
        ("seen on 3rd May 2021", "DATE", "3rd May 2021"),
        ("NHS no. 999 417 2638", "ID", "999 417 2638"),
        ("NHS 999 417 2639 (typo)", "ID", "999 417 2639"),
        ("tel 07700 900412", "PHONE", "07700 900412"),
        ("landline 0113 496 0781", "PHONE", "0113 496 0781"),
        ("lives NN5 7DX", "POSTCODE", "NN5 7DX"),
        ("email l.baines@westgate.example", "EMAIL", "l.baines@westgate.example"),
        ("Case ref 1234567", "ID", "1234567"),
        ("CareStore ref CS-448201", "ID", "CS-448201"),
        ("at 14 Larch Close", "ADDRESS", "14 Larch Close"),
        ("Flat 3, 27 Brook Street", "ADDRESS", "Flat 3, 27 Brook Street"),
        ("Mum (Sarah) agreed", "PERSON", "Sarah"),
        ("feedback to Marcia (SW)", "PERSON", "Marcia"),
        ("spoke to Mr Kowalski", "PERSON", "Kowalski"),
        ("Auditor: Bev Thornton", "PERSON", "Bev Thornton"),
    ],
)
def test_hits(text: str, kind: str, value: str) -> None:
    [entities] = PATTERNS.find([text])
    assert any(e.type == kind and e.text == value for e in entities), entities


@pytest.mark.parametrize(
    "text",
    [
        "SW and TM discussed at ICPC; IRO, HV, FNP, CAMHS, MASH, LADO and EHCP all noted",
        "Signs of Safety mapping and Graded Care Profile used; Brilliant Basics plan",
        "referral at 25/40, ICPC at 37 wks, since March, in 2019",
        "Mum and paternal gran attended; the SW visited",
        "16yo, CP plan, CIN since May",
    ],
)
def test_misses(text: str) -> None:
    assert PATTERNS.find([text]) == [[]]


def test_nhs_check_digit() -> None:
    assert nhs_checksum_ok("9994172638")
    assert not nhs_checksum_ok("9994172639")
    # A near miss (wrong check digit) is still redacted, safe by default, but with less
    # confidence than a number whose check digit holds.
    (near,) = find_patterns("ref 999 417 2639 on file")
    (valid,) = find_patterns("ref 999 417 2638 on file")
    assert near.type == valid.type == "ID" and near.text == "999 417 2639"
    assert near.score < valid.score


def test_placeholders_are_consistent_and_link_first_names() -> None:
    placeholders = Placeholders()
    assert placeholders.label("PERSON", "Chloe Bennett") == "[PERSON 1]"
    assert placeholders.label("PERSON", "Jade") == "[PERSON 2]"
    assert placeholders.label("PERSON", "Chloe") == "[PERSON 1]"
    assert placeholders.label("PERSON", "chloe bennett") == "[PERSON 1]"
    assert placeholders.label("DATE", "12/03/2004") == "[DATE]"
    assert placeholders.label("ORG", "Lindford College") == "[ORG 1]"


def test_names_found_once_are_redacted_everywhere() -> None:
    texts = [
        "Mum (Sarah) agreed the plan",
        "Sarah's views recorded; SARAH seen alone",
        "sarah is a common word here",
    ]
    results = PATTERNS.redact(texts)
    assert results[0].text == "Mum ([PERSON 1]) agreed the plan"
    assert results[1].text == "[PERSON 1]'s views recorded; [PERSON 1] seen alone"
    assert "sarah" in results[2].text  # lower case repeats are left alone


def test_offsets_map_onto_the_redacted_text() -> None:
    [result] = PATTERNS.redact(["DOB 12/03/2004, tel 07700 900412 ok"])
    assert result.text == "DOB [DATE], tel [PHONE] ok"
    assert result.map_start(0) == 0
    assert result.map_start(4) == 4 and result.map_end(14) == 10
    assert result.text[result.map_start(32) :] == " ok"


def test_redacted_audit_keeps_statements_traceable() -> None:
    audit = load_audit(
        [
            "Rec 3 - CP - Kayleigh (15) & Mum (Sarah Price)\n"
            "- DOB 12/03/2004, NHS 999 417 2638\n- chronology out of date\n"
        ]
    )
    redacted = redact_audit(audit, PATTERNS)
    record = redacted.records[0]
    assert "Sarah" not in record.source and "12/03/2004" not in record.source
    assert record.label == record.source.split("\n")[0]
    for comment in record.comments:
        assert record.source[comment.start : comment.end] == comment.text
    assert record.comments[-1].text == "chronology out of date"


def test_patterns_that_need_a_digit_find_the_same_on_digit_lines_only() -> None:
    """find_patterns skips lines without a digit (or without the character a pattern
    needs); over the PII corpus, joined into multi-line texts, it must find exactly what
    every recognizer finds scanning the whole text."""
    from briefing_nlp.pii import load_pii_corpus
    from briefing_nlp.redact.patterns import EXTRA_RECOGNIZERS, RECOGNIZERS, _after_relation
    from briefing_nlp.settings import PROJECT_ROOT

    lines = [
        e.text
        for part in ("train", "test")
        for e in load_pii_corpus(PROJECT_ROOT / "corpora" / "pii" / part)
    ]
    lines += ["Flat 2, Ivy House\n12 Oak Road", "tel\n07700 900412", "ends in 5\n", "\n\n9\n"]
    texts = ["\n".join(lines[i : i + 7]) for i in range(0, len(lines), 7)] + lines[-4:]
    hits = 0
    for text in texts:
        every = [
            e
            for recognise in (*RECOGNIZERS, *EXTRA_RECOGNIZERS, _after_relation)
            for e in recognise(text)
        ]
        assert find_patterns(text) == every, text
        hits += len(every)
    assert hits > 500  # the corpus exercises the patterns


HEADER_NOTES = "Audit 1\n- Chronology out of date for Jade.\n- Hoist delayed 5 months.\n"


def _header_audit(context: str, date: str = "March 2021"):
    return load_audit([HEADER_NOTES], title="Young parents audit", date=date, context=context)


@pytest.mark.parametrize(
    ("context", "date", "kept", "gone"),
    [
        ("Serious Case Review findings – Child Ak", "March 2021", ["Serious Case Review"], ["Ak"]),
        ("Learning Review with the Lead Practitioner", "12/03/2021", ["Lead Practitioner"], []),
        ("Rapid Review for Kayden Moore", "March 2021 (Mr T.)", ["Rapid Review"], ["Moore", "T."]),
        # a sentence's first word is not a name for being capitalised: a participle or a
        # number ("Themed audit ...", "Four auditors ...")
        (
            "Themed audit of 11 looked after children's records after the Q2 performance "
            "report showed review health assessments slipping. Four auditors (two team "
            "managers and a practice lead) audited jointly with workers where they could.",
            "March 2021",
            ["Themed audit", "Four auditors"],
            [],
        ),
    ],
)
def test_the_header_keeps_practice_words_and_says_what_was_redacted(
    context: str, date: str, kept: list[str], gone: list[str]
) -> None:
    from briefing_nlp.redact import redactor_for
    from briefing_nlp.settings import Settings

    notices: list[str] = []
    redacted = redact_audit(_header_audit(context, date), redactor_for(Settings()), notices=notices)
    header = f"{redacted.title} | {redacted.date} | {redacted.context}"
    assert redacted.title == "Young parents audit"
    for word in kept:
        assert word in header
    for word in gone:
        assert word not in header
    if gone:
        [notice] = notices
        assert all(word in notice for word in gone) and "--keep-header" in notice
    else:
        assert notices == [] and redacted.date == date  # an audit date is not personal data


@pytest.mark.parametrize(
    ("note", "name"),
    [
        ("Alfred said he is happy at school.", "Alfred"),
        ("Wilfred Jones attended the review.", "Wilfred"),
        ("Audited with SW, Mohammed seen alone and his views recorded.", "Mohammed"),
    ],
)
def test_names_ending_like_a_participle_are_still_names(note: str, name: str) -> None:
    from briefing_nlp.redact import redactor_for
    from briefing_nlp.settings import Settings

    assert name not in redactor_for(Settings()).redact([note])[0].text


@pytest.mark.parametrize(
    ("note", "kept", "gone"),
    [
        (
            "- Dylan: \"Nanny's house is my real house\". Both kids' wishes recorded well",
            "Nanny's house",
            "Dylan",
        ),
        ("Auntie Shaz has him at weekends", "Auntie", "Shaz"),
        ("Uncle Dave is the carer", "Uncle", "Dave"),
    ],
)
def test_what_a_child_calls_a_relative_is_not_a_name(note: str, kept: str, gone: str) -> None:
    from briefing_nlp.redact import redactor_for
    from briefing_nlp.settings import Settings

    text = redactor_for(Settings()).redact([note])[0].text
    assert kept in text and gone not in text


def test_keep_header_keeps_what_the_user_typed() -> None:
    from briefing_nlp.redact import redactor_for
    from briefing_nlp.settings import Settings

    audit = _header_audit("Serious Case Review findings – Child Ak", "March 2021 (Mr T.)")
    notices: list[str] = []
    redacted = redact_audit(audit, redactor_for(Settings()), keep_header=True, notices=notices)
    assert (redacted.context, redacted.date) == (audit.context, audit.date)
    assert notices == []
    assert "Jade" not in redacted.records[0].source  # the notes are still redacted


def test_draft_warns_about_a_redacted_header(tmp_path) -> None:
    from typer.testing import CliRunner

    from briefing_nlp.cli import app

    notes = tmp_path / "notes.txt"
    notes.write_text("Context: Serious Case Review – Child Ak\n\n" + HEADER_NOTES, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["draft", str(notes), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"Serious Case Review – Child [PERSON' in result.stdout
    assert result.stderr.count("\n") == 1 and "--keep-header" in result.stderr
    kept = runner.invoke(app, ["draft", str(notes), "--format", "json", "--keep-header"])
    assert "Child Ak" in kept.stdout and "--keep-header" not in kept.stderr


@pytest.mark.parametrize(
    ("line", "names", "kept"),
    [
        ("- Holly Turner 20, first baby, due in March", ["Holly", "Turner"], []),
        ("- baby's father Callum Reid (23) - known to CS", ["Callum", "Reid"], ["father"]),
        ("* Jade Smith, 16, baby 5m", ["Jade", "Smith"], ["baby"]),
        ("- Week 20, scan booked", [], ["Week 20"]),
        ("- Record 12, CP plan", [], ["Record 12"]),
        ("- Chronology 3 months out of date", [], ["Chronology 3 months"]),
    ],
)
def test_a_name_given_with_an_age_is_redacted_whole(
    line: str, names: list[str], kept: list[str]
) -> None:
    from briefing_nlp.redact import redactor_for
    from briefing_nlp.settings import Settings

    text = redactor_for(Settings()).redact([line])[0].text
    assert not [n for n in names if n in text], text
    assert all(k in text for k in kept), text


@pytest.mark.parametrize(
    ("note", "kept"),
    [
        ("Seen Kacper Nowak at home.", "Seen [PERSON 1] at home."),
        ("Visited Amara Okafor with the HV.", "Visited [PERSON 1] with the HV."),
        ("Spoke to Kacper, then saw Amara.", "Spoke to [PERSON 1], then saw [PERSON 2]."),
    ],
)
def test_the_verb_a_note_opens_with_is_not_part_of_the_name(note: str, kept: str) -> None:
    """The name model took "Seen" into "Seen Kacper Nowak"; the verb is the auditor's."""
    from briefing_nlp.redact import redactor_for
    from briefing_nlp.settings import Settings

    [result] = redactor_for(Settings()).redact([note])
    assert result.text == kept


@pytest.mark.parametrize(
    ("note", "kept", "gone"),
    [
        # Pronouns opening a sentence are never names.
        ("Leon was seen alone. She told the SW he is scared at night.", "She told", "Leon"),
        ("Reviewed with Priya Shah. We don't hear from the child anywhere.", "We don't", "Priya"),
        # A practice word typed with one slip, or shorthand for one.
        ("viabilty assesment for Aunt Rosa Feld completed in a week", "viabilty", "Feld"),
        ("Jonah's Pathawy plan written with an interpreter", "Pathawy plan", "Jonah"),
        ("viab on Grandad Tomasz Wrona done 3 days after placement", "viab on", "Wrona"),
        ("Temp approved under Reg 24 since March, carer Nell Ambrose", "Temp approved", "Ambrose"),
        # An abbreviation used as a verb.
        ("NFA'd as a parenting issue, but Kirsty Vane rang twice more", "NFA'd", "Vane"),
        # Countries, languages and training courses are the child's identity or practice.
        ("Hamid Noori arrived from Afghanistan in 2023, Dari speaker", "Afghanistan", "Noori"),
        ("Kurmanji spoken at home; Ozan Kaya has asked for an interpreter", "Kurmanji", "Kaya"),
        ("Carer Beth Lowry has done Skills to Foster", "Skills to Foster", "Lowry"),
        ("Dip sample of twelve records chosen by Ada Quill", "Dip sample", "Quill"),
        # A first name joined to a couple's full name is a name, even if it is a word.
        ("Placed with carers Carol & Steve Hartigan since 2021", "carers", "Carol"),
        ("Placed with carers Holly and Mark Dunmore since May", "carers", "Holly"),
        # ... and so is a full name joined to a first name the model found.
        ("Foster carers Margaret and Ian Fletcher, 5 Rowan Way", "carers", "Fletcher"),
        # Regions, languages, judgments named in practice and an opening verb.
        ("Yonas Tekle is from Darfur and speaks Afaan Oromo", "Darfur", "Tekle"),
        ("Southwark duties not considered for Kai Brent", "Southwark duties", "Brent"),
        ("Mum mob 07700 900412. Left home after a row, Sam Pryor says", "Left home", "Pryor"),
    ],
)
def test_practice_and_identity_words_are_kept_and_names_still_go(
    note: str, kept: str, gone: str
) -> None:
    from briefing_nlp.redact import redactor_for
    from briefing_nlp.settings import Settings

    text = redactor_for(Settings()).redact([note])[0].text
    assert kept in text and gone not in text, text


def test_no_name_in_the_personal_data_corpora_reads_as_a_mistyped_practice_word() -> None:
    """The slip rule keeps "viabilty"; it must never keep a name. Every name word in the
    personal-data corpora (training, test and hard names) is checked."""
    import re
    from pathlib import Path

    from briefing_nlp.redact.practice_terms import shipped_terms

    root = Path(__file__).resolve().parents[1] / "corpora" / "pii"
    names = {
        word
        for path in root.rglob("*.txt")
        for match in re.finditer(r"\[\[PERSON:([^\]]+)\]\]", path.read_text("utf-8"))
        for word in re.findall(r"[A-Za-z][A-Za-z'-]+", match.group(1))
    }
    assert len(names) > 1000
    terms = shipped_terms()
    assert not [name for name in names if terms.misspells(name)]
    assert terms.misspells("chronolgy") and terms.misspells("Pathawy")
