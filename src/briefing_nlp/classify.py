"""Classify statements: one section (of five) and any number of themes, with evidence.

`StatementClassifier` wraps the spaCy pipeline, the shared TF-IDF vectoriser and the two
calibrated scikit-learn models that `train` writes; `classify_statements` is the
stage function. A statement predicted neutral carries no themes (neutral is not briefed).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language

from briefing_nlp.artifacts import (
    check_hash,
    dir_sha256,
    load_vocabularies,
    load_weights,
    read_meta,
)
from briefing_nlp.codes import CodeModel
from briefing_nlp.datatypes import Classification
from briefing_nlp.errors import InputError, ModelError
from briefing_nlp.features import Features, extract_features, load_nlp
from briefing_nlp.grades import (
    agreed_action,
    asked_of_workforce,
    asks_after_finding,
    asks_where,
    calls_a_challenge,
    denies_fault,
    measures_against_norm,
    names_instability,
    names_worry,
    record_grade_section,
    reports_positive_test,
    shares_this,
    singles_out,
    without_own_words,
)
from briefing_nlp.settings import Settings
from briefing_nlp.tfidf import TfidfView, unit_rows
from briefing_nlp.vectors import DomainVectors

# The fitted scikit-learn estimators (skops) and, derived from them by `train`, the
# arrays drafting runs on (vocabulary.json + weights.npz): loading those needs neither
# scikit-learn nor skops, whose imports were half of the CLI's cold start.
ARTIFACTS = (
    "vectorizer.skops",
    "section.skops",
    "themes.skops",
    "vocabulary.json",
    "weights.npz",
)
VIEWS = ("words", "chars")
# Feature rows as their column blocks in order: word TF-IDF, character TF-IDF and, when
# the model has domain vectors, their dense weighted block.
Blocks = tuple[sparse.csr_matrix | np.ndarray, ...]
# The domain vectors live in this subfolder of a model folder, hashed in meta.json.
VECTORS_DIR = "vectors"


def _expit(x: np.ndarray) -> np.ndarray:
    """The logistic function, as scipy.special.expit computes it (1 / (1 + e^-x), equal
    to the last bit on every input tried). Importing scipy.special costs a cold draft
    about 0.13 s here for this one line."""
    with np.errstate(over="ignore"):  # e^-x overflows to inf for very negative x: 0.0
        return 1.0 / (1.0 + np.exp(-x))


@dataclass(frozen=True)
class _SigmoidLinear:
    """Sigmoid-calibrated linear models (CalibratedClassifierCV over LinearSVC, the only
    kind `train` makes) as arrays: per column, the mean over calibration folds of
    expit(-(a * (x · w + c) + b)), exactly sklearn's arithmetic."""

    coef: np.ndarray  # (folds, columns, features)
    intercept: np.ndarray  # (folds, columns)
    a: np.ndarray  # (folds, columns)
    b: np.ndarray  # (folds, columns)

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {
            f"{prefix}_coef": self.coef,
            f"{prefix}_intercept": self.intercept,
            f"{prefix}_a": self.a,
            f"{prefix}_b": self.b,
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str) -> _SigmoidLinear:
        """Raises: ModelError if the arrays are missing or their shapes disagree."""
        try:
            coef, intercept, a, b = (
                np.asarray(arrays[f"{prefix}_{k}"], dtype=float)
                for k in ("coef", "intercept", "a", "b")
            )
        except (KeyError, ValueError, TypeError):
            raise ModelError(f"weights.npz: {prefix} weights missing; retrain") from None
        if coef.ndim != 3 or not intercept.shape == a.shape == b.shape == coef.shape[:2]:
            raise ModelError(f"weights.npz: {prefix} weights have mismatched shapes; retrain")
        return cls(coef, intercept, a, b)

    @cached_property
    def _by_feature(self) -> np.ndarray:
        """`coef` as (folds, features, columns) in C order. scipy multiplies a sparse
        matrix by a C-ordered dense one in place, but copies a transposed view first: 12
        MB per call for the themes, a tenth of a second of every draft."""
        return np.ascontiguousarray(self.coef.transpose(0, 2, 1))

    def proba(self, matrix: sparse.csr_matrix | Blocks) -> np.ndarray:
        """Per column probabilities of the feature rows, given whole or as the blocks of
        columns `transform` stacks (the products summed block by block)."""
        blocks = matrix if isinstance(matrix, tuple) else (matrix,)
        out = np.zeros((blocks[0].shape[0], self.coef.shape[1]))
        for fold in range(self.coef.shape[0]):
            weights = self._by_feature[fold]
            scores = np.zeros_like(out)
            start = 0
            for block in blocks:
                scores += np.asarray(block @ weights[start : start + block.shape[1]])
                start += block.shape[1]
            scores += self.intercept[fold]
            out += _expit(-(self.a[fold] * scores + self.b[fold]))
        return out / self.coef.shape[0]


