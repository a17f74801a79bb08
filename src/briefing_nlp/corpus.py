"""Labelled statements for training and evaluation: read, validate, hash.

A corpus is JSONL (`{"text", "section", "themes": [...]}` per line) or CSV (columns
`text,section,themes`, themes `;`-separated). Every problem is reported as
`file:line: field: problem` and all of them are collected before failing.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from briefing_nlp.errors import CorpusError
from briefing_nlp.statements_io import jsonl_values
from briefing_nlp.taxonomy import SECTIONS, Taxonomy

SUFFIXES = (".jsonl", ".csv")
MAX_REPORTED = 20


@dataclass(frozen=True)
class LabelledStatement:
    """One hand-labelled statement and where it came from."""

    text: str
    section: str
    themes: tuple[str, ...]
    source: str
    line: int
    # Where the row's wording came from: its report's URN, else its file. Rows of one
    # origin share a writer's voice, so cross-validation keeps them in one fold.
    origin: str = ""
    # False ("learn_themes": false in the row): the section model learns from the row but
    # the theme model does not, for a batch whose theme tags follow a broader convention
    # than the rest (DATASHEET.md says which and why).
    learn_themes: bool = True
    # The recurring finding the row states, from the codebook of its main theme
    # (corpora/CODEBOOK.md): "chronology.kept_up_to_date". Empty when not coded. Statements
    # with one code and one section are one finding however they are worded.
    code: str = ""
    # The themes a second annotator gave the row blind, from the text and the guidelines
    # alone (empty when no one did). The theme model learns the row once with each
    # annotator's themes, so where two readings of the guidelines differ on a secondary
    # theme it learns both at half weight instead of one writer's habit.
    second_themes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Corpus:
    """Rows from one or more files, with a content hash for reproducibility."""

    rows: tuple[LabelledStatement, ...]
    files: tuple[str, ...]
    sha256: str

    def section_counts(self) -> dict[str, int]:
        counts = Counter(row.section for row in self.rows)
        return {section: counts.get(section, 0) for section in SECTIONS}

    def theme_counts(self, slugs: tuple[str, ...], learnt: bool = False) -> dict[str, int]:
        """Rows per theme; with `learnt`, only the rows the theme model learns from."""
        counts = Counter(
            theme for row in self.rows if row.learn_themes or not learnt for theme in row.themes
        )
        return {slug: counts.get(slug, 0) for slug in slugs}


def corpus_files(path: Path) -> list[Path]:
    """The corpus files at `path`: the file itself, or the folder's .jsonl/.csv files, sorted.

    Raises:
        CorpusError: the path does not exist or holds no corpus files.
    """
    path = Path(path)
    if path.is_file():
        if path.suffix.lower() not in SUFFIXES:
            raise CorpusError(f"{path}: unsupported corpus file type; use .jsonl or .csv")
        return [path]
    if not path.is_dir():
        raise CorpusError(f"{path}: corpus not found; give a .jsonl/.csv file or a folder")
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    if not files:
        raise CorpusError(f"{path}: no .jsonl or .csv corpus files in this folder")
    return files


def split_dirs(path: Path) -> tuple[Path, Path | None]:
    """The training and test locations of a corpus path.

    A folder with `train/` (and optionally `test/`) subfolders is split; anything else is
    all training data with no test split.
    """
    path = Path(path)
    if path.is_dir() and (path / "train").is_dir():
        test = path / "test"
        return path / "train", (test if test.is_dir() else None)
    return path, None


REAL_TEST = "test-real"
# Beside the real-language split: the local authorities it was written from, whose
# reports training rows and vectors must never use.
AUTHORITIES = "authorities.txt"


def real_test_dir(path: Path) -> Path | None:
    """The real-language test split beside train/ and test/ (`test-real/`), if any.

    Its statements were written from public inspection reports of local authorities
    whose reports nothing else in the project uses, so it measures how the models do on
    language the corpus's own writers did not produce.
    """
    folder = Path(path) / REAL_TEST
    if folder.is_dir() and any(p.suffix.lower() in SUFFIXES for p in folder.iterdir()):
        return folder
    return None


def read_authorities(path: Path) -> list[str]:
    """Local authority names, one per line; blank lines and # comments are skipped.

    Raises:
        CorpusError: the file does not exist.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CorpusError(
            f"{path}: authority list not found; give a text file, one per line"
        ) from None
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def load_corpus(path: Path, taxonomy: Taxonomy) -> Corpus:
    """Read and validate every corpus file at `path`.

    Raises:
        CorpusError: a file cannot be read or any row is invalid; the message lists the
            first problems as `file:line: field: problem`.
    """
    rows: list[LabelledStatement] = []
    problems: list[str] = []
    digest = hashlib.sha256()
    files = corpus_files(path)
    for file in files:
        raw = file.read_bytes()
        digest.update(file.name.encode() + b"\0" + raw)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CorpusError(
                f"{file}: not UTF-8 (bad byte at position {exc.start}); re-save the file as UTF-8"
            ) from None
        reader = _read_csv if file.suffix.lower() == ".csv" else _read_jsonl
        for line, record, problem in reader(text):
            if problem:
                problems.append(f"{file}:{line}: {problem}")
                continue
            row, row_problems = _validate(record, taxonomy, str(file), line)
            problems.extend(row_problems)
            if row is not None:
                rows.append(row)
    if problems:
        shown = "; ".join(problems[:MAX_REPORTED])
        more = f" (and {len(problems) - MAX_REPORTED} more)" if len(problems) > MAX_REPORTED else ""
        raise CorpusError(f"{len(problems)} invalid corpus row(s): {shown}{more}")
    if not rows:
        raise CorpusError(f"{path}: the corpus has no rows; add labelled statements")
    return Corpus(rows=tuple(rows), files=tuple(str(f) for f in files), sha256=digest.hexdigest())


