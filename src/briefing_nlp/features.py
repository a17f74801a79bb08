"""Turn statements into the feature text the classifiers read, with one spaCy pass.

spaCy (blank English: tokenizer, sentencizer, lookup lemmas) gives lemmas; this module
marks negation scope (`NEG_` prefix), hedges (`HEDGE`), the opening word (`FIRST_`) and
placeholders, so "no evidence of supervision" and "supervision evident" differ in the
features rather than by luck. The word and character TF-IDF views are built in `train`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language

from briefing_nlp.errors import ModelError

# Negation cues open a scope that runs to the next clause boundary or SCOPE_MAX tokens.
NEGATION_CUES = frozenset(
    [
        "no",
        "not",
        "n't",
        "never",
        "nil",
        "none",
        "nothing",
        "without",
        "lack",
        "lacks",
        "lacking",
        "absent",
        "neither",
        "nor",
        "cannot",
        "unable",
    ]
)
SCOPE_ENDERS = frozenset(
    [
        "but",
        "although",
        "though",
        "however",
        "whilst",
        "while",
        "yet",
        "despite",
        "except",
        ".",
        ",",
        ";",
        ":",
        "!",
        "?",
        "(",
        ")",
        "-",
        "–",
        "—",
    ]
)
SCOPE_MAX = 6
# Single-word hedges; two-word hedges are matched on lemma pairs below.
HEDGES = frozenset(
    [
        "mostly",
        "largely",
        "partly",
        "partially",
        "generally",
        "somewhat",
        "sometimes",
        "occasionally",
        "sporadic",
        "sporadically",
        "patchy",
        "variable",
        "inconsistent",
        "inconsistently",
        "limited",
        "minimal",
        "some",
        "majority",
        "mixed",
        "intermittent",
        "intermittently",
        "bit",
        "bits",
        "fairly",
        "reasonably",
    ]
)
HEDGE_PAIRS = frozenset(
    {
        ("not", "consistently"),
        ("not", "always"),
        ("at", "time"),
        ("in", "place"),
        ("in", "most"),
        ("not", "fully"),
        ("not", "all"),
        ("on", "occasion"),
    }
)
# A negated negative is a positive ("no concerns about", "no gaps in", "no drift"): the
# cue and the negative word become one DOUBLE_NEG marker and the scope closes there.
NEGATIVE_WORDS = frozenset(
    [
        "concern",
        "concerns",
        "gap",
        "gaps",
        "drift",
        "issue",
        "issues",
        "delay",
        "delays",
        "problem",
        "problems",
        "worry",
        "worries",
        "omission",
        "omissions",
        "lapse",
        "lapses",
        "shortfall",
        "shortfalls",
        "slippage",
    ]
)
# Fixed polarity idioms collapse to one token, so "out of date" cannot borrow the
# positive weight of "date" learnt from "up to date".
IDIOMS = (
    (re.compile(r"\bup[- ]to[- ]date\b"), " uptodate "),
    (re.compile(r"\bout[- ]of[- ]date\b|\bo/d\b|\boverdue\b"), " outofdate "),
    (re.compile(r"\bout(?:side)?[- ]of[- ]timescales?\b"), " outoftimescale "),
    (re.compile(r"\b(?:in|within)[- ]timescales?\b"), " intimescale "),
    (re.compile(r"\bw/o\b"), " without "),
    (re.compile(r"(?<![a-z])w/(?=\s)"), " with "),
)
PLACEHOLDER_RE = re.compile(r"\[([A-Z][A-Z_ ]*?)(?:\s+[A-Z0-9]{1,3})?\]")
PLACEHOLDER_KINDS = {
    "DATE": "phdate",
    "ID": "phid",
    "ADDRESS": "phaddress",
    "POSTCODE": "phaddress",
    "PHONE": "phid",
    "EMAIL": "phid",
    "NHS": "phid",
    "SCHOOL": "phorg",
    "ORG": "phorg",
}
DIGITS_RE = re.compile(r"\d+")
# Raw identifiers and dates read like the placeholders redaction leaves, so a case fact
# with a date of birth looks like one with [DATE] (the corpus uses placeholders).
RAW_PATTERNS = (
    (re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"), " phdate "),
    (re.compile(r"\b\d{3}\s?\d{3}\s?\d{4}\b|\b\d{5}\s?\d{6}\b|\b\d{6,}\b"), " phid "),
)


@dataclass(frozen=True)
class Features:
    """Per-statement feature text: `analysed` for word n-grams, `raw` for char n-grams."""

    analysed: tuple[str, ...]
    raw: tuple[str, ...]


def build_nlp() -> Language:
    """A blank English pipeline with sentencizer and lookup lemmatizer (no download).

    Raises:
        ModelError: spacy-lookups-data is not installed, so lemma tables are missing.
    """
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    try:
        nlp.initialize()
    except (ValueError, ImportError) as exc:
        raise ModelError(
            f"cannot initialise lemma tables ({exc}); install spacy-lookups-data"
        ) from None
    return nlp


def load_nlp(path: Path) -> Language:
    """Load the pipeline saved beside the models (it carries its own lemma tables).

    Raises:
        ModelError: the folder is missing or is not a spaCy pipeline.
    """
    if not (Path(path) / "config.cfg").is_file():
        raise ModelError(f"{path}: spaCy pipeline missing; run `briefing-nlp train` to rebuild")
    try:
        return spacy.load(path)
    except (OSError, ValueError) as exc:
        raise ModelError(
            f"{path}: spaCy pipeline unreadable ({exc}); run `briefing-nlp train` to rebuild"
        ) from None


def normalise(text: str) -> str:
    """Lower-case text with placeholders reduced to one token per kind."""

    def kind(match: re.Match[str]) -> str:
        word = match.group(1).strip().split()[0]
        return f" {PLACEHOLDER_KINDS.get(word, 'phperson')} "

    text = PLACEHOLDER_RE.sub(kind, text)
    for pattern, token in RAW_PATTERNS:
        text = pattern.sub(token, text)
    return text.lower()


def extract_features(nlp: Language, texts: Sequence[str], batch_size: int = 1000) -> Features:
    """Feature text for every statement, from a single `nlp.pipe` pass."""
    normalised = [normalise(t) for t in texts]
    analysed = [
        " ".join(_doc_tokens(doc))
        for doc in nlp.pipe((_merge_idioms(t) for t in normalised), batch_size=batch_size)
    ]
    return Features(analysed=tuple(analysed), raw=tuple(normalised))


def _merge_idioms(text: str) -> str:
    for pattern, token in IDIOMS:
        text = pattern.sub(token, text)
    return text


def _doc_tokens(doc: Iterable[spacy.tokens.Token]) -> list[str]:
    out: list[str] = []
    scope = 0
    previous = ""
    first = True
    for token in doc:
        lemma = token.lemma_ or token.lower_
        if token.is_space:
            continue
        if lemma in SCOPE_ENDERS or token.is_punct:
            scope = 0
            previous = lemma
            continue
        lemma = DIGITS_RE.sub("0", lemma)
        if first:
            out.append(f"FIRST_{lemma}")
            first = False
        if lemma in HEDGES or (previous, lemma) in HEDGE_PAIRS:
            out.append("HEDGE")
        if lemma in NEGATION_CUES:
            out.append("NEG")
            out.append(lemma)
            scope = SCOPE_MAX
        elif scope and lemma in NEGATIVE_WORDS:
            out.append("DOUBLE_NEG")
            out.append(lemma)
            scope = 0
        elif scope:
            # Keep the bare lemma too: "no chronology" is still about the chronology.
            out.append(lemma)
            out.append(f"NEG_{lemma}")
            scope -= 1
        else:
            out.append(lemma)
        previous = lemma
    return out
