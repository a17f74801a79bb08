"""The audits as a collection in a real browser: the start page's list, two cycles
compared, a year at a glance; accessible (axe-core), with the README's screenshots."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from briefing_nlp.settings import PROJECT_ROOT
from tests.browser.conftest import LiveServer
from tests.browser.test_review_app import act, paste_and_draft, wait_saved
from tests.browser.test_triage import _axe_problems

REAUDIT = (PROJECT_ROOT / "examples" / "cycles" / "neglect-cp-reaudit" / "notes.txt").read_text(
    encoding="utf-8"
)
DOCS = PROJECT_ROOT / "docs"


def _shot(page: Any, name: str, tmp_path: Path) -> None:
    """A screenshot for the README, refreshed only on request (UPDATE_SCREENSHOT=1)."""
    path = DOCS / name if os.environ.get("UPDATE_SCREENSHOT") else tmp_path / name
    page.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 10_000


def test_list_compare_and_programme_pages(page: Any, live: LiveServer, tmp_path: Path) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    paste_and_draft(page, live, title="Neglect audit")
    act(page.locator("#section-worry li.bullet").first, "accept")
    wait_saved(page)
    paste_and_draft(page, live, REAUDIT, title="Neglect re-audit")

    page.goto(live.url + "/")
    rows = page.locator("table.audits tr.audit")
    expect(rows).to_have_count(2)
    texts = rows.all_inner_texts()
    assert "Neglect re-audit" in texts[0] and "\t12\t" in texts[0] and "not reviewed" in texts[0]
    assert "Neglect audit" in texts[1] and "\t14\t" in texts[1] and "1 of" in texts[1]
    assert _axe_problems(page) == []
    _shot(page, "start-page.png", tmp_path)

    # The earlier audit is offered first as the earlier one, the latest as the later one.
    assert "Neglect audit" in page.locator("#compare-old option:checked").inner_text()
    assert "re-audit" in page.locator("#compare-new option:checked").inner_text()
    page.click("#compare-button")
    page.wait_for_url("**/compare?*")
    expect(page.locator("h1")).to_have_text("Audit cycles compared")
    worries = page.locator('table.compared[data-section="worry"] tr.finding')
    assert worries.count() >= 8
    statuses = set(page.locator("td.status").all_inner_texts())
    assert {s.split(" ", 1)[1] for s in statuses} >= {"improved", "worse", "new", "persisting"}
    charts = page.locator("figure.chart svg[role=img]")
    expect(charts).to_have_count(2)
    assert charts.first.bounding_box()["height"] > 100  # drawn, not blank
    assert _axe_problems(page) == []
    page.locator("table.compared").first.scroll_into_view_if_needed()
    _shot(page, "compare-page.png", tmp_path)
    with page.expect_download() as download:
        page.click('a[href^="/compare/export.docx"]')
    assert download.value.suggested_filename.endswith(".docx")

    page.goto(live.url + "/")
    page.click("#programme-button")
    page.wait_for_url("**/programme?*")
    expect(page.locator("h1")).to_have_text("A year at a glance")
    recurring = page.locator("#recurring-worries li").all_inner_texts()
    assert any(t.startswith("Family engagement: a worry in 2 of 2 audits") for t in recurring)
    assert _axe_problems(page) == []
    _shot(page, "programme-page.png", tmp_path)


def test_the_review_page_shows_the_drafts_chart(page: Any, live: LiveServer) -> None:
    paste_and_draft(page, live)
    page.click("#chart-box summary")
    image = page.locator("#chart")
    expect(image).to_be_visible()
    assert image.get_attribute("alt").startswith("Strengths and worries by theme")
    assert image.evaluate("node => node.naturalWidth") > 100  # the image loaded and drew
    assert page.inner_text("#chart-description").startswith("Strengths and worries")
    assert _axe_problems(page) == []
