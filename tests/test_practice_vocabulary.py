"""Practice vocabulary survives redaction while names, hard names included, do not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from briefing_nlp.pii import load_pii_corpus, score_redaction
from briefing_nlp.redact import load_redactor, redactor_for
from briefing_nlp.redact.practice_terms import PracticeTerms, shipped_terms
from briefing_nlp.settings import PROJECT_ROOT, Settings

PII = PROJECT_ROOT / "corpora" / "pii"
PROBE = PII / "probe" / "practice-vocabulary.txt"


@pytest.fixture(scope="module")
def redactor():
    return redactor_for(Settings())


def test_probe_lines_keep_their_words(redactor) -> None:
    lines = [line for line in PROBE.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) >= 300
    found = redactor.find(lines)
    lost = [(line, [e.text for e in f]) for line, f in zip(lines, found, strict=True) if f]
    # Issue 14: no more than 1% of practice-vocabulary lines may lose a word.
    assert len(lost) <= 0.01 * len(lines), lost


def test_names_and_identifiers_still_found_on_the_test_split(redactor) -> None:
    scores = score_redaction(redactor, load_pii_corpus(PII / "test"))
    assert scores["person_recall"] >= 0.97
    assert scores["identifier_recall"] == 1.0


def test_hard_names_recall(redactor) -> None:
    # Issue 15's kinds (lower case, names that are words, initials, nicknames), written
    # apart from the training lines; 0.88 measured after retraining, 0.45 before.
    scores = score_redaction(redactor, load_pii_corpus(PII / "hard"))
    assert scores["person_recall"] >= 0.85
    assert scores["precision"] >= 0.95


@pytest.mark.parametrize(
    ("text", "span", "practice"),
    [
        ("Ruby-Rose Tait, 6, Rett syndrome, non-verbal.", "Rett", True),
        ("Rett said she was fine.", "Rett", False),
        ("Ibrahim Osman, 11, Down syndrome", "Down", True),
        ("Shared w/ SOS Lead Practitioner as good practice", "Lead Practitioner", True),
        ("HV + Children's Centre worker part of it", "Children's Centre", True),
        ("Hoist delayed 5 months", "Hoist", True),
        ("Mr Young attended", "Young", False),
        ("young people's forum", "young people's", True),
        ("Ms Partner attended", "Partner", False),
        ("SEN support in place", "SEN", True),
        ("Sen said she was worried", "Sen", False),
        ("Semi-Independent provision", "Semi-Independent", True),
        ("Grace was seen at home", "Grace", False),
    ],
)
def test_practice_terms_in_context(text: str, span: str, practice: bool) -> None:
    start = text.index(span)
    assert shipped_terms().is_practice(text, start, start + len(span)) is practice


def test_trim_takes_practice_words_off_a_name() -> None:
    text = "Partner Ryan Cole not seen; Lead Practitioner Amina Yusuf attended."
    terms = shipped_terms()
    for span, name in (
        ("Partner Ryan Cole", "Ryan Cole"),
        ("Lead Practitioner Amina Yusuf", "Amina Yusuf"),
    ):
        start = text.index(span)
        new_start, new_end = terms.trim(text, start, start + len(span))
        assert text[new_start:new_end] == name
    start = text.index("Partner")
    assert terms.trim(text, start, start + len("Partner")) == (start, start + len("Partner"))


@pytest.mark.parametrize(
    ("line", "kept", "redacted"),
    [
        ("Partner Ryan Cole not seen.", ["Partner"], ["Ryan Cole"]),
        ("Checks on Ryan completed.", ["Checks"], ["Ryan"]),
        ("CareStore ref CS-448201 for Kirsty Doyle.", ["CareStore"], ["Kirsty Doyle"]),
        ("Ms T. attended the core group.", ["core group"], ["T."]),
        ('Kayden (known as "KJ") refuses to engage.', ["refuses"], ["Kayden", "KJ"]),
        ("kayden moore said he was fine.", ["said"], ["kayden moore"]),
        ("Summer was seen at school.", ["school"], ["Summer"]),
        ("Shared with the TM; PfA refer at 14.", ["Shared", "PfA"], []),
        ("ContentHub notes are out of date.", ["ContentHub"], []),
    ],
)
def test_redaction_keeps_practice_words_and_takes_names(
    redactor, line: str, kept: list[str], redacted: list[str]
) -> None:
    [result] = redactor.redact([line])
    for word in kept:
        assert word in result.text, result.text
    for word in redacted:
        assert word not in result.text, result.text


def test_a_users_allow_list_adds_phrases(tmp_path: Path) -> None:
    allow = tmp_path / "allow.txt"
    allow.write_text("Bluebell Outreach Project\n", encoding="utf-8")
    line = "Bluebell Outreach Project worker visited Ayesha."
    load_redactor.cache_clear()
    try:
        plain = load_redactor(PROJECT_ROOT / "models" / "ner")
        extended = load_redactor(PROJECT_ROOT / "models" / "ner", allow_list=allow)
        [before] = plain.redact([line])
        [after] = extended.redact([line])
    finally:
        load_redactor.cache_clear()
    assert "Bluebell" not in before.text  # a name-like word by default
    assert after.text.startswith("Bluebell Outreach Project worker")
    assert "Ayesha" not in after.text


def test_a_term_list_reads_words_and_phrases() -> None:
    terms = PracticeTerms(["Hoist", "child protection plan", "child protection"])
    assert terms.words == frozenset({"hoist"})
    text = "Child Protection Plan agreed"
    assert terms.is_practice(text, 0, len("Child Protection Plan"))
    assert not terms.is_practice("Plan agreed", 0, 4)


def test_the_candidate_script_counts_authorities(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    for urn, extra in (("100", "Sunflower Panel"), ("200", "Sunflower Panel"), ("300", "Rook")):
        (reports / f"{urn}_somewhere.txt").write_text(
            f"Leaders in area {urn} use the Hoist Review well.\nThe {extra} met {urn} times.\n",
            encoding="utf-8",
        )
    script = PROJECT_ROOT / "scripts" / "practice_terms.py"
    done = subprocess.run(
        [sys.executable, str(script), str(reports), "--min-authorities", "2"],
        capture_output=True,
        text=True,
        check=True,
    )
    counts = dict(line.split("\t") for line in done.stdout.splitlines())
    assert counts["hoist review"] == "3"
    assert counts["sunflower panel"] == "2"
    assert "rook" not in counts and "leaders" not in counts  # one authority; sentence opener
    empty = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "nothing")], capture_output=True, text=True
    )
    assert empty.returncode == 1 and "no .txt reports" in empty.stderr


def test_shipped_list_holds_no_bare_ambiguous_names() -> None:
    # Names that are also words stay inside phrases (see the list's header).
    ambiguous = {
        "will",
        "grace",
        "hope",
        "summer",
        "faith",
        "joy",
        "amber",
        "ruby",
        "rose",
        "young",
        "white",
        "green",
        "hall",
        "ward",
        "rett",
        "down",
        "judge",
        "sky",
    }
    assert not ambiguous & shipped_terms().words
