"""What a reviewer types is redacted like the notes before it reaches the database, the
page or an export, unless they keep it as typed; the title, date and context too."""

from __future__ import annotations

import html
import logging
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from briefing_nlp.redact import redactor_for
from briefing_nlp.review import apply_edit
from briefing_nlp.review_export import export_draft
from briefing_nlp.settings import PROJECT_ROOT, Settings
from briefing_nlp.store import Store
from briefing_nlp.taxonomy import load_taxonomy
from briefing_nlp.web.app import create_app

NOTES = (PROJECT_ROOT / "examples" / "neglect-cp" / "notes.txt").read_text(encoding="utf-8")
THEMES = load_taxonomy(Settings().taxonomy_path).slugs
SAME_ORIGIN = {"Origin": "http://127.0.0.1"}


@pytest.fixture(scope="module")
def redactor() -> Any:
    return redactor_for(Settings())


def _on_disk(db: Path) -> bytes:
    """Every byte SQLite has written for the database: the file, its WAL and journal."""
    return b"".join(
        p.read_bytes() for p in db.parent.iterdir() if p.name.startswith(db.name) and p.is_file()
    )


@pytest.mark.parametrize(
    ("edit", "secret", "placeholder"),
    [
        (
            {"kind": "text", "text": "kayden moore said the plan drifted"},
            "kayden moore",
            "[PERSON]",
        ),
        (
            {"kind": "add", "section": "worry", "text": "Summer was seen alone"},
            "Summer",
            "[PERSON]",
        ),
        (
            {"kind": "impact", "action": "edit", "text": "Ms T. was not told; NHS 943 476 5919"},
            "943 476 5919",
            "[ID]",
        ),
        (
            {"kind": "header", "field": "title", "text": "Audit of Child Kayden"},
            "Kayden",
            "[PERSON]",
        ),
        (
            {"kind": "header", "field": "context", "text": "After the review of Tyler Moss"},
            "Tyler Moss",
            "[PERSON]",
        ),
        (
            {"kind": "header", "field": "date", "text": "March 2025 (DOB 17-Sep-2011)"},
            "17-Sep-2011",
            "[DATE]",
        ),
    ],
)
def test_typed_personal_data_is_redacted_and_the_reviewer_told(
    store: Store, briefing: Any, redactor: Any, edit: dict[str, Any], secret: str, placeholder: str
) -> None:
    draft = store.add_draft(briefing)
    worry = store.draft(draft)["sections"]["worry"][0]
    state = apply_edit(store, draft, {"bullet": worry["id"], **edit}, THEMES, redactor)
    assert secret in state["notice"] and placeholder in state["notice"]
    assert "Keep as typed" in state["notice"]
    state_text = str({k: v for k, v in state.items() if k != "notice"})
    assert secret not in state_text and placeholder in state_text
    assert secret.encode() not in _on_disk(store.path)
    for fmt in ("md", "json"):
        assert secret not in str(export_draft(store, draft, fmt).content)

    # Kept as typed: an explicit choice, and then it is the reviewer's text.
    kept = apply_edit(
        store, draft, {"bullet": worry["id"], **edit, "keep_as_typed": True}, THEMES, redactor
    )
    assert kept["notice"] == "" and secret in str(kept)


def test_practice_words_and_the_audit_date_are_left_alone(
    store: Store, briefing: Any, redactor: Any
) -> None:
    draft = store.add_draft(briefing)
    worry = store.draft(draft)["sections"]["worry"][0]
    for edit in (
        {"kind": "text", "bullet": worry["id"], "text": "No PLO letter; Signs of Safety not used"},
        {"kind": "header", "field": "date", "text": "17 March 2025"},
        {"kind": "header", "field": "title", "text": "Thematic audit: young parents"},
    ):
        state = apply_edit(store, draft, edit, THEMES, redactor)
        assert state["notice"] == "", edit
    assert state["date"] == "17 March 2025" and state["title"] == "Thematic audit: young parents"


def test_a_placeholder_kept_from_the_draft_keeps_its_number(
    store: Store, briefing: Any, redactor: Any
) -> None:
    draft = store.add_draft(briefing)
    worry = store.draft(draft)["sections"]["worry"][0]
    text = "[PERSON 4] and Tyler Moss were not seen"
    state = apply_edit(
        store, draft, {"kind": "text", "bullet": worry["id"], "text": text}, THEMES, redactor
    )
    bullet = next(b for b in state["sections"]["worry"] if b["id"] == worry["id"])
    assert bullet["wording"] == "[PERSON 4] and [PERSON] were not seen"


def test_header_edits_undo_and_redo(store: Store, briefing: Any, redactor: Any) -> None:
    draft = store.add_draft(briefing)
    before = store.draft(draft)["title"]
    state = apply_edit(
        store, draft, {"kind": "header", "field": "title", "text": "Neglect audit"}, THEMES
    )
    assert state["title"] == "Neglect audit"
    assert apply_edit(store, draft, {"kind": "undo"}, THEMES)["title"] == before
    assert apply_edit(store, draft, {"kind": "redo"}, THEMES)["title"] == "Neglect audit"


def _client(db: Path) -> TestClient:
    return TestClient(create_app(db_path=db), base_url="http://127.0.0.1")


def test_form_header_is_redacted_with_a_notice_unless_kept(tmp_path: Path) -> None:
    db = tmp_path / "review.sqlite3"
    app = _client(db)
    form = {"notes": NOTES, "title": "Audit of Kayden Moore", "date": "May 2025"}
    response = app.post("/drafts", data=form, headers=SAME_ORIGIN)
    assert response.status_code == 200
    page = html.unescape(response.text)
    # The person who typed it is told what was replaced (this page only, never stored).
    notice = re.search(r'<span id="typed-notice-text">(.*?)</span>', page, re.S)
    assert notice and 'title: "Kayden Moore" -> [PERSON]' in notice.group(1)
    assert "Keep as typed" in notice.group(1)
    assert "Kayden" not in page.replace(notice.group(1), "") and "[PERSON" in page
    assert b"Kayden" not in _on_disk(db)
    # The notice is shown once; it is not stored with the draft.
    assert "Kayden" not in app.get(response.url.path).text

    kept = app.post("/drafts", data={**form, "keep_header": "on"}, headers=SAME_ORIGIN)
    assert "Audit of Kayden Moore" in html.unescape(kept.text)
    assert "Redacted what looks" not in kept.text


def test_the_app_redacts_typed_edits(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    db = tmp_path / "review.sqlite3"
    app = _client(db)
    response = app.post("/drafts", data={"notes": NOTES}, headers=SAME_ORIGIN)
    draft = int(response.url.path.rsplit("/", 1)[1])
    worry = app.get(f"/api/drafts/{draft}").json()["sections"]["worry"][0]
    edit = {"kind": "text", "bullet": worry["id"], "text": "kayden moore was not seen"}
    state = app.post(f"/api/drafts/{draft}/edits", json=edit, headers=SAME_ORIGIN).json()
    assert '"kayden moore" -> [PERSON]' in state["notice"]
    assert b"kayden moore" not in _on_disk(db)
    assert "kayden" not in app.get(f"/drafts/{draft}/export.md").text.lower()
    assert "kayden" not in caplog.text.lower()  # nor in any log line, at any level
