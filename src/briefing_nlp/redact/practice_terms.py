"""Practice vocabulary that redaction keeps: the shipped term list plus a user's own terms.

A span of text is practice vocabulary when every word in it lies inside an occurrence of
a term. Multiword terms are matched as phrases in the text around the span, so "Rett" is
practice vocabulary in "Rett syndrome" and may be a name anywhere else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property, lru_cache
from importlib import resources

TERMS_FILE = "practice_terms.txt"
TOKEN_RE = re.compile(r"\w+(?:['’]\w+)*")
# Whatever follows a title is a name ("Ms Partner", "Mr Young"), never a practice word.
TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr"})
# A short term written as a name ("Sen", "Pa") is a name; as an abbreviation ("SEN",
# "PA", "PfA") it is practice vocabulary.
SHORT = 3
# Practice words this long or longer are recognised with one typing slip.
TYPO_MIN = 6


def _normal(token: str) -> str:
    """Lower case without a possessive: "Children's Centre" and "young people's forum"
    match the terms "children's centre" and "young people"."""
    return token.lower().replace("’", "'").removesuffix("'s")


class PracticeTerms:
    """Single-word terms and phrases, looked up per token of a text."""

    def __init__(self, terms: Iterable[str]) -> None:
        words: set[str] = set()
        phrases: dict[str, set[tuple[str, ...]]] = {}
        for term in terms:
            tokens = tuple(_normal(t) for t in TOKEN_RE.findall(term))
            if len(tokens) == 1:
                words.add(tokens[0])
            elif tokens:
                phrases.setdefault(tokens[0], set()).add(tokens)
        self.words = frozenset(words)
        # Longest phrase first, so "child protection plan" wins over "child protection".
        self.phrases = {
            first: sorted(options, key=len, reverse=True) for first, options in phrases.items()
        }
        self.phrase_words = frozenset(w for group in phrases.values() for p in group for w in p)

    def extended(self, terms: Iterable[str]) -> PracticeTerms:
        """These terms plus `terms` (a user's allow-list)."""
        return PracticeTerms(
            [*self.words, *(" ".join(p) for g in self.phrases.values() for p in g), *terms]
        )

    def may_cover(self, word: str) -> bool:
        """Whether a word could be practice vocabulary somewhere (a cheap pre-check);
        "Semi-Independent" is two words of a phrase."""
        return any(
            token in self.words or token in self.phrase_words or self.misspells(token)
            for token in map(_normal, TOKEN_RE.findall(word))
        )

    def covered(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the words in `text` that lie inside a term occurrence."""
        tokens = [(m.start(), m.end(), m.group(0)) for m in TOKEN_RE.finditer(text)]
        lowered = [_normal(t) for _, _, t in tokens]
        flags = [False] * len(tokens)
        for index, token in enumerate(lowered):
            for phrase in self.phrases.get(token, ()):
                if tuple(lowered[index : index + len(phrase)]) == phrase:
                    for inside in range(index, index + len(phrase)):
                        flags[inside] = True
                    break
            if not flags[index] and self._word(tokens[index][2], token):
                flags[index] = True
        for index in range(1, len(tokens)):
            if lowered[index - 1] in TITLES:
                flags[index] = False
        return [(start, end) for (start, end, _), flag in zip(tokens, flags, strict=True) if flag]

    @cached_property
    def _slips(self) -> frozenset[str]:
        """Each practice word of at least TYPO_MIN letters with one letter after the first
        left out or two neighbours swapped: "viabilty", "chronolgy", "Pathawy"."""
        slips: set[str] = set()
        for word in self.words | self.phrase_words:
            if len(word) < TYPO_MIN or not word.isalpha():
                continue
            slips.update(word[:i] + word[i + 1 :] for i in range(1, len(word)))
            slips.update(
                word[:i] + word[i + 1] + word[i] + word[i + 2 :]
                for i in range(1, len(word) - 1)
                if word[i] != word[i + 1]
            )
        return frozenset(slips)

    def misspells(self, word: str) -> bool:
        """Whether a word is a practice word typed with one slip. No name word of the
        project's personal-data corpora is one (a test holds it); the common English word
        list is not used, as it holds names ("Nicolas")."""
        return word.lower() in self._slips

    def _word(self, raw: str, token: str) -> bool:
        if len(raw) <= SHORT and raw[:1].isupper() and raw[1:].islower():
            return False
        return token in self.words or self.misspells(token)

    def is_practice(self, text: str, start: int, end: int) -> bool:
        """Whether every word of text[start:end] is practice vocabulary in context."""
        words = _words(text, start, end)
        covered = self._covered_near(text, start, end)
        return bool(words) and all(word in covered for word in words)

    def trim(self, text: str, start: int, end: int) -> tuple[int, int]:
        """The span without the practice words at its edges ("Partner Ryan Cole" -> "Ryan
        Cole"); unchanged when nothing or everything would go."""
        words = _words(text, start, end)
        covered = self._covered_near(text, start, end)
        first, last = 0, len(words)
        while first < last and words[first] in covered:
            first += 1
        while last > first and words[last - 1] in covered:
            last -= 1
        if first == last or (first == 0 and last == len(words)):
            return start, end
        return words[first][0], words[last - 1][1]

    def _covered_near(self, text: str, start: int, end: int) -> set[tuple[int, int]]:
        window, offset = _window(text, start, end)
        return {(s + offset, e + offset) for s, e in self.covered(window)}


def _words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start() + start, m.end() + start) for m in TOKEN_RE.finditer(text[start:end])]


# Phrases run at most a few words either side of a span: read only that much context.
CONTEXT_CHARS = 60


def _window(text: str, start: int, end: int) -> tuple[str, int]:
    """The span with enough text either side to match phrases, cut at word boundaries,
    and the window's offset in `text`."""
    left = max(0, start - CONTEXT_CHARS)
    while left > 0 and text[left - 1].isalnum():
        left -= 1
    right = min(len(text), end + CONTEXT_CHARS)
    while right < len(text) and text[right].isalnum():
        right += 1
    return text[left:right], left


@lru_cache(maxsize=1)
def shipped_terms() -> PracticeTerms:
    """The practice terms shipped with the package (data/practice_terms.txt), read once."""
    text = resources.files("briefing_nlp").joinpath("data", TERMS_FILE).read_text("utf-8")
    return PracticeTerms(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )
