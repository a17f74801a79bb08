"""Rendering: Word layout read back with python-docx, escaped HTML, JSON contract, templates."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest

from briefing_nlp.classify import StatementClassifier
from briefing_nlp.compose import Briefing
from briefing_nlp.draft import draft_briefing
from briefing_nlp.errors import TemplateError
from briefing_nlp.render import HEADINGS, render_briefing

NOTES = """Title: Chronology audit
Date: May 2024
Context: Learning review

Audit 1 - audited with SW
- Chronology out of date <script>alert(1)</script>
- Voice of the child clear
- SW to update chronology
Audit 2
- chrono not updated since March
- voice clear, quotes used
- Excellent life story work - will share at team meeting
"""


@pytest.fixture(scope="module")
def briefing(classifier: StatementClassifier) -> Briefing:
    return draft_briefing([NOTES], classifier=classifier)


def test_docx_reads_back_with_headings_and_bullets(briefing: Briefing) -> None:
    content = render_briefing(briefing, "docx", evidence=True)
    assert isinstance(content, bytes)
    document = docx.Document(io.BytesIO(content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for key in ("title", "context", "strength", "worry", "action", "good_practice"):
        assert HEADINGS[key] in headings
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert any("(2 of 2)" in b and "hrono" in b for b in bullets)
    assert "Chronology audit" in [p.text for p in document.paragraphs]
    assert any(p.style.name == "List Bullet 2" for p in document.paragraphs)


def test_html_escapes_notes(briefing: Briefing) -> None:
    html = render_briefing(briefing, "html", evidence=True)
    assert isinstance(html, str)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_markdown_has_six_steps(briefing: Briefing) -> None:
    text = render_briefing(briefing, "md")
    assert isinstance(text, str)
    for number, key in enumerate(
        ("title", "context", "strength", "worry", "action", "good_practice"), start=1
    ):
        assert f"## {number}. {HEADINGS[key]}" in text


def test_json_contract(briefing: Briefing) -> None:
    data = json.loads(render_briefing(briefing, "json"))
    assert {"title", "date", "context", "records", "sections"} <= set(data)
    assert data["records"][0] == {"ordinal": 1, "label": "Audit 1 - audited with SW"}
    assert set(data["sections"]) == {"strength", "worry", "action", "good_practice"}
    for bullets in data["sections"].values():
        for bullet in bullets:
            assert set(bullet) == {
                "id",
                "text",
                "themes",
                "support",
                "sources",
                "confidence",
                "suggested",
                "impact",
                "impact_suggested",
            }
            assert all(set(s) == {"record", "text"} for s in bullet["sources"])
            assert 0 <= bullet["confidence"] <= 1


def test_user_templates_override_the_shipped_ones(briefing: Briefing, tmp_path: Path) -> None:
    (tmp_path / "briefing.md.j2").write_text("Audit: {{ briefing.title }}\n", encoding="utf-8")
    assert render_briefing(briefing, "md", template_dir=tmp_path) == "Audit: Chronology audit\n"
    # Templates the user did not provide fall back to the shipped ones.
    assert "<html" in str(render_briefing(briefing, "html", template_dir=tmp_path))


def test_broken_template_is_one_line(briefing: Briefing, tmp_path: Path) -> None:
    (tmp_path / "briefing.md.j2").write_text("{% for x in %}\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"briefing.md.j2:1: template syntax error"):
        render_briefing(briefing, "md", template_dir=tmp_path)
    with pytest.raises(TemplateError, match="template folder not found"):
        render_briefing(briefing, "md", template_dir=tmp_path / "nope")
