"""The review app through HTTP: drafting, edits with undo/redo, persistence, exports, limits."""

from __future__ import annotations

import asyncio
import concurrent.futures
import io
import re
import socket
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from briefing_nlp.settings import PROJECT_ROOT
from briefing_nlp.web import app as web_app
from briefing_nlp.web.app import create_app

NOTES = (PROJECT_ROOT / "examples" / "neglect-cp" / "notes.txt").read_text(encoding="utf-8")
SAME_ORIGIN = {"Origin": "http://127.0.0.1"}


def client(db: Path, **options: float) -> TestClient:
    return TestClient(create_app(db_path=db, **options), base_url="http://127.0.0.1")


def make_draft(app: TestClient, notes: str = NOTES) -> int:
    response = app.post(
        "/drafts",
        data={"notes": notes, "title": "Neglect"},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def edit(app: TestClient, draft: int, **body: object) -> dict:  # type: ignore[type-arg]
    response = app.post(f"/api/drafts/{draft}/edits", json=body, headers=SAME_ORIGIN)
    assert response.status_code == 200, response.text
    return response.json()


def test_draft_edit_undo_and_restart(tmp_path: Path) -> None:
    db = tmp_path / "review.sqlite3"
    app = client(db)
    draft = make_draft(app)
    page = app.get(f"/drafts/{draft}")
    assert page.status_code == 200 and "What&#39;s working well?" in page.text
    state = app.get(f"/api/drafts/{draft}").json()
    worries = state["sections"]["worry"]
    first, second = worries[0], worries[1]
    state = edit(
        app, draft, kind="text", bullet=first["id"], text="Chronologies were not kept up to date."
    )
    state = edit(app, draft, kind="merge", bullet=second["id"], into=first["id"])
    merged = next(b for b in state["sections"]["worry"] if b["id"] == first["id"])
    assert set(merged["support"]) == set(first["support"]) | set(second["support"])
    state = edit(app, draft, kind="move", bullet=first["id"], section="action")
    assert first["id"] in [b["id"] for b in state["sections"]["action"]]
    state = edit(app, draft, kind="undo")
    assert first["id"] in [b["id"] for b in state["sections"]["worry"]]
    state = edit(app, draft, kind="status", bullet=worries[2]["id"], status="rejected")
    assert not state["can_redo"]  # a new edit ends the redo chain

    again = client(db).get(f"/api/drafts/{draft}").json()  # a restarted server
    kept = {b["id"]: b for b in again["sections"]["worry"]}
    assert kept[first["id"]]["wording"] == "Chronologies were not kept up to date."
    assert kept[first["id"]]["text"].endswith(", chronologies were not kept up to date.")
    assert second["id"] not in kept
    assert kept[worries[2]["id"]]["status"] == "rejected"
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_split_add_reorder_and_themes(tmp_path: Path) -> None:
    app = client(tmp_path / "db.sqlite3")
    draft = make_draft(app)
    state = app.get(f"/api/drafts/{draft}").json()
    bullet = next(b for b in state["sections"]["strength"] if len(b["sources"]) > 1)
    moved = bullet["sources"][-1]
    state = edit(app, draft, kind="split", source=moved["id"])
    new = next(
        b for b in state["sections"]["strength"] if [s["id"] for s in b["sources"]] == [moved["id"]]
    )
    assert new["support"] == [moved["record"]]
    state = edit(
        app, draft, kind="themes", bullet=new["id"], themes=["voice_of_child", "direct_work"]
    )
    state = edit(
        app, draft, kind="add", section="good_practice", text="Share the GCP2 tool at the forum"
    )
    assert state["sections"]["good_practice"][-1]["text"] == "Share the GCP2 tool at the forum"
    ids = [b["id"] for b in state["sections"]["worry"]]
    state = edit(app, draft, kind="reorder", bullet=ids[1], direction="up")
    assert [b["id"] for b in state["sections"]["worry"]][:2] == [ids[1], ids[0]]
    for _ in range(4):
        state = edit(app, draft, kind="undo")
    assert [b["id"] for b in state["sections"]["worry"]] == ids
    assert not state["can_undo"] and state["can_redo"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"kind": "explode"}, "unknown edit kind"),
        ({"kind": "move", "bullet": 99999, "section": "worry"}, "bullet 99999 not found"),
        ({"kind": "move", "bullet": "x", "section": "worry"}, "must be a bullet or source id"),
        ({"kind": "undo"}, "nothing of yours to undo"),
        ({"kind": "themes", "bullet": 1, "themes": ["astrology"]}, "themes must be a list"),
    ],
)
def test_bad_edits_are_refused_with_a_message(tmp_path: Path, body: dict, message: str) -> None:  # type: ignore[type-arg]
    app = client(tmp_path / "db.sqlite3")
    draft = make_draft(app)
    if body.get("bullet") == 1:
        body["bullet"] = app.get(f"/api/drafts/{draft}").json()["sections"]["worry"][0]["id"]
    response = app.post(f"/api/drafts/{draft}/edits", json=body, headers=SAME_ORIGIN)
    assert response.status_code == 400 and message in response.json()["error"]


