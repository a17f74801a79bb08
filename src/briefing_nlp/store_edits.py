"""The review database's rows as the review rules change them: every query an edit, undo
or redo makes, named for what it does, inside one transaction (`Store.editing`).

The rules (review.py, review_edits.py, review_history.py) decide what an edit means; this
module alone knows the tables. Support is written here only as the records of a bullet's
sources; the count phrase is rendered from it on every read (counts.py).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from briefing_nlp.errors import InputError


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class EditRows:
    """One open write transaction on the review database."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    # --- bullets and their sources ----------------------------------------------------

    def bullet(self, draft_id: int, bullet_id: int) -> sqlite3.Row:
        """A live bullet of the draft.

        Raises:
            InputError: no such bullet in this draft (or it was deleted).
        """
        row = self._db.execute(
            "SELECT * FROM bullets WHERE id = ? AND draft_id = ? AND deleted = 0",
            (bullet_id, draft_id),
        ).fetchone()
        if row is None:
            raise InputError(f"bullet {bullet_id} not found in draft {draft_id}")
        return row

    def section_ids(self, draft_id: int, section: str) -> list[int]:
        """The live bullets of a section, in their order."""
        return [
            r[0]
            for r in self._db.execute(
                "SELECT id FROM bullets WHERE draft_id = ? AND section = ? AND deleted = 0 "
                "ORDER BY position, id",
                (draft_id, section),
            )
        ]

    def next_position(self, draft_id: int, section: str) -> float:
        """A position after every bullet of the section."""
        return float(
            self._db.execute(
                "SELECT COALESCE(MAX(position), 0) + 1 FROM bullets "
                "WHERE draft_id = ? AND section = ?",
                (draft_id, section),
            ).fetchone()[0]
        )

    def insert_bullet(self, draft_id: int, values: dict[str, Any]) -> int:
        """A new bullet; returns its id."""
        cursor = self._db.execute(
            "INSERT INTO bullets (draft_id, section, position, wording, themes, support, "
            "confidence, suggested, edited, status, impact, impact_suggested, aside) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                draft_id,
                values["section"],
                values["position"],
                values["wording"],
                json.dumps(values["themes"]),
                json.dumps(values["support"]),
                values["confidence"],
                int(values["suggested"]),
                int(values["edited"]),
                values["status"],
                values.get("impact", ""),
                int(values.get("impact_suggested", False)),
                int(values.get("aside", False)),
            ),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def set_wording(self, bullet_id: int, wording: str) -> None:
        self._db.execute(
            "UPDATE bullets SET wording = ?, edited = 1 WHERE id = ?", (wording, bullet_id)
        )

    def set_status(self, bullet_id: int, status: str) -> None:
        self._db.execute("UPDATE bullets SET status = ? WHERE id = ?", (status, bullet_id))

    def place(self, bullet_id: int, section: str, position: float) -> None:
        self._db.execute(
            "UPDATE bullets SET section = ?, position = ? WHERE id = ?",
            (section, position, bullet_id),
        )

    def set_positions(self, ids: Sequence[int]) -> None:
        """Number the bullets 0, 1, 2, ... in the order given."""
        self._db.executemany(
            "UPDATE bullets SET position = ? WHERE id = ?",
            [(float(i), bullet_id) for i, bullet_id in enumerate(ids)],
        )

    def set_themes(self, bullet_id: int, themes: Sequence[str]) -> None:
        self._db.execute(
            "UPDATE bullets SET themes = ? WHERE id = ?", (json.dumps(list(themes)), bullet_id)
        )

    def set_aside(self, bullet_id: int, aside: bool) -> None:
        self._db.execute("UPDATE bullets SET aside = ? WHERE id = ?", (int(aside), bullet_id))

    def delete(self, bullet_id: int) -> None:
        self._db.execute("UPDATE bullets SET deleted = 1 WHERE id = ?", (bullet_id,))

    def records(self, bullet_id: int) -> list[int]:
        """The distinct records of the bullet's sources: its support."""
        return sorted(
            {
                r[0]
                for r in self._db.execute(
                    "SELECT record FROM sources WHERE bullet_id = ?", (bullet_id,)
                )
            }
        )

    def set_support(self, bullet_id: int, support: Sequence[int]) -> None:
        self._db.execute(
            "UPDATE bullets SET support = ? WHERE id = ?", (json.dumps(list(support)), bullet_id)
        )

    def source(self, source_id: int) -> sqlite3.Row | None:
        return self._db.execute("SELECT * FROM sources WHERE id = ?", (source_id,)).fetchone()

    def live_source_bullet(self, draft_id: int, source_id: int) -> int | None:
        """The live bullet of this draft that holds the source statement, if any."""
        row = self._db.execute(
            "SELECT s.bullet_id FROM sources s JOIN bullets b ON b.id = s.bullet_id "
            "WHERE s.id = ? AND b.draft_id = ? AND b.deleted = 0",
            (source_id, draft_id),
        ).fetchone()
        return None if row is None else int(row["bullet_id"])

    def move_sources(self, from_bullet: int, to_bullet: int) -> None:
        self._db.execute(
            "UPDATE sources SET bullet_id = ? WHERE bullet_id = ?", (to_bullet, from_bullet)
        )

    def move_source(self, source_id: int, to_bullet: int) -> None:
        """One statement to another bullet, as that bullet's own (primary) member."""
        self._db.execute(
            "UPDATE sources SET bullet_id = ?, is_primary = 1 WHERE id = ?", (to_bullet, source_id)
        )

    # --- a worry's impact -------------------------------------------------------------

    def inherit_impact(self, from_bullet: int, to_bullet: int) -> None:
        """A worry without an impact takes the one of the worry merged into it."""
        self._db.execute(
            "UPDATE bullets SET impact = d.impact, impact_suggested = d.impact_suggested, "
            "impact_kept = d.impact_kept FROM (SELECT * FROM bullets WHERE id = ?) AS d "
            "WHERE bullets.id = ? AND bullets.impact = ''",
            (from_bullet, to_bullet),
        )

    def keep_impact(self, bullet_id: int) -> None:
        self._db.execute("UPDATE bullets SET impact_kept = 1 WHERE id = ?", (bullet_id,))

    def drop_impact(self, bullet_id: int) -> None:
        self._db.execute(
            "UPDATE bullets SET impact = '', impact_suggested = 0, impact_kept = 0 WHERE id = ?",
            (bullet_id,),
        )

    def set_impact(self, bullet_id: int, words: str) -> None:
        """The reviewer's own impact words (no longer a suggestion)."""
        self._db.execute(
            "UPDATE bullets SET impact = ?, impact_suggested = 0, impact_kept = 1 WHERE id = ?",
            (words, bullet_id),
        )

    # --- the draft's title, date and context --------------------------------------------

    def header(self, draft_id: int) -> dict[str, str]:
        row = self._db.execute(
            "SELECT title, date, context FROM drafts WHERE id = ?", (draft_id,)
        ).fetchone()
        return {"title": row["title"], "date": row["date"], "context": row["context"]}

    def set_header(self, draft_id: int, header: dict[str, str]) -> None:
        self._db.execute(
            "UPDATE drafts SET title = ?, date = ?, context = ? WHERE id = ?",
            (header["title"], header["date"], header["context"], draft_id),
        )

    def bump_revision(self, draft_id: int) -> None:
        """The draft has changed (pages polling its revision reload)."""
        self._db.execute("UPDATE drafts SET revision = revision + 1 WHERE id = ?", (draft_id,))

    # --- snapshots for undo and redo ----------------------------------------------------

    def snapshot(self, bullet_id: int) -> dict[str, Any] | None:
        """A live bullet and its sources as they are now (None if deleted)."""
        row = self._db.execute(
            "SELECT * FROM bullets WHERE id = ? AND deleted = 0", (bullet_id,)
        ).fetchone()
        if row is None:
            return None
        sources = [
            {"id": s["id"], "record": s["record"], "text": s["text"], "primary": s["is_primary"]}
            for s in self._db.execute("SELECT * FROM sources WHERE bullet_id = ?", (bullet_id,))
        ]
        return {**dict(row), "sources": sources}

    def restore(self, bullet_id: int, snap: dict[str, Any] | None) -> None:
        """Put a bullet back as a snapshot had it (None: delete it)."""
        if snap is None:
            self.delete(bullet_id)
            return
        self._db.execute(
            "UPDATE bullets SET section=?, position=?, wording=?, themes=?, support=?, "
            "confidence=?, suggested=?, edited=?, status=?, impact=?, impact_suggested=?, "
            "impact_kept=?, aside=?, deleted=0 WHERE id=?",
            (
                snap["section"],
                snap["position"],
                snap["wording"],
                snap["themes"],
                snap["support"],
                snap["confidence"],
                snap["suggested"],
                snap["edited"],
                snap["status"],
                snap["impact"],
                snap["impact_suggested"],
                snap["impact_kept"],
                snap.get("aside", 0),
                bullet_id,
            ),
        )
        for source in snap["sources"]:
            self._db.execute(
                "UPDATE sources SET bullet_id = ? WHERE id = ?", (bullet_id, source["id"])
            )

    # --- the edit log and the corrections it yields -----------------------------------

    def start_edit(self, draft_id: int, kind: str, reviewer: str) -> int:
        """A new entry in the edit log (its snapshots written by `finish_edit`)."""
        cursor = self._db.execute(
            "INSERT INTO edits (draft_id, kind, before, after, created_at, reviewer) "
            "VALUES (?,?,?,?,?,?)",
            (draft_id, kind, "{}", "{}", now(), reviewer),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def finish_edit(self, edit_id: int, before: dict[str, Any], after: dict[str, Any]) -> None:
        self._db.execute(
            "UPDATE edits SET before = ?, after = ? WHERE id = ?",
            (json.dumps(before), json.dumps(after), edit_id),
        )

    def mark_undone(self, edit_id: int, undone: bool) -> None:
        """An edit undone (or redone), and the corrections it gave withdrawn (or back)."""
        self._db.execute("UPDATE edits SET undone = ? WHERE id = ?", (int(undone), edit_id))
        self._db.execute(
            "UPDATE feedback SET withdrawn = ? WHERE edit_id = ?", (int(undone), edit_id)
        )

    def end_redo_chain(self, draft_id: int, reviewer: str) -> None:
        """A new edit ends its reviewer's redo chain, as in any editor (not other
        reviewers'); edits made before reviewers were told apart count as anyone's."""
        self._db.execute(
            "DELETE FROM edits WHERE draft_id = ? AND undone = 1 "
            "AND (reviewer = ? OR reviewer = '')",
            (draft_id, reviewer),
        )

    def add_feedback(self, draft_id: int, edit_id: int, bullet_id: int, reason: str) -> None:
        """Each of the bullet's own statements, labelled as the bullet now is, as a
        reviewer's correction to learn from."""
        bullet = self._db.execute("SELECT * FROM bullets WHERE id = ?", (bullet_id,)).fetchone()
        for source in self._db.execute(
            "SELECT text FROM sources WHERE bullet_id = ? AND is_primary = 1", (bullet_id,)
        ).fetchall():
            self._db.execute(
                "INSERT INTO feedback (draft_id, edit_id, text, section, themes, reason, "
                "created_at) VALUES (?,?,?,?,?,?,?)",
                (
                    draft_id,
                    edit_id,
                    source["text"],
                    bullet["section"],
                    bullet["themes"],
                    reason,
                    now(),
                ),
            )


def next_edit(
    db: sqlite3.Connection, draft_id: int, reviewer: str, undo: bool
) -> sqlite3.Row | None:
    """The reviewer's latest edit in force (to undo) or latest undone one (to redo)."""
    order = "DESC" if undo else "ASC"
    return db.execute(
        "SELECT * FROM edits WHERE draft_id = ? AND undone = ? "
        f"AND (reviewer = ? OR reviewer = '') ORDER BY id {order} LIMIT 1",
        (draft_id, 0 if undo else 1, reviewer),
    ).fetchone()


def later_edits(db: sqlite3.Connection, draft_id: int, edit_id: int) -> list[sqlite3.Row]:
    """Edits in force made after this one (by anyone)."""
    return db.execute(
        "SELECT before, after FROM edits WHERE draft_id = ? AND id > ? AND undone = 0",
        (draft_id, edit_id),
    ).fetchall()
