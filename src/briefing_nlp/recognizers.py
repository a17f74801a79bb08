"""Pattern recognizers for personal data, each small and explainable (Presidio-style).

Every recognizer takes the text and returns `Entity` spans with a score and the reason
it matched. Structured kinds use patterns with validators (the NHS number's modulus-11
check); context rules catch names next to relationship words, roles and titles.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

# "May" is a month when capitalised or followed by a year; lower-case "2 may" is a verb.
MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|(?-i:May|MAY)|"
    r"may(?=[ \t.,/-]+\d{2,4}\b))"
)
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


def nhs_checksum_ok(digits: str) -> bool:
    """The NHS number's modulus-11 check digit."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


# Health numbers are ten digits: the NHS number (England, Wales), the CHI (Scotland) and
# the H&C number (Northern Ireland).
NHS_CUE_RE = re.compile(r"\b(?:nhs|chi|h&c|health(?: and care)? (?:no|number))\b", re.I)


def _nhs(value: str, text: str, start: int) -> float | None:
    groups = re.findall(r"\d+", value)
    if any(len(group) < 2 for group in groups):
        return None  # "1 2 3 4 5 6 7 8 9 10" is a count, not a number written oddly
    digits = "".join(groups)
    if nhs_checksum_ok(digits):
        return 0.95
    # Written 3-3-4 and not a phone number: the shape of an NHS number in notes.
    if re.fullmatch(r"\d{3}([ \t./-])\d{3}\1\d{4}", value) and not digits.startswith("0"):
        return 0.6
    # Ten digits beside "NHS" are redacted even when mistyped.
    if NHS_CUE_RE.search(text[max(0, start - 40) : start]):
        return 0.7
    # Ten digits run together are an identifier of some kind in notes, never a count.
    return 0.7 if value.isdigit() else None


DATE_SHAPE_RE = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")


def _phone(value: str, text: str, start: int) -> float | None:
    if value.count("(") != value.count(")") or DATE_SHAPE_RE.match(value):
        return None  # "01.02.2021 100" is a date and a number
    groups = re.findall(r"\d+", value)
    if value.startswith("+"):
        groups[0] = groups[0][2:]  # the 44
    elif value.startswith("00"):
        groups[0] = groups[0][4:]
    if any(len(group) == 1 and group != "0" for group in groups[1:]):
        return None  # single digits apart are a list of numbers
    digits = "".join(groups)
    digits = digits if digits.startswith("0") else "0" + digits
    if len(digits) == 11 and digits[1] in "123578":
        return 0.9
    return 0.9 if len(digits) == 10 and digits.startswith(("0800", "0500")) else None


def _date(value: str, text: str, start: int) -> float | None:
    first, second = (int(part) for part in re.findall(r"\d+", value)[:2])
    # Day and month either way round (a US-style date is still a date).
    if (1 <= first <= 31 and 1 <= second <= 12) or (1 <= first <= 12 and 1 <= second <= 31):
        return 0.9
    return None


# After a day/month without a year: words that make it an age, a duration, a fraction or
# a count ("16/17yo", "5/7 days", "2/3 of visits", "3/4 sessions").
NOT_DATE_AFTER_RE = re.compile(
    r"[ \t]*(?:yo|y/o|yrs?|years?|months?|mths?|weeks?|wks?|days?|hours?|hrs?|ago|of|ths|"
    r"times|visits?|sessions?|records?|cases?|files?|children|contacts?|appointments?|"
    r"meetings?|occasions?|areas?|actions?)\b|[ \t]*%",
    re.I,
)
SCALE_BEFORE_RE = re.compile(
    r"(?:\b(?:scaled?|scaling|scored?|scoring|rated|rating|level|grade|out of|ks|key stage|"
    r"year|yr|gcp2?|sdq|section|s\.?)[ \t]*:?[ \t]*)$",
    re.I,
)
DATE_CUE_BEFORE_RE = re.compile(
    r"\b(?:on|since|until|til|till|from|by|dated?|visit(?:ed)?|seen|incident|contact|decision|"
    r"adm(?:itted)?|discharged?|icpc|rcpc|strat(?:egy)?|cg|core group|review|meeting|hearing|"
    r"appt|appointment|referral|closed|opened|dob|edd|born|b\.|due|w/c)[ \t]*:?[ \t]*$",
    re.I,
)
DATE_FOLLOWER_RE = re.compile(
    r"[ \t]*(?:$|[-–—,.;:)|/\[]|\b(?:and|at|but|when|while|to|with|for|then|so|as|by|in|on|"
    r"after|before|re)\b|[A-Z])"
)


