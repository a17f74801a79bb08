"""`compare` and `programme`: audits read together, across cycles and across a year."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from briefing_nlp.cli.common import StdoutOrFile, _run_settings, app, run


class CycleFormat(StrEnum):
    md = "md"
    html = "html"
    docx = "docx"
    json = "json"


FormatOption = Annotated[
    CycleFormat | None,
    typer.Option("--format", help="md, html, docx or json (default: from -o, else md)."),
]
AuditDb = Annotated[
    Path | None,
    typer.Option(help="Review database for stored drafts (default: the per-user data file)."),
]


def _format(fmt: CycleFormat | None, output: Path | None) -> str:
    if fmt is not None:
        return fmt.value
    suffix = output.suffix.lower().lstrip(".") if output else ""
    return suffix if suffix in {f.value for f in CycleFormat} else "md"


def _write(content: str | bytes, output: Path | None) -> None:
    from briefing_nlp.statements_io import write_atomic, write_bytes_atomic

    if output is None:
        if isinstance(content, bytes):
            raise typer.BadParameter("Word output needs a file: add -o comparison.docx")
        typer.echo(content, nl=False)
    elif isinstance(content, bytes):
        run(lambda: write_bytes_atomic(output, content))
    else:
        run(lambda: write_atomic(output, content))


@app.command(
    epilog="Example: briefing-nlp compare march-notes.txt september-notes.txt -o change.docx"
)
def compare(
    old: Annotated[
        str, typer.Argument(help="The earlier audit: a notes file or a stored draft's number.")
    ],
    new: Annotated[
        str, typer.Argument(help="The later audit: a notes file or a stored draft's number.")
    ],
    output: StdoutOrFile = None,
    fmt: FormatOption = None,
    db: AuditDb = None,
    no_charts: Annotated[
        bool, typer.Option("--no-charts", help="Leave the charts out of HTML and Word.")
    ] = False,
) -> None:
    """Compare two audit cycles: each finding's prevalence in both, and whether it is new,
    persisting, improved, worse or resolved."""
    from briefing_nlp.audits import load_briefings
    from briefing_nlp.classify import StatementClassifier
    from briefing_nlp.compare import compare_briefings
    from briefing_nlp.cycles_render import render_comparison
    from briefing_nlp.taxonomy import load_taxonomy

    settings = _run_settings("compare")
    form = _format(fmt, output)
    if form == "docx" and output is None:
        raise typer.BadParameter("Word output needs a file: add -o comparison.docx")
    classifier = run(lambda: StatementClassifier.load(settings.model_dir).for_settings(settings))
    earlier, later = run(lambda: load_briefings([old, new], db, settings, classifier))
    taxonomy = run(lambda: load_taxonomy(settings.taxonomy_path))
    comparison = run(lambda: compare_briefings(earlier, later, classifier, settings, taxonomy))
    _write(render_comparison(comparison, form, charts=not no_charts), output)
    if output is not None:
        counts = comparison.to_json()["counts"]
        typer.echo(
            f"wrote {output}; " + ", ".join(f"{n} {status}" for status, n in counts.items()),
            err=True,
        )


@app.command(epilog="Example: briefing-nlp programme 3 5 7 9 -o year.md")
def programme(
    audits: Annotated[
        list[str],
        typer.Argument(help="Two or more audits: notes files or stored drafts' numbers."),
    ],
    output: StdoutOrFile = None,
    fmt: FormatOption = None,
    db: AuditDb = None,
) -> None:
    """A year at a glance: the themes that recur as worries or strengths across audits,
    with the audits and prevalences behind each."""
    from briefing_nlp.audits import load_briefings
    from briefing_nlp.classify import StatementClassifier
    from briefing_nlp.cycles_render import render_programme
    from briefing_nlp.programme import programme_of
    from briefing_nlp.taxonomy import load_taxonomy

    settings = _run_settings("programme")
    form = _format(fmt, output)
    if form == "docx" and output is None:
        raise typer.BadParameter("Word output needs a file: add -o year.docx")
    classifier = run(lambda: StatementClassifier.load(settings.model_dir).for_settings(settings))
    briefings = run(lambda: load_briefings(audits, db, settings, classifier))
    taxonomy = run(lambda: load_taxonomy(settings.taxonomy_path))
    result = run(lambda: programme_of(briefings, taxonomy))
    _write(render_programme(result, form), output)
    if output is not None:
        typer.echo(
            f"wrote {output}; {len(result.audits)} audits, {len(result.themes)} themes", err=True
        )
