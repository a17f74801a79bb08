"""The checks a structured identifier's match must pass to count, and pattern parts.

Each `check_*` takes the matched value, the whole text and the match's start, and returns
a score or None (not personal data): check digits, ranges, and the words around a match
that tell a date from a score ("visit 14/1" from "scaled 4/10").
"""

from __future__ import annotations

import re

# "May" is a month when capitalised or followed by a year; lower-case "2 may" is a verb.
MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|(?-i:May|MAY)|"
    r"may(?=[ \t.,/-]+\d{2,4}\b))"
)


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


def check_nhs(value: str, text: str, start: int) -> float | None:
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


def check_phone(value: str, text: str, start: int) -> float | None:
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


def check_date(value: str, text: str, start: int) -> float | None:
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


def check_day_month(value: str, text: str, start: int) -> float | None:
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


def check_code(value: str, text: str, start: int) -> float | None:
    # "17SEP2011" is a date, found as one.
    return None if re.fullmatch(rf"\d{{1,2}}{MONTHS}\d{{2,4}}", value, re.I) else 0.8


def check_postcode(value: str, text: str, start: int) -> float | None:
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
