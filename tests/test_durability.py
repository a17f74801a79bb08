"""Durability: SIGKILL the review server in the middle of a burst of edits, 20 times.

Each round starts `briefing-nlp serve` on the same database, checks that every edit the
previous server acknowledged (HTTP 200) is there and that SQLite's integrity check
passes, then sends edits as fast as it can and kills the server at a random moment.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from briefing_nlp.draft import draft_briefing
from briefing_nlp.settings import PROJECT_ROOT, Settings
from briefing_nlp.store import Store

pytestmark = pytest.mark.slow  # twenty server starts and kills: most of a minute
ROUNDS = 20
NOTES = (PROJECT_ROOT / "examples" / "neglect-cp" / "notes.txt").read_text(encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _request(port: int, method: str, path: str, body: object = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        payload = None if body is None else json.dumps(body)
        headers = {"Content-Type": "application/json"} if payload else {}
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _start(db: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    log = db.with_suffix(".log")
    with log.open("wb") as errors:
        server = subprocess.Popen(
            [sys.executable, "-m", "briefing_nlp", "serve", "--db", str(db), "--port", str(port)],
            cwd=PROJECT_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    deadline = time.monotonic() + 60
    while True:
        try:
            if _request(port, "GET", "/api/drafts/1/revision")[0] == 200:
                return server, port
        except (OSError, http.client.HTTPException):
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"server did not start: {log.read_text()}")
        time.sleep(0.05)


def test_sigkill_during_edits_loses_no_acknowledged_edit(tmp_path: Path) -> None:
    db = tmp_path / "review.sqlite3"
    store = Store(db, Settings().prevalence_scale)
    draft = store.add_draft(draft_briefing([NOTES]))
    bullets = [b["id"] for section in store.draft(draft)["sections"].values() for b in section]
    store.close()
    chooser = random.Random(7)
    acknowledged: dict[int, str] = {}  # bullet -> last text the server confirmed
    sent: dict[int, list[str]] = {b: [] for b in bullets}  # bullet -> texts in sending order
    confirmed: list[str] = []
    counter = 0
    for round_number in range(ROUNDS + 1):
        server, port = _start(db)
        try:
            # Everything acknowledged before the last kill is there after the restart.
            status, body = _request(port, "GET", f"/api/drafts/{draft}")
            assert status == 200
            state = json.loads(body)
            now = {b["id"]: b["wording"] for s in state["sections"].values() for b in s}
            for bullet, text in acknowledged.items():
                # The last confirmed text, or one sent after it whose reply the kill cut
                # off (committed, not yet acknowledged: allowed).
                later = sent[bullet][sent[bullet].index(text) :]
                assert now[bullet] in later, (round_number, bullet, now[bullet], text)
            with sqlite3.connect(db) as check:
                assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                history = "\n".join(r[0] for r in check.execute("SELECT after FROM edits"))
            check.close()
            missing = [text for text in confirmed if json.dumps(text) not in history]
            assert not missing, (round_number, missing[:3])
            if round_number == ROUNDS:
                break

            stop = threading.Event()

            def burst(
                stop: threading.Event = stop, port: int = port, round_number: int = round_number
            ) -> None:
                nonlocal counter
                while not stop.is_set():
                    counter += 1
                    bullet = chooser.choice(bullets)
                    text = f"Edit {counter} of round {round_number}."
                    edit = {"kind": "text", "bullet": bullet, "text": text}
                    sent[bullet].append(text)
                    try:
                        status, _ = _request(port, "POST", f"/api/drafts/{draft}/edits", edit)
                    except (OSError, http.client.HTTPException):
                        return  # the server died mid-request or mid-reply: not acknowledged
                    if status == 200:
                        acknowledged[bullet] = text
                        confirmed.append(text)

            sender = threading.Thread(target=burst)
            sender.start()
            time.sleep(chooser.uniform(0.2, 0.8))
            server.send_signal(signal.SIGKILL)
            server.wait(timeout=10)
            stop.set()
            sender.join(timeout=15)
        finally:
            if server.poll() is None:
                server.kill()
                server.wait(timeout=10)
    assert len(confirmed) > ROUNDS * 5  # the bursts really ran