def test_exports_follow_the_edited_state(tmp_path: Path) -> None:
    app = client(tmp_path / "db.sqlite3")
    draft = make_draft(app)
    worry = app.get(f"/api/drafts/{draft}").json()["sections"]["worry"][0]
    edit(app, draft, kind="text", bullet=worry["id"], text="Edited worry text")
    rejected = app.get(f"/api/drafts/{draft}").json()["sections"]["worry"][1]
    edit(app, draft, kind="status", bullet=rejected["id"], status="rejected")
    response = app.get(f"/drafts/{draft}/export.docx")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    # The worry keeps its impact after the edit of its words.
    edited = next(b for b in bullets if "edited worry text. Impact: " in b)
    assert edited.startswith("In ") and edited.endswith(f"{worry['impact']} (suggested impact)")
    assert not [b for b in bullets if b.startswith(rejected["text"])]
    assert edited.removesuffix(" (suggested impact)") in app.get(f"/drafts/{draft}/export.md").text
    assert app.get(f"/drafts/{draft}/export.pdf").status_code == 404


def test_notes_are_escaped_in_the_page(tmp_path: Path) -> None:
    app = client(tmp_path / "db.sqlite3")
    draft = make_draft(
        app,
        "Audit 1\n- Chronology out of date <script>alert(1)</script>\n"
        "Audit 2\n- chronology not updated <b>bold</b>\n",
    )
    page = app.get(f"/drafts/{draft}").text
    assert "<script>alert(1)</script>" not in page and "<b>bold</b>" not in page
    initial = re.search(r'<script type="application/json" id="initial">(.*?)</script>', page, re.S)
    assert initial and "\\u003cscript" in initial.group(1)


@pytest.mark.parametrize(
    ("name", "content", "message", "status"),
    [
        ("notes.pdf", b"%PDF", "unsupported file type .pdf", 400),
        ("notes.docx", b"PK\x03\x04 broken", "not a readable Word document", 400),
        ("big.txt", b"Audit 1\n- x y z\n" * 70_000, "larger than 1 MB", 413),
        ("../../etc/notes.txt", b"", "notes.txt: empty", 400),
    ],
)
def test_bad_uploads_get_a_message_and_store_nothing(
    tmp_path: Path, name: str, content: bytes, message: str, status: int
) -> None:
    app = client(tmp_path / "db.sqlite3", upload_limit_mb=1)
    response = app.post("/drafts", files={"file": (name, content)}, headers=SAME_ORIGIN)
    assert response.status_code == status
    assert message in response.text
    # The reviewer sees the file's name, never where the server kept the upload.
    import tempfile

    assert (
        tempfile.gettempdir() not in response.text and "briefing-nlp-uploads" not in response.text
    )
    assert app.app.state.store.list_drafts() == []  # type: ignore[attr-defined]


def test_empty_form_asks_for_notes(tmp_path: Path) -> None:
    response = client(tmp_path / "db.sqlite3").post(
        "/drafts", data={"notes": " "}, headers=SAME_ORIGIN
    )
    assert response.status_code == 400 and "paste the auditors" in response.text


