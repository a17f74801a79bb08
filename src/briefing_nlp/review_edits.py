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
from briefing_nlp.store import STATUSES
from briefing_nlp.store_edits import EditRows
from briefing_nlp.taxonomy import BRIEFING_SECTIONS

MAX_TEXT = 2000
HEADER_FIELDS = ("title", "date", "context")
MAX_ID = 2**62  # SQLite integers are 64-bit; larger ids cannot exist


def id_field(edit: dict[str, Any], key: str) -> int:
    value = edit.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < MAX_ID:
        raise InputError(f"edit field {key!r} must be a bullet or source id, got {value!r}")
    return value


def _section(edit: dict[str, Any]) -> str:
    section = edit.get("section")
    if section not in BRIEFING_SECTIONS:
        raise InputError(f"section {section!r} unknown; use one of {', '.join(BRIEFING_SECTIONS)}")
    return str(section)


def _recount(rows: EditRows, draft_id: int, bullet_id: int) -> None:
    """Support is the distinct records of the bullet's sources; the count phrase is
    rendered from it on every read (see counts.py), so nothing else needs rewording."""
    if rows.bullet(draft_id, bullet_id)["suggested"]:
        return  # a template action counts the records of the worry it answers
    rows.set_support(bullet_id, rows.records(bullet_id))


def _words(text: str) -> str:
    """A reviewer's text as the bullet's wording. A count typed or left in goes: the count
    is always the records' (rendered from support on every read)."""
    wording = split_count_phrase(text)[0]
    if not wording.strip(" .,;:"):
        raise InputError("bullet text must say more than the count; write the finding itself")
    return wording


def _edit_text(
    rows: EditRows, draft_id: int, edit: dict[str, Any], themes: tuple[str, ...], edit_id: int
) -> list[int]:
    text = edit.get("text")
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
        raise InputError(f"bullet text must be 1 to {MAX_TEXT} characters")
    rows.set_wording(id_field(edit, "bullet"), _words(text))
    return []


def _status(
    rows: EditRows, draft_id: int, edit: dict[str, Any], themes: tuple[str, ...], edit_id: int
) -> list[int]:
    status = edit.get("status")
    if status not in STATUSES:
        raise InputError(f"status {status!r} unknown; use one of {', '.join(STATUSES)}")
    bullet_id = id_field(edit, "bullet")
    rows.set_status(bullet_id, status)
    if status == "accepted":
        rows.add_feedback(draft_id, edit_id, bullet_id, "accepted")
    return []


def _move(
    rows: EditRows, draft_id: int, edit: dict[str, Any], themes: tuple[str, ...], edit_id: int
) -> list[int]:
    bullet_id, section = id_field(edit, "bullet"), _section(edit)
    rows.place(bullet_id, section, rows.next_position(draft_id, section))
    _recount(rows, draft_id, bullet_id)
    rows.add_feedback(draft_id, edit_id, bullet_id, "moved")
    return []


def _themes(
    rows: EditRows, draft_id: int, edit: dict[str, Any], themes: tuple[str, ...], edit_id: int
) -> list[int]:
    chosen = edit.get("themes")
    if not isinstance(chosen, list) or not all(t in themes for t in chosen):
        raise InputError(f"themes must be a list of known themes: {', '.join(themes)}")
    bullet_id = id_field(edit, "bullet")
    rows.set_themes(bullet_id, list(dict.fromkeys(chosen)))
    rows.add_feedback(draft_id, edit_id, bullet_id, "themes")
    return []


def _merge(
    rows: EditRows, draft_id: int, edit: dict[str, Any], themes: tuple[str, ...], edit_id: int
) -> list[int]:
    bullet_id, into = id_field(edit, "bullet"), id_field(edit, "into")
    rows.move_sources(bullet_id, into)
    merged = json.loads(rows.bullet(draft_id, into)["themes"])
    merged += [t for t in json.loads(rows.bullet(draft_id, bullet_id)["themes"]) if t not in merged]
    rows.set_themes(into, merged)
    rows.inherit_impact(bullet_id, into)
    rows.delete(bullet_id)
    _recount(rows, draft_id, into)
    return []


