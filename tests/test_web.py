"""The review app through HTTP: drafting, edits with undo/redo, persistence, exports, limits."""

from __future__ import annotations

import io
import re
import sqlite3
from pathlib import Path

import docx
import pytest
from fastapi.testclient import TestClient

from briefing_nlp.settings import PROJECT_ROOT
from briefing_nlp.web.app import create_app

NOTES = (PROJECT_ROOT / "examples" / "neglect-cp" / "notes.txt").read_text(encoding="utf-8")
SAME_ORIGIN = {"Origin": "http://testserver"}


def client(db: Path, **options: float) -> TestClient:
    return TestClient(create_app(db_path=db, **options))


def make_draft(app: TestClient, notes: str = NOTES) -> int:
    response = app.post(
        "/drafts",
        data={"notes": notes, "title": "Neglect"},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def edit(app: TestClient, draft: int, **body: object) -> dict:  # type: ignore[type-arg]
    response = app.post(f"/api/drafts/{draft}/edits", json=body, headers=SAME_ORIGIN)
    assert response.status_code == 200, response.text
    return response.json()


def test_draft_edit_undo_and_restart(tmp_path: Path) -> None:
    db = tmp_path / "review.sqlite3"
    app = client(db)
    draft = make_draft(app)
    page = app.get(f"/drafts/{draft}")
    assert page.status_code == 200 and "What&#39;s working well?" in page.text
    state = app.get(f"/api/drafts/{draft}").json()
    worries = state["sections"]["worry"]
    first, second = worries[0], worries[1]
    state = edit(
        app, draft, kind="text", bullet=first["id"], text="Chronologies were not kept up to date."
    )
    state = edit(app, draft, kind="merge", bullet=second["id"], into=first["id"])
    merged = next(b for b in state["sections"]["worry"] if b["id"] == first["id"])
    assert set(merged["support"]) == set(first["support"]) | set(second["support"])
    state = edit(app, draft, kind="move", bullet=first["id"], section="action")
    assert first["id"] in [b["id"] for b in state["sections"]["action"]]
    state = edit(app, draft, kind="undo")
    assert first["id"] in [b["id"] for b in state["sections"]["worry"]]
    state = edit(app, draft, kind="status", bullet=worries[2]["id"], status="rejected")
    assert not state["can_redo"]  # a new edit ends the redo chain

    again = client(db).get(f"/api/drafts/{draft}").json()  # a restarted server
    kept = {b["id"]: b for b in again["sections"]["worry"]}
    assert kept[first["id"]]["wording"] == "Chronologies were not kept up to date."
    assert kept[first["id"]]["text"].endswith(", chronologies were not kept up to date.")
    assert second["id"] not in kept
    assert kept[worries[2]["id"]]["status"] == "rejected"
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_split_add_reorder_and_themes(tmp_path: Path) -> None:
    app = client(tmp_path / "db.sqlite3")
    draft = make_draft(app)
    state = app.get(f"/api/drafts/{draft}").json()
    bullet = next(b for b in state["sections"]["strength"] if len(b["sources"]) > 1)
    moved = bullet["sources"][-1]
    state = edit(app, draft, kind="split", source=moved["id"])
    new = next(
        b for b in state["sections"]["strength"] if [s["id"] for s in b["sources"]] == [moved["id"]]
    )
    assert new["support"] == [moved["record"]]
    state = edit(
        app, draft, kind="themes", bullet=new["id"], themes=["voice_of_child", "direct_work"]
    )
    state = edit(
        app, draft, kind="add", section="good_practice", text="Share the GCP2 tool at the forum"
    )
    assert state["sections"]["good_practice"][-1]["text"] == "Share the GCP2 tool at the forum"
    ids = [b["id"] for b in state["sections"]["worry"]]
    state = edit(app, draft, kind="reorder", bullet=ids[1], direction="up")
    assert [b["id"] for b in state["sections"]["worry"]][:2] == [ids[1], ids[0]]
    for _ in range(4):
        state = edit(app, draft, kind="undo")
    assert [b["id"] for b in state["sections"]["worry"]] == ids
    assert not state["can_undo"] and state["can_redo"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"kind": "explode"}, "unknown edit kind"),
        ({"kind": "move", "bullet": 99999, "section": "worry"}, "bullet 99999 not found"),
        ({"kind": "move", "bullet": "x", "section": "worry"}, "must be a bullet or source id"),
        ({"kind": "undo"}, "nothing to undo"),
        ({"kind": "themes", "bullet": 1, "themes": ["astrology"]}, "themes must be a list"),
    ],
)
def test_bad_edits_are_refused_with_a_message(tmp_path: Path, body: dict, message: str) -> None:  # type: ignore[type-arg]
    app = client(tmp_path / "db.sqlite3")
    draft = make_draft(app)
    if body.get("bullet") == 1:
        body["bullet"] = app.get(f"/api/drafts/{draft}").json()["sections"]["worry"][0]["id"]
    response = app.post(f"/api/drafts/{draft}/edits", json=body, headers=SAME_ORIGIN)
    assert response.status_code == 400 and message in response.json()["error"]


