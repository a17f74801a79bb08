"""Train the section and theme classifiers from a labelled corpus and write `models/`.

Features: word 1–2-grams over negation/hedge-marked lemmas plus char_wb 3–5-grams over
the lower-cased text, one TF-IDF vectoriser shared by both models. Section: calibrated
LinearSVC. Themes: one calibrated LinearSVC per theme, each with its own threshold tuned
on out-of-fold probabilities. Every random step is seeded, so a corpus always gives the
same model.
"""

from __future__ import annotations

import json
import platform
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import sklearn
import skops
import spacy
from scipy import sparse
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import GroupKFold, KFold, cross_val_predict
from sklearn.multiclass import OneVsRestClassifier
from sklearn.svm import LinearSVC

from briefing_nlp import __version__
from briefing_nlp.artifacts import (
    SCHEMA_VERSION,
    dir_sha256,
    dump_skops,
    dump_vectorizer,
    dump_weights,
    file_sha256,
    install_artifacts,
    read_meta,
    write_json,
)
from briefing_nlp.classify import (
    ARTIFACTS,
    VECTORS_DIR,
    StatementClassifier,
    forget_loaded_models,
)
from briefing_nlp.codes import CodeModel, code_columns, code_facts, fit_code_model
from briefing_nlp.corpus import (
    AUTHORITIES,
    Corpus,
    combine_corpora,
    load_corpus,
    read_authorities,
    real_test_dir,
    split_dirs,
)
from briefing_nlp.errors import CorpusError, ModelError
from briefing_nlp.estimators import Estimators, classifier_from_estimators
from briefing_nlp.features import build_nlp, extract_features
from briefing_nlp.modelcard import render_model_card
from briefing_nlp.settings import Settings
from briefing_nlp.taxonomy import SECTIONS, Taxonomy, load_taxonomy
from briefing_nlp.tfidf import vectoriser_params
from briefing_nlp.vectors import DomainVectors

THRESHOLD_GRID_STEP = 0.025
# Fewer coded rows than this teach no useful code model: train without one.
CODES_MIN_ROWS = 200


@dataclass(frozen=True)
class TrainResult:
    """What a training run produced and where."""

    out_dir: Path
    meta: dict[str, Any]
    classifier: StatementClassifier
    kept_old: bool = False
    reasons: tuple[str, ...] = ()


def frame(analysed: Sequence[str], raw: Sequence[str]) -> pd.DataFrame:
    """The two-column input the vectoriser's ColumnTransformer expects."""
    return pd.DataFrame({"analysed": list(analysed), "raw": list(raw)})


def build_vectorizer() -> ColumnTransformer:
    """The shared TF-IDF view: marked lemmas (words) and raw lower-cased text (chars)."""
    words = TfidfVectorizer(
        token_pattern=r"\S+", lowercase=False, ngram_range=(1, 2), sublinear_tf=True, min_df=1
    )
    chars = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2, lowercase=False
    )
    return ColumnTransformer([("words", words, "analysed"), ("chars", chars, "raw")])


def _svc(c: float, settings: Settings) -> CalibratedClassifierCV:
    # max_iter above liblinear's 1,000: rows learnt twice (a second theme annotation) slow
    # its convergence on small folds; a fit that converges sooner is the same fit.
    svc = LinearSVC(C=c, class_weight="balanced", random_state=settings.random_state, max_iter=5000)
    # ensemble=False: one SVC on all rows, calibrated on out-of-fold scores; five times
    # smaller and faster to predict than an ensemble of per-fold models.
    return CalibratedClassifierCV(svc, method="sigmoid", cv=settings.cv_folds, ensemble=False)


