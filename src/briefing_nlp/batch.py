"""Draft one briefing per notes file (`draft --each`), reporting failures without stopping.

With `workers > 1`, worker processes each load the models once and take whole files
(spaCy's own `n_process` was measured slower for these light pipelines). A summary of
what was drafted and what failed is written beside the briefings as `summary.json`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from briefing_nlp.classify import StatementClassifier
from briefing_nlp.draft import draft_briefing
from briefing_nlp.errors import BriefingError, InputError
from briefing_nlp.render import render_briefing
from briefing_nlp.settings import Settings
from briefing_nlp.statements_io import write_atomic, write_bytes_atomic
from briefing_nlp.taxonomy import load_taxonomy

SUFFIXES = {"md": ".md", "html": ".html", "docx": ".docx", "json": ".json"}
SUMMARY = "summary.json"


@dataclass(frozen=True)
class BatchSummary:
    """What `draft --each` produced."""

    total: int
    drafted: tuple[Path, ...]
    failed: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class _Job:
    source: Path
    target: Path
    fmt: str
    evidence: bool
    template_dir: Path | None
    columns: dict[str, str]
    charts: bool = True


_WORKER: dict[str, object] = {}


def _start_worker(settings: Settings) -> None:
    _WORKER["settings"] = settings
    _WORKER["classifier"] = StatementClassifier.load(settings.model_dir).for_settings(settings)


def _start_pool_worker(settings: Settings) -> None:
    """A worker process: one BLAS thread, then the models. The NER model's products use
    numpy's BLAS, which starts a thread per core in every process; two workers each
    running two threads on two cores were measured no faster than one process."""
    from threadpoolctl import threadpool_limits

    _WORKER["blas_limit"] = threadpool_limits(limits=1, user_api="blas")
    _start_worker(settings)


def _run(job: _Job) -> tuple[str, str]:
    """Draft one file; returns (target, "") or (source, one-line reason)."""
    settings = _WORKER["settings"]
    classifier = _WORKER["classifier"]
    assert isinstance(settings, Settings) and isinstance(classifier, StatementClassifier)
    try:
        briefing = draft_briefing(
            [job.source], columns=job.columns, settings=settings, classifier=classifier
        )
        content = render_briefing(
            briefing,
            job.fmt,
            evidence=job.evidence,
            template_dir=job.template_dir,
            charts=job.charts,
            taxonomy=load_taxonomy(settings.taxonomy_path),
        )
        write_bytes_atomic(job.target, content if isinstance(content, bytes) else content.encode())
    except BriefingError as exc:
        return str(job.source), str(exc)
    except OSError as exc:
        # A file that vanished or became unreadable while the batch ran: the others go on.
        return str(job.source), f"cannot be read ({exc.strerror}); check the file"
    return str(job.target), ""


def note_files(notes: Sequence[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The files to draft (given files, and the files directly inside given folders),
    and each given path that cannot be listed with its one-line reason."""
    files: list[Path] = []
    missing: list[tuple[str, str]] = []
    for path in map(Path, notes):
        try:
            if path.is_dir():
                files.extend(
                    sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
                )
            elif path.exists():
                files.append(path)
            else:
                missing.append((str(path), "not found; give notes files or folders of them"))
        except OSError as exc:
            missing.append((str(path), f"cannot be read ({exc.strerror}); check the path"))
    return files, missing


def draft_each(
    notes: Sequence[Path],
    out_dir: Path,
    fmt: str,
    *,
    settings: Settings,
    evidence: bool = False,
    template_dir: Path | None = None,
    columns: dict[str, str] | None = None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    charts: bool = True,
) -> BatchSummary:
    """Draft every notes file into `out_dir`, one briefing each.

    A file that cannot be drafted is listed in `failed` with its one-line reason; the
    others are still drafted. `progress(done, total)` is called after each file.
    """
    files, failed = note_files(notes)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"{out_dir}: cannot make the output folder ({exc.strerror}); choose another --out-dir"
        ) from None
    stems = [f.stem for f in files]
    inputs = {_resolved(f) for f in files}
    jobs = []
    for file in files:
        # Files named alike in different folders ("a/notes.txt", "b/notes.txt") keep apart.
        stem = f"{file.parent.name}-{file.stem}" if stems.count(file.stem) > 1 else file.stem
        target = out_dir / (stem + SUFFIXES[fmt])
        if _resolved(target) in inputs:
            failed.append(
                (
                    str(file),
                    f"its briefing would overwrite notes ({target}); choose another --out-dir",
                )
            )
            continue
        jobs.append(_Job(file, target, fmt, evidence, template_dir, columns or {}, charts))
    drafted: list[Path] = []
    for done, (name, problem) in enumerate(_results(jobs, settings, workers), start=1):
        if problem:
            failed.append((name, problem))
        else:
            drafted.append(Path(name))
        if progress:
            progress(done, len(jobs))
    summary = BatchSummary(
        total=len(drafted) + len(failed), drafted=tuple(drafted), failed=tuple(failed)
    )
    write_atomic(
        out_dir / SUMMARY,
        json.dumps(
            {
                "total": summary.total,
                "drafted": [str(p) for p in summary.drafted],
                "failed": [{"file": f, "error": e} for f, e in summary.failed],
            },
            indent=2,
        )
        + "\n",
    )
    return summary


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def _results(jobs: list[_Job], settings: Settings, workers: int) -> Iterator[tuple[str, str]]:
    workers = max(1, min(workers, os.cpu_count() or 1, len(jobs) or 1))
    if workers == 1:
        _start_worker(settings)
        yield from map(_run, jobs)
        return
    with ProcessPoolExecutor(workers, initializer=_start_pool_worker, initargs=(settings,)) as pool:
        yield from pool.map(_run, jobs, chunksize=max(1, len(jobs) // (workers * 8)))
