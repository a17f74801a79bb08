"""The PII corpus (inline `[[TYPE:text]]` markup), NER training, and redaction scoring.

The NER component (PERSON, ORG) is trained from `spacy.blank("en")` with a fixed seed, so
the same corpus gives the same model. Scoring counts a gold entity as found when
redaction covers all of it (whatever type hid it) and a redacted span as right when it
touches gold personal data; F2 weighs recall over precision, as leaks cost more.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy
from spacy.training import Example

from briefing_nlp.errors import CorpusError
from briefing_nlp.redact import COMMON_WORDS, Redactor, split_cells
from briefing_nlp.settings import Settings

TYPES = ("PERSON", "DATE", "ID", "PHONE", "POSTCODE", "EMAIL", "ADDRESS", "ORG")
NER_TYPES = ("PERSON", "ORG")
MARK_RE = re.compile(r"\[\[([A-Z]+):(.+?)\]\]")
IDENTIFIERS = ("DATE", "ID", "PHONE", "POSTCODE", "EMAIL")
# Smaller than spaCy's default NER (width 96, depth 4): redaction must add little to a
# draft's time, and the pattern and context rules carry much of the recall.
NER_MODEL = {
    "@architectures": "spacy.TransitionBasedParser.v2",
    "state_type": "ner",
    "extra_state_tokens": False,
    "hidden_width": 64,
    "maxout_pieces": 2,
    "use_upper": True,
    "nO": None,
    "tok2vec": {
        "@architectures": "spacy.HashEmbedCNN.v2",
        "pretrained_vectors": None,
        "width": 64,
        "depth": 2,
        "embed_size": 2000,
        "window_size": 1,
        "maxout_pieces": 2,
        "subword_features": True,
    },
}


@dataclass(frozen=True)
class PiiExample:
    """One annotated line: plain text and its personal-data spans."""

    text: str
    entities: tuple[tuple[int, int, str], ...]
    source: str
    line: int


def parse_markup(line: str, where: str = "") -> tuple[str, tuple[tuple[int, int, str], ...]]:
    """Plain text and entity spans from a line with `[[TYPE:text]]` markup.

    Raises:
        CorpusError: an unknown type, or unbalanced `[[`/`]]`.
    """
    parts: list[str] = []
    entities: list[tuple[int, int, str]] = []
    position = length = 0
    for match in MARK_RE.finditer(line):
        kind, value = match.group(1), match.group(2)
        if kind not in TYPES:
            raise CorpusError(f"{where}: type: unknown {kind!r}; use one of {', '.join(TYPES)}")
        before = line[position : match.start()]
        parts.append(before)
        length += len(before)
        entities.append((length, length + len(value), kind))
        parts.append(value)
        length += len(value)
        position = match.end()
    parts.append(line[position:])
    text = "".join(parts)
    if "[[" in text or "]]" in text:
        raise CorpusError(f"{where}: markup: unbalanced [[ or ]]; write [[TYPE:text]]")
    return text, tuple(entities)


def load_pii_corpus(path: Path) -> list[PiiExample]:
    """Every annotated line in a .txt file or a folder of them.

    Raises:
        CorpusError: the path is missing, empty, or a line is malformed.
    """
    path = Path(path)
    files = sorted(path.glob("*.txt")) if path.is_dir() else [path]
    if not files or not all(f.is_file() for f in files):
        raise CorpusError(f"{path}: no PII corpus (.txt files with [[TYPE:text]] markup)")
    examples = []
    for file in files:
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                text, entities = parse_markup(line.strip(), f"{file}:{number}")
                examples.append(PiiExample(text, entities, str(file), number))
    if not examples:
        raise CorpusError(f"{path}: the PII corpus is empty")
    return examples


def train_ner(
    examples: Sequence[PiiExample],
    out_dir: Path,
    seed: int = 13,
    epochs: int = 12,
    vocabulary: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Train a PERSON/ORG NER from a blank English pipeline and save it to `out_dir`."""
    spacy.util.fix_random_seed(seed)
    nlp = spacy.blank("en")
    split_cells(nlp)
    ner = nlp.add_pipe("ner", config={"model": NER_MODEL})
    for label in NER_TYPES:
        ner.add_label(label)  # type: ignore[attr-defined]
    data = []
    snapped = 0
    for example in examples:
        doc = nlp.make_doc(example.text)
        spans: list[tuple[int, int, str]] = []
        for start, end, kind in example.entities:
            if kind not in NER_TYPES:
                continue
            # A name that ends inside a token ("Hussain, Amira" in a CSV cell) is widened
            # to whole tokens: spaCy would otherwise drop it from training with a warning.
            # Two names widened into one token keep the first.
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or any(span.start_char < e and s < span.end_char for s, e, _ in spans):
                continue
            snapped += (span.start_char, span.end_char) != (start, end)
            spans.append((span.start_char, span.end_char, kind))
        data.append(Example.from_dict(doc, {"entities": spans}))
    optimizer = nlp.initialize(lambda: data)
    rng = random.Random(seed)
    losses: dict[str, float] = {}
    for _ in range(epochs):
        rng.shuffle(data)
        losses = {}
        for batch in spacy.util.minibatch(data, size=32):
            nlp.update(batch, sgd=optimizer, drop=0.2, losses=losses)
    out_dir.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out_dir)
    write_common_words(out_dir / COMMON_WORDS, extra=vocabulary)
    return {
        "epochs": epochs,
        "final_loss": round(float(losses.get("ner", 0.0)), 2),
        "rows": len(data),
        "entities_widened_to_tokens": snapped,
    }