def _day_month(value: str, text: str, start: int) -> float | None:
    """A day and month written without a year ("visit 14/1", "ICPC 03/12"), told apart from
    the counts, scores and fractions practice notes are full of ("4/10", "2/3", "24/7")."""
    day, month = (int(part) for part in value.split("/"))
    end = start + len(value)
    before, after = text[max(0, start - 25) : start], text[end : end + 25]
    if not (1 <= day <= 31 and 1 <= month <= 12) or value == "24/7":
        return None
    if NOT_DATE_AFTER_RE.match(after) or SCALE_BEFORE_RE.search(before):
        return None
    if day > month or "0" in (value[0], value[value.index("/") + 1]):
        return 0.8  # no count has more than its total, and counts are not zero-padded
    if month == 10 or day == month:
        return None  # a score out of ten, or "9/9" (all of them)
    if DATE_CUE_BEFORE_RE.search(before) and DATE_FOLLOWER_RE.match(after):
        return 0.75
    return None


def _code(value: str, text: str, start: int) -> float | None:
    # "17SEP2011" is a date, found as one.
    return None if re.fullmatch(rf"\d{{1,2}}{MONTHS}\d{{2,4}}", value, re.I) else 0.8


def _postcode(value: str, text: str, start: int) -> float | None:
    # Lower-case "s47 2nd" or "ks2 3rd" hold an ordinal where the inward code would be.
    if not value.isupper() and re.search(r"\d(?:st|nd|rd|th)$", value, re.I):
        return None
    return 0.95 if value.isupper() else 0.85


# An e-mail address written to stop it being a link: "jo (at) council (dot) example",
# "jo.bloggs at council dot gov dot uk".
AT_BRACKETED = r"[(\[{]at[)\]}][ \t]*[\w-]+"
DOT_WRITTEN = r"[ \t]*(?:\.|[(\[{]dot[)\]}]|[ \t]dot[ \t])[ \t]*"
# A phone number's digits, each with at most one separator before it: the count of
# digits is then the regex's to enforce, so "07700 900123 2 calls" stops at the number.
PHONE_SEP = r"(?:\)[ \t]?|[ \t]?[.-][ \t]?|[ \t]{1,2})?"
# Words a local authority reference follows: record systems and the ids they issue.
REF_CUES = (
    r"case|record|child|client|ref|reference|id|no|number|carestore|lcs|mosaic|liquidlogic|"
    r"eclipse|azeus|frameworki|ehm|ics|yos|cr|ni|nino|upn|uln|pnc|crn"
)
# Words a reference follows only with "ref" or "no" after them: "crime ref", "court no".
REF_PLACES = r"crime|incident|log|court|police|file|system|hospital|school|pupil|cad"
REF_WORD = r"ref(?:erence)?|no|number|id"
REF_VALUE = r"((?-i:[A-Z]{1,4}[ \t])?[A-Z]{0,4}[-/]?\d[\dA-Z/-]{3,})"


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
        validate=_phone,
        needs=DIGIT,
    ),
    PatternRecognizer(
        "ID",
        re.compile(r"(?<!\d)(?<!\d[./-])\d(?:[ \t./-]?\d){9}(?!\d)(?![./-]\d)"),
        0.95,
        "NHS number (check digit, 'NHS' beside it, or ten digits)",
        validate=_nhs,
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
        validate=_postcode,
        needs=DIGIT,
    ),
    PatternRecognizer(
        "DATE",
        re.compile(r"(?<![\d/])\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?![\d/])"),
        0.9,
        "day-level date",
        validate=_date,
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
        validate=_day_month,
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
            rf"\b{MONTHS}\.?[ \t]+\d{{1,2}}(?:(?:st|nd|rd|th)\b(?:,?[ \t]+\d{{4}}\b)?|,?[ \t]+\d{{4}}\b)",
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
            rf"[ \t]*)({MONTHS}\.?[ \t,]+(?:\d{{4}}|\d{{2}})\b|(?:0?[1-9]|1[0-2])[/.-](?:\d{{4}}|\d{{2}}))"
            r"(?![/.-]?\d)",
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
            rf"\b(?:(?:{REF_CUES})\b\.?[ \t]*(?:{REF_WORD})?|(?:{REF_PLACES})[ \t]+(?:{REF_WORD})\b)"
            rf"\.?[ \t]*[:#–-]?[ \t]*{REF_VALUE}",
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
        validate=_code,
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
