"""Ablation: what the domain vectors and the real-language corpus each add.

Trains three variants beside the shipped model (which has both) with exactly the same
procedure and settings, and scores all four on the corpus test split, the real-language
test split and the labelled example audits (`examples/`, plus `../shared/examples/` when
present). Writes the table into models/meta.json (`ablation`) and regenerates the model
card. About fifteen minutes on two cores.

    python benchmarks/ablation.py
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from briefing_nlp.artifacts import read_meta, write_json
from briefing_nlp.classify import StatementClassifier, forget_loaded_models
from briefing_nlp.corpus import load_corpus, real_test_dir
from briefing_nlp.draft import draft_briefing
from briefing_nlp.evaluate import evaluate_classifier
from briefing_nlp.modelcard import render_model_card
from briefing_nlp.settings import PROJECT_ROOT, Settings
from briefing_nlp.taxonomy import load_taxonomy
from briefing_nlp.train import train_models
from packs import load_pack, score_briefing

OWN = "batch-"  # the project's own audit-style batches; real-*.jsonl are the real ones


def corpus_view(root: Path, corpus: Path, real: bool) -> Path:
    """A corpus folder of symlinks: the own batches, plus the real ones if `real`."""
    (root / "train").mkdir(parents=True)
    for file in sorted((corpus / "train").glob("*.jsonl")):
        if file.name.startswith(OWN) or real:
            (root / "train" / file.name).symlink_to(file)
    for split in ("test", "test-real"):
        (root / split).symlink_to(corpus / split)
    return root


def pack_scores(classifier: StatementClassifier, settings: Settings) -> dict[str, float]:
    folders = sorted(p.parent for p in (PROJECT_ROOT / "examples").glob("*/gold.json"))
    shared = PROJECT_ROOT.parent / "shared" / "examples"
    folders += sorted(p.parent for p in shared.glob("*/gold.json"))
    scores = [
        score_briefing(
            draft_briefing([pack.notes], settings=settings, classifier=classifier), pack.gold
        )
        for pack in map(load_pack, folders)
    ]
    return {
        "packs": len(scores),
        "recall": round(sum(s.recall for s in scores) / len(scores), 3),
        "exact": round(sum(s.exact_count_rate for s in scores) / len(scores), 3),
    }


def score(name: str, model_dir: Path, settings: Settings) -> dict[str, Any]:
    """The model in `model_dir` on both test splits and the example audits (drafted with
    `settings`, whose model folder supplies the redaction model)."""
    taxonomy = load_taxonomy(settings.taxonomy_path)
    corpus = Path(settings.corpus_dir)
    forget_loaded_models()
    classifier = StatementClassifier.load(model_dir)
    train = load_corpus(corpus / "train", taxonomy)
    test = evaluate_classifier(classifier, load_corpus(corpus / "test", taxonomy), train, taxonomy)
    real_path = real_test_dir(corpus)
    assert real_path is not None, "the ablation needs the real-language test split"
    real = evaluate_classifier(classifier, load_corpus(real_path, taxonomy), train, taxonomy)
    packs = pack_scores(classifier, settings)
    return {
        "name": name,
        "corpus_section": test["model"]["section"]["macro_f1"],
        "corpus_theme": test["model"]["themes"]["micro_f1"],
        "real_section": real["model"]["section"]["macro_f1"],
        "real_theme": real["model"]["themes"]["micro_f1"],
        "packs_recall": packs["recall"],
        "packs_exact": packs["exact"],
        "packs": packs["packs"],
    }


def main() -> None:
    base = Settings()
    corpus = Path(base.corpus_dir)
    rows = []
    variants = (
        ("sparse features only (own corpus)", False, 0.0),
        ("+ domain vectors (own corpus)", False, base.vector_weight),
        ("+ real-language corpus (no vectors)", True, 0.0),
    )
    with tempfile.TemporaryDirectory() as scratch:
        for number, (name, real, weight) in enumerate(variants):
            started = time.perf_counter()
            view = corpus_view(Path(scratch) / f"corpus-{number}", corpus, real)
            out = Path(scratch) / f"model-{number}"
            settings = replace(
                base, corpus_dir=view, vector_weight=weight, vectors_dir=base.model_dir / "vectors"
            )
            train_models(settings, view, out)
            rows.append(score(name, out, base))
            print(rows[-1], f"({time.perf_counter() - started:.0f} s)", flush=True)
    rows.append(score("both (shipped model)", base.model_dir, base))
    print(rows[-1], flush=True)
    meta = read_meta(base.model_dir)
    meta["ablation"] = {
        "note": (
            "Each variant trained with the same procedure and settings (`python "
            "benchmarks/ablation.py`); the real-language test split's authorities are in "
            f"none of them. Example audits: {rows[-1]['packs']} labelled packs drafted with "
            "the shipped grouping settings (bullet recall and the share of matched bullets "
            "with exact support counts, `benchmarks/packs.py`)."
        ),
        "rows": rows,
    }
    write_json(base.model_dir / "meta.json", meta)
    (base.model_dir / "MODEL_CARD.md").write_text(render_model_card(meta), encoding="utf-8")


if __name__ == "__main__":
    main()
