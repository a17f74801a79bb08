"""Count phrases stay true in the review store: edits, merges, splits, moves, migration."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import docx
import pytest

from briefing_nlp.compose import parse_scale, prevalence_word
from briefing_nlp.counts import render_text, split_count_phrase
from briefing_nlp.render import render_briefing
from briefing_nlp.review import apply_edit
from briefing_nlp.settings import Settings
from briefing_nlp.store import Store, to_briefing
from briefing_nlp.store_schema import MIGRATIONS
from briefing_nlp.taxonomy import load_taxonomy

SCALE = parse_scale(Settings().prevalence_scale)
THEMES = load_taxonomy(Settings().taxonomy_path).slugs


@pytest.mark.parametrize(
    ("text", "wording", "phrase"),
    [
        (
            "In most records (11 of 14), chronology out of date.",
            "chronology out of date.",
            "In most records (11 of 14),",
        ),
        (
            "In almost all records (13 of 14), SOS used.",
            "SOS used.",
            "In almost all records (13 of 14),",
        ),
        ("In one record (1 of 14), dad not seen.", "dad not seen.", "In one record (1 of 14),"),
        ("in a few records (2 of 9) plan drift", "plan drift", "in a few records (2 of 9)"),
        (
            "Update the chronology (agreed in 2 of 14 records).",
            "Update the chronology.",
            "(agreed in 2 of 14 records).",
        ),
        ("Chronologies were not kept up to date.", "Chronologies were not kept up to date.", ""),
        ("In most cases the plan was SMART.", "In most cases the plan was SMART.", ""),
        ("In most records (11 of 14),", "", "In most records (11 of 14),"),
    ],
)
def test_count_phrase_is_split_from_the_wording(text: str, wording: str, phrase: str) -> None:
    assert split_count_phrase(text) == (wording, phrase)


@pytest.mark.parametrize(
    ("section", "support", "suggested", "expected"),
    [
        (
            "worry",
            [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
            False,
            "In most records (12 of 14), chronology out of date.",
        ),
        ("worry", [3], False, "In one record (1 of 14), chronology out of date."),
        ("action", [1, 2], False, "Chronology out of date (agreed in 2 of 14 records)."),
        ("worry", [], False, "chronology out of date."),  # added by hand, no record behind it
        ("action", [1, 2], True, "chronology out of date."),  # a template action
    ],
)
def test_count_phrase_is_rendered_from_support(
    section: str, support: list[int], suggested: bool, expected: str
) -> None:
    assert (
        render_text(section, "chronology out of date.", support, 14, SCALE, suggested) == expected
    )


def _bullet(state: dict[str, Any], bullet_id: int) -> dict[str, Any]:
    return next(b for s in state["sections"].values() for b in s if b["id"] == bullet_id)


def _count(text: str) -> int:
    """The n of "(n of 14)" or "(agreed in n of 14 records)" in a bullet's text."""
    phrase = split_count_phrase(text)[1]
    return int(phrase.split(" of ")[0].rsplit("(", 1)[-1].split()[-1])


def test_stored_draft_reads_as_drafted(store: Store, briefing: Any) -> None:
    state = store.draft(store.add_draft(briefing))
    for section, bullets in briefing.sections.items():
        stored = state["sections"][section]
        assert [b["text"] for b in stored if not b["aside"]] == [b.text for b in bullets]
        aside = briefing.one_record.get(section, ())
        assert [b["text"] for b in stored if b["aside"]] == [b.text for b in aside]


