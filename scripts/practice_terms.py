"""Candidate practice terms from a folder of inspection reports (and optionally corpora).

A capitalised word or phrase that many different authorities' reports use is practice
vocabulary (teams, panels, tools, services, roles), not a person: inspection reports
essentially never name people. Prints `term<TAB>authorities` for every candidate used
by at least --min-authorities authorities, most widespread first. The shipped list
(src/briefing_nlp/data/practice_terms.txt) was reviewed by eye from this output; see
its header for what was removed and what was added by hand.

Usage:
    python scripts/practice_terms.py ../shared/corpora/ofsted-ilacs/reports \
        --min-authorities 8 > candidates.tsv
    python scripts/practice_terms.py REPORTS --shipped src/briefing_nlp/data/practice_terms.txt
        (only candidates the shipped list lacks)
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
SENTENCE_RE = re.compile(r"(?<=[.!?:;])\s+|\n\s*\n|\s[–•]\s")
# Lower-case words that may sit inside a capitalised name ("Signs of Safety").
JOINERS = frozenset({"of", "and", "for", "the", "in", "to", "on", "at", "with", "&"})
# Capitalised openers that are never part of a term ("The Independent Reviewing Officer").
OPENERS = JOINERS | frozenset({"a", "an", "this", "these", "their", "its", "all", "most"})
MAX_WORDS = 4
# A line found in this share of reports is page furniture (licence, address, headings).
FURNITURE_SHARE = 0.3


def authority_of(path: Path) -> str:
    """Reports are named `<URN>_<authority>_...`: the URN identifies the authority."""
    return path.stem.split("_", 1)[0]


def sentences(text: str, furniture: frozenset[str] = frozenset()) -> list[str]:
    """Paragraph text joined across the PDF's line breaks, then split into sentences."""
    text = "\n".join(line for line in text.split("\n") if line.strip() not in furniture)
    text = re.sub(r"-\n(?=[a-z])", "", text)
    text = re.sub(r"(?<!\n)\n(?!\n)", " ", text)
    return [s.strip() for s in SENTENCE_RE.split(text) if s.strip()]


def capitalised_terms(sentence: str) -> set[str]:
    """Capitalised words and phrases of up to MAX_WORDS words, not counting a sentence's
    opening word on its own (any word is capitalised there)."""
    words = WORD_RE.findall(sentence)
    found: set[str] = set()
    for start, word in enumerate(words):
        if not word[0].isupper():
            continue
        for end in range(start, min(len(words), start + MAX_WORDS)):
            last = words[end]
            if not (last[0].isupper() or last.lower() in JOINERS):
                break
            if not last[0].isupper() or (start == 0 and end == 0):
                continue
            if word.lower() in OPENERS or max(len(w) for w in words[start : end + 1]) < 3:
                continue
            found.add(" ".join(words[start : end + 1]).lower().replace("’", "'"))
    return found


def count_terms(files: list[Path], key=authority_of) -> dict[str, set[str]]:
    """Each candidate term and the set of sources (authorities) that use it."""
    texts = {file: file.read_text(encoding="utf-8", errors="replace") for file in files}
    line_reports: dict[str, int] = defaultdict(int)
    for text in texts.values():
        for line in {line.strip() for line in text.split("\n")}:
            line_reports[line] += 1
    furniture = frozenset(
        line for line, n in line_reports.items() if n >= max(2, FURNITURE_SHARE * len(files))
    )
    users: dict[str, set[str]] = defaultdict(set)
    for file, text in texts.items():
        source = key(file)
        for sentence in sentences(text, furniture):
            for term in capitalised_terms(sentence):
                users[term].add(source)
    return users


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", type=Path, help="folder of report .txt files")
    parser.add_argument("--min-authorities", type=int, default=8)
    parser.add_argument(
        "--shipped", type=Path, help="only print candidates this term list does not hold"
    )
    args = parser.parse_args(argv)
    files = sorted(args.reports.glob("*.txt"))
    if not files:
        print(f"error: {args.reports}: no .txt reports; give a folder of them", file=sys.stderr)
        return 1
    users = count_terms(files)
    shipped: set[str] = set()
    if args.shipped:
        lines = args.shipped.read_text(encoding="utf-8").splitlines()
        shipped = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    ranked = sorted(users.items(), key=lambda item: (-len(item[1]), item[0]))
    for term, sources in ranked:
        if len(sources) >= args.min_authorities and term not in shipped:
            print(f"{term}\t{len(sources)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
