"""The trained TF-IDF views applied without importing scikit-learn.

`train` fits scikit-learn's `TfidfVectorizer`s (word n-grams over the marked lemmas,
`char_wb` n-grams over the raw text); drafting only needs their transform. Importing
scikit-learn (and skops, which imports all of it to build its trust list) was 1.5 s of
the CLI's 3.3 s cold start, so the transform is done here from the fitted vocabulary and
idf weights, for exactly the settings `train` uses (checked when the model is loaded).
`tests/test_tfidf.py` holds it equal to scikit-learn's own output on the corpus.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from briefing_nlp.errors import ModelError

TOKEN_PATTERN = r"\S+"
# The fitted vectorisers' parameters this transform reproduces; any other value is
# refused at load rather than silently transformed differently.
SUPPORTED = {
    "words": {
        "analyzer": "word",
        "token_pattern": TOKEN_PATTERN,
        "lowercase": False,
        "sublinear_tf": True,
        "norm": "l2",
        "use_idf": True,
        "binary": False,
    },
    "chars": {
        "analyzer": "char_wb",
        "lowercase": False,
        "sublinear_tf": True,
        "norm": "l2",
        "use_idf": True,
        "binary": False,
    },
}
# Distinct words whose character n-gram columns are remembered (bounded memory).
CACHE_WORDS = 200_000
# A column number packed as array("i") holds it.
COLUMN_BYTES = array("i").itemsize


def vectoriser_params(vectorizer: Any) -> dict[str, dict[str, Any]]:
    """The parameters of a fitted ColumnTransformer's TF-IDF views, as meta.json keeps them."""
    out: dict[str, dict[str, Any]] = {}
    for name, transformer, column in vectorizer.transformers_:
        if name not in SUPPORTED:
            continue
        params = transformer.get_params()
        out[name] = {key: params[key] for key in SUPPORTED[name]}
        out[name]["ngram_range"] = list(params["ngram_range"])
        out[name]["strip_accents"] = params["strip_accents"]
        out[name]["stop_words"] = params["stop_words"]
        out[name]["column"] = column
    return out


@dataclass(frozen=True)
class TfidfView:
    """One fitted view: its analyser settings, vocabulary and idf weights."""

    analyzer: str
    ngram_range: tuple[int, int]
    vocabulary: dict[str, int]
    idf: np.ndarray
    _cache: dict[str, bytes] = field(default_factory=dict, repr=False, compare=False, hash=False)

    @classmethod
    def of(
        cls, name: str, params: dict[str, Any], vocabulary: dict[str, int], idf: np.ndarray
    ) -> TfidfView:
        """A view from meta.json's parameters, refusing settings this module cannot apply.

        Raises:
            ModelError: the parameters differ from what `train` writes, or the vocabulary
                and idf weights disagree in size.
        """
        expected = SUPPORTED.get(name)
        if (
            expected is None
            or any(params.get(k) != v for k, v in expected.items())
            or params.get("strip_accents") is not None
            or params.get("stop_words") is not None
        ):
            raise ModelError(
                f"vectoriser view {name!r} has settings this version cannot apply; retrain"
            )
        low, high = (int(n) for n in params["ngram_range"])
        if len(idf) != len(vocabulary) or not 1 <= low <= high:
            raise ModelError(f"vectoriser view {name!r}: vocabulary and weights disagree; retrain")
        return cls(str(params["analyzer"]), (low, high), vocabulary, np.asarray(idf, dtype=float))

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Rows of l2-normalised sublinear TF-IDF, as `TfidfVectorizer.transform` gives."""
        columns_of = self._word_columns if self.analyzer == "word" else self._char_columns
        # Each row's columns as packed 32-bit ints, joined into one buffer that numpy
        # reads as the CSR indices, and counted by scipy (duplicates summed in C) rather
        # than a Counter per row: converting millions of Python ints one by one, and
        # sorting them through COO, was a tenth of classifying 37,000 statements.
        rows = [columns_of(text) for text in texts]
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, rows), dtype=np.int64, count=len(rows)), out=indptr[1:])
        indptr //= COLUMN_BYTES
        indices = np.frombuffer(bytearray().join(rows), dtype=np.int32)
        counts = sparse.csr_matrix(
            (np.ones(len(indices)), indices, indptr.astype(np.int32)),
            shape=(len(texts), len(self.idf)),
        )
        counts.sum_duplicates()
        counts.data = (np.log(counts.data) + 1.0) * self.idf[counts.indices]
        return _l2_rows(counts)

    def _word_columns(self, text: str) -> bytes:
        # str.split() finds the same words as the token pattern \S+ (both use Python's
        # whitespace), without the regular expression.
        tokens = text.split()
        low, high = self.ngram_range
        terms = tokens if low == 1 else []
        for n in range(max(low, 2), high + 1):
            # The shifted copies are shorter by design: zip stops at the last whole n-gram.
            shifted = (tokens[i:] for i in range(n))
            terms = terms + list(map(" ".join, zip(*shifted, strict=False)))
        found = [c for c in map(self.vocabulary.get, terms) if c is not None]
        return array("i", found).tobytes()

    def _char_columns(self, text: str) -> bytes:
        # char_wb n-grams never cross a word boundary, so a word's columns are the same
        # wherever it occurs: worked out once per distinct word (most words repeat), and
        # kept packed, so a row is its words' bytes joined.
        cache = self._cache
        out: list[bytes] = []
        for word in text.split():
            columns = cache.get(word)
            if columns is None:
                columns = array("i", self._padded_word_columns(word)).tobytes()
                if len(cache) < CACHE_WORDS:
                    cache[word] = columns
            out.append(columns)
        return b"".join(out)

    def _padded_word_columns(self, word: str) -> tuple[int, ...]:
        low, high = self.ngram_range
        padded = f" {word} "
        length = len(padded)
        grams: list[str] = []
        for n in range(low, high + 1):
            offset = 0
            grams.append(padded[offset : offset + n])
            while offset + n < length:
                offset += 1
                grams.append(padded[offset : offset + n])
            if offset == 0:  # a word shorter than n is counted once
                break
        vocabulary = self.vocabulary
        return tuple(vocabulary[g] for g in grams if g in vocabulary)


def _l2_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """Each row divided by its Euclidean length (empty rows stay empty)."""
    # Summed row by row in index order and divided, as scikit-learn's normalize does,
    # so the values agree to the last bit.
    squares = np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel()
    lengths = np.sqrt(squares)
    lengths[lengths == 0] = 1.0
    matrix.data /= np.repeat(lengths, np.diff(matrix.indptr))
    return matrix


def unit_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """A copy with every row scaled to unit length (for cosine similarity)."""
    return _l2_rows(sparse.csr_matrix(matrix, copy=True))
