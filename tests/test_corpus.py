import json
import re
from pathlib import Path

import pytest

from briefing_nlp.corpus import load_corpus
from briefing_nlp.errors import CorpusError
from briefing_nlp.taxonomy import SECTIONS, load_taxonomy
from tests.conftest import CORPUS_DIR

TAXONOMY = load_taxonomy()


def test_shipped_corpus_meets_the_size_floors() -> None:
    train = load_corpus(CORPUS_DIR / "train", TAXONOMY)
    test = load_corpus(CORPUS_DIR / "test", TAXONOMY)
    assert len(train.rows) >= 2400
    assert len(test.rows) >= 500
    for slug, count in train.theme_counts(TAXONOMY.slugs).items():
        assert count >= 80, slug
    for slug, count in test.theme_counts(TAXONOMY.slugs).items():
        assert count >= 15, slug
    for section in SECTIONS:
        assert train.section_counts()[section] >= 150, section


def test_test_split_does_not_repeat_training_rows() -> None:
    def key(text: str) -> str:
        return "".join(ch for ch in text.lower() if ch.isalnum())

    train = {key(r.text) for r in load_corpus(CORPUS_DIR / "train", TAXONOMY).rows}
    test = [key(r.text) for r in load_corpus(CORPUS_DIR / "test", TAXONOMY).rows]
    assert not [t for t in test if t in train]


@pytest.mark.slow  # compares every corpus row with every example statement
def test_training_rows_are_not_copied_from_the_example_audits() -> None:
    """The example audits measure drafting, so the corpus must not hold their wording:
    no training row of five or more words shares 90% of its words with an example
    statement (stock phrases such as "graded good, feedback to SW" differ by a word)."""
    import json
    import re

    def words(text: str) -> frozenset[str]:
        text = re.sub(r"\[[A-Z ]+\d*\]", " ", text.lower())
        return frozenset(re.findall(r"[a-z0-9]+", text))

    examples = Path(__file__).parents[1] / "examples"
    statements = [
        words(json.loads(line)["text"])
        for path in examples.glob("*/statements.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert statements
    copied = []
    for row in load_corpus(CORPUS_DIR / "train", load_taxonomy()).rows:
        own = words(row.text)
        if len(own) >= 5 and any(len(own & s) / len(own | s) >= 0.9 for s in statements):
            copied.append(row.text)
    assert not copied


def test_csv_corpus_with_semicolon_themes(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "text,section,themes\n"
        '"Chronology and genogram out of date",worry,chronology; genogram\n'
        "16yo CIN,neutral,\n",
        encoding="utf-8",
    )
    corpus = load_corpus(path, TAXONOMY)
    assert corpus.rows[0].themes == ("chronology", "genogram")
    assert corpus.rows[1].section == "neutral"
    assert len(corpus.sha256) == 64


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            '{"text": "x", "section": "praise", "themes": []}\n',
            r"c.jsonl:1: section: unknown 'praise'",
        ),
        (
            '{"text": "x", "section": "worry", "themes": ["housing"]}\n',
            r"c.jsonl:1: themes: unknown theme 'housing'",
        ),
        ('{"text": "  ", "section": "worry", "themes": []}\n', r"c.jsonl:1: text: empty"),
        ('{"section": "worry", "themes": []}\n', r"c.jsonl:1: text: missing field"),
        ('\n{"text": "x", "themes": []}\n', r"c.jsonl:2: section: missing field"),
        (
            '{"text": "x", "section": "neutral", "themes": ["recording"]}\n',
            r"c.jsonl:1: themes: neutral rows take no themes",
        ),
        ("{not json}\n", r"c.jsonl:1: json: not valid JSON"),
        (
            '{"text": "x", "section": "worry", "themes": ["recording"], '
            '"second_themes": ["filing"]}\n',
            r"c.jsonl:1: second_themes: unknown theme 'filing'",
        ),
        (
            '{"text": "x", "section": "neutral", "themes": [], "second_themes": ["recording"]}\n',
            r"c.jsonl:1: second_themes: neutral rows take no themes",
        ),
    ],
)
def test_bad_rows_are_reported_as_file_line_field(
    tmp_path: Path, content: str, expected: str
) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CorpusError, match=expected) as info:
        load_corpus(path, TAXONOMY)
    assert "\n" not in str(info.value)


def test_every_bad_row_is_counted(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"text": "", "section": "x"}\n' * 3, encoding="utf-8")
    with pytest.raises(CorpusError, match=r"^6 invalid corpus row"):
        load_corpus(path, TAXONOMY)


