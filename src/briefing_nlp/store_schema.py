"""The review database's schema, one migration per version (PRAGMA user_version).

A migration is SQL, or a function for a change SQL alone cannot make. Old databases are
upgraded in place when the store opens them; every migration runs in one transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

from briefing_nlp.counts import split_count_phrase


def words_only(bullet: dict[str, Any]) -> str:
    """A bullet's wording without its count phrase, from a version-2 row or snapshot.

    Version 2 kept the shown text (with the count as it was when last written) and, for
    drafted bullets, the auditors' wording. A reviewer's edit lived only in the text, so
    for an edited bullet the words are the text less any count phrase in it.
    """
    if bullet["suggested"]:
        return str(bullet["text"])
    wording, phrase = split_count_phrase(str(bullet["text"]))
    if bullet["edited"]:
        return wording or str(bullet["text"])  # a text that was nothing but a count
    return wording if phrase and wording else str(bullet["wording"])


def _wording_without_counts(db: sqlite3.Connection) -> None:
    """3: bullets keep only their wording; the count phrase is rendered from support on
    every read, so an earlier text edit can no longer hold a stale "(11 of 14)"."""
    for row in db.execute("SELECT id, text, wording, suggested, edited FROM bullets").fetchall():
        db.execute("UPDATE bullets SET wording = ? WHERE id = ?", (words_only(dict(row)), row[0]))
    # Undo and redo restore snapshots: they must hold the same wording.
    for edit_id, before, after in db.execute("SELECT id, before, after FROM edits").fetchall():
        snapshots = [json.loads(before), json.loads(after)]
        for snaps in snapshots:
            for snap in snaps.values():
                if snap is not None and "text" in snap:
                    snap["wording"] = words_only(snap)
                    del snap["text"]
        db.execute(
            "UPDATE edits SET before = ?, after = ? WHERE id = ?",
            (json.dumps(snapshots[0]), json.dumps(snapshots[1]), edit_id),
        )
    db.execute("ALTER TABLE bullets DROP COLUMN text")


def _impact(db: sqlite3.Connection) -> None:
    """4: a worry keeps its impact ("Impact: ...") and whether it is the theme's suggested
    one; a reviewer may keep, edit or drop it. Undo snapshots gain the same fields, so
    undoing an edit made before the upgrade restores a bullet without an impact."""
    db.execute("ALTER TABLE bullets ADD COLUMN impact TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE bullets ADD COLUMN impact_suggested INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE bullets ADD COLUMN impact_kept INTEGER NOT NULL DEFAULT 0")
    for edit_id, before, after in db.execute("SELECT id, before, after FROM edits").fetchall():
        snapshots = [json.loads(before), json.loads(after)]
        for snaps in snapshots:
            for snap in snaps.values():
                if snap is not None:
                    snap.setdefault("impact", "")
                    snap.setdefault("impact_suggested", 0)
                    snap.setdefault("impact_kept", 0)
        db.execute(
            "UPDATE edits SET before = ?, after = ? WHERE id = ?",
            (json.dumps(snapshots[0]), json.dumps(snapshots[1]), edit_id),
        )


def _one_record(db: sqlite3.Connection) -> None:
    """6: a one-record finding the draft was not sure of is kept aside (listed as "seen
    in one record", not in the briefing) until a reviewer adds it back. Undo snapshots
    gain the field, so undoing an older edit leaves a bullet where it was."""
    db.execute("ALTER TABLE bullets ADD COLUMN aside INTEGER NOT NULL DEFAULT 0")
    for edit_id, before, after in db.execute("SELECT id, before, after FROM edits").fetchall():
        snapshots = [json.loads(before), json.loads(after)]
        for snaps in snapshots:
            for snap in snaps.values():
                if snap is not None and "section" in snap:
                    snap.setdefault("aside", 0)
        db.execute(
            "UPDATE edits SET before = ?, after = ? WHERE id = ?",
            (json.dumps(snapshots[0]), json.dumps(snapshots[1]), edit_id),
        )


MIGRATIONS: tuple[str | Callable[[sqlite3.Connection], None], ...] = (
    """
    CREATE TABLE drafts (
        id INTEGER PRIMARY KEY, title TEXT NOT NULL, date TEXT NOT NULL,
        context TEXT NOT NULL, grades TEXT NOT NULL, created_at TEXT NOT NULL);
    CREATE TABLE records (
        draft_id INTEGER NOT NULL REFERENCES drafts(id), ordinal INTEGER NOT NULL,
        label TEXT NOT NULL, PRIMARY KEY (draft_id, ordinal));
    CREATE TABLE bullets (
        id INTEGER PRIMARY KEY, draft_id INTEGER NOT NULL REFERENCES drafts(id),
        section TEXT NOT NULL, position REAL NOT NULL, text TEXT NOT NULL,
        wording TEXT NOT NULL, themes TEXT NOT NULL, support TEXT NOT NULL,
        confidence REAL NOT NULL, suggested INTEGER NOT NULL, edited INTEGER NOT NULL,
        status TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE sources (
        id INTEGER PRIMARY KEY, bullet_id INTEGER NOT NULL REFERENCES bullets(id),
        record INTEGER NOT NULL, text TEXT NOT NULL, is_primary INTEGER NOT NULL);
    CREATE TABLE unplaced (
        draft_id INTEGER NOT NULL REFERENCES drafts(id), record INTEGER NOT NULL,
        text TEXT NOT NULL);
    CREATE TABLE edits (
        id INTEGER PRIMARY KEY, draft_id INTEGER NOT NULL REFERENCES drafts(id),
        kind TEXT NOT NULL, before TEXT NOT NULL, after TEXT NOT NULL,
        undone INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL);
    CREATE TABLE feedback (
        id INTEGER PRIMARY KEY, draft_id INTEGER NOT NULL, edit_id INTEGER NOT NULL,
        text TEXT NOT NULL, section TEXT NOT NULL, themes TEXT NOT NULL,
        reason TEXT NOT NULL, withdrawn INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL);
    CREATE INDEX bullets_by_draft ON bullets(draft_id);
    CREATE INDEX sources_by_bullet ON sources(bullet_id);
    CREATE INDEX edits_by_draft ON edits(draft_id);
    """,
    # 2: a revision per draft, so a tab editing an old copy of the draft is told to reload.
    """
    ALTER TABLE drafts ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
    """,
    _wording_without_counts,
    _impact,
    # 5: who made each edit (a per-browser token), so undo replays a reviewer's own edits.
    """
    ALTER TABLE edits ADD COLUMN reviewer TEXT NOT NULL DEFAULT '';
    """,
    _one_record,
    # 7: each record's (redacted) text and where each source sits in it, so the review
    # app can show the whole record beside a bullet. Drafts stored before keep ''/-1.
    """
    ALTER TABLE records ADD COLUMN source TEXT NOT NULL DEFAULT '';
    ALTER TABLE sources ADD COLUMN span_start INTEGER NOT NULL DEFAULT -1;
    ALTER TABLE sources ADD COLUMN span_end INTEGER NOT NULL DEFAULT -1;
    """,
)


def migrate(db: sqlite3.Connection, version: int) -> None:
    """Run migration `version` (1-based) on `db`, inside the caller's transaction."""
    step = MIGRATIONS[version - 1]
    if callable(step):
        step(db)
        return
    for statement in filter(str.strip, step.split(";")):
        db.execute(statement)