def fit_classifier(
    corpus: Corpus, taxonomy: Taxonomy, settings: Settings
) -> tuple[StatementClassifier, dict[str, Any]]:
    """Fit both models on `corpus`; returns the classifier and training facts for meta.

    Raises:
        CorpusError: a section has too few rows to cross-validate.
    """
    counts = corpus.section_counts()
    thin = [s for s, n in counts.items() if n < settings.cv_folds]
    if thin:
        raise CorpusError(
            f"sections {thin} have fewer than {settings.cv_folds} training rows; "
            "label more statements for them"
        )
    nlp = build_nlp()
    texts = [row.text for row in corpus.rows]
    features = extract_features(nlp, texts, settings.batch_size)
    vectorizer = build_vectorizer()
    # The vocabulary and its weights are learnt from the rows that teach themes too: the
    # same TF-IDF view words grouping's similarity, so a supplementary batch that teaches
    # sections only (`learn_themes: false`) must not move which audit notes meet.
    learn = np.array([row.learn_themes for row in corpus.rows], dtype=bool)
    shaping = np.flatnonzero(learn) if learn.any() else np.arange(len(texts))
    vectorizer.fit(
        frame([features.analysed[i] for i in shaping], [features.raw[i] for i in shaping])
    )
    matrix = sparse.csr_matrix(vectorizer.transform(frame(features.analysed, features.raw)))
    vectors = domain_vectors(settings)
    if vectors is not None:
        # The same columns the classifier appends at inference (StatementClassifier.transform).
        dense = vectors.statement_vectors(features.raw, normalised=True) * settings.vector_weight
        matrix = sparse.hstack([matrix, sparse.csr_matrix(dense, dtype=float)], format="csr")

    sections = np.array([row.section for row in corpus.rows])
    # Rows that teach sections only count `section_only_weight` each (no weights at all
    # when every row counts fully, so such a corpus trains exactly as it always has).
    weights = None if learn.all() else np.where(learn, 1.0, settings.section_only_weight)
    section_model = _svc(settings.section_c, settings).fit(matrix, sections, sample_weight=weights)

    # Themes are learnt from non-neutral rows: neutral facts carry no theme by definition.
    # Rows marked `learn_themes: false` teach the section model only.
    keep = np.flatnonzero((sections != "neutral") & learn)
    theme_counts = corpus.theme_counts(taxonomy.slugs, learnt=True)
    themes = [t for t in taxonomy.slugs if theme_counts[t] >= max(settings.cv_folds, 5)]
    skipped = [t for t in taxonomy.slugs if t not in themes]
    targets = np.array([[t in corpus.rows[i].themes for t in themes] for i in keep], dtype=int)
    # Rows a second annotator tagged blind are learnt once with each annotator's themes:
    # where two readings of the guidelines differ on a secondary theme, each counts half.
    # Every row is then learnt twice (a row with one annotation, twice with it) with C
    # halved, so each row still weighs what it did. On 40 training authorities held out
    # this beat either annotation alone, measured by either (DATASHEET.md).
    theme_c = settings.theme_c
    if any(corpus.rows[i].second_themes for i in keep):
        again = [
            [t in (corpus.rows[i].second_themes or corpus.rows[i].themes) for t in themes]
            for i in keep
        ]
        keep = np.concatenate([keep, keep])
        targets = np.vstack([targets, np.array(again, dtype=int)])
        theme_c /= 2
    theme_model = OneVsRestClassifier(_svc(theme_c, settings))
    # Folds by origin (report or file), so each theme's threshold is chosen on scores of
    # wording from sources the fold's model never saw, as at run time: with rows
    # shuffled, near-duplicate rows of one writer sat on both sides of a fold.
    # A corpus where some theme comes from fewer sources than folds (a team's own file,
    # a new theme labelled in one sitting) falls back to folds of rows, so every fold
    # still learns every theme.
    origins = np.array([corpus.rows[i].origin for i in keep])
    spread = min((len(set(origins[targets[:, i] == 1])) for i in range(len(themes))), default=0)
    if themes and spread >= settings.cv_folds:
        out_of_fold = cross_val_predict(
            theme_model,
            matrix[keep],
            targets,
            cv=GroupKFold(settings.cv_folds),
            groups=origins,
            method="predict_proba",
        )
    elif theme_c != settings.theme_c:
        # Rows learnt twice keep both copies in one fold: a copy on each side would let
        # the fold's model see the row it is scored on, and set the thresholds too high.
        copies = np.tile(np.arange(len(keep) // 2), 2)
        folds = GroupKFold(settings.cv_folds, shuffle=True, random_state=settings.random_state)
        out_of_fold = cross_val_predict(
            theme_model, matrix[keep], targets, cv=folds, groups=copies, method="predict_proba"
        )
    else:
        folds = KFold(settings.cv_folds, shuffle=True, random_state=settings.random_state)
        out_of_fold = cross_val_predict(
            theme_model, matrix[keep], targets, cv=folds, method="predict_proba"
        )
    thresholds = {
        theme: _best_threshold(targets[:, i], out_of_fold[:, i], settings.theme_threshold_floor)
        for i, theme in enumerate(themes)
    }
    theme_model.fit(matrix[keep], targets)
    classifier = classifier_from_estimators(
        nlp,
        Estimators(vectorizer, section_model, theme_model),
        themes=themes,
        thresholds={t: v["threshold"] for t, v in thresholds.items()},
        fallback_min_score=settings.theme_fallback_min_score,
        evidence_terms=settings.evidence_terms,
        batch_size=settings.batch_size,
        vectors=vectors,
        vector_weight=settings.vector_weight if vectors is not None else 0.0,
    )
    # Codes read the content words and domain vectors (character n-grams would make the
    # model ten times larger).
    classifier.code_model = _fit_codes(corpus, matrix, classifier.code_columns, settings)
    facts = {
        "thresholds": {t: v["threshold"] for t, v in thresholds.items()},
        "cv_theme_f1": {t: v["f1"] for t, v in thresholds.items()},
        "skipped_themes": skipped,
        "features": int(matrix.shape[1]),
        "second_annotations": sum(1 for row in corpus.rows if row.second_themes),
    }
    return classifier, facts


def _fit_codes(
    corpus: Corpus, matrix: sparse.csr_matrix, columns: np.ndarray, settings: Settings
) -> CodeModel | None:
    """The finding-code model, from the corpus rows that carry a code; None when too few
    rows do (a corpus without a codebook drafts exactly as before)."""
    coded = [i for i, row in enumerate(corpus.rows) if row.code]
    codes = [corpus.rows[i].code for i in coded]
    if len(coded) < CODES_MIN_ROWS or len(set(codes)) < 2:
        return None
    used = code_columns(matrix[coded], columns, min_rows=2)
    return fit_code_model(matrix[coded], codes, used, settings.code_c, settings.random_state)


def vectors_folder(settings: Settings) -> Path:
    """Where training reads the domain vectors: `vectors_dir`; else the model folder's;
    else, for a new model folder, the shipped models' (so `train --out new-folder` and a
    team's own model folder work from a fresh clone)."""
    if settings.vectors_dir:
        return Path(settings.vectors_dir)
    own = Path(settings.model_dir) / VECTORS_DIR
    if (own / "vectors.cfg").is_file():
        return own
    return Path(Settings().model_dir) / VECTORS_DIR


def domain_vectors(settings: Settings) -> DomainVectors | None:
    """The domain vectors to train with, or None when `vector_weight` is 0.

    Raises:
        ModelError: vectors are wanted but missing or unreadable.
    """
    if not settings.vector_weight:
        return None
    folder = vectors_folder(settings)
    if not (folder / "vectors.cfg").is_file():
        raise ModelError(
            f"{folder}: domain vectors missing; restore models/vectors from the repository, "
            "rebuild them with `briefing-nlp train-vectors REPORTS_DIR`, or train without "
            "them with vector_weight = 0 in a --config file"
        )
    return DomainVectors.load(folder)


def _best_threshold(truth: np.ndarray, scores: np.ndarray, floor: float) -> dict[str, float]:
    """The probability cut with the best out-of-fold F1 (lowest such cut on ties)."""
    best = {"threshold": 0.5, "f1": 0.0}
    for cut in np.arange(floor, 0.9 + 1e-9, THRESHOLD_GRID_STEP):
        predicted = scores >= cut
        tp = int(np.sum(predicted & (truth == 1)))
        fp = int(np.sum(predicted & (truth == 0)))
        fn = int(np.sum(~predicted & (truth == 1)))
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best["f1"] + 1e-12:
            best = {"threshold": round(float(cut), 3), "f1": round(f1, 4)}
    return best


def train_models(
    settings: Settings,
    corpus_path: Path | None = None,
    out_dir: Path | None = None,
    feedback: Path | None = None,
) -> TrainResult:
    """Train on the corpus, evaluate on its test split if any, and write the model folder.

    `corpus_path` is a folder with train/ (and test/) or a single JSONL/CSV file; the
    artifacts land in `out_dir` only when everything succeeded. With `feedback` (reviewers'
    corrections in the corpus format) the new model trains on corpus + feedback and
    replaces the model in `out_dir` only if it is no worse on the test split in section
    macro-F1 and theme micro-F1; otherwise the old model stays and `reasons` say why.

    Raises:
        CorpusError, TaxonomyError: the corpus, feedback or taxonomy is invalid.
    """
    from briefing_nlp.evaluate import evaluate_classifier  # evaluate imports train's peers

    started = time.perf_counter()
    taxonomy = load_taxonomy(settings.taxonomy_path)
    corpus_path = Path(corpus_path or settings.corpus_dir)
    out_dir = Path(out_dir or settings.model_dir)
    train_path, test_path = split_dirs(corpus_path)
    train_corpus = load_corpus(train_path, taxonomy)
    test_corpus = load_corpus(test_path, taxonomy) if test_path else None
    real_path = real_test_dir(corpus_path) if Path(corpus_path).is_dir() else None
    real_corpus = load_corpus(real_path, taxonomy) if real_path else None
    if feedback is not None:
        if test_corpus is None:
            raise CorpusError(
                f"{corpus_path}: training with --feedback needs a test/ split to compare the "
                "old and new models; use a corpus folder with train/ and test/"
            )
        train_corpus = combine_corpora(train_corpus, load_corpus(feedback, taxonomy))
    classifier, facts = fit_classifier(train_corpus, taxonomy, settings)
    train_seconds = time.perf_counter() - started

    evaluation = (
        evaluate_classifier(classifier, test_corpus, train_corpus, taxonomy)
        if test_corpus
        else None
    )
    real_evaluation = (
        evaluate_classifier(classifier, real_corpus, train_corpus, taxonomy)
        if real_corpus
        else None
    )
    if feedback is not None and evaluation is not None and (out_dir / "meta.json").is_file():
        old = StatementClassifier.load(out_dir)
        assert test_corpus is not None
        old_evaluation = evaluate_classifier(old, test_corpus, train_corpus, taxonomy)
        reasons = compare_evaluations(old_evaluation["model"], evaluation["model"])
        if real_corpus is not None and real_evaluation is not None:
            # Corrections must not cost the model its hold on real language either.
            old_real = evaluate_classifier(old, real_corpus, train_corpus, taxonomy)
            reasons += tuple(
                f"real-language test split: {reason}"
                for reason in compare_evaluations(old_real["model"], real_evaluation["model"])
            )
        if reasons:
            return TrainResult(out_dir, read_meta(out_dir), old, kept_old=True, reasons=reasons)
    out_dir.mkdir(parents=True, exist_ok=True)
    kept = _redaction_facts(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out_dir))
    try:
        meta = _write_staging(
            staging,
            classifier,
            settings,
            facts,
            train_seconds,
            train_corpus,
            test_corpus,
            taxonomy,
            evaluation,
            kept,
            real_corpus,
            real_evaluation,
        )
        install_artifacts(staging, out_dir)
        forget_loaded_models()  # a cached copy of the old model must not outlive it
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return TrainResult(out_dir=out_dir, meta=meta, classifier=classifier)


def compare_evaluations(old: dict[str, Any], new: dict[str, Any]) -> tuple[str, ...]:
    """Why the new model is worse than the old (empty when it is not), label by label."""
    reasons: list[str] = []
    for part, key, name in (
        ("section", "macro_f1", "section macro-F1"),
        ("themes", "micro_f1", "theme micro-F1"),
    ):
        if new[part][key] < old[part][key]:
            worse = [
                f"{label} {old[part]['per_label'][label]['f1']:.3f} -> {m['f1']:.3f}"
                for label, m in new[part]["per_label"].items()
                if label in old[part]["per_label"] and m["f1"] < old[part]["per_label"][label]["f1"]
            ]
            reasons.append(
                f"{name} fell from {old[part][key]:.3f} to {new[part][key]:.3f}"
                + (f" (worse: {', '.join(worse)})" if worse else "")
            )
    return tuple(reasons)


def _write_staging(
    staging: Path,
    classifier: StatementClassifier,
    settings: Settings,
    facts: dict[str, Any],
    train_seconds: float,
    train_corpus: Corpus,
    test_corpus: Corpus | None,
    taxonomy: Taxonomy,
    evaluation: dict[str, Any] | None,
    kept: dict[str, Any],
    real_corpus: Corpus | None = None,
    real_evaluation: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Write every artifact, meta.json and the model card into `staging`."""
    classifier.nlp.to_disk(staging / "nlp")
    if classifier.vectors is not None:
        # The model folder carries the vectors it was trained with, so it stands alone.
        shutil.copytree(vectors_folder(settings), staging / VECTORS_DIR)
    estimators = classifier.estimators
    if estimators is None:
        raise ModelError("only a classifier trained in this process can be written")
    dump_vectorizer(estimators.vectorizer, staging)
    dump_skops(estimators.section_model, staging / "section.skops")
    dump_skops(estimators.theme_model, staging / "themes.skops")
    dump_weights(classifier.weight_arrays(), staging / "weights.npz")
    artifacts = {name: file_sha256(staging / name) for name in ARTIFACTS}
    artifacts["nlp"] = dir_sha256(staging / "nlp")
    vectors_facts: dict[str, Any] | None = None
    if classifier.vectors is not None:
        artifacts[VECTORS_DIR] = dir_sha256(staging / VECTORS_DIR)
        vectors_facts = {"weight": classifier.vector_weight, "dims": classifier.vectors.dim}
        about = staging / VECTORS_DIR / "vectors.json"
        if about.is_file():
            vectors_facts["trained"] = json.loads(about.read_text(encoding="utf-8"))
    if "ner" in kept:
        artifacts["ner"] = kept["ner"]
    meta = {
        "schema_version": SCHEMA_VERSION,
        "name": "briefing-nlp statement classifier",
        "versions": {
            "briefing_nlp": __version__,
            "python": platform.python_version(),
            "spacy": spacy.__version__,
            "scikit_learn": sklearn.__version__,
            "skops": skops.__version__,
            "numpy": np.__version__,
        },
        "corpus": _corpus_facts(train_corpus, test_corpus, taxonomy, real_corpus),
        "taxonomy": {"source": Path(taxonomy.source).name, "themes": list(taxonomy.slugs)},
        "labels": {"sections": list(SECTIONS), "themes": list(classifier.themes)},
        "settings": {
            k: v for k, v in settings.to_json().items() if k not in ("model_dir", "corpus_dir")
        },
        "training": {
            "seconds": round(train_seconds, 1),
            "machine": platform.machine(),
            "features": facts["features"],
            "skipped_themes": facts["skipped_themes"],
            "cv_theme_f1": facts["cv_theme_f1"],
            "second_annotations": facts["second_annotations"],
        },
        "thresholds": facts["thresholds"],
        # What drafting needs beside weights.npz and vocabulary.json to apply the model
        # without scikit-learn (see briefing_nlp.tfidf).
        "inference": {
            "sections": list(classifier.sections),
            "vectoriser": vectoriser_params(estimators.vectorizer),
            "vectors": vectors_facts,
            "codes": code_facts(classifier.code_model),
        },
        "metrics": evaluation,
        "metrics_real": real_evaluation,
        "artifacts": artifacts,
    }
    for key in ("pii", "ablation"):
        if key in kept:
            meta[key] = kept[key]
    write_json(staging / "meta.json", meta)
    (staging / "MODEL_CARD.md").write_text(render_model_card(meta), encoding="utf-8")
    return meta


def _redaction_facts(out_dir: Path) -> dict[str, Any]:
    """The redaction model's hash and scores from an existing meta.json, which retraining
    the classifiers keeps (the NER folder itself is left in place)."""
    if not (out_dir / "meta.json").is_file() or not (out_dir / "ner").is_dir():
        return {}
    try:
        meta = read_meta(out_dir)
    except ModelError:
        return {}
    kept: dict[str, Any] = {}
    if "ner" in meta.get("artifacts", {}):
        kept["ner"] = meta["artifacts"]["ner"]
    for key in ("pii", "ablation"):
        if key in meta:
            kept[key] = meta[key]
    return kept


def _corpus_facts(
    train: Corpus, test: Corpus | None, taxonomy: Taxonomy, real: Corpus | None = None
) -> dict[str, Any]:
    def describe(corpus: Corpus) -> dict[str, Any]:
        return {
            "sha256": corpus.sha256,
            "rows": len(corpus.rows),
            "files": [Path(f).name for f in corpus.files],
            "sections": corpus.section_counts(),
            "themes": corpus.theme_counts(taxonomy.slugs, learnt=True),
        }

    facts = {"train": describe(train)}
    seen = {r.text.lower() for r in train.rows}
    for name, split in (("test", test), ("test_real", real)):
        if split is not None:
            facts[name] = describe(split)
            facts[name]["identical_to_train"] = len(seen & {r.text.lower() for r in split.rows})
    if real is not None and real.files:
        listing = Path(real.files[0]).parent / AUTHORITIES
        if listing.is_file():
            facts["test_real"]["authorities"] = read_authorities(listing)
    return facts