class StatementClassifier:
    """Trained section and theme models plus the pipeline that makes their features."""

    def __init__(
        self,
        nlp: Language,
        views: Sequence[TfidfView],
        section_linear: _SigmoidLinear,
        theme_linear: _SigmoidLinear,
        sections: Sequence[str],
        themes: Sequence[str],
        thresholds: dict[str, float],
        fallback_min_score: float = 0.2,
        evidence_terms: int = 5,
        batch_size: int = 1000,
        estimators: Any = None,
        vectors: DomainVectors | None = None,
        vector_weight: float = 0.0,
        code_model: CodeModel | None = None,
    ) -> None:
        self.nlp = nlp
        # Finding codes (briefing_nlp.codes) for grouping; None for a model trained on a
        # corpus without codes.
        self.code_model = code_model
        self.views = tuple(views)
        # Averaged domain vectors, scaled by `vector_weight`, follow the TF-IDF columns:
        # they let "patchy", "variable" and "inconsistent" share what one of them learnt.
        self.vectors = vectors if vector_weight else None
        self.vector_weight = float(vector_weight) if vectors is not None else 0.0
        self.section_linear = section_linear
        self.theme_linear = theme_linear
        self.sections = tuple(sections)
        self.themes = tuple(themes)
        self.thresholds = thresholds
        self.fallback_min_score = fallback_min_score
        self.evidence_terms = evidence_terms
        self.batch_size = batch_size
        # The scikit-learn estimators (briefing_nlp.estimators.Estimators), only when just
        # trained, for writing the skops files.
        self.estimators = estimators
        if section_linear.coef.shape[1] != len(self.sections) or theme_linear.coef.shape[1] != len(
            self.themes
        ):
            raise ModelError("weights and labels disagree in number; retrain the model")
        if set(self.themes) != set(thresholds):
            raise ModelError("theme model and thresholds disagree; retrain the model")
        self._prepare_evidence()

    def weight_arrays(self) -> dict[str, np.ndarray]:
        """What weights.npz holds: idf per view and the stacked calibrated weights."""
        arrays = {f"{name}_idf": view.idf for name, view in zip(VIEWS, self.views, strict=True)}
        arrays.update(self.section_linear.arrays("section"))
        arrays.update(self.theme_linear.arrays("themes"))
        if self.code_model is not None:
            arrays.update(self.code_model.arrays())
        return arrays

    def _prepare_evidence(self) -> None:
        # Feature names straight from the two vocabularies (words first, then chars, each
        # in index order, as the ColumnTransformer lays them out).
        words = _terms(self.views[0].vocabulary)
        chars = _terms(self.views[1].vocabulary)
        dims = self.vectors.dim if self.vectors is not None else 0
        self._names = np.concatenate(
            [
                words,
                np.char.add("chars__", chars.astype(str)),
                np.array([f"vector__{i}" for i in range(dims)], dtype=object),
            ]
        )
        # Only word features make readable evidence; char n-grams are dropped from it.
        self._word_mask = np.arange(len(self._names)) < len(words)
        # Content words (single lemmas, no markers or stop words) for grouping by wording.
        self._content_columns = np.flatnonzero(
            [
                " " not in n
                and not n.startswith(("NEG", "FIRST_", "HEDGE", "DOUBLE"))
                and n not in STOP_WORDS
                for n in words
            ]
        )
        self._char_columns = np.arange(len(words), len(words) + len(chars))
        self._vector_columns = np.arange(len(words) + len(chars), len(self._names))
        if self.section_linear.coef.shape[2] != len(self._names):
            raise ModelError("weights and vocabulary disagree in size; retrain the model")
        # Per-label weights averaged over calibration folds, for evidence.
        self._section_weights = self.section_linear.coef.mean(axis=0)
        self._theme_weights = self.theme_linear.coef.mean(axis=0)
        self._threshold_vector = np.array([self.thresholds[t] for t in self.themes])

    def _section_proba(self, matrix: sparse.csr_matrix | Blocks) -> np.ndarray:
        # One sparse product for all classes (and all seventeen theme models below),
        # the calibrated SVCs' own arithmetic, normalised as sklearn's predict_proba is.
        proba = self.section_linear.proba(matrix)
        total = proba.sum(axis=1, keepdims=True)
        uniform = np.full_like(proba, 1 / proba.shape[1])
        return np.divide(proba, total, out=uniform, where=total != 0)

    def _theme_proba(self, matrix: sparse.csr_matrix | Blocks) -> np.ndarray:
        return self.theme_linear.proba(matrix)

    def transform(self, features: Features) -> sparse.csr_matrix:
        """Feature rows: word TF-IDF, character TF-IDF, then the weighted domain vectors."""
        return _stacked(self._blocks(features))

    def _blocks(self, features: Features) -> Blocks:
        """The feature rows' column blocks, unstacked: the models' products need no
        stacking, which was a tenth of classifying 37,000 statements (the dense vector
        block made sparse, then everything copied through COO)."""
        words = self.views[0].transform(features.analysed)
        chars = self.views[1].transform(features.raw)
        if self.vectors is None:
            return (words, chars)
        dense = self.vectors.statement_vectors(features.raw, normalised=True)
        return (words, chars, np.asarray(dense * self.vector_weight, dtype=float))

    @property
    def code_columns(self) -> np.ndarray:
        """The feature columns a finding-code model reads: content words, domain vectors."""
        return np.concatenate([self._content_columns, self._vector_columns])

    @property
    def feature_count(self) -> int:
        """Width of the feature rows that `classify_with_vectors` returns."""
        return len(self._names)

    @classmethod
    def load(cls, model_dir: Path) -> StatementClassifier:
        """Load a model folder written by `briefing-nlp train`.

        Raises:
            ModelError: a file is missing, altered or untrusted, or meta.json is damaged.
        """
        return _load_cached(Path(model_dir).resolve())

    def for_settings(self, settings: Settings) -> StatementClassifier:
        """This model with the run-time settings a user may change without retraining:
        `theme_fallback_min_score`, `evidence_terms` and `batch_size`. The model folder
        keeps the values it was trained with; a settings file overrides them. The loaded
        model is shared (cached), so a different value gets a copy, never a change."""
        wanted = (settings.theme_fallback_min_score, settings.evidence_terms, settings.batch_size)
        if wanted == (self.fallback_min_score, self.evidence_terms, self.batch_size):
            return self
        other = copy.copy(self)
        other.fallback_min_score, other.evidence_terms, other.batch_size = wanted
        return other

    def classify(self, texts: Sequence[str], evidence: bool = True) -> list[Classification]:
        """Classify statements; each text is one statement (no segmentation here).

        Raises:
            InputError: a statement is not a string.
        """
        return self._classify(texts, evidence, stack=evidence)[0]

    def wording_vectors(
        self, matrix: sparse.csr_matrix
    ) -> tuple[sparse.csr_matrix, sparse.csr_matrix, sparse.csr_matrix, sparse.csr_matrix]:
        """Unit-length content-word, character and domain-vector views of feature rows,
        and their likeliest finding codes, for similarity (the last two have no columns
        when the model has no vectors or no code model)."""
        codes = (
            self.code_model.finding_vectors(matrix)
            if self.code_model is not None
            else sparse.csr_matrix((matrix.shape[0], 0))
        )
        return (
            unit_rows(matrix[:, self._content_columns]),
            unit_rows(matrix[:, self._char_columns]),
            unit_rows(matrix[:, self._vector_columns]),
            codes,
        )

    def classify_with_vectors(
        self, texts: Sequence[str], evidence: bool = True
    ) -> tuple[list[Classification], sparse.csr_matrix]:
        """Classifications plus the TF-IDF feature rows (see `wording_vectors`).

        Raises:
            InputError: a statement is not a string.
        """
        results, matrix = self._classify(texts, evidence, stack=True)
        assert matrix is not None
        return results, matrix

    def _classify(
        self, texts: Sequence[str], evidence: bool, stack: bool
    ) -> tuple[list[Classification], sparse.csr_matrix | None]:
        """Classifications, and the stacked feature rows when `stack` (evidence reads
        them too)."""
        for number, text in enumerate(texts, start=1):
            if not isinstance(text, str):
                raise InputError(f"statement {number}: text must be a string, got {text!r}")
        if not texts:
            return [], sparse.csr_matrix((0, self.feature_count))
        features = extract_features(self.nlp, texts, self.batch_size)
        blocks = self._blocks(features)
        matrix = _stacked(blocks) if stack or evidence else None
        # What evidence reads: the stacked rows (there are none to read without it).
        rows = matrix if matrix is not None else sparse.csr_matrix((len(texts), 0))
        section_proba = self._section_proba(blocks)
        theme_proba = self._theme_proba(blocks)
        section_index = section_proba.argmax(axis=1)
        chosen = theme_proba >= self._threshold_vector
        # Rounded and made Python floats once for the whole matrix: converting and
        # rounding numpy scalars one by one was a tenth of classifying.
        section_rows = np.round(section_proba, 4).tolist()
        theme_rows = np.round(theme_proba, 4).tolist()
        chosen_rows, raw_theme_rows = chosen.tolist(), theme_proba.tolist()
        results = []
        for row, text in enumerate(texts):
            section = self.sections[section_index[row]]
            graded = record_grade_section(text) if section in ("strength", "worry") else ""
            if graded and graded != section and graded in self.sections:
                # The record's grade decides between the two ("Graded RI, fb given to SW
                # and TM" read as a strength for its feedback).
                section = graded
                section_index[row] = self.sections.index(section)
            elif "good_practice" in self.sections and (
                (section == "strength" and singles_out(text))
                or (section == "action" and shares_this(text))
            ):
                section = "good_practice"
                section_index[row] = self.sections.index(section)
            elif (
                section != "action"
                and "action" in self.sections
                and (
                    agreed_action(text)
                    or asked_of_workforce(text)
                    or (section == "worry" and asks_after_finding(text))
                )
                and not singles_out(text)
            ):
                section = "action"
                section_index[row] = self.sections.index(section)
            elif (
                (section in ("strength", "good_practice", "neutral") and asks_where(text))
                or (
                    section != "worry"
                    and "worry" in self.sections
                    and (names_worry(text) or names_instability(text))
                )
                or (
                    section in ("action", "neutral")
                    and "worry" in self.sections
                    and calls_a_challenge(text)
                )
            ):
                section = "worry"
                section_index[row] = self.sections.index(section)
            elif section == "worry" and "strength" in self.sections and denies_fault(text):
                section = "strength"
                section_index[row] = self.sections.index(section)
            elif section in ("strength", "good_practice") and reports_positive_test(text):
                # A result: the model's reading between a worry and a neutral fact.
                section_index[row] = self._likelier(
                    section_proba[row], ("worry", "neutral"), fallback=section_index[row]
                )
                section = self.sections[section_index[row]]
            elif section == "action" and measures_against_norm(text):
                # The verdict the model gives it besides a request (strength or worry).
                section_index[row] = self._likelier(
                    section_proba[row], ("strength", "worry"), fallback=section_index[row]
                )
                section = self.sections[section_index[row]]
            themes = self._choose_themes(section, chosen_rows[row], raw_theme_rows[row])
            results.append(
                Classification(
                    text=text,
                    section=section,
                    section_scores=dict(zip(self.sections, section_rows[row], strict=True)),
                    themes=themes,
                    theme_scores=dict(zip(self.themes, theme_rows[row], strict=True)),
                    section_evidence=(
                        self._evidence(rows[row], self._section_weights, section_index[row])
                        if evidence
                        else ()
                    ),
                    theme_evidence=(
                        {
                            t: self._evidence(rows[row], self._theme_weights, self.themes.index(t))
                            for t in themes
                        }
                        if evidence
                        else {}
                    ),
                )
            )
        return self._unquoted_actions(texts, results, evidence), matrix

    def _unquoted_actions(
        self, texts: Sequence[str], results: list[Classification], evidence: bool
    ) -> list[Classification]:
        """Actions read again without the quoted words of a child or parent in them: "Connor's
        view recorded: "I just want to be left alone, I'll go to the group if I have to""
        is his view, not an action agreed. The section (and its scores and evidence) is the
        reading without the quote whenever that is not an action."""
        quoted = [
            row
            for row, result in enumerate(results)
            if result.section == "action" and without_own_words(texts[row]) != texts[row]
        ]
        if not quoted:
            return results
        again, _ = self._classify(
            [without_own_words(texts[row]) for row in quoted], evidence, stack=evidence
        )
        for row, reading in zip(quoted, again, strict=True):
            if reading.section == "action":
                continue
            results[row] = replace(
                results[row],
                section=reading.section,
                section_scores=reading.section_scores,
                section_evidence=reading.section_evidence,
                themes=() if reading.section == "neutral" else results[row].themes,
                theme_evidence={} if reading.section == "neutral" else results[row].theme_evidence,
            )
        return results

    def _likelier(self, proba: np.ndarray, names: tuple[str, ...], fallback: int) -> int:
        """The index of whichever of `names` the model scores higher (`fallback` if the
        model has none of them)."""
        others = [i for i, name in enumerate(self.sections) if name in names]
        return max(others, key=lambda i: proba[i]) if others else fallback

    def _choose_themes(
        self, section: str, chosen: list[bool], scores: list[float]
    ) -> tuple[str, ...]:
        """The themes over their thresholds, else the likeliest if it is likely enough.
        One row as Python lists: numpy calls per statement were a thirtieth of
        classifying."""
        if section == "neutral":
            return ()
        picked = [i for i, over in enumerate(chosen) if over]
        if not picked:
            best = max(range(len(scores)), key=scores.__getitem__)  # the first on a tie
            if scores[best] >= self.fallback_min_score:
                picked = [best]
        # Strongest first, so the first theme is the statement's main subject.
        return tuple(self.themes[i] for i in sorted(picked, key=lambda i: -scores[i]))

    def _evidence(self, row: sparse.csr_matrix, weights: np.ndarray, label: int) -> tuple[str, ...]:
        # A binary model has one weight row, for the positive class.
        label_weights = weights[0] if weights.shape[0] == 1 else weights[label]
        indices = row.indices
        contributions = row.data * label_weights[indices]
        keep = (contributions > 0) & self._word_mask[indices]
        order = np.argsort(-contributions[keep], kind="stable")[: self.evidence_terms]
        return tuple(str(self._names[indices[keep][i]]) for i in order)


