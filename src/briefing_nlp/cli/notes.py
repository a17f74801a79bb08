"""`draft` and `redact`: notes in, briefing or redacted notes out (thin shells)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from briefing_nlp.cli.common import (
    ColumnOverrides,
    StdoutOrFile,
    _columns,
    _run_settings,
    _warn_unredacted,
    app,
    err,
    run,
)


class DraftFormat(StrEnum):
    md = "md"
    html = "html"
    docx = "docx"
    json = "json"


SUFFIX_FORMATS = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".json": "json",
}


@app.command(
    epilog="Example: briefing-nlp draft notes.txt --title 'Young parents audit' -o briefing.docx"
)
def draft(
    notes: Annotated[
        list[Path], typer.Argument(help="Notes files (.txt .md .csv .xlsx .docx); one audit.")
    ],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here; the suffix sets the format.")
    ] = None,
    format: Annotated[
        DraftFormat | None, typer.Option("--format", help="md (default), html, docx or json.")
    ] = None,
    title: Annotated[str | None, typer.Option(help="Title of the audit (section 1).")] = None,
    date: Annotated[str | None, typer.Option(help="Date completed (section 1).")] = None,
    context: Annotated[str | None, typer.Option(help="Context / reason (section 2).")] = None,
    keep_header: Annotated[
        bool,
        typer.Option(
            "--keep-header", help="Keep the title, date and context as typed (not redacted)."
        ),
    ] = False,
    evidence: Annotated[
        bool, typer.Option(help="Add an appendix of each bullet's source statements.")
    ] = False,
    template_dir: Annotated[
        Path | None, typer.Option(help="Folder of your own briefing.md.j2 / briefing.html.j2.")
    ] = None,
    column: ColumnOverrides = None,
    each: Annotated[
        bool, typer.Option(help="Draft one briefing per notes file into --out-dir.")
    ] = False,
    out_dir: Annotated[
        Path | None, typer.Option(help="Folder for --each briefings (created if missing).")
    ] = None,
    no_redact: Annotated[
        bool, typer.Option("--no-redact", help="Keep personal data in the output (not advised).")
    ] = False,
    workers: Annotated[
        int, typer.Option(help="With --each: worker processes (each loads the models once).")
    ] = 1,
    no_charts: Annotated[
        bool,
        typer.Option(
            "--no-charts", help="Leave the strengths-and-worries chart out of HTML and Word."
        ),
    ] = False,
) -> None:
    """Draft a six-step 'Learning from Audits' briefing from auditors' notes."""
    from briefing_nlp.batch import draft_each
    from briefing_nlp.draft import draft_briefing
    from briefing_nlp.render import render_briefing
    from briefing_nlp.statements_io import write_atomic, write_bytes_atomic

    columns = _columns(column or [], notes)
    settings = _run_settings("draft")
    if no_redact:
        _warn_unredacted()
        settings = settings.with_overrides(redact=False)
    if each:
        if out_dir is None:
            raise typer.BadParameter("--each needs --out-dir FOLDER")
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=err,
            transient=True,
        ) as bar:
            task = bar.add_task("Drafting", total=None)
            summary = run(
                lambda: draft_each(
                    notes,
                    out_dir,
                    (format or DraftFormat.md).value,
                    settings=settings,
                    evidence=evidence,
                    template_dir=template_dir,
                    columns=columns,
                    workers=workers,
                    charts=not no_charts,
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                )
            )
        for name, problem in summary.failed:
            typer.echo(f"error: {name}: {problem}", err=True)
        typer.echo(
            f"drafted {len(summary.drafted)} of {summary.total} -> {out_dir} "
            f"(summary in {out_dir / 'summary.json'})"
        )
        if summary.failed:
            raise typer.Exit(1)
        return
    fmt = (
        format.value
        if format
        else SUFFIX_FORMATS.get(output.suffix.lower(), "")
        if output
        else "md"
    )
    if not fmt:
        raise typer.BadParameter(
            f"cannot tell the format from {output}; use .md .html .docx .json or --format"
        )
    if fmt == "docx" and output is None:
        raise typer.BadParameter("a Word document needs -o FILE.docx")
    if output is not None:
        run(lambda: _refuse_overwriting_notes(output, notes))
    notices: list[str] = []
    briefing = run(
        lambda: draft_briefing(
            notes,
            title=title,
            date=date,
            context=context,
            columns=columns,
            settings=settings,
            keep_header=keep_header,
            notices=notices,
        )
    )
    for notice in notices:
        typer.echo(f"warning: {notice}", err=True)
    aside = sum(len(b) for b in briefing.one_record.values())
    if aside and not evidence and fmt != "json":
        typer.echo(
            f"note: {aside} finding{'s' if aside != 1 else ''} seen in only one record and "
            f"not sure enough for the briefing {'are' if aside != 1 else 'is'} left out; "
            "--evidence lists them (the review app too, where you can add them back)",
            err=True,
        )
    from briefing_nlp.taxonomy import load_taxonomy

    content = run(
        lambda: render_briefing(
            briefing,
            fmt,
            evidence=evidence,
            template_dir=template_dir,
            charts=not no_charts,
            taxonomy=load_taxonomy(settings.taxonomy_path),
        )
    )
    if output is None:
        assert isinstance(content, str)
        sys.stdout.write(content)
    elif isinstance(content, bytes):
        run(lambda: write_bytes_atomic(output, content))
    else:
        run(lambda: write_atomic(output, content))


def _refuse_overwriting_notes(output: Path, notes: list[Path]) -> None:
    """`draft notes.md -o notes.md` would replace the notes with their briefing."""
    from briefing_nlp.errors import InputError

    for note in notes:
        try:
            same = output.resolve() == note.resolve() or (output.exists() and output.samefile(note))
        except OSError:
            continue  # a path the system cannot look at is reported when it is read
        if same:
            raise InputError(
                f"{output}: is the notes file given; write the briefing to another -o file"
            )


class RedactFormat(StrEnum):
    text = "text"
    json = "json"


@app.command(epilog="Example: briefing-nlp redact notes.docx --format json > entities.json")
def redact(
    file: Annotated[Path, typer.Argument(help="Notes file (.txt .md .csv .xlsx .docx).")],
    format: Annotated[
        RedactFormat, typer.Option("--format", help="text (default) or json with entities.")
    ] = RedactFormat.text,
    output: StdoutOrFile = None,
    column: ColumnOverrides = None,
) -> None:
    """Replace personal data in notes with placeholders ([PERSON 1], [DATE], [ID], ...)."""
    from briefing_nlp.ingest import extract_text
    from briefing_nlp.ingest.limits import ExpansionLimits
    from briefing_nlp.redact import redactor_for
    from briefing_nlp.statements_io import write_atomic

    settings = _run_settings("redact")
    text = run(
        lambda: extract_text(
            file,
            _columns(column or [], [file]),
            int(settings.max_input_mb * 1024 * 1024),
            ExpansionLimits.from_settings(settings),
        )
    )
    result = run(lambda: redactor_for(settings).redact([text]))[0]
    if format is RedactFormat.json:
        content = (
            json.dumps(
                {
                    "text": result.text,
                    "entities": [
                        {
                            "start": e.start,
                            "end": e.end,
                            "type": e.type,
                            "text": e.text,
                            "reason": e.reason,
                        }
                        for e in result.entities
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    else:
        content = result.text
    if output:
        run(lambda: write_atomic(output, content))
    else:
        sys.stdout.write(content)