def test_edit_then_merge_split_and_move_keep_the_count_true(store: Store, briefing: Any) -> None:
    draft = store.add_draft(briefing)
    worries = store.draft(draft)["sections"]["worry"]
    first, second = (
        worries[0],
        next(b for b in worries[1:] if set(b["support"]) - set(worries[0]["support"])),
    )
    # The reviewer rewrites the words and even leaves the old count in: it is not kept.
    typed = f"{split_count_phrase(first['text'])[1]} Chronologies were not kept up to date."
    state = apply_edit(store, draft, {"kind": "text", "bullet": first["id"], "text": typed}, THEMES)
    assert _bullet(state, first["id"])["wording"] == "Chronologies were not kept up to date."

    state = apply_edit(
        store, draft, {"kind": "merge", "bullet": second["id"], "into": first["id"]}, THEMES
    )
    merged = _bullet(state, first["id"])
    support = set(first["support"]) | set(second["support"])
    assert merged["support"] == sorted(support) and len(support) > len(first["support"])
    assert _count(merged["text"]) == len(support)
    assert merged["text"].endswith(", chronologies were not kept up to date.")
    word = prevalence_word(len(support), 14, SCALE)
    assert merged["text"].startswith(f"In {word} records ({len(support)} of 14), ")

    exported = render_briefing(to_briefing(state), "docx")
    paragraphs = [p.text for p in docx.Document(io.BytesIO(exported)).paragraphs]
    # The worry's impact follows its words in the same paragraph.
    assert f"{merged['text']} Impact: {merged['impact']}" in " ".join(paragraphs)
    assert f"({len(first['support'])} of 14)" not in " ".join(
        p for p in paragraphs if "chronologies were not kept" in p
    )

    # Move one record's statement out: the count drops with it.
    leaving = next(
        s
        for s in merged["sources"]
        if s["record"] in set(second["support"]) - set(first["support"])
    )
    state = apply_edit(store, draft, {"kind": "split", "source": leaving["id"]}, THEMES)
    after_split = _bullet(state, first["id"])
    assert _count(after_split["text"]) == len(after_split["support"]) == len(support) - 1

    # Moved to the actions, the same count is written the actions' way.
    state = apply_edit(
        store, draft, {"kind": "move", "bullet": first["id"], "section": "action"}, THEMES
    )
    moved = _bullet(state, first["id"])
    assert moved["text"] == (
        f"Chronologies were not kept up to date (agreed in {len(support) - 1} of 14 records)."
    )
    # Undo walks back through the same states, each with its own true count.
    for _ in range(2):
        state = apply_edit(store, draft, {"kind": "undo"}, THEMES)
    assert _bullet(state, first["id"])["text"] == merged["text"]


def test_added_bullet_gains_a_count_when_records_join_it(store: Store, briefing: Any) -> None:
    draft = store.add_draft(briefing)
    state = apply_edit(
        store, draft, {"kind": "add", "section": "worry", "text": "Drift in plans."}, THEMES
    )
    added = state["sections"]["worry"][-1]
    assert added["text"] == "Drift in plans." and added["support"] == []
    donor = state["sections"]["worry"][0]
    state = apply_edit(
        store, draft, {"kind": "merge", "bullet": donor["id"], "into": added["id"]}, THEMES
    )
    grown = _bullet(state, added["id"])
    assert grown["support"] == donor["support"]
    assert grown["text"].endswith(", drift in plans.") and _count(grown["text"]) == len(
        donor["support"]
    )


def test_a_text_of_only_a_count_is_refused(store: Store, briefing: Any) -> None:
    from briefing_nlp.errors import InputError

    draft = store.add_draft(briefing)
    bullet = store.draft(draft)["sections"]["worry"][0]
    with pytest.raises(InputError, match="more than the count"):
        apply_edit(
            store,
            draft,
            {"kind": "text", "bullet": bullet["id"], "text": "In most records (3 of 14), "},
            THEMES,
        )


