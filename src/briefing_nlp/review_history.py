"""Undo and redo, each reviewer's own: the edits they made, newest first.

Reviewers are told apart by a token their browser keeps (the app sets it); edits made
before that (reviewer "") count as anyone's. An undo or redo that would overwrite a later
change by another reviewer to the same bullet (or title, date, context) is refused with
a message, never applied over their work.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from briefing_nlp.errors import InputError
from briefing_nlp.store import Store

HEADER_KEY = "header"  # in an edit's snapshots, beside the bullets' ids
KIND_LABELS = {
    "text": "edited a bullet's words",
    "status": "accepted or rejected a bullet",
    "move": "moved a bullet to another section",
    "themes": "changed a bullet's themes",
    "merge": "merged two bullets",
    "split": "moved a statement out to its own bullet",
    "add": "added a bullet",
    "reorder": "reordered bullets",
    "impact": "changed a worry's impact",
    "header": "edited the title, date or context",
    "place": "added a one-record finding to the briefing or set one aside",
}


def _overwrites(store: Store, draft_id: int, edit: sqlite3.Row) -> bool:
    """Whether a later edit still in force touched what `edit` would restore."""
    keys = set(json.loads(edit["before"]))
    for later in store.later_edits(draft_id, edit["id"]):
        if keys & (set(json.loads(later["before"])) | set(json.loads(later["after"]))):
            return True
    return False


def replay(store: Store, draft_id: int, undo: bool, reviewer: str = "") -> None:
    """Undo the reviewer's latest edit in force, or redo their latest undone one.

    Raises:
        InputError: nothing of theirs to undo or redo, or another reviewer has since
            changed what it would restore.
    """
    verb = "undo" if undo else "redo"
    row = store.next_edit(draft_id, reviewer, undo)
    if row is None:
        raise InputError(f"nothing of yours to {verb}")
    if _overwrites(store, draft_id, row):
        raise InputError(
            f"cannot {verb} your last change ({KIND_LABELS.get(row['kind'], row['kind'])}): "
            "another reviewer has changed the same bullet since; edit it by hand instead"
        )
    snapshots = json.loads(row["before" if undo else "after"])
    with store.editing() as rows:
        for key, snap in snapshots.items():
            if key == HEADER_KEY:
                rows.set_header(draft_id, snap)
            else:
                rows.restore(int(key), snap)
        rows.mark_undone(row["id"], undo)
        rows.bump_revision(draft_id)


def history(store: Store, draft_id: int, reviewer: str) -> dict[str, Any]:
    """What the reviewer's Undo and Redo buttons would do, for the page to say."""
    with store.reading():
        undo = store.next_edit(draft_id, reviewer, undo=True)
        redo = store.next_edit(draft_id, reviewer, undo=False)
    return {
        "can_undo": undo is not None,
        "can_redo": redo is not None,
        "undo_label": f"Undo your last change: {KIND_LABELS.get(undo['kind'], '')}" if undo else "",
        "redo_label": f"Redo your change: {KIND_LABELS.get(redo['kind'], '')}" if redo else "",
    }
