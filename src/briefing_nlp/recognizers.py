"""Pattern recognizers for personal data, each small and explainable (Presidio-style).

Every recognizer takes the text and returns `Entity` spans with a score and the reason
it matched. Structured kinds use patterns with validators (the NHS number's modulus-11
check); context rules catch names next to relationship words, roles and titles.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
STREET_TYPES = (
    r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Way|Grove|Drive|Dr|Court|Ct|Crescent|"
    r"Cres|Gardens|Gdns|Place|Pl|Terrace|Walk|Row|Hill|Park|View|Rise|Green|Square|Sq|"
    r"Mews|Parade|Vale|Meadows?|Fields?|Heights|Estate|Lodge|House|Bank|Side|End|Wharf|Yard|"
    r"Bridge|Wood|Croft|Chase|Dale|Gate|Leys|Nook|Brow|Crescent|Circle|Approach|Boulevard)"
)
# Spaces inside patterns are "[ \t]", never "\s": a match must not run across a line
# break ("audited with SW\nNiamh O'Connell, DOB ..." is two lines, not one name).
NAME = r"[A-ZÀ-Þ][\w'’-]+(?:[- ][A-ZÀ-Þ][\w'’-]+)?"
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
    must contain: a "digit" or a literal character. Text without it is not scanned."""

    kind: str
    pattern: re.Pattern[str]
    score: float
    reason: str
    group: int = 0
    validate: Callable[[str, str, int], float | None] | None = None
    needs: str = ""

    def __call__(self, text: str, start: int = 0, end: int | None = None) -> Iterator[Entity]:
        for match in self.pattern.finditer(text, start, len(text) if end is None else end):
            first, last = match.span(self.group)
            value = text[first:last]
            confidence = self.validate(value, text, first) if self.validate else self.score
            if confidence is not None:
                yield Entity(first, last, self.kind, value, confidence, self.reason)


def nhs_checksum_ok(digits: str) -> bool:
    """The NHS number's modulus-11 check digit."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _nhs(value: str, text: str, start: int) -> float | None:
    digits = re.sub(r"\D", "", value)
    if nhs_checksum_ok(digits):
        return 0.95
    # Written 3-3-4 and not a phone number: the shape of an NHS number in notes.
    if re.fullmatch(r"\d{3}[ \t-]\d{3}[ \t-]\d{4}", value) and not digits.startswith("0"):
        return 0.6
    # A 10-digit number beside "NHS" is redacted even when mistyped.
    if re.search(r"nhs", text[max(0, start - 30) : start], re.I):
        return 0.7
    return None


def _phone(value: str, text: str, start: int) -> float | None:
    digits = re.sub(r"\D", "", value)
    if digits.startswith("44"):
        digits = "0" + digits[2:]
    return 0.9 if len(digits) in (10, 11) and digits.startswith("0") else None


RECOGNIZERS: tuple[PatternRecognizer, ...] = (
    PatternRecognizer(
        "EMAIL", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"), 0.99, "e-mail pattern", needs="@"
    ),
    PatternRecognizer(
        "PHONE",
        re.compile(
            r"(?<!\d)(?:\+44[ \t]?7\d{3}|\(?07\d{3}\)?|\(?0\d{2,4}\)?)"
            r"[ \t-]?\d{3}[ \t-]?\d{3,4}(?!\d)"
        ),
        0.9,
        "UK phone pattern",
        validate=_phone,
        needs=DIGIT,
    ),
    PatternRecognizer(
        "ID",
        re.compile(r"(?<![\d/])\d{3}[ \t-]?\d{3}[ \t-]?\d{4}(?![\d/])"),
        0.95,
        "NHS number (check digit or 'NHS' beside it)",
        validate=_nhs,
        needs=DIGIT,
    ),
    PatternRecognizer(
        "POSTCODE",
        re.compile(r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[A-Z]{2})\b"),
        0.95,
        "UK postcode pattern",
        needs=DIGIT,
    ),
    PatternRecognizer(
        "DATE",
        re.compile(r"(?<![\d/])\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?![\d/])"),
        0.9,
        "day-level date",
        needs=DIGIT,
    ),
    PatternRecognizer(
        "DATE",
        re.compile(
            rf"\b\d{{1,2}}(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?{MONTHS}\.?(?:,?[ \t]+\d{{2,4}})?\b",
            re.I,
        ),
        0.85,
        "day and month",
        needs=DIGIT,
    ),
    PatternRecognizer(
        "DATE",
        re.compile(rf"\b{MONTHS}[ \t]+\d{{1,2}}(?:st|nd|rd|th)?,?[ \t]+\d{{4}}\b", re.I),
        0.85,
        "month, day and year",
        needs=DIGIT,
    ),
    PatternRecognizer(
        "ID",
        re.compile(
            r"(?:\b(?:case|record|child|client|ref|reference|id|no|number|carestore|lcs|mosaic|"
            r"liquidlogic|yos|cr|ni)\b\.?[ \t]*"
            r"(?:ref(?:erence)?|no|number|id)?\.?[ \t]*[:#]?[ \t]*)"
            r"([A-Z]{0,4}[-/]?\d[\dA-Z/-]{3,})",
            re.I,
        ),
        0.9,
        "reference after 'ref', 'case', 'id'",
        group=1,
        needs=DIGIT,
    ),
    PatternRecognizer(
        "ID",
        re.compile(r"\b[A-Z]{1,4}[-/]\d{2,}(?:[-/][A-Z\d]+)*\b|\b\d{5,}[-/][A-Z]{2,}\b"),
        0.85,
        "reference-shaped code",
        needs=DIGIT,
    ),
    PatternRecognizer(
        "ID", re.compile(r"(?<![\d/.])\d{6,9}(?![\d/])"), 0.7, "long number", needs=DIGIT
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
        re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?[ \t]+([A-Z][a-zA-Z'’-]+)"),
        0.9,
        "surname after a title",
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
        re.compile(rf"\b(?:[A-Z][\w'’.-]+[ \t]+){{1,4}}{ORG_SUFFIX}\b"),
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


def find_patterns(text: str) -> list[Entity]:
    """Every pattern recognizer's matches in `text`.

    A pattern that needs a digit scans only the lines holding one (no pattern crosses a
    line break): about half the text of typical notes, and most of this step's time.
    """
    found: list[Entity] = []
    windows: list[tuple[int, int]] | None = None
    for recognise in (*RECOGNIZERS, *EXTRA_RECOGNIZERS):
        if recognise.needs == DIGIT:
            windows = _digit_lines(text) if windows is None else windows
            for start, end in windows:
                found.extend(recognise(text, start, end))
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
