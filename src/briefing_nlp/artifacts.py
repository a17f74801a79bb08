"""Model artifacts on disk: skops files with a reviewed trust list, plain arrays, hashes.

Nothing is unpickled: skops refuses any type outside TRUSTED_TYPES, weights.npz is read
with `allow_pickle=False` (numbers only), vocabulary.json is JSON, and every artifact's
sha256 recorded in meta.json is checked before loading, so a swapped or edited file is
refused with a message instead of being run. skops is imported only where a skops file
is written or read: importing it imports all of scikit-learn (about a second).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from briefing_nlp.errors import ModelError

META = "meta.json"
SCHEMA_VERSION = 1
# Reviewed by hand: private scikit-learn types that CalibratedClassifierCV and the
# sigmoid calibrator need. Everything else must be a type skops trusts by default.
TRUSTED_TYPES = [
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def dir_sha256(path: Path) -> str:
    """One hash over a folder's files (relative names and contents), in sorted order."""
    digest = hashlib.sha256()
    for file in sorted(p for p in Path(path).rglob("*") if p.is_file()):
        digest.update(file.relative_to(path).as_posix().encode() + b"\0")
        digest.update(file_sha256(file).encode())
    return digest.hexdigest()


def untrusted_types(path: Path) -> list[str]:
    """Types in a skops file that skops does not trust by default."""
    import skops.io as sio

    return list(sio.get_untrusted_types(file=path))


def check_hash(path: Path, expected_sha256: str | None) -> None:
    """Raises: ModelError if the file is missing or differs from meta.json's hash."""
    if not path.is_file():
        raise ModelError(f"{path}: model file missing; run `briefing-nlp train` to rebuild it")
    if expected_sha256 and file_sha256(path) != expected_sha256:
        raise ModelError(
            f"{path}: model file does not match meta.json (altered or corrupt); "
            "restore it from the repository or run `briefing-nlp train`"
        )


def dump_weights(arrays: dict[str, np.ndarray], path: Path) -> None:
    """Numeric arrays as a compressed .npz (no objects: it loads without pickle)."""
    for name, array in arrays.items():
        if np.asarray(array).dtype.kind not in "fiu":
            raise ModelError(f"{path}: {name} is not numeric; refusing to write it")
    with open(path, "wb") as handle:
        np.savez_compressed(handle, **arrays)  # type: ignore[arg-type]