def test_exports_follow_the_edited_state(tmp_path: Path) -> None:
    app = client(tmp_path / "db.sqlite3")
    draft = make_draft(app)
    worry = app.get(f"/api/drafts/{draft}").json()["sections"]["worry"][0]
    edit(app, draft, kind="text", bullet=worry["id"], text="Edited worry text")
    rejected = app.get(f"/api/drafts/{draft}").json()["sections"]["worry"][1]
    edit(app, draft, kind="status", bullet=rejected["id"], status="rejected")
    response = app.get(f"/drafts/{draft}/export.docx")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    # The worry keeps its impact after the edit of its words.
    edited = next(b for b in bullets if "edited worry text. Impact: " in b)
    assert edited.startswith("In ") and edited.endswith(f"{worry['impact']} (suggested impact)")
    assert not [b for b in bullets if b.startswith(rejected["text"])]
    assert edited.removesuffix(" (suggested impact)") in app.get(f"/drafts/{draft}/export.md").text
    assert app.get(f"/drafts/{draft}/export.pdf").status_code == 404


def test_notes_are_escaped_in_the_page(tmp_path: Path) -> None:
    app = client(tmp_path / "db.sqlite3")
    draft = make_draft(
        app,
        "Audit 1\n- Chronology out of date <script>alert(1)</script>\n"
        "Audit 2\n- chronology not updated <b>bold</b>\n",
    )
    page = app.get(f"/drafts/{draft}").text
    assert "<script>alert(1)</script>" not in page and "<b>bold</b>" not in page
    initial = re.search(r'<script type="application/json" id="initial">(.*?)</script>', page, re.S)
    assert initial and "\\u003cscript" in initial.group(1)


@pytest.mark.parametrize(
    ("name", "content", "message", "status"),
    [
        ("notes.pdf", b"%PDF", "unsupported file type .pdf", 400),
        ("notes.docx", b"PK\x03\x04 broken", "not a readable Word document", 400),
        ("big.txt", b"Audit 1\n- x y z\n" * 70_000, "larger than 1 MB", 413),
        ("../../etc/notes.txt", b"", "notes.txt: empty", 400),
    ],
)
def test_bad_uploads_get_a_message_and_store_nothing(
    tmp_path: Path, name: str, content: bytes, message: str, status: int
) -> None:
    app = client(tmp_path / "db.sqlite3", upload_limit_mb=1)
    response = app.post("/drafts", files={"file": (name, content)}, headers=SAME_ORIGIN)
    assert response.status_code == status
    assert message in response.text
    assert app.app.state.store.list_drafts() == []  # type: ignore[attr-defined]


def test_empty_form_asks_for_notes(tmp_path: Path) -> None:
    response = client(tmp_path / "db.sqlite3").post(
        "/drafts", data={"notes": " "}, headers=SAME_ORIGIN
    )
    assert response.status_code == 400 and "paste the auditors" in response.text


def test_cross_origin_writes_are_refused(tmp_path: Path) -> None:
    app = client(tmp_path / "db.sqlite3")
    draft = make_draft(app)
    evil = {"Origin": "http://evil.example"}
    assert app.post("/drafts", data={"notes": NOTES}, headers=evil).status_code == 403
    response = app.post(f"/api/drafts/{draft}/edits", json={"kind": "undo"}, headers=evil)
    assert response.status_code == 403
    referer = {"Referer": "http://evil.example/page"}
    assert (
        app.post(f"/api/drafts/{draft}/edits", json={"kind": "undo"}, headers=referer).status_code
        == 403
    )
    assert app.get("/", headers=evil).status_code == 200  # reading is harmless


def test_start_page_lists_earlier_drafts(tmp_path: Path) -> None:
    app = client(tmp_path / "db.sqlite3")
    make_draft(app)
    assert "Neglect" in app.get("/").text
    assert app.get("/drafts/999").status_code == 404