def _split(
    rows: EditRows, draft_id: int, edit: dict[str, Any], themes: tuple[str, ...], edit_id: int
) -> list[int]:
    source_id = id_field(edit, "source")
    source = rows.source(source_id)
    if source is None:
        raise InputError(f"source statement {source_id!r} not found in this draft")
    old = rows.bullet(draft_id, source["bullet_id"])
    new_id = rows.insert_bullet(
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
    rows.move_source(source_id, new_id)
    _recount(rows, draft_id, new_id)
    if rows.records(old["id"]):
        _recount(rows, draft_id, old["id"])
    else:
        rows.delete(old["id"])
    return [new_id]


def _add(
    rows: EditRows, draft_id: int, edit: dict[str, Any], themes: tuple[str, ...], edit_id: int
) -> list[int]:
    section = _section(edit)
    text = edit.get("text")
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
        raise InputError(f"bullet text must be 1 to {MAX_TEXT} characters")
    new_id = rows.insert_bullet(
        draft_id,
        {
            "section": section,
            "position": rows.next_position(draft_id, section),
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
    rows: EditRows, draft_id: int, edit: dict[str, Any], themes: tuple[str, ...], edit_id: int
) -> list[int]:
    """Keep, edit or drop a worry's impact. A kept suggested impact stays marked suggested
    (it is still the template's words); an edited one is the reviewer's."""
    bullet_id, action = id_field(edit, "bullet"), edit.get("action")
    bullet = rows.bullet(draft_id, bullet_id)
    if action not in IMPACT_ACTIONS:
        raise InputError(
            f"impact action {action!r} unknown; use one of {', '.join(IMPACT_ACTIONS)}"
        )
    if bullet["section"] != "worry":
        raise InputError("only a worry carries an impact; move the bullet to Worries first")
    if action == "keep":
        if not bullet["impact"]:
            raise InputError("this worry has no impact to keep; write one with action 'edit'")
        rows.keep_impact(bullet_id)
    elif action == "drop":
        rows.drop_impact(bullet_id)
    else:
        text = edit.get("text")
        if not isinstance(text, str) or len(text) > MAX_TEXT:
            raise InputError(f"impact text must be 1 to {MAX_TEXT} characters")
        words = " ".join(IMPACT_LABEL_RE.sub("", text).split())
        if not words.strip(" .,;:"):
            raise InputError("impact text is empty; write why the worry matters, or drop it")
        rows.set_impact(bullet_id, words)
    return []


def _header(
    rows: EditRows, draft_id: int, edit: dict[str, Any], themes: tuple[str, ...], edit_id: int
) -> list[int]:
    """The title, date or context, as the reviewer typed it (after redaction)."""
    field, text = edit.get("field"), edit.get("text")
    if field not in HEADER_FIELDS:
        raise InputError(f"header field {field!r} unknown; use one of {', '.join(HEADER_FIELDS)}")
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        raise InputError(f"the {field} must be text of at most {MAX_TEXT} characters")
    rows.set_header(draft_id, {**rows.header(draft_id), field: text.strip()})
    return []


def neighbour(rows: EditRows, draft_id: int, bullet_id: int, direction: str) -> int | None:
    if direction not in ("up", "down"):
        raise InputError(f"direction {direction!r} unknown; use up or down")
    ids = rows.section_ids(draft_id, rows.bullet(draft_id, bullet_id)["section"])
    index = ids.index(bullet_id) + (-1 if direction == "up" else 1)
    return ids[index] if 0 <= index < len(ids) else None


def _reorder(
    rows: EditRows, draft_id: int, edit: dict[str, Any], themes: tuple[str, ...], edit_id: int
) -> list[int]:
    bullet_id = id_field(edit, "bullet")
    other = neighbour(rows, draft_id, bullet_id, str(edit.get("direction")))
    if other is None:
        return []
    ids = rows.section_ids(draft_id, rows.bullet(draft_id, bullet_id)["section"])
    a, b = ids.index(bullet_id), ids.index(other)
    ids[a], ids[b] = ids[b], ids[a]
    rows.set_positions(ids)
    return []  # nothing created; the section's bullets were snapshotted beforehand


def _place(
    rows: EditRows, draft_id: int, edit: dict[str, Any], themes: tuple[str, ...], edit_id: int
) -> list[int]:
    """Add a finding seen in one record to the briefing (`"aside": false`), or set a
    one-record bullet aside in the section's "seen in one record" list (`true`)."""
    bullet_id, aside = id_field(edit, "bullet"), edit.get("aside")
    if not isinstance(aside, bool):
        raise InputError("edit field 'aside' must be true or false")
    bullet = rows.bullet(draft_id, bullet_id)
    if aside and (bullet["suggested"] or len(json.loads(bullet["support"])) > 1):
        raise InputError(
            "only a bullet seen in one record can be set aside; reject it to leave it out"
        )
    rows.set_aside(bullet_id, aside)
    return []


Handler = Callable[[EditRows, int, dict[str, Any], tuple[str, ...], int], list[int]]
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
