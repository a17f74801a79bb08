"""No super-linear path: adversarial shapes of notes draft in time close to linear.

Shapes and timing come from benchmarks/adversarial.py, which records the same ratios in
benchmarks/RESULTS.md. Ratios measured in one run are compared, never seconds.
"""

from __future__ import annotations

import importlib.util
import json
from types import ModuleType

import pytest

from briefing_nlp.classify import StatementClassifier
from briefing_nlp.features import MAX_RUN_CHARS, BoundedTokenizer, extract_features, load_nlp
from briefing_nlp.settings import PROJECT_ROOT, Settings
from tests.conftest import CORPUS_DIR, MODEL_DIR


def _benchmark() -> ModuleType:
    path = PROJECT_ROOT / "benchmarks" / "adversarial.py"
    spec = importlib.util.spec_from_file_location("adversarial_benchmark", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BENCHMARK = _benchmark()
# Linear growth from 5 to 20 KB is 4, quadratic 16; a shape may also cost at most this
# many times ordinary notes of the same size (the slowest shape measured 3.7x; the
# quadratic tokenizer made 5 KB of brackets cost over 100x).
MAX_GROWTH = 8
MAX_VERSUS_ORDINARY = 20


def _test_texts() -> list[str]:
    return [
        json.loads(line)["text"]
        for path in sorted(CORPUS_DIR.glob("test*/*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def test_ordinary_text_gets_the_same_features_as_before() -> None:
    """The shipped model depends on the features: the bounded tokenizer changes none of
    the corpus test split's (its longest run without a space is far below the bound)."""
    texts = _test_texts()
    bounded = load_nlp(MODEL_DIR / "nlp")
    bare = load_nlp(MODEL_DIR / "nlp")
    assert isinstance(bare.tokenizer, BoundedTokenizer)
    bare.tokenizer = bare.tokenizer.tokenizer
    assert len(texts) > 1000
    assert extract_features(bounded, texts) == extract_features(bare, texts)


@pytest.mark.parametrize("name", sorted(BENCHMARK.SHAPES))
def test_long_runs_keep_their_text_and_offsets(name: str) -> None:
    nlp = load_nlp(MODEL_DIR / "nlp")
    text = BENCHMARK.SHAPES[name](3 * MAX_RUN_CHARS + 7) + " and then  words (after) it"
    doc = nlp.tokenizer(text)
    assert doc.text == text
    for token in doc:
        assert text[token.idx : token.idx + len(token.text)] == token.text
    assert max(len(t.text) for t in doc) <= MAX_RUN_CHARS


@pytest.fixture(scope="module")
def timings(classifier: StatementClassifier) -> dict[str, dict[int, float]]:
    return BENCHMARK.measure(BENCHMARK.SHAPES, (5, 20), classifier)


@pytest.mark.slow  # drafts each shape at several sizes
@pytest.mark.parametrize("name", sorted(BENCHMARK.SHAPES))
def test_drafting_grows_close_to_linearly(timings: dict[str, dict[int, float]], name: str) -> None:
    seconds, ordinary = timings[name], timings["ordinary"]
    # A shape cheaper than ordinary notes is measured against them, so timer noise on a
    # few hundredths of a second cannot make a fast shape look quadratic.
    assert seconds[20] < MAX_GROWTH * max(seconds[5], ordinary[5]), (seconds, ordinary)
    assert seconds[20] < MAX_VERSUS_ORDINARY * ordinary[20], (seconds, ordinary)


@pytest.mark.slow
def test_a_run_after_a_name_reaches_redaction_in_linear_time(
    classifier: StatementClassifier,
) -> None:
    settings = Settings()
    shape = BENCHMARK.OPEN_SHAPES["quotes after a name"]
    BENCHMARK.draft_seconds(BENCHMARK._ordinary(2000), classifier, settings)  # load the models
    ordinary = BENCHMARK.draft_seconds(BENCHMARK._ordinary(5 * 1024), classifier, settings)
    seconds = BENCHMARK.draft_seconds(shape(5 * 1024), classifier, settings)
    assert seconds < MAX_VERSUS_ORDINARY * max(ordinary, 0.05)


def test_notes_of_punctuation_alone_draft_an_empty_briefing(
    classifier: StatementClassifier,
) -> None:
    """ "((((" leaves no statement: the draft says nothing was found (it crashed grouping)."""
    from briefing_nlp.draft import draft_briefing

    briefing = draft_briefing(["Audit 1\n" + "(" * 500], classifier=classifier)
    assert len(briefing.records) == 1
    assert not any(briefing.sections.values())


def test_benchmark_shapes_are_the_sizes_asked_for() -> None:
    for make in BENCHMARK.SHAPES.values():
        assert abs(len(make(5 * 1024)) - 5 * 1024) < 200
