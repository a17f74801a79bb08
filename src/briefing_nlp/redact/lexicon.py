"""The word knowledge redaction shares: which capitalised or lower-case words may be
names, and which are practice vocabulary where they stand."""

from __future__ import annotations

import re

from briefing_nlp.redact.patterns import Entity
from briefing_nlp.redact.practice_terms import PracticeTerms, shipped_terms
from briefing_nlp.redact.wordlists import ABBREVIATIONS, ALLOW

CAPITALISED_RE = re.compile(r"(?<![\w\[@./])[A-ZÀ-Þ][\w'’-]*[^\W\d_](?![\w@])")
# A line opening with a word that is also a name ("Summer", "Grace") goes to the NER
# model when a verb of someone speaking or being seen follows it.
SPEAKS_RE = re.compile(
    r"\s+(?:said|says|told|tells|was|is|has|had|wants|wanted|feels|felt|reports|reported|"
    r"disclosed|stated|explained|attends|attended|enjoys|likes|loves|lives|and)\b",
    re.IGNORECASE,
)
LOWER_WORD_RE = re.compile(r"(?<![\w\[@./])[a-z][a-z'’-]*[a-z](?![\w@])")
# "CareStore", "LiquidLogic": two English words joined with a capital name a system.
CAMEL_PART_RE = re.compile(r"[A-Z][a-z]+")


class Lexicon:
    """What the redactor knows of words: the allow-list, the common English words that
    ship with the name model, and the practice terms. Recognizers and the redactor's
    clean-up ask it whether a word may be a name."""

    def __init__(
        self,
        allow: frozenset[str] = ALLOW,
        common_words: frozenset[str] = frozenset(),
        terms: PracticeTerms | None = None,
    ) -> None:
        self.allow = allow
        self.common_words = common_words
        # The shipped practice terms with the allow-list's words and phrases.
        self.terms = terms if terms is not None else shipped_terms().extended(allow)

    def may_name(self, line: str) -> bool:
        """Whether a line has a capitalised word that could be a name, so the NER model
        must read it; lines with only practice abbreviations and an opening English word
        are skipped (a third of the model's work on typical notes)."""
        for number, match in enumerate(CAPITALISED_RE.finditer(line)):
            word = match.group(0).lower()
            if match.group(0).isupper() and len(word) <= 5:
                continue
            if word in self.allow or word in ABBREVIATIONS or self.practice(line, match):
                continue
            if (
                number == 0
                and match.start() <= 3
                and word in self.common_words
                and not SPEAKS_RE.match(line, match.end())
            ):
                continue  # "During the visit", "Chronology out of date"
            return True
        return bool(self.common_words) and any(
            self.unfamiliar(m.group(0)) for m in LOWER_WORD_RE.finditer(line)
        )

    def unfamiliar(self, word: str) -> bool:
        """A lower-case word that is no English, practice or corpus word ("kayden")."""
        parts = [p for p in re.split(r"['’-]", word) if len(p) > 2]
        return bool(parts) and not (
            word in self.allow
            or word in ABBREVIATIONS
            or self.terms.may_cover(word)
            or all(p in self.common_words for p in parts)
        )

    def practice(self, text: str, match: re.Match[str]) -> bool:
        """Whether a capitalised word is practice vocabulary where it stands: a listed
        term in context, or a system name made of English words ("CareStore")."""
        word = match.group(0)
        if self.terms.may_cover(word) and self.terms.is_practice(text, *match.span()):
            return True
        parts = CAMEL_PART_RE.findall(word)
        return (
            len(parts) > 1
            and "".join(parts) == word
            and all(len(p) > 2 and p.lower() in self.common_words for p in parts)
        )

    def unfamiliar_words(self, text: str) -> list[Entity]:
        """Capitalised words that are not English words: in notes, nearly always names.

        The word list (about 76,000 common English words plus the corpus vocabulary) ships
        with the NER model; a name that is also a word ("Grace") is left to the model.
        """
        out = []
        for match in CAPITALISED_RE.finditer(text):
            word = re.sub(r"['’]s$", "", match.group(0))
            parts = [p for p in re.split(r"['’-]", word.lower()) if p]
            if word.isupper() and len(word) <= 5:
                continue  # short capitals are abbreviations
            if not parts or word.lower() in self.allow or word.lower() in ABBREVIATIONS:
                continue
            if self.practice(text, match):
                continue
            if any(len(p) > 2 and p not in self.common_words for p in parts):
                out.append(
                    Entity(
                        match.start(),
                        match.start() + len(word),
                        "PERSON",
                        word,
                        0.55,
                        "capitalised word that is not an English word",
                    )
                )
        return out