def test_cross_origin_writes_are_refused(tmp_path: Path) -> None:
    app = client(tmp_path / "db.sqlite3")
    draft = make_draft(app)
    evil = {"Origin": "http://evil.example"}
    assert app.post("/drafts", data={"notes": NOTES}, headers=evil).status_code == 403
    response = app.post(f"/api/drafts/{draft}/edits", json={"kind": "undo"}, headers=evil)
    assert response.status_code == 403
    referer = {"Referer": "http://evil.example/page"}
    assert (
        app.post(f"/api/drafts/{draft}/edits", json={"kind": "undo"}, headers=referer).status_code
        == 403
    )
    assert app.get("/", headers=evil).status_code == 200  # reading is harmless


def test_start_page_lists_earlier_drafts(tmp_path: Path) -> None:
    app = client(tmp_path / "db.sqlite3")
    make_draft(app)
    page = app.get("/").text
    assert "Neglect" in page
    assert app.get("/drafts/999").status_code == 404
    # When it was drafted reads as people write it, not as an ISO timestamp.
    assert re.search(r"<td>\d{1,2} [A-Z][a-z]+ 20\d\d, \d\d:\d\d</td>", page)
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:", page)


def test_readable_time_in_this_computers_time() -> None:
    assert web_app.readable_time("not a time") == "not a time"
    assert re.fullmatch(
        r"\d{1,2} [A-Z][a-z]+ 2026, \d\d:\d\d", web_app.readable_time("2026-12-06T18:40:00+00:00")
    )


