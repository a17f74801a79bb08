"""Evaluate the installed models on a corpus's test split (the `evaluate` command)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from briefing_nlp.classify import StatementClassifier
from briefing_nlp.corpus import load_corpus, real_test_dir, split_dirs
from briefing_nlp.errors import CorpusError
from briefing_nlp.evaluate import evaluate_classifier
from briefing_nlp.settings import Settings
from briefing_nlp.taxonomy import load_taxonomy


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
