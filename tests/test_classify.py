from __future__ import annotations

import json

from briefing_nlp.classify import StatementClassifier
from briefing_nlp.evaluation_run import evaluate_models
from briefing_nlp.settings import Settings
from tests.conftest import CORPUS_DIR, MODEL_DIR

SECTION_FLOOR = 0.90
THEME_FLOOR = 0.85


def test_shipped_model_meets_the_quality_bars_and_beats_baselines() -> None:
    result = evaluate_models(Settings(model_dir=MODEL_DIR, corpus_dir=CORPUS_DIR))
    model = result["model"]
    assert model["section"]["macro_f1"] >= SECTION_FLOOR
    assert model["themes"]["micro_f1"] >= THEME_FLOOR
    for baseline in result["baselines"].values():
        assert model["section"]["macro_f1"] >= baseline["section"]["macro_f1"] + 0.15
        assert model["themes"]["micro_f1"] >= baseline["themes"]["micro_f1"] + 0.15


def test_model_card_and_meta_record_the_same_figures() -> None:
    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    card = (MODEL_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    model = meta["metrics"]["model"]
    assert f"**{model['section']['macro_f1']}**" in card
    assert f"**{model['themes']['micro_f1']}**" in card
    assert meta["corpus"]["train"]["sha256"] in card
    assert model["section"]["macro_f1"] >= SECTION_FLOOR
    assert model["themes"]["micro_f1"] >= THEME_FLOOR


def test_meta_describes_the_corpus_it_was_trained_on() -> None:
    from briefing_nlp.corpus import load_corpus
    from briefing_nlp.taxonomy import load_taxonomy

    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    train = load_corpus(CORPUS_DIR / "train", load_taxonomy())
    assert meta["corpus"]["train"]["sha256"] == train.sha256, "retrain: corpus changed"
    assert meta["corpus"]["train"]["rows"] == len(train.rows)
    assert set(meta["versions"]) >= {"spacy", "scikit_learn", "skops", "python", "briefing_nlp"}


def test_predictions_carry_scores_and_evidence(classifier: StatementClassifier) -> None:
    [result] = classifier.classify(["No formal supervision recorded since March"])
    assert result.section == "worry"
    assert abs(sum(result.section_scores.values()) - 1) < 0.01
    assert set(result.theme_scores) == set(classifier.themes)
    assert result.section_evidence and all(isinstance(t, str) for t in result.section_evidence)
    assert "supervision" in result.theme_evidence
    assert any("supervision" in term for term in result.theme_evidence["supervision"])


def test_neutral_statements_carry_no_themes(classifier: StatementClassifier) -> None:
    [result] = classifier.classify(["14yo, lives with maternal grandparents under an SGO"])
    assert result.section == "neutral"
    assert result.themes == ()


def test_classification_is_deterministic_and_order_independent(
    classifier: StatementClassifier,
) -> None:
    texts = ["chronology out of date", "voice of child clear", "TM to record rationale"]
    first = classifier.classify(texts)
    again = classifier.classify(list(reversed(texts)))
    assert first == list(reversed(again))


def test_empty_input_gives_empty_output(classifier: StatementClassifier) -> None:
    assert classifier.classify([]) == []