@pytest.mark.parametrize(
    ("error", "status"),
    [
        # The type decides the status, not the message: this one reads like "not found"
        # but is a bad request, and the next one does not mention a draft at all.
        (web_app.InputError("draft text looks odd"), 400),
        (web_app.NotFoundError("gone"), 404),
        (web_app.StorageError("the review database is locked"), 503),
    ],
)
def test_errors_map_to_status_codes_by_type(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: Exception, status: int
) -> None:
    app = client(tmp_path / "db.sqlite3")
    draft = make_draft(app)

    def fail(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(app.app.state.store, "draft", fail)  # type: ignore[attr-defined]
    monkeypatch.setattr(app.app.state.store, "revision", fail)  # type: ignore[attr-defined]
    for response in (
        app.get(f"/drafts/{draft}"),
        app.get(f"/api/drafts/{draft}"),
        app.get(f"/api/drafts/{draft}/revision"),
    ):
        assert response.status_code == status, response.text
        assert str(error) in response.text


def test_a_missing_draft_is_404_and_a_missing_bullet_400(tmp_path: Path) -> None:
    app = client(tmp_path / "db.sqlite3")
    draft = make_draft(app)
    missing = draft + 1
    assert app.get(f"/api/drafts/{missing}").status_code == 404
    assert app.get(f"/drafts/{missing}/export.md").status_code == 404
    assert app.delete(f"/api/drafts/{missing}", headers=SAME_ORIGIN).status_code == 404
    body = {"kind": "status", "bullet": 1, "status": "accepted"}
    assert (
        app.post(f"/api/drafts/{missing}/edits", json=body, headers=SAME_ORIGIN).status_code == 404
    )
    # The draft exists; the bullet the body names does not: the request is wrong.
    body["bullet"] = 10**6
    response = app.post(f"/api/drafts/{draft}/edits", json=body, headers=SAME_ORIGIN)
    assert response.status_code == 400 and "not found" in response.json()["error"]


# --- the server never stalls, never answers to a stranger's name, never over-reads ------


class LiveApp:
    """The app under uvicorn on a free loopback port, for timing real concurrent requests."""

    def __init__(self, app: object) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")  # type: ignore[arg-type]
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def _slow_draft(seconds: float) -> Callable[..., object]:
    """Drafting that keeps a core busy for `seconds` (holding the GIL most of the time,
    as the real pipeline does), then drafts for real."""
    from briefing_nlp import draft

    def slow(*args: object, **kwargs: object) -> object:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            sum(range(10_000))
        return draft.draft_briefing(*args, **kwargs)  # type: ignore[arg-type]

    return slow


@pytest.mark.slow  # waits on a deliberately slow draft
def test_a_slow_draft_does_not_hold_up_other_requests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(web_app, "draft_briefing", _slow_draft(2.0))
    finished: dict[str, float] = {}
    with LiveApp(create_app(db_path=tmp_path / "db.sqlite3")) as url:

        def post() -> None:
            start = time.perf_counter()
            response = httpx.post(f"{url}/drafts", data={"notes": NOTES}, timeout=60)
            assert response.status_code == 303
            finished["draft"] = time.perf_counter()
            finished["draft_seconds"] = finished["draft"] - start

        drafting = threading.Thread(target=post)
        drafting.start()
        time.sleep(0.4)  # the draft is under way
        start = time.perf_counter()
        assert httpx.get(f"{url}/", timeout=60).status_code == 200
        finished["get"] = time.perf_counter()
        finished["get_seconds"] = finished["get"] - start
        drafting.join()
    # Ordering and a ratio, not wall-clock limits: the page came back while the draft
    # was still being worked on, in a small fraction of the draft's time.
    assert finished["get"] < finished["draft"]
    assert finished["get_seconds"] < finished["draft_seconds"] / 4, finished


@pytest.mark.slow  # fills the draft queue with waiting drafts
def test_drafts_beyond_the_cap_are_told_to_try_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(web_app, "draft_briefing", _slow_draft(1.5))
    answers: list[httpx.Response] = []
    with LiveApp(create_app(db_path=tmp_path / "db.sqlite3", max_drafts=1)) as url:
        first = threading.Thread(
            target=lambda: answers.append(httpx.post(f"{url}/drafts", data={"notes": NOTES}))
        )
        first.start()
        time.sleep(0.4)
        busy = httpx.post(f"{url}/drafts", data={"notes": NOTES})
        first.join()
        after = httpx.post(f"{url}/drafts", data={"notes": NOTES}, timeout=60)
    assert busy.status_code == 503
    message = re.search(r'<p class="error" role="alert" id="error">(.*?)</p>', busy.text)
    assert message and "busy" in message.group(1) and "try again" in message.group(1)
    assert "\n" not in message.group(1)
    assert answers[0].status_code == 303 and after.status_code == 303


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("127.0.0.1", 200),
        ("localhost:8000", 200),
        ("[::1]:8000", 200),
        ("review.example:8000", 200),  # --allow-host review.example
        ("192.168.4.20:8000", 200),  # an address in digits cannot be rebound
        ("127.0.0.1:9999", 400),  # another port than the one it serves
        ("evil.example", 400),  # DNS rebinding: an attacker's name pointed at 127.0.0.1
        ("evil.example:8000", 400),
        ("", 400),
    ],
)
def test_only_the_hosts_it_serves_are_answered(tmp_path: Path, host: str, status: int) -> None:
    app = TestClient(
        create_app(db_path=tmp_path / "db.sqlite3", port=8000, extra_hosts=["review.example"]),
        base_url="http://127.0.0.1",
    )
    assert app.get("/", headers={"Host": host}).status_code == status
    draft_read = app.get("/api/drafts/1", headers={"Host": host})
    assert draft_read.status_code == (404 if status == 200 else 400)
    if status == 400:
        assert "answers to" in draft_read.json()["error"]
        # The rebinding attack sends a matching Origin: still refused.
        edit = app.post(
            "/api/drafts/1/edits",
            json={"kind": "undo"},
            headers={"Host": host, "Origin": f"http://{host}"},
        )
        assert edit.status_code == 400


def test_security_headers_on_every_response(tmp_path: Path) -> None:
    app = client(tmp_path / "db.sqlite3")
    draft = make_draft(app)
    for path in ("/", f"/drafts/{draft}", f"/api/drafts/{draft}", "/drafts/999", "/static/app.js"):
        headers = app.get(path).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert "script-src 'self';" in headers["content-security-policy"]
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        if not path.startswith("/static/"):
            assert headers["cache-control"] == "no-store", path
    export = app.get(f"/drafts/{draft}/export.docx").headers
    assert export["cache-control"] == "no-store"


