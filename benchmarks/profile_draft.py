"""Profile `draft` on synthetic notes with pyinstrument and summarise where time goes.

Usage:
    python benchmarks/profile_draft.py [--statements 10000]

Writes the summary between the profile markers of benchmarks/RESULTS.md (bench.py and
scale.py keep it) and the full pyinstrument text report to benchmarks/profile.txt.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from pyinstrument import Profiler

from briefing_nlp.classify import StatementClassifier
from briefing_nlp.draft import draft_briefing
from briefing_nlp.settings import Settings
from synthetic import corpus_statements, synthetic_notes

HERE = Path(__file__).parent
RESULTS = HERE / "RESULTS.md"
START, END = "<!-- profile:start -->", "<!-- profile:end -->"
# Pipeline stages by the function that runs them (innermost match wins).
STAGES = {
    "load_audit": "ingest",
    "redact_audit": "redact",
    "split_statements": "segment (sentences, clause trials)",
    "extract_features": "features (spaCy pipe, negation, lemmas)",
    "transform": "vectorise (TF-IDF words + char n-grams)",
    "predict_proba": "predict (section + theme models)",
    "group_findings": "group",
    "compose_briefing": "compose",
}


def stage_times(profiler: Profiler) -> Counter[str]:
    """Seconds per stage: each sample goes to the innermost stage on its stack."""
    totals: Counter[str] = Counter()
    session = profiler.last_session
    assert session is not None
    root = session.root_frame()
    assert root is not None

    def walk(frame, stage: str) -> None:  # type: ignore[no-untyped-def]
        name = frame.function or ""
        here = STAGES.get(name, stage)
        child_time = sum(child.time for child in frame.children)
        totals[here] += max(0.0, frame.time - child_time)
        for child in frame.children:
            walk(child, here)

    walk(root, "spaCy and thinc internals (Cython frames pyinstrument cannot place)")
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=10_000)
    args = parser.parse_args()
    settings = Settings()
    classifier = StatementClassifier.load(settings.model_dir)
    notes = synthetic_notes(corpus_statements(settings.corpus_dir), args.statements)
    draft_briefing([notes[:2000]], classifier=classifier)  # warm caches outside the profile
    profiler = Profiler(interval=0.001)
    profiler.start()
    draft_briefing([notes], classifier=classifier)
    profiler.stop()
    (HERE / "profile.txt").write_text(profiler.output_text(show_all=False), encoding="utf-8")
    totals = stage_times(profiler)
    whole = sum(totals.values())
    lines = [
        START,
        f"## Where draft spends its time (pyinstrument, {args.statements:,} statements)",
        "",
        "Command: `python benchmarks/profile_draft.py --statements "
        f"{args.statements}`; full tree in `benchmarks/profile.txt`. Each sample is "
        "charged to the innermost pipeline stage on its stack.",
        "",
        "| stage | seconds | share |",
        "|---|---|---|",
        *[
            f"| {stage} | {seconds:.2f} | {seconds / whole:.0%} |"
            for stage, seconds in totals.most_common()
        ],
        f"| **total** | {whole:.2f} | |",
        "",
        END,
    ]
    section = "\n".join(lines)
    print(section)
    previous = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    if START in previous and END in previous:
        previous = (
            previous[: previous.index(START)] + section + previous[previous.index(END) + len(END) :]
        )
    else:
        previous = previous.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(previous, encoding="utf-8")


if __name__ == "__main__":
    main()
