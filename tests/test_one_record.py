"""Findings seen in one record that the draft is not sure of: listed apart, never lost,
and a reviewer can add them to the briefing (or set a one-record bullet aside)."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import docx
import pytest
from typer.testing import CliRunner

from briefing_nlp.cli import app
from briefing_nlp.draft import draft_briefing
from briefing_nlp.errors import InputError
from briefing_nlp.render import render_briefing
from briefing_nlp.review import apply_edit
from briefing_nlp.review_export import export_draft
from briefing_nlp.settings import PROJECT_ROOT, Settings
from briefing_nlp.store import Store, to_briefing
from briefing_nlp.store_schema import MIGRATIONS
from tests.conftest import old_review_database

NOTES = PROJECT_ROOT / "examples" / "neglect-cp" / "notes.txt"
runner = CliRunner()


def _texts(bullets: Any) -> list[str]:
    return [b.text for b in bullets]


def test_only_unsure_one_record_findings_are_listed_apart(briefing: Any) -> None:
    cut = Settings().one_record_min_confidence
    aside = [b for bs in briefing.one_record.values() for b in bs]
    assert aside  # the example has some: a fragment of an action, a detail of good practice
    for bullet in aside:
        assert len(bullet.support) == 1 and bullet.confidence < cut and not bullet.suggested
    kept = [b for bs in briefing.sections.values() for b in bs if not b.suggested]
    assert all(b.confidence >= cut for b in kept if len(b.support) == 1)
    assert any(len(b.support) == 1 for b in kept)  # sure one-record findings stay in
    ids = [b.id for b in briefing.all_bullets]
    assert len(ids) == len(set(ids))


def test_zero_keeps_every_finding_in_the_briefing(briefing: Any) -> None:
    everything = draft_briefing([NOTES], settings=Settings(one_record_min_confidence=0.0))
    assert everything.one_record == {}
    drafted = sorted(b.text for b in everything.all_bullets)
    assert drafted == sorted(b.text for b in briefing.all_bullets)


def test_renderers_keep_them_out_of_the_briefing_and_in_the_appendix(briefing: Any) -> None:
    aside = [b for bs in briefing.one_record.values() for b in bs]
    plain = render_briefing(briefing, "md")
    assert isinstance(plain, str)
    assert not any(b.sources[0].text in plain for b in aside)
    appendix = render_briefing(briefing, "md", evidence=True)
    assert isinstance(appendix, str)
    listed = appendix.split("### Seen in one record (not in the briefing)")[1]
    assert all(f'"{b.sources[0].text}"' in listed for b in aside)
    word = docx.Document(io.BytesIO(bytes(render_briefing(briefing, "docx", evidence=True))))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert "Seen in one record (not in the briefing)" in headings
    out = json.loads(str(render_briefing(briefing, "json")))
    assert {s: [b["text"] for b in bs] for s, bs in out["one_record"].items()} == {
        s: _texts(bs) for s, bs in briefing.one_record.items()
    }
    shown = [b["text"] for bs in out["sections"].values() for b in bs]
    assert not set(_texts(aside)) & set(shown)


def test_draft_says_how_many_were_left_out(tmp_path: Path) -> None:
    result = runner.invoke(app, ["draft", str(NOTES), "-o", str(tmp_path / "b.md")])
    assert result.exit_code == 0, result.output
    assert "seen in only one record" in result.stderr and "--evidence" in result.stderr
    result = runner.invoke(app, ["draft", str(NOTES), "--evidence", "-o", str(tmp_path / "e.md")])
    assert "seen in only one record" not in result.stderr


def _aside(state: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for bs in state["sections"].values() for b in bs if b["aside"]]


def test_a_reviewer_adds_one_to_the_briefing_and_sets_one_aside(
    store: Store, briefing: Any
) -> None:
    draft = store.add_draft(briefing)
    state = store.draft(draft)
    listed = _aside(state)
    assert [b["text"] for b in listed] == _texts(
        b for bs in briefing.one_record.values() for b in bs
    )
    assert store.list_drafts()[0].bullets == sum(len(bs) for bs in briefing.sections.values())

    chosen = listed[0]
    state = apply_edit(store, draft, {"kind": "place", "bullet": chosen["id"], "aside": False}, ())
    assert chosen["id"] not in [b["id"] for b in _aside(state)]
    exported = to_briefing(state)
    assert chosen["text"] in _texts(exported.sections[chosen["section"]])
    assert "added a one-record finding" in state["undo_label"]

    # A one-record bullet of the briefing can be set aside; a recurring one cannot.
    single = next(
        b
        for bs in state["sections"].values()
        for b in bs
        if len(b["support"]) == 1 and not b["aside"] and not b["suggested"]
    )
    state = apply_edit(store, draft, {"kind": "place", "bullet": single["id"], "aside": True}, ())
    assert single["id"] in [b["id"] for b in _aside(state)]
    word = docx.Document(io.BytesIO(bytes(export_draft(store, draft, "docx").content)))
    assert single["text"] not in [p.text for p in word.paragraphs]
    recurring = next(b for b in state["sections"]["worry"] if len(b["support"]) > 1)
    with pytest.raises(InputError, match="only a bullet seen in one record"):
        apply_edit(store, draft, {"kind": "place", "bullet": recurring["id"], "aside": True}, ())
    with pytest.raises(InputError, match="'aside' must be true or false"):
        apply_edit(store, draft, {"kind": "place", "bullet": single["id"], "aside": "yes"}, ())

    # Undo brings each back where it was.
    state = apply_edit(store, draft, {"kind": "undo"}, ())
    assert single["id"] not in [b["id"] for b in _aside(state)]
    state = apply_edit(store, draft, {"kind": "undo"}, ())
    assert chosen["id"] in [b["id"] for b in _aside(state)]


def test_a_second_record_puts_a_listed_finding_in_the_briefing(store: Store, briefing: Any) -> None:
    draft = store.add_draft(briefing)
    state = store.draft(draft)
    listed = _aside(state)[0]
    other = next(
        b
        for b in state["sections"][listed["section"]]
        if not b["aside"] and set(b["support"]) - set(listed["support"])
    )
    state = apply_edit(
        store, draft, {"kind": "merge", "bullet": other["id"], "into": listed["id"]}, ()
    )
    merged = next(b for b in state["sections"][listed["section"]] if b["id"] == listed["id"])
    assert not merged["aside"] and len(merged["support"]) > 1


def _one_bullet_database(path: Path, version: int, confidence: float) -> None:
    """A database left at `version` holding one unedited worry, "No plan.", of record 1."""
    snap = {"1": {"id": 1, "section": "worry", "wording": "No plan", "sources": []}}
    old_review_database(
        path,
        version,
        wording="No plan.",
        support=[1],
        confidence=confidence,
        edited=False,
        before=snap,
        after=snap,
    )


def test_schema_5_database_opens_with_nothing_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "review.sqlite3"
    _one_bullet_database(path, 5, confidence=0.05)
    store = Store(path, Settings().prevalence_scale)
    assert store._db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    # A bullet drafted before the list existed stays in the briefing, however unsure.
    assert store.draft(1)["sections"]["worry"][0]["aside"] is False
    before, after = store._db.execute("SELECT before, after FROM edits").fetchone()
    assert json.loads(before)["1"]["aside"] == 0 and json.loads(after)["1"]["aside"] == 0
    store.close()


def test_schema_6_database_opens_with_records_that_kept_no_text(tmp_path: Path) -> None:
    """Records stored before version 7 kept no text: the record reads as empty and its
    sources' places as unknown (-1), so the review app says the text was not kept."""
    path = tmp_path / "review.sqlite3"
    _one_bullet_database(path, 6, confidence=0.5)
    with sqlite3.connect(path) as old:
        old.execute(
            "INSERT INTO sources (bullet_id, record, text, is_primary) VALUES (1, 1, 'No plan', 1)"
        )
    store = Store(path, Settings().prevalence_scale)
    assert store.record(1, 1) == {"ordinal": 1, "label": "Audit 1", "text": ""}
    source = store.draft(1)["sections"]["worry"][0]["sources"][0]
    assert (source["start"], source["end"]) == (-1, -1)
    store.close()
