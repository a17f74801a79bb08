"""Load the redactor: the name model the project trains (models/ner, hash-checked
against meta.json), its tokenizer, the common English words it ships with, and any
installed spaCy pipeline and allow-list the settings name."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from contextlib import AbstractContextManager
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex
from thinc.api import use_ops

from briefing_nlp.errors import ConfigError, ModelError
from briefing_nlp.features import BoundedTokenizer
from briefing_nlp.redact.engine import Redactor, _name_key
from briefing_nlp.redact.wordlists import ALLOW
from briefing_nlp.settings import Settings

COMMON_WORDS = "common_words.txt.gz"


def redactor_for(settings: Settings) -> Redactor:
    """The redactor the settings ask for (NER from the model folder, allow-list extended)."""
    from briefing_nlp.artifacts import META, read_meta

    model_dir = Path(settings.model_dir)
    expected = ""
    if (model_dir / META).is_file():
        expected = read_meta(model_dir).get("artifacts", {}).get("ner", "")
    return load_redactor(
        model_dir / "ner", settings.pii_spacy_model, settings.allow_list_path, expected
    )


def _matrix_ops() -> AbstractContextManager[None]:
    """thinc's numpy backend with numpy's own BLAS instead of blis for the models loaded
    in this block: the NER model's matrix products run a quarter faster here with the
    same entities (benchmarks/RESULTS.md). Models keep the backend they were loaded with."""
    return use_ops("numpy", use_blis=False)


CELL_TOKENIZER = "briefing_nlp.cell_tokenizer.v1"


def cell_tokenizer(nlp: Language) -> Tokenizer:
    """The redaction model's tokenizer: English, also split where spreadsheet pastes join
    cells with ";" or "|" and no spaces, and at "/" between words.

    Built in one go rather than by setting `infix_finditer` on a built tokenizer: every
    such setter reloads spaCy's 1,300 English special cases, which cost a cold draft
    about 0.15 s.
    """
    defaults = nlp.Defaults
    infixes = [*list(defaults.infixes or []), r"[;|]", r"(?<=\w)/(?=[A-Za-z])"]
    return Tokenizer(
        nlp.vocab,
        rules=defaults.tokenizer_exceptions,
        prefix_search=compile_prefix_regex(defaults.prefixes).search if defaults.prefixes else None,
        suffix_search=compile_suffix_regex(defaults.suffixes).search if defaults.suffixes else None,
        infix_finditer=compile_infix_regex(infixes).finditer,
        token_match=defaults.token_match,
        url_match=defaults.url_match,
    )


@spacy.registry.tokenizers(CELL_TOKENIZER)
def _cell_tokenizer_factory() -> Callable[[Language], Tokenizer]:
    # Loading names this in a config override, so the model's tokenizer is built once,
    # in code, instead of read back from disk (which costs more) or built twice.
    return cell_tokenizer


def split_cells(nlp: Language) -> None:
    """Give a pipeline the redaction model's tokenizer (`cell_tokenizer`); training
    uses it, and the saved model's tokenizer must equal it (a test holds that)."""
    nlp.tokenizer = cell_tokenizer(nlp)


@lru_cache(maxsize=4)
def load_redactor(
    ner_dir: Path | None,
    extra_model: str = "",
    allow_list: Path | None = None,
    expected_sha256: str = "",
) -> Redactor:
    """The redactor with the shipped NER model (and an installed pipeline if named).

    Raises:
        ModelError: the NER model folder exists but cannot be loaded.
        ConfigError: `extra_model` is not installed, or the allow-list file is unreadable.
    """
    allow = ALLOW
    if allow_list is not None:
        try:
            lines = Path(allow_list).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{allow_list}: cannot read the allow-list ({exc})") from None
        allow = ALLOW | {_name_key(line) for line in lines if line.strip()}
    from briefing_nlp.artifacts import dir_sha256

    ner = None
    if ner_dir is not None and expected_sha256 and not (Path(ner_dir) / "config.cfg").is_file():
        raise ModelError(
            f"{ner_dir}: redaction model missing; restore it or run `briefing-nlp train --pii`"
        )
    if expected_sha256 and ner_dir is not None and dir_sha256(Path(ner_dir)) != expected_sha256:
        raise ModelError(
            f"{ner_dir}: redaction model does not match meta.json (altered or corrupt); "
            "restore it or run `briefing-nlp train --pii`"
        )
    common: frozenset[str] = frozenset()
    if ner_dir is not None and (Path(ner_dir) / COMMON_WORDS).is_file():
        with gzip.open(Path(ner_dir) / COMMON_WORDS, "rt", encoding="utf-8") as handle:
            common = frozenset(handle.read().split())
    if ner_dir is not None and (Path(ner_dir) / "config.cfg").is_file():
        try:
            with _matrix_ops():
                ner = spacy.load(
                    ner_dir,
                    exclude=["tokenizer"],
                    config={"nlp": {"tokenizer": {"@tokenizers": CELL_TOKENIZER}}},
                )
        except (OSError, ValueError) as exc:
            raise ModelError(
                f"{ner_dir}: NER model unreadable ({str(exc).strip().splitlines()[0]}); "
                "run `briefing-nlp train --pii`"
            ) from None
    extra = None
    if extra_model:
        try:
            with _matrix_ops():
                extra = spacy.load(extra_model, exclude=["parser", "lemmatizer", "textcat"])
        except OSError:
            raise ConfigError(
                f"spaCy pipeline {extra_model!r} is not installed; install it yourself or unset "
                "pii_spacy_model (nothing is downloaded)"
            ) from None
    # spaCy strips affixes from a spaceless run one at a time, quadratic in its length
    # (a run of apostrophes after a name): the bound the classifiers' tokenizer has.
    for pipeline in (ner, extra):
        if pipeline is not None:
            pipeline.tokenizer = BoundedTokenizer(pipeline.tokenizer)
    return Redactor(ner, allow=allow, extra=extra, common_words=common)
