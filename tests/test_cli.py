"""The CLI contract: help with examples, classify's JSONL shape, one-line errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing_nlp.cli import app
from briefing_nlp.settings import PROJECT_ROOT
from tests.conftest import MODEL_DIR

runner = CliRunner()
COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands)  # type: ignore[union-attr]
CLASSIFY_KEYS = {"id", "text", "section", "section_scores", "themes", "theme_scores"}


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed entry point in a real process, as users and other tools run it."""
    return subprocess.run(
        [sys.executable, "-m", "briefing_nlp", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
    )


def test_top_level_help_has_an_example() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "Example: briefing-nlp" in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_has_an_example(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert f"Example: briefing-nlp {command}" in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command: str) -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert f"briefing-nlp {command}" in readme


def test_classify_contract(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": "a", "text": "Chronology out of date"}\n'
        "\n"
        '{"text": "16yo, CIN since May"}\n'
        '{"id": 7, "text": "Voice of the child clear throughout"}\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["--model-dir", str(MODEL_DIR), "classify", str(source)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", 3, 7]
    assert all(set(r) == CLASSIFY_KEYS for r in rows)
    assert [r["section"] for r in rows] == ["worry", "neutral", "strength"]
    assert rows[0]["themes"] == ["chronology"]
    assert rows[1]["themes"] == []
    assert set(rows[0]["section_scores"]) == {
        "strength",
        "worry",
        "action",
        "good_practice",
        "neutral",
    }


def test_classify_evidence_and_output_file(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "no supervision on file"}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    args = ["--model-dir", str(MODEL_DIR), "classify", str(source), "--evidence", "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    row = json.loads(out.read_text(encoding="utf-8"))
    assert row["evidence"]["section"] and "supervision" in row["evidence"]["themes"]


def test_classify_table(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "SW to update chronology"}\n', encoding="utf-8")
    result = runner.invoke(
        app, ["--model-dir", str(MODEL_DIR), "classify", str(source), "--format", "table"]
    )
    assert result.exit_code == 0 and "action" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"text": "ok"}\n{broken\n', r"in.jsonl:2: not valid JSON"),
        (b'{"id": 1}\n', r'in.jsonl:1: text: expected an object with a "text" string'),
        (b'["text"]\n', r"in.jsonl:1: text: expected an object"),
        ('{"text": "Mum’s"}\n'.encode("cp1252"), r"in.jsonl: not UTF-8"),
    ],
)
def test_classify_bad_input_is_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(content)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        app, ["--model-dir", str(MODEL_DIR), "classify", str(source), "-o", str(out)]
    )
    assert result.exit_code == 1
    assert re.search(message, result.stderr)
    assert result.stderr.count("\n") == 1
    assert not out.exists()


def test_missing_models_in_a_real_process(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "x"}\n', encoding="utf-8")
    result = cli("--model-dir", str(tmp_path / "none"), "classify", str(source))
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "run `briefing-nlp train" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_missing_input_file_in_a_real_process(tmp_path: Path) -> None:
    result = cli("classify", str(tmp_path / "nope.jsonl"))
    assert result.returncode == 1
    assert "nope.jsonl: file not found" in result.stderr and "Traceback" not in result.stderr


def test_usage_error_exits_2() -> None:
    assert runner.invoke(app, ["classify"]).exit_code == 2
    assert runner.invoke(app, ["classify", "x.jsonl", "--format", "xml"]).exit_code == 2


def test_bad_corpus_row_in_train_is_one_line(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"text": "x", "section": "praise", "themes": []}\n', encoding="utf-8")
    result = runner.invoke(app, ["train", "--corpus", str(corpus), "--out", str(tmp_path / "m")])
    assert result.exit_code == 1
    assert "c.jsonl:1: section: unknown 'praise'" in result.stderr
    assert not (tmp_path / "m" / "meta.json").exists()


def test_bad_config_is_one_line(tmp_path: Path) -> None:
    config = tmp_path / "s.toml"
    config.write_text("cv_folds = 'many'\n", encoding="utf-8")
    result = runner.invoke(app, ["--config", str(config), "evaluate"])
    assert result.exit_code == 1
    assert "setting 'cv_folds' should be int" in result.stderr


