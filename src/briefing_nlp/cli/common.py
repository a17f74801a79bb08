"""What every `briefing-nlp` command shares: the Typer app and its global options, the
settings they set, shared option types, and `run`, which turns library errors into one
line on stderr and exit code 1 (usage errors exit 2, Typer's default; anything else is a
bug and keeps its traceback). Command groups live in their own modules beside this one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console

from briefing_nlp import __version__
from briefing_nlp.errors import BriefingError
from briefing_nlp.settings import TRAINING, Settings, settings_file_values
from briefing_nlp.taxonomy import load_taxonomy

T = TypeVar("T")

app = typer.Typer(
    name="briefing-nlp",
    help=(
        "Draft 'Learning from Audits' briefings from auditor notes, fully offline.\n\n"
        "Example: briefing-nlp classify statements.jsonl > labelled.jsonl"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
err = Console(stderr=True)


# Options several commands share, declared once.
StdoutOrFile = Annotated[
    Path | None, typer.Option("-o", "--output", help="Write here instead of stdout.")
]
ColumnOverrides = Annotated[
    list[str] | None,
    typer.Option(
        metavar="ROLE=HEADER", help="Spreadsheet column for a role, e.g. --column comment=Finding."
    ),
]


class _State:
    settings: Settings | None = None
    # The settings the --config file set, so run-time commands can say which of them
    # only training reads.
    from_file: frozenset[str] = frozenset()


state = _State()


def _settings() -> Settings:
    return state.settings or Settings()


def _run_settings(command: str) -> Settings:
    """The settings for a run-time command, warning once about settings of the file that
    only training reads (the model drafts with the values it was trained with)."""
    ignored = sorted(state.from_file & TRAINING)
    if ignored:
        typer.echo(
            f"warning: {', '.join(ignored)} only apply when training; `{command}` uses the "
            "values the model was trained with (run `briefing-nlp train` to use these)",
            err=True,
        )
    return _settings()


def run(call: Callable[[], T]) -> T:
    """Run a library call, turning user-fixable errors into one line and exit code 1."""
    try:
        return call()
    except BriefingError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        typer.echo("error: interrupted; nothing was written", err=True)
        raise typer.Exit(130) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"briefing-nlp {__version__}")
        raise typer.Exit()


@app.callback(epilog="Example: briefing-nlp --model-dir models evaluate --format json")
def main(
    config: Annotated[
        Path | None, typer.Option(help="Settings TOML file (see README: Settings).")
    ] = None,
    model_dir: Annotated[
        Path | None, typer.Option(help="Folder of trained models (default: ./models).")
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show version.")
    ] = False,
) -> None:
    """Draft 'Learning from Audits' briefings from auditor notes, fully offline."""
    values = run(lambda: settings_file_values(config)) if config is not None else {}
    state.from_file = frozenset(values)
    state.settings = run(lambda: Settings(**values).with_overrides(model_dir=model_dir))
    # Validate the taxonomy up front so a broken edit is reported before any work starts.
    run(lambda: load_taxonomy(state.settings.taxonomy_path if state.settings else None))


def _columns(values: list[str], inputs: Sequence[Path] = ()) -> dict[str, str]:
    """--column values as a role -> header map; warns when no input is a spreadsheet,
    since the columns would then be silently unused."""
    from briefing_nlp.ingest import TABLE_SUFFIXES

    columns = {}
    for value in values:
        role, sep, header = value.partition("=")
        if not sep or not role.strip() or not header.strip():
            raise typer.BadParameter(f"{value!r}: use ROLE=HEADER, e.g. comment=Finding")
        columns[role.strip().lower()] = header.strip()
    if columns and inputs:
        files = [f for p in inputs for f in (sorted(p.iterdir()) if p.is_dir() else [p])]
        if not any(f.suffix.lower() in TABLE_SUFFIXES for f in files):
            typer.echo(
                "warning: --column applies only to .csv and .xlsx files; "
                f"{', '.join(p.name for p in inputs)} has none, so it was not used",
                err=True,
            )
    return columns


def _warn_unredacted() -> None:
    typer.echo(
        "warning: --no-redact keeps names, dates of birth and other personal data in the "
        "output; do not share it",
        err=True,
    )