def test_csv_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("statement,label\nx,worry\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"c.csv:1: text: missing column"):
        load_corpus(path, TAXONOMY)


def test_wrong_encoding(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(
        '{"text": "Mum’s views", "section": "strength", "themes": []}\n'.encode("cp1252")
    )
    with pytest.raises(CorpusError, match=r"c.jsonl: not UTF-8 .*re-save the file as UTF-8"):
        load_corpus(path, TAXONOMY)


def test_missing_corpus(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="corpus not found"):
        load_corpus(tmp_path / "none", TAXONOMY)


def test_a_row_can_teach_sections_only(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(
        '{"text": "Chronology out of date", "section": "worry", "themes": ["chronology"],'
        ' "learn_themes": false}\n'
        '{"text": "Genogram on file", "section": "strength", "themes": ["genogram"]}\n',
        encoding="utf-8",
    )
    corpus = load_corpus(tmp_path, TAXONOMY)
    assert [row.learn_themes for row in corpus.rows] == [False, True]
    assert corpus.theme_counts(TAXONOMY.slugs)["chronology"] == 1
    assert corpus.theme_counts(TAXONOMY.slugs, learnt=True)["chronology"] == 0
    (tmp_path / "a.jsonl").write_text(
        '{"text": "Chronology out of date", "section": "worry", "themes": ["chronology"],'
        ' "learn_themes": "no"}\n',
        encoding="utf-8",
    )
    with pytest.raises(CorpusError, match=r"a\.jsonl:1: learn_themes: must be true or false"):
        load_corpus(tmp_path, TAXONOMY)


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("genogram.in_place", "must be '<main theme>.<finding>'"),  # not its main theme
        ("chronology", "must be '<main theme>.<finding>'"),  # no finding
        (3, "must be a string"),
    ],
)
def test_a_row_code_names_a_finding_of_its_main_theme(
    tmp_path: Path, code: object, problem: str
) -> None:
    row = {"text": "Chrono o/d", "section": "worry", "themes": ["chronology"]}
    (tmp_path / "a.jsonl").write_text(json.dumps(row | {"code": "chronology.kept_up_to_date"}))
    assert load_corpus(tmp_path, TAXONOMY).rows[0].code == "chronology.kept_up_to_date"
    (tmp_path / "a.jsonl").write_text(json.dumps(row | {"code": code}))
    with pytest.raises(CorpusError, match=rf"a\.jsonl:1: code: .*{re.escape(problem)}"):
        load_corpus(tmp_path, TAXONOMY)


def test_every_coded_row_uses_a_code_of_the_codebook() -> None:
    """corpora/CODEBOOK.md documents every code the corpus uses, and no code it lists is
    unused but a theme's `.other` (a code renamed in one place only would split one
    finding in two)."""
    codebook = (CORPUS_DIR.parent / "CODEBOOK.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([a-z_]+\.[a-z0-9_]+)` \|", codebook, re.M))
    used = {row.code for row in load_corpus(CORPUS_DIR / "train", TAXONOMY).rows if row.code}
    assert used and used <= listed
    assert all(code.endswith(".other") for code in listed - used)
    assert not [r for r in load_corpus(CORPUS_DIR / "test", TAXONOMY).rows if r.code]


def test_datasheet_counts_match_the_corpus() -> None:
    datasheet = (CORPUS_DIR.parent / "DATASHEET.md").read_text(encoding="utf-8")
    train = load_corpus(CORPUS_DIR / "train", TAXONOMY)
    test = load_corpus(CORPUS_DIR / "test", TAXONOMY)
    assert f"| statements | {len(train.rows)} | {len(test.rows)} |" in datasheet
    for section in SECTIONS:
        row = (
            f"| {section} | {train.section_counts()[section]} | {test.section_counts()[section]} |"
        )
        assert row in datasheet


def test_a_row_comes_from_its_report_else_its_file(tmp_path: Path) -> None:
    # Cross-validation keeps one origin's rows in one fold (train.fit_classifier).
    (tmp_path / "a.jsonl").write_text(
        '{"text": "Chronology out of date", "section": "worry", "themes": ["chronology"],'
        ' "urn": "80426"}\n'
        '{"text": "Genogram on file", "section": "strength", "themes": ["genogram"]}\n',
        encoding="utf-8",
    )
    rows = load_corpus(tmp_path, TAXONOMY).rows
    assert rows[0].origin == "80426"
    assert rows[1].origin.endswith("a.jsonl")


def test_a_line_nested_too_deeply_is_reported_not_raised(tmp_path: Path) -> None:
    """The corpus reads JSONL through the same reader as `classify` input, which turns
    thousands of nested brackets into a line's problem instead of a RecursionError."""
    path = tmp_path / "deep.jsonl"
    good = {"text": "Chronology out of date.", "section": "worry", "themes": ["chronology"]}
    path.write_text(json.dumps(good) + "\n" + "[" * 100_000 + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"deep.jsonl:2: json: JSON nested too deeply"):
        load_corpus(path, load_taxonomy())
