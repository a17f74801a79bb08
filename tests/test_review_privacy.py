"""Nothing left lying around: owner-only database files, uploads removed however a request
ends (and swept after a crash), error pages without server paths, drafts deletable with
their history from the app and the CLI."""

from __future__ import annotations

import html
import os
import sqlite3
import stat
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from briefing_nlp.cli import app as cli
from briefing_nlp.settings import Settings
from briefing_nlp.store import Store
from briefing_nlp.web import app as web_app
from briefing_nlp.web.app import create_app
from briefing_nlp.web.uploads import scratch_root

SAME_ORIGIN = {"Origin": "http://127.0.0.1"}
# A made-up word that only these notes contain, to look for in the database's bytes.
MARKER = "quokkafied"
NOTES = (
    f"Audit 1\n- chronology {MARKER} and out of date\n- good direct work with the child\n"
    f"Audit 2\n- chronology {MARKER} and not updated\n- no supervision recorded\n"
)
runner = CliRunner()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*") if p.is_file())


def _client(db: Path) -> TestClient:
    return TestClient(create_app(db_path=db), base_url="http://127.0.0.1")


def _draft(app: TestClient, notes: str = NOTES) -> int:
    response = app.post(
        "/drafts", data={"notes": notes}, headers=SAME_ORIGIN, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def test_a_new_database_and_its_folder_are_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "new" / "deeper" / "review.sqlite3"
    app = _client(db)
    _draft(app)
    assert _mode(db.parent) == 0o700 and _mode(db.parent.parent) == 0o700
    files = list(db.parent.glob("review.sqlite3*"))
    assert {p.name for p in files} >= {"review.sqlite3", "review.sqlite3-wal"}
    assert all(_mode(p) == 0o600 for p in files), [(p.name, oct(_mode(p))) for p in files]
    assert app.app.state.store.warnings == []  # type: ignore[attr-defined]


def test_an_existing_world_readable_database_is_warned_about(tmp_path: Path) -> None:
    db = tmp_path / "review.sqlite3"
    Store(db, Settings().prevalence_scale).close()
    db.chmod(0o644)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(uvicorn, "run", lambda *args, **kwargs: None)
        result = runner.invoke(cli, ["serve", "--db", str(db), "--port", "0"])
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "other users" in warnings[0] and "chmod 600" in warnings[0]


def test_uploads_are_gone_after_success_failure_and_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = TestClient(
        create_app(db_path=tmp_path / "db.sqlite3"),
        base_url="http://127.0.0.1",
        raise_server_exceptions=False,
    )
    root = scratch_root()
    assert _mode(root) == 0o700

    def mine() -> list[Path]:
        return [p for p in root.iterdir() if p.name.startswith(f"{os.getpid()}-")]

    upload = {"file": ("notes.txt", NOTES.encode(), "text/plain")}
    assert app.post("/drafts", files=upload, headers=SAME_ORIGIN).status_code == 200
    broken = {"file": ("notes.docx", b"PK\x03\x04 not a document", "application/octet-stream")}
    response = app.post("/drafts", files=broken, headers=SAME_ORIGIN)
    assert response.status_code == 400
    # The reviewer sees the file's name, never where the server keeps it.
    page = html.unescape(response.text)
    assert "notes.docx" in page and str(root) not in page and "/tmp" not in page

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug in drafting")

    monkeypatch.setattr(web_app, "draft_briefing", crash)
    assert app.post("/drafts", files=upload, headers=SAME_ORIGIN).status_code == 500
    assert mine() == []


def test_uploads_of_a_dead_app_are_swept_at_start_up(tmp_path: Path) -> None:
    root = scratch_root()
    dead = root / "999999999-left"  # no such process
    alive = root / f"{os.getppid()}-in-use"  # another app still running
    for folder in (dead, alive):
        folder.mkdir(exist_ok=True)
        (folder / "notes.txt").write_text(NOTES)
    try:
        create_app(db_path=tmp_path / "db.sqlite3")
        assert not dead.exists() and (alive / "notes.txt").exists()
    finally:
        for path in (alive / "notes.txt", alive):
            if path.is_dir():
                path.rmdir()
            elif path.exists():
                path.unlink()


def test_a_long_file_name_is_no_server_error(tmp_path: Path) -> None:
    app = _client(tmp_path / "db.sqlite3")
    name = "n" * 300 + ".txt"
    response = app.post(
        "/drafts",
        files={"file": (name, NOTES.encode(), "text/plain")},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert response.status_code == 303


def test_a_draft_is_deleted_with_its_history_from_the_app(tmp_path: Path) -> None:
    db = tmp_path / "review.sqlite3"
    app = _client(db)
    kept, deleted = _draft(app, NOTES.replace(MARKER, "stale")), _draft(app)
    worry = app.get(f"/api/drafts/{deleted}").json()["sections"]["worry"][0]
    edit = {"kind": "status", "bullet": worry["id"], "status": "accepted"}
    assert app.post(f"/api/drafts/{deleted}/edits", json=edit, headers=SAME_ORIGIN).is_success
    assert MARKER.encode() in _bytes(db)

    evil = {"Origin": "http://evil.example"}
    assert app.post(f"/drafts/{deleted}/delete", headers=evil).status_code == 403
    response = app.post(f"/drafts/{deleted}/delete", headers=SAME_ORIGIN, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert app.get(f"/drafts/{deleted}").status_code == 404
    with sqlite3.connect(db) as check:
        for table in ("bullets", "records", "unplaced", "edits", "feedback"):
            rows = check.execute(f"SELECT COUNT(*) FROM {table} WHERE draft_id = ?", (deleted,))
            assert rows.fetchone()[0] == 0, table
        assert check.execute("SELECT COUNT(*) FROM sources").fetchone()[0] > 0  # the other's
    check.close()
    # Overwritten, not left in free pages or the write-ahead log.
    assert MARKER.encode() not in _bytes(db)
    assert app.get(f"/api/drafts/{kept}").status_code == 200
    assert app.delete(f"/api/drafts/{kept}", headers=SAME_ORIGIN).json()["deleted"] == kept
    assert app.delete(f"/api/drafts/{kept}", headers=SAME_ORIGIN).status_code == 404


def test_a_draft_is_deleted_from_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "review.sqlite3"
    draft = _draft(_client(db))
    result = runner.invoke(cli, ["review", "delete", str(draft), "--db", str(db)])
    assert result.exit_code == 0 and f"deleted draft {draft}" in result.stdout
    again = runner.invoke(cli, ["review", "delete", str(draft), "--db", str(db)])
    assert again.exit_code == 1 and again.stderr.count("\n") == 1
    assert "not found" in again.stderr
