"""Score `compare` against a hand-written gold comparison of two audit cycles.

    python benchmarks/cycles.py     # examples/neglect-cp against its September re-audit

Each gold finding (which finding of the earlier audit is which of the later, with its
status) is matched to the compared finding of its section whose records overlap most
(Jaccard of the two audits' supports together, at least 0.5); its status is right when
the two agree. A gold finding matched by none counts as wrong.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from briefing_nlp.compare import POLARITIES, Comparison  # noqa: E402
from briefing_nlp.datatypes import Briefing, Bullet, Source  # noqa: E402

CYCLE = ROOT / "examples" / "cycles" / "neglect-cp-reaudit"
MIN_JACCARD = 0.5


def _polarity(section: str) -> int:
    return next(n for n, sections in enumerate(POLARITIES) if section in sections)


def reviewed_briefing(
    title: str, records: int, bullets: list[dict[str, Any]], statements: list[dict[str, Any]]
) -> Briefing:
    """An audit as a QA lead left it after review: its gold bullets, each with the
    labelled statements behind it (the example pack's statements.jsonl)."""
    by_section: dict[str, list[Bullet]] = {}
    for gold in bullets:
        sources = tuple(
            Source(s["record"], f"Record {s['record']}", s["text"], 0, len(s["text"]))
            for s in statements
            if gold["id"] in s.get("bullets", [])
        )
        by_section.setdefault(gold["section"], []).append(
            Bullet(
                id=gold["id"],
                section=gold["section"],
                text=gold["summary"],
                wording=gold["summary"],
                themes=tuple(gold["themes"]),
                support=tuple(gold["support"]),
                sources=sources,
                confidence=1.0,
            )
        )
    return Briefing(
        title=title,
        date="",
        context="",
        records=tuple((n, f"Record {n}") for n in range(1, records + 1)),
        sections={k: tuple(v) for k, v in by_section.items()},
    )


def _pack(folder: Path, bullets_file: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    gold = json.loads((folder / bullets_file).read_text(encoding="utf-8"))
    statements = [
        json.loads(line)
        for line in (folder / "statements.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return gold, statements


def reviewed_pair(gold: dict[str, Any]) -> tuple[Briefing, Briefing]:
    """The two audits of a gold comparison as reviewed (their gold bullets)."""
    old, old_statements = _pack(ROOT / gold["old"], "gold.json")
    new, new_statements = _pack(ROOT / gold["new"], "bullets-gold.json")
    return (
        reviewed_briefing(old["title"], gold["old_records"], old["bullets"], old_statements),
        reviewed_briefing(new["title"], gold["new_records"], new["bullets"], new_statements),
    )


def _records(old: list[int], new: list[int]) -> set[tuple[str, int]]:
    return {("old", r) for r in old} | {("new", r) for r in new}


def score_comparison(comparison: Comparison, gold: dict[str, Any]) -> dict[str, Any]:
    """Status accuracy over the gold findings, and each gold finding's match."""
    compared = [f.to_json() for f in comparison.findings]
    used: set[int] = set()
    rows = []
    order = sorted(gold["findings"], key=lambda g: -(len(g["old_support"]) + len(g["new_support"])))
    for finding in order:
        want = _records(finding["old_support"], finding["new_support"])
        best, best_jaccard = None, 0.0
        for index, candidate in enumerate(compared):
            if index in used or _polarity(candidate["section"]) != _polarity(finding["section"]):
                continue
            have = _records(candidate["old"]["support"], candidate["new"]["support"])
            jaccard = len(want & have) / len(want | have)
            if jaccard > best_jaccard:
                best, best_jaccard = index, jaccard
        status = None
        if best is not None and best_jaccard >= MIN_JACCARD:
            used.add(best)
            status = compared[best]["status"]
        rows.append(
            {
                "summary": finding["summary"],
                "gold": finding["status"],
                "compared": status,
                "jaccard": round(best_jaccard, 2),
            }
        )
    right = sum(r["gold"] == r["compared"] for r in rows)
    return {"accuracy": right / len(rows), "right": right, "findings": len(rows), "rows": rows}


def main() -> None:
    from briefing_nlp.classify import StatementClassifier
    from briefing_nlp.compare import compare_briefings
    from briefing_nlp.draft import draft_briefing
    from briefing_nlp.settings import Settings
    from briefing_nlp.taxonomy import load_taxonomy

    gold = json.loads((CYCLE / "compare-gold.json").read_text(encoding="utf-8"))
    settings = Settings()
    classifier = StatementClassifier.load(settings.model_dir)
    drafted = (
        draft_briefing([ROOT / gold["old"] / "notes.txt"], classifier=classifier),
        draft_briefing([ROOT / gold["new"] / "notes.txt"], classifier=classifier),
    )
    for name, (old, new) in (("reviewed", reviewed_pair(gold)), ("as drafted", drafted)):
        result = score_comparison(
            compare_briefings(old, new, classifier, settings, load_taxonomy()), gold
        )
        print(f"== {name}")
        for row in result["rows"]:
            mark = "ok " if row["gold"] == row["compared"] else "XX "
            print(
                f"{mark}{row['gold']:11s}{row['compared']!s:11s}{row['jaccard']:5.2f}  "
                f"{row['summary'][:70]}"
            )
        print(
            f"status accuracy ({name}) {result['accuracy']:.3f} "
            f"({result['right']} of {result['findings']})"
        )


if __name__ == "__main__":
    main()
