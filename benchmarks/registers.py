"""How the classifier reads registers it was not trained on (benchmarks/registers/).

Scores `classify` on each register probe as the evaluation does the test splits: section
macro-F1 and theme micro-F1, with the sections most often confused.

    python benchmarks/registers.py [--record]

Prints one line per probe; with --record, writes benchmarks/registers.json.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from briefing_nlp.classify import StatementClassifier
from briefing_nlp.evaluate import section_report, theme_report
from briefing_nlp.settings import Settings
from briefing_nlp.taxonomy import load_taxonomy

HERE = Path(__file__).parent / "registers"
OUT = Path(__file__).with_name("registers.json")


def score(classifier: StatementClassifier, path: Path, themes: list[str]) -> dict[str, object]:
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    predicted = classifier.classify([row["text"] for row in rows], evidence=False)
    truth = [row["section"] for row in rows]
    sections = section_report(truth, [p.section for p in predicted])
    tagged = theme_report(
        [tuple(row["themes"]) for row in rows], [p.themes for p in predicted], themes
    )
    confused = Counter(
        f"{row['section']} -> {p.section}"
        for row, p in zip(rows, predicted, strict=True)
        if row["section"] != p.section
    )
    return {
        "rows": len(rows),
        "section_macro_f1": sections["macro_f1"],
        "section_accuracy": sections["accuracy"],
        "theme_micro_f1": tagged["micro_f1"],
        "top_confusions": confused.most_common(4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="write registers.json")
    args = parser.parse_args()
    settings = Settings()
    classifier = StatementClassifier.load(settings.model_dir)
    themes = list(load_taxonomy(settings.taxonomy_path).slugs)
    results = {path.stem: score(classifier, path, themes) for path in sorted(HERE.glob("*.jsonl"))}
    for name, result in results.items():
        print(
            f"{name}: {result['rows']} statements, section macro-F1 "
            f"{result['section_macro_f1']}, theme micro-F1 {result['theme_micro_f1']}; "
            f"confused {result['top_confusions']}"
        )
    if args.record:
        OUT.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
