"""The review store: drafts, bullets, sources and every edit, in SQLite (WAL).

Each edit runs in one transaction and records before/after snapshots of the bullets it
touched, so undo and redo replay snapshots and a restart loses nothing. Changes of a
statement's section or themes, and accepted bullets, are kept as labelled feedback
(withdrawn again if the edit is undone). Migrations are versioned with user_version.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing_nlp.counts import render_text, split_count_phrase
from briefing_nlp.datatypes import Briefing
from briefing_nlp.errors import NotFoundError, StorageError
from briefing_nlp.store_edits import EditRows, later_edits, next_edit, now
from briefing_nlp.store_files import make_private, open_to_others, writable
from briefing_nlp.store_schema import MIGRATIONS, migrate
from briefing_nlp.taxonomy import BRIEFING_SECTIONS
from briefing_nlp.wording import parse_scale

BUSY_TIMEOUT_MS = 5000
STATUSES = ("pending", "accepted", "rejected")


def database_problem(exc: sqlite3.Error) -> str:
    """A sqlite error as a sentence a reviewer can act on."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return (
            "the review database is locked by another program (another review app or a "
            "backup?); close it and try again"
        )
    if "not a database" in text or "malformed" in text:
        return f"not a usable review database ({text}); move the file aside or choose another --db"
    if "readonly" in text or "read-only" in text:
        return "the review database is read-only; make it writable or choose another --db"
    return f"cannot use the review database ({text}); check the --db path and its permissions"


def default_db_path() -> Path:
    """A per-user data file: $BRIEFING_NLP_DB, else the XDG data folder."""
    if os.environ.get("BRIEFING_NLP_DB"):
        return Path(os.environ["BRIEFING_NLP_DB"])
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "briefing-nlp" / "review.sqlite3"


@dataclass(frozen=True)
class DraftSummary:
    """A line in the list of earlier drafts."""

    id: int
    title: str
    date: str
    created_at: str
    bullets: int
    records: int = 0
    reviewed: int = 0  # bullets accepted or rejected

    @property
    def progress(self) -> str:
        """ "12 of 30 reviewed", as the review page's progress line says it."""
        return f"{self.reviewed} of {self.bullets} reviewed"