def load_weights(path: Path, expected_sha256: str | None) -> dict[str, np.ndarray]:
    """The arrays of weights.npz, after checking its hash; objects are refused.

    Raises:
        ModelError: missing, altered since training, corrupt, or holding objects.
    """
    check_hash(path, expected_sha256)
    try:
        with open(path, "rb") as handle, np.load(handle, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
    except ValueError as exc:
        if "allow_pickle" in str(exc):
            raise ModelError(
                f"{path}: holds Python objects, which are never loaded; the file may be "
                "tampered with, restore it or run `briefing-nlp train`"
            ) from None
        raise ModelError(
            f"{path}: not a readable weights file ({exc}); run `briefing-nlp train`"
        ) from None
    except (OSError, EOFError, zipfile.BadZipFile, KeyError) as exc:
        raise ModelError(
            f"{path}: not a readable weights file ({type(exc).__name__}); run `briefing-nlp train`"
        ) from None
    for name, array in arrays.items():
        if array.dtype.kind not in "fiu":
            raise ModelError(f"{path}: {name} is not numeric; run `briefing-nlp train`")
    return arrays


def load_vocabularies(path: Path, expected_sha256: str | None) -> dict[str, dict[str, int]]:
    """vocabulary.json: each TF-IDF view's term -> column, after checking its hash.

    Written as each view's terms in column order (`dump_vectorizer`); a file from before
    that, holding term -> column objects, is read too.

    Raises:
        ModelError: missing, altered or unreadable.
    """
    check_hash(path, expected_sha256)
    problem = ModelError(f"{path}: not a readable vocabulary; run `briefing-nlp train`")
    try:
        raw = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise problem from None
    if not isinstance(raw, dict):
        raise problem
    vocabularies: dict[str, dict[str, int]] = {}
    for name, terms in raw.items():
        if isinstance(terms, list) and set(map(type, terms)) <= {str}:
            vocabularies[name] = dict(zip(terms, range(len(terms)), strict=True))
            if len(vocabularies[name]) != len(terms):
                raise problem  # a term twice: two columns for one term
        elif isinstance(terms, dict) and set(map(type, terms.values())) <= {int}:
            vocabularies[name] = terms  # JSON object keys are always strings
        else:
            raise problem
    return vocabularies


def dump_skops(obj: object, path: Path) -> None:
    """Write one estimator as a compressed skops file and check it reloads under the list.

    Raises:
        ModelError: the estimator holds a type outside TRUSTED_TYPES (a bug to review).
    """
    import skops.io as sio

    sio.dump(obj, path, compression=zipfile.ZIP_DEFLATED)
    extra = sorted(set(untrusted_types(path)) - set(TRUSTED_TYPES))
    if extra:
        raise ModelError(f"{path}: would need untrusted types {extra}; review before trusting")


def dump_vectorizer(vectorizer: Any, folder: Path) -> None:
    """The fitted ColumnTransformer as vectorizer.skops plus vocabulary.json.

    The n-gram vocabularies (tens of thousands of terms) are kept as plain JSON: skops
    rebuilds a dict one node per key, which was most of a cold start (0.75 s of 1 s);
    json reads the same in milliseconds, and JSON cannot carry code either.
    """
    vocabularies = {}
    for name, transformer, _ in vectorizer.transformers_:
        if hasattr(transformer, "vocabulary_"):
            vocabularies[name] = dict(transformer.vocabulary_)
            del transformer.vocabulary_
    try:
        dump_skops(vectorizer, folder / "vectorizer.skops")
    finally:
        for name, transformer, _ in vectorizer.transformers_:
            if name in vocabularies:
                transformer.vocabulary_ = vocabularies[name]
    # Each view's terms in column order: a list parses in a third of the time an object of
    # term -> column takes (about 70 ms of every cold start) and is a third smaller.
    in_order = {name: sorted(terms, key=terms.__getitem__) for name, terms in vocabularies.items()}
    for name, terms in in_order.items():
        if [int(vocabularies[name][t]) for t in terms] != list(range(len(terms))):
            raise ModelError(f"{name}: vocabulary columns are not 0..n-1; a bug to report")
    (folder / "vocabulary.json").write_text(
        json.dumps(in_order, ensure_ascii=False, sort_keys=True), encoding="utf-8"
    )


def load_vectorizer(folder: Path, hashes: dict[str, str]) -> Any:
    """The fitted scikit-learn vectorizer with its vocabularies restored (for analysts
    who want the estimators; drafting reads vocabulary.json and weights.npz only).

    Raises:
        ModelError: a file is missing, altered, unreadable or does not fit the other.
    """
    vectorizer = load_skops(folder / "vectorizer.skops", hashes.get("vectorizer.skops"))
    path = folder / "vocabulary.json"
    vocabularies = load_vocabularies(path, hashes.get("vocabulary.json"))
    try:
        for name, transformer, _ in vectorizer.transformers_:
            if name in vocabularies:
                transformer.vocabulary_ = vocabularies[name]
    except (AttributeError, TypeError, ValueError):
        raise ModelError(
            f"{path}: does not fit vectorizer.skops; run `briefing-nlp train`"
        ) from None
    return vectorizer


def load_skops(path: Path, expected_sha256: str | None) -> Any:
    """Load a skops artifact after checking its hash and trusting only TRUSTED_TYPES.

    Raises:
        ModelError: missing, altered since training, corrupt, or holding untrusted types.
    """
    import skops.io as sio
    from skops.io.exceptions import UntrustedTypesFoundException

    check_hash(path, expected_sha256)
    try:
        # One pass: skops refuses any type outside the list while it loads.
        return sio.load(path, trusted=TRUSTED_TYPES)
    except UntrustedTypesFoundException as exc:
        found = str(exc).split("\n")[0].removeprefix("Untrusted types found in the file: ")
        raise ModelError(
            f"{path}: refuses to load untrusted types {found.rstrip('.')}; the file may be "
            "tampered with, restore it or run `briefing-nlp train`"
        ) from None
    except Exception as exc:  # skops raises many kinds for damaged files
        raise ModelError(
            f"{path}: not a readable skops file ({type(exc).__name__}: "
            f"{(str(exc).splitlines() or [''])[0]}); "
            "run `briefing-nlp train`"
        ) from None


def read_meta(model_dir: Path) -> dict[str, Any]:
    """The model folder's meta.json.

    Raises:
        ModelError: missing or not valid JSON.
    """
    path = Path(model_dir) / META
    if not path.is_file():
        raise ModelError(
            f"{path}: no trained model here; run `briefing-nlp train --out {model_dir}` "
            "or set --model-dir"
        )
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelError(
            f"{path}: damaged ({exc}); restore it or run `briefing-nlp train`"
        ) from None
    if not isinstance(meta, dict) or meta.get("schema_version") != SCHEMA_VERSION:
        raise ModelError(
            f"{path}: model format {meta.get('schema_version') if isinstance(meta, dict) else '?'}"
            f" is not {SCHEMA_VERSION}; retrain with `briefing-nlp train`"
        )
    return meta


def install_artifacts(staging: Path, target: Path) -> None:
    """Move each finished artifact from a staging folder into `target`.

    Training writes everything to staging first, so an interrupted or failed run leaves
    the previous model untouched; other files in `target` (other models) are kept.
    meta.json moves last: until it does, the old meta's hashes refuse a mixed set.
    """
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    entries = sorted(staging.iterdir(), key=lambda p: p.name == META)
    for entry in entries:
        destination = target / entry.name
        if destination.is_dir():
            old = Path(tempfile.mkdtemp(prefix=f".{entry.name}-old-", dir=target))
            os.replace(destination, old / entry.name)
            os.replace(entry, destination)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(entry, destination)
    shutil.rmtree(staging, ignore_errors=True)


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
