"""Domain word vectors: subword (floret) vectors trained on inspection reports.

The corpus's own rows are too few to teach that "patchy", "variable" and "inconsistent"
mean the same verdict, or that "dental check missed" and "health assessment not done"
are one finding. Vectors trained on the real language of Ofsted's reports (Open
Government Licence v3.0) plus the project's own corpus do: every word, even a misspelt
or unseen one, gets a vector from its character n-grams (floret keeps them in a small
hashed table that spaCy loads as its vectors table, so no vocabulary list is shipped).

`train_vectors` rebuilds them from a folder of report texts (needs the `floret`
package, and only at training time); `DomainVectors` loads the shipped table and turns
statements into averaged unit vectors for the classifiers and for grouping.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from briefing_nlp.errors import ModelError
from briefing_nlp.features import normalise

# floret settings: 100 dimensions are what the measurements in ENVIRONMENT used; 50,000
# buckets x 100 float32 is 20 MB, inside the 50 MB budget; two hashes per n-gram keep
# collisions rare in so small a table.
FLORET_SETTINGS = {
    "model": "skipgram",
    "mode": "floret",
    "dim": 100,
    "minn": 3,
    "maxn": 5,
    "hashCount": 2,
    "bucket": 50_000,
    "epoch": 5,
    "minCount": 3,
    "ws": 5,
    "neg": 5,
    "lr": 0.05,
    "thread": 2,
}
# Words that carry no meaning of their own are left out of a statement's average, so
# "the" and "of" do not pull every statement towards every other.
STOP = frozenset(
    "a an the of to and or in on at for with by from as is are was were be been being it its "
    "this that these those there their they them he she his her him we our you your i".split()
)
_TOKEN = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")
CACHE_WORDS = 200_000


def tokens(text: str) -> list[str]:
    """The words of a statement as the vectors were trained on them (normalised, lower)."""
    return _TOKEN.findall(normalise(text))


@dataclass
class DomainVectors:
    """The floret table and the n-gram settings to look words up in it."""

    table: Any  # spacy.vectors.Vectors in floret mode
    dim: int
    # Each word's unit-length vector, looked up once: row `_row[word]` of `_units`.
    _row: dict[str, int] = field(default_factory=dict, repr=False)
    _units: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32), repr=False)

    @classmethod
    def load(cls, folder: Path) -> DomainVectors:
        """Raises: ModelError if the folder is missing or not a floret vectors table."""
        return _load_cached(Path(folder).resolve())

    def word_vectors(self, words: Sequence[str]) -> np.ndarray:
        """One row per word (each word's n-gram rows summed, as floret does)."""
        if not words:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(self.table.get_batch(list(words)), dtype=np.float32)

    def _rows_of(self, words: Sequence[str]) -> list[int]:
        """Rows of `_units` for the words, looking up the ones not seen before."""
        missing = [w for w in dict.fromkeys(words) if w not in self._row]
        if missing:
            if len(self._row) + len(missing) > CACHE_WORDS:
                self._row, self._units = {}, np.zeros((0, self.dim), np.float32)
                missing = list(dict.fromkeys(words))
            vectors = self.word_vectors(missing)
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            norms[norms == 0] = 1.0
            units = self._units if self._units.size else np.zeros((0, self.dim), np.float32)
            self._units = np.vstack([units, vectors / norms])
            for word in missing:
                self._row[word] = len(self._row)
        return [self._row[w] for w in words]

    def statement_vectors(self, texts: Sequence[str], normalised: bool = False) -> np.ndarray:
        """Unit-length mean of each statement's content-word vectors (zeros if none).

        Each word counts once per occurrence at unit length, so long or frequent words do
        not dominate. `normalised`: the texts have already been through
        `features.normalise` (as the classifier's raw feature text has), so it is not run
        twice. Computed as one sparse (statements x words) product with the words' unit
        vectors rather than statement by statement.
        """
        from scipy import sparse

        words_of = [
            [w for w in (_TOKEN.findall(t) if normalised else tokens(t)) if w not in STOP]
            for t in texts
        ]
        flat = [w for words in words_of for w in words]
        if not flat:
            return np.zeros((len(texts), self.dim), dtype=np.float32)
        columns = self._rows_of(flat)
        counts = sparse.csr_matrix(
            (
                np.ones(len(flat), dtype=np.float32),
                np.asarray(columns, dtype=np.int64),
                np.concatenate([[0], np.cumsum([len(w) for w in words_of])]),
            ),
            shape=(len(texts), len(self._row)),
        )
        sums = np.asarray(counts @ self._units, dtype=np.float32)
        lengths = np.linalg.norm(sums, axis=1, keepdims=True)
        return np.divide(sums, lengths, out=np.zeros_like(sums), where=lengths > 0)


@lru_cache(maxsize=2)
def _load_cached(folder: Path) -> DomainVectors:
    from spacy.vectors import Vectors

    if not (folder / "vectors.cfg").is_file():
        raise ModelError(
            f"{folder}: domain vectors missing; restore models/ from the repository or run "
            "`briefing-nlp train-vectors REPORTS_DIR`"
        )
    try:
        table = Vectors().from_disk(folder)
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"{folder}: domain vectors unreadable ({exc}); retrain them") from None
    if table.mode != "floret":
        raise ModelError(f"{folder}: not a floret vectors table; retrain the vectors")
    return DomainVectors(table=table, dim=int(table.shape[1]))


