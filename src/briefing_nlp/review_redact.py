"""What a reviewer types goes through the same redaction as the notes before it is stored.

A bullet's words, a worry's impact and the title, date and context typed in the review
app are redacted unless the reviewer explicitly keeps them as typed; the reviewer is told
what was replaced (in the answer to their own request only: never stored or logged).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefing_nlp.redact.patterns import mentions_birth

if TYPE_CHECKING:  # spaCy loads only when a redactor is used
    from briefing_nlp.redact import Redaction, Redactor

# The draft numbers people consistently across its notes ("[PERSON 4]"); that mapping is
# never stored, so a name a reviewer types cannot join it and gets a bare placeholder
# rather than a number that would name someone else in the draft.
NUMBERED_RE = re.compile(r"\[(PERSON|ORG) \d+\]")
KEEP_HINT = 'if it is not personal data, choose "Keep as typed"'


@dataclass(frozen=True)
class Typed:
    """A reviewer's text as it will be stored, and what redaction changed in it."""

    text: str
    changes: tuple[str, ...] = ()  # 'kayden moore' -> [PERSON]


def redact_typed(text: str, redactor: Redactor, *, is_date: bool = False) -> Typed:
    """`text` with personal data replaced by placeholders.

    Args:
        is_date: the text is the audit's date line: a date there is the audit's own and
            kept, unless the line gives a date of birth (as the CLI's --date does).
    """
    keep = frozenset({"DATE"}) if is_date and not mentions_birth(text) else frozenset()
    result = redactor.redact([text], keep_types=keep)[0]
    if not result.entities:
        return Typed(text)
    changes = tuple(
        f'"{e.text}" -> {_bare(_placeholder(result, e.start, e.end))}' for e in result.entities
    )
    # Only the new placeholders lose their numbers: a "[PERSON 4]" the reviewer kept from
    # the draft still names the same person.
    text = result.text
    for _, _, new_start, new_end in reversed(result.spans):
        text = text[:new_start] + _bare(text[new_start:new_end]) + text[new_end:]
    return Typed(text, changes)


def _bare(text: str) -> str:
    return NUMBERED_RE.sub(r"[\1]", text)


def _placeholder(result: Redaction, start: int, end: int) -> str:
    return result.text[result.map_start(start) : result.map_end(end)]


def typed_notice(where: str, typed: Typed) -> str:
    """One line for the reviewer: what was replaced in `where`, and how to keep it."""
    return (
        f"Redacted what looks like personal data in {where}: {'; '.join(typed.changes)}; "
        f"{KEEP_HINT}."
    )


def header_changes(fields: dict[str, str], redactor: Redactor) -> list[str]:
    """What redaction replaces in a typed title, date and context: 'title: "X" -> [PERSON]'."""
    changes = []
    for name in ("title", "date", "context"):
        typed = redact_typed(fields.get(name, ""), redactor, is_date=name == "date")
        changes += [f"{name}: {change}" for change in typed.changes]
    return changes
