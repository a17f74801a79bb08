"""Review at keyboard speed, in a real browser: the triage layout, every key, the filters,
search and sort, the record beside the bullet, and accessibility (axe-core)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import LiveServer
from tests.browser.test_review_app import (
    act,
    bullet_ids,
    open_bullet,
    paste_and_draft,
    pick,
    wait_saved,
)

LAPTOP = {"width": 1366, "height": 768}


def state_of(page: Any) -> dict[str, Any]:
    return page.evaluate(  # type: ignore[no-any-return]
        "async () => (await fetch(location.pathname.replace('/drafts/', '/api/drafts/'))).json()"
    )


def shown_ids(page: Any) -> list[str]:
    return [str(n.get_attribute("data-id")) for n in page.locator("li.bullet").all()]


def selected_id(page: Any) -> str:
    return str(page.locator("li.bullet.selected").get_attribute("data-id"))


def test_fifteen_bullets_fit_a_laptop_screen_one_line_each(browser: Any, live: LiveServer) -> None:
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.set_default_timeout(20_000)
    paste_and_draft(page, live)
    rows = page.locator("li.bullet").all()
    boxes = [r.bounding_box() for r in rows]
    inside = [b for b in boxes if b and b["y"] >= 0 and b["y"] + b["height"] <= LAPTOP["height"]]
    assert len(inside) >= 15, len(inside)
    for row in rows:
        # One line, and one button (the Actions menu) rather than a row of buttons.
        assert row.bounding_box()["height"] < 32
        assert row.locator("button").count() == 1
        assert row.locator("select").count() == 0
    context.close()


def test_a_and_r_move_on_to_the_next_unreviewed_bullet(page: Any, live: LiveServer) -> None:
    paste_and_draft(page, live)
    page.keyboard.press("j")
    order = shown_ids(page)
    assert selected_id(page) == order[0]
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert selected_id(page) == order[0]
    page.keyboard.press("a")
    wait_saved(page)
    assert selected_id(page) == order[1]
    page.keyboard.press("r")
    wait_saved(page)
    assert selected_id(page) == order[2]
    # Back to the first (reviewed) one: a and r skip the reviewed ones on the way.
    page.keyboard.press("k")
    page.keyboard.press("k")
    page.keyboard.press("r")
    wait_saved(page)
    assert selected_id(page) == order[2]
    classes = {
        i: str(page.locator(f'li.bullet[data-id="{i}"]').get_attribute("class")) for i in order[:2]
    }
    assert "rejected" in classes[order[0]] and "rejected" in classes[order[1]]
    expect(page.locator("#progress")).to_have_text(f"2 of {len(order)} reviewed")


def test_undo_and_redo_say_what_they_undid(page: Any, live: LiveServer) -> None:
    paste_and_draft(page, live)
    page.keyboard.press("j")
    first = selected_id(page)
    words = page.locator("li.bullet.selected .text").inner_text()
    page.keyboard.press("a")
    wait_saved(page)
    page.keyboard.press("u")
    expect(page.locator("#status")).to_have_text(re.compile(r"^Undone: accepted “"))
    assert words.split(", ", 1)[1][:20] in page.inner_text("#status")
    assert "accepted" not in str(
        page.locator(f'li.bullet[data-id="{first}"]').get_attribute("class")
    )
    page.keyboard.press("U")
    expect(page.locator("#status")).to_have_text(re.compile(r"^Redone: accepted “"))
    assert "accepted" in str(page.locator(f'li.bullet[data-id="{first}"]').get_attribute("class"))


def test_e_edits_the_words_and_escape_leaves_them(page: Any, live: LiveServer) -> None:
    paste_and_draft(page, live)
    page.keyboard.press("j")
    before = page.locator("li.bullet.selected .text").inner_text()
    page.keyboard.press("e")
    editor = page.locator("li.bullet.selected textarea.editor")
    expect(editor).to_be_focused()
    editor.press("Escape")
    expect(page.locator("textarea.editor")).to_have_count(0)
    assert page.locator("li.bullet.selected .text").inner_text() == before
    page.keyboard.press("e")
    page.locator("textarea.editor").fill("Seen at home and at nursery within timescales.")
    page.locator("textarea.editor").press("Enter")
    wait_saved(page)
    assert (
        page.locator("li.bullet.selected .text")
        .inner_text()
        .endswith("seen at home and at nursery within timescales.")
    )
    page.select_option("#filter-status", "edited")
    assert shown_ids(page) == [selected_id(page)]


def test_m_merges_into_a_bullet_picked_by_typing(page: Any, live: LiveServer) -> None:
    paste_and_draft(page, live)
    state = state_of(page)
    worries = state["sections"]["worry"]
    donor, target = worries[3], worries[1]
    page.locator(f'li.bullet[data-id="{donor["id"]}"] .row .text').click()
    page.keyboard.press("m")
    expect(page.locator("#quick-pick")).to_be_visible()
    expect(page.locator("#quick-pick-input")).to_be_focused()
    # A few letters of two of the target's words pick it out.
    words = [w for w in re.findall(r"[a-z]{5,}", target["wording"].lower())][:2]
    page.keyboard.type(" ".join(w[:4] for w in words))
    options = page.locator("#quick-pick-list li[data-value]")
    assert str(target["id"]) in [o.get_attribute("data-value") for o in options.all()]
    assert options.count() < len(worries) - 1
    while page.locator("#quick-pick-list li.active").get_attribute("data-value") != str(
        target["id"]
    ):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    wait_saved(page)
    assert str(donor["id"]) not in bullet_ids(page, "worry")
    merged = set(target["support"]) | set(donor["support"])
    node = page.locator(f'li.bullet[data-id="{target["id"]}"]')
    assert (
        node.locator(".support").inner_text() == f"{len(merged)} of {len(state['records'])} records"
    )
    # Escape leaves the picker without merging anything.
    page.keyboard.press("m")
    page.keyboard.press("Escape")
    expect(page.locator("#quick-pick")).to_be_hidden()
    assert len(bullet_ids(page, "worry")) == len(worries) - 1


def test_x_moves_a_statement_out_by_key_and_by_mouse(page: Any, live: LiveServer) -> None:
    paste_and_draft(page, live)
    state = state_of(page)
    bullet = next(b for b in state["sections"]["worry"] if len(b["sources"]) >= 3)
    count = len(bullet_ids(page, "worry"))
    page.locator(f'li.bullet[data-id="{bullet["id"]}"] .row .text').click()
    page.keyboard.press("x")
    expect(page.locator("#quick-pick-list li[data-value]")).to_have_count(len(bullet["sources"]))
    moved = bullet["sources"][-1]
    pick(page, moved["id"])
    wait_saved(page)
    assert len(bullet_ids(page, "worry")) == count + 1
    after = {b["id"]: b for b in state_of(page)["sections"]["worry"]}
    assert len(after[bullet["id"]]["sources"]) == len(bullet["sources"]) - 1
    # The mouse way: the open bullet's statement has a Move out button.
    node = page.locator(f'li.bullet[data-id="{bullet["id"]}"]')
    open_bullet(node)
    node.locator("button.split").first.click()
    wait_saved(page)
    assert len(bullet_ids(page, "worry")) == count + 2


def test_number_keys_move_between_sections(page: Any, live: LiveServer) -> None:
    paste_and_draft(page, live)
    page.keyboard.press("j")
    moving = selected_id(page)
    page.keyboard.press("3")
    wait_saved(page)
    assert moving in bullet_ids(page, "action")
    page.keyboard.press("u")
    wait_saved(page)
    assert moving in bullet_ids(page, "strength")


def test_search_filters_and_sorts(page: Any, live: LiveServer) -> None:
    paste_and_draft(page, live)
    state = state_of(page)
    every = [b for s in state["sections"].values() for b in s if not b["aside"]]
    by_id = {str(b["id"]): b for b in every}
    expect(page.locator("#shown")).to_have_text(f"{len(every)} bullets")

    # "/" goes to the search box; the search reads bullets and their statements.
    page.keyboard.press("/")
    expect(page.locator("#search")).to_be_focused()
    page.keyboard.type("chronology")
    shown = shown_ids(page)
    assert shown and len(shown) < len(every)
    for i in shown:
        text = " ".join([by_id[i]["text"]] + [s["text"] for s in by_id[i]["sources"]])
        assert "chronology" in text.lower()
    assert f"{len(shown)} of {len(every)} bullets shown" == page.inner_text("#shown")
    page.fill("#search", "")

    page.select_option("#filter-section", "worry")
    assert {by_id[i]["section"] for i in shown_ids(page)} == {"worry"}
    assert page.locator('section[data-section="strength"]').is_hidden()
    page.select_option("#filter-section", "")

    theme = every[0]["themes"][0]
    page.select_option("#filter-theme", theme)
    assert shown_ids(page) and all(theme in by_id[i]["themes"] for i in shown_ids(page))
    page.select_option("#filter-theme", "")

    page.select_option("#filter-confidence", "low")
    low = shown_ids(page)
    assert low and len(low) < len(every)
    for i in low:
        assert page.locator(f'li.bullet[data-id="{i}"] .cue').inner_text().endswith("look first")
    page.select_option("#filter-confidence", "")

    act(page.locator(f'li.bullet[data-id="{every[0]["id"]}"]'), "accept")
    wait_saved(page)
    page.select_option("#filter-status", "accepted")
    assert shown_ids(page) == [str(every[0]["id"])]
    page.select_option("#filter-status", "pending")
    assert str(every[0]["id"]) not in shown_ids(page) and len(shown_ids(page)) == len(every) - 1
    page.select_option("#filter-status", "")
    expect(page.locator("#progress")).to_have_text(f"1 of {len(every)} reviewed")

    for order, key, reverse in (("confidence", "confidence", False), ("count", "support", True)):
        page.select_option("#sort", order)
        for section in ("strength", "worry", "action", "good_practice"):
            values = [
                by_id[i][key] if key == "confidence" else len(by_id[i][key])
                for i in bullet_ids(page, section)
            ]
            assert values == sorted(values, reverse=reverse), (order, section)
    page.select_option("#sort", "")

    # "Look at these first" is a filter: the unreviewed bullets the draft is least sure of.
    page.click("#look-first-button")
    assert page.input_value("#filter-confidence") == "low"
    assert page.input_value("#filter-status") == "pending"
    assert set(shown_ids(page)) == set(low) - {str(every[0]["id"])}

    # Export reports progress too.
    with page.expect_download():
        page.click("#export-docx")
    assert f"1 of {len(every)} reviewed" in page.inner_text("#status")


def test_the_whole_record_beside_the_bullet(page: Any, live: LiveServer) -> None:
    paste_and_draft(page, live)
    state = state_of(page)
    bullet = next(b for b in state["sections"]["worry"] if len(b["sources"]) >= 2)
    page.locator(f'li.bullet[data-id="{bullet["id"]}"] .row .text').click()
    page.keyboard.press("o")
    pane = page.locator("#record-pane")
    expect(pane).to_be_visible()
    first, second = bullet["sources"][0], bullet["sources"][1]
    expect(page.locator("#record-title")).to_have_text(first["label"])
    expect(page.locator("#record-text mark")).to_have_text(first["text"])
    record = page.inner_text("#record-text")
    assert len(record) > len(first["text"]) and record.startswith(first["label"].split(" ")[0])
    # o again: the next statement's record.
    page.keyboard.press("o")
    expect(page.locator("#record-text mark")).to_have_text(second["text"])
    expect(page.locator("#record-title")).to_have_text(second["label"])
    page.keyboard.press("Escape")
    expect(pane).to_be_hidden()
    # The mouse way: a statement's record label opens it.
    node = page.locator(f'li.bullet[data-id="{bullet["id"]}"]')
    node.locator("button.show-record").first.click()
    expect(page.locator("#record-text mark")).to_have_text(first["text"])
    page.click("#close-record")
    expect(pane).to_be_hidden()


def test_question_mark_lists_every_key(page: Any, live: LiveServer) -> None:
    paste_and_draft(page, live)
    help_box = page.locator("#help")
    expect(help_box).to_be_hidden()
    page.keyboard.press("?")
    expect(help_box).to_be_visible()
    keys = help_box.locator("kbd").all_inner_texts()
    for key in ["j", "k", "a", "r", "e", "m", "x", "o", "1", "4", "/", "u", "U", "Esc", "?"]:
        assert key in keys, key
    page.keyboard.press("?")
    expect(help_box).to_be_hidden()
    page.click("#help-button")
    expect(help_box).to_be_visible()
    assert page.get_attribute("#help-button", "aria-expanded") == "true"


def test_the_actions_menu_works_from_the_keyboard(page: Any, live: LiveServer) -> None:
    paste_and_draft(page, live)
    node = page.locator("#section-worry li.bullet").first
    node.locator("button.menu-button").focus()
    page.keyboard.press("Enter")
    menu = node.locator("ul.menu")
    expect(menu).to_be_visible()
    expect(menu.locator("button").first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(menu.locator("button.reject")).to_be_focused()
    page.keyboard.press("Enter")
    wait_saved(page)
    assert "rejected" in str(page.locator("#section-worry li.bullet").first.get_attribute("class"))
    node.locator("button.menu-button").click()
    page.keyboard.press("Escape")
    expect(node.locator("ul.menu")).to_have_count(0)


def test_title_date_and_context_edits_are_undone_like_any_edit(page: Any, live: LiveServer) -> None:
    paste_and_draft(page, live, title="Neglect audit")
    page.locator('button.header-edit:has-text("Edit context")').click()
    page.fill("textarea.header-editor", "Re-audit after the partnership review.")
    page.click("button.header-save")
    wait_saved(page)
    assert page.inner_text("#context") == "Re-audit after the partnership review."
    page.keyboard.press("u")
    expect(page.locator("#status")).to_have_text(re.compile(r"^Undone: edited the context"))
    assert page.inner_text("#context") != "Re-audit after the partnership review."


def _axe_problems(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_start_review_and_export_pages_pass_axe(
    page: Any, live: LiveServer, tmp_path: Path
) -> None:
    """WCAG 2.2 AA as axe-core checks it: no serious or critical violation on the start
    page, the review page (with a bullet open, its menu, the picker, the keys and the
    record open) and the exported HTML."""
    page.goto(live.url + "/")
    assert _axe_problems(page) == []
    paste_and_draft(page, live)
    assert _axe_problems(page) == []
    page.keyboard.press("j")
    page.keyboard.press("o")
    expect(page.locator("#record-pane")).to_be_visible()
    page.locator("li.bullet.selected button.menu-button").click()
    assert _axe_problems(page) == []
    page.keyboard.press("Escape")
    page.keyboard.press("m")
    assert _axe_problems(page) == []
    page.keyboard.press("Escape")
    page.keyboard.press("?")
    assert _axe_problems(page) == []
    with page.expect_download() as download:
        page.locator('a[href$="export.html"]').click()
    exported = tmp_path / "briefing.html"
    download.value.save_as(exported)
    page.goto(exported.as_uri())
    assert _axe_problems(page) == []