COMMON_LOG_PROB = -17.0


def write_common_words(path: Path, extra: frozenset[str] = frozenset()) -> int:
    """Save the English words (from spacy-lookups-data word frequencies) that the
    unfamiliar-word rule must not take for names, plus the corpus's own vocabulary."""
    import gzip
    import json

    import spacy_lookups_data

    source = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        probabilities = json.load(handle)
    words = {
        w for w, p in probabilities.items() if p > COMMON_LOG_PROB and w.isalpha() and w.islower()
    }
    words |= extra
    with gzip.GzipFile(path, "wb", mtime=0) as handle:  # mtime 0: same words, same bytes
        handle.write("\n".join(sorted(words)).encode("utf-8"))
    return len(words)


def corpus_vocabulary(corpus_dir: Path) -> frozenset[str]:
    """Words written in lower case in the statement corpus (practice vocabulary)."""
    words: set[str] = set()
    for file in Path(corpus_dir).rglob("*.jsonl"):
        for line in file.read_text(encoding="utf-8").splitlines():
            text = json.loads(line).get("text", "") if line.strip() else ""
            words.update(w for w in re.findall(r"[a-z]{3,}", text))
    return frozenset(words)


def score_redaction(redactor: Redactor, examples: Sequence[PiiExample]) -> dict[str, Any]:
    """Recall per gold type, precision per predicted type, F2, and allow-list leaks."""
    found = redactor.find([e.text for e in examples])
    recall_hits, recall_total = Counter[str](), Counter[str]()
    precision_hits, precision_total = Counter[str](), Counter[str]()
    for example, entities in zip(examples, found, strict=True):
        covered = [False] * len(example.text)
        for entity in entities:
            for i in range(entity.start, entity.end):
                covered[i] = True
        for start, end, kind in example.entities:
            recall_total[kind] += 1
            recall_hits[kind] += all(covered[start:end])
        for entity in entities:
            precision_total[entity.type] += 1
            precision_hits[entity.type] += any(
                s < entity.end and entity.start < e for s, e, _ in example.entities
            )
    per_type = {}
    for kind in TYPES:
        recall = recall_hits[kind] / recall_total[kind] if recall_total[kind] else 1.0
        precision = precision_hits[kind] / precision_total[kind] if precision_total[kind] else 1.0
        per_type[kind] = {
            "recall": round(recall, 3),
            "precision": round(precision, 3),
            "f2": round(5 * precision * recall / (4 * precision + recall), 3) if recall else 0.0,
            "gold": recall_total[kind],
            "predicted": precision_total[kind],
        }
    ids = [k for k in IDENTIFIERS if recall_total[k]]
    return {
        "rows": len(examples),
        "per_type": per_type,
        "person_recall": per_type["PERSON"]["recall"],
        "identifier_recall": round(
            sum(recall_hits[k] for k in ids) / max(1, sum(recall_total[k] for k in ids)), 3
        ),
        "org_address_recall": round(
            (recall_hits["ORG"] + recall_hits["ADDRESS"])
            / max(1, recall_total["ORG"] + recall_total["ADDRESS"]),
            3,
        ),
        "precision": round(sum(precision_hits.values()) / max(1, sum(precision_total.values())), 3),
    }


def train_pii(
    settings: Settings, corpus_dir: Path | None = None, out_dir: Path | None = None
) -> dict[str, Any]:
    """Train the PERSON/ORG NER, score the whole redactor on the PII test split, and record
    both in the model folder's meta.json and model card.

    Raises:
        CorpusError: the PII corpus is missing or malformed.
        ModelError: the model folder has no meta.json (train the classifiers first).
    """
    from briefing_nlp.artifacts import dir_sha256, read_meta, write_json
    from briefing_nlp.modelcard import render_model_card
    from briefing_nlp.redact import load_redactor

    corpus_dir = Path(corpus_dir or Path(settings.corpus_dir).parent / "pii")
    out_dir = Path(out_dir or settings.model_dir)
    meta = read_meta(out_dir)
    train = load_pii_corpus(corpus_dir / "train")
    test = load_pii_corpus(corpus_dir / "test")
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".ner-") as scratch:
        facts = train_ner(
            train,
            Path(scratch) / "ner",
            seed=settings.random_state,
            vocabulary=corpus_vocabulary(settings.corpus_dir),
        )
        load_redactor.cache_clear()
        scores = score_redaction(load_redactor(Path(scratch) / "ner"), test)
        target = out_dir / "ner"
        if target.exists():
            shutil.rmtree(target)
        os.replace(Path(scratch) / "ner", target)
    load_redactor.cache_clear()
    meta["artifacts"]["ner"] = dir_sha256(out_dir / "ner")
    meta["pii"] = {
        "training": facts,
        "train_rows": len(train),
        "test": scores,
        "corpus_sha256": _sha(corpus_dir),
    }
    write_json(out_dir / "meta.json", meta)
    (out_dir / "MODEL_CARD.md").write_text(render_model_card(meta), encoding="utf-8")
    return meta["pii"]


def _sha(folder: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(folder.rglob("*.txt")):
        digest.update(file.relative_to(folder).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()
