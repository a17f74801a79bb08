"""Exports of a reviewed draft say how many bullets nobody reviewed (app and CLI)."""

from __future__ import annotations

from pathlib import Path

import docx
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from briefing_nlp.cli import app
from briefing_nlp.draft import draft_briefing
from briefing_nlp.review import apply_edit
from briefing_nlp.settings import PROJECT_ROOT, Settings
from briefing_nlp.store import Store
from briefing_nlp.web.app import create_app

NOTES = PROJECT_ROOT / "examples" / "neglect-cp" / "notes.txt"
runner = CliRunner()


def _reviewed_database(path: Path) -> tuple[int, int]:
    """A stored draft with one bullet accepted and one rejected: (draft id, bullets in
    the briefing; findings of one record set aside are not in it)."""
    store = Store(path, Settings().prevalence_scale)
    draft = store.add_draft(draft_briefing([NOTES]))
    worries = [b for b in store.draft(draft)["sections"]["worry"] if not b["aside"]]
    for bullet, status in ((worries[0], "accepted"), (worries[1], "rejected")):
        apply_edit(store, draft, {"kind": "status", "bullet": bullet["id"], "status": status}, ())
    state = store.draft(draft)["sections"].values()
    total = sum(not b["aside"] for s in state for b in s)
    assert total < sum(len(s) for s in state)  # the example has findings set aside
    store.close()
    return draft, total


def test_cli_export_counts_unreviewed_bullets(tmp_path: Path) -> None:
    db = tmp_path / "review.sqlite3"
    draft, total = _reviewed_database(db)
    out = tmp_path / "briefing.docx"
    result = runner.invoke(app, ["review", "export", str(draft), "-o", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert f"{total - 2} of {total} bullets were never reviewed" in result.stdout
    assert f"2 of {total} reviewed;" in result.stdout  # the review page's progress line
    bullets = [p.text for p in docx.Document(str(out)).paragraphs if p.style.name == "List Bullet"]
    assert len(bullets) == total - 1  # the rejected one is left out
    listing = runner.invoke(app, ["review", "list", "--db", str(db)])
    assert listing.exit_code == 0 and listing.stdout.startswith(f"{draft}\t")


def test_cli_export_refuses_bad_input_and_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "review.sqlite3"
    draft, _ = _reviewed_database(db)
    cases = [
        (
            ["review", "export", "999", "-o", str(tmp_path / "a.docx"), "--db", str(db)],
            "draft 999 not found",
        ),
        (
            ["review", "export", str(draft), "-o", str(tmp_path / "a.pdf"), "--db", str(db)],
            "unknown export format .pdf",
        ),
        (
            ["review", "export", "1", "-o", str(tmp_path / "a.md"), "--db", str(tmp_path / "no")],
            "no review database here",
        ),
    ]
    for args, message in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 1 and message in result.stderr, result.output
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("a.")) == []


def test_app_export_says_how_many_were_never_reviewed(tmp_path: Path) -> None:
    db = tmp_path / "review.sqlite3"
    draft, total = _reviewed_database(db)
    response = TestClient(create_app(db_path=db), base_url="http://127.0.0.1").get(
        f"/drafts/{draft}/export.docx"
    )
    assert response.status_code == 200
    assert response.headers["x-unreviewed-bullets"] == f"{total - 2} of {total}"


def test_every_review_command_is_in_the_readme() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("review list", "review export", "review delete"):
        assert f"briefing-nlp {command}" in readme
        help_text = runner.invoke(app, [*command.split(), "--help"]).output
        assert f"Example: briefing-nlp {command}" in help_text


def test_an_export_names_the_charts_themes_from_the_users_taxonomy(tmp_path: Path) -> None:
    from dataclasses import replace

    from briefing_nlp.review_export import export_draft
    from briefing_nlp.taxonomy import load_taxonomy

    db = tmp_path / "review.sqlite3"
    draft, _ = _reviewed_database(db)
    shipped = load_taxonomy()
    renamed = replace(
        shipped,
        themes=tuple(replace(t, name=f"Our {t.name.lower()}") for t in shipped.themes),
    )
    store = Store(db, Settings().prevalence_scale)
    html = export_draft(store, draft, "html", taxonomy=renamed).content
    default = export_draft(store, draft, "html").content
    store.close()
    assert isinstance(html, str) and isinstance(default, str)
    assert "Our identity and diversity: strengths" in html
    assert "Identity and diversity: strengths" in default and "Our " not in default
