"""Every documented setting changes what it governs, and is read at the stage it belongs to.

Each case changes one setting from its default and shows the difference where that
setting is honoured: drafting for the run-time stages, fitting for the `train` stage
(those cases train small models and are marked slow). A setting added without a case
here fails `test_every_setting_has_a_case`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest

from briefing_nlp.classify import StatementClassifier
from briefing_nlp.draft import draft_briefing
from briefing_nlp.errors import ConfigError, CorpusError, InputError, ModelError
from briefing_nlp.render import briefing_to_json
from briefing_nlp.settings import STAGES, TRAINING, Settings, load_settings

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PACK = PROJECT_ROOT / "examples" / "front-door" / "notes.txt"
NOTES = (
    "Title: Home visits audit\n\n"
    "Record 1\nSeen Kacper Nowak at home; his views recorded. Chronology out of date.\n\n"
    "Record 2\nChronology not updated since March. Good direct work with the child.\n\n"
    "Record 3\nNo chronology on file. Direct work thoughtful and well recorded.\n"
)
DEFAULT = Settings()


@pytest.fixture(scope="module")
def default_draft(classifier: StatementClassifier) -> dict[str, Any]:
    return _draft(DEFAULT, classifier)


def _draft(settings: Settings, classifier: StatementClassifier | None = None) -> dict[str, Any]:
    briefing = draft_briefing([PACK], settings=settings, classifier=classifier)
    return briefing_to_json(briefing)


def _supports(draft: dict[str, Any]) -> list[tuple[str, tuple[int, ...]]]:
    return sorted(
        (section, tuple(b["support"]))
        for section, bullets in draft["sections"].items()
        for b in bullets
    )


# Grouping: the same audit groups differently (which records each bullet speaks for).
GROUPING = {
    "similarity_threshold": {"similarity_threshold": 0.6},
    "uncoded_similarity_threshold": {"code_weight": 0.0, "uncoded_similarity_threshold": 0.6},
    "code_weight": {"code_weight": 0.9},
    "text_weight": {"text_weight": 0.0},
    "subject_weight": {"subject_weight": 0.9},
    "vector_share": {"vector_share": 0.9},
    "subject_words": {"subject_words": 6},
    "attach_similarity": {"attach_similarity": 0.0},
    "co_support_min_similarity": {"co_support_min_similarity": 0.0},
    "exact_grouping_limit": {"exact_grouping_limit": 5},
}


@pytest.mark.parametrize("name", sorted(GROUPING))
def test_grouping_settings_change_which_records_a_bullet_speaks_for(
    name: str, classifier: StatementClassifier, default_draft: dict[str, Any]
) -> None:
    changed = _draft(replace(DEFAULT, **GROUPING[name]), classifier)
    assert _supports(changed) != _supports(default_draft), name


def test_blocking_similarity_changes_the_blocks_of_an_oversized_section(
    classifier: StatementClassifier,
) -> None:
    blocked = replace(DEFAULT, exact_grouping_limit=5)
    loose = _draft(replace(blocked, blocking_similarity=0.05), classifier)
    assert _supports(_draft(blocked, classifier)) != _supports(loose)


def test_one_record_min_confidence_moves_findings_out_of_the_briefing(
    classifier: StatementClassifier, default_draft: dict[str, Any]
) -> None:
    everything = _draft(replace(DEFAULT, one_record_min_confidence=0.0), classifier)
    strict = _draft(replace(DEFAULT, one_record_min_confidence=1.0), classifier)
    count = lambda d, key: sum(len(b) for b in d.get(key, {}).values())  # noqa: E731
    assert count(everything, "one_record") == 0
    assert count(strict, "one_record") > count(default_draft, "one_record")


def test_prevalence_scale_changes_the_count_words(
    classifier: StatementClassifier, default_draft: dict[str, Any]
) -> None:
    changed = _draft(replace(DEFAULT, prevalence_scale="all=1.0, a few=0"), classifier)
    texts = lambda d: [b["text"] for bs in d["sections"].values() for b in bs]  # noqa: E731
    assert any(t.startswith("In many records") for t in texts(default_draft))
    assert not any(t.startswith("In many records") for t in texts(changed))
    assert any(t.startswith("In a few records") for t in texts(changed))


def test_suggest_actions_off_leaves_only_the_auditors_actions(
    classifier: StatementClassifier,
) -> None:
    pack = PROJECT_ROOT / "examples" / "cla-permanence" / "notes.txt"
    suggested = lambda s: [  # noqa: E731
        b
        for b in draft_briefing([pack], settings=s, classifier=classifier).all_bullets
        if b.suggested
    ]
    assert suggested(DEFAULT)
    assert not suggested(replace(DEFAULT, suggest_actions=False))


def test_taxonomy_path_changes_the_suggested_impacts(
    tmp_path: Path, classifier: StatementClassifier, default_draft: dict[str, Any]
) -> None:
    shipped = (PROJECT_ROOT / "src" / "briefing_nlp" / "data" / "taxonomy.toml").read_text()
    edited = tmp_path / "taxonomy.toml"
    edited.write_text(shipped.replace('impact = "', 'impact = "(edited) '), encoding="utf-8")
    changed = _draft(replace(DEFAULT, taxonomy_path=edited), classifier)
    impacts = lambda d: [b["impact"] for bs in d["sections"].values() for b in bs if b["impact"]]  # noqa: E731
    assert any(i.startswith("(edited)") for i in impacts(changed))
    assert not any(i.startswith("(edited)") for i in impacts(default_draft))


def test_model_dir_is_where_the_models_are_read(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=str(tmp_path / "none")):
        draft_briefing([PACK], settings=replace(DEFAULT, model_dir=tmp_path / "none"))


# Ingest limits: a small input passes at the default and is refused under a tight limit.
def _notes_file(tmp_path: Path, kind: str) -> Path:
    if kind == "txt":
        path = tmp_path / "notes.txt"
        path.write_text(NOTES, encoding="utf-8")
    elif kind == "csv":
        path = tmp_path / "notes.csv"
        rows = ["Record,Comment"] + [
            f"{n},Chronology out of date in record {n}." for n in (1, 2, 3)
        ]
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    else:
        import docx

        path = tmp_path / "notes.docx"
        document = docx.Document()
        for line in NOTES.splitlines():
            document.add_paragraph(line)
        document.save(str(path))
    return path


INGEST = {
    "max_input_mb": ("txt", {"max_input_mb": 0.0001}),
    "max_expanded_mb": ("docx", {"max_expanded_mb": 0.001}),
    "max_zip_entries": ("docx", {"max_zip_entries": 2}),
    "max_rows": ("csv", {"max_rows": 2}),
    "max_cells": ("csv", {"max_cells": 3}),
}


@pytest.mark.parametrize("name", sorted(INGEST))
def test_ingest_limits_refuse_what_is_over_them(
    name: str, tmp_path: Path, classifier: StatementClassifier
) -> None:
    kind, values = INGEST[name]
    path = _notes_file(tmp_path, kind)
    assert draft_briefing([path], settings=DEFAULT, classifier=classifier).records
    with pytest.raises(InputError):
        draft_briefing([path], settings=replace(DEFAULT, **values), classifier=classifier)


def test_redact_off_keeps_the_names(tmp_path: Path, classifier: StatementClassifier) -> None:
    path = _notes_file(tmp_path, "txt")
    shown = lambda s: json.dumps(  # noqa: E731
        briefing_to_json(draft_briefing([path], settings=s, classifier=classifier))
    )
    assert "Kacper" not in shown(DEFAULT)
    assert "Kacper" in shown(replace(DEFAULT, redact=False))


def test_allow_list_path_keeps_the_listed_terms(tmp_path: Path) -> None:
    from briefing_nlp.redact import redactor_for

    allow = tmp_path / "allow.txt"
    allow.write_text("Kacper Nowak\n", encoding="utf-8")
    text = ["Seen Kacper Nowak at home."]
    assert "Kacper" not in redactor_for(DEFAULT).redact(text)[0].text
    assert "Kacper" in redactor_for(replace(DEFAULT, allow_list_path=allow)).redact(text)[0].text


def test_pii_spacy_model_adds_an_installed_pipeline() -> None:
    from briefing_nlp.redact import redactor_for

    with pytest.raises(ConfigError, match="no_such_pipeline"):
        redactor_for(replace(DEFAULT, pii_spacy_model="no_such_pipeline"))


# Run-time classification settings, applied over the model's saved values.
def test_theme_fallback_min_score_gives_a_theme_to_statements_under_every_threshold(
    classifier: StatementClassifier,
) -> None:
    # Terse verdicts name no practice, so no theme passes its threshold.
    texts = ["Not good enough.", "Weak.", "Poor practice overall.", "Not done.", "Excellent."]
    themes = lambda score: [  # noqa: E731
        c.themes
        for c in classifier.for_settings(replace(DEFAULT, theme_fallback_min_score=score)).classify(
            texts, evidence=False
        )
    ]
    assert all(themes(0.0)) and not any(themes(1.01))


def test_evidence_terms_sets_how_many_terms_are_kept(classifier: StatementClassifier) -> None:
    text = ["Chronology out of date and not used to inform the plan."]
    few = classifier.for_settings(replace(DEFAULT, evidence_terms=1)).classify(text)[0]
    many = classifier.for_settings(replace(DEFAULT, evidence_terms=5)).classify(text)[0]
    assert len(few.section_evidence) == 1 < len(many.section_evidence)


def test_batch_size_is_the_batch_the_pipeline_reads(
    classifier: StatementClassifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing_nlp import classify

    seen: list[int] = []
    real = classify.extract_features

    def spy(nlp: Any, texts: Any, batch_size: int = 1000) -> Any:
        seen.append(batch_size)
        return real(nlp, texts, batch_size)

    monkeypatch.setattr(classify, "extract_features", spy)
    classifier.for_settings(replace(DEFAULT, batch_size=7)).classify(["Chronology late."])
    assert seen == [7]


# Training-time settings: each changes the fitted model. A small corpus keeps it quick.
def _small_corpus(tmp_path: Path) -> Path:
    folder = PROJECT_ROOT / "corpora" / "statements" / "train"
    rows = []
    for name in ("batch-a1", "batch-b1", "batch-c1", "batch-d1", "real-1", "real-13"):
        rows += (folder / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "small.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def small_fit(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Settings], Any]:
    from briefing_nlp.corpus import load_corpus
    from briefing_nlp.taxonomy import load_taxonomy
    from briefing_nlp.train import fit_classifier

    taxonomy = load_taxonomy()
    corpus = load_corpus(_small_corpus(tmp_path_factory.mktemp("corpus")), taxonomy)

    def fit(settings: Settings) -> tuple[dict[str, Any], dict[str, float]]:
        classifier, _ = fit_classifier(corpus, taxonomy, settings)
        return classifier.weight_arrays(), dict(classifier.thresholds)

    return fit


TRAINED = {
    "vector_weight": {"vector_weight": 0.0},
    "random_state": {"random_state": 99},
    "cv_folds": {"cv_folds": 3},
    "section_c": {"section_c": 0.05},
    "theme_c": {"theme_c": 5.0},
    "code_c": {"code_c": 0.1},
    "section_only_weight": {"section_only_weight": 1.0},
    "theme_threshold_floor": {"theme_threshold_floor": 0.6},
}


def _differ(a: tuple[dict[str, Any], dict[str, float]], b: Any) -> list[str]:
    import numpy as np

    weights_a, thresholds_a = a
    weights_b, thresholds_b = b
    changed = [
        k
        for k in sorted(set(weights_a) | set(weights_b))
        if k not in weights_a
        or k not in weights_b
        or weights_a[k].shape != weights_b[k].shape
        or not np.array_equal(weights_a[k], weights_b[k])
    ]
    return changed + (["thresholds"] if thresholds_a != thresholds_b else [])


@pytest.mark.slow
def test_training_settings_change_the_fitted_model(small_fit: Callable[[Settings], Any]) -> None:
    baseline = small_fit(DEFAULT)
    unchanged = [
        name
        for name, values in TRAINED.items()
        if not _differ(baseline, small_fit(replace(DEFAULT, **values)))
    ]
    assert not unchanged, f"these training settings changed nothing: {unchanged}"


def test_corpus_dir_is_the_corpus_training_reads(tmp_path: Path) -> None:
    from briefing_nlp.train import train_models

    with pytest.raises(CorpusError, match="none"):
        train_models(replace(DEFAULT, corpus_dir=tmp_path / "none", model_dir=tmp_path / "m"))


def test_vectors_dir_is_where_training_reads_the_vectors(tmp_path: Path) -> None:
    from briefing_nlp.train import domain_vectors

    assert domain_vectors(DEFAULT) is not None
    with pytest.raises(ModelError, match="none"):
        domain_vectors(replace(DEFAULT, vectors_dir=tmp_path / "none"))


CASES = (
    set(GROUPING)
    | set(INGEST)
    | set(TRAINED)
    | {
        "blocking_similarity",
        "one_record_min_confidence",
        "prevalence_scale",
        "suggest_actions",
        "taxonomy_path",
        "model_dir",
        "redact",
        "allow_list_path",
        "pii_spacy_model",
        "theme_fallback_min_score",
        "evidence_terms",
        "batch_size",
        "corpus_dir",
        "vectors_dir",
    }
)


def test_every_setting_has_a_case() -> None:
    assert {f.name for f in fields(Settings)} == CASES


def test_every_setting_belongs_to_one_stage() -> None:
    stages = Settings.by_stage()
    assert list(stages) == list(STAGES)
    names = [n for group in stages.values() for n in group]
    assert sorted(names) == sorted(f.name for f in fields(Settings))
    assert set(stages["train"]) == TRAINING


def test_a_settings_file_reads_stage_tables_and_flat_keys(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(
        "[briefing_nlp]\ncv_folds = 4\n\n[briefing_nlp.group]\nsimilarity_threshold = 0.5\n",
        encoding="utf-8",
    )
    settings = load_settings(path)
    assert (settings.cv_folds, settings.similarity_threshold) == (4, 0.5)


def test_a_setting_under_another_stage_is_refused_with_its_stage(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text("[briefing_nlp.group]\ncv_folds = 4\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"belongs to \[briefing_nlp.train\]"):
        load_settings(path)


def test_run_time_commands_warn_about_training_settings(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from briefing_nlp.cli import app

    config = tmp_path / "s.toml"
    config.write_text("[briefing_nlp.train]\ntheme_c = 2.0\n", encoding="utf-8")
    statements = tmp_path / "s.jsonl"
    statements.write_text('{"text": "Chronology out of date."}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["--config", str(config), "classify", str(statements)])
    assert result.exit_code == 0, result.output
    assert "theme_c only apply when training" in result.stderr


def test_the_readme_lists_each_setting_under_its_stage() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    settings = readme[readme.index("## Settings") : readme.index("## Errors")]
    stages = list(STAGES)
    for number, stage in enumerate(stages):
        start = settings.index(f"**{stage}** — {STAGES[stage]}")
        end = (
            settings.index(f"**{stages[number + 1]}** — ")
            if number + 1 < len(stages)
            else len(settings)
        )
        for name in Settings.by_stage()[stage]:
            assert f"`{name}`" in settings[start:end], f"{name} is not under {stage}"
