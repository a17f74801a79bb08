"""Tune the grouping settings on labelled example audits and print the best values.

Usage:
    python benchmarks/tune_grouping.py [PACK_DIR ...]     # default: examples/*/

For each (similarity_threshold, text_weight, attach_similarity, subject_weight,
vector_share) it
drafts every pack and reports
gold-bullet recall and the share of matched bullets with exact support counts. Copy the
chosen values into Settings (src/briefing_nlp/settings.py) or a settings TOML file.
"""

from __future__ import annotations

import argparse
import itertools
from dataclasses import replace
from pathlib import Path

from briefing_nlp.classify import StatementClassifier
from briefing_nlp.draft import draft_briefing
from briefing_nlp.settings import PROJECT_ROOT, Settings
from packs import load_pack, score_briefing

THRESHOLDS = (0.35, 0.4, 0.45, 0.5, 0.55)
TEXT_WEIGHTS = (0.3, 0.5, 0.7)
ATTACH = (0.4, 0.5, 0.6)
SUBJECT = (0.1, 0.2, 0.3)
VECTOR_SHARE = (0.0, 0.15, 0.3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("packs", nargs="*", type=Path)
    args = parser.parse_args()
    folders = args.packs or sorted(
        p.parent for p in (PROJECT_ROOT / "examples").glob("*/gold.json")
    )
    packs = [load_pack(folder) for folder in folders]
    base = Settings()
    classifier = StatementClassifier.load(base.model_dir)
    results = []
    for threshold, weight, attach, subject, share in itertools.product(
        THRESHOLDS, TEXT_WEIGHTS, ATTACH, SUBJECT, VECTOR_SHARE
    ):
        settings = replace(
            base,
            similarity_threshold=threshold,
            text_weight=weight,
            attach_similarity=attach,
            subject_weight=subject,
            vector_share=share,
        )
        scores = [
            score_briefing(
                draft_briefing([pack.notes], settings=settings, classifier=classifier), pack.gold
            )
            for pack in packs
        ]
        recall = sum(s.recall for s in scores) / len(scores)
        exact = sum(s.exact_count_rate for s in scores) / len(scores)
        results.append(
            (recall + 0.5 * exact, threshold, weight, attach, subject, share, recall, exact)
        )
        print(
            f"threshold {threshold:.2f} text_weight {weight:.1f} attach {attach:.2f} "
            f"subject {subject:.1f} vectors {share:.2f}: "
            f"recall {recall:.3f} exact counts {exact:.3f} "
            f"per pack {[round(s.recall, 2) for s in scores]}",
            flush=True,
        )
    best = max(results)
    print(
        f"\nbest: similarity_threshold={best[1]} text_weight={best[2]} attach_similarity={best[3]}"
        f" subject_weight={best[4]} vector_share={best[5]}"
        f" (recall {best[6]:.3f}, exact counts {best[7]:.3f})"
    )


if __name__ == "__main__":
    main()
