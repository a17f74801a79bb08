"""A worry's impact in the review store: saved, kept, edited, dropped, undone, exported,
and added to databases of schema 3 by migration 4."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import docx
import pytest

from briefing_nlp.errors import InputError
from briefing_nlp.review import apply_edit
from briefing_nlp.review_export import export_draft
from briefing_nlp.settings import Settings
from briefing_nlp.store import Store
from briefing_nlp.store_schema import MIGRATIONS
from briefing_nlp.taxonomy import load_taxonomy
from tests.conftest import old_review_database

THEMES = load_taxonomy(Settings().taxonomy_path).slugs


def _worry(state: dict[str, Any], bullet_id: int) -> dict[str, Any]:
    return next(b for b in state["sections"]["worry"] if b["id"] == bullet_id)


def test_drafted_impacts_are_stored_and_read_back(store: Store, briefing: Any) -> None:
    draft = store.add_draft(briefing)
    stored = store.draft(draft)["sections"]["worry"]
    drafted = briefing.sections["worry"]
    assert [(b["impact"], b["impact_suggested"]) for b in stored] == [
        (b.impact, b.impact_suggested) for b in drafted
    ]
    assert any(b["impact"] for b in stored)
    assert not any(
        b["impact"] for s in ("strength", "action") for b in store.draft(draft)["sections"][s]
    )


def test_keep_edit_drop_and_undo(store: Store, briefing: Any) -> None:
    draft = store.add_draft(briefing)
    worry = next(b for b in store.draft(draft)["sections"]["worry"] if b["impact_suggested"])
    suggested = worry["impact"]

    def impact(**edit: object) -> dict[str, Any]:
        state = apply_edit(store, draft, {"kind": "impact", "bullet": worry["id"], **edit}, THEMES)
        return _worry(state, worry["id"])

    kept = impact(action="keep")
    # Kept, it is still the template's words: still marked suggested.
    assert kept["impact"] == suggested and kept["impact_suggested"] and kept["impact_kept"]
    edited = impact(action="edit", text="Impact: plans are made without the history.")
    assert edited["impact"] == "plans are made without the history."
    assert not edited["impact_suggested"]
    dropped = impact(action="drop")
    assert dropped["impact"] == "" and not dropped["impact_suggested"]
    state = apply_edit(store, draft, {"kind": "undo"}, THEMES)
    assert _worry(state, worry["id"])["impact"] == "plans are made without the history."
    state = apply_edit(store, draft, {"kind": "undo"}, THEMES)
    back = _worry(state, worry["id"])
    assert back["impact"] == suggested and back["impact_suggested"] and back["impact_kept"]
    state = apply_edit(store, draft, {"kind": "undo"}, THEMES)
    assert not _worry(state, worry["id"])["impact_kept"]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"action": "shout"}, "impact action 'shout' unknown"),
        ({"action": "edit", "text": "  Impact:  "}, "impact text is empty"),
        ({"action": "edit", "text": 7}, "impact text must be"),
    ],
)
def test_bad_impact_edits_are_refused(
    store: Store, briefing: Any, edit: dict[str, Any], message: str
) -> None:
    draft = store.add_draft(briefing)
    worry = store.draft(draft)["sections"]["worry"][0]
    with pytest.raises(InputError, match=message):
        apply_edit(store, draft, {"kind": "impact", "bullet": worry["id"], **edit}, THEMES)


def test_only_a_worry_carries_an_impact(store: Store, briefing: Any) -> None:
    draft = store.add_draft(briefing)
    state = store.draft(draft)
    strength = state["sections"]["strength"][0]
    with pytest.raises(InputError, match="only a worry"):
        apply_edit(
            store, draft, {"kind": "impact", "bullet": strength["id"], "action": "drop"}, THEMES
        )
    # A worry moved to the actions shows no impact; moved back, it has it again.
    worry = next(b for b in state["sections"]["worry"] if b["impact"])
    state = apply_edit(
        store, draft, {"kind": "move", "bullet": worry["id"], "section": "action"}, THEMES
    )
    assert next(b for b in state["sections"]["action"] if b["id"] == worry["id"])["impact"] == ""
    state = apply_edit(
        store, draft, {"kind": "move", "bullet": worry["id"], "section": "worry"}, THEMES
    )
    assert _worry(state, worry["id"])["impact"] == worry["impact"]


def test_a_merge_into_a_worry_without_impact_takes_the_other(store: Store, briefing: Any) -> None:
    draft = store.add_draft(briefing)
    first, second = store.draft(draft)["sections"]["worry"][:2]
    apply_edit(store, draft, {"kind": "impact", "bullet": first["id"], "action": "drop"}, THEMES)
    state = apply_edit(
        store, draft, {"kind": "merge", "bullet": second["id"], "into": first["id"]}, THEMES
    )
    assert _worry(state, first["id"])["impact"] == second["impact"]


def test_exports_carry_the_reviewed_impact(store: Store, briefing: Any) -> None:
    draft = store.add_draft(briefing)
    worries = [b for b in store.draft(draft)["sections"]["worry"] if b["impact_suggested"]]
    edited, kept, dropped = worries[:3]
    apply_edit(
        store,
        draft,
        {"kind": "impact", "bullet": edited["id"], "action": "edit", "text": "Plans miss events."},
        THEMES,
    )
    apply_edit(store, draft, {"kind": "impact", "bullet": kept["id"], "action": "keep"}, THEMES)
    apply_edit(store, draft, {"kind": "impact", "bullet": dropped["id"], "action": "drop"}, THEMES)

    markdown = str(export_draft(store, draft, "md").content)
    assert f"{edited['text']} Impact: Plans miss events." in markdown
    assert "Impact: Plans miss events. *(suggested impact)*" not in markdown
    assert f"{kept['text']} Impact: {kept['impact']} *(suggested impact)*" in markdown
    assert dropped["impact"] not in markdown.split(dropped["text"], 1)[1].split("\n", 1)[0]

    exported = json.loads(str(export_draft(store, draft, "json").content))
    by_text = {b["text"]: b for b in exported["sections"]["worry"]}
    assert by_text[edited["text"]]["impact"] == "Plans miss events."
    assert by_text[edited["text"]]["impact_suggested"] is False
    assert by_text[kept["text"]]["impact_suggested"] is True
    assert by_text[dropped["text"]]["impact"] == ""

    word = docx.Document(io.BytesIO(bytes(export_draft(store, draft, "docx").content)))
    paragraphs = [p.text for p in word.paragraphs]
    assert f"{edited['text']} Impact: Plans miss events." in paragraphs
    assert f"{kept['text']} Impact: {kept['impact']} (suggested impact)" in paragraphs


def test_schema_3_database_gains_impacts_and_keeps_its_undo(tmp_path: Path) -> None:
    path = tmp_path / "review.sqlite3"
    snapshot = {
        "1": {
            "id": 1,
            "draft_id": 1,
            "section": "worry",
            "position": 0.0,
            "wording": "chronology out of date",
            "themes": "[]",
            "support": "[1, 2]",
            "confidence": 0.9,
            "suggested": 0,
            "edited": 0,
            "status": "pending",
            "deleted": 0,
            "sources": [],
        }
    }
    after = {"1": {**snapshot["1"], "wording": "Chronologies out of date.", "edited": 1}}
    old_review_database(
        path,
        3,
        wording="Chronologies out of date.",
        support=[1, 2],
        confidence=0.9,
        edited=True,
        before=snapshot,
        after=after,
    )

    store = Store(path, Settings().prevalence_scale)
    assert store._db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    bullet = store.draft(1)["sections"]["worry"][0]
    assert (bullet["impact"], bullet["impact_suggested"], bullet["impact_kept"]) == (
        "",
        False,
        False,
    )
    apply_edit(
        store, 1, {"kind": "impact", "bullet": 1, "action": "edit", "text": "Plans drift."}, THEMES
    )
    state = apply_edit(store, 1, {"kind": "undo"}, THEMES)
    state = apply_edit(store, 1, {"kind": "undo"}, THEMES)  # the edit made before migrating
    bullet = state["sections"]["worry"][0]
    assert bullet["wording"] == "chronology out of date" and bullet["impact"] == ""
    store.close()
