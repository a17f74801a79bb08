"""Recognise audit grades in notes ("Graded good", "Grade: RI", "Requires improvement")."""

from __future__ import annotations

import re

# "graded good", "Grade: RI", "judged as inadequate", "overall - requires improvement"
KEYWORD_GRADE_RE = re.compile(
    r"\b(?:grad(?:ed|e|ing)|judged|rated|overall)\b\s*(?:as\s*)?[:\-–]?\s*"
    r"(outstanding|good|requires?\s+improvement|ri|adequate|inadequate)\b",
    re.I,
)
# A statement that opens with a grade ("Requires improvement - fed back to SW").
OPENING_GRADE_RE = re.compile(r"^\W*(requires?\s+improvement|ri|inadequate)\b", re.I)
NAMES = {"ri": "requires improvement", "require improvement": "requires improvement"}


def grade_of(text: str) -> str:
    """The grade a statement records, normalised ("requires improvement"), or ""."""
    match = KEYWORD_GRADE_RE.search(text) or OPENING_GRADE_RE.search(text)
    if not match:
        return ""
    grade = " ".join(match.group(1).lower().split())
    return NAMES.get(grade, grade)
