"""Missing, damaged and tampered model files are refused with one line, never loaded."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import skops.io as sio

from briefing_nlp.artifacts import file_sha256
from briefing_nlp.classify import StatementClassifier, forget_loaded_models
from briefing_nlp.errors import ModelError
from briefing_nlp.estimators import load_estimators
from tests.conftest import MODEL_DIR


class Payload:
    """A type no trust list names: what a tampered file would smuggle in."""


@pytest.fixture()
def model_copy(tmp_path: Path) -> Path:
    target = tmp_path / "models"
    shutil.copytree(MODEL_DIR, target)
    forget_loaded_models()
    return target


def load(model_dir: Path) -> StatementClassifier:
    forget_loaded_models()
    return StatementClassifier.load(model_dir)


def set_hash(model_dir: Path, name: str) -> None:
    meta_path = model_dir / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["artifacts"][name] = file_sha256(model_dir / name)
    meta_path.write_text(json.dumps(meta))


def test_copy_loads(model_copy: Path) -> None:
    assert load(model_copy).classify(["no chronology"])[0].section == "worry"


def test_missing_model_folder(tmp_path: Path) -> None:
    with pytest.raises(
        ModelError, match=r"meta.json: no trained model here; run `briefing-nlp train"
    ):
        load(tmp_path / "nothing")


def test_missing_artifact(model_copy: Path) -> None:
    (model_copy / "themes.skops").unlink()
    with pytest.raises(ModelError, match=r"themes.skops: model file missing"):
        load(model_copy)


def test_altered_artifact_is_refused_by_hash(model_copy: Path) -> None:
    path = model_copy / "section.skops"
    path.write_bytes(path.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(ModelError, match=r"section.skops: model file does not match meta.json"):
        load(model_copy)


def test_truncated_weights(model_copy: Path) -> None:
    path = model_copy / "weights.npz"
    path.write_bytes(path.read_bytes()[:500])
    set_hash(model_copy, "weights.npz")
    with pytest.raises(ModelError, match=r"weights.npz: not a readable weights file"):
        load(model_copy)


def test_weights_holding_objects_are_refused_even_with_a_matching_hash(
    model_copy: Path,
) -> None:
    with np.load(model_copy / "weights.npz") as archive:
        arrays = {name: archive[name] for name in archive.files}
    arrays["section_a"] = np.array([Payload()], dtype=object)
    np.savez(model_copy / "weights.npz", **arrays)  # type: ignore[arg-type]
    set_hash(model_copy, "weights.npz")
    with pytest.raises(ModelError, match=r"weights.npz: holds Python objects"):
        load(model_copy)


def test_weights_that_do_not_fit_the_vocabulary_are_refused(model_copy: Path) -> None:
    with np.load(model_copy / "weights.npz") as archive:
        arrays = {name: archive[name] for name in archive.files}
    arrays["section_coef"] = arrays["section_coef"][:, :, :-3]
    np.savez(model_copy / "weights.npz", **arrays)  # type: ignore[arg-type]
    set_hash(model_copy, "weights.npz")
    with pytest.raises(ModelError, match=r"disagree in size; retrain"):
        load(model_copy)


@pytest.mark.parametrize(
    "vocabulary",
    [
        {"words": {"chronology": "7"}},
        {"words": ["chronology", "chronology"]},
        {"words": ["chronology", 7]},
        ["words"],
        {"words": {"a": 1.5}},
    ],
    ids=["text-column", "term-twice", "number-term", "list", "fractional-column"],
)
def test_vocabulary_of_the_wrong_shape_is_refused_even_with_a_matching_hash(
    model_copy: Path, vocabulary: object
) -> None:
    (model_copy / "vocabulary.json").write_text(json.dumps(vocabulary), encoding="utf-8")
    set_hash(model_copy, "vocabulary.json")
    with pytest.raises(ModelError, match=r"vocabulary.json: not a readable vocabulary"):
        load(model_copy)


def test_vocabulary_written_before_terms_were_listed_in_order_still_loads(
    model_copy: Path,
) -> None:
    """Model folders trained before vocabulary.json listed each view's terms in column
    order held term -> column objects; they classify exactly as before."""
    statements = ["chronology not updated since March", "voice of the child clear"]
    before = load(model_copy).classify(statements)
    path = model_copy / "vocabulary.json"
    listed = json.loads(path.read_text(encoding="utf-8"))
    assert all(isinstance(terms, list) for terms in listed.values())
    objects = {name: {t: i for i, t in enumerate(terms)} for name, terms in listed.items()}
    path.write_text(json.dumps(objects), encoding="utf-8")
    set_hash(model_copy, "vocabulary.json")
    assert load(model_copy).classify(statements) == before


def test_truncated_skops_file(model_copy: Path) -> None:
    path = model_copy / "section.skops"
    path.write_bytes(path.read_bytes()[:500])
    set_hash(model_copy, "section.skops")
    with pytest.raises(ModelError, match=r"section.skops: not a readable skops file"):
        load_estimators(model_copy)


def test_untrusted_type_is_refused_even_with_a_matching_hash(model_copy: Path) -> None:
    sio.dump({"model": Payload()}, model_copy / "section.skops")
    set_hash(model_copy, "section.skops")
    with pytest.raises(ModelError, match=r"refuses to load untrusted types .*Payload"):
        load_estimators(model_copy)


def test_damaged_meta(model_copy: Path) -> None:
    (model_copy / "meta.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match=r"meta.json: damaged"):
        load(model_copy)


def test_meta_from_another_format(model_copy: Path) -> None:
    meta = json.loads((model_copy / "meta.json").read_text())
    meta["schema_version"] = 99
    (model_copy / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match=r"model format 99 is not 1; retrain"):
        load(model_copy)


def test_altered_spacy_pipeline(model_copy: Path) -> None:
    config = model_copy / "nlp" / "config.cfg"
    config.write_text(config.read_text() + "\n# edited\n")
    with pytest.raises(ModelError, match=r"nlp: spaCy pipeline does not match meta.json"):
        load(model_copy)


def test_messages_are_one_line(model_copy: Path) -> None:
    (model_copy / "vectorizer.skops").write_bytes(b"junk")
    with pytest.raises(ModelError) as info:
        load(model_copy)
    assert "\n" not in str(info.value)


def test_altered_redaction_model_is_refused(model_copy: Path) -> None:
    from briefing_nlp.redact import load_redactor, redactor_for
    from briefing_nlp.settings import Settings

    config = model_copy / "ner" / "config.cfg"
    config.write_text(config.read_text() + "\n# edited\n")
    load_redactor.cache_clear()
    with pytest.raises(ModelError, match=r"ner: redaction model does not match meta.json"):
        redactor_for(Settings(model_dir=model_copy))


def test_missing_redaction_model_is_refused(model_copy: Path) -> None:
    from briefing_nlp.redact import load_redactor, redactor_for
    from briefing_nlp.settings import Settings

    shutil.rmtree(model_copy / "ner")
    load_redactor.cache_clear()
    with pytest.raises(ModelError, match=r"redaction model missing"):
        redactor_for(Settings(model_dir=model_copy))


def test_saved_classifier_tokenizer_is_the_english_default() -> None:
    """Loading skips the tokenizer saved with the classifier's pipeline and builds the
    English default from the config (a quarter of a second of every cold start); that is
    only right while training saves that default unchanged."""
    import spacy

    from briefing_nlp.settings import Settings

    saved = spacy.load(Settings().model_dir / "nlp").tokenizer
    default = spacy.blank("en").tokenizer
    assert saved.to_bytes(exclude=["vocab"]) == default.to_bytes(exclude=["vocab"])


def test_saved_redaction_tokenizer_is_the_one_set_in_code() -> None:
    """The redaction model's tokenizer splits at semicolons and slashes too; loading
    skips the saved one and builds it in code (`cell_tokenizer`), as training does, so
    the saved one must be exactly the one loading builds, with every rule and special
    case."""
    import spacy

    from briefing_nlp.redact import load_redactor, split_cells
    from briefing_nlp.settings import Settings

    saved = spacy.load(Settings().model_dir / "ner").tokenizer
    built = spacy.blank("en")
    split_cells(built)
    assert saved.to_bytes(exclude=["vocab"]) == built.tokenizer.to_bytes(exclude=["vocab"])
    loaded = load_redactor(Settings().model_dir / "ner").ner
    assert loaded is not None
    assert loaded.tokenizer.to_bytes(exclude=["vocab"]) == saved.to_bytes(exclude=["vocab"])
    assert [t.text for t in built("Name;Role|SW/TM")] == ["Name", ";", "Role", "|", "SW", "/", "TM"]
