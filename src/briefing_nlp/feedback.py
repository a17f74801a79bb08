"""Reviewers' corrections exported from the review store in the corpus format."""

from __future__ import annotations

import json
from pathlib import Path

from briefing_nlp.errors import InputError
from briefing_nlp.settings import Settings
from briefing_nlp.statements_io import write_atomic
from briefing_nlp.store import Store, default_db_path


def export_feedback(db_path: Path | None, output: Path, settings: Settings) -> int:
    """Write each kept correction as `{"text", "section", "themes"}`; returns the count.

    The latest label of a statement wins, so a bullet moved twice yields one row.

    Raises:
        InputError: the database does not exist.
    """
    path = Path(db_path or default_db_path())
    if not path.is_file():
        raise InputError(
            f"{path}: no review database here; give --db or run `briefing-nlp serve` first"
        )
    store = Store(path, settings.prevalence_scale)
    try:
        latest: dict[str, dict[str, object]] = {}
        for row in store.feedback_rows():
            latest[" ".join(str(row["text"]).split())] = {
                "text": row["text"],
                "section": row["section"],
                "themes": row["themes"],
            }
    finally:
        store.close()
    write_atomic(output, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in latest.values()))
    return len(latest)
