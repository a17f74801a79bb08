"""Published inspection reports as sentences: the raw text behind the domain vectors.

Ofsted's reports of local authority children's services (Open Government Licence v3.0)
are the largest body of real practice language there is. They are never shipped: the
project ships vectors trained on them and statements written in its own words from them.
This module reads a folder of report texts (as `pdftotext` writes them), strips the page
furniture, and yields sentences; it also finds corpus rows that copy a report sentence,
so a test can hold the corpus to its own words.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from briefing_nlp.errors import CorpusError

# Page furniture pdftotext leaves in every report: running headers ("Inspection of X
# local authority children's services"), the inspection dates under them, page numbers,
# form feeds and the numbers of numbered paragraphs.
_FURNITURE = re.compile(
    r"^\s*(?:inspection of .{0,80}(?:children[’']s services|local authority)\s*$"
    r"|(?:inspection dates?:?\s*)?\d{1,2}(?:\s+\w+)?\s+(?:to|and|–|-)\s+\d{1,2}\s+\w+\s+\d{4}\s*$"
    r"|\d{1,3}\.?\s*$|page \d+ of \d+\s*$)",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*[◼■•●▪\-–]\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?])[’'\")\]]?\s+(?=[A-Z‘'\"(])")
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


@dataclass(frozen=True)
class Report:
    """One report's text with the metadata the corpus keeps as provenance."""

    path: Path
    urn: str
    authority: str

    def sentences(self) -> list[str]:
        return report_sentences(self.path.read_text(encoding="utf-8", errors="replace"))


def load_reports(folder: Path, *, exclude_authorities: Iterable[str] = ()) -> list[Report]:
    """The reports in `folder`, with URN and authority from `reports.csv` when present.

    Without `reports.csv` the URN and authority are read from the file name
    (`<urn>_<authority>__children_s_services_inspection_-_<date>.txt`, as Ofsted's files
    are saved by the project's fetch notes).

    Raises:
        CorpusError: the folder does not exist or holds no `.txt` reports.
    """
    folder = Path(folder)
    texts = folder / "reports" if (folder / "reports").is_dir() else folder
    if not texts.is_dir():
        raise CorpusError(f"{folder}: report folder not found; give a folder of report .txt files")
    meta: dict[str, tuple[str, str]] = {}
    index = folder / "reports.csv"
    if index.is_file():
        with index.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                meta[row["file"]] = (row["urn"], row["local_authority"])
    excluded = {a.strip().lower() for a in exclude_authorities}
    reports = []
    for path in sorted(texts.glob("*.txt")):
        urn, authority = meta.get(path.name) or _from_name(path.name)
        if authority.lower() in excluded:
            continue
        reports.append(Report(path, urn, authority))
    if not reports:
        raise CorpusError(f"{texts}: no report .txt files here; save each report as text first")
    return reports


def _from_name(name: str) -> tuple[str, str]:
    stem = name.removesuffix(".txt")
    urn, _, rest = stem.partition("_")
    authority = rest.split("__", 1)[0] if "__" in rest else rest
    return urn, authority


def report_sentences(text: str) -> list[str]:
    """The report's prose as sentences, page furniture removed and wrapped lines joined."""
    paragraphs: list[str] = []
    current: list[str] = []
    for raw in text.replace("\f", "\n").splitlines():
        line = raw.strip()
        if _FURNITURE.match(line):
            continue
        if not line:
            # A blank line ends a paragraph unless the last line ran on mid-sentence, as at
            # a page break that split a paragraph in two.
            if current and current[-1][-1:] in ".?!:":
                paragraphs.append(" ".join(current))
                current = []
            continue
        if _BULLET.match(line):
            if current:
                paragraphs.append(" ".join(current))
            current = [_BULLET.sub("", line)]
            continue
        current.append(line)
    if current:
        paragraphs.append(" ".join(current))
    sentences = []
    for paragraph in paragraphs:
        for sentence in _SENTENCE_END.split(paragraph):
            sentence = " ".join(sentence.split())
            if len(sentence.split()) >= 3:
                sentences.append(sentence)
    return sentences


