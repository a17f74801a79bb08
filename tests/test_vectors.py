"""Domain vectors: rebuilt from a folder of reports, shipped hashed, used for paraphrases."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from briefing_nlp.classify import StatementClassifier, forget_loaded_models
from briefing_nlp.cli import app
from briefing_nlp.corpus import read_authorities
from briefing_nlp.errors import CorpusError, ModelError
from briefing_nlp.reports import load_reports, report_sentences
from briefing_nlp.vectors import DomainVectors, train_vectors
from tests.conftest import MODEL_DIR

# Findings in made-up inspection prose, repeated with variations so floret has enough
# text to train on in a second.
PHRASES = [
    "Supervision is regular but not always reflective.",
    "Management oversight is variable and sometimes superficial.",
    "Return home interviews are offered promptly when children go missing.",
    "Chronologies are not kept up to date on children's records.",
    "Health assessments for children in care are completed late.",
    "Social workers know their children well and visit them often.",
    "Plans lack clear timescales and contingency arrangements.",
    "Partners share information quickly at strategy meetings.",
]
TINY = {"dim": 8, "bucket": 2000, "epoch": 2, "minCount": 1, "thread": 1}


def _reports(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for number, authority in enumerate(("northtown", "southville", "eastham")):
        body = "\n\n".join(
            f"{n + 1}.\n\n" + " ".join(PHRASES[(n + k) % len(PHRASES)] for k in range(4))
            for n in range(30)
        )
        text = f"Inspection of {authority.title()} local authority children’s services\n\n{body}\n"
        name = f"{1000 + number}_{authority}__children_s_services_inspection_-_01_may_2024.txt"
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_vectors_rebuild_from_a_folder_of_reports_leaving_out_authorities(tmp_path: Path) -> None:
    reports = _reports(tmp_path / "reports")
    assert {r.authority for r in load_reports(reports)} == {"northtown", "southville", "eastham"}
    out = tmp_path / "vectors"
    report = train_vectors(
        reports,
        out,
        exclude_authorities=["Eastham"],
        extra_texts=["chrono o/d, TM to review"],
        settings=TINY,
    )
    assert report.reports == 2 and report.authorities == 2 and report.excluded_authorities == 1
    assert report.extra_rows == 1 and report.sentences > 100
    facts = json.loads((out / "vectors.json").read_text(encoding="utf-8"))
    assert facts["excluded"] == ["eastham"]
    vectors = DomainVectors.load(out)
    rows = vectors.statement_vectors(["supervision not reflective", "", "the of and"])
    assert rows.shape == (3, 8)
    assert np.isclose(np.linalg.norm(rows[0]), 1.0)
    assert not rows[1].any() and not rows[2].any()  # nothing to average: zeros


def test_report_text_loses_its_page_furniture() -> None:
    text = (
        "Inspection of Northtown local authority children’s services\n"
        "Inspection dates: 3 to 7 June 2024\n\n1.\n\n"
        "Supervision is regular but\n\n"
        "Inspection of Northtown local authority children’s services\n3 to 7 June 2024\n\n2\n\f"
        "not always reflective. Plans are clear.\n"
    )
    assert report_sentences(text) == [
        "Supervision is regular but not always reflective.",
        "Plans are clear.",
    ]


def test_missing_report_folder_and_authority_list_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="report folder not found"):
        load_reports(tmp_path / "none")
    with pytest.raises(CorpusError, match="authority list not found"):
        read_authorities(tmp_path / "none.txt")
    result = CliRunner().invoke(app, ["train-vectors", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "report folder not found" in result.output
    assert "Traceback" not in result.output


def test_shipped_vectors_bring_paraphrases_together() -> None:
    vectors = DomainVectors.load(MODEL_DIR / "vectors")
    rows = vectors.statement_vectors(
        [
            "dental check missed this year",
            "annual health assessment not done",
            "frequent changes of worker",
            "child has had many different social workers",
            "chronology up to date",
        ]
    )
    similarity = rows @ rows.T
    assert similarity[0, 1] > similarity[0, 4]
    assert similarity[2, 3] > similarity[2, 4]


def test_the_model_refuses_vectors_that_differ_from_its_meta(tmp_path: Path) -> None:
    model = tmp_path / "models"
    shutil.copytree(MODEL_DIR, model)
    table = model / "vectors" / "vectors"
    data = bytearray(table.read_bytes())
    data[-1] ^= 0xFF
    table.write_bytes(bytes(data))
    forget_loaded_models()
    with pytest.raises(ModelError, match=r"domain vectors do not match meta\.json"):
        StatementClassifier.load(model)
    shutil.rmtree(model / "vectors")
    forget_loaded_models()
    with pytest.raises(ModelError, match="domain vectors missing"):
        StatementClassifier.load(model)
