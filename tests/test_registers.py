"""Registers the model was not trained on (benchmarks/registers/): floors at what the
shipped model reads, less a small margin, so a change that reads them worse is seen."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefing_nlp.classify import StatementClassifier
from briefing_nlp.evaluate import section_report, theme_report
from briefing_nlp.taxonomy import load_taxonomy

PROBES = Path(__file__).resolve().parents[1] / "benchmarks" / "registers"
# Measured in session 19 (benchmarks/registers.json), less 0.03.
FLOORS = {
    "qa-writing": (0.95, 0.81),
    "reviews-and-letters": (0.90, 0.80),
    "terse-jottings": (0.86, 0.79),
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_register_probes_hold_their_floors(classifier: StatementClassifier, name: str) -> None:
    rows = [json.loads(line) for line in (PROBES / f"{name}.jsonl").read_text().splitlines()]
    assert len(rows) == 120 and all(row["text"] and row["section"] for row in rows)
    predicted = classifier.classify([row["text"] for row in rows], evidence=False)
    sections = section_report([row["section"] for row in rows], [p.section for p in predicted])
    themes = theme_report(
        [tuple(row["themes"]) for row in rows],
        [p.themes for p in predicted],
        list(load_taxonomy().slugs),
    )
    section_floor, theme_floor = FLOORS[name]
    assert sections["macro_f1"] >= section_floor
    assert themes["micro_f1"] >= theme_floor


def test_every_register_probe_has_a_floor() -> None:
    assert sorted(p.stem for p in PROBES.glob("*.jsonl")) == sorted(FLOORS)
