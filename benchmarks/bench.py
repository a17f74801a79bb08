"""Benchmark training, classify throughput and drafting; writes benchmarks/RESULTS.md.

Usage:
    python benchmarks/bench.py            # full: train, 100-10,000 statements, 1,000 audits
    python benchmarks/bench.py --quick    # no training, small sizes, prints only

Statements are the corpus texts cycled to the wanted size; audits are the example audits
copied to the wanted count. Timings are wall-clock on whatever machine runs this; they
are recorded here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import sklearn
import spacy

from briefing_nlp import __version__
from briefing_nlp.batch import draft_each
from briefing_nlp.classify import StatementClassifier, forget_loaded_models
from briefing_nlp.corpus import load_corpus
from briefing_nlp.draft import draft_briefing
from briefing_nlp.settings import PROJECT_ROOT, Settings
from briefing_nlp.taxonomy import load_taxonomy
from briefing_nlp.train import train_models

RESULTS = Path(__file__).with_name("RESULTS.md")
AUDIT = PROJECT_ROOT / "examples" / "neglect-cp" / "notes.txt"  # 14 records


def corpus_texts() -> tuple[list[str], int]:
    """All corpus texts (train then test) and how many of them are training rows."""
    taxonomy = load_taxonomy()
    root = PROJECT_ROOT / "corpora" / "statements"
    train = load_corpus(root / "train", taxonomy).rows
    rows = train + load_corpus(root / "test", taxonomy).rows
    return [row.text for row in rows], len(train)


def sized(texts: list[str], n: int) -> list[str]:
    return [texts[i % len(texts)] for i in range(n)]


def best_of(repeats: int, call: object) -> float:
    assert callable(call)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, no training")
    args = parser.parse_args()
    texts, n_train = corpus_texts()
    rows: list[str] = []

    train_seconds = None
    if not args.quick:
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            train_models(Settings(model_dir=Path(out)))
            train_seconds = time.perf_counter() - started

    forget_loaded_models()
    started = time.perf_counter()
    classifier = StatementClassifier.load(Settings().model_dir)
    load_seconds = time.perf_counter() - started
    tokenizer = spacy.blank("en")

    sizes = [100, 1_000] if args.quick else [100, 1_000, 10_000]
    for n in sizes:
        batch = sized(texts, n)
        repeats = 3 if n <= 1_000 else 1
        classify_s = best_of(repeats, lambda b=batch: classifier.classify(b, evidence=False))
        evidence_s = best_of(repeats, lambda b=batch: classifier.classify(b, evidence=True))
        tokens_s = best_of(repeats, lambda b=batch: list(tokenizer.pipe(b)))
        rows.append(
            f"| {n:,} | {n / classify_s:,.0f} | {n / evidence_s:,.0f} | {n / tokens_s:,.0f} "
            f"| {classify_s / tokens_s:.1f}× |"
        )

    draft_rows = bench_drafts(classifier, 20 if args.quick else 1_000)
    grouping_rows = bench_grouping(classifier, (1_000, 10_000) if args.quick else (10_000, 100_000))

    lines = [
        "# Benchmarks",
        "",
        "Recorded by `python benchmarks/bench.py` (full mode). Wall-clock, best of 3",
        "runs for up to 1,000 statements, one run above; statements are the corpus texts",
        "cycled to size. Re-run it after changing features or models.",
        "",
        "## Machine and versions",
        "",
        f"- {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()}",
        f"- briefing-nlp {__version__}, spaCy {spacy.__version__}, "
        f"scikit-learn {sklearn.__version__}",
        "",
        "## Training",
        "",
        (
            f"- `briefing-nlp train` on the shipped corpus ({n_train:,} training statements, then "
            f"evaluation on {len(texts) - n_train:,} test statements and writing the artifacts): "
            f"**{train_seconds:.1f} s**"
            if train_seconds
            else "- not run (--quick)"
        ),
        f"- model load (spaCy pipeline, vocabulary.json, weights.npz): **{load_seconds:.2f} s**",
        "",
        "## Classify throughput (statements per second, one process)",
        "",
        "| statements | classify | classify + evidence | spaCy tokenizer only "
        "| classify ÷ tokenizer time |",
        "|---|---|---|---|---|",
        *rows,
        "",
        "## Drafting",
        "",
        *draft_rows,
        "",
        "## Grouping at scale (synthetic audits, `benchmarks/synthetic.py`)",
        "",
        *grouping_rows,
        "",
    ]
    report = "\n".join(lines)
    print(report)
    if not args.quick:
        # Keep the section that benchmarks/scale.py writes between its markers.
        previous = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
        for name in ("scale", "profile", "real-language"):
            start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
            if start in previous and end in previous:
                kept = previous[previous.index(start) : previous.index(end) + len(end)]
                report += "\n" + kept + "\n"
        RESULTS.write_text(report, encoding="utf-8")


def bench_drafts(classifier: StatementClassifier, audits: int) -> list[str]:
    """A 14-record audit in process and as a whole CLI run, then `draft --each`."""
    draft_briefing([AUDIT], classifier=classifier)  # warm caches once
    in_process = best_of(5, lambda: draft_briefing([AUDIT], classifier=classifier))
    plain = replace(Settings(), redact=False)
    unredacted = best_of(5, lambda: draft_briefing([AUDIT], settings=plain, classifier=classifier))
    command = [sys.executable, "-m", "briefing_nlp", "draft", str(AUDIT)]
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "briefing.md"
        cold = best_of(3, lambda: subprocess.run([*command, "-o", str(out)], check=True))
        notes = Path(scratch) / "notes"
        notes.mkdir()
        examples = sorted((PROJECT_ROOT / "examples").glob("*/notes.txt"))
        for i in range(audits):
            shutil.copy(examples[i % len(examples)], notes / f"audit-{i:04d}.txt")
        started = time.perf_counter()
        summary = draft_each([notes], Path(scratch) / "out", "md", settings=Settings())
        each = time.perf_counter() - started
        workers = min(2, os.cpu_count() or 1)
        started = time.perf_counter()
        pooled = draft_each(
            [notes], Path(scratch) / "pooled", "md", settings=Settings(), workers=workers
        )
        each_pooled = time.perf_counter() - started  # includes starting the workers
    web = bench_web()
    return [
        f"- review app, paste of the 14-record audit to the rendered review page (POST, "
        f"redirect, GET; models loaded): **{web:.3f} s**",
        f"- 14-record audit (`examples/neglect-cp`), models loaded: **{in_process:.3f} s** "
        f"with redaction, {unredacted:.3f} s without (redaction adds "
        f"**{100 * (in_process / unredacted - 1):.0f}%**)",
        f"- `briefing-nlp draft` on it as a whole process (cold start, model load, write): "
        f"**{cold:.2f} s**",
        f"- `draft --each` over {audits:,} audits (10–15 records each, one process): "
        f"{each:.1f} s, **{len(summary.drafted) / each:.1f} drafts/s**",
        f"- the same with `--workers {workers}` (process start and model loads included): "
        f"{each_pooled:.1f} s, **{len(pooled.drafted) / each_pooled:.1f} drafts/s** "
        f"({each / each_pooled:.2f}× one process)",
    ]


def bench_web() -> float:
    """Best of three: paste notes into the review app until the review page is rendered."""
    from fastapi.testclient import TestClient

    from briefing_nlp.web.app import create_app

    notes = AUDIT.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as scratch:
        client = TestClient(create_app(db_path=Path(scratch) / "bench.sqlite3"))
        origin = {"Origin": "http://testserver"}

        def paste() -> None:
            response = client.post("/drafts", data={"notes": notes}, headers=origin)
            assert response.status_code == 200 and "What&#39;s working well?" in response.text

        paste()  # warm: the first request loads the models
        return best_of(3, paste)


def bench_grouping(classifier: StatementClassifier, sizes: tuple[int, int]) -> list[str]:
    """Grouping time at two sizes and the growth exponent between them."""
    import math
    import resource

    from briefing_nlp.group import group_findings
    from briefing_nlp.segment import Statement
    from synthetic import corpus_statements

    pool = corpus_statements(PROJECT_ROOT / "corpora" / "statements" / "train")
    settings = Settings()
    times = []
    rows = ["| statements | classify (s) | group (s) |", "|---|---|---|"]
    for n in sizes:
        texts = sized(pool, n)
        statements = [Statement(i % (n // 7 + 1) + 1, t, 0, len(t)) for i, t in enumerate(texts)]
        started = time.perf_counter()
        labels, matrix = classifier.classify_with_vectors(texts, evidence=False)
        classified = time.perf_counter() - started
        vectors = classifier.wording_vectors(matrix)
        started = time.perf_counter()
        group_findings(statements, labels, vectors, settings)
        grouped = time.perf_counter() - started
        times.append(grouped)
        rows.append(f"| {n:,} | {classified:.1f} | {grouped:.1f} |")
    exponent = math.log(times[1] / times[0]) / math.log(sizes[1] / sizes[0])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return [
        *rows,
        "",
        f"- growth exponent of grouping time from {sizes[0]:,} to {sizes[1]:,} statements: "
        f"**{exponent:.2f}** (1 is linear, 2 quadratic)",
        f"- peak memory of the whole benchmark process: **{peak_mb:,.0f} MB**",
    ]


if __name__ == "__main__":
    main()
