"""Finding codes: the model's arithmetic, its files, and what the shipped one reads."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from briefing_nlp.classify import StatementClassifier
from briefing_nlp.codes import CodeModel, code_columns, fit_code_model
from briefing_nlp.errors import ModelError


def small_model() -> CodeModel:
    return CodeModel(
        codes=("chronology.in_place", "chronology.kept_up_to_date", "chronology.other"),
        columns=np.array([0, 2]),
        coef=np.array([[2.0, -1.0, 0.0], [-1.0, 2.0, 0.0]]),
        intercept=np.zeros(3),
    )


def test_probabilities_are_a_softmax_over_the_chosen_columns() -> None:
    model = small_model()
    matrix = sparse.csr_matrix(np.array([[1.0, 9.0, 0.0], [0.0, 9.0, 1.0]]))
    proba = model.proba(matrix)
    assert np.allclose(proba.sum(axis=1), 1.0)
    # Column 1 is not read: both rows differ only in the columns the model reads.
    assert proba[0].argmax() == 0 and proba[1].argmax() == 1
    assert np.allclose(proba[0, :2], proba[1, ::-1][1:])


def test_other_codes_never_make_two_statements_alike() -> None:
    """Two statements that fit none of a theme's codes are not one finding."""
    model = small_model()
    vectors = model.finding_vectors(sparse.csr_matrix(np.zeros((2, 3))))
    other = model.codes.index("chronology.other")
    assert not vectors[:, other].toarray().any()
    norms = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1))).ravel()
    assert np.allclose(norms, 1.0)


def test_saved_arrays_round_trip_and_damage_is_refused() -> None:
    model = small_model()
    again = CodeModel.from_arrays(model.arrays(), model.codes)
    matrix = sparse.csr_matrix(np.array([[1.0, 0.0, 3.0]]))
    assert np.allclose(again.proba(matrix), model.proba(matrix))
    with pytest.raises(ModelError, match="code weights and codes disagree"):
        CodeModel.from_arrays(model.arrays(), model.codes[:2])
    arrays = model.arrays()
    del arrays["codes_coef"]
    with pytest.raises(ModelError, match="code weights missing; retrain"):
        CodeModel.from_arrays(arrays, model.codes)


def test_a_fitted_model_learns_codes_from_the_columns_rows_use() -> None:
    matrix = sparse.csr_matrix(np.array([[1, 0, 0, 1], [1, 0, 0, 0], [0, 1, 0, 0], [0, 1, 0, 1]]))
    columns = code_columns(matrix, np.array([0, 1, 2, 3]), min_rows=2)
    assert list(columns) == [0, 1, 3]  # column 2 is used by no row
    model = fit_code_model(matrix, ["a.x", "a.x", "a.y", "a.y"], columns, c=10.0, random_state=0)
    assert model.codes == ("a.x", "a.y")
    assert list(model.proba(matrix).argmax(axis=1)) == [0, 0, 1, 1]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Chrono last updated at ICPC", "chronology.kept_up_to_date"),
        ("refresh PEPs", "child_needs.pep_quality"),
        ("audited side by side with SW", "workforce_learning.joint_audit_with_worker"),
        ("mum's own care history considered with sensitivity", "assessment.history"),
    ],
)
def test_the_shipped_model_reads_terse_notes_as_their_finding(
    classifier: StatementClassifier, text: str, code: str
) -> None:
    """Notes written here, not corpus rows: the shipped code model's top code."""
    assert classifier.code_model is not None
    _, matrix = classifier.classify_with_vectors([text])
    proba = classifier.code_model.proba(matrix)[0]
    assert classifier.code_model.codes[int(proba.argmax())] == code
