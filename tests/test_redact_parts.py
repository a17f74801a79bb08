"""Redaction's parts: one recognizer interface, word lists kept as data files, and a
package that loads spaCy only when a redactor is wanted."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources

from briefing_nlp.redact import Redactor, redactor_for
from briefing_nlp.redact.recognizers import (
    NameCues,
    NameModel,
    Patterns,
    Recognizer,
    UnfamiliarWords,
)
from briefing_nlp.redact.wordlists import word_list
from briefing_nlp.settings import Settings


def test_every_recognizer_answers_one_interface_in_a_fixed_order() -> None:
    redactor = redactor_for(Settings())
    kinds = [type(r) for r in redactor.recognizers]
    assert kinds == [Patterns, NameModel, UnfamiliarWords, NameCues]
    for recognizer in redactor.recognizers:
        assert isinstance(recognizer, Recognizer)
        found = recognizer.find(["Seen Kacper Nowak at home on 12/03/2024.", ""])
        assert len(found) == 2 and found[1] == []
    reasons = {e.reason for r in redactor.recognizers for e in r.find(["Seen Kacper Nowak."])[0]}
    assert "PERSON named-entity model" in reasons


def test_a_redactor_without_a_name_model_runs_patterns_and_cues_only() -> None:
    kinds = [type(r) for r in Redactor(None).recognizers]
    assert kinds == [Patterns, NameCues]


def test_word_lists_are_data_files_that_redaction_reads() -> None:
    folder = resources.files("briefing_nlp.redact").joinpath("words")
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".txt"))
    assert names == [
        "abbreviations.txt",
        "allow.txt",
        "function_words.txt",
        "not_names.txt",
        "note_verbs.txt",
        "number_words.txt",
        "openers.txt",
    ]
    for name in names:
        lines = [
            line
            for line in folder.joinpath(name).read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        ]
        assert lines == sorted(set(lines)), f"{name}: keep entries sorted and unique"
        assert all(line == line.strip().lower() for line in lines), name
        assert word_list(name.removesuffix(".txt")) == frozenset(lines)


def test_the_allow_list_file_feeds_the_redactor() -> None:
    """The lists are data: the redactor's allow-list holds the file's entries."""
    assert word_list("allow") <= Redactor(None).allow
    redactor = Redactor(None)
    assert "chronology" in redactor.allow and "makaton" in redactor.allow
    assert redactor.find(["Signs of Safety used well."]) == [[]]


def test_importing_the_redaction_package_loads_no_spacy() -> None:
    code = "import sys, briefing_nlp.redact.patterns; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_name_before_an_age_must_be_capitalised() -> None:
    """The cue words ("mum", "father") ignore case; the name does not: "ICPC on day 22"
    is a meeting and the day it was held, not "on day" aged 22."""
    from briefing_nlp.redact.name_cues import find_name_cues

    def cued(text: str) -> list[str]:
        return [e.text for e in find_name_cues(text, lambda word: False)]

    assert cued("- ICPC on day 22 - should have been day 15") == []
    assert cued("- strat on day 3, ICPC on day 20") == []
    assert cued("- Holly Turner 20, first baby") == ["Holly Turner"]
    assert cued("father Callum Reid (23)") == ["Callum Reid"]
    assert cued("MUM Jo Bloggs 30") == ["Jo Bloggs"]