@dataclass(frozen=True)
class VectorsReport:
    """What `train_vectors` did, for meta.json and the model card."""

    sentences: int
    tokens: int
    reports: int
    authorities: int
    excluded_authorities: int
    extra_rows: int
    seconds: float
    settings: dict[str, Any]


def train_vectors(
    report_dir: Path,
    out_dir: Path,
    *,
    exclude_authorities: Iterable[str] = (),
    extra_texts: Sequence[str] = (),
    settings: dict[str, Any] | None = None,
) -> VectorsReport:
    """Train floret vectors on the reports (less excluded authorities) and extra texts.

    The reports are read as sentences, normalised and lower-cased as statements are; the
    project's own corpus rows (`extra_texts`) are added so practice shorthand gets
    vectors too. Writes a spaCy floret vectors table to `out_dir` and `vectors.json`.

    Raises:
        CorpusError: the report folder is missing or empty.
        ModelError: the floret package is not installed.
    """
    from spacy.vectors import Vectors

    from briefing_nlp.reports import iter_sentences, load_reports

    try:
        import floret
    except ImportError:
        raise ModelError(
            "training vectors needs the floret package; install it with "
            "`pip install 'briefing-nlp[vectors]'`"
        ) from None
    started = time.perf_counter()
    excluded = sorted({a.strip().lower() for a in exclude_authorities if a.strip()})
    reports = load_reports(report_dir, exclude_authorities=excluded)
    options = {**FLORET_SETTINGS, **(settings or {})}
    lines = 0
    count = 0
    with tempfile.TemporaryDirectory(prefix="briefing-vectors-") as scratch:
        text_file = Path(scratch) / "sentences.txt"
        with text_file.open("w", encoding="utf-8") as handle:
            for sentence in [*iter_sentences(reports), *extra_texts]:
                words = tokens(sentence)
                if len(words) < 3:
                    continue
                handle.write(" ".join(words) + "\n")
                lines += 1
                count += len(words)
        model = floret.train_unsupervised(str(text_file), verbose=0, **options)
        floret_file = Path(scratch) / "vectors.floret"
        model.save_floret_vectors(str(floret_file))
        table = _read_floret(floret_file, Vectors)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    table.to_disk(out_dir)
    report = VectorsReport(
        sentences=lines,
        tokens=count,
        reports=len(reports),
        authorities=len({r.authority for r in reports}),
        excluded_authorities=len(excluded),
        extra_rows=len(extra_texts),
        seconds=round(time.perf_counter() - started, 1),
        settings=options,
    )
    (out_dir / "vectors.json").write_text(
        json.dumps({**report.__dict__, "excluded": excluded}, indent=2) + "\n", encoding="utf-8"
    )
    _load_cached.cache_clear()
    return report


def _read_floret(path: Path, vectors_type: Any) -> Any:
    """A floret text file (header: rows dim minn maxn hashCount seed bow eow) as Vectors."""
    with path.open(encoding="utf-8") as handle:
        header = handle.readline().split()
        rows, dim, minn, maxn, hash_count, seed = (int(v) for v in header[:6])
        bow, eow = (header[6], header[7]) if len(header) >= 8 else ("<", ">")
        data = np.zeros((rows, dim), dtype=np.float32)
        for number, line in enumerate(handle):
            parts = line.rstrip().split(" ")
            data[int(parts[0])] = np.asarray(parts[1:], dtype=np.float32)
            if number + 1 >= rows:
                break
    return vectors_type(
        data=data,
        mode="floret",
        minn=minn,
        maxn=maxn,
        hash_count=hash_count,
        hash_seed=seed,
        bow=bow,
        eow=eow,
    )


def rebuild_vectors(
    settings: Any, reports: Path, exclude: Path | None = None, out: Path | None = None
) -> VectorsReport:
    """`train-vectors`: reports less the held-out authorities, plus the training corpus.

    The held-out list defaults to the corpus's `test-real/authorities.txt`, so vectors
    never see the real-language test split's authorities.
    """
    from briefing_nlp.corpus import (
        AUTHORITIES,
        REAL_TEST,
        load_corpus,
        read_authorities,
        split_dirs,
    )
    from briefing_nlp.taxonomy import load_taxonomy

    corpus_dir = Path(settings.corpus_dir)
    default = corpus_dir / REAL_TEST / AUTHORITIES
    held_out = (
        read_authorities(exclude)
        if exclude
        else (read_authorities(default) if default.is_file() else [])
    )
    train_path, _ = split_dirs(corpus_dir)
    extra: list[str] = []
    if train_path.exists():
        extra = [
            row.text for row in load_corpus(train_path, load_taxonomy(settings.taxonomy_path)).rows
        ]
    target = Path(out or Path(settings.vectors_dir or Path(settings.model_dir) / "vectors"))
    return train_vectors(reports, target, exclude_authorities=held_out, extra_texts=extra)
