"""The edits a reviewer can make to a stored draft, one handler per kind.

Each handler runs inside the edit's transaction (see review.apply_edit), changes the
bullets it names and returns the ids of bullets it created; the count phrase is never
written, only support (counts.py renders the phrase on every read).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from briefing_nlp.counts import split_count_phrase
from briefing_nlp.errors import InputError
from briefing_nlp.store import STATUSES, Store, _now
from briefing_nlp.taxonomy import BRIEFING_SECTIONS

MAX_TEXT = 2000
HEADER_FIELDS = ("title", "date", "context")
MAX_ID = 2**62  # SQLite integers are 64-bit; larger ids cannot exist


def section_ids(store: Store, draft_id: int, section: str) -> list[int]:
    return [
        r[0]
        for r in store._db.execute(
            "SELECT id FROM bullets WHERE draft_id = ? AND section = ? AND deleted = 0 "
            "ORDER BY position, id",
            (draft_id, section),
        )
    ]


def id_field(edit: dict[str, Any], key: str) -> int:
    value = edit.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < MAX_ID:
        raise InputError(f"edit field {key!r} must be a bullet or source id, got {value!r}")
    return value


def bullet_row(store: Store, draft_id: int, bullet_id: int) -> Any:
    row = store._db.execute(
        "SELECT * FROM bullets WHERE id = ? AND draft_id = ? AND deleted = 0", (bullet_id, draft_id)
    ).fetchone()
    if row is None:
        raise InputError(f"bullet {bullet_id} not found in draft {draft_id}")
    return row


def _section(edit: dict[str, Any]) -> str:
    section = edit.get("section")
    if section not in BRIEFING_SECTIONS:
        raise InputError(f"section {section!r} unknown; use one of {', '.join(BRIEFING_SECTIONS)}")
    return str(section)


def _feedback(store: Store, draft_id: int, bullet_id: int, edit_id: int, reason: str) -> None:
    bullet = store._db.execute("SELECT * FROM bullets WHERE id = ?", (bullet_id,)).fetchone()
    for source in store._db.execute(
        "SELECT text FROM sources WHERE bullet_id = ? AND is_primary = 1", (bullet_id,)
    ).fetchall():
        store._db.execute(
            "INSERT INTO feedback (draft_id, edit_id, text, section, themes, reason, created_at) "
            "VALUES (?,?,?,?,?,?,?)",
            (
                draft_id,
                edit_id,
                source["text"],
                bullet["section"],
                bullet["themes"],
                reason,
                _now(),
            ),
        )


def _support(store: Store, bullet_id: int) -> list[int]:
    return sorted(
        {
            r[0]
            for r in store._db.execute(
                "SELECT record FROM sources WHERE bullet_id = ?", (bullet_id,)
            )
        }
    )


def _recount(store: Store, draft_id: int, bullet_id: int) -> None:
    """Support is the distinct records of the bullet's sources; the count phrase is
    rendered from it on every read (see counts.py), so nothing else needs rewording."""
    bullet = bullet_row(store, draft_id, bullet_id)
    if bullet["suggested"]:
        return  # a template action counts the records of the worry it answers
    store._db.execute(
        "UPDATE bullets SET support = ? WHERE id = ?",
        (json.dumps(_support(store, bullet_id)), bullet_id),
    )


def _words(text: str) -> str:
    """A reviewer's text as the bullet's wording. A count typed or left in goes: the count
    is always the records' (rendered from support on every read)."""
    wording = split_count_phrase(text)[0]
    if not wording.strip(" .,;:"):
        raise InputError("bullet text must say more than the count; write the finding itself")
    return wording


def _edit_text(
    store: Store, draft_id: int, edit: dict[str, Any], themes: tuple[str, ...], edit_id: int
) -> list[int]:
    text = edit.get("text")
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
        raise InputError(f"bullet text must be 1 to {MAX_TEXT} characters")
    store._db.execute(
        "UPDATE bullets SET wording = ?, edited = 1 WHERE id = ?",
        (_words(text), id_field(edit, "bullet")),
    )
    return []


def _status(
    store: Store, draft_id: int, edit: dict[str, Any], themes: tuple[str, ...], edit_id: int
) -> list[int]:
    status = edit.get("status")
    if status not in STATUSES:
        raise InputError(f"status {status!r} unknown; use one of {', '.join(STATUSES)}")
    bullet_id = id_field(edit, "bullet")
    store._db.execute("UPDATE bullets SET status = ? WHERE id = ?", (status, bullet_id))
    if status == "accepted":
        _feedback(store, draft_id, bullet_id, edit_id, "accepted")
    return []