def _stacked(blocks: Blocks) -> sparse.csr_matrix:
    """The column blocks side by side as one CSR matrix (a dense block made sparse)."""
    return sparse.hstack(
        [b if sparse.issparse(b) else sparse.csr_matrix(b) for b in blocks], format="csr"
    )


def _terms(vocabulary: dict[str, int]) -> np.ndarray:
    """A vectorizer's terms in column order."""
    terms = np.empty(len(vocabulary), dtype=object)
    terms[np.fromiter(vocabulary.values(), dtype=np.int64, count=len(vocabulary))] = list(
        vocabulary
    )
    return terms


@lru_cache(maxsize=4)
def _load_cached(model_dir: Path) -> StatementClassifier:
    meta = read_meta(model_dir)
    hashes = meta.get("artifacts", {})
    for name in ARTIFACTS:
        if name not in hashes:
            raise ModelError(f"{model_dir / 'meta.json'}: no entry for {name}; retrain the model")
    # Every file is checked, the skops files too though drafting does not read them: a
    # model folder is trusted whole or not at all.
    for name in ARTIFACTS[:3]:
        check_hash(model_dir / name, hashes[name])
    vocabularies = load_vocabularies(model_dir / "vocabulary.json", hashes["vocabulary.json"])
    weights = load_weights(model_dir / "weights.npz", hashes["weights.npz"])
    settings = meta.get("settings", {})
    vectors, vector_weight = _load_vectors(model_dir, meta)
    try:
        themes = [str(t) for t in meta["labels"]["themes"]]
        sections = [str(t) for t in meta["inference"]["sections"]]
        params = meta["inference"]["vectoriser"]
        thresholds = {k: float(v) for k, v in meta["thresholds"].items()}
        views = [
            TfidfView.of(name, params[name], vocabularies[name], weights[f"{name}_idf"])
            for name in VIEWS
        ]
    except (KeyError, TypeError, ValueError):
        raise ModelError(
            f"{model_dir / 'meta.json'}: labels, thresholds or vectoriser settings missing; "
            "retrain the model"
        ) from None
    nlp_dir = model_dir / "nlp"
    if nlp_dir.is_dir() and hashes.get("nlp") and dir_sha256(nlp_dir) != hashes["nlp"]:
        raise ModelError(
            f"{nlp_dir}: spaCy pipeline does not match meta.json (altered or corrupt); "
            "restore it from the repository or run `briefing-nlp train`"
        )
    try:
        return StatementClassifier(
            nlp=load_nlp(nlp_dir),
            views=views,
            section_linear=_SigmoidLinear.from_arrays(weights, "section"),
            theme_linear=_SigmoidLinear.from_arrays(weights, "themes"),
            sections=sections,
            themes=themes,
            thresholds=thresholds,
            fallback_min_score=float(settings.get("theme_fallback_min_score", 0.2)),
            evidence_terms=int(settings.get("evidence_terms", 5)),
            batch_size=int(settings.get("batch_size", 1000)),
            vectors=vectors,
            vector_weight=vector_weight,
            code_model=_load_codes(meta, weights),
        )
    except ModelError as exc:
        raise ModelError(f"{model_dir}: {exc}") from None


