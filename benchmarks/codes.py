"""Finding codes: how well the code model reads held-out sources, and what codes add to
grouping beside lexical and vector similarity.

1. Code accuracy: the coded corpus rows in 5 folds by origin (an Ofsted report, or a
   batch file), each fold's model fitted on the others with the shipped settings and
   features; top-1 and top-3 accuracy over 200-odd codes, and whether the top code at
   least names the row's main theme.
2. Grouping on the labelled example audits (`examples/`, plus `../shared/examples/` when
   present), drafted three ways with the shipped model: wording alone (content words and
   characters), + domain vectors, + finding codes (as shipped). Bullet recall, precision
   and exact support (the same records), pooled over the packs as `../shared/tools/score.py`
   pools them.

    python benchmarks/codes.py            # about four minutes on two cores

Writes benchmarks/codes.json; copy the table into benchmarks/RESULTS.md.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold

from briefing_nlp.classify import StatementClassifier
from briefing_nlp.codes import code_columns, fit_code_model
from briefing_nlp.corpus import load_corpus
from briefing_nlp.draft import draft_briefing
from briefing_nlp.features import extract_features
from briefing_nlp.settings import PROJECT_ROOT, Settings
from briefing_nlp.taxonomy import load_taxonomy
from packs import load_pack, score_briefing

OUT = Path(__file__).with_name("codes.json")


def code_accuracy(classifier: StatementClassifier, settings: Settings) -> dict[str, float]:
    corpus = load_corpus(settings.corpus_dir / "train", load_taxonomy(settings.taxonomy_path))
    rows = [row for row in corpus.rows if row.code]
    features = extract_features(classifier.nlp, [r.text for r in rows], settings.batch_size)
    matrix = classifier.transform(features)
    codes = np.array([r.code for r in rows])
    origins = np.array([r.origin for r in rows])
    top1 = top3 = theme = 0
    for train, test in GroupKFold(5).split(matrix, codes, origins):
        model = fit_code_model(
            matrix[train],
            codes[train],
            code_columns(matrix[train], classifier.code_columns, 2),
            settings.code_c,
            settings.random_state,
        )
        proba = model.proba(matrix[test])
        ranked = np.argsort(-proba, axis=1)[:, :3]
        names = np.array(model.codes)
        top1 += int((names[ranked[:, 0]] == codes[test]).sum())
        top3 += int((names[ranked] == codes[test][:, None]).any(axis=1).sum())
        theme += sum(
            n.split(".")[0] == c.split(".")[0]
            for n, c in zip(names[ranked[:, 0]], codes[test], strict=True)
        )
    return {
        "rows": len(rows),
        "codes": len(set(codes)),
        "top1": round(top1 / len(rows), 3),
        "top3": round(top3 / len(rows), 3),
        "theme_of_top1": round(theme / len(rows), 3),
    }


def grouping(classifier: StatementClassifier, settings: Settings) -> list[dict[str, object]]:
    folders = sorted(p.parent for p in (PROJECT_ROOT / "examples").glob("*/gold.json"))
    shared = PROJECT_ROOT.parent / "shared" / "examples"
    folders += sorted(p.parent for p in shared.glob("*/gold.json"))
    packs = [load_pack(f) for f in folders]
    uncoded = settings.uncoded_similarity_threshold
    variants = [
        (
            "wording alone",
            replace(settings, vector_share=0.0, code_weight=0.0, similarity_threshold=uncoded),
        ),
        ("+ domain vectors", replace(settings, code_weight=0.0, similarity_threshold=uncoded)),
        ("+ finding codes (shipped)", settings),
    ]
    out: list[dict[str, object]] = []
    for name, variant in variants:
        scores = [
            score_briefing(
                draft_briefing([p.notes], settings=variant, classifier=classifier), p.gold
            )
            for p in packs
        ]
        gold = sum(s.gold_bullets for s in scores)
        drafted = sum(s.drafted_bullets for s in scores)
        matched = sum(s.matched for s in scores)
        exact = sum(s.exact_sets for s in scores)  # the same support, as score.py counts
        out.append(
            {
                "variant": name,
                "packs": len(packs),
                "recall": round(matched / gold, 3),
                "precision": round(matched / drafted, 3),
                "exact": round(exact / max(1, matched), 3),
            }
        )
        print(out[-1], flush=True)
    return out


def main() -> None:
    settings = Settings()
    classifier = StatementClassifier.load(settings.model_dir)
    if classifier.code_model is None:
        raise SystemExit("the model has no finding codes; train it on the coded corpus first")
    accuracy = code_accuracy(classifier, settings)
    print(accuracy, flush=True)
    result = {"code_accuracy": accuracy, "grouping": grouping(classifier, settings)}
    OUT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print("\n| grouping | packs | recall | precision | exact counts |\n|---|---|---|---|---|")
    for row in result["grouping"]:
        print(
            f"| {row['variant']} | {row['packs']} | {row['recall']} | {row['precision']} "
            f"| {row['exact']} |"
        )


if __name__ == "__main__":
    main()