def test_pages_run_no_inline_script() -> None:
    """The CSP allows scripts from the app's own files only: no template may hold an
    inline script, an event-handler attribute or a javascript: URL."""
    for template in (PROJECT_ROOT / "src" / "briefing_nlp" / "web" / "templates").glob("*.html"):
        text = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag or 'type="application/json"' in tag, (template.name, tag)
        assert not re.search(r"\son[a-z]+\s*=", text), template.name
        assert "javascript:" not in text and " style=" not in text, template.name


async def _asgi(
    app: object, path: str, headers: list[tuple[bytes, bytes]], chunks: int, first: bytes = b""
) -> tuple[int, int]:
    """Send a POST of `first` and `chunks` chunks of 64 KB; returns (status, bytes the
    app read)."""
    read = 0
    sent = 0

    async def receive() -> dict[str, object]:
        nonlocal read, sent
        body = (first if not sent else b"") + b"x" * 65536
        sent += 1
        read += len(body)
        return {"type": "http.request", "body": body, "more_body": sent < chunks}

    status = 0

    async def send(message: dict[str, object]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])  # type: ignore[call-overload]

    scope = {
        "type": "http",
        "method": "POST",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1"), *headers],
        "scheme": "http",
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 5000),
        "http_version": "1.1",
        "asgi": {"version": "3.0"},
    }
    await app(scope, receive, send)  # type: ignore[operator]
    return status, read


