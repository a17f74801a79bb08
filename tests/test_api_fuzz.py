"""API fuzzing of the review app from its own OpenAPI schema (schemathesis).

Every operation in the schema is called with generated path parameters, forms and edit
bodies against an app holding one real draft; no response may be a server error or show
a stack trace.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from briefing_nlp.settings import PROJECT_ROOT
from briefing_nlp.web.app import create_app

NOTES = (PROJECT_ROOT / "examples" / "neglect-cp" / "notes.txt").read_text(encoding="utf-8")
_folder = Path(tempfile.mkdtemp(prefix="briefing-fuzz-"))
# "testserver" is the Host schemathesis gives ASGI calls; the app refuses unknown hosts.
app = create_app(db_path=_folder / "review.sqlite3", extra_hosts=["testserver"])
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


def test_schema_covers_every_route() -> None:
    paths = set(schema.raw_schema["paths"])
    assert {
        "/",
        "/drafts",
        "/drafts/{draft_id}",
        "/api/drafts/{draft_id}",
        "/api/drafts/{draft_id}/revision",
        "/api/drafts/{draft_id}/edits",
        "/drafts/{draft_id}/export.{fmt}",
    } <= paths


def _seed() -> None:
    """One real draft (id 1), so ids and edits can reach the code behind them."""
    store = app.state.store
    if not store.list_drafts():
        from briefing_nlp.draft import draft_briefing

        store.add_draft(draft_briefing([NOTES]))


# Thousands of generated requests, the first of which drafts an audit: slow, run by
# `make test` and CI.
@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors(case: schemathesis.Case) -> None:
    _seed()
    if case.path_parameters and "draft_id" in case.path_parameters and case.method == "POST":
        # Most generated ids miss; aim half of the edits at the real draft.
        case.path_parameters["draft_id"] = (
            1 if len(repr(case.body)) % 2 else case.path_parameters["draft_id"]
        )
    response = case.call()
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
    assert "Traceback" not in response.text