def _version_2_database(path: Path) -> None:
    """A review database as version 2 wrote it: an edited bullet whose text holds the
    count of its day, one record short of its support now (the stale-count bug)."""
    old = sqlite3.connect(path)
    old.executescript(MIGRATIONS[0] + MIGRATIONS[1] + "PRAGMA user_version = 2;")
    old.execute(
        "INSERT INTO drafts (title, date, context, grades, created_at) "
        "VALUES ('Old audit', '', '', '{}', '2026-01-01')"
    )
    old.executemany(
        "INSERT INTO records (draft_id, ordinal, label) VALUES (1, ?, ?)",
        [(n, f"Audit {n}") for n in range(1, 15)],
    )
    rows = [
        # id, section, text, wording, support, suggested, edited
        (
            1,
            "worry",
            "In most records (11 of 14), Chronologies not kept up to date.",
            "chronology out of date",
            list(range(1, 13)),
            0,
            1,
        ),
        (
            2,
            "worry",
            "In a few records (2 of 14), dad not invited.",
            "dad not invited",
            [1, 2],
            0,
            0,
        ),
        (
            3,
            "action",
            "Review the chronology monthly.",
            "Review the chronology monthly.",
            [1, 2],
            1,
            0,
        ),
        (4, "strength", "Hand-written strength", "Hand-written strength", [], 0, 1),
    ]
    for bullet_id, section, text, wording, support, suggested, edited in rows:
        old.execute(
            "INSERT INTO bullets (id, draft_id, section, position, text, wording, themes, "
            "support, confidence, suggested, edited, status) "
            "VALUES (?, 1, ?, ?, ?, ?, '[]', ?, 0.9, ?, ?, 'pending')",
            (
                bullet_id,
                section,
                float(bullet_id),
                text,
                wording,
                json.dumps(support),
                suggested,
                edited,
            ),
        )
        for record in support if not suggested else []:
            old.execute(
                "INSERT INTO sources (bullet_id, record, text, is_primary) VALUES (?, ?, ?, 1)",
                (bullet_id, record, f"statement of record {record}"),
            )
    snapshot = {
        "1": {
            "id": 1,
            "section": "worry",
            "position": 1.0,
            "text": "In most records (11 of 14), chronology out of date.",
            "wording": "chronology out of date",
            "themes": "[]",
            "support": json.dumps(list(range(1, 12))),
            "confidence": 0.9,
            "suggested": 0,
            "edited": 0,
            "status": "pending",
            "deleted": 0,
            "draft_id": 1,
            "sources": [],
        }
    }
    after = json.loads(json.dumps(snapshot))
    after["1"]["text"] = "In most records (11 of 14), Chronologies not kept up to date."
    after["1"]["edited"] = 1
    old.execute(
        "INSERT INTO edits (draft_id, kind, before, after, created_at) "
        "VALUES (1, 'text', ?, ?, '2026-01-01')",
        (json.dumps(snapshot), json.dumps(after)),
    )
    old.commit()
    old.close()


def test_version_2_database_opens_with_true_counts(tmp_path: Path) -> None:
    path = tmp_path / "review.sqlite3"
    _version_2_database(path)
    store = Store(path, Settings().prevalence_scale)
    state = store.draft(1)
    texts = {b["id"]: b["text"] for s in state["sections"].values() for b in s}
    assert texts == {
        1: "In most records (12 of 14), chronologies not kept up to date.",
        2: "In a few records (2 of 14), dad not invited.",
        3: "Review the chronology monthly.",
        4: "Hand-written strength",
    }
    assert store._db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    columns = {r[1] for r in store._db.execute("PRAGMA table_info(bullets)")}
    assert "text" not in columns and "wording" in columns
    # The old edit's snapshots were migrated too: undo brings back the auditors' wording.
    state = apply_edit(store, 1, {"kind": "undo"}, THEMES)
    assert _bullet(state, 1)["text"] == "In most records (11 of 14), chronology out of date."
    store.close()


@pytest.mark.parametrize("pack", ["care-leavers", "cla-permanence", "front-door", "neglect-cp"])
def test_a_bullet_carries_its_wording_so_the_store_never_parses_it_back(
    pack: str, classifier: Any
) -> None:
    """Drafting says what each bullet says without its count phrase; it is what the
    store used to cut out of the text, and the count phrase put back around it gives
    the drafted text."""
    from briefing_nlp.draft import draft_briefing

    root = Path(__file__).resolve().parents[1]
    briefing = draft_briefing([root / "examples" / pack / "notes.txt"], classifier=classifier)
    scale = parse_scale("all=1.0, almost all=0.9, most=0.75, many=0.5, some=0.2, a few=0")
    for bullet in briefing.all_bullets:
        assert bullet.wording
        if bullet.suggested:
            assert bullet.wording == bullet.text
            continue
        assert bullet.wording == split_count_phrase(bullet.text)[0]
        total = len(briefing.records)
        assert render_text(bullet.section, bullet.wording, bullet.support, total, scale) == (
            bullet.text
        )
