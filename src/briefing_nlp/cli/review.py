"""`serve`, `review` and `feedback export`: the review app, its drafts and the corrections
it collects."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from briefing_nlp.cli.common import _run_settings, _settings, _warn_unredacted, app, run

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@app.command(epilog="Example: briefing-nlp serve --port 8000 --db ~/audits/review.sqlite3")
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on (this computer only by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    db: Annotated[
        Path | None, typer.Option(help="Review database (default: a per-user data file).")
    ] = None,
    upload_limit_mb: Annotated[float, typer.Option(help="Largest upload accepted, in MB.")] = 20,
    no_redact: Annotated[
        bool, typer.Option("--no-redact", help="Keep personal data in drafts (not advised).")
    ] = False,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            help="Another name this computer is reached by (repeatable); requests naming "
            "any other host are refused."
        ),
    ] = None,
    max_drafts: Annotated[
        int, typer.Option(min=1, help="Drafts worked on at once; more are told to try again.")
    ] = 2,
) -> None:
    """Start the review web app: paste notes, review and edit the draft, export to Word."""
    import uvicorn

    from briefing_nlp.web.app import create_app

    settings = _run_settings("serve")
    if no_redact:
        _warn_unredacted()
        settings = settings.with_overrides(redact=False)
    if host not in LOOPBACK:
        typer.echo(
            f"warning: listening on {host}: other computers can reach the app, and audit notes "
            "are confidential; use 127.0.0.1 unless the network is trusted",
            err=True,
        )
    application = run(
        lambda: create_app(
            settings,
            db,
            upload_limit_mb,
            host=host,
            port=port,
            extra_hosts=allow_host or (),
            max_drafts=max_drafts,
        )
    )
    for warning in application.state.store.warnings:
        typer.echo(warning, err=True)
    typer.echo(f"briefing-nlp review app: http://{host}:{port}/  (Ctrl+C to stop)")
    uvicorn.run(application, host=host, port=port, log_level="warning")


feedback_app = typer.Typer(help="Reviewers' corrections as training data.", no_args_is_help=True)
app.add_typer(feedback_app, name="feedback")


@feedback_app.command("export", epilog="Example: briefing-nlp feedback export -o corrections.jsonl")
def feedback_export(
    output: Annotated[Path, typer.Option("-o", "--output", help="JSONL file to write.")],
    db: Annotated[
        Path | None, typer.Option(help="Review database (default: the per-user data file).")
    ] = None,
) -> None:
    """Write reviewers' corrections as labelled statements in the corpus format."""
    from briefing_nlp.feedback import export_feedback

    count = run(lambda: export_feedback(db, output, _settings()))
    typer.echo(f"wrote {count} labelled statements to {output}")


review_app = typer.Typer(help="Drafts reviewed in the review app.", no_args_is_help=True)
app.add_typer(review_app, name="review")


@review_app.command("list", epilog="Example: briefing-nlp review list --db ~/audits/review.sqlite3")
def review_list(
    db: Annotated[
        Path | None, typer.Option(help="Review database (default: the per-user data file).")
    ] = None,
) -> None:
    """List the stored drafts: number, date created, bullets, title."""
    from briefing_nlp.review_export import stored_drafts

    for line in run(lambda: stored_drafts(db, _settings().prevalence_scale)):
        typer.echo(line)


@review_app.command(
    "export", epilog="Example: briefing-nlp review export 3 -o neglect-briefing.docx"
)
def review_export(
    draft: Annotated[int, typer.Argument(help="The draft's number (see `review list`).")],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="File to write; .docx, .md, .html or .json.")
    ],
    db: Annotated[
        Path | None, typer.Option(help="Review database (default: the per-user data file).")
    ] = None,
) -> None:
    """Export a draft as reviewed so far (rejected bullets left out) and say how many
    bullets nobody reviewed."""
    from briefing_nlp.review_export import export_stored_draft
    from briefing_nlp.taxonomy import load_taxonomy

    settings = _settings()
    exported = run(
        lambda: export_stored_draft(
            db,
            draft,
            output,
            settings.prevalence_scale,
            load_taxonomy(settings.taxonomy_path),
        )
    )
    typer.echo(f"wrote {output}; {exported.message}")


@review_app.command("delete", epilog="Example: briefing-nlp review delete 3")
def review_delete(
    draft: Annotated[int, typer.Argument(help="The draft's number (see `review list`).")],
    db: Annotated[
        Path | None, typer.Option(help="Review database (default: the per-user data file).")
    ] = None,
) -> None:
    """Delete a draft for good, with every edit, its undo history and the corrections it
    gave as feedback."""
    from briefing_nlp.review_export import delete_stored_draft

    title = run(lambda: delete_stored_draft(db, draft, _settings().prevalence_scale))
    typer.echo(f"deleted draft {draft} ({title or 'untitled'}) with its edits and history")
