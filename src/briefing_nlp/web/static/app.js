// Review page: a triage list of the draft's bullets, one line each, reviewed from the
// keyboard or the mouse; every edit goes to the server at once.
// All text from notes goes through textContent, never innerHTML, so notes cannot run.
"use strict";
(function () {
  const initial = JSON.parse(document.getElementById("initial").textContent);
  const SECTIONS = initial.sections;
  const THEMES = initial.themes;
  const LOOK_FIRST_BELOW = initial.look_first_below;  // calibrated in confidence.py
  const NAMES = {strength: "What's working well?", worry: "Worries",
                 action: "What needs to happen?", good_practice: "Good practice"};
  let state = initial.draft;
  let selected = null;  // bullet id: the selected bullet is open in place
  let openMenu = null;  // bullet id whose Actions menu is open
  let shownRecord = null;  // {bullet, source} in the record pane
  const records = new Map();  // record ordinal -> {label, text}, fetched once
  // This browser's own edits, described, so Undo can say what it undoes.
  const done = [], undone = [];

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function say(message, isError) {
    const status = document.getElementById("status");
    status.textContent = message;
    status.className = isError ? "error" : "saved";
  }

  function short(text, most) {
    const words = text.replace(/^In [a-z ]+records? \(\d+ of \d+\), /, "");
    return words.length > most ? words.slice(0, most - 1) + "…" : words;
  }

  function describe(edit) {
    const bullet = findBullet(edit.bullet);
    const what = bullet ? `“${short(bullet.text, 60)}”` : "a bullet";
    switch (edit.kind) {
      case "status": return `${edit.status === "pending" ? "cleared the review of" : edit.status} ${what}`;
      case "text": return `edited ${what}`;
      case "move": return `moved ${what} to ${NAMES[edit.section]}`;
      case "merge": return `merged ${what} into “${short((findBullet(edit.into) || {text: "another"}).text, 40)}”`;
      case "split": return "moved a statement out to its own bullet";
      case "themes": return `changed the themes of ${what}`;
      case "add": return `added “${short(edit.text, 50)}”`;
      case "reorder": return `moved ${what} ${edit.direction}`;
      case "impact": return `changed the impact of ${what}`;
      case "header": return `edited the ${edit.field}`;
      case "place": return edit.aside ? `set aside ${what}` : `added ${what} to the briefing`;
      default: return "your last change";
    }
  }

  let inFlight = 0;  // edits sent and not yet answered

  async function send(edit, after) {
    say("Saving…");
    inFlight += 1;
    const label = edit.kind === "undo" ? (done[done.length - 1] || serverLabel(state.undo_label))
      : edit.kind === "redo" ? (undone[undone.length - 1] || serverLabel(state.redo_label))
      : describe(edit);
    try {
      const response = await fetch(`/api/drafts/${state.id}/edits`, {
        method: "POST", headers: {"Content-Type": "application/json"},
        body: JSON.stringify({...edit, base_revision: state.revision}),
      });
      const body = await response.json();
      if (!response.ok) { say(body.error || "Could not save that change", true); return; }
      state = body;
      if (edit.kind === "undo") undone.push(done.pop() || label);
      else if (edit.kind === "redo") done.push(undone.pop() || label);
      else { done.push(label); undone.length = 0; }
      document.getElementById("reload-notice").hidden = true;
      if (after) after();
      render();
      typedNotice(body.notice, edit);
      const stale = body.stale ? " This draft had also been changed in another tab or by another reviewer: you now see the latest version." : "";
      if (edit.kind === "undo") say(`Undone: ${label}.${stale}`);
      else if (edit.kind === "redo") say(`Redone: ${label}.${stale}`);
      else say(stale ? `Saved.${stale}` : "Saved");
    } catch (error) {
      say("Could not reach the app: your change was not saved", true);
    } finally {
      inFlight -= 1;
    }
  }

  function serverLabel(label) {
    return (label || "your last change").replace(/^(Undo your last change|Redo your change): /, "");
  }

  // What the reviewer typed was redacted before it was stored: say what was replaced,
  // and offer to store it as typed instead (an explicit choice, sent as a new edit).
  function typedNotice(notice, edit) {
    const box = document.getElementById("typed-notice");
    const keep = document.getElementById("keep-typed");
    if (edit.kind === "undo" || edit.kind === "redo") return;
    box.hidden = !notice;
    document.getElementById("typed-notice-text").textContent = notice || "";
    keep.hidden = !notice;
    keep.onclick = () => { box.hidden = true; send({...edit, keep_as_typed: true}); };
  }

  function startHeaderEdit(field) {
    const holder = document.querySelector(`.header-field[data-field="${field}"]`);
    const input = el(field === "context" ? "textarea" : "input",
                     {class: "header-editor", "aria-label": `Edit the ${field}`});
    input.value = state[field];
    const save = el("button", {class: "header-save", onclick: () => send({kind: "header", field, text: input.value})}, "Save");
    const cancel = el("button", {onclick: render}, "Cancel");
    holder.replaceChildren(input, save, cancel);
    input.focus();
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); save.click(); }
      if (e.key === "Escape") render();
    });
  }

  function renderHeader() {
    for (const field of ["title", "date", "context"]) {
      const holder = document.querySelector(`.header-field[data-field="${field}"]`);
      const shown = field === "title" ? (state.title || "(title of audit)")
        : (state[field] || `(no ${field})`);
      holder.replaceChildren(el("span", {id: field}, shown), " ",
        el("button", {class: "header-edit", onclick: () => startHeaderEdit(field)}, `Edit ${field}`));
    }
  }

  // Two tabs on one draft: the last write wins per bullet, and the tab that did not
  // make it is told to reload rather than go on editing an old copy.
  async function checkRevision() {
    if (inFlight || document.hidden) return;
    try {
      const response = await fetch(`/api/drafts/${state.id}/revision`);
      if (!response.ok) return;
      const {revision} = await response.json();
      if (revision !== state.revision && !inFlight) document.getElementById("reload-notice").hidden = false;
    } catch (error) { /* the app may be restarting; try again on the next tick */ }
  }

  async function reload() {
    const response = await fetch(`/api/drafts/${state.id}`);
    if (!response.ok) { say("Could not load the latest version", true); return; }
    state = await response.json();
    document.getElementById("reload-notice").hidden = true;
    render();
    say("Showing the latest version");
  }

  // The briefing's bullets; findings seen in one record that the draft was not sure of
  // are listed apart (asideNode) until the reviewer adds them to the briefing.
  function inBriefing(section) {
    return state.sections[section].filter((b) => !b.aside);
  }

  function allBullets() {
    return SECTIONS.flatMap(inBriefing);
  }

  function findBullet(id) {
    return SECTIONS.flatMap((s) => state.sections[s]).find((b) => b.id === id);
  }

  function level(confidence) {
    if (confidence < LOOK_FIRST_BELOW) return "low";
    if (confidence < 0.8) return "medium";
    return "high";
  }
  // A mark and a word for each level and status, so colour is never the only cue.
  const CUES = {low: ["!", "look first"], medium: ["?", "check"], high: ["✓", "confident"]};
  const STATUS = {accepted: ["✓", "accepted"], rejected: ["✗", "rejected"], pending: ["○", "unreviewed"]};

  // --- find and focus -------------------------------------------------------------

  function filters() {
    return {
      search: document.getElementById("search").value.trim().toLowerCase(),
      section: document.getElementById("filter-section").value,
      theme: document.getElementById("filter-theme").value,
      status: document.getElementById("filter-status").value,
      confidence: document.getElementById("filter-confidence").value,
      sort: document.getElementById("sort").value,
    };
  }

  function matches(bullet, f) {
    if (f.section && bullet.section !== f.section) return false;
    if (f.theme && !bullet.themes.includes(f.theme)) return false;
    if (f.status === "edited" ? !bullet.edited : f.status && bullet.status !== f.status) return false;
    if (f.confidence && level(bullet.confidence) !== f.confidence) return false;
    if (f.search) {
      const haystack = [bullet.text, bullet.impact || "", ...bullet.sources.map((s) => s.text)]
        .join("\n").toLowerCase();
      if (!haystack.includes(f.search)) return false;
    }
    return true;
  }

  function ordered(bullets, sort) {
    const list = [...bullets];
    if (sort === "confidence") list.sort((a, b) => a.confidence - b.confidence);
    if (sort === "count") list.sort((a, b) => b.support.length - a.support.length);
    return list;
  }

  // The bullets shown, in the order shown (j/k walk this list).
  function visible() {
    const f = filters();
    return SECTIONS.flatMap((s) => ordered(inBriefing(s).filter((b) => matches(b, f)), f.sort));
  }

  // --- rows -----------------------------------------------------------------------

  function asideNode(bullet) {
    const source = bullet.sources[0];
    return el("li", {class: "aside", "data-id": String(bullet.id)},
      el("span", {class: "aside-text"}, bullet.wording), " ",
      source ? el("span", {class: "record"}, source.label || `Record ${source.record}`) : null, " ",
      el("button", {class: "promote", onclick: () => send({kind: "place", bullet: bullet.id, aside: false})},
        "Add to briefing"));
  }

  function themeName(theme) {
    return theme.replace(/_/g, " ");
  }

  function bulletNode(bullet) {
    const cue = level(bullet.confidence);
    const isOpen = bullet.id === selected;
    const [statusMark, statusWord] = STATUS[bullet.status] || ["", bullet.status];
    const node = el("li", {class: `bullet ${bullet.status}${bullet.edited ? " edited" : ""}${isOpen ? " selected" : ""}`,
                           "data-id": String(bullet.id), tabindex: "0",
                           "aria-current": isOpen ? "true" : "false"});
    node.addEventListener("click", (e) => {
      if (e.target.closest("button, input, textarea, select, a, .detail, .menu")) return;
      choose(bullet.id);
    });
    node.addEventListener("keydown", (e) => {
      if (e.target === node && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); choose(bullet.id); }
    });
    const row = el("div", {class: "row"},
      el("span", {class: `state ${bullet.status}`, title: statusWord},
        statusMark ? el("span", {"aria-hidden": "true"}, statusMark + " ") : null,
        el("span", {class: bullet.status === "pending" ? "visually-hidden" : "state-word"}, statusWord),
        bullet.edited ? el("span", {class: "state-word edited-word"}, " edited") : null),
      el("span", {class: "text"}, bullet.text),
      el("span", {class: "support", title: `${bullet.support.length} of ${state.records.length} records`},
        `${bullet.support.length} of ${state.records.length} records`),
      el("span", {class: "themes-short", title: bullet.themes.map(themeName).join(", ")},
        bullet.themes.length ? themeName(bullet.themes[0]) + (bullet.themes.length > 1 ? ` +${bullet.themes.length - 1}` : "") : "no theme"),
      el("span", {class: `cue ${cue}`, title: `confidence ${bullet.confidence.toFixed(2)}`},
        el("span", {"aria-hidden": "true"}, CUES[cue][0] + " "), CUES[cue][1]),
      bullet.suggested ? el("span", {class: "suggested"}, "suggested") : null,
      el("button", {class: "menu-button", "aria-haspopup": "menu", "aria-expanded": String(openMenu === bullet.id),
                    "aria-label": `Actions for “${short(bullet.text, 50)}”`,
                    onclick: () => {
                      const opening = openMenu !== bullet.id;
                      choose(bullet.id, false);
                      openMenu = opening ? bullet.id : null;
                      render();
                      if (opening) focusMenu();
                    }},
        "Actions ▾"));
    node.append(row);
    if (openMenu === bullet.id) node.append(menuNode(bullet));
    if (isOpen) node.append(detailNode(bullet));
    return node;
  }

  // The Actions menu: every key's action for the mouse.
  function menuNode(bullet) {
    const item = (cls, label, key, action) => el("li", {role: "none"},
      el("button", {class: cls, role: "menuitem", onclick: () => { openMenu = null; action(); }},
        label, key ? el("kbd", {}, key) : null));
    const items = [
      item("accept", bullet.status === "accepted" ? "Clear accept" : "Accept", "a",
        () => setStatus(bullet, bullet.status === "accepted" ? "pending" : "accepted", false)),
      item("reject", bullet.status === "rejected" ? "Clear reject" : "Reject", "r",
        () => setStatus(bullet, bullet.status === "rejected" ? "pending" : "rejected", false)),
      item("edit", "Edit words", "e", () => startEdit(bullet)),
      item("merge", "Merge into…", "m", () => pickMerge(bullet)),
      bullet.sources.length > 1 ? item("split", "Move a statement out…", "x", () => pickSplit(bullet)) : null,
      bullet.sources.length ? item("show-record", "Show the record", "o", () => showNextRecord(bullet)) : null,
      ...SECTIONS.filter((s) => s !== bullet.section).map((s) =>
        item("move", `Move to ${NAMES[s]}`, String(SECTIONS.indexOf(s) + 1),
          () => send({kind: "move", bullet: bullet.id, section: s}))),
      item("up", "Move up", null, () => send({kind: "reorder", bullet: bullet.id, direction: "up"})),
      item("down", "Move down", null, () => send({kind: "reorder", bullet: bullet.id, direction: "down"})),
      bullet.support.length === 1 && !bullet.suggested
        ? item("set-aside", "Set aside (seen in one record)", null, () => send({kind: "place", bullet: bullet.id, aside: true}))
        : null,
    ];
    const menu = el("ul", {class: "menu", role: "menu", "aria-label": "Actions"}, ...items);
    menu.querySelectorAll("button.move").forEach((button, index) => {
      button.dataset.section = SECTIONS.filter((s) => s !== bullet.section)[index];
    });
    menu.addEventListener("keydown", (e) => {
      const buttons = [...menu.querySelectorAll("button")];
      const at = buttons.indexOf(document.activeElement);
      if (e.key === "ArrowDown") { e.preventDefault(); buttons[(at + 1) % buttons.length].focus(); }
      else if (e.key === "ArrowUp") { e.preventDefault(); buttons[(at - 1 + buttons.length) % buttons.length].focus(); }
      else if (e.key === "Escape") { e.preventDefault(); e.stopPropagation(); closeMenu(); }
    });
    return menu;
  }

  function focusMenu() {
    const first = document.querySelector("ul.menu button");
    if (first) first.focus();
  }

  function closeMenu() {
    const id = openMenu;
    openMenu = null;
    render();
    const row = document.querySelector(`li.bullet[data-id="${id}"] .menu-button`);
    if (row) row.focus();
  }

  // The selected bullet, open in place: its full text, impact, statements and themes.
  function detailNode(bullet) {
    const sources = el("ul", {class: "sources"}, ...bullet.sources.map((s) => el("li", {
        class: shownRecord && shownRecord.source === s.id ? "source shown" : "source"},
      el("button", {class: "show-record link", title: "Show the whole record",
                    onclick: () => showRecord(bullet.id, s)}, s.label || `Record ${s.record}`), " ",
      el("q", {}, s.text), s.primary ? null : el("span", {class: "muted"}, " (also supports this)"),
      bullet.sources.length > 1
        ? el("button", {class: "split", title: "Move this statement out to a bullet of its own",
                        onclick: () => send({kind: "split", source: s.id})}, "Move out")
        : null)));
    const themes = el("details", {class: "theme-editor"}, el("summary", {}, `Themes: ${bullet.themes.map(themeName).join(", ") || "none"}`),
      themeEditor(bullet));
    return el("div", {class: "detail"},
      el("p", {class: "full-text"}, bullet.text),
      bullet.section === "worry" ? impactNode(bullet) : null,
      el("p", {class: "muted small"}, `${bullet.sources.length} statement${bullet.sources.length === 1 ? "" : "s"} behind this bullet`),
      sources, themes);
  }

  // A worry says why it matters: the auditors' words, or the theme's suggested impact,
  // which the reviewer keeps, edits or drops (each an edit, so undo brings it back).
  function impactNode(bullet) {
    const box = el("div", {class: "impact"});
    if (!bullet.impact) {
      box.append(el("span", {class: "muted"}, "No impact given. "),
        el("button", {class: "impact-edit", onclick: () => startImpactEdit(bullet)}, "Add impact"));
      return box;
    }
    box.append(...[el("span", {class: "impact-text"}, `Impact: ${bullet.impact}`),
      bullet.impact_suggested ? el("span", {class: "suggested"}, "suggested impact") : null,
      bullet.impact_kept ? el("span", {class: "badge accepted impact-kept"}, "kept") : null,
      bullet.impact_suggested && !bullet.impact_kept
        ? el("button", {class: "impact-keep", onclick: () => send({kind: "impact", bullet: bullet.id, action: "keep"})}, "Keep")
        : null,
      el("button", {class: "impact-edit", onclick: () => startImpactEdit(bullet)}, "Edit impact"),
      el("button", {class: "impact-drop", onclick: () => send({kind: "impact", bullet: bullet.id, action: "drop"})}, "Drop impact")]
      .filter((child) => child !== null));
    return box;
  }

  function startImpactEdit(bullet) {
    const node = document.querySelector(`li[data-id="${bullet.id}"] .impact`);
    const area = el("textarea", {class: "impact-editor", rows: "2", "aria-label": "Impact of this worry"});
    area.value = bullet.impact;
    const save = el("button", {class: "impact-save", onclick: () => send({kind: "impact", bullet: bullet.id, action: "edit", text: area.value})}, "Save impact");
    const cancel = el("button", {onclick: render}, "Cancel");
    node.replaceChildren(el("span", {class: "muted"}, "Impact: "), area, save, cancel);
    area.focus();
    area.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); save.click(); }
      if (e.key === "Escape") render();
    });
  }

  function themeEditor(bullet) {
    const box = el("fieldset", {class: "themes"}, el("legend", {class: "visually-hidden"}, "Themes"));
    for (const theme of THEMES) {
      const input = el("input", {type: "checkbox", value: theme});
      input.checked = bullet.themes.includes(theme);
      input.addEventListener("change", () => {
        const chosen = [...box.querySelectorAll("input:checked")].map((i) => i.value);
        send({kind: "themes", bullet: bullet.id, themes: chosen});
      });
      box.append(el("label", {}, input, " " + themeName(theme)));
    }
    return box;
  }

  function startEdit(bullet) {
    choose(bullet.id, false);
    const node = document.querySelector(`li[data-id="${bullet.id}"]`);
    if (!node) return;
    // Only the words are edited: the count is the records' and is written from them.
    const area = el("textarea", {class: "editor", rows: "3", "aria-label": "Bullet wording"});
    area.value = bullet.wording;
    const save = el("button", {class: "save", onclick: () => send({kind: "text", bullet: bullet.id, text: area.value})}, "Save");
    const cancel = el("button", {onclick: () => { render(); focusSelected(); }}, "Cancel");
    const note = bullet.count_phrase
      ? el("p", {class: "muted count-note"}, `The count, ${bullet.count_phrase.replace(/,$/, "")}, follows the records behind this bullet and is kept up to date for you.`)
      : null;
    node.querySelector(".detail .full-text").replaceWith(el("div", {class: "editing"}, note, area, save, cancel));
    area.focus();
    area.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); save.click(); }
      if (e.key === "Escape") { e.preventDefault(); render(); focusSelected(); }
    });
  }

  // --- accept, reject, and on to the next unreviewed ---------------------------------

  function setStatus(bullet, status, advance) {
    send({kind: "status", bullet: bullet.id, status}, () => {
      if (!advance) return;
      const list = visible();
      const at = list.findIndex((b) => b.id === bullet.id);
      const next = [...list.slice(at + 1), ...list.slice(0, Math.max(at, 0))]
        .find((b) => b.status === "pending" && b.id !== bullet.id);
      if (next) selected = next.id;
    });
  }

  // --- quick-pick: merge into, move a statement out -----------------------------------

  let pick = null;  // {choices: [{label, detail, value}], onPick}

  function openPick(title, choices, onPick) {
    if (!choices.length) { say("Nothing to pick from here", true); return; }
    pick = {choices, onPick, active: 0, shown: choices, back: document.activeElement};
    document.getElementById("quick-pick-title").textContent = title;
    const input = document.getElementById("quick-pick-input");
    input.value = "";
    document.getElementById("quick-pick").hidden = false;
    renderPick();
    input.focus();
  }

  function closePick() {
    document.getElementById("quick-pick").hidden = true;
    const back = pick && pick.back;
    pick = null;
    if (back && document.contains(back)) back.focus(); else focusSelected();
  }

  function renderPick() {
    const query = document.getElementById("quick-pick-input").value.trim().toLowerCase();
    // Every typed word must appear, in any order: "chron date" finds "chronology out of date".
    const words = query.split(/\s+/).filter(Boolean);
    pick.shown = pick.choices.filter((c) => words.every((w) => `${c.label} ${c.detail}`.toLowerCase().includes(w)));
    pick.active = Math.min(pick.active, Math.max(pick.shown.length - 1, 0));
    const list = document.getElementById("quick-pick-list");
    list.replaceChildren(...pick.shown.map((c, i) => el("li", {
        role: "option", id: `pick-${i}`, class: i === pick.active ? "active" : "",
        "data-value": String(c.value),
        "aria-selected": String(i === pick.active),
        onclick: () => choosePick(i)},
      el("span", {}, c.label), c.detail ? el("span", {class: "muted"}, ` · ${c.detail}`) : null)));
    if (!pick.shown.length) list.append(el("li", {class: "muted"}, "Nothing matches"));
    const input = document.getElementById("quick-pick-input");
    if (pick.shown.length) input.setAttribute("aria-activedescendant", `pick-${pick.active}`);
    else input.removeAttribute("aria-activedescendant");
    const active = list.querySelector(".active");
    if (active) active.scrollIntoView({block: "nearest"});
  }

  function choosePick(index) {
    const choice = pick.shown[index];
    if (!choice) return;
    const onPick = pick.onPick;
    document.getElementById("quick-pick").hidden = true;
    pick = null;
    onPick(choice.value);
  }

  document.getElementById("quick-pick-input").addEventListener("input", () => { pick.active = 0; renderPick(); });
  document.getElementById("quick-pick-input").addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown") { pick.active = Math.min(pick.active + 1, pick.shown.length - 1); renderPick(); }
    else if (e.key === "ArrowUp") { pick.active = Math.max(pick.active - 1, 0); renderPick(); }
    else if (e.key === "Enter") choosePick(pick.active);
    else if (e.key === "Escape") closePick();
    else return;
    e.preventDefault();
    e.stopPropagation();
  });

  function pickMerge(bullet) {
    const others = inBriefing(bullet.section).filter((b) => b.id !== bullet.id);
    openPick(`Merge “${short(bullet.text, 50)}” into…`,
      others.map((b) => ({label: short(b.text, 110), detail: `${b.support.length} of ${state.records.length} records`, value: b.id})),
      (into) => { selected = into; send({kind: "merge", bullet: bullet.id, into}); });
  }

  function pickSplit(bullet) {
    if (bullet.sources.length < 2) { say("This bullet has one statement: there is nothing to move out", true); return; }
    openPick("Move which statement out to a bullet of its own?",
      bullet.sources.map((s) => ({label: s.text, detail: s.label || `Record ${s.record}`, value: s.id})),
      (source) => send({kind: "split", source}));
  }

  // --- the record beside the bullet ---------------------------------------------------

  async function showRecord(bulletId, source) {
    shownRecord = {bullet: bulletId, source: source.id};
    const pane = document.getElementById("record-pane");
    pane.hidden = false;
    document.getElementById("record-title").textContent = source.label || `Record ${source.record}`;
    let record = records.get(source.record);
    if (!record) {
      const response = await fetch(`/api/drafts/${state.id}/records/${source.record}`);
      if (!response.ok) { say("Could not load that record", true); return; }
      record = await response.json();
      records.set(source.record, record);
    }
    const box = document.getElementById("record-text");
    const note = document.getElementById("record-note");
    if (!record.text) {
      note.textContent = "This draft was made before the app kept whole records: only the statement is shown.";
      box.replaceChildren(el("mark", {}, source.text));
    } else {
      let start = source.start, end = source.end;
      if (start < 0 || record.text.slice(start, end) !== source.text) {
        start = record.text.indexOf(source.text);
        end = start + source.text.length;
      }
      note.textContent = start >= 0 ? "The statement behind the bullet is highlighted." : "";
      box.replaceChildren(...(start >= 0
        ? [record.text.slice(0, start), el("mark", {id: "record-mark"}, record.text.slice(start, end)), record.text.slice(end)]
        : [record.text]));
      const mark = document.getElementById("record-mark");
      if (mark) mark.scrollIntoView({block: "nearest"});
    }
    render();
  }

  function showNextRecord(bullet) {
    if (!bullet.sources.length) { say("This bullet has no statements from the records", true); return; }
    const at = shownRecord && shownRecord.bullet === bullet.id
      ? bullet.sources.findIndex((s) => s.id === shownRecord.source) : -1;
    showRecord(bullet.id, bullet.sources[(at + 1) % bullet.sources.length]);
  }

  function closeRecord() {
    shownRecord = null;
    document.getElementById("record-pane").hidden = true;
    render();
    focusSelected();
  }

  // --- the page ---------------------------------------------------------------------

  function renderThemeFilter() {
    const select = document.getElementById("filter-theme");
    if (select.options.length > 1) return;
    select.append(...THEMES.map((t) => el("option", {value: t}, themeName(t))));
  }

  function render() {
    renderHeader();
    const f = filters();
    let shownCount = 0;
    for (const section of SECTIONS) {
      const list = document.getElementById(`section-${section}`);
      const all = inBriefing(section);
      const shown = ordered(all.filter((b) => matches(b, f)), f.sort);
      shownCount += shown.length;
      list.replaceChildren(...shown.map(bulletNode));
      if (!shown.length) list.append(el("li", {class: "muted empty"}, all.length ? "(none match the filters)" : "(none)"));
      const holder = document.querySelector(`section[data-section="${section}"]`);
      holder.hidden = Boolean(f.section && f.section !== section);
      const aside = state.sections[section].filter((b) => b.aside);
      const box = document.getElementById(`one-record-${section}`);
      box.hidden = !aside.length;
      box.querySelector("summary").textContent =
        `Seen in one record, not in the briefing (${aside.length})`;
      box.querySelector("ul").replaceChildren(...aside.map(asideNode));
    }
    const bullets = allBullets();
    const reviewed = bullets.filter((b) => b.status !== "pending").length;
    document.getElementById("progress").textContent = `${reviewed} of ${bullets.length} reviewed`;
    document.getElementById("shown").textContent = shownCount === bullets.length
      ? `${bullets.length} bullets` : `${shownCount} of ${bullets.length} bullets shown`;
    const grades = Object.entries(state.grades).map(([g, r]) => `${r.length} graded ${g}`).join("; ");
    document.getElementById("records-line").textContent =
      `${state.records.length} record${state.records.length === 1 ? "" : "s"} audited.` + (grades ? ` Grades: ${grades}.` : "");
    const flagged = bullets.filter((b) => level(b.confidence) === "low" && b.status === "pending");
    const look = document.getElementById("look-first-button");
    look.textContent = `Look at these first: ${flagged.length} unreviewed bullet${flagged.length === 1 ? "" : "s"} the draft is least sure of`;
    document.getElementById("look-first").hidden = !flagged.length;
    document.getElementById("unplaced-list").replaceChildren(...state.unplaced.map((u) =>
      el("li", {class: "unplaced"}, `Not placed in any bullet — ${u.label}: `, el("q", {}, u.text))));
    // Undo and redo replay this browser's own edits: say which one, so nobody undoes a
    // colleague's work thinking it is theirs.
    const undo = document.getElementById("undo"), redo = document.getElementById("redo");
    undo.disabled = !state.can_undo;
    redo.disabled = !state.can_redo;
    const undoWhat = done.length ? `Undo: ${done[done.length - 1]}` : state.undo_label;
    undo.title = undoWhat || "Nothing of yours to undo";
    redo.title = (undone.length ? `Redo: ${undone[undone.length - 1]}` : state.redo_label) || "Nothing of yours to redo";
    document.getElementById("undo-scope").textContent =
      state.undo_label || "Undo and redo change only your own edits in this browser";
    if (shownRecord && !findBullet(shownRecord.bullet)) {
      shownRecord = null;
      document.getElementById("record-pane").hidden = true;
    }
    mark();
    // Re-rendering replaced the focused row: keep the keyboard where the reviewer was.
    if (!document.activeElement || document.activeElement === document.body) focusSelected();
  }

  function mark() {
    const node = document.querySelector("li.bullet.selected");
    if (node) node.scrollIntoView({block: "nearest"});
  }

  function focusSelected() {
    const node = document.querySelector("li.bullet.selected");
    if (node) node.focus({preventScroll: true});
  }

  function choose(id, focus = true) {
    if (selected !== id) openMenu = null;
    selected = id;
    render();
    if (focus) focusSelected();
  }

  function step(delta) {
    const ids = visible().map((b) => b.id);
    if (!ids.length) return;
    const at = ids.indexOf(selected);
    choose(ids[Math.max(0, Math.min(ids.length - 1, at === -1 ? 0 : at + delta))]);
  }

  function toggleHelp() {
    const help = document.getElementById("help");
    help.hidden = !help.hidden;
    document.getElementById("help-button").setAttribute("aria-expanded", String(!help.hidden));
  }

  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && e.target.id === "search") { e.target.blur(); focusSelected(); return; }
    if (e.target.closest("input, textarea, select") || e.ctrlKey || e.metaKey || e.altKey) return;
    if (!document.getElementById("quick-pick").hidden) return;
    // An open Actions menu has its own keys (arrows, Enter, Esc).
    if (e.target.closest(".menu") && e.key !== "?") return;
    const bullet = allBullets().find((b) => b.id === selected);
    if (e.key === "j" || e.key === "ArrowDown") step(1);
    else if (e.key === "k" || e.key === "ArrowUp") step(-1);
    else if (e.key === "u") send({kind: "undo"});
    else if (e.key === "U") send({kind: "redo"});
    else if (e.key === "?") toggleHelp();
    else if (e.key === "/") document.getElementById("search").focus();
    else if (e.key === "Escape") {
      if (openMenu !== null) closeMenu();
      else if (!document.getElementById("help").hidden) toggleHelp();
      else if (!document.getElementById("record-pane").hidden) closeRecord();
      else return;
    }
    else if (bullet && e.key === "a") setStatus(bullet, "accepted", true);
    else if (bullet && e.key === "r") setStatus(bullet, "rejected", true);
    else if (bullet && e.key === "e") startEdit(bullet);
    else if (bullet && e.key === "m") pickMerge(bullet);
    else if (bullet && e.key === "x") pickSplit(bullet);
    else if (bullet && e.key === "o") showNextRecord(bullet);
    else if (bullet && "1234".includes(e.key) && e.key.length === 1) {
      const section = SECTIONS[Number(e.key) - 1];
      if (section !== bullet.section) send({kind: "move", bullet: bullet.id, section});
    } else return;
    e.preventDefault();
  });

  for (const id of ["search", "filter-section", "filter-theme", "filter-status", "filter-confidence", "sort"]) {
    document.getElementById(id).addEventListener(id === "search" ? "input" : "change", render);
  }
  document.getElementById("look-first-button").addEventListener("click", () => {
    document.getElementById("filter-confidence").value = "low";
    document.getElementById("filter-status").value = "pending";
    render();
    const first = visible()[0];
    if (first) choose(first.id);
  });
  document.getElementById("close-record").addEventListener("click", closeRecord);
  // The chart is drawn by the server from the draft as it stands when opened.
  document.getElementById("chart-box").addEventListener("toggle", async (e) => {
    if (!e.target.open) return;
    const url = `/drafts/${state.id}/chart.svg?revision=${state.revision}`;
    const response = await fetch(url);
    const image = document.getElementById("chart");
    const words = document.getElementById("chart-description");
    if (!response.ok) {
      image.hidden = true;
      words.textContent = (await response.json()).error || "No chart for this draft";
      return;
    }
    const description = decodeURIComponent(response.headers.get("X-Chart-Description") || "");
    image.alt = description;
    image.src = url;
    image.hidden = false;
    words.textContent = description;
  });
  // Clicks outside an open menu close it.
  document.addEventListener("click", (e) => {
    if (openMenu !== null && !e.target.closest(".menu, .menu-button")) { openMenu = null; render(); }
  });

  // The download goes ahead; the reviewer is told what leaves unread.
  document.querySelectorAll("a[href*='/export.']").forEach((link) => link.addEventListener("click", () => {
    const bullets = allBullets();
    const pending = bullets.filter((b) => b.status === "pending").length;
    const reviewed = `${bullets.length - pending} of ${bullets.length} reviewed.`;
    say(pending ? `Exported. ${reviewed} ${pending} of ${bullets.length} bullets ${pending === 1 ? "was" : "were"} never reviewed (neither accepted nor rejected) and ${pending === 1 ? "is" : "are"} exported as drafted.`
                : `Exported. ${reviewed} All ${bullets.length} bullets were reviewed.`, false);
  }));
  // Deleting removes the draft, its edits and its feedback for good: ask first.
  document.getElementById("delete-form").addEventListener("submit", (e) => {
    if (!confirm("Delete this draft with all its edits and history? This cannot be undone.")) e.preventDefault();
  });
  document.getElementById("reload").addEventListener("click", reload);
  setInterval(checkRevision, 2000);
  document.addEventListener("visibilitychange", checkRevision);
  document.getElementById("undo").addEventListener("click", () => send({kind: "undo"}));
  document.getElementById("redo").addEventListener("click", () => send({kind: "redo"}));
  document.getElementById("help-button").addEventListener("click", toggleHelp);
  document.querySelectorAll("form.add").forEach((form) => form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = form.elements.text.value.trim();
    if (text) send({kind: "add", section: form.dataset.section, text}).then(() => { form.reset(); });
  }));
  renderThemeFilter();
  render();
})();
