"""Pattern recognizers for personal data, each small and explainable (Presidio-style).

Every recognizer takes the text and returns `Entity` spans with a score and the reason
it matched. Structured kinds use patterns with validators (the NHS number's modulus-11
check); context rules catch names next to relationship words, roles and titles.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from briefing_nlp.redact.identifiers import (
    AT_BRACKETED,
    DOT_WRITTEN,
    MONTHS,
    PHONE_SEP,
    REF_CUES,
    REF_PLACES,
    REF_VALUE,
    REF_WORD,
    check_code,
    check_date,
    check_day_month,
    check_nhs,
    check_phone,
    check_postcode,
)
from briefing_nlp.redact.identifiers import nhs_checksum_ok as nhs_checksum_ok

STREET_TYPES = (
    r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Way|Grove|Drive|Dr|Court|Ct|Crescent|"
    r"Cres|Gardens|Gdns|Place|Pl|Terrace|Walk|Row|Hill|Park|View|Rise|Green|Square|Sq|"
    r"Mews|Parade|Vale|Meadows?|Fields?|Heights|Estate|Lodge|House|Bank|Side|End|Wharf|Yard|"
    r"Bridge|Wood|Croft|Chase|Dale|Gate|Leys|Nook|Brow|Crescent|Circle|Approach|Boulevard)"
)
# Spaces inside patterns are "[ \t]", never "\s": a match must not run across a line
# break ("audited with SW\nNiamh O'Connell, DOB ..." is two lines, not one name).
# A name starts where no word, apostrophe or hyphen runs into it, and its second part is
# after a space ("Anne-Marie" is one part): any other start or split made the name
# patterns cubic on "A-A-A-..." (every capital a start, every hyphen a split point).
NAME = r"(?<![\w'’-])[A-ZÀ-Þ][\w'’-]+(?:[ ][A-ZÀ-Þ][\w'’-]+)?"
RELATIONS = (
    r"(?:mum|mother|mam|dad|father|nan|nana|gran|granny|grandma|grandmother|grandad|"
    r"grandfather|uncle|aunt|auntie|sister|brother|sibling|partner|boyfriend|girlfriend|"
    r"stepdad|stepmum|step-dad|step-mum|carer|baby|son|daughter|cousin|child|friend|"
    r"husband|wife|ex-partner|father of baby|fob|sw|tm|iro|hv|pa|worker|teacher|"
    r"senco|dsl|midwife|gp|auditor|social worker|manager)"
)
ROLES_AFTER = (
    r"(?i:SW|TM|IRO|HV|PA|SM|DSL|SENCO|FNP|YOS|PSW|auditor|social worker|manager|mum|dad|"
    r"mother|father|nan|gran|carer|stepmum|stepdad|partner|sister|brother|aunt|uncle|"
    r"key worker|teacher|nurse|midwife)"
)
ORG_SUFFIX = (
    r"(?:Primary(?: School)?|Academy|School|College|Surgery|Medical Centre|Medical Practice|"
    r"Health Centre|Family Practice|Hospital|Nursery|Children's Centre|Pre-?school|Infants|"
    r"Juniors|PRU|Short Breaks|Children's Home|Lodge|High School|Grammar|Sixth Form)"
)


@dataclass(frozen=True)
class Entity:
    """A span of personal data in a text and why it was found."""

    start: int
    end: int
    type: str
    text: str
    score: float
    reason: str


DIGIT = "digit"
DIGIT_RE = re.compile(r"\d")


@dataclass(frozen=True)
class PatternRecognizer:
    """One pattern, the score its matches get (or a validator's), and what every match
    must contain: a "digit", or one of some lower-case literals (in any case). Text without
    it is not scanned."""

    kind: str
    pattern: re.Pattern[str]
    score: float
    reason: str
    group: int = 0
    validate: Callable[[str, str, int], float | None] | None = None
    needs: str | tuple[str, ...] = ""

    def __call__(self, text: str, start: int = 0, end: int | None = None) -> Iterator[Entity]:
        for match in self.pattern.finditer(text, start, len(text) if end is None else end):
            first, last = match.span(self.group)
            value = text[first:last]
            confidence = self.validate(value, text, first) if self.validate else self.score
            if confidence is not None:
                yield Entity(first, last, self.kind, value, confidence, self.reason)


RECOGNIZERS: tuple[PatternRecognizer, ...] = (
    PatternRecognizer(
        "EMAIL",
        re.compile(r"(?<![\w.+'’-])[\w.+'’-]+[ \t]?@[ \t]?[\w-]+(?:\.[\w-]+)+\b"),
        0.99,
        "e-mail pattern",
        needs="@",
    ),
    PatternRecognizer(
        "EMAIL",
        re.compile(
            rf"(?<![\w.+-])[\w.+-]+[ \t]*(?:{AT_BRACKETED}(?:{DOT_WRITTEN}[\w-]+)+|[ \t]at[ \t]"
            rf"[ \t]*[\w-]+(?:{DOT_WRITTEN}[\w-]+)*[ \t]dot[ \t][ \t]*[\w-]+)",
            re.I,
        ),
        0.9,
        "e-mail written with 'at' and 'dot'",
        needs=("at)", "at]", "at}", " dot "),
    ),
    PatternRecognizer(
        "PHONE",
        re.compile(
            r"(?<![\w+])(?:(?:\+|00)[ \t]?44[ \t.-]?(?:\(0\)[ \t.-]?|0[ \t.-]?)?\(?[1-9]"
            rf"(?:{PHONE_SEP}\d){{8,9}}|(?:\((?=0\d{{1,4}}\)))?0(?:{PHONE_SEP}\d){{9,10}})(?!\d)"
        ),
        0.9,
        "UK phone pattern",
        validate=check_phone,
        needs=DIGIT,
    ),
    PatternRecognizer(
        "ID",
        re.compile(r"(?<!\d)(?<!\d[./-])\d(?:[ \t./-]?\d){9}(?!\d)(?![./-]\d)"),
        0.95,
        "NHS number (check digit, 'NHS' beside it, or ten digits)",
        validate=check_nhs,
        needs=DIGIT,
    ),
    PatternRecognizer(
        "ID",
        re.compile(
            r"\b(?:QQ|[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])[ \t-]?\d{2}[ \t-]?\d{2}[ \t-]?\d{2}"
            r"[ \t-]?[A-D]\b",
            re.I,
        ),
        0.9,
        "National Insurance number",
        needs=DIGIT,
    ),
    PatternRecognizer(
        "POSTCODE",
        re.compile(r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?[ \t]?\d[A-Z]{2})\b", re.I),
        0.95,
        "UK postcode pattern",
        validate=check_postcode,
        needs=DIGIT,
    ),
    PatternRecognizer(
        "DATE",
        re.compile(r"(?<![\d/])\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?![\d/])"),
        0.9,
        "day-level date",
        validate=check_date,
        needs=DIGIT,
    ),
    PatternRecognizer(
        "DATE",
        re.compile(
            r"(?<![\d/.-])(?:19|20)\d{2}([/.-])(?:0?[1-9]|1[0-2])\1(?:[0-2]?\d|3[01])(?!\d)"
        ),
        0.9,
        "year-month-day date",
        needs=DIGIT,
    ),
    PatternRecognizer(
        "DATE",
        re.compile(r"(?<![\w/.,£$:-])\d{1,2}/\d{1,2}(?![\d/]|[.,]\d)"),
        0.8,
        "day and month without a year",
        validate=check_day_month,
        needs=DIGIT,
    ),
    PatternRecognizer(
        "DATE",
        re.compile(
            rf"\b\d{{1,2}}(?:st|nd|rd|th)?(?:[ \t]+of)?[ \t./-]{{0,2}}{MONTHS}\.?"
            r"(?:(?:,?[ \t]+|[./-]?)(?:\d{4}|\d{2})(?![\d:]))?(?![a-z])",
            re.I,
        ),
        0.85,
        "day and month",
        needs=DIGIT,
    ),
    PatternRecognizer(
        "DATE",
        re.compile(
            rf"\b{MONTHS}\.?[ \t]+\d{{1,2}}"
            r"(?:(?:st|nd|rd|th)\b(?:,?[ \t]+\d{4}\b)?|,?[ \t]+\d{4}\b)",
            re.I,
        ),
        0.85,
        "month, day and year",
        needs=DIGIT,
    ),
    PatternRecognizer(
        "DATE",
        re.compile(
            r"(?i:\b(?:DOB|D\.O\.B\.?|date of birth|born(?:[ \t]+(?:on|in))?)[ \t]*[:=–-]?"
            rf"[ \t]*)({MONTHS}\.?[ \t,]+(?:\d{{4}}|\d{{2}})\b"
            r"|(?:0?[1-9]|1[0-2])[/.-](?:\d{4}|\d{2}))(?![/.-]?\d)",
            re.I,
        ),
        0.85,
        "month and year of a birth",
        group=1,
        needs=("dob", "d.o.b", "birth", "born"),
    ),
    PatternRecognizer(
        "ID",
        re.compile(
            rf"\b(?:(?:{REF_CUES})\b\.?[ \t]*(?:{REF_WORD})?"
            rf"|(?:{REF_PLACES})[ \t]+(?:{REF_WORD})\b)\.?[ \t]*[:#–-]?[ \t]*{REF_VALUE}",
            re.I,
        ),
        0.9,
        "reference after 'ref', 'case', 'id', 'crime ref'",
        group=1,
        needs=DIGIT,
    ),
    PatternRecognizer(
        "ID",
        re.compile(r"(?<![\w/-])[A-Z]{1,4}[-/]\d{2,}(?:[-/][A-Z\d]+)*\b|\b\d{5,}[-/][A-Z]{2,}\b"),
        0.85,
        "reference-shaped code",
        needs=DIGIT,
    ),
    PatternRecognizer(
        "ID",
        re.compile(r"(?<![\w£$€])(?=(?:[A-Z]*\d){5})(?=\d*[A-Z])[A-Z\d]{7,}\b"),
        0.8,
        "code of capitals and five or more digits",
        validate=check_code,
        needs=DIGIT,
    ),
    PatternRecognizer(
        "ID", re.compile(r"(?<![\d/.£$€])\d{6,9}(?![\d/])"), 0.7, "long number", needs=DIGIT
    ),
    PatternRecognizer(
        "ID", re.compile(r"\b[A-Z]{1,2}\d{6,}\b"), 0.8, "letter-prefixed reference", needs=DIGIT
    ),
    PatternRecognizer(
        "ADDRESS",
        re.compile(
            rf"\b(?:(?:Flat|Apartment|Apt|Unit|Room|Pitch|Plot)[ \t]+\d+[A-Za-z]?,?[ \t]+)?"
            rf"(?:[A-Z][a-zA-Z'’]+[ \t]+(?:House|Court|Lodge|Mews|Buildings|Tower|Point),?[ \t]+)?"
            rf"\d{{1,4}}[A-Za-z]?,?[ \t]+(?:[A-Z][a-zA-Z'’]+[ \t]+){{1,3}}{STREET_TYPES}\b"
        ),
        0.9,
        "house number and street",
        needs=DIGIT,
    ),
    PatternRecognizer(
        "ADDRESS",
        re.compile(
            r"\b\d{1,4}[A-Za-z]?[ \t]+(?:Heol|Ffordd|Stryd|Lon|Maes|Rhodfa)"
            r"(?:[ \t]+[a-zA-Z'’]+){1,3}"
        ),
        0.85,
        "Welsh street name",
        needs=DIGIT,
    ),
    PatternRecognizer(
        "ADDRESS",
        re.compile(
            r"\b(?:Flat|Apartment|Apt|Unit|Pitch|Plot)[ \t]+\d+[A-Za-z]?,[ \t]+[A-Z][a-zA-Z'’]+"
            r"(?:[ \t]+[A-Z][a-zA-Z'’]+){0,2}"
            r"(?:,[ \t]+\d{1,4}[A-Za-z]?(?:[ \t]+[A-Z][a-zA-Z'’]+){1,3})?"
        ),
        0.85,
        "flat or pitch and building",
        needs=DIGIT,
    ),
    PatternRecognizer(
        "ADDRESS",
        re.compile(
            r"\b\d{1,4}[A-Za-z]?[ \t]+[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?"
            r"(?=,?[ \t]+(?:[A-Z][a-z]+,?[ \t]+)?[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[A-Z]{2}\b)"
        ),
        0.8,
        "house number and name before a postcode",
        needs=DIGIT,
    ),
    PatternRecognizer(
        "PERSON",
        re.compile(rf"\b({NAME})[ \t]*\([ \t]*{ROLES_AFTER}\b"),
        0.9,
        "name before a role in brackets",
        group=1,
        needs="(",
    ),
    PatternRecognizer(
        "PERSON",
        re.compile(
            r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?[ \t]+((?:[A-Z]\.?[ \t]?){0,3}[A-Z][a-zA-Z'’-]+)"
        ),
        0.9,
        "surname (and initials) after a title",
        group=1,
    ),
    PatternRecognizer(
        "PERSON",
        re.compile(
            rf"\b(?i:auditor|allocated (?:sw|worker)|named midwife|social worker)[ \t]*:?[ \t]+"
            rf"({NAME})"
        ),
        0.75,
        "name after a role",
        group=1,
    ),
)


EXTRA_RECOGNIZERS: tuple[PatternRecognizer, ...] = (
    PatternRecognizer(
        "PERSON",
        re.compile(r"(?<![\w-])[A-Z]-[A-Z](?:-[A-Z])?(?![\w-])"),
        0.7,
        "a child's initials (T-J)",
        needs="-",
    ),
    PatternRecognizer(
        "PERSON",
        re.compile(rf"\b({NAME})[ \t]*\([ \t]*\d{{1,2}}[ \t]*\)"),
        0.85,
        "name followed by an age in brackets",
        group=1,
        needs=DIGIT,
    ),
    PatternRecognizer(
        "PERSON",
        re.compile(
            rf"\b({NAME}(?:,?[ \t]+{NAME})?)[ \t]*[-–,:]?[ \t]*"
            r"(?:DOB|D\.O\.B\.?|d\.o\.b\.?|born|b\.)\b"
        ),
        0.85,
        "name before a date of birth",
        group=1,
    ),
    PatternRecognizer(
        "ORG",
        re.compile(rf"(?<![\w'’.-])(?:[A-Z][\w'’.-]+[ \t]+){{1,4}}{ORG_SUFFIX}\b"),
        0.8,
        "name ending like a school, surgery or hospital",
    ),
)


RELATION_RE = re.compile(rf"\b(?:{RELATIONS}|key worker|named nurse)\b")
BRACKETED_NAME_RE = re.compile(rf"[ \t]*\([ \t]*({NAME})[ \t]*\)")
FOLLOWING_NAME_RE = re.compile(rf"[ \t]+({NAME})")


def _after_relation(text: str) -> Iterator[Entity]:
    """Names right after a relationship or role: "Mum (Sarah)", "dad Lee", "SW Priya".

    Relationship words are found in the lower-cased text with one case-sensitive pattern
    (much faster than a case-insensitive alternation), then the name is read from the
    original text.
    """
    for match in RELATION_RE.finditer(text.lower()):
        bracketed = BRACKETED_NAME_RE.match(text, match.end())
        if bracketed:
            yield Entity(
                bracketed.start(1),
                bracketed.end(1),
                "PERSON",
                bracketed.group(1),
                0.9,
                "name in brackets after a relationship or role",
            )
            continue
        following = FOLLOWING_NAME_RE.match(text, match.end())
        if following:
            yield Entity(
                following.start(1),
                following.end(1),
                "PERSON",
                following.group(1),
                0.75,
                "name after a relationship or role word",
            )


BIRTH_CUE_RE = re.compile(r"\b(?:DOB|D\.O\.B\b|date of birth|born|birthday|EDD)", re.I)


def mentions_birth(text: str) -> bool:
    """Whether a text says a date in it is someone's birth or expected birth ("DOB",
    "born", "EDD"): the `Date:` line keeps the audit's own date, never such a date."""
    return BIRTH_CUE_RE.search(text) is not None


def find_patterns(text: str) -> list[Entity]:
    """Every pattern recognizer's matches in `text`.

    A pattern that needs a digit scans only the lines holding one (no pattern crosses a
    line break): about half the text of typical notes, and most of this step's time.
    """
    found: list[Entity] = []
    windows: list[tuple[int, int]] | None = None
    lowered: str | None = None
    for recognise in (*RECOGNIZERS, *EXTRA_RECOGNIZERS):
        if recognise.needs == DIGIT:
            windows = _digit_lines(text) if windows is None else windows
            for start, end in windows:
                found.extend(recognise(text, start, end))
        elif isinstance(recognise.needs, tuple):
            lowered = text.lower() if lowered is None else lowered
            if any(literal in lowered for literal in recognise.needs):
                found.extend(recognise(text))
        elif not recognise.needs or recognise.needs in text:
            found.extend(recognise(text))
    found.extend(_after_relation(text))
    return found


def _digit_lines(text: str) -> list[tuple[int, int]]:
    """Spans of consecutive lines that hold a digit."""
    spans: list[tuple[int, int]] = []
    position = 0
    while match := DIGIT_RE.search(text, position):
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        end = len(text) if end == -1 else end
        if spans and start <= spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
        position = end
    return spans
