"""Names the wording around them gives away, where the NER model is weakest: an initial
after a title ("Ms T."), a nickname after "known as" or in quotes, a name followed by an
age ("Holly Turner 20,"), and a lower-case name
("kayden moore said") that is no English, practice or corpus word.

Each rule returns PERSON entities; the redactor still drops any that are practice terms.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from briefing_nlp.redact.patterns import RELATIONS, Entity
from briefing_nlp.redact.wordlists import FUNCTION_WORDS, NOT_NAMES

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
    # Only the cue words ignore case: a name is capitalised, word by word ("ICPC on day
    # 22" is no name and an age).
    r"(?:^[ \t]*(?:[-*•·]|\d{1,2}[.)])?[ \t]*|\b(?i:mum|mother|dad|father|partner|boyfriend|"
    r"girlfriend|baby|son|daughter|sister|brother|nan|gran|aunt|uncle|carer)[ \t]+)"
    r"([A-Z][a-z'’-]+(?:[ ][A-Z][a-z'’-]+){0,2})"
    r"(?=[ \t]*(?:,[ \t]*|[ \t]\(?|\()[ \t]*\d{1,2}[ \t]*(?i:\)|yrs?\b|years?\b|yo\b|y/o\b|"
    r"m\b|mths?\b|months?\b)?[ \t]*(?:[,;:)\-–—]|$))",
    re.MULTILINE,
)
# Lower-case words with English endings are misspelt or rare words, not names.
ENGLISH_ENDING_RE = re.compile(r"(?:ing|ed|ly|ment|able|ible|tion|sion|ness|ised|ized|ful|less)$")
# A lower-case word straight before a name, at the end of the text before it.
FIRST_LOWER_RE = re.compile(r"(?<![\w'’-])([a-z][a-z'’-]*[a-z]) $")
RELATIVE_LOWER_RE = re.compile(
    r"\b(?:mum|mother|dad|father|nan|gran|grandad|grandma|sister|brother|son|daughter|"
    r"partner|boyfriend|girlfriend|uncle|aunt|auntie|stepdad|stepmum|cousin)[ \t]+"
    r"([a-z][a-z'’-]*[a-z])(?![\w'’-])"
)
# A capitalised word opening a line before a verb only people do in notes: "Jack refused
# to come down", "Nathan gave his NI". In the corpus every such opener is a name or a
# relative, and a name that is also a word ("Jack") can slip past the model.
LINE_OPENING_NAME_RE = re.compile(
    r"^[ \t]*(?:[-*•·][ \t]*)?([A-Z][a-z'’-]*[a-z])[ \t]+(?:said|says|told|tells|refused|"
    r"declined|disclosed|wants|wanted|gave (?:his|her))\b",
    re.MULTILINE,
)
RELATION_WORD_RE = re.compile(rf"(?:{RELATIONS}|family|staff|school|police|nursery)")


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
    found.extend(_relative_and_lower_name(text))
    for match in LINE_OPENING_NAME_RE.finditer(text):
        word = match.group(1).lower()
        if word not in FUNCTION_WORDS and not RELATION_WORD_RE.fullmatch(word):
            found.append(_person(text, *match.span(1), "name opening a line before a verb"))
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
        # "kayden moore said": a surname that is also a word, between the name and a verb;
        # "tiegan walsh at the gate": a surname that is no English word either.
        if (
            following is not None
            and text[end : following.start()] == " "
            and not AFTER_RE.match(text[end : end + 64])
            and (
                AFTER_RE.match(text[following.end() : following.end() + 64])
                or (
                    not ENGLISH_ENDING_RE.search(following.group(0))
                    and unfamiliar(following.group(0))
                )
            )
        ):
            end = following.end()
        line_start = text.rfind("\n", 0, start) + 1
        # Only the words just before and after a word are read: slicing or searching the
        # whole line for each word was quadratic on a long line of them; an "x" stands
        # for the cut-off text, so the line-start cue cannot match inside a line.
        window = max(line_start, start - 64)
        before = ("x" if window > line_start else "") + text[window:start]
        if BEFORE_RE.search(before) or AFTER_RE.match(text[end : end + 64]):
            # "reuben akinola told": a first name that is also a word, straight before a
            # surname that is none, when a verb of speaking or being seen follows.
            first = FIRST_LOWER_RE.search(before)
            if (
                first is not None
                and AFTER_RE.match(text[end : end + 64])
                and _may_be_first_name(first.group(1))
            ):
                start = start - len(before) + first.start(1)
            out.append(_person(text, start, end, "lower-case word that is no English word"))
    return out


def _may_be_first_name(word: str) -> bool:
    return not (
        word.lower() in FUNCTION_WORDS or ENGLISH_ENDING_RE.search(word) or BEFORE_RE.search(word)
    )


def _relative_and_lower_name(text: str) -> list[Entity]:
    """ "dad gavin declined": a lower-case word between a relative and a verb of speaking
    or deciding, though it is also an English word, is the relative's name."""
    out = []
    for match in RELATIVE_LOWER_RE.finditer(text):
        word = match.group(1)
        if _may_be_first_name(word) and AFTER_RE.match(text[match.end(1) :]):
            out.append(
                _person(text, match.start(1), match.end(1), "lower-case name after a relative")
            )
    return out


def _person(text: str, start: int, end: int, why: str) -> Entity:
    return Entity(start, end, "PERSON", text[start:end], 0.6, why)