class Store:
    """All reads and writes of the review database."""

    def __init__(self, path: Path, prevalence_scale: str) -> None:
        self.path = Path(path)
        self.scale = parse_scale(prevalence_scale)
        # One connection shared by the app's threads: the lock keeps each transaction
        # (and each multi-query read) whole.
        self._lock = threading.RLock()
        if self.path.exists() and not writable(self.path):
            raise StorageError(
                f"{self.path}: the review database is read-only; make it writable "
                f"(chmod u+w) or choose another --db"
            )
        # Case notes: the folder and the file are the owner's alone when made here, and
        # an existing one others can read is reported (not silently changed).
        self.warnings = [w for w in (open_to_others(self.path),) if w]
        try:
            make_private(self.path)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            self._db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            # A deleted draft's text is overwritten, not left in free pages of the file.
            self._db.execute("PRAGMA secure_delete=ON")
            self._migrate()
        except sqlite3.Error as exc:
            raise StorageError(f"{self.path}: {database_problem(exc)}") from None

    def close(self) -> None:
        self._db.close()

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StorageError(
                f"{self.path}: made by a newer briefing-nlp (schema {version}); upgrade first"
            )
        with self._transaction():
            pass  # can we write at all? (read-only media, another writer holding a lock)
        for number in range(version + 1, len(MIGRATIONS) + 1):
            with self._transaction():
                migrate(self._db, number)
                self._db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextmanager
    def editing(self) -> Iterator[EditRows]:
        """One edit's transaction: the rows the review rules change, all or nothing."""
        with self._transaction() as db:
            yield EditRows(db)

    def next_edit(self, draft_id: int, reviewer: str, undo: bool) -> sqlite3.Row | None:
        """The reviewer's latest edit in force (undo) or latest undone one (redo)."""
        with self._lock:
            return next_edit(self._db, draft_id, reviewer, undo)

    def later_edits(self, draft_id: int, edit_id: int) -> list[sqlite3.Row]:
        """Edits in force made after this one, by anyone."""
        with self._lock:
            return later_edits(self._db, draft_id, edit_id)

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A consistent view across several queries (no other thread's write in between)."""
        with self._lock:
            if self._db.in_transaction:
                yield self._db
                return
            self._db.execute("BEGIN")
            try:
                yield self._db
            finally:
                self._db.execute("COMMIT")

    def revision(self, draft_id: int) -> int:
        """How many changes the draft has had; raises NotFoundError if there is no such draft."""
        with self._lock:
            row = self._db.execute(
                "SELECT revision FROM drafts WHERE id = ?", (draft_id,)
            ).fetchone()
        if row is None:
            raise NotFoundError(f"draft {draft_id} not found; it may have been deleted")
        return int(row["revision"])

    # --- drafts -------------------------------------------------------------------

    def add_draft(self, briefing: Briefing) -> int:
        """Store a freshly drafted briefing; returns its id."""
        with self._transaction() as db:
            draft_id = db.execute(
                "INSERT INTO drafts (title, date, context, grades, created_at) VALUES (?,?,?,?,?)",
                (
                    briefing.title,
                    briefing.date,
                    briefing.context,
                    json.dumps({g: list(r) for g, r in briefing.grades.items()}),
                    now(),
                ),
            ).lastrowid
            assert draft_id is not None
            db.executemany(
                "INSERT INTO records (draft_id, ordinal, label, source) VALUES (?,?,?,?)",
                [
                    (draft_id, o, label, briefing.record_texts.get(o, ""))
                    for o, label in briefing.records
                ],
            )
            for section in BRIEFING_SECTIONS:
                drafted = briefing.sections.get(section, ())
                aside = briefing.one_record.get(section, ())
                for position, bullet in enumerate((*drafted, *aside)):
                    bullet_id = EditRows(db).insert_bullet(
                        draft_id,
                        {
                            "section": section,
                            "position": float(position),
                            "wording": bullet.wording
                            or (
                                bullet.text
                                if bullet.suggested
                                else split_count_phrase(bullet.text)[0]
                            ),
                            "themes": list(bullet.themes),
                            "support": list(bullet.support),
                            "confidence": bullet.confidence,
                            "suggested": bullet.suggested,
                            "edited": False,
                            "status": "pending",
                            "impact": bullet.impact if section == "worry" else "",
                            "impact_suggested": bullet.impact_suggested,
                            "aside": position >= len(drafted),
                        },
                    )
                    db.executemany(
                        "INSERT INTO sources (bullet_id, record, text, is_primary, span_start, "
                        "span_end) VALUES (?,?,?,?,?,?)",
                        [
                            (bullet_id, s.record, s.text, int(s.primary), s.start, s.end)
                            for s in bullet.sources
                        ],
                    )
            db.executemany(
                "INSERT INTO unplaced (draft_id, record, text) VALUES (?,?,?)",
                [(draft_id, s.record, s.text) for s in briefing.unplaced],
            )
        return int(draft_id)

    def delete_draft(self, draft_id: int) -> DraftSummary:
        """Delete a draft with everything it holds: bullets, sources, records, edits (its
        history, with their snapshots) and the corrections it gave as feedback.

        Raises:
            NotFoundError: no draft has this id.
        """
        with self._transaction() as db:
            summary = next((d for d in self.list_drafts() if d.id == draft_id), None)
            if summary is None:
                raise NotFoundError(f"draft {draft_id} not found; it may have been deleted")
            bullets = "SELECT id FROM bullets WHERE draft_id = ?"
            db.execute(f"DELETE FROM sources WHERE bullet_id IN ({bullets})", (draft_id,))
            for table in ("bullets", "records", "unplaced", "edits", "feedback"):
                db.execute(f"DELETE FROM {table} WHERE draft_id = ?", (draft_id,))
            db.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))
        # Out of the write-ahead log too, so the text is gone from every file now.
        with self._lock:
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return summary

    def record(self, draft_id: int, ordinal: int) -> dict[str, Any]:
        """One record of a draft: its label and its (redacted) text ('' for drafts stored
        before records kept their text).

        Raises:
            NotFoundError: no such draft, or no such record in it.
        """
        with self.reading():
            row = self._db.execute(
                "SELECT ordinal, label, source FROM records WHERE draft_id = ? AND ordinal = ?",
                (draft_id, ordinal),
            ).fetchone()
        if row is None:
            raise NotFoundError(f"record {ordinal} of draft {draft_id} not found")
        return {"ordinal": row["ordinal"], "label": row["label"], "text": row["source"]}

    def list_drafts(self) -> list[DraftSummary]:
        # A bullet in the briefing: not deleted, and not a one-record finding set aside.
        briefed = (
            "b.draft_id = d.id AND b.deleted = 0 "
            "AND (b.aside = 0 OR json_array_length(b.support) > 1)"
        )
        with self._lock:
            rows = self._db.execute(
                "SELECT d.id, d.title, d.date, d.created_at, "
                f"(SELECT COUNT(*) FROM bullets b WHERE {briefed}) AS n, "
                "(SELECT COUNT(*) FROM records r WHERE r.draft_id = d.id) AS records, "
                f"(SELECT COUNT(*) FROM bullets b WHERE {briefed} AND b.status != 'pending') "
                "AS reviewed FROM drafts d ORDER BY d.id DESC"
            ).fetchall()
        return [
            DraftSummary(
                r["id"], r["title"], r["date"], r["created_at"], r["n"], r["records"], r["reviewed"]
            )
            for r in rows
        ]

    def draft(self, draft_id: int) -> dict[str, Any]:
        """The draft's current state, as the review page and exports need it.

        Raises:
            NotFoundError: no draft has this id.
        """
        with self.reading():
            return self._draft(draft_id)

    def _draft(self, draft_id: int) -> dict[str, Any]:
        row = self._db.execute("SELECT * FROM drafts WHERE id = ?", (draft_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"draft {draft_id} not found; it may have been deleted")
        records = [
            {"ordinal": r["ordinal"], "label": r["label"]}
            for r in self._db.execute(
                "SELECT ordinal, label FROM records WHERE draft_id = ? ORDER BY ordinal",
                (draft_id,),
            )
        ]
        labels = {r["ordinal"]: r["label"] for r in records}
        total = len(records)
        sections: dict[str, list[dict[str, Any]]] = {s: [] for s in BRIEFING_SECTIONS}
        for bullet in self._db.execute(
            "SELECT * FROM bullets WHERE draft_id = ? AND deleted = 0 ORDER BY position, id",
            (draft_id,),
        ).fetchall():
            sections[bullet["section"]].append(self._bullet_json(bullet, labels, total))
        edits = self._db.execute(
            "SELECT SUM(undone = 0) AS done, SUM(undone = 1) AS undone FROM edits "
            "WHERE draft_id = ?",
            (draft_id,),
        ).fetchone()
        return {
            "id": draft_id,
            "title": row["title"],
            "date": row["date"],
            "context": row["context"],
            "grades": json.loads(row["grades"]),
            "records": records,
            "sections": sections,
            "unplaced": [
                {"record": r["record"], "label": labels.get(r["record"], ""), "text": r["text"]}
                for r in self._db.execute(
                    "SELECT record, text FROM unplaced WHERE draft_id = ?", (draft_id,)
                )
            ],
            "revision": row["revision"],
            "can_undo": bool(edits["done"]),
            "can_redo": bool(edits["undone"]),
        }

    def _bullet_json(
        self, bullet: sqlite3.Row, labels: dict[int, str], total: int
    ) -> dict[str, Any]:
        sources = [
            {
                "id": s["id"],
                "record": s["record"],
                "label": labels.get(s["record"], ""),
                "text": s["text"],
                "primary": bool(s["is_primary"]),
                # Where the statement sits in its record's text (-1: not known).
                "start": s["span_start"],
                "end": s["span_end"],
            }
            for s in self._db.execute(
                "SELECT * FROM sources WHERE bullet_id = ? ORDER BY record, id", (bullet["id"],)
            )
        ]
        support = json.loads(bullet["support"])
        # The count phrase is rendered here, from the support of this moment, never stored.
        text = render_text(
            bullet["section"], bullet["wording"], support, total, self.scale, bullet["suggested"]
        )
        return {
            "id": bullet["id"],
            "section": bullet["section"],
            "text": text,
            "wording": bullet["wording"],
            "count_phrase": split_count_phrase(text)[1] if text != bullet["wording"] else "",
            "themes": json.loads(bullet["themes"]),
            "support": support,
            "confidence": bullet["confidence"],
            "suggested": bool(bullet["suggested"]),
            "edited": bool(bullet["edited"]),
            "status": bullet["status"],
            "sources": sources,
            # Only a worry says why it matters; a bullet moved elsewhere keeps its impact
            # (hidden) so moving it back, or undoing, brings it back.
            "impact": bullet["impact"] if bullet["section"] == "worry" else "",
            "impact_suggested": bool(bullet["impact_suggested"]),
            "impact_kept": bool(bullet["impact_kept"]),
            # Listed as seen in one record, not in the briefing: only while it is one
            # record's (a merge that gives it a second record puts it in the briefing).
            "aside": bool(bullet["aside"]) and len(support) <= 1 and not bullet["suggested"],
        }

    # --- feedback -------------------------------------------------------------------

    def feedback_rows(self, include_withdrawn: bool = False) -> list[dict[str, Any]]:
        """Labelled examples from reviewers' corrections, newest last."""
        query = "SELECT * FROM feedback" + ("" if include_withdrawn else " WHERE withdrawn = 0")
        return [
            {
                "text": r["text"],
                "section": r["section"],
                "themes": json.loads(r["themes"]),
                "reason": r["reason"],
                "draft_id": r["draft_id"],
            }
            for r in self._read(query + " ORDER BY id")
        ]

    def _read(self, query: str, *args: object) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(query, args).fetchall()

    @property
    def lock(self) -> threading.RLock:
        """Held for a whole edit (its checks, transaction and the state it returns)."""
        return self._lock


def to_briefing(state: dict[str, Any], include_rejected: bool = False) -> Briefing:
    """The stored, edited draft as a Briefing for the renderers (rejected bullets left out)."""
    from briefing_nlp.datatypes import Bullet, Source

    def bullet(b: dict[str, Any], section: str) -> Bullet:
        return Bullet(
            id=str(b["id"]),
            section=section,
            text=b["text"],
            themes=tuple(b["themes"]),
            support=tuple(b["support"]),
            sources=tuple(
                Source(s["record"], s["label"], s["text"], 0, 0, s["primary"]) for s in b["sources"]
            ),
            confidence=b["confidence"],
            suggested=b["suggested"],
            impact=b["impact"],
            impact_suggested=b["impact_suggested"] and bool(b["impact"]),
        )

    def kept(b: dict[str, Any]) -> bool:
        return include_rejected or b["status"] != "rejected"

    sections = {
        section: tuple(bullet(b, section) for b in bullets if kept(b) and not b.get("aside"))
        for section, bullets in state["sections"].items()
    }
    one_record = {
        section: aside
        for section, bullets in state["sections"].items()
        if (aside := tuple(bullet(b, section) for b in bullets if kept(b) and b.get("aside")))
    }
    return Briefing(
        title=state["title"],
        date=state["date"],
        context=state["context"],
        records=tuple((r["ordinal"], r["label"]) for r in state["records"]),
        sections=sections,
        grades={g: tuple(r) for g, r in state["grades"].items()},
        unplaced=tuple(Source(u["record"], u["label"], u["text"], 0, 0) for u in state["unplaced"]),
        one_record=one_record,
    )
