"""Exports of a reviewed draft, saying how many of its bullets nobody reviewed.

Shared by the review app's export links and `briefing-nlp review export`; rejected bullets
are left out, pending ones go out as drafted and are counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing_nlp.errors import InputError
from briefing_nlp.render import render_briefing
from briefing_nlp.statements_io import write_atomic, write_bytes_atomic
from briefing_nlp.store import Store, default_db_path, to_briefing
from briefing_nlp.taxonomy import Taxonomy

EXPORT_FORMATS = ("docx", "md", "html", "json")


def existing_store(db_path: Path | None, prevalence_scale: str) -> Store:
    """The review database at `db_path` (default: the per-user file), which must exist.

    Raises:
        InputError: there is no database there.
    """
    path = Path(db_path or default_db_path())
    if not path.is_file():
        raise InputError(
            f"{path}: no review database here; give --db or run `briefing-nlp serve` first"
        )
    return Store(path, prevalence_scale)


@dataclass(frozen=True)
class Export:
    """A reviewed draft rendered for export, and how much of it nobody reviewed."""

    content: str | bytes
    bullets: int  # bullets in the draft, rejected ones included
    unreviewed: int  # bullets nobody accepted or rejected (exported as drafted)

    @property
    def message(self) -> str:
        """One line for the person exporting: how far the review got, as the review page's
        progress line says it, and what they are about to send on unread."""
        progress = f"{self.bullets - self.unreviewed} of {self.bullets} reviewed"
        if not self.unreviewed:
            return f"{progress}: all {self.bullets} bullets were reviewed"
        verb = "was" if self.unreviewed == 1 else "were"
        return (
            f"{progress}; {self.unreviewed} of {self.bullets} bullets {verb} never reviewed "
            "(neither accepted nor rejected) and are exported as drafted"
        )


def unreviewed(state: dict[str, Any]) -> tuple[int, int]:
    """(bullets still pending, all bullets) in a draft's briefing; findings seen in one
    record and left aside are not in it, so not counted."""
    bullets = [b for section in state["sections"].values() for b in section if not b["aside"]]
    return sum(b["status"] == "pending" for b in bullets), len(bullets)


def export_draft(
    store: Store,
    draft_id: int,
    fmt: str,
    evidence: bool = False,
    taxonomy: Taxonomy | None = None,
) -> Export:
    """The draft as reviewed so far, in `fmt` (docx, md, html, json); rejected bullets
    left out.

    Raises:
        InputError: no draft has this id.
        TemplateError: `fmt` is not a format the renderers know.
    """
    state = store.draft(draft_id)
    pending, total = unreviewed(state)
    # The user's taxonomy names the chart's themes, as it named the draft's.
    content = render_briefing(to_briefing(state), fmt, evidence=evidence, taxonomy=taxonomy)
    return Export(content=content, bullets=total, unreviewed=pending)


def export_stored_draft(
    db_path: Path | None,
    draft_id: int,
    output: Path,
    prevalence_scale: str,
    taxonomy: Taxonomy | None = None,
) -> Export:
    """Write a stored draft, as reviewed so far, to `output` (the suffix sets the format).

    Raises:
        InputError: no database or draft, or an unknown suffix; nothing is written then.
    """
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in EXPORT_FORMATS:
        raise InputError(
            f"{output}: unknown export format {output.suffix or '(none)'}; "
            f"use {', '.join('.' + f for f in EXPORT_FORMATS)}"
        )
    store = existing_store(db_path, prevalence_scale)
    try:
        exported = export_draft(
            store, draft_id, fmt, evidence=fmt in ("md", "html"), taxonomy=taxonomy
        )
    finally:
        store.close()
    if isinstance(exported.content, bytes):
        write_bytes_atomic(output, exported.content)
    else:
        write_atomic(output, exported.content)
    return exported


def stored_drafts(db_path: Path | None, prevalence_scale: str) -> list[str]:
    """One line per stored draft, newest first: number, created, bullets, title.

    Raises:
        InputError: there is no review database at `db_path`.
    """
    store = existing_store(db_path, prevalence_scale)
    try:
        return [
            f"{d.id}\t{d.created_at}\t{d.bullets} bullets\t{d.title or '(untitled)'}"
            for d in store.list_drafts()
        ]
    finally:
        store.close()


def delete_stored_draft(db_path: Path | None, draft_id: int, prevalence_scale: str) -> str:
    """Delete a stored draft with its edits, history and feedback; returns its title.

    Raises:
        InputError: there is no review database at `db_path`, or no such draft.
    """
    store = existing_store(db_path, prevalence_scale)
    try:
        return store.delete_draft(draft_id).title
    finally:
        store.close()
