"""Names the wording around them gives away, where the NER model is weakest: an initial
after a title ("Ms T."), a nickname after "known as" or in quotes, a name followed by an
age ("Holly Turner 20,"), and a lower-case name
("kayden moore said") that is no English, practice or corpus word.

Each rule returns PERSON entities; the redactor still drops any that are practice terms.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from briefing_nlp.recognizers import Entity

# The title stays in the span: a lone initial is too short to redact by itself.
TITLE_INITIAL_RE = re.compile(
    r"\b((?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z](?:\.\s?[A-Z])*\.?)(?![\w'’])"
)
_QUOTE = "\"'“”‘’"
NICKNAME_RE = re.compile(
    r"\b(?:known as|also known as|aka|a\.k\.a\.?|nicknamed|goes by|(?:likes|prefers|wants)"
    r" to be called|calls? (?:him|her|them)(?:self|selves)?|called)\s+"
    rf"(?:[{_QUOTE}]([A-Za-z][\w'’-]*(?: [A-Z][\w'’-]*)?)[{_QUOTE}]"
    r"|([A-Z][\w'’-]*(?: [A-Z][\w'’-]*)?))"
)
# A quoted word in brackets straight after a word: `Theodora ("Teddy")`.
BRACKET_NICKNAME_RE = re.compile(rf"\w\s*\(\s*[{_QUOTE}]([A-Z][\w'’-]*)[{_QUOTE}]\s*\)")
LOWER_RE = re.compile(r"(?<![\w\[@./'’-])[a-z][a-z'’-]*[a-z](?![\w@])")
# Words around a lower-case name in notes: a relative or visit before it, a verb of
# speaking or being seen after it.
BEFORE_RE = re.compile(
    r"(?:\b(?:mum|dad|nan|gran|baby|sister|brother|son|daughter|partner|boyfriend|girlfriend|"
    r"child|met|saw|seen|visited|visit to|spoke to|spoke with|with|and|to)\s*\(?\s*|^\W*)$",
    re.IGNORECASE,
)
AFTER_RE = re.compile(
    r"^\s*(?:['’]s\b|\)|and\b|said\b|says\b|told\b|tells\b|was\b|is\b|has\b|had\b|wants\b|"
    r"not seen\b|were seen\b|attends\b|disclosed\b|declined\b|refused\b)",
    re.IGNORECASE,
)
# A name opening a line, or after a relative, followed by an age ("Holly Turner 20, first
# baby", "father Callum Reid (23)"): notes introduce a person this way, and a name made
# of English words ("Holly", "Turner") can slip past the model.
NAME_AGE_RE = re.compile(
    r"(?:^[ \t]*(?:[-*•·]|\d{1,2}[.)])?[ \t]*|\b(?:mum|mother|dad|father|partner|boyfriend|"
    r"girlfriend|baby|son|daughter|sister|brother|nan|gran|aunt|uncle|carer)[ \t]+)"
    r"([A-Z][a-z'’-]+(?:[ ][A-Z][a-z'’-]+){0,2})"
    r"(?=[ \t]*(?:,[ \t]*|[ \t]\(?|\()[ \t]*\d{1,2}[ \t]*(?:\)|yrs?\b|years?\b|yo\b|y/o\b|"
    r"m\b|mths?\b|months?\b)?[ \t]*(?:[,;:)\-–—]|$))",
    re.MULTILINE | re.IGNORECASE,
)
NOT_NAMES = frozenset(
    """record records rec audit audits case cases file visit visits week weeks day days
    month months year years age aged page level stage step grade section room flat house
    ward bed group cohort table chapter question item appendix part phase tier band session
    module unit number no school class sibling siblings child children baby twins""".split()
)
# Lower-case words with English endings are misspelt or rare words, not names.
ENGLISH_ENDING_RE = re.compile(r"(?:ing|ed|ly|ment|able|ible|tion|sion|ness|ised|ized|ful|less)$")


def find_name_cues(text: str, unfamiliar: Callable[[str], bool]) -> list[Entity]:
    """PERSON entities the wording around a name gives away.

    Args:
        text: the text to read.
        unfamiliar: whether a lower-case word is no English, practice or corpus word.
    """
    found = [
        _person(text, m.start(1), m.end(1), "initial after a title")
        for m in TITLE_INITIAL_RE.finditer(text)
    ]
    for match in NICKNAME_RE.finditer(text):
        group = 1 if match.group(1) else 2
        found.append(_person(text, match.start(group), match.end(group), "nickname cue"))
    found.extend(
        _person(text, m.start(1), m.end(1), "quoted nickname in brackets")
        for m in BRACKET_NICKNAME_RE.finditer(text)
    )
    for match in NAME_AGE_RE.finditer(text):
        name = match.group(1)
        if name.split()[0].lower() in NOT_NAMES or not name[:1].isupper():
            continue
        found.append(_person(text, match.start(1), match.end(1), "name followed by an age"))
    found.extend(_lower_case_names(text, unfamiliar))
    return found


def _lower_case_names(text: str, unfamiliar: Callable[[str], bool]) -> list[Entity]:
    out = []
    words = list(LOWER_RE.finditer(text))
    for index, word in enumerate(words):
        value = word.group(0)
        if ENGLISH_ENDING_RE.search(value) or not unfamiliar(value):
            continue
        start, end = word.span()
        following = words[index + 1] if index + 1 < len(words) else None
        # "kayden moore said": a surname that is also a word, between the name and a verb.
        if (
            following is not None
            and text[end : following.start()] == " "
            and AFTER_RE.match(text[following.end() :])
            and not AFTER_RE.match(text[end:])
        ):
            end = following.end()
        line_start = text.rfind("\n", 0, start) + 1
        if BEFORE_RE.search(text[line_start:start]) or AFTER_RE.match(text[end:]):
            out.append(_person(text, start, end, "lower-case word that is no English word"))
    return out


def _person(text: str, start: int, end: int, why: str) -> Entity:
    return Entity(start, end, "PERSON", text[start:end], 0.6, why)
