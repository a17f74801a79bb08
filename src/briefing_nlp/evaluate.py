"""Measure the classifiers on a held-out split against two baselines in the same run.

Baselines: `majority` (the most common training section, and the most common theme for
non-neutral predictions) and `lexicon` (section cue words and the taxonomy's keywords).
Reports are plain dicts so they go into meta.json, the model card and `--format json`.
`evaluate_models` and `evaluate_redaction` are what `briefing-nlp evaluate` runs: the
corpus test split and the real-language split side by side, or the PII test split.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from briefing_nlp.classify import StatementClassifier
from briefing_nlp.corpus import Corpus, load_corpus, real_test_dir, split_dirs
from briefing_nlp.errors import CorpusError
from briefing_nlp.settings import Settings
from briefing_nlp.taxonomy import SECTIONS, Taxonomy, load_taxonomy

Prediction = tuple[str, tuple[str, ...]]

# Section cue lexicon for the baseline, checked in this order.
SECTION_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "good_practice",
        re.compile(
            r"\b(excellent|exemplary|outstanding|good practice|share[ds]?|sharing|example)\b", re.I
        ),
    ),
    (
        "action",
        re.compile(
            r"(^\s*(action|ensure|update|complete|upload|consider|refer|invite|arrange|record|"
            r"review|add|request|undertake|discuss|explore|check|make|seek|include)\b)|"
            r"\b(to be|needs? to|should|must|to (update|ensure|complete|record|upload|review))\b",
            re.I,
        ),
    ),
    (
        "worry",
        re.compile(
            r"\b(no|not|n't|never|lack\w*|missing|out of date|late|overdue|poor|limited|gaps?|"
            r"weak|absent|delay\w*|drift)\b",
            re.I,
        ),
    ),
    (
        "strength",
        re.compile(
            r"\b(good|clear|clearly|evident|up to date|well|strong|timely|regular|detailed|"
            r"thorough|positive)\b",
            re.I,
        ),
    ),
)


def section_report(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """Per-section precision/recall/F1, macro-F1, accuracy and the confusion matrix."""
    labels = list(SECTIONS)
    p, r, f, n = precision_recall_fscore_support(truth, predicted, labels=labels, zero_division=0)
    matrix = confusion_matrix(truth, predicted, labels=labels)
    correct = sum(t == q for t, q in zip(truth, predicted, strict=True))
    return {
        "per_label": {
            label: {
                "precision": round(float(p[i]), 3),
                "recall": round(float(r[i]), 3),
                "f1": round(float(f[i]), 3),
                "support": int(n[i]),
            }
            for i, label in enumerate(labels)
        },
        "macro_f1": round(float(f.mean()), 3),
        "accuracy": round(correct / max(1, len(truth)), 3),
        "confusion": {"labels": labels, "rows_true_cols_predicted": matrix.tolist()},
    }


def theme_report(
    truth: Sequence[tuple[str, ...]], predicted: Sequence[tuple[str, ...]], themes: Sequence[str]
) -> dict[str, Any]:
    """Per-theme precision/recall/F1 with micro and macro F1 over statements."""
    per: dict[str, dict[str, float]] = {}
    total = Counter[str]()
    f1s = []
    for theme in themes:
        tp = sum(theme in t and theme in p for t, p in zip(truth, predicted, strict=True))
        fp = sum(theme not in t and theme in p for t, p in zip(truth, predicted, strict=True))
        fn = sum(theme in t and theme not in p for t, p in zip(truth, predicted, strict=True))
        total.update(tp=tp, fp=fp, fn=fn)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        f1s.append(f1)
        per[theme] = {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
            "support": tp + fn,
        }
    tp, fp, fn = total["tp"], total["fp"], total["fn"]
    return {
        "per_label": per,
        "micro_f1": round(2 * tp / (2 * tp + fp + fn), 3) if tp else 0.0,
        "micro_precision": round(tp / (tp + fp), 3) if tp + fp else 0.0,
        "micro_recall": round(tp / (tp + fn), 3) if tp + fn else 0.0,
        "macro_f1": round(sum(f1s) / max(1, len(f1s)), 3),
    }


def report(
    corpus: Corpus, predictions: Sequence[Prediction], themes: Sequence[str]
) -> dict[str, Any]:
    truth_sections = [row.section for row in corpus.rows]
    truth_themes = [row.themes for row in corpus.rows]
    return {
        "section": section_report(truth_sections, [p[0] for p in predictions]),
        "themes": theme_report(truth_themes, [p[1] for p in predictions], themes),
    }


def majority_baseline(train: Corpus, texts: Sequence[str]) -> list[Prediction]:
    section = Counter(row.section for row in train.rows).most_common(1)[0][0]
    theme_counts = Counter(t for row in train.rows for t in row.themes)
    themes = (theme_counts.most_common(1)[0][0],) if theme_counts and section != "neutral" else ()
    return [(section, themes) for _ in texts]


def lexicon_baseline(taxonomy: Taxonomy, texts: Sequence[str]) -> list[Prediction]:
    patterns = {
        theme.slug: re.compile(
            r"\b(" + "|".join(re.escape(k) for k in theme.keywords) + r")\b", re.I
        )
        for theme in taxonomy.themes
    }
    out: list[Prediction] = []
    for text in texts:
        section = next((s for s, cue in SECTION_CUES if cue.search(text)), "neutral")
        themes = (
            ()
            if section == "neutral"
            else tuple(slug for slug, pattern in patterns.items() if pattern.search(text))
        )
        out.append((section, themes))
    return out


BOOTSTRAP_SAMPLES = 1000


def bootstrap_intervals(
    corpus: Corpus,
    predictions: Sequence[Prediction],
    themes: Sequence[str],
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = 13,
) -> dict[str, list[float]]:
    """95% percentile bootstrap intervals of section macro-F1 and theme micro-F1.

    Statements are resampled with replacement `samples` times (seeded, so the same
    predictions always give the same interval); each resample is scored like the whole.
    """
    labels = list(SECTIONS)
    index = {label: i for i, label in enumerate(labels)}
    truth = np.array([index[row.section] for row in corpus.rows])
    guess = np.array([index[p[0]] for p in predictions])
    theme_truth = np.array([[t in row.themes for t in themes] for row in corpus.rows], dtype=bool)
    theme_guess = np.array([[t in p[1] for t in themes] for p in predictions], dtype=bool)
    # Per statement: whether it is a true positive, false positive or false negative for
    # each section, and how many theme tp/fp/fn it holds, so a resample is one weighted sum.
    k = len(labels)
    tp = np.zeros((len(truth), k))
    fp = np.zeros((len(truth), k))
    fn = np.zeros((len(truth), k))
    rows = np.arange(len(truth))
    hit = truth == guess
    tp[rows[hit], truth[hit]] = 1
    fp[rows[~hit], guess[~hit]] = 1
    fn[rows[~hit], truth[~hit]] = 1
    theme_counts = np.stack(
        [
            (theme_truth & theme_guess).sum(axis=1),
            (~theme_truth & theme_guess).sum(axis=1),
            (theme_truth & ~theme_guess).sum(axis=1),
        ],
        axis=1,
    ).astype(float)
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(len(truth), np.full(len(truth), 1 / len(truth)), size=samples)
    s_tp, s_fp, s_fn = weights @ tp, weights @ fp, weights @ fn
    denominator = 2 * s_tp + s_fp + s_fn
    f1 = np.divide(2 * s_tp, denominator, out=np.zeros_like(s_tp), where=denominator > 0)
    macro = f1.mean(axis=1)
    t = weights @ theme_counts
    t_denominator = 2 * t[:, 0] + t[:, 1] + t[:, 2]
    micro = np.divide(
        2 * t[:, 0], t_denominator, out=np.zeros_like(t_denominator), where=t_denominator > 0
    )
    return {
        "section_macro_f1": [round(float(v), 3) for v in np.percentile(macro, [2.5, 97.5])],
        "theme_micro_f1": [round(float(v), 3) for v in np.percentile(micro, [2.5, 97.5])],
    }


def evaluate_classifier(
    classifier: StatementClassifier, test: Corpus, train: Corpus, taxonomy: Taxonomy
) -> dict[str, Any]:
    """Model and baseline reports on `test`, comparable figure for figure, with 95%
    bootstrap intervals for the model's headline figures."""
    texts = [row.text for row in test.rows]
    predictions = [(c.section, c.themes) for c in classifier.classify(texts, evidence=False)]
    themes = list(taxonomy.slugs)
    return {
        "test_rows": len(test.rows),
        "test_sha256": test.sha256,
        "model": report(test, predictions, themes),
        "intervals": bootstrap_intervals(test, predictions, themes),
        "baselines": {
            "majority": report(test, majority_baseline(train, texts), themes),
            "lexicon": report(test, lexicon_baseline(taxonomy, texts), themes),
        },
    }


