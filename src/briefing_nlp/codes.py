"""Finding codes: the recurring findings of each theme, learnt as fine-grained labels.

Auditors put one finding in many words ("chrono o/d", "chronology last updated at ICPC",
"no chronology on file"); word overlap cannot join them and vectors only partly. Qualitative
coders keep a codebook of the recurring findings of each theme; corpus rows carry such a
code (`"code": "chronology.kept_up_to_date"`, corpora/CODEBOOK.md) and this model learns
them. A code carries no verdict (the section does), so "chronology up to date" teaches the
same code as "chronology out of date". Grouping reads the predicted code distributions:
statements of one section whose codes agree are one finding however they are worded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from briefing_nlp.errors import ModelError

OTHER = "other"  # `<theme>.other`: the row's main point is none of its theme's codes
PREFIX = "codes"
TOP_CODES = 10


@dataclass(frozen=True)
class CodeModel:
    """A multinomial logistic regression over a subset of the classifier's feature columns."""

    codes: tuple[str, ...]
    columns: np.ndarray  # feature columns the model reads, ascending
    coef: np.ndarray  # (len(columns), len(codes))
    intercept: np.ndarray  # (len(codes),)

    def __post_init__(self) -> None:
        if self.coef.shape != (len(self.columns), len(self.codes)) or self.intercept.shape != (
            len(self.codes),
        ):
            raise ModelError("weights.npz: code weights and codes disagree in shape; retrain")

    def proba(self, matrix: sparse.csr_matrix) -> np.ndarray:
        """Each row's probability of each code."""
        scores = np.asarray(matrix[:, self.columns] @ self.coef) + self.intercept
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def finding_vectors(self, matrix: sparse.csr_matrix) -> sparse.csr_matrix:
        """Unit rows of code probabilities whose products say how surely two statements
        state the same finding. The `.other` codes are left out: two statements that fit
        none of a theme's codes are not thereby about the same thing. Each row keeps its
        `TOP_CODES` likeliest codes (the true code is among the top three for four rows
        in five held out): agreement is the same to a few hundredths, and the rows stay
        sparse, so a year of audits groups in memory and time close to linear."""
        proba = self.proba(matrix)
        proba[:, [c.endswith("." + OTHER) for c in self.codes]] = 0.0
        keep = min(TOP_CODES, proba.shape[1])
        columns = np.argpartition(-proba, keep - 1, axis=1)[:, :keep]
        values = np.take_along_axis(proba, columns, axis=1)
        norms = np.linalg.norm(values, axis=1, keepdims=True)
        values = np.divide(values, norms, out=np.zeros_like(values), where=norms > 0)
        rows = np.repeat(np.arange(proba.shape[0]), keep)
        return sparse.csr_matrix(
            (values.ravel(), (rows, columns.ravel())), shape=proba.shape, dtype=np.float64
        )

    def arrays(self) -> dict[str, np.ndarray]:
        return {
            f"{PREFIX}_columns": self.columns.astype(np.int64),
            f"{PREFIX}_coef": self.coef.astype(np.float32),
            f"{PREFIX}_intercept": self.intercept.astype(np.float64),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], codes: Sequence[str]) -> CodeModel:
        """Raises: ModelError if the arrays are missing or their shapes disagree."""
        try:
            columns = np.asarray(arrays[f"{PREFIX}_columns"], dtype=np.int64)
            coef = np.asarray(arrays[f"{PREFIX}_coef"], dtype=np.float64)
            intercept = np.asarray(arrays[f"{PREFIX}_intercept"], dtype=np.float64)
        except (KeyError, ValueError, TypeError):
            raise ModelError("weights.npz: code weights missing; retrain") from None
        return cls(tuple(str(c) for c in codes), columns, coef, intercept)


def code_columns(matrix: sparse.csr_matrix, candidates: np.ndarray, min_rows: int) -> np.ndarray:
    """The candidate columns present in at least `min_rows` of the coded rows: a column
    no coded row uses gets no weight anyway, and storing it would only grow the model."""
    present = np.asarray((matrix[:, candidates] != 0).sum(axis=0)).ravel()
    return np.sort(candidates[present >= min_rows])


def fit_code_model(
    matrix: sparse.csr_matrix,
    codes: Sequence[str],
    columns: np.ndarray,
    c: float,
    random_state: int,
) -> CodeModel:
    """Fit the code model on coded rows (imports scikit-learn: training only)."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=2000, random_state=random_state)
    model.fit(matrix[:, columns], np.asarray(codes))
    coef = np.asarray(model.coef_, dtype=np.float64).T
    intercept = np.asarray(model.intercept_, dtype=np.float64)
    if len(model.classes_) == 2:
        # Two codes: scikit-learn keeps one weight row, the second code's log-odds; a zero
        # column for the first makes the softmax of `proba` that same sigmoid.
        coef = np.hstack([np.zeros_like(coef), coef])
        intercept = np.concatenate([[0.0], intercept])
    return CodeModel(
        codes=tuple(str(c) for c in model.classes_),
        columns=np.asarray(columns, dtype=np.int64),
        coef=coef,
        intercept=intercept,
    )


def code_facts(model: CodeModel | None) -> dict[str, Any] | None:
    """What meta.json records of the code model: its codes (the weights are in weights.npz)."""
    if model is None:
        return None
    return {"codes": list(model.codes), "columns": len(model.columns)}
