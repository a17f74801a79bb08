"""The redaction word lists, read once from the text files in `words/` beside this module.

Each file holds one lower-case word or phrase per line, with `#` comment lines saying
what the list is for, so a reviewer can read and amend a list without reading code.
"""

from __future__ import annotations

from importlib import resources

from briefing_nlp.vocabulary import PROPER_WORDS


def word_list(name: str) -> frozenset[str]:
    """The entries of `words/<name>.txt`."""
    text = (
        resources.files("briefing_nlp.redact").joinpath("words", f"{name}.txt").read_text("utf-8")
    )
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


ABBREVIATIONS = word_list("abbreviations")
OPENERS = word_list("openers")
NOTE_VERBS = word_list("note_verbs")
NOT_NAMES = word_list("not_names")
FUNCTION_WORDS = word_list("function_words")
# Practice vocabulary, roles and frameworks that are never personal data, with the
# project's proper words (the names of tools and frameworks in its vocabulary) and the
# number words.
ALLOW = PROPER_WORDS | word_list("allow") | word_list("number_words")