def _move(
    store: Store, draft_id: int, edit: dict[str, Any], themes: tuple[str, ...], edit_id: int
) -> list[int]:
    bullet_id, section = id_field(edit, "bullet"), _section(edit)
    top = store._db.execute(
        "SELECT COALESCE(MAX(position), 0) + 1 FROM bullets WHERE draft_id = ? AND section = ?",
        (draft_id, section),
    ).fetchone()[0]
    store._db.execute(
        "UPDATE bullets SET section = ?, position = ? WHERE id = ?", (section, top, bullet_id)
    )
    _recount(store, draft_id, bullet_id)
    _feedback(store, draft_id, bullet_id, edit_id, "moved")
    return []


def _themes(
    store: Store, draft_id: int, edit: dict[str, Any], themes: tuple[str, ...], edit_id: int
) -> list[int]:
    chosen = edit.get("themes")
    if not isinstance(chosen, list) or not all(t in themes for t in chosen):
        raise InputError(f"themes must be a list of known themes: {', '.join(themes)}")
    bullet_id = id_field(edit, "bullet")
    store._db.execute(
        "UPDATE bullets SET themes = ? WHERE id = ?",
        (json.dumps(list(dict.fromkeys(chosen))), bullet_id),
    )
    _feedback(store, draft_id, bullet_id, edit_id, "themes")
    return []


def _merge(
    store: Store, draft_id: int, edit: dict[str, Any], themes: tuple[str, ...], edit_id: int
) -> list[int]:
    bullet_id, into = id_field(edit, "bullet"), id_field(edit, "into")
    store._db.execute("UPDATE sources SET bullet_id = ? WHERE bullet_id = ?", (into, bullet_id))
    merged = json.loads(bullet_row(store, draft_id, into)["themes"])
    merged += [
        t for t in json.loads(bullet_row(store, draft_id, bullet_id)["themes"]) if t not in merged
    ]
    store._db.execute("UPDATE bullets SET themes = ? WHERE id = ?", (json.dumps(merged), into))
    # A worry without an impact takes the one of the worry merged into it.
    store._db.execute(
        "UPDATE bullets SET impact = d.impact, impact_suggested = d.impact_suggested, "
        "impact_kept = d.impact_kept FROM (SELECT * FROM bullets WHERE id = ?) AS d "
        "WHERE bullets.id = ? AND bullets.impact = ''",
        (bullet_id, into),
    )
    store._db.execute("UPDATE bullets SET deleted = 1 WHERE id = ?", (bullet_id,))
    _recount(store, draft_id, into)
    return []


def _split(
    store: Store, draft_id: int, edit: dict[str, Any], themes: tuple[str, ...], edit_id: int
) -> list[int]:
    source_id = id_field(edit, "source")
    source = store._db.execute("SELECT * FROM sources WHERE id = ?", (source_id,)).fetchone()
    old = bullet_row(store, draft_id, source["bullet_id"])
    new_id = store._insert_bullet(
        store._db,
        draft_id,
        {
            "section": old["section"],
            "position": old["position"] + 0.5,
            "wording": source["text"],
            "themes": json.loads(old["themes"]),
            "support": [source["record"]],
            "confidence": old["confidence"],
            "suggested": False,
            "edited": False,
            "status": "pending",
        },
    )
    store._db.execute(
        "UPDATE sources SET bullet_id = ?, is_primary = 1 WHERE id = ?", (new_id, source_id)
    )
    _recount(store, draft_id, new_id)
    if _support(store, old["id"]):
        _recount(store, draft_id, old["id"])
    else:
        store._db.execute("UPDATE bullets SET deleted = 1 WHERE id = ?", (old["id"],))
    return [new_id]


def _add(
    store: Store, draft_id: int, edit: dict[str, Any], themes: tuple[str, ...], edit_id: int
) -> list[int]:
    section = _section(edit)
    text = edit.get("text")
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
        raise InputError(f"bullet text must be 1 to {MAX_TEXT} characters")
    top = store._db.execute(
        "SELECT COALESCE(MAX(position), 0) + 1 FROM bullets WHERE draft_id = ? AND section = ?",
        (draft_id, section),
    ).fetchone()[0]
    new_id = store._insert_bullet(
        store._db,
        draft_id,
        {
            "section": section,
            "position": top,
            "wording": _words(text),
            "themes": [],
            "support": [],
            "confidence": 1.0,
            "suggested": False,
            "edited": True,
            "status": "accepted",
        },
    )
    return [new_id]


IMPACT_LABEL_RE = re.compile(r"^\s*impact\s*(?:of this)?\s*[:–—-]\s*", re.I)
IMPACT_ACTIONS = ("keep", "edit", "drop")