def _run(coroutine: Any) -> Any:
    """Run a coroutine on a fresh event loop in its own thread: in a full run the browser
    tests' Playwright leaves a loop running in the main thread, where asyncio.run fails."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.mark.parametrize("path", ["/drafts", "/api/drafts/1/edits", "/"])
def test_bodies_over_the_limit_are_refused_before_or_while_they_are_read(
    tmp_path: Path, path: str
) -> None:
    app = create_app(db_path=tmp_path / "db.sqlite3", upload_limit_mb=1)
    # Declared too large: refused before one byte is read.
    declared = [(b"content-length", str(2 * 1024**3).encode()), (b"content-type", b"text/plain")]
    status, read = _run(_asgi(app, path, declared, chunks=32_768))
    assert (status, read) == (413, 0)
    # Chunked (no length), 2 GB on its way: refused once the limit is passed.
    chunked = [(b"content-type", b"application/json" if "edits" in path else b"text/plain")]
    first = b""
    if path == "/drafts":  # a well-formed form whose pasted notes never end
        chunked = [(b"content-type", b"multipart/form-data; boundary=x")]
        first = b'--x\r\nContent-Disposition: form-data; name="notes"\r\n\r\n'
    status, read = _run(_asgi(app, path, chunked, chunks=32_768, first=first))
    if path == "/":  # no POST route here: answered without reading the body at all
        assert (status, read) == (405, 0)
    else:
        assert status == 413 and read <= 1024 * 1024 + 64 * 1024 + 65536 + len(first)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[" * 40_000, "nested too deeply"),
        (b'{"kind": "text", "text": ' + b"[" * 50 + b"]" * 50 + b"}", "nested too deeply"),
        (b'{"kind": "move", "bullet": ' + b"9" * 5000 + b"}", "5000 digits"),
        (b'{"kind": "move", "bullet": 1e999999}', "too large"),
        (b'{"kind": "text", "bullet": 1, "text": "\\ud800"}', "lone surrogate"),
        (b"not json", "send the edit as a JSON object"),
        (b'{"kind": "text", "text": "' + b"a" * 70_000 + b'"}', "larger than this page accepts"),
    ],
)
def test_hostile_edit_bodies_get_one_line(tmp_path: Path, body: bytes, message: str) -> None:
    app = client(tmp_path / "db.sqlite3")
    response = app.post(
        "/api/drafts/1/edits",
        content=body,
        headers={**SAME_ORIGIN, "Content-Type": "application/json"},
    )
    assert response.status_code in (400, 413)
    error = response.json()["error"]
    assert message in error and "\n" not in error


def test_pasted_notes_over_a_megabyte_are_drafted_up_to_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []

    def counting(sources: list[object], **kwargs: object) -> object:
        seen.append(sum(len(s) for s in sources if isinstance(s, str)))
        from briefing_nlp import draft

        return draft.draft_briefing([NOTES], **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(web_app, "draft_briefing", counting)
    app = client(tmp_path / "db.sqlite3", upload_limit_mb=3)
    big = "Audit 1\n" + "- chronology out of date for the child\n" * 40_000  # 1.5 MB
    response = app.post("/drafts", data={"notes": big}, headers=SAME_ORIGIN, follow_redirects=False)
    assert response.status_code == 303 and seen == [len(big)]
    too_big = big * 3
    response = app.post("/drafts", data={"notes": too_big}, headers=SAME_ORIGIN)
    assert response.status_code == 413 and "larger than 3 MB" in response.text


# --- undo is each reviewer's own --------------------------------------------------------


def _wording(state: dict, bullet: int) -> str:  # type: ignore[type-arg]
    return next(b for s in state["sections"].values() for b in s if b["id"] == bullet)["wording"]


def test_undo_replays_each_reviewers_own_edits(tmp_path: Path) -> None:
    application = create_app(db_path=tmp_path / "db.sqlite3")
    alice, bob = (TestClient(application, base_url="http://127.0.0.1") for _ in range(2))
    for browser in (alice, bob):
        assert browser.get("/").cookies.get("briefing_reviewer")  # each browser is told apart
    draft = make_draft(alice)
    first, second = (
        b["id"] for b in alice.get(f"/api/drafts/{draft}").json()["sections"]["worry"][:2]
    )
    original = _wording(alice.get(f"/api/drafts/{draft}").json(), first)
    state = edit(alice, draft, kind="text", bullet=first, text="Chronology out of date.")
    assert state["undo_label"] == "Undo your last change: edited a bullet's words"
    edit(bob, draft, kind="text", bullet=second, text="Plan not reviewed.")

    # Alice's undo takes back her edit, not Bob's later one.
    state = edit(alice, draft, kind="undo")
    assert _wording(state, first) == original and _wording(state, second) == "Plan not reviewed."
    assert not state["can_undo"] and state["can_redo"]
    assert bob.get(f"/api/drafts/{draft}").json()["can_undo"]  # Bob's is still his to undo

    # Alice's new edit ends her redo chain only; Bob changes the bullet after her.
    edit(alice, draft, kind="status", bullet=second, status="accepted")
    edit(bob, draft, kind="text", bullet=second, text="Plan reviewed late.")
    response = alice.post(f"/api/drafts/{draft}/edits", json={"kind": "undo"}, headers=SAME_ORIGIN)
    assert response.status_code == 400
    assert "another reviewer has changed the same bullet since" in response.json()["error"]
    state = bob.get(f"/api/drafts/{draft}").json()
    assert _wording(state, second) == "Plan reviewed late."  # never reverted under him
    state = edit(bob, draft, kind="undo")
    assert _wording(state, second) == "Plan not reviewed."


def test_each_source_points_into_its_whole_record(tmp_path: Path) -> None:
    """The review app shows the whole (redacted) record beside a bullet, with the
    statement highlighted: the record's text is stored and each source knows its place."""
    app = client(tmp_path / "review.sqlite3")
    draft = make_draft(app, NOTES + "\nAudit 99\n- Seen Kacper Nowak at home; chronology late.\n")
    state = app.get(f"/api/drafts/{draft}").json()
    records: dict[int, str] = {}
    sources = [s for bullets in state["sections"].values() for b in bullets for s in b["sources"]]
    assert sources
    for source in sources:
        if source["record"] not in records:
            response = app.get(f"/api/drafts/{draft}/records/{source['record']}")
            assert response.status_code == 200
            record = response.json()
            assert record["label"] == source["label"]
            records[source["record"]] = record["text"]
        text = records[source["record"]]
        assert text[source["start"] : source["end"]] == source["text"]
    # The stored records are the redacted ones.
    for ordinal in range(1, len(state["records"]) + 1):
        stored = app.get(f"/api/drafts/{draft}/records/{ordinal}").json()["text"]
        assert stored and "Kacper" not in stored
    assert app.get(f"/api/drafts/{draft}/records/999").status_code == 404
    assert app.get(f"/api/drafts/{draft + 1}/records/1").status_code == 404


