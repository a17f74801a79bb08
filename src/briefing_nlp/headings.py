"""Headings in audit notes and tables: "Strengths:", "Even better if:", "Actions -".

A heading says what kind of finding the lines under it are, which decides a statement
the classifier would read otherwise ("genogram completed" under "Needs:" is asked for).
Segmentation trims a heading's label off the statement; drafting moves a statement to its
heading's section (`draft.HEADED`); spreadsheet columns named like a heading are read as
comments under it (`ingest.tables`). No spaCy: ingest imports it.
"""

from __future__ import annotations

import re
from bisect import bisect_right

# A line that opens with a heading lists findings of one kind, on the heading's own line
# ("Actions: ...") or on the lines under a heading that stands alone ("Strengths:"). An
# action heading makes every statement under it an action whatever its own wording:
# "genogram completed" after "Needs:" is asked for, not done (the development audits
# write actions this way). Under an improvement heading a bare or hoped-for state is a
# worry ("Even better if: chronology updated"); under a strengths heading a bare topic
# is a strength; under a good-practice heading a strength is good practice. A short
# label that is also a word of notes ("GP", "needs", "gaps") is a heading only with a
# colon or dash after it: a line "GP" alone is more likely the doctor.
HEADINGS: tuple[tuple[str, str], ...] = (
    (
        "action",
        r"(?:agreed\s+)?(?:actions?|needs(?!\s*$)|next\s+steps?|to\s+do|todo|recommendations?|"
        r"follow[- ]?ups?)(?:\s+agreed)?",
    ),
    (
        "worry",
        r"areas?\s+(?:for|of|to)\s+(?:development|improvement|improve|develop)|"
        r"development\s+(?:areas?|points?)|worries|worry|concerns?|weaknesses|gaps(?!\s*$)|"
        r"what\s+needs\s+to\s+(?:improve|change|happen\s+to\s+improve)|what\s+could\s+be\s+better|"
        r"even\s+better\s+if|ebi(?!\s*$)|improvements?(?:\s+needed)?|learning\s+points?",
    ),
    (
        "strength",
        r"strengths?|positives?|what(?:['’]s|\s+is|\s+was)?\s+(?:working|going)\s+well|"
        r"what\s+went\s+well|www(?!\s*$)",
    ),
    ("good_practice", r"(?:examples?\s+of\s+)?good\s+practice|gp(?!\s*$)|exemplary\s+practice"),
)
HEADING_RE = re.compile(
    r"^\s*(?:[-*•·]|\d+[.)])?\s*(?:"
    + "|".join(f"(?P<{name}>{body})" for name, body in HEADINGS)
    + r")\s*(?::|[-–—]\s|$)",
    re.I,
)


def heading_of(line: str) -> tuple[str, int] | None:
    """The kind of heading a line opens with, and where its label ends, or None."""
    match = HEADING_RE.match(line)
    if match is None or match.lastgroup is None:
        return None
    return match.lastgroup, match.end()


class HeadingIndex:
    """Which heading each position of a record's source sits under, worked out in one
    pass over its lines (a spreadsheet record can be thousands of lines with no blank
    one: looking back from every statement was quadratic in them)."""

    def __init__(self, source: str) -> None:
        self.starts: list[int] = []
        # Per line: (section from this offset on the line, or None; the label's end).
        self.lines: list[tuple[str | None, int]] = []
        under: str | None = None
        position = 0
        for line in source.split("\n"):
            self.starts.append(position)
            heading = heading_of(line)
            if not line.strip():
                under = None  # a blank line ends the heading's list
                self.lines.append((None, 0))
            elif heading is not None:
                self.lines.append((heading[0], position + heading[1] - 1))
                # A heading with words after it heads its own line only.
                under = heading[0] if not line[heading[1] :].strip() else None
            else:
                self.lines.append((under, position))
            position += len(line) + 1

    def section(self, start: int) -> str | None:
        """The section of the heading the statement at `start` sits under: on the
        heading's own line after its label, or below a heading line with nothing after
        it (within the same paragraph); None if it sits under none."""
        section, from_offset = self.lines[bisect_right(self.starts, start) - 1]
        return section if start >= from_offset else None


def heading_section(source: str, start: int) -> str | None:
    """`HeadingIndex(source).section(start)`, for one statement."""
    return HeadingIndex(source).section(start)


def names_a_heading(text: str) -> str | None:
    """The kind of finding a table's column or row label names ("Strengths", "EBI",
    "Actions agreed"), when the label is a heading and nothing more; else None. A label
    stands for a heading, so the short ones count without a colon here."""
    label = " ".join(text.split()).rstrip(":").strip()
    heading = heading_of(label + ":")
    if heading is None or (label + ":")[heading[1] :].strip():
        return None
    return heading[0]


BULLET_CHARS = "-*•· "


def under_heading(label: str, lines: list[str]) -> str | None:
    """A table cell's lines as one line of notes under its column's or row's heading
    ("Strengths: chronology up to date; good direct work"), or None for an empty cell."""
    items = [
        " ".join(line.split()).lstrip(BULLET_CHARS) for line in lines if line.strip(BULLET_CHARS)
    ]
    return f"{' '.join(label.split())}: {'; '.join(items)}" if items else None