def evaluate_models(settings: Settings, corpus_path: Path | None = None) -> dict[str, Any]:
    """Model and baseline figures on the test split of `corpus_path` (or the default corpus),
    and under `real` on its real-language split (`test-real/`) when it has one.

    A folder with train/ and test/ uses test/ for scoring and train/ for the majority
    baseline; a single file is scored as it is, with the baseline fitted on the default
    training split.

    Raises:
        CorpusError: there is no test split to score against.
        ModelError: the models cannot be loaded.
    """
    taxonomy = load_taxonomy(settings.taxonomy_path)
    corpus_path = Path(corpus_path or settings.corpus_dir)
    train_path, test_path = split_dirs(corpus_path)
    if test_path is None:
        if Path(corpus_path).is_dir() and not (Path(corpus_path) / "train").is_dir():
            raise CorpusError(
                f"{corpus_path}: no test/ split; give a folder with train/ and test/ "
                "or a labelled test file"
            )
        test_path = corpus_path
        train_path, _ = split_dirs(settings.corpus_dir)
    classifier = StatementClassifier.load(settings.model_dir)
    test = load_corpus(test_path, taxonomy)
    train = load_corpus(train_path, taxonomy)
    result = evaluate_classifier(classifier, test, train, taxonomy)
    # The real-language split (test-real/) is scored beside the corpus's own test split:
    # the corpus split shows what the model learnt of its writers' voice, the real one
    # how it does on language they did not write.
    real_path = real_test_dir(corpus_path) if Path(corpus_path).is_dir() else None
    if real_path is not None:
        result["real"] = evaluate_classifier(
            classifier, load_corpus(real_path, taxonomy), train, taxonomy
        )
    return result


def evaluate_redaction(settings: Settings, corpus_path: Path | None = None) -> dict[str, Any]:
    """Redaction recall, precision and F2 per type on the PII test split.

    Raises:
        CorpusError: the PII test split is missing or malformed.
        ModelError: the redaction model cannot be loaded.
    """
    from briefing_nlp.pii import load_pii_corpus, score_redaction
    from briefing_nlp.redact import redactor_for

    folder = Path(corpus_path or Path(settings.corpus_dir).parent / "pii")
    test = folder / "test" if (folder / "test").is_dir() else folder
    return score_redaction(redactor_for(settings), load_pii_corpus(test))
