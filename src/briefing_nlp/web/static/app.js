// Review page: renders the draft from JSON and sends every edit to the server at once.
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
  let selected = null;  // bullet id

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function say(message, isError) {
    const status = document.getElementById("status");
    status.textContent = message;
    status.className = isError ? "error" : "saved";
  }

  let inFlight = 0;  // edits sent and not yet answered

  async function send(edit) {
    say("Saving…");
    inFlight += 1;
    try {
      const response = await fetch(`/api/drafts/${state.id}/edits`, {
        method: "POST", headers: {"Content-Type": "application/json"},
        body: JSON.stringify({...edit, base_revision: state.revision}),
      });
      const body = await response.json();
      if (!response.ok) { say(body.error || "Could not save that change", true); return; }
      state = body;
      document.getElementById("reload-notice").hidden = true;
      render();
      typedNotice(body.notice, edit);
      say(body.stale ? "Saved. This draft had also been changed in another tab or by another reviewer: you now see the latest version."
                     : "Saved");
    } catch (error) {
      say("Could not reach the app: your change was not saved", true);
    } finally {
      inFlight -= 1;
    }
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
      const shown = field === "title" ? (state.title || "(title of audit)") : state[field];
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

  function asideNode(bullet) {
    const source = bullet.sources[0];
    return el("li", {class: "aside", "data-id": String(bullet.id)},
      el("span", {class: "aside-text"}, bullet.wording), " ",
      source ? el("span", {class: "record"}, source.label || `Record ${source.record}`) : null, " ",
      el("button", {class: "promote", onclick: () => send({kind: "place", bullet: bullet.id, aside: false})},
        "Add to briefing"));
  }

  function cue(confidence) {
    if (confidence < LOOK_FIRST_BELOW) return ["low", "look first"];
    if (confidence < 0.8) return ["medium", "check"];
    return ["high", "confident"];
  }

  function bulletNode(bullet) {
    const [level, label] = cue(bullet.confidence);
    const node = el("li", {class: `bullet ${bullet.status} ${bullet.id === selected ? "selected" : ""}`,
                           "data-id": String(bullet.id), tabindex: "0",
                           onclick: () => { selected = bullet.id; mark(); }});
    const text = el("p", {class: "text"}, bullet.text);
    const meta = el("div", {class: "meta"},
      el("span", {class: "support"}, `${bullet.support.length} of ${state.records.length} records`),
      el("span", {class: `cue ${level}`, title: `confidence ${bullet.confidence.toFixed(2)}`}, label),
      bullet.suggested ? el("span", {class: "suggested"}, "suggested") : null,
      bullet.status !== "pending" ? el("span", {class: `badge ${bullet.status}`}, bullet.status) : null,
      ...bullet.themes.map((t) => el("span", {class: "theme"}, t.replace(/_/g, " "))));
    const actions = el("div", {class: "actions"},
      el("button", {class: "accept", onclick: () => send({kind: "status", bullet: bullet.id,
        status: bullet.status === "accepted" ? "pending" : "accepted"})}, "Accept"),
      el("button", {class: "reject", onclick: () => send({kind: "status", bullet: bullet.id,
        status: bullet.status === "rejected" ? "pending" : "rejected"})}, "Reject"),
      el("button", {class: "edit", onclick: () => startEdit(bullet)}, "Edit"),
      el("button", {class: "up", title: "Move up", onclick: () => send({kind: "reorder", bullet: bullet.id, direction: "up"})}, "↑"),
      el("button", {class: "down", title: "Move down", onclick: () => send({kind: "reorder", bullet: bullet.id, direction: "down"})}, "↓"),
      moveSelect(bullet), mergeSelect(bullet),
      bullet.support.length === 1 && !bullet.suggested
        ? el("button", {class: "set-aside", title: "List it under 'Seen in one record' instead of the briefing",
                        onclick: () => send({kind: "place", bullet: bullet.id, aside: true})}, "Set aside")
        : null);
    const sources = el("details", {class: "sources"},
      el("summary", {}, `${bullet.sources.length} source statement${bullet.sources.length === 1 ? "" : "s"} · themes`),
      el("ul", {}, ...bullet.sources.map((s) => el("li", {},
        el("span", {class: "record"}, s.label || `Record ${s.record}`), " ",
        el("q", {}, s.text), s.primary ? null : el("span", {class: "muted"}, " (also supports this)"),
        bullet.sources.length > 1 ? el("button", {class: "split", onclick: () => send({kind: "split", source: s.id})}, "Move out") : null))),
      themeEditor(bullet));
    // append() writes a null as the text "null": leave the impact out when there is none.
    node.append(...[text, bullet.section === "worry" ? impactNode(bullet) : null, meta, actions, sources]
      .filter((child) => child !== null));
    return node;
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

  function moveSelect(bullet) {
    const select = el("select", {class: "move", "aria-label": "Move to section",
      onchange: (e) => e.target.value && send({kind: "move", bullet: bullet.id, section: e.target.value})},
      el("option", {value: ""}, "Move to…"),
      ...SECTIONS.filter((s) => s !== bullet.section).map((s) => el("option", {value: s}, NAMES[s])));
    return select;
  }

  function mergeSelect(bullet) {
    const others = inBriefing(bullet.section).filter((b) => b.id !== bullet.id);
    return el("select", {class: "merge", "aria-label": "Merge into",
      onchange: (e) => e.target.value && send({kind: "merge", bullet: bullet.id, into: Number(e.target.value)})},
      el("option", {value: ""}, "Merge into…"),
      ...others.map((b) => el("option", {value: String(b.id)}, b.text.slice(0, 80))));
  }

  function themeEditor(bullet) {
    const box = el("fieldset", {class: "themes"}, el("legend", {}, "Themes"));
    for (const theme of THEMES) {
      const input = el("input", {type: "checkbox", value: theme});
      input.checked = bullet.themes.includes(theme);
      input.addEventListener("change", () => {
        const chosen = [...box.querySelectorAll("input:checked")].map((i) => i.value);
        send({kind: "themes", bullet: bullet.id, themes: chosen});
      });
      box.append(el("label", {}, input, " " + theme.replace(/_/g, " ")));
    }
    return box;
  }

  function startEdit(bullet) {
    const node = document.querySelector(`li[data-id="${bullet.id}"]`);
    // Only the words are edited: the count is the records' and is written from them.
    const area = el("textarea", {class: "editor", rows: "3", "aria-label": "Bullet wording"});
    area.value = bullet.wording;
    const save = el("button", {class: "save", onclick: () => send({kind: "text", bullet: bullet.id, text: area.value})}, "Save");
    const cancel = el("button", {onclick: render}, "Cancel");
    const note = bullet.count_phrase
      ? el("p", {class: "muted count-note"}, `The count, ${bullet.count_phrase.replace(/,$/, "")}, follows the records behind this bullet and is kept up to date for you.`)
      : null;
    node.querySelector(".text").replaceWith(el("div", {class: "editing"}, note, area, save, cancel));
    area.focus();
    area.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); save.click(); }
      if (e.key === "Escape") render();
    });
  }

  function render() {
    renderHeader();
    for (const section of SECTIONS) {
      const list = document.getElementById(`section-${section}`);
      const shown = inBriefing(section);
      list.replaceChildren(...shown.map(bulletNode));
      if (!shown.length) list.append(el("li", {class: "muted empty"}, "(none)"));
      const aside = state.sections[section].filter((b) => b.aside);
      const box = document.getElementById(`one-record-${section}`);
      box.hidden = !aside.length;
      box.querySelector("summary").textContent =
        `Seen in one record, not in the briefing (${aside.length})`;
      box.querySelector("ul").replaceChildren(...aside.map(asideNode));
    }
    const grades = Object.entries(state.grades).map(([g, r]) => `${r.length} graded ${g}`).join("; ");
    document.getElementById("records-line").textContent =
      `${state.records.length} record${state.records.length === 1 ? "" : "s"} audited.` + (grades ? ` Grades: ${grades}.` : "");
    const flagged = allBullets().filter((b) => b.confidence < LOOK_FIRST_BELOW && b.status === "pending");
    const look = document.getElementById("look-first-list");
    look.replaceChildren(
      ...flagged.map((b) => el("li", {}, el("a", {href: "#", onclick: (e) => { e.preventDefault(); selected = b.id; mark(); }}, b.text))),
      ...state.unplaced.map((u) => el("li", {class: "unplaced"}, `Not placed in any bullet — ${u.label}: `, el("q", {}, u.text))));
    document.getElementById("look-first").hidden = !(flagged.length || state.unplaced.length);
    // Undo and redo replay this browser's own edits: say which one, so nobody undoes a
    // colleague's work thinking it is theirs.
    const undo = document.getElementById("undo"), redo = document.getElementById("redo");
    undo.disabled = !state.can_undo;
    redo.disabled = !state.can_redo;
    undo.title = state.undo_label || "Nothing of yours to undo";
    redo.title = state.redo_label || "Nothing of yours to redo";
    document.getElementById("undo-scope").textContent =
      state.undo_label || "Undo and redo change only your own edits in this browser";
    mark();
  }

  function mark() {
    document.querySelectorAll("li.bullet").forEach((n) =>
      n.classList.toggle("selected", Number(n.dataset.id) === selected));
    const node = document.querySelector("li.bullet.selected");
    if (node) node.scrollIntoView({block: "nearest"});
  }

  function step(delta) {
    const ids = allBullets().map((b) => b.id);
    if (!ids.length) return;
    const at = ids.indexOf(selected);
    selected = ids[Math.max(0, Math.min(ids.length - 1, at === -1 ? 0 : at + delta))];
    mark();
  }

  document.addEventListener("keydown", (e) => {
    if (e.target.closest("input, textarea, select") || e.ctrlKey || e.metaKey || e.altKey) return;
    const bullet = allBullets().find((b) => b.id === selected);
    if (e.key === "j") step(1);
    else if (e.key === "k") step(-1);
    else if (e.key === "u") send({kind: "undo"});
    else if (e.key === "U") send({kind: "redo"});
    else if (e.key === "?") document.getElementById("help").hidden ^= true;
    else if (bullet && e.key === "a") send({kind: "status", bullet: bullet.id, status: "accepted"});
    else if (bullet && e.key === "r") send({kind: "status", bullet: bullet.id, status: "rejected"});
    else if (bullet && e.key === "e") { e.preventDefault(); startEdit(bullet); }
    else if (bullet && "1234".includes(e.key) && e.key.length === 1) {
      const section = SECTIONS[Number(e.key) - 1];
      if (section !== bullet.section) send({kind: "move", bullet: bullet.id, section});
    } else return;
    e.preventDefault();
  });

  // The download goes ahead; the reviewer is told what leaves unread.
  document.querySelectorAll("a[href*='/export.']").forEach((link) => link.addEventListener("click", () => {
    const bullets = allBullets();
    const pending = bullets.filter((b) => b.status === "pending").length;
    say(pending ? `Exported. ${pending} of ${bullets.length} bullets ${pending === 1 ? "was" : "were"} never reviewed (neither accepted nor rejected) and are exported as drafted.`
                : `Exported. All ${bullets.length} bullets were reviewed.`, false);
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
  document.getElementById("help-button").addEventListener("click", () => {
    document.getElementById("help").hidden ^= true;
  });
  document.querySelectorAll("form.add").forEach((form) => form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = form.elements.text.value.trim();
    if (text) send({kind: "add", section: form.dataset.section, text}).then(() => { form.reset(); });
  }));
  render();
})();