def test_evaluate_json_has_model_and_both_baselines() -> None:
    result = runner.invoke(app, ["--model-dir", str(MODEL_DIR), "evaluate", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report["baselines"]) == {"majority", "lexicon"}
    for system in [report["model"], *report["baselines"].values()]:
        assert set(system["section"]["per_label"]) == {
            "strength",
            "worry",
            "action",
            "good_practice",
            "neutral",
        }
        assert {"micro_f1", "macro_f1", "per_label"} <= set(system["themes"])
        assert system["section"]["confusion"]["rows_true_cols_predicted"]


def test_evaluate_table() -> None:
    result = runner.invoke(app, ["--model-dir", str(MODEL_DIR), "evaluate"])
    assert result.exit_code == 0
    for heading in ("section macro-F1", "theme micro-F1", "majority", "lexicon", "confusion"):
        assert heading in result.stdout


def test_broken_taxonomy_is_reported_before_any_work(tmp_path: Path) -> None:
    taxonomy = tmp_path / "t.toml"
    taxonomy.write_text("[[theme]]\nslug = 'Bad Slug'\n", encoding="utf-8")
    config = tmp_path / "s.toml"
    config.write_text(f"taxonomy_path = '{taxonomy}'\n", encoding="utf-8")
    result = runner.invoke(app, ["--config", str(config), "evaluate"])
    assert result.exit_code == 1
    assert "t.toml: theme 1: missing" in result.stderr


EXAMPLE_NOTES = PROJECT_ROOT / "examples" / "neglect-cp" / "notes.txt"


@pytest.mark.parametrize(
    ("suffix", "check"),
    [
        (".md", lambda b: b.startswith(b"# Learning from Audits")),
        (".html", lambda b: b.startswith(b"<!doctype html>")),
        (".json", lambda b: json.loads(b)["sections"] is not None),
        (".docx", lambda b: b[:2] == b"PK"),
    ],
)
def test_draft_format_follows_the_output_suffix(tmp_path: Path, suffix: str, check) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / f"briefing{suffix}"
    result = runner.invoke(app, ["draft", str(EXAMPLE_NOTES), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert check(out.read_bytes())


def test_draft_to_stdout_with_front_matter_flags() -> None:
    result = runner.invoke(
        app, ["draft", str(EXAMPLE_NOTES), "--title", "My audit", "--format", "json"]
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "My audit"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty.txt: empty"),
        ("binary.txt", bytes(range(256)) * 8, "binary.txt: looks like a binary file"),
        ("sheet.csv", b"Ref,Score\n1,3\n", "sheet.csv: no comment column found; columns are"),
        ("notes.docx", b"PK\x03\x04broken", "notes.docx: not a readable Word document"),
        ("notes.rtf", b"{\\rtf1}", "notes.rtf: unsupported file type .rtf"),
    ],
)
def test_draft_bad_input_is_one_line_and_writes_nothing(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    out = tmp_path / "briefing.docx"
    result = runner.invoke(app, ["draft", str(source), "-o", str(out)])
    assert result.exit_code == 1
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert not out.exists() and not list(tmp_path.glob(".briefing*"))


def test_draft_usage_errors() -> None:
    assert runner.invoke(app, ["draft", str(EXAMPLE_NOTES), "-o", "x.pdf"]).exit_code == 2
    assert runner.invoke(app, ["draft", str(EXAMPLE_NOTES), "--format", "docx"]).exit_code == 2
    assert runner.invoke(app, ["draft", str(EXAMPLE_NOTES), "--each"]).exit_code == 2
    assert runner.invoke(app, ["draft", str(EXAMPLE_NOTES), "--column", "x"]).exit_code == 2


def test_draft_each_reports_a_bad_file_and_drafts_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "audits"
    folder.mkdir()
    (folder / "a.txt").write_text(EXAMPLE_NOTES.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "b.txt").write_bytes(b"")
    (folder / "c.md").write_text("Audit 1\n- chronology out of date\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["draft", str(folder), "--each", "--out-dir", str(out)])
    assert result.exit_code == 1
    assert "b.txt: empty" in result.stderr
    assert "drafted 2 of 3" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == ["a.md", "c.md", "summary.json"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["total"] == 3 and len(summary["drafted"]) == 2
    assert summary["failed"][0]["file"].endswith("b.txt")
    assert "empty" in summary["failed"][0]["error"]

    # Two worker processes draft the same briefings.
    parallel = tmp_path / "parallel"
    result = runner.invoke(
        app, ["draft", str(folder), "--each", "--out-dir", str(parallel), "--workers", "2"]
    )
    assert result.exit_code == 1 and "drafted 2 of 3" in result.stdout
    for name in ("a.md", "c.md"):
        assert (parallel / name).read_text() == (out / name).read_text()


def test_feedback_export_help_and_readme() -> None:
    result = runner.invoke(app, ["feedback", "export", "--help"])
    assert result.exit_code == 0 and "Example: briefing-nlp feedback export" in result.output
    assert "briefing-nlp feedback export" in (PROJECT_ROOT / "README.md").read_text()


def test_feedback_export_without_a_database(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "feedback",
            "export",
            "--db",
            str(tmp_path / "none.sqlite3"),
            "-o",
            str(tmp_path / "out.jsonl"),
        ],
    )
    assert result.exit_code == 1 and "no review database here" in result.stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_every_setting_is_in_the_readme() -> None:
    from dataclasses import fields

    from briefing_nlp.settings import Settings

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [f.name for f in fields(Settings) if f"`{f.name}`" not in readme]
    assert not missing, missing


def _blas_threads() -> list[int]:
    from threadpoolctl import threadpool_info

    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_each_worker_process_runs_one_blas_thread() -> None:
    """Two workers with a BLAS thread per core each were no faster than one process."""
    from concurrent.futures import ProcessPoolExecutor

    from briefing_nlp.batch import _start_pool_worker
    from briefing_nlp.settings import Settings

    with ProcessPoolExecutor(1, initializer=_start_pool_worker, initargs=(Settings(),)) as pool:
        threads = pool.submit(_blas_threads).result()
    assert threads and set(threads) == {1}


def test_column_on_a_text_file_warns_that_it_is_not_used(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Audit 1\n- Chronology not up to date\n", encoding="utf-8")
    result = runner.invoke(app, ["redact", str(notes), "--column", "comment=Finding"])
    assert result.exit_code == 0
    assert "--column applies only to .csv and .xlsx files" in result.stderr
    # A spreadsheet takes the column, with no such warning.
    sheet = tmp_path / "audit.csv"
    sheet.write_text("Record,Finding\n1,Chronology not up to date\n", encoding="utf-8")
    result = runner.invoke(app, ["redact", str(sheet), "--column", "comment=Finding"])
    assert result.exit_code == 0, result.output
    assert "--column" not in result.stderr


@pytest.mark.slow  # trains a (small) redaction model
def test_train_pii_replaces_the_redaction_model_and_records_it(tmp_path: Path) -> None:
    """`train --pii`: the name model is retrained from a PII corpus into the model folder,
    its hash and scores go into meta.json and the model card, and the folder still loads
    and redacts (a name the small corpus teaches is still found)."""
    import json
    import shutil

    from briefing_nlp.redact import load_redactor

    models = shutil.copytree(MODEL_DIR, tmp_path / "models")
    corpus = tmp_path / "pii"
    (corpus / "train").mkdir(parents=True)
    (corpus / "test").mkdir()
    source = PROJECT_ROOT / "corpora" / "pii"
    lines = [
        line
        for file in sorted((source / "train").glob("*.txt"))
        for line in file.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    (corpus / "train" / "small.txt").write_text("\n".join(lines[::8]) + "\n", encoding="utf-8")
    test = (source / "test" / "test.txt").read_text(encoding="utf-8").splitlines()
    (corpus / "test" / "test.txt").write_text("\n".join(test[:80]) + "\n", encoding="utf-8")
    before = json.loads((models / "meta.json").read_text(encoding="utf-8"))
    result = runner.invoke(
        app,
        [
            "--model-dir",
            str(models),
            "train",
            "--pii",
            "--corpus",
            str(corpus),
            "--out",
            str(models),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "person recall" in result.output
    meta = json.loads((models / "meta.json").read_text(encoding="utf-8"))
    assert meta["pii"]["train_rows"] == len(lines[::8])
    assert meta["pii"]["test"]["rows"] == len([t for t in test[:80] if t.strip()])
    assert meta["artifacts"]["ner"] != before["artifacts"]["ner"]
    card = (models / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert f"Person-name recall {meta['pii']['test']['person_recall']}" in card
    load_redactor.cache_clear()
    try:
        [redacted] = load_redactor(models / "ner").redact(["Seen with Kacper Nowak at school."])
        assert "Kacper" not in redacted.text
    finally:
        load_redactor.cache_clear()