REAUDIT = (PROJECT_ROOT / "examples" / "cycles" / "neglect-cp-reaudit" / "notes.txt").read_text(
    encoding="utf-8"
)


@pytest.mark.slow
def test_audits_compared_and_read_together_in_the_app(tmp_path: Path) -> None:
    app = client(tmp_path / "review.sqlite3")
    old, new = make_draft(app), make_draft(app, REAUDIT)
    start = app.get("/").text
    # The start page lists every audit: topic, date, records, bullets, review progress.
    assert start.count('<tr class="audit"') == 2
    assert "<td>14</td>" in start and "<td>12</td>" in start and "not reviewed" in start
    assert 'action="/compare"' in start and 'action="/programme"' in start

    page = app.get(f"/compare?old={old}&new={new}")
    assert page.status_code == 200
    assert "Audit cycles compared" in page.text and "improved" in page.text
    assert page.text.count('<svg role="img"') == 2
    # The app forbids inline style: the charts carry their looks as attributes.
    svg = page.text[page.text.index("<svg") :]
    assert "style=" not in svg.split("</figure>", 1)[0]
    data = app.get(f"/compare/export.json?old={old}&new={new}").json()
    assert data["old"]["records"] == 14 and data["new"]["records"] == 12
    word = app.get(f"/compare/export.docx?old={old}&new={new}")
    assert word.status_code == 200 and "attachment" in word.headers["content-disposition"]
    assert app.get(f"/compare?old={old}").status_code == 400
    assert app.get(f"/compare?old={old}&new={old}").status_code == 400
    assert app.get(f"/compare?old={old}&new=999").status_code == 404
    assert app.get(f"/compare/export.pdf?old={old}&new={new}").status_code == 404

    page = app.get(f"/programme?audit={old}&audit={new}")
    assert page.status_code == 200 and "Themes that recur as worries" in page.text
    assert "Family engagement" in page.text
    assert app.get(f"/programme?audit={old}").status_code == 400
    data = app.get(f"/programme/export.json?audit={old}&audit={new}").json()
    assert len(data["audits"]) == 2
    # Nothing of the notes' personal data reaches either page.
    for name in ("Tyler", "Amara", "Kacper", "BD3 9XJ"):
        assert name not in page.text


@pytest.mark.slow
def test_a_drafts_chart_follows_its_edits(tmp_path: Path) -> None:
    from urllib.parse import unquote

    app = client(tmp_path / "review.sqlite3")
    draft = make_draft(app)
    response = app.get(f"/drafts/{draft}/chart.svg")
    assert response.status_code == 200 and response.headers["content-type"] == "image/svg+xml"
    assert response.text.startswith('<svg role="img"') and "style=" not in response.text
    words = unquote(response.headers["x-chart-description"])
    assert words.startswith("Strengths and worries by theme (records). ")
    state = app.get(f"/api/drafts/{draft}").json()
    worry = next(b for b in state["sections"]["worry"] if "chronology" in b["themes"])
    edit(app, draft, kind="themes", bullet=worry["id"], themes=["genogram"])
    after = unquote(app.get(f"/drafts/{draft}/chart.svg").headers["x-chart-description"])
    assert after != words
    assert app.get("/drafts/999/chart.svg").status_code == 404


@pytest.mark.slow
def test_a_comparison_follows_edits_of_either_draft(tmp_path: Path) -> None:
    """Comparisons are kept while neither draft changes (a reload is immediate) and
    worked out again after an edit of either."""
    app = client(tmp_path / "review.sqlite3")
    old, new = make_draft(app), make_draft(app, REAUDIT)
    url = f"/compare/export.json?old={old}&new={new}"
    before = app.get(url).json()
    assert app.get(url).json() == before
    state = app.get(f"/api/drafts/{new}").json()
    worry = state["sections"]["worry"][0]
    edit(app, new, kind="move", bullet=worry["id"], section="strength")
    after = app.get(url).json()
    # The moved worry no longer meets its March match: that one is now resolved.
    assert after["counts"]["resolved"] == before["counts"]["resolved"] + 1
