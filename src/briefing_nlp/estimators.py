"""From scikit-learn to the arrays drafting runs on, and back: what training writes.

`train` fits scikit-learn estimators (written as skops files for analysts and checks);
drafting runs on their weights as plain arrays (`weights.npz`), so it never unpickles
or even imports scikit-learn. This module turns the one into the other and reads the
skops files back; only training and analysts' checks import it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from spacy.language import Language

from briefing_nlp.artifacts import load_skops, load_vectorizer, read_meta
from briefing_nlp.classify import VIEWS, StatementClassifier, _SigmoidLinear
from briefing_nlp.errors import ModelError
from briefing_nlp.tfidf import TfidfView, vectoriser_params


@dataclass(frozen=True)
class Estimators:
    """The fitted scikit-learn objects `train` made (written as skops files)."""

    vectorizer: Any
    section_model: Any
    theme_model: Any


def sigmoid_linear(models: Sequence[Any]) -> _SigmoidLinear | None:
    """Sigmoid-calibrated linear models (CalibratedClassifierCV over LinearSVC, the only
    kind `train` makes) as the arrays drafting runs on. Columns side by side: one per
    class of a multiclass model, or the positive class of each binary model. None when a
    model is of any other kind."""
    folds = {len(getattr(m, "calibrated_classifiers_", ())) for m in models}
    if len(folds) != 1 or not folds.pop():
        return None
    coef, intercept, a, b = [], [], [], []
    for fold in range(len(models[0].calibrated_classifiers_)):
        parts: list[tuple[Any, Any, Any, Any]] = []
        for model in models:
            calibrated = model.calibrated_classifiers_[fold]
            estimator = calibrated.estimator
            if (
                getattr(calibrated, "method", None) != "sigmoid"
                or not hasattr(estimator, "coef_")
                or list(estimator.classes_) != list(calibrated.classes)
                or len(calibrated.calibrators) != len(np.atleast_2d(estimator.coef_))
                or (len(calibrated.classes) == 2) != (len(models) > 1)
            ):
                return None
            for row, calibrator in enumerate(calibrated.calibrators):
                parts.append(
                    (
                        np.atleast_2d(estimator.coef_)[row],
                        np.atleast_1d(estimator.intercept_)[row],
                        calibrator.a_,
                        calibrator.b_,
                    )
                )
        coef.append(np.vstack([p[0] for p in parts]))
        intercept.append(np.array([p[1] for p in parts], dtype=float))
        a.append(np.array([p[2] for p in parts], dtype=float))
        b.append(np.array([p[3] for p in parts], dtype=float))
    return _SigmoidLinear(np.stack(coef), np.stack(intercept), np.stack(a), np.stack(b))


def classifier_from_estimators(
    nlp: Language,
    estimators: Estimators,
    themes: Sequence[str],
    thresholds: dict[str, float],
    **options: Any,
) -> StatementClassifier:
    """The classifier `train` just fitted, as the arrays drafting runs on.

    Raises:
        ModelError: an estimator is not of the kind `train` makes.
    """
    params = vectoriser_params(estimators.vectorizer)
    blocks = {name: t for name, t, _ in estimators.vectorizer.transformers_}
    views = [
        TfidfView.of(name, params[name], blocks[name].vocabulary_, blocks[name].idf_)
        for name in VIEWS
    ]
    section_linear = sigmoid_linear([estimators.section_model])
    theme_linear = sigmoid_linear(list(estimators.theme_model.estimators_))
    if section_linear is None or theme_linear is None:
        raise ModelError("models are not sigmoid-calibrated linear SVCs; retrain")
    return StatementClassifier(
        nlp,
        views,
        section_linear,
        theme_linear,
        [str(c) for c in estimators.section_model.classes_],
        themes,
        thresholds,
        estimators=estimators,
        **options,
    )


def load_estimators(model_dir: Path) -> Estimators:
    """The fitted scikit-learn estimators from the skops files (for analysts and checks;
    drafting uses `StatementClassifier.load`). Imports scikit-learn and skops.

    Raises:
        ModelError: a file is missing, altered, corrupt or holds untrusted types.
    """
    model_dir = Path(model_dir)
    hashes = read_meta(model_dir).get("artifacts", {})
    return Estimators(
        vectorizer=load_vectorizer(model_dir, hashes),
        section_model=load_skops(model_dir / "section.skops", hashes.get("section.skops")),
        theme_model=load_skops(model_dir / "themes.skops", hashes.get("themes.skops")),
    )
