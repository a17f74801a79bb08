"""Reviewers' edits to a stored draft: each one a transaction with undo and redo.

An edit is a small JSON object, e.g. `{"kind": "move", "bullet": 12, "section": "worry"}`.
Kinds: text, status, move, themes, merge, split, add, reorder, impact, header, place (their
handlers are in review_edits.py), undo and redo (review_history.py). Every edit except
undo/redo stores before/after snapshots of the bullets it touched; changes of section or
themes and accepted bullets also become labelled feedback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from briefing_nlp.errors import InputError
from briefing_nlp.review_edits import HANDLERS, MAX_TEXT, id_field, neighbour
from briefing_nlp.review_history import HEADER_KEY, history, replay
from briefing_nlp.review_redact import redact_typed, typed_notice
from briefing_nlp.store import Store
from briefing_nlp.store_edits import EditRows

if TYPE_CHECKING:
    from briefing_nlp.redact import Redactor

# Edits whose "text" a reviewer typed: redacted before they are stored.
TYPED_KINDS = frozenset({"text", "add", "impact", "header"})
__all__ = ["HANDLERS", "TYPED_KINDS", "apply_edit"]


def apply_edit(
    store: Store,
    draft_id: int,
    edit: dict[str, Any],
    themes: tuple[str, ...],
    redactor: Redactor | None = None,
    reviewer: str = "",
) -> dict[str, Any]:
    """Apply one edit and return the draft's new state.

    Args:
        redactor: redacts what the reviewer typed (bullet words, impact, title, date,
            context) before it is stored, unless the edit says `"keep_as_typed": true`;
            the state then carries a `notice` saying what was replaced. None stores the
            text as typed (the app run with --no-redact).
        reviewer: who makes the edit (the app's per-browser token); undo and redo
            replay this reviewer's own edits only.

    Raises:
        InputError: the edit names an unknown kind, bullet, section or theme.
    """
    edit, notice = _redacted(edit, redactor)
    with store.lock:
        current = store.revision(draft_id)  # raises if there is no such draft
        seen = edit.get("base_revision")
        stale = isinstance(seen, int) and seen != current
        kind = edit.get("kind")
        if not isinstance(kind, str):
            raise InputError(f"edit field 'kind' must be text, got {kind!r}")
        if kind in ("undo", "redo"):
            replay(store, draft_id, undo=kind == "undo", reviewer=reviewer)
        elif kind in HANDLERS:
            _record(store, draft_id, str(kind), edit, themes, reviewer)
        else:
            raise InputError(
                f"unknown edit kind {kind!r}; use one of {', '.join([*HANDLERS, 'undo', 'redo'])}"
            )
        # Last write wins; a tab that edited an older copy learns it was out of date.
        return {
            **store.draft(draft_id),
            **history(store, draft_id, reviewer),
            "stale": stale,
            "notice": notice,
        }


def _redacted(edit: dict[str, Any], redactor: Redactor | None) -> tuple[dict[str, Any], str]:
    """The edit with its typed text redacted, and the notice for the reviewer ("" if
    nothing was replaced)."""
    text, kind = edit.get("text"), edit.get("kind")
    if (
        redactor is None
        or not isinstance(kind, str)
        or kind not in TYPED_KINDS
        or not isinstance(text, str)
        or len(text) > MAX_TEXT  # refused by the edit itself; not worth redacting
        or edit.get("keep_as_typed") is True
    ):
        return edit, ""
    typed = redact_typed(text, redactor, is_date=kind == "header" and edit.get("field") == "date")
    if not typed.changes:
        return edit, ""
    where = {"text": "the bullet", "add": "the new bullet", "impact": "the impact"}.get(
        str(kind), f"the {edit.get('field')}"
    )
    return {**edit, "text": typed.text}, typed_notice(where, typed)


def _record(
    store: Store,
    draft_id: int,
    kind: str,
    edit: dict[str, Any],
    themes: tuple[str, ...],
    reviewer: str,
) -> None:
    handler = HANDLERS[kind]
    with store.editing() as rows:
        touched = _touched(rows, draft_id, kind, edit)
        before: dict[str, Any] = {str(b): rows.snapshot(b) for b in touched}
        if kind == "header":
            before[HEADER_KEY] = rows.header(draft_id)
        edit_id = rows.start_edit(draft_id, kind, reviewer)
        created = handler(rows, draft_id, edit, themes, edit_id)
        touched = [*touched, *created]
        after: dict[str, Any] = {str(b): rows.snapshot(b) for b in touched}
        if kind == "header":
            after[HEADER_KEY] = rows.header(draft_id)
        before.update({str(b): None for b in created})
        rows.finish_edit(edit_id, before, after)
        rows.bump_revision(draft_id)
        rows.end_redo_chain(draft_id, reviewer)


def _touched(rows: EditRows, draft_id: int, kind: str, edit: dict[str, Any]) -> list[int]:
    if kind in ("add", "header"):
        return []
    if kind == "split":
        holder = rows.live_source_bullet(draft_id, id_field(edit, "source"))
        if holder is None:
            raise InputError(f"source statement {edit.get('source')!r} not found in this draft")
        return [holder]
    ids = [rows.bullet(draft_id, id_field(edit, "bullet"))["id"]]
    if kind == "merge":
        into = rows.bullet(draft_id, id_field(edit, "into"))["id"]
        if into == ids[0]:
            raise InputError("cannot merge a bullet into itself; pick another bullet")
        ids.append(into)
    if kind == "reorder":
        neighbour(rows, draft_id, ids[0], str(edit.get("direction")))  # validates direction
        section = rows.bullet(draft_id, ids[0])["section"]
        ids = rows.section_ids(draft_id, section)  # positions of all of them may change
    return ids
