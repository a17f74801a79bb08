"""Find personal data and replace it with typed placeholders, consistently per audit.

Recognizers (recognizers.py) share one interface: the pattern recognizers, a PERSON/ORG
name model the project trains (models/ner), any installed spaCy pipeline a user names,
unfamiliar capitalised words and the wording around names. Names found once are
redacted wherever they recur in the audit, and a first name used alone gets its full
name's placeholder. The original-to-placeholder mapping lives in memory only and is
never written out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from spacy.language import Language

from briefing_nlp.redact.lexicon import CAPITALISED_RE, Lexicon
from briefing_nlp.redact.patterns import Entity
from briefing_nlp.redact.practice_terms import PracticeTerms
from briefing_nlp.redact.recognizers import (
    NameCues,
    NameModel,
    Patterns,
    Recognizer,
    UnfamiliarWords,
)
from briefing_nlp.redact.wordlists import ABBREVIATIONS, ALLOW, NOTE_VERBS, OPENERS

NUMBERED = ("PERSON", "ORG")
PRIORITY = {
    "EMAIL": 8,
    "ID": 7,
    "PHONE": 6,
    "POSTCODE": 5,
    "DATE": 5,
    "ADDRESS": 4,
    "ORG": 3,
    "PERSON": 2,
}
# A capitalised word straight before a name is its first name ("Oliver [Preston]")
# unless it opens the sentence as one of these.
FIRST_NAME_RE = re.compile(r"(?<![\w'’-])([A-Z][a-z'’-]*[a-z]) $")
# A first name joined to a couple's full name: "carers Carol & Steve Hartigan".
PARTNER_RE = re.compile(r"(?<![\w'’-])([A-Z][a-z'’-]*[a-z]) (?:&|and) $")
# ... and the full name after a lone first name the model did find ("Margaret and Ian
# Fletcher", where it let "Ian Fletcher" go).
PARTNER_AFTER_RE = re.compile(r" (?:&|and) ([A-Z][a-z'’-]*[a-z]) ([A-Z][a-z'’-]*[a-z])(?![\w'’-])")
# ... and a capitalised word straight after one is its surname, when the surname is also
# an English word the model let go ("Holly [Turner] 20").
SURNAME_RE = re.compile(r"[A-Z][a-z'’-]*[a-z](?![\w'’-])")
# Short capitals with a plural "s" ("RHIs", "CP's") are abbreviations, not names.
PLURAL_ABBREVIATION_RE = re.compile(r"[A-Z][A-Z0-9]{1,4}['’]?s")
# An abbreviation used as a verb: "NFA'd as a parenting issue", "MASH'd", "s47'd".
ABBREVIATION_VERB_RE = re.compile(r"([A-Za-z][A-Za-z0-9]{1,5})['’](?:d|ed|ing)")
# Pronouns are never names, however a sentence opens ("She was referred to CAMHS").
PRONOUNS = frozenset(
    "i me my he him his she her hers we us our ours they them their theirs you your it its "
    "who whom this that these those".split()
)
WORD_RUN_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class Redaction:
    """A redacted text, its entities (offsets into the original) and the offset map."""

    text: str
    entities: tuple[Entity, ...]
    spans: tuple[tuple[int, int, int, int], ...] = ()  # original start/end -> new start/end

    def map_start(self, position: int) -> int:
        """Where an original start offset lands in the redacted text."""
        shift = 0
        for old_start, old_end, new_start, new_end in self.spans:
            if old_start <= position < old_end:
                return new_start
            if old_end > position:
                break
            shift = new_end - old_end
        return position + shift

    def map_end(self, position: int) -> int:
        """Where an original end offset lands in the redacted text."""
        shift = 0
        for old_start, old_end, _, new_end in self.spans:
            if old_start < position <= old_end:
                return new_end
            if old_end > position:
                break
            shift = new_end - old_end
        return position + shift


@dataclass
class Placeholders:
    """Typed placeholders, the same one for the same person or organisation per session."""

    numbers: dict[tuple[str, str], int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def label(self, kind: str, value: str) -> str:
        if kind not in NUMBERED:
            return f"[{kind}]"
        key = (kind, _name_key(value))
        if key not in self.numbers and kind == "PERSON":
            # "Chloe" alone is the same person as "Chloe Bennett" seen earlier.
            for (other_kind, other), number in self.numbers.items():
                if other_kind == kind and (
                    other.split()[0] == key[1] or key[1].split()[0] == other
                ):
                    self.numbers[key] = number
                    break
        if key not in self.numbers:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            self.numbers[key] = self.counts[kind]
        return f"[{kind} {self.numbers[key]}]"


# Shorter words ending in -ed are as often names as verbs ("Ted", "Reed", "Ned").
MIN_PARTICIPLE_LETTERS = 6


def _name_key(value: str) -> str:
    return " ".join(re.sub(r"['’]s$", "", value).lower().split())


class Redactor:
    """Runs every recognizer over the texts and resolves what they found: names trimmed
    of practice words and completed, practice terms dropped, names found once redacted
    wherever they recur, overlaps merged."""

    def __init__(
        self,
        ner: Language | None,
        allow: frozenset[str] = ALLOW,
        extra: Language | None = None,
        batch_size: int = 256,
        common_words: frozenset[str] = frozenset(),
        terms: PracticeTerms | None = None,
    ) -> None:
        self.ner = ner
        self.extra = extra
        self.lexicon = Lexicon(allow, common_words, terms)
        # Words never taken into a name beside them (read for every name found).
        self._not_joined = allow | ABBREVIATIONS | OPENERS | NOTE_VERBS
        self.allow = allow
        self.terms = self.lexicon.terms
        self.common_words = common_words
        recognizers: list[Recognizer] = [Patterns()]
        for pipeline, score, name in ((ner, 0.8, "name model"), (extra, 0.7, "installed pipeline")):
            if pipeline is not None:
                recognizers.append(
                    NameModel(pipeline, score, self.lexicon.may_name, batch_size, name)
                )
        if common_words:
            recognizers.append(UnfamiliarWords(self.lexicon))
        recognizers.append(NameCues(self.lexicon))
        self.recognizers: tuple[Recognizer, ...] = tuple(recognizers)

    def find(self, texts: Sequence[str]) -> list[list[Entity]]:
        """Entities in each text, overlaps resolved, allow-listed terms dropped, and names
        found in any text propagated to their other occurrences."""
        found: list[list[Entity]] = [[] for _ in texts]
        for recognizer in self.recognizers:
            for entities, more in zip(found, recognizer.find(texts), strict=True):
                entities.extend(more)
        found = [
            [kept for e in entities if self._keep(kept := self._trimmed(text, e), text)]
            for text, entities in zip(texts, found, strict=True)
        ]
        for text, entities in zip(texts, found, strict=True):
            entities.extend(self._partners(text, entities))
        # A name's part that is a practice word ("Family" of "the Mbuyi Family") is not
        # redacted wherever it recurs alone.
        practice_words = self.terms.words | (self.terms.phrase_words & self.common_words)
        found = _propagate(texts, found, self.allow | practice_words | ABBREVIATIONS)
        return [_resolve(text, entities) for text, entities in zip(texts, found, strict=True)]

    def _trimmed(self, text: str, entity: Entity) -> Entity:
        """A name without the practice words at its edges ("Partner Ryan Cole"), and
        with the first name the model left off it ("Oliver [Preston]")."""
        if entity.type == "PERSON":
            entity = self._with_surname(text, self._with_first_name(text, entity))
        if entity.type != "PERSON" or not any(
            self.terms.may_cover(w) for w in WORD_RUN_RE.findall(entity.text)
        ):
            return entity
        start, end = self.terms.trim(text, entity.start, entity.end)
        return replace(entity, start=start, end=end, text=text[start:end])

    def _with_first_name(self, text: str, entity: Entity) -> Entity:
        # Only the words just before the name: searching from the start of the text for
        # every name made a run of titles ("Mrs Mrs ...") quadratic.
        before = FIRST_NAME_RE.search(text, max(0, entity.start - 64), entity.start)
        if before is None or not entity.text[:1].isupper():
            return entity
        word = before.group(1)
        if word.isupper() or not self._may_join_a_name(word, text, before):
            return entity
        start = before.start(1)
        return replace(entity, start=start, text=text[start : entity.end])

    def _may_join_a_name(self, word: str, text: str, match: re.Match[str]) -> bool:
        """Whether a capitalised word beside a name may be part of it: no allow-listed,
        abbreviation, opener or note verb, and no practice word where it stands."""
        return word.lower() not in self._not_joined and not self.lexicon.practice(text, match)

    def _partners(self, text: str, entities: list[Entity]) -> list[Entity]:
        """First names joined to a full name ("Carol & Steve Hartigan"): the model reads
        the full name and can let a first name that is also a word ("Carol") go; and a
        full name joined to a first name it found ("Margaret and Ian Fletcher")."""
        out = []
        for entity in entities:
            if entity.type == "PERSON" and " " not in entity.text.strip():
                joined = self._full_name_after(text, entity, entities)
                if joined is not None:
                    out.append(joined)
                continue
            if entity.type != "PERSON":
                continue
            before = PARTNER_RE.search(text, max(0, entity.start - 64), entity.start)
            if before is None:
                continue
            word = before.group(1)
            alone = SURNAME_RE.match(text, before.start(1))
            if (
                alone is None
                or not self._may_join_a_name(word, text, alone)
                or any(e.start <= before.start(1) < e.end for e in entities)
            ):
                continue
            out.append(
                Entity(
                    before.start(1),
                    before.end(1),
                    "PERSON",
                    word,
                    entity.score,
                    "first name joined to a full name",
                )
            )
        return out

    def _full_name_after(self, text: str, entity: Entity, entities: list[Entity]) -> Entity | None:
        """The full name joined to a lone first name ("Margaret and Ian Fletcher"), when
        neither of its words is a practice word and nothing found overlaps it."""
        after = PARTNER_AFTER_RE.match(text, entity.end)
        if after is None or any(e.start < after.end() and after.start(1) < e.end for e in entities):
            return None
        for group in (1, 2):
            word = SURNAME_RE.match(text, after.start(group))
            if (
                word is None
                or not self._may_join_a_name(word.group(0), text, word)
                or self.terms.may_cover(word.group(0))
            ):
                return None
        start, end = after.start(1), after.end(2)
        return Entity(
            start, end, "PERSON", text[start:end], entity.score, "full name joined to a first name"
        )

    def _with_surname(self, text: str, entity: Entity) -> Entity:
        after = SURNAME_RE.match(text, entity.end + 1)
        if (
            after is None
            or text[entity.end : entity.end + 1] != " "
            or not entity.text[:1].isupper()
            or " " in entity.text.strip()
        ):
            return entity  # a full name already has its surname
        word = after.group(0)
        if not self._may_join_a_name(word, text, after):
            return entity
        return replace(entity, end=after.end(), text=text[entity.start : after.end()])

    def _keep(self, entity: Entity, text: str) -> bool:
        raw = entity.text.strip(" .,;:()")
        value = _name_key(raw)
        if not value or value in self.allow:
            return False
        if value in ABBREVIATIONS and (raw.isupper() or raw.islower()):
            return False
        if value in PRONOUNS:
            return False
        if PLURAL_ABBREVIATION_RE.fullmatch(raw):
            return False  # "RHIs offered late", "PEPs": practice terms, never names
        verb = ABBREVIATION_VERB_RE.fullmatch(raw)
        if verb and verb.group(1).lower() in ABBREVIATIONS and verb.group(1).isupper():
            return False
        # The model learnt lower-case names ("kayden moore"); lower-case English words
        # it takes for names ("social media") are words.
        if (
            raw.islower()
            and entity.reason.endswith("named-entity model")
            and all(p in self.common_words for p in WORD_RUN_RE.findall(raw))
        ):
            return False
        if entity.reason.endswith("named-entity model") and self._participle(raw):
            return False  # "Themed audit of 11 records": a sentence's first word
        if entity.type in NUMBERED and all(
            part.lower() in self.allow
            or (part.lower() in ABBREVIATIONS and (part.isupper() or part.islower()))
            for part in re.sub(r"['’]s$", "", raw).split()
        ):
            return False
        if entity.type in NUMBERED and self._practice_span(text, entity):
            return False
        return not (entity.type == "PERSON" and len(value) < 2)

    def redact(
        self,
        texts: Sequence[str],
        placeholders: Placeholders | None = None,
        keep_types: frozenset[str] = frozenset(),
    ) -> list[Redaction]:
        """Each text with its personal data, except entities of `keep_types`, replaced by
        placeholders."""
        placeholders = placeholders or Placeholders()
        results = []
        for text, found in zip(texts, self.find(texts), strict=True):
            entities = [e for e in found if e.type not in keep_types]
            parts: list[str] = []
            spans: list[tuple[int, int, int, int]] = []
            position = new_length = 0
            for entity in entities:
                parts.append(text[position : entity.start])
                new_length += entity.start - position
                label = placeholders.label(entity.type, entity.text)
                spans.append((entity.start, entity.end, new_length, new_length + len(label)))
                parts.append(label)
                new_length += len(label)
                position = entity.end
            parts.append(text[position:])
            results.append(Redaction("".join(parts), tuple(entities), tuple(spans)))
        return results

    def _participle(self, word: str) -> bool:
        """Whether a capitalised word is an English past participle ("Themed", "Audited",
        "Reviewed"): a common word ending in -ed whose stem is a common word too. Names
        ending so ("Alfred", "Wilfred", "Mohammed") have no such stem; short ones ("Ted",
        "Reed") are left alone."""
        lower = word.lower()
        return (
            len(lower) >= MIN_PARTICIPLE_LETTERS
            and lower.isalpha()
            and lower.endswith("ed")
            and lower in self.common_words
            and (lower[:-1] in self.common_words or lower[:-2] in self.common_words)
        )

    def _practice_span(self, text: str, entity: Entity) -> bool:
        words = list(CAPITALISED_RE.finditer(text, entity.start, entity.end))
        if len(words) == 1 and words[0].span() == (entity.start, entity.end):
            return self.lexicon.practice(text, words[0])
        return any(self.terms.may_cover(w) for w in WORD_RUN_RE.findall(entity.text)) and (
            self.terms.is_practice(text, entity.start, entity.end)
        )


def _propagate(
    texts: Sequence[str], found: list[list[Entity]], allow: frozenset[str]
) -> list[list[Entity]]:
    names: dict[str, str] = {}
    for entities in found:
        for entity in entities:
            if entity.type in NUMBERED:
                value = re.sub(r"['’]s$", "", entity.text.strip())
                names.setdefault(value, entity.type)
                parts = value.split()
                if entity.type == "PERSON" and len(parts) > 1:
                    for part in parts:
                        if len(part) > 2 and part.lower() not in allow:
                            names.setdefault(part, "PERSON")
    if not names:
        return found
    lowered = {n.lower(): kind for n, kind in names.items()}
    # Candidate names by their first word, longest first (as a regex alternation sorted
    # by length would try them), checked only where a line has that word: one set lookup
    # per word instead of a thousand-way alternation over every line.
    by_first: dict[str, list[str]] = {}
    for name in sorted(lowered, key=len, reverse=True):
        words = WORD_RUN_RE.findall(name)
        if words:
            by_first.setdefault(words[0], []).append(name)
    return [
        entities + _repeats(text, by_first, lowered)
        for text, entities in zip(texts, found, strict=True)
    ]


def _repeats(text: str, by_first: dict[str, list[str]], kinds: dict[str, str]) -> list[Entity]:
    """Every whole-word occurrence in `text` of a name found elsewhere in the audit."""
    low = text.lower()
    if len(low) != len(text):  # a rare letter whose lower case is longer: compare per char
        low = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    extra: list[Entity] = []
    position = 0
    for word in WORD_RUN_RE.finditer(low):
        start = word.start()
        if start < position or word.group(0) not in by_first:
            continue
        if start and text[start - 1] == "[":  # inside a placeholder
            continue
        for name in by_first[word.group(0)]:
            end = start + len(name)
            after = text[end : end + 1]
            if low[start:end] != name or (after and (after.isalnum() or after in "_]")):
                continue
            position = end
            # Lower-case repeats are usually ordinary words ("grace", "hope"), not the name.
            if not text[start:end].islower():
                extra.append(
                    Entity(
                        start,
                        end,
                        kinds[name],
                        text[start:end],
                        0.75,
                        "same name as found elsewhere in the audit",
                    )
                )
            break
    return extra


def _resolve(text: str, entities: list[Entity]) -> list[Entity]:
    """Non-overlapping spans: overlapping ones merge into their union, typed by the longer
    match (then the more specific kind)."""
    merged: list[Entity] = []
    for entity in sorted(entities, key=lambda e: (e.start, -(e.end - e.start))):
        if merged and entity.start < merged[-1].end:
            last = merged[-1]
            keep = (
                last
                if (last.end - last.start, PRIORITY[last.type])
                >= (entity.end - entity.start, PRIORITY[entity.type])
                else entity
            )
            start, end = last.start, max(last.end, entity.end)
            merged[-1] = replace(keep, start=start, end=end, text=text[start:end])
            continue
        merged.append(entity)
    return merged