Parsed = tuple[int, dict[str, object], str | None]


def _read_jsonl(text: str) -> list[Parsed]:
    out: list[Parsed] = []
    for number, record, problem in jsonl_values(text):
        if problem:
            out.append((number, {}, f"json: {problem}"))
        elif not isinstance(record, dict):
            out.append((number, {}, 'json: expected an object like {"text": ..., ...}'))
        else:
            out.append((number, record, None))
    return out


def _read_csv(text: str) -> list[Parsed]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [col for col in ("text", "section") if col not in header]
    if missing:
        return [(1, {}, f"{missing[0]}: missing column; the header needs text,section,themes")]
    reader.fieldnames = header
    out: list[Parsed] = []
    for record in reader:
        themes = record.get("themes") or ""
        parsed = {
            "text": record.get("text") or "",
            "section": (record.get("section") or "").strip(),
            "themes": [t.strip() for t in themes.split(";") if t.strip()],
        }
        out.append((reader.line_num, parsed, None))
    return out


def _theme_list(
    record: dict[str, object],
    field: str,
    section: object,
    taxonomy: Taxonomy,
    where: str,
    problems: list[str],
) -> list[str]:
    """A row's list of theme slugs under `field` ("themes", "second_themes"), each problem
    added to `problems`; an empty list when the field is not a list of strings."""
    themes = record.get(field, [])
    if not isinstance(themes, list) or not all(isinstance(t, str) for t in themes):
        problems.append(f"{where}: {field}: must be a list of theme slugs")
        return []
    for theme in themes:
        if theme not in taxonomy.slugs:
            problems.append(
                f"{where}: {field}: unknown theme {theme!r}; add it to the taxonomy "
                f"({taxonomy.source}) or use one of {', '.join(taxonomy.slugs)}"
            )
    if section == "neutral" and themes:
        problems.append(f"{where}: {field}: neutral rows take no themes; remove them")
    return themes


def _validate(
    record: dict[str, object], taxonomy: Taxonomy, source: str, line: int
) -> tuple[LabelledStatement | None, list[str]]:
    where = f"{source}:{line}"
    problems: list[str] = []
    text = record.get("text")
    if "text" not in record:
        problems.append(f"{where}: text: missing field")
    elif not isinstance(text, str) or not text.strip():
        problems.append(f"{where}: text: empty; every row needs the statement's text")
    section = record.get("section")
    if "section" not in record:
        problems.append(f"{where}: section: missing field; use one of {', '.join(SECTIONS)}")
    elif section not in SECTIONS:
        problems.append(f"{where}: section: unknown {section!r}; use one of {', '.join(SECTIONS)}")
    themes = _theme_list(record, "themes", section, taxonomy, where, problems)
    second = _theme_list(record, "second_themes", section, taxonomy, where, problems)
    learn_themes = record.get("learn_themes", True)
    if not isinstance(learn_themes, bool):
        problems.append(f"{where}: learn_themes: must be true or false")
    code = record.get("code", "")
    if not isinstance(code, str):
        problems.append(f"{where}: code: must be a string like 'chronology.kept_up_to_date'")
    elif code and (not themes or code.partition(".")[0] != themes[0] or not code.partition(".")[2]):
        problems.append(
            f"{where}: code: {code!r} must be '<main theme>.<finding>', its main theme being "
            "the row's first theme; see corpora/CODEBOOK.md"
        )
    if problems:
        return None, problems
    assert isinstance(text, str) and isinstance(section, str)
    unique = tuple(dict.fromkeys(themes))
    origin = str(record.get("urn") or "") or source
    return (
        LabelledStatement(
            " ".join(text.split()),
            section,
            unique,
            source,
            line,
            origin,
            learn_themes is True,
            str(code),
            tuple(dict.fromkeys(second)),
        ),
        [],
    )


def combine_corpora(first: Corpus, second: Corpus) -> Corpus:
    """Both corpora's rows as one, with a hash covering both."""
    digest = hashlib.sha256((first.sha256 + second.sha256).encode()).hexdigest()
    return Corpus(rows=first.rows + second.rows, files=first.files + second.files, sha256=digest)
