"""Pipeline throughput from one audit to a year of audits, against a tokenizer-only floor.

Usage:
    python benchmarks/scale.py --report   # rewrite RESULTS.md from scale.json only
    python benchmarks/scale.py            # 100 / 1,000 / 10,000 / 100,000 statements,
                                          # each in a fresh process; updates RESULTS.md
                                          # and benchmarks/scale.json
    python benchmarks/scale.py --quick    # 1,000 statements; exit 1 if draft's time ratio
                                          # to the tokenizer-only pass is more than twice
                                          # the ratio recorded in scale.json

Ratios compare times measured in the same process run, so a slow or busy machine moves
both sides; nothing here is a wall-clock limit.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import spacy

from briefing_nlp.classify import StatementClassifier
from briefing_nlp.draft import draft_briefing
from briefing_nlp.ingest import load_audit
from briefing_nlp.redact import redact_audit, redactor_for
from briefing_nlp.redact.recognizers import _lines
from briefing_nlp.settings import PROJECT_ROOT, Settings
from synthetic import corpus_statements, synthetic_notes

HERE = Path(__file__).parent
RECORD = HERE / "scale.json"
RESULTS = HERE / "RESULTS.md"
SIZES = (100, 1_000, 10_000, 100_000)
QUICK_SIZE = 1_000
START, END = "<!-- scale:start -->", "<!-- scale:end -->"
# England, for the arithmetic below (assumptions, stated in RESULTS.md).
AUTHORITIES = 153
AUDITS_PER_AUTHORITY = 600
STATEMENTS_PER_AUDIT = 60


def measure(n: int) -> dict[str, Any]:
    """Times for one size, in this process."""
    pool = corpus_statements(PROJECT_ROOT / "corpora" / "statements" / "train")
    notes = synthetic_notes(pool, n)
    settings = Settings()
    classifier = StatementClassifier.load(settings.model_dir)
    redactor = redactor_for(settings)
    draft_briefing([synthetic_notes(pool, 50, seed=1)], classifier=classifier)  # warm up
    audit = load_audit([notes])
    lines = [c.text for r in audit.records for c in r.comments]
    tokenizer = spacy.blank("en")

    repeats = 3 if n <= QUICK_SIZE else 1  # small runs are noisy: keep the best of three

    def timed(call: Any) -> float:
        best = float("inf")
        for _ in range(repeats):
            started = time.perf_counter()
            call()
            best = min(best, time.perf_counter() - started)
        return best

    tokens = timed(lambda: list(tokenizer.pipe(lines, batch_size=1000)))
    # The redaction NER model alone, on the lines the redactor gives it (those with a
    # capitalised word that may be a name): the part of `draft` no speed work removes.
    candidates = [
        line
        for r in audit.records
        for _, line in _lines(r.source)
        if redactor.lexicon.may_name(line)
    ]
    ner = (
        timed(lambda: list(redactor.ner.pipe(candidates, batch_size=1000)))
        if redactor.ner is not None
        else 0.0
    )
    classify = timed(lambda: classifier.classify(lines, evidence=False))
    redact = timed(lambda: redact_audit(audit, redactor))
    stages: dict[str, float] = {}

    def draft_once() -> None:
        stages.clear()
        draft_briefing([notes], settings=settings, classifier=classifier, timings=stages)

    draft = timed(draft_once)  # stages: the last run's (they differ little between runs)
    return {
        "statements": len(lines),
        "stages": dict(stages),
        "seconds": {
            "tokenizer": tokens,
            "ner": ner,
            "classify": classify,
            "redact": redact,
            "draft": draft,
        },
        "ratio": {
            k: v / tokens
            for k, v in {"ner": ner, "classify": classify, "redact": redact, "draft": draft}.items()
        },
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def full() -> None:
    results = []
    for n in SIZES:
        output = subprocess.run(
            [sys.executable, __file__, "--one", str(n)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
        print(f"{n:,}: {results[-1]['seconds']}", flush=True)
    RECORD.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    write_report(results)


def write_report(results: list[dict[str, Any]]) -> None:
    """Replace the scale section of RESULTS.md with the report of these results."""
    section = report(results)
    text = RESULTS.read_text(encoding="utf-8")
    if START in text:
        text = text[: text.index(START)] + section + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    RESULTS.write_text(text, encoding="utf-8")
    print(section)


def report(results: list[dict[str, Any]]) -> str:
    rows = []
    for r in results:
        n, s, q = r["statements"], r["seconds"], r["ratio"]
        rows.append(
            f"| {n:,} | {n / s['classify']:,.0f} ({q['classify']:.1f}×) | "
            f"{n / s['redact']:,.0f} ({q['redact']:.1f}×) | {n / s['draft']:,.0f} "
            f"({q['draft']:.1f}×) | {n / s['tokenizer']:,.0f} | {r['peak_mb']:,.0f} |"
        )
    ner_rows = [f"| {r['statements']:,} | {r['ratio'].get('ner', 0.0):.1f}× |" for r in results]
    largest = results[-1]
    tokens = largest["seconds"]["tokenizer"]
    stage_rows = [
        f"| {stage} | {seconds:.1f} | {seconds / tokens:.1f}× |"
        for stage, seconds in largest.get("stages", {}).items()
    ]
    floor = largest["ratio"]["ner"] + largest["ratio"]["classify"]
    rate = largest["statements"] / largest["seconds"]["draft"]
    yearly = AUTHORITIES * AUDITS_PER_AUTHORITY * STATEMENTS_PER_AUDIT
    hours = yearly / rate / 3600
    return "\n".join(
        [
            START,
            "## Throughput by size (`python benchmarks/scale.py`, each size in a fresh process)",
            "",
            "Statements per second, and in brackets the time as a multiple of a spaCy "
            "tokenizer-only pass over the same comments measured in the same run. `draft` is the "
            "whole pipeline on one audit of that many statements (ingest, redact, segment, "
            "classify, group, compose). Peak memory is the process's maximum resident size.",
            "",
            "| statements | classify | redact | draft | tokenizer only | peak MB |",
            "|---|---|---|---|---|---|",
            *rows,
            "",
            "### England's annual volume on one such machine",
            "",
            f"Assumptions: {AUTHORITIES} local authorities, each auditing about "
            f"{AUDITS_PER_AUTHORITY} case files a year with about {STATEMENTS_PER_AUDIT} "
            f"statements each: {AUTHORITIES} × {AUDITS_PER_AUTHORITY} × {STATEMENTS_PER_AUDIT} = "
            f"{yearly:,} statements a year. At the measured {rate:,.0f} statements/s for `draft` "
            f"at {largest['statements']:,} statements: {yearly:,} / {rate:,.0f} ≈ "
            f"{yearly / rate:,.0f} s ≈ **{hours:.1f} hours** on one process of this 2-core machine "
            "(`--each --workers 2` over separate audits shares it between both cores; its "
            "measured speed-up is under Drafting above). Beyond that: more cores or machines "
            "(files are independent, so workers scale out).",
            "",
            "### Against the target of 5× the tokenizer",
            "",
            f"`draft` at {largest['statements']:,} statements takes "
            f"{largest['ratio']['draft']:.1f}× the tokenizer-only pass: the target is "
            f"{'met' if largest['ratio']['draft'] <= 5 else 'not met'}.",
            "",
            f"Where `draft`'s time goes at {largest['statements']:,} statements, each stage "
            "as a multiple of the tokenizer-only pass measured in the same run:",
            "",
            "| stage | seconds | × tokenizer |",
            "|---|---|---|",
            *stage_rows,
            "",
            "The two learned steps alone exceed the target. The redaction NER model takes "
            f"{largest['ratio']['ner']:.1f}× the tokenizer by itself (timed apart, on only "
            "the lines that may hold a name), and classifying the comments once takes "
            f"{largest['ratio']['classify']:.1f}× (its own tokenizer pass, feature text, "
            f"TF-IDF and the linear models): {floor:.1f}× together, before the redaction "
            "patterns, segmentation's clause trials, grouping and composing, which take the "
            f"other {max(0.0, largest['ratio']['draft'] - floor):.1f}×. Even classification "
            "made twice as fast would leave the two at "
            f"{largest['ratio']['ner'] + largest['ratio']['classify'] / 2:.1f}×, with nothing "
            "left for the other stages. Meeting 5× needs a decision on the models themselves "
            "(a lighter name finder or classifier, weighed against the recall measured on the "
            "PII and statement test splits), not more tuning of the code around them.",
            "",
            "| statements | NER alone (× tokenizer) |",
            "|---|---|",
            *ner_rows,
            END,
        ]
    )


def quick() -> int:
    recorded = {r["statements"]: r for r in json.loads(RECORD.read_text(encoding="utf-8"))}
    now = measure(QUICK_SIZE)
    baseline = min(recorded.values(), key=lambda r: abs(r["statements"] - now["statements"]))
    limit = 2 * baseline["ratio"]["draft"]
    print(
        f"draft/tokenizer ratio {now['ratio']['draft']:.1f} (recorded "
        f"{baseline['ratio']['draft']:.1f}, limit {limit:.1f}) at {now['statements']:,} statements"
    )
    return 0 if now["ratio"]["draft"] <= limit else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--one", type=int)
    parser.add_argument(
        "--report", action="store_true", help="rewrite RESULTS.md from scale.json, no timing"
    )
    args = parser.parse_args()
    if args.report:
        write_report(json.loads(RECORD.read_text(encoding="utf-8")))
    elif args.one:
        print(json.dumps(measure(args.one)))
    elif args.quick:
        sys.exit(quick())
    else:
        full()