def words(text: str) -> list[str]:
    """Lower-cased word tokens, as used to compare a row with a report sentence."""
    return _WORD.findall(text.lower().replace("’", "'"))


@dataclass(frozen=True)
class Copy:
    """A corpus row that shares most of its words, in order, with one report sentence."""

    row: str
    sentence: str
    share: float


def _common(a: list[str], b: list[str]) -> tuple[int, int]:
    """Longest common subsequence and longest common run of two word lists."""
    previous = [0] * (len(b) + 1)
    previous_run = [0] * (len(b) + 1)
    longest_run = 0
    for x in a:
        current = [0]
        run = [0]
        for j, y in enumerate(b, start=1):
            if x == y:
                current.append(previous[j - 1] + 1)
                run.append(previous_run[j - 1] + 1)
                longest_run = max(longest_run, run[-1])
            else:
                current.append(max(previous[j], current[j - 1]))
                run.append(0)
        previous, previous_run = current, run
    return previous[-1], longest_run


class SentenceIndex:
    """Report sentences indexed by word, to find rows that copy one quickly.

    A row copies a sentence when at least `threshold` of the row's words appear in the
    sentence in the same order (a longest common subsequence) and they make up most of
    the sentence (`sentence_share`), so a copied sentence with a word or two dropped or
    changed is caught, while a four-word note ("child not seen alone") whose words happen
    to occur in order inside a 40-word sentence is not. A long run of words copied
    unchanged (`run_words` or more) is a copy whatever the lengths.
    """

    def __init__(self, sentences: Iterable[str]) -> None:
        self.sentences: list[list[str]] = []
        self.sets: list[frozenset[str]] = []
        self.texts: list[str] = []
        self.postings: dict[str, list[int]] = {}
        for sentence in dict.fromkeys(sentences):
            tokens = words(sentence)
            if not tokens:
                continue
            number = len(self.sentences)
            self.sentences.append(tokens)
            self.sets.append(frozenset(tokens))
            self.texts.append(sentence)
            for token in set(tokens):
                self.postings.setdefault(token, []).append(number)

    def copies(
        self,
        rows: Iterable[str],
        threshold: float = 0.9,
        min_words: int = 4,
        sentence_share: float = 0.6,
        run_words: int = 12,
    ) -> list[Copy]:
        found = []
        for row in rows:
            tokens = words(row)
            if len(tokens) < min_words:
                continue
            need = min(-(-len(tokens) * threshold // 1), run_words)  # ceil, or a long run
            distinct = sorted(set(tokens), key=lambda t: len(self.postings.get(t, ())))
            # A copying sentence holds at least `need` of the row's words, so it must hold
            # one of its (len - need + 1) rarest: only sentences holding those are compared.
            slack = max(1, len(tokens) - int(need) + 1)
            candidates = Counter(
                s for token in distinct[:slack] for s in self.postings.get(token, ())
            )
            row_words = set(tokens)
            # Distinct words the sentence must share: repeats in the row may cover the rest.
            need_distinct = need - (len(tokens) - len(row_words))
            best: Copy | None = None
            for number in candidates:
                if len(row_words & self.sets[number]) < need_distinct:
                    continue
                sentence = self.sentences[number]
                common, run = _common(tokens, sentence)
                share = common / len(tokens)
                copied = (
                    share >= threshold and common >= sentence_share * len(sentence)
                ) or run >= run_words
                if copied and (best is None or share > best.share):
                    best = Copy(row, self.texts[number], round(share, 3))
            if best is not None:
                found.append(best)
        return found


def iter_sentences(reports: Iterable[Report]) -> Iterator[str]:
    for report in reports:
        yield from report.sentences()
