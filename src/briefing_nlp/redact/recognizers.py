"""One interface for every recognizer of personal data: given a batch of texts, each
text's entities (offsets into it, a type, a score and the reason it matched).

The pattern recognizers (patterns.py), the name model the project trains, any installed
spaCy pipeline a user names, capitalised words that are no English word, and the wording
around names (name_cues.py) all answer `find`; the redactor runs them in that order and
then resolves what they found.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

from spacy.language import Language

from briefing_nlp.ingest.text import BULLET_RE
from briefing_nlp.redact.lexicon import Lexicon
from briefing_nlp.redact.name_cues import find_name_cues
from briefing_nlp.redact.patterns import Entity, find_patterns
from briefing_nlp.redact.wordlists import NOTE_VERBS


@runtime_checkable
class Recognizer(Protocol):
    """Finds personal data in each of a batch of texts."""

    name: str

    def find(self, texts: Sequence[str]) -> list[list[Entity]]:
        """Each text's entities, in any order; overlaps are resolved by the redactor."""
        ...


class Patterns:
    """The pattern recognizers: identifiers, dates, addresses, names beside relatives,
    roles and titles."""

    name = "patterns"

    def find(self, texts: Sequence[str]) -> list[list[Entity]]:
        return [find_patterns(text) for text in texts]


class NameModel:
    """A spaCy pipeline's PERSON and ORG entities, read only on the lines that may hold a
    name (`Lexicon.may_name`)."""

    def __init__(
        self,
        pipeline: Language,
        score: float,
        may_name: Callable[[str], bool],
        batch_size: int = 256,
        name: str = "named-entity model",
    ) -> None:
        self.pipeline = pipeline
        self.score = score
        self.may_name = may_name
        self.batch_size = batch_size
        self.name = name

    def find(self, texts: Sequence[str]) -> list[list[Entity]]:
        found: list[list[Entity]] = [[] for _ in texts]
        lines = [
            (index, offset + marker, line[marker:])
            for index, text in enumerate(texts)
            for offset, line in _lines(text)
            if self.may_name(line)
            # The model learnt names from lines without list markers: "- Amara
            # Achterberg told..." hid the first name from it.
            for marker in [_marker_length(line)]
        ]
        docs = self.pipeline.pipe((line for _, _, line in lines), batch_size=self.batch_size)
        for (index, offset, _), doc in zip(lines, docs, strict=True):
            for ent in doc.ents:
                kind = {"PER": "PERSON", "PERSON": "PERSON", "ORG": "ORG"}.get(ent.label_)
                if not kind:
                    continue
                start = ent.start_char
                if kind == "PERSON" and len(ent) > 1 and ent[0].lower_ in NOTE_VERBS:
                    # "Seen Kacper Nowak at home": the model takes the note's opening
                    # verb into the name; the verb is the auditor's, not personal data.
                    start = ent[1].idx
                found[index].append(
                    Entity(
                        offset + start,
                        offset + ent.end_char,
                        kind,
                        doc.text[start : ent.end_char],
                        self.score,
                        f"{kind} named-entity model",
                    )
                )
        return found


class UnfamiliarWords:
    """Capitalised words that are no English, practice or corpus word: in notes, nearly
    always names."""

    name = "unfamiliar words"

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    def find(self, texts: Sequence[str]) -> list[list[Entity]]:
        return [self.lexicon.unfamiliar_words(text) for text in texts]


class NameCues:
    """Names the wording around them gives away (name_cues.py)."""

    name = "name cues"

    def __init__(self, lexicon: Lexicon) -> None:
        self.unfamiliar = lexicon.unfamiliar if lexicon.common_words else _nothing

    def find(self, texts: Sequence[str]) -> list[list[Entity]]:
        return [find_name_cues(text, self.unfamiliar) for text in texts]


def _nothing(_: str) -> bool:
    return False


def _lines(text: str) -> list[tuple[int, str]]:
    """Each line of a text with its offset."""
    out, offset = [], 0
    for line in text.split("\n"):
        out.append((offset, line))
        offset += len(line) + 1
    return out


def _marker_length(line: str) -> int:
    """Length of a bullet or list number opening the line ("- ", "1. ", "a) ")."""
    match = BULLET_RE.match(line)  # the markers ingest recognises
    return match.end() if match else 0