def _impact(
    store: Store, draft_id: int, edit: dict[str, Any], themes: tuple[str, ...], edit_id: int
) -> list[int]:
    """Keep, edit or drop a worry's impact. A kept suggested impact stays marked suggested
    (it is still the template's words); an edited one is the reviewer's."""
    bullet_id, action = id_field(edit, "bullet"), edit.get("action")
    bullet = bullet_row(store, draft_id, bullet_id)
    if action not in IMPACT_ACTIONS:
        raise InputError(
            f"impact action {action!r} unknown; use one of {', '.join(IMPACT_ACTIONS)}"
        )
    if bullet["section"] != "worry":
        raise InputError("only a worry carries an impact; move the bullet to Worries first")
    if action == "keep":
        if not bullet["impact"]:
            raise InputError("this worry has no impact to keep; write one with action 'edit'")
        store._db.execute("UPDATE bullets SET impact_kept = 1 WHERE id = ?", (bullet_id,))
    elif action == "drop":
        store._db.execute(
            "UPDATE bullets SET impact = '', impact_suggested = 0, impact_kept = 0 WHERE id = ?",
            (bullet_id,),
        )
    else:
        text = edit.get("text")
        if not isinstance(text, str) or len(text) > MAX_TEXT:
            raise InputError(f"impact text must be 1 to {MAX_TEXT} characters")
        words = " ".join(IMPACT_LABEL_RE.sub("", text).split())
        if not words.strip(" .,;:"):
            raise InputError("impact text is empty; write why the worry matters, or drop it")
        store._db.execute(
            "UPDATE bullets SET impact = ?, impact_suggested = 0, impact_kept = 1 WHERE id = ?",
            (words, bullet_id),
        )
    return []


def _header(
    store: Store, draft_id: int, edit: dict[str, Any], themes: tuple[str, ...], edit_id: int
) -> list[int]:
    """The title, date or context, as the reviewer typed it (after redaction)."""
    field, text = edit.get("field"), edit.get("text")
    if field not in HEADER_FIELDS:
        raise InputError(f"header field {field!r} unknown; use one of {', '.join(HEADER_FIELDS)}")
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        raise InputError(f"the {field} must be text of at most {MAX_TEXT} characters")
    store.restore_header(store._db, draft_id, {**store.header(draft_id), field: text.strip()})
    return []


def neighbour(store: Store, draft_id: int, bullet_id: int, direction: str) -> int | None:
    if direction not in ("up", "down"):
        raise InputError(f"direction {direction!r} unknown; use up or down")
    bullet = bullet_row(store, draft_id, bullet_id)
    ids = [
        r[0]
        for r in store._db.execute(
            "SELECT id FROM bullets WHERE draft_id = ? AND section = ? AND deleted = 0 "
            "ORDER BY position, id",
            (draft_id, bullet["section"]),
        )
    ]
    index = ids.index(bullet_id) + (-1 if direction == "up" else 1)
    return ids[index] if 0 <= index < len(ids) else None


def _reorder(
    store: Store, draft_id: int, edit: dict[str, Any], themes: tuple[str, ...], edit_id: int
) -> list[int]:
    bullet_id = id_field(edit, "bullet")
    other = neighbour(store, draft_id, bullet_id, str(edit.get("direction")))
    if other is None:
        return []
    ids = section_ids(store, draft_id, bullet_row(store, draft_id, bullet_id)["section"])
    a, b = ids.index(bullet_id), ids.index(other)
    ids[a], ids[b] = ids[b], ids[a]
    store._db.executemany(
        "UPDATE bullets SET position = ? WHERE id = ?",
        [(float(i), bid) for i, bid in enumerate(ids)],
    )
    return []  # nothing created; the section's bullets were snapshotted beforehand


def _place(
    store: Store, draft_id: int, edit: dict[str, Any], themes: tuple[str, ...], edit_id: int
) -> list[int]:
    """Add a finding seen in one record to the briefing (`"aside": false`), or set a
    one-record bullet aside in the section's "seen in one record" list (`true`)."""
    bullet_id, aside = id_field(edit, "bullet"), edit.get("aside")
    if not isinstance(aside, bool):
        raise InputError("edit field 'aside' must be true or false")
    bullet = bullet_row(store, draft_id, bullet_id)
    if aside and (bullet["suggested"] or len(json.loads(bullet["support"])) > 1):
        raise InputError(
            "only a bullet seen in one record can be set aside; reject it to leave it out"
        )
    store._db.execute("UPDATE bullets SET aside = ? WHERE id = ?", (int(aside), bullet_id))
    return []


Handler = Callable[[Store, int, dict[str, Any], tuple[str, ...], int], list[int]]
HANDLERS: dict[str, Handler] = {
    "text": _edit_text,
    "status": _status,
    "move": _move,
    "themes": _themes,
    "merge": _merge,
    "split": _split,
    "add": _add,
    "reorder": _reorder,
    "impact": _impact,
    "header": _header,
    "place": _place,
}