def _load_codes(meta: dict[str, Any], weights: dict[str, np.ndarray]) -> CodeModel | None:
    """The finding-code model, when the model was trained on a coded corpus."""
    used = meta.get("inference", {}).get("codes")
    if not used:
        return None
    codes = used.get("codes") if isinstance(used, dict) else None
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        raise ModelError("meta.json: finding codes damaged; retrain")
    return CodeModel.from_arrays(weights, codes)


def _load_vectors(model_dir: Path, meta: dict[str, Any]) -> tuple[DomainVectors | None, float]:
    """The domain vectors a model was trained with, hash-checked, and their weight."""
    used = meta.get("inference", {}).get("vectors")
    if not used:
        return None, 0.0
    folder = model_dir / VECTORS_DIR
    expected = meta.get("artifacts", {}).get(VECTORS_DIR)
    if not (folder / "vectors.cfg").is_file():
        raise ModelError(
            f"{folder}: domain vectors missing; restore models/ from the repository or run "
            "`briefing-nlp train`"
        )
    if not expected or dir_sha256(folder) != expected:
        raise ModelError(
            f"{folder}: domain vectors do not match meta.json (altered or corrupt); "
            "restore them from the repository or run `briefing-nlp train`"
        )
    vectors = DomainVectors.load(folder)
    try:
        weight, dims = float(used["weight"]), int(used["dims"])
    except (KeyError, TypeError, ValueError):
        raise ModelError(f"{model_dir / 'meta.json'}: vector settings damaged; retrain") from None
    if dims != vectors.dim:
        raise ModelError(f"{folder}: vectors have {vectors.dim} dimensions, the model {dims}")
    return vectors, weight


def forget_loaded_models() -> None:
    """Drop cached models, e.g. after `train` replaced the files on disk."""
    _load_cached.cache_clear()


def classify_statements(
    texts: Sequence[str], model_dir: Path, evidence: bool = True, settings: Settings | None = None
) -> list[Classification]:
    """Classify each text with the model in `model_dir` (loaded once per process), with
    the run-time settings of `settings` if given (`StatementClassifier.for_settings`)."""
    classifier = StatementClassifier.load(model_dir)
    if settings is not None:
        classifier = classifier.for_settings(settings)
    return classifier.classify(texts, evidence=evidence)
