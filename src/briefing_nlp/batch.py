"""Draft one briefing per notes file (`draft --each`), reporting failures without stopping."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing_nlp.classify import StatementClassifier
from briefing_nlp.draft import draft_briefing
from briefing_nlp.errors import BriefingError
from briefing_nlp.render import render_briefing
from briefing_nlp.settings import Settings
from briefing_nlp.statements_io import write_bytes_atomic

SUFFIXES = {"md": ".md", "html": ".html", "docx": ".docx", "json": ".json"}


@dataclass(frozen=True)
class BatchSummary:
    """What `draft --each` produced."""

    total: int
    drafted: tuple[Path, ...]
    failed: tuple[tuple[str, str], ...]


def draft_each(
    notes: Sequence[Path],
    out_dir: Path,
    fmt: str,
    *,
    settings: Settings,
    evidence: bool = False,
    template_dir: Path | None = None,
    columns: dict[str, str] | None = None,
) -> BatchSummary:
    """Draft every notes file (folders are expanded) into `out_dir`, one briefing each.

    A file that cannot be drafted is listed in `failed` with its one-line reason; the
    others are still drafted.
    """
    files = [
        f
        for path in notes
        for f in (
            sorted(p for p in Path(path).iterdir() if p.is_file())
            if Path(path).is_dir()
            else [Path(path)]
        )
    ]
    out_dir.mkdir(parents=True, exist_ok=True)
    classifier = StatementClassifier.load(settings.model_dir)
    drafted: list[Path] = []
    failed: list[tuple[str, str]] = []
    stems = [f.stem for f in files]
    for file in files:
        # Files named alike in different folders ("a/notes.txt", "b/notes.txt") keep apart.
        stem = f"{file.parent.name}-{file.stem}" if stems.count(file.stem) > 1 else file.stem
        target = out_dir / (stem + SUFFIXES[fmt])
        try:
            briefing = draft_briefing(
                [file], columns=columns, settings=settings, classifier=classifier
            )
            content = render_briefing(briefing, fmt, evidence=evidence, template_dir=template_dir)
            write_bytes_atomic(target, content if isinstance(content, bytes) else content.encode())
        except BriefingError as exc:
            failed.append((str(file), str(exc)))
            continue
        drafted.append(target)
    return BatchSummary(total=len(files), drafted=tuple(drafted), failed=tuple(failed))
