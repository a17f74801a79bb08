"""Drafting applies the model without scikit-learn: it must give scikit-learn's numbers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse

from briefing_nlp.artifacts import load_skops, load_vectorizer, read_meta
from briefing_nlp.classify import StatementClassifier
from briefing_nlp.errors import ModelError
from briefing_nlp.features import extract_features
from briefing_nlp.settings import Settings
from briefing_nlp.tfidf import TfidfView, vectoriser_params
from briefing_nlp.train import build_vectorizer, frame

TEXTS = [
    "Chronology out of date - not updated since the ICPC in [DATE]",
    "chrono o/d",
    "Voice of the child strong: she said she 'likes her new school'",
    "No supervision recorded since March; TM to review",
    "RHIs late on most episodes,  two never offered",
    "",
    "   ",
    "a",
    "x\u00a0y  z\tq — café naïve 𝔘",
    "p\x1cq\u2028r\u3000s\x85t",  # whitespace str.split() and \S+ must agree on
    "SW to update the genogram with dad's side of the family and share with the IRO",
]


def test_views_give_sklearns_tfidf(classifier: StatementClassifier) -> None:
    features = extract_features(classifier.nlp, TEXTS * 3)
    vectorizer = build_vectorizer().fit(frame(features.analysed, features.raw))
    expected = sparse.csr_matrix(vectorizer.transform(frame(features.analysed, features.raw)))
    params = vectoriser_params(vectorizer)
    blocks = {name: t for name, t, _ in vectorizer.transformers_}
    views = [
        TfidfView.of(name, params[name], blocks[name].vocabulary_, blocks[name].idf_)
        for name in ("words", "chars")
    ]
    got = sparse.hstack(
        [views[0].transform(features.analysed), views[1].transform(features.raw)], format="csr"
    )
    expected.sort_indices()
    assert np.array_equal(got.indptr, expected.indptr)
    assert np.array_equal(got.indices, expected.indices)
    np.testing.assert_allclose(got.data, expected.data, rtol=0, atol=1e-12)


def test_shipped_model_agrees_with_its_skops_estimators(classifier: StatementClassifier) -> None:
    model_dir = Settings().model_dir
    hashes = read_meta(model_dir)["artifacts"]
    vectorizer = load_vectorizer(model_dir, hashes)
    section_model = load_skops(model_dir / "section.skops", hashes["section.skops"])
    theme_model = load_skops(model_dir / "themes.skops", hashes["themes.skops"])
    features = extract_features(classifier.nlp, TEXTS)
    matrix = sparse.csr_matrix(vectorizer.transform(frame(features.analysed, features.raw)))
    if classifier.vectors is not None:
        # The domain-vector columns follow the TF-IDF ones, as in training.
        dense = classifier.vectors.statement_vectors(features.raw, normalised=True)
        matrix = sparse.hstack([matrix, sparse.csr_matrix(dense * classifier.vector_weight)])
    results = classifier.classify(TEXTS, evidence=False)
    sections = np.asarray(section_model.predict_proba(matrix))
    themes = np.asarray(theme_model.predict_proba(matrix))
    for row, result in enumerate(results):
        for column, name in enumerate(section_model.classes_):
            expected = sections[row, column]
            assert result.section_scores[str(name)] == pytest.approx(expected, abs=1e-4)
        for column, name in enumerate(classifier.themes):
            assert result.theme_scores[name] == pytest.approx(themes[row, column], abs=1e-4)


def test_unsupported_vectoriser_settings_are_refused() -> None:
    params = {"analyzer": "word", "token_pattern": r"\S+", "lowercase": True}
    with pytest.raises(ModelError, match="cannot apply; retrain"):
        TfidfView.of("words", params, {"a": 0}, np.ones(1))


@pytest.mark.slow  # drafts in a fresh process
def test_drafting_imports_neither_sklearn_nor_skops(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Audit 1\n- chronology out of date\nAudit 2\n- chrono not updated\n")
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from briefing_nlp.draft import draft_briefing\n"
        f"draft_briefing([Path({str(notes)!r})])\n"
        "print(sorted(m for m in ('sklearn', 'skops', 'pandas') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
