"""Realistic synthetic audit notes at any size, for benchmarks and scale tests.

Records get varied header forms, bullet styles, a case-facts line with invented personal
data (so redaction has work to do) and statements drawn from the labelled corpus. The
same seed always gives the same notes.
"""

from __future__ import annotations

import random
from pathlib import Path

from briefing_nlp.corpus import load_corpus
from briefing_nlp.taxonomy import load_taxonomy

HEADERS = (
    "Audit {n} - {kind}",
    "Record {n} ({kind})",
    "Rec {n} - {kind} - audited with SW",
    "AUDIT {n} – {kind}",
    "Case {n}:",
)
KINDS = ("CIN", "CP", "CLA", "CP plan", "CIN - audited with TM", "Care leaver")
BULLETS = ("- ", "• ", "* ", "", "1. ")
FIRST = (
    "Amira",
    "Kacper",
    "Tyrese",
    "Siobhan",
    "Priya",
    "Ollie",
    "Zainab",
    "Mihai",
    "Grace",
    "Dylan",
    "Aisha",
    "Reuben",
    "Leah",
    "Tomasz",
    "Precious",
    "Declan",
)
LAST = (
    "Hussain",
    "Nowak",
    "Walker",
    "O'Neill",
    "Sharma",
    "Bennett",
    "Ahmed",
    "Popescu",
    "Mensah",
    "Reid",
    "Begum",
    "Okafor",
    "Kowalski",
    "Byrne",
)


def corpus_statements(corpus_dir: Path) -> list[str]:
    """Non-neutral statements from the labelled corpus (train and test)."""
    taxonomy = load_taxonomy()
    rows = load_corpus(corpus_dir, taxonomy).rows
    return [r.text for r in rows if r.section != "neutral"]


def synthetic_notes(statements: list[str], n_statements: int, seed: int = 7) -> str:
    """Notes text holding about `n_statements` statements in records of 5 to 9."""
    rng = random.Random(seed)
    lines = ["Title: Synthetic thematic audit", "Date: 2026", ""]
    written, number = 0, 0
    while written < n_statements:
        number += 1
        lines.append(rng.choice(HEADERS).format(n=number, kind=rng.choice(KINDS)))
        bullet = rng.choice(BULLETS)
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        lines.append(
            f"{bullet}{name}, {rng.randint(1, 17)}, DOB {rng.randint(1, 28):02d}/"
            f"{rng.randint(1, 12):02d}/20{rng.randint(5, 22):02d}"
        )
        for _ in range(rng.randint(5, 9)):
            lines.append(bullet + rng.choice(statements))
            written += 1
        lines.append("")
    return "\n".join(lines)
