"""`briefing-nlp classify` as a whole process against a spaCy tokenizer pass, in one run.

The target (issue 13): classifying 37,000 statements, process start and model load
included, within 5x the time of a blank spaCy tokenizer over the same texts. Both are
timed here on this machine in the same run, so the ratio, not the seconds, is compared.
Prints one line and, with --record, stores it in benchmarks/classify_speed.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import spacy

from briefing_nlp.corpus import load_corpus
from briefing_nlp.settings import PROJECT_ROOT, Settings
from briefing_nlp.taxonomy import load_taxonomy

RECORD = Path(__file__).with_name("classify_speed.json")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=37_000)
    parser.add_argument("--record", action="store_true", help="write classify_speed.json")
    args = parser.parse_args()
    texts = [row.text for row in load_corpus(Settings().corpus_dir / "train", load_taxonomy()).rows]
    batch = (texts * (args.statements // len(texts) + 1))[: args.statements]
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "statements.jsonl"
        source.write_text("".join(json.dumps({"text": t}) + "\n" for t in batch), encoding="utf-8")
        command = [sys.executable, "-m", "briefing_nlp", "classify", str(source)]
        runs = []
        for _ in range(2):
            started = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=PROJECT_ROOT)
            runs.append(time.perf_counter() - started)
        classify_seconds = min(runs)
    tokenizer = spacy.blank("en")
    started = time.perf_counter()
    for _ in tokenizer.pipe(batch, batch_size=1000):
        pass
    tokenizer_seconds = time.perf_counter() - started
    result = {
        "statements": len(batch),
        "classify_seconds": round(classify_seconds, 2),
        "tokenizer_seconds": round(tokenizer_seconds, 2),
        "ratio": round(classify_seconds / tokenizer_seconds, 2),
    }
    print(
        f"classify {len(batch):,} statements as a process: {classify_seconds:.2f} s; "
        f"tokenizer pass {tokenizer_seconds:.2f} s; ratio {result['ratio']}x (target 5x)"
    )
    if args.record:
        RECORD.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
