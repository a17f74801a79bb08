"""No network: train, draft, redact and serve run end to end with sockets blocked.

Each command runs in its own process whose socket module refuses (and records) any
connection or name lookup that is not loopback; the app's own port on 127.0.0.1 stays
open so the browser side can reach it. Notes are confidential: nothing may leave.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefing_nlp.settings import PROJECT_ROOT
from tests.conftest import CORPUS_DIR, read_rows, write_rows

NOTES = PROJECT_ROOT / "examples" / "neglect-cp" / "notes.txt"
BLOCKER = r"""
import ipaddress, os, socket, sys

_log = os.environ["BRIEFING_NLP_NETLOG"]

def _local(host):
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False

def _refuse(what):
    with open(_log, "a") as log:
        log.write(f"{what}\n")
    raise OSError(f"network blocked by test: {what}")

def _check(address):
    if isinstance(address, tuple) and not _local(address[0]):
        _refuse(f"connect {address!r}")

_connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex
_sendto = socket.socket.sendto
def connect(self, address):
    _check(address)
    return _connect(self, address)
def connect_ex(self, address):
    _check(address)
    return _connect_ex(self, address)
def sendto(self, data, *args):
    _check(args[-1])
    return _sendto(self, data, *args)
_getaddrinfo = socket.getaddrinfo
def getaddrinfo(host, *args, **kwargs):
    if not _local(host):
        _refuse(f"lookup {host!r}")
    return _getaddrinfo(host, *args, **kwargs)
socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto = connect, connect_ex, sendto
socket.getaddrinfo = getaddrinfo

import runpy
sys.argv = ["briefing-nlp", *sys.argv[1:]]
runpy.run_module("briefing_nlp", run_name="__main__", alter_sys=True)
"""


def _command(log: Path, *args: str) -> list[str]:
    return [sys.executable, "-c", BLOCKER, *args]


def _env(log: Path) -> dict[str, str]:
    # No proxies to fall back on, and the log of anything refused.
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    return {**env, "BRIEFING_NLP_NETLOG": str(log)}


def _run(log: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _command(log, *args),
        cwd=PROJECT_ROOT,
        env=_env(log),
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_blocker_blocks(tmp_path: Path) -> None:
    log = tmp_path / "net.log"
    probe = (
        "import socket\ntry:\n    socket.create_connection(('192.0.2.1', 80), timeout=1)\n"
        "except OSError as exc:\n    print(exc)\n"
    )
    script = tmp_path / "probe.py"
    script.write_text(probe)
    runner = BLOCKER.replace(
        'runpy.run_module("briefing_nlp", run_name="__main__", alter_sys=True)', ""
    )
    result = subprocess.run(
        [sys.executable, "-c", runner + f"\nexec(open({str(script)!r}).read())"],
        env=_env(log),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "network blocked by test" in result.stdout
    assert "192.0.2.1" in log.read_text()


@pytest.mark.slow  # trains a model in a subprocess: about a minute
def test_train_draft_redact_and_serve_offline(tmp_path: Path) -> None:
    log = tmp_path / "net.log"
    corpus = write_rows(tmp_path / "corpus" / "rows.jsonl", read_rows(CORPUS_DIR / "train")[::4])

    trained = _run(log, "--model-dir", str(tmp_path / "models"), "train", "--corpus", str(corpus))
    assert trained.returncode == 0, trained.stderr
    assert (tmp_path / "models" / "meta.json").exists()

    drafted = _run(log, "draft", str(NOTES), "-o", str(tmp_path / "briefing.docx"))
    assert drafted.returncode == 0, drafted.stderr
    assert (tmp_path / "briefing.docx").stat().st_size > 0

    redacted = _run(log, "redact", str(NOTES), "-o", str(tmp_path / "redacted.txt"))
    assert redacted.returncode == 0, redacted.stderr
    assert "[PERSON" in (tmp_path / "redacted.txt").read_text(encoding="utf-8")

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        _command(log, "serve", "--db", str(tmp_path / "review.sqlite3"), "--port", str(port)),
        cwd=PROJECT_ROOT,
        env=_env(log),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/")
                if connection.getresponse().status == 200:
                    connection.close()
                    break
            except (OSError, http.client.HTTPException):
                time.sleep(0.1)
            assert time.monotonic() < deadline and server.poll() is None, "serve did not start"
        boundary = "briefingboundary"
        form = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="notes"\r\n\r\n'
            f"{NOTES.read_text(encoding='utf-8')}\r\n--{boundary}--\r\n"
        ).encode()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request(
            "POST",
            "/drafts",
            body=form,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        response = connection.getresponse()
        response.read()
        assert response.status == 303
        location = response.getheader("location")
        connection.request("GET", f"/api{location}")
        state = json.loads(connection.getresponse().read())
        assert state["sections"]["worry"]
        connection.request("GET", f"{location}/export.docx")
        export = connection.getresponse()
        assert export.status == 200 and export.read()[:2] == b"PK"
        connection.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert not log.exists(), log.read_text()  # nothing even tried to reach the network
