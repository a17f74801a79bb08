"""`classify`, `train`, `train-vectors` and `evaluate`: the models' commands (thin shells)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from briefing_nlp.cli.common import StdoutOrFile, _run_settings, _settings, app, err, run


class ClassifyFormat(StrEnum):
    jsonl = "jsonl"
    table = "table"


class ReportFormat(StrEnum):
    table = "table"
    json = "json"


@app.command(epilog="Example: briefing-nlp classify statements.jsonl --format jsonl > out.jsonl")
def classify(
    file: Annotated[Path, typer.Argument(help='JSONL, one {"id"?, "text"} object per line.')],
    format: Annotated[
        ClassifyFormat, typer.Option("--format", help="jsonl (default) or a table to read.")
    ] = ClassifyFormat.jsonl,
    output: StdoutOrFile = None,
    evidence: Annotated[
        bool, typer.Option(help="Add the top contributing terms of each label.")
    ] = False,
) -> None:
    """Label each statement with a section and themes; one output line per input line."""
    from briefing_nlp.classify import classify_statements
    from briefing_nlp.statements_io import read_statements, write_atomic

    settings = _run_settings("classify")
    items = run(lambda: read_statements(file))
    results = run(
        lambda: classify_statements([i.text for i in items], settings.model_dir, evidence, settings)
    )
    if format is ClassifyFormat.table:
        table = Table("id", "section", "themes", "text")
        for item, result in zip(items, results, strict=True):
            table.add_row(str(item.id), result.section, ", ".join(result.themes), item.text)
        Console(file=sys.stdout, width=160).print(table)
        return
    # One encoder for every line: json.dumps with options builds a new one per call.
    encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
    lines = [
        encode({"id": item.id, **result.to_json(evidence)})
        for item, result in zip(items, results, strict=True)
    ]
    content = "".join(line + "\n" for line in lines)
    if output:
        run(lambda: write_atomic(output, content))
    else:
        sys.stdout.write(content)


@app.command(epilog="Example: briefing-nlp train --corpus my-team-corpus/ --out models/")
def train(
    corpus: Annotated[
        Path | None,
        typer.Option(help="Folder with train/ (and test/), or one .jsonl/.csv file."),
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Model folder to write.")] = None,
    taxonomy: Annotated[
        Path | None, typer.Option(help="Theme taxonomy TOML (default: the shipped one).")
    ] = None,
    feedback: Annotated[
        Path | None,
        typer.Option(help="Reviewers' corrections (from `feedback export`) to learn from too."),
    ] = None,
    pii: Annotated[
        bool,
        typer.Option("--pii", help="Train the redaction NER on corpora/pii instead (or --corpus)."),
    ] = False,
) -> None:
    """Train the section and theme classifiers and write models/ with its model card."""
    from briefing_nlp.train import train_models

    settings = run(lambda: _settings().with_overrides(taxonomy_path=taxonomy))
    if pii:
        from briefing_nlp.pii import train_pii

        with err.status("Training the redaction model (a few minutes on two cores)..."):
            facts = run(lambda: train_pii(settings, corpus, out))
        scores = facts["test"]
        typer.echo(
            f"redaction on {scores['rows']} test lines: person recall {scores['person_recall']}, "
            f"identifier recall {scores['identifier_recall']}, organisation and address recall "
            f"{scores['org_address_recall']}, precision {scores['precision']}"
        )
        return
    with err.status("Training (a few minutes on two cores)..."):
        result = run(lambda: train_models(settings, corpus, out, feedback))
    if result.kept_old:
        typer.echo(
            f"kept the old model in {result.out_dir}: the new one is worse on the test split"
        )
        for reason in result.reasons:
            typer.echo(f"  - {reason}")
        return
    meta = result.meta
    rows = meta["corpus"]["train"]["rows"]
    typer.echo(
        f"trained on {rows} statements in {meta['training']['seconds']} s -> {result.out_dir}"
    )
    if meta["metrics"]:
        model = meta["metrics"]["model"]
        typer.echo(
            f"test split: section macro-F1 {model['section']['macro_f1']}, "
            f"theme micro-F1 {model['themes']['micro_f1']} (see {result.out_dir}/MODEL_CARD.md)"
        )
    if meta.get("metrics_real"):
        real = meta["metrics_real"]["model"]
        typer.echo(
            f"real-language test split: section macro-F1 {real['section']['macro_f1']}, "
            f"theme micro-F1 {real['themes']['micro_f1']}"
        )
    if meta["training"]["skipped_themes"]:
        typer.echo(
            "warning: too few examples to learn themes "
            + ", ".join(meta["training"]["skipped_themes"]),
            err=True,
        )


@app.command(
    "train-vectors",
    epilog="Example: briefing-nlp train-vectors ofsted-reports/ "
    "--exclude corpora/statements/test-real/authorities.txt",
)
def train_vectors_command(
    reports: Annotated[
        Path,
        typer.Argument(
            help="Folder of inspection report .txt files (optionally with reports.csv "
            "naming each file's URN and local authority)."
        ),
    ],
    exclude: Annotated[
        Path | None,
        typer.Option(
            help="Text file of local authorities (one per line, # comments) whose reports "
            "are left out, e.g. the real-language test split's. Default: the corpus's "
            "test-real/authorities.txt when it exists."
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Folder to write (default: vectors/ in the model folder).")
    ] = None,
) -> None:
    """Train the domain word vectors (floret) on inspection reports plus the corpus."""
    from briefing_nlp.vectors import rebuild_vectors

    settings = _settings()
    with err.status("Training domain vectors (about four minutes on two cores)..."):
        report = run(lambda: rebuild_vectors(settings, reports, exclude, out))
    typer.echo(
        f"trained vectors on {report.sentences:,} sentences ({report.tokens:,} words) from "
        f"{report.reports} reports of {report.authorities} authorities "
        f"({report.excluded_authorities} left out) and {report.extra_rows:,} corpus rows "
        f"in {report.seconds} s; retrain the classifiers with `briefing-nlp train`"
    )


@app.command(epilog="Example: briefing-nlp evaluate --format json > report.json")
def evaluate(
    corpus: Annotated[
        Path | None,
        typer.Option(help="Corpus folder (its test/ split is used) or a labelled test file."),
    ] = None,
    format: Annotated[
        ReportFormat, typer.Option("--format", help="table (default) or json.")
    ] = ReportFormat.table,
    pii: Annotated[
        bool, typer.Option("--pii", help="Score redaction on the PII test split instead.")
    ] = False,
) -> None:
    """Score the models and two baselines on the corpus test split and, beside it, the
    real-language test split (test-real/), with 95% bootstrap intervals."""
    from briefing_nlp.evaluate import evaluate_models, evaluate_redaction

    if pii:
        scores = run(lambda: evaluate_redaction(_settings(), corpus))
        if format is ReportFormat.json:
            typer.echo(json.dumps(scores, indent=2))
            return
        table = Table(
            "type",
            "recall",
            "precision",
            "F2",
            "gold",
            "redacted",
            title=f"redaction on {scores['rows']} test lines",
        )
        for kind, m in scores["per_type"].items():
            table.add_row(
                kind,
                f"{m['recall']:.3f}",
                f"{m['precision']:.3f}",
                f"{m['f2']:.3f}",
                str(m["gold"]),
                str(m["predicted"]),
            )
        Console(file=sys.stdout, width=120).print(table)
        return
    result = run(lambda: evaluate_models(_settings(), corpus))
    if format is ReportFormat.json:
        typer.echo(json.dumps(result, indent=2))
    else:
        _print_report(result)


def _print_report(result: dict[str, Any]) -> None:
    out = Console(file=sys.stdout, width=140)
    splits = {"corpus test": result}
    if result.get("real"):
        splits["real test"] = result["real"]
    title = ", ".join(f"{name}: {split['test_rows']} statements" for name, split in splits.items())
    columns = [
        f"{split_name} {system}"
        for split_name, split in splits.items()
        for system in ("model", *split["baselines"])
    ]
    summary = Table("measure", *columns, title=title)
    for label, part, key, interval in (
        ("section macro-F1", "section", "macro_f1", "section_macro_f1"),
        ("section accuracy", "section", "accuracy", None),
        ("theme micro-F1", "themes", "micro_f1", "theme_micro_f1"),
        ("theme macro-F1", "themes", "macro_f1", None),
    ):
        cells = []
        for split in splits.values():
            systems = {"model": split["model"], **split["baselines"]}
            for name, system in systems.items():
                cell = f"{system[part][key]:.3f}"
                if name == "model" and interval and "intervals" in split:
                    low, high = split["intervals"][interval]
                    cell += f" ({low:.3f}-{high:.3f})"
                cells.append(cell)
        summary.add_row(label, *cells)
    out.print(summary)
    out.print("Model figures carry 95% bootstrap intervals in brackets.")
    for part in ("section", "themes"):
        table = Table(
            "label",
            *(f"{name} model P/R/F1" for name in splits),
            *(f"{name} support" for name in splits),
            title=f"per {part.rstrip('s')}",
        )
        for label in result["model"][part]["per_label"]:
            cells = []
            for split in splits.values():
                s = split["model"][part]["per_label"][label]
                cells.append(f"{s['precision']:.2f}/{s['recall']:.2f}/{s['f1']:.2f}")
            supports = [
                str(split["model"][part]["per_label"][label]["support"])
                for split in splits.values()
            ]
            table.add_row(label, *cells, *supports)
        out.print(table)
    for name, split in splits.items():
        confusion = split["model"]["section"]["confusion"]
        table = Table(
            "true \\ predicted", *confusion["labels"], title=f"section confusion ({name})"
        )
        for label, row in zip(
            confusion["labels"], confusion["rows_true_cols_predicted"], strict=True
        ):
            table.add_row(label, *map(str, row))
        out.print(table)
