"""The count phrase of a reviewed bullet ("In most records (11 of 14), ..."), kept true.

The review store keeps a bullet's wording without its count phrase; the phrase, prevalence
word included, is rendered from the bullet's support every time the bullet is read, so a
merge, split or move after a text edit can never leave "(11 of 14)" beside 12 records.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefing_nlp.wording import bullet_text, prevalence_word

# "In most records (11 of 14), ", "In one record (1 of 14) " (any scale word, any case):
# the phrase the product writes before a finding, or one a reviewer typed or left in.
LEADING_PHRASE_RE = re.compile(
    r"^\s*in\s+[^(),.]{1,40}?\s+records?\s*\(\s*\d+\s+of\s+\d+\s*\)\s*[,:;–—-]?\s*", re.I
)
# " (agreed in 5 of 14 records)." after an action.
TRAILING_PHRASE_RE = re.compile(
    r"\s*\(\s*agreed\s+in\s+\d+\s+of\s+\d+\s+records?\s*\)\s*\.?\s*$", re.I
)


def split_count_phrase(text: str) -> tuple[str, str]:
    """A bullet's text as (wording, count phrase); the phrase is "" when there is none,
    the wording "" when the text is nothing but a count.

    >>> split_count_phrase("In most records (11 of 14), chronology out of date.")
    ('chronology out of date.', 'In most records (11 of 14),')
    >>> split_count_phrase("Update the chronology (agreed in 2 of 14 records).")
    ('Update the chronology.', '(agreed in 2 of 14 records).')
    """
    text = " ".join(text.split())
    lead = LEADING_PHRASE_RE.match(text)
    if lead:
        return text[lead.end() :], lead.group(0).strip()
    trail = TRAILING_PHRASE_RE.search(text)
    if trail:
        wording = text[: trail.start()].rstrip()
        if wording and not wording.endswith((".", "!", "?")):
            wording += "."
        return wording, trail.group(0).strip()
    return text, ""


def render_text(
    section: str,
    wording: str,
    support: Sequence[int],
    total: int,
    scale: Sequence[tuple[str, float]],
    suggested: bool = False,
) -> str:
    """The bullet as the briefing shows it: the count phrase from `support`, then the words.

    A suggested action (a template, not the auditors' words) and a bullet added by hand
    that no record supports carry no count.
    """
    if suggested or not support:
        return wording
    count, total = len(set(support)), max(1, total)
    word = prevalence_word(count, total, scale)
    return bullet_text(section, wording, count, total, word)
