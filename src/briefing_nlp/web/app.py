"""The review web app: paste or upload notes, review and edit the draft, export it.

Built by `create_app(settings, db_path)`; every action calls the same library functions
as the CLI (draft_briefing, apply_edit, render_briefing). Notes never leave the machine:
pages and scripts are served from the package, and state-changing requests from another
origin are refused.
"""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

import jinja2
from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.types import Scope

from briefing_nlp.charts import briefing_chart, change_charts, chart_svg
from briefing_nlp.classify import StatementClassifier
from briefing_nlp.compare import STATUS_RULE, Comparison, compare_briefings
from briefing_nlp.confidence import LOOK_FIRST_BELOW
from briefing_nlp.cycles_render import (
    across,
    compared_sections,
    counts_line,
    render_comparison,
    render_programme,
)
from briefing_nlp.draft import draft_briefing
from briefing_nlp.errors import BriefingError, InputError, NotFoundError, StorageError
from briefing_nlp.ingest import SUPPORTED
from briefing_nlp.programme import RECURS_IN, Programme, programme_of
from briefing_nlp.programme import RULE as PROGRAMME_RULE
from briefing_nlp.redact import Redactor, redactor_for
from briefing_nlp.render import HEADINGS
from briefing_nlp.review import HANDLERS, apply_edit
from briefing_nlp.review_export import export_draft
from briefing_nlp.review_history import history
from briefing_nlp.review_redact import Typed, header_changes, typed_notice
from briefing_nlp.settings import Settings
from briefing_nlp.store import Store, database_problem, default_db_path, to_briefing
from briefing_nlp.taxonomy import BRIEFING_SECTIONS, load_taxonomy
from briefing_nlp.web.bodies import parse_edit
from briefing_nlp.web.guard import Guard, Limits, allowed_hosts
from briefing_nlp.web.uploads import (
    UploadTooLarge,
    save_upload,
    scratch_folder,
    scratch_root,
    sweep,
    without_paths,
)

HERE = Path(__file__).parent
EXPORTS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
}
CYCLE_EXPORTS = {**EXPORTS, "json": "application/json"}
MAX_COMPARISONS = 16
# A mark beside each status word, so colour is never the only cue.
STATUS_MARKS = {"new": "+", "persisting": "=", "improved": "↑", "worse": "↓", "resolved": "✓"}
DEFAULT_UPLOAD_LIMIT_MB = 20
# Drafting is CPU-bound and runs in worker threads; more at once than this only makes
# every one of them slower (two cores shared), so the next one is told to try again.
DEFAULT_MAX_DRAFTS = 2
FORM_OVERHEAD_BYTES = 64 * 1024
MAX_NOTICES = 100  # the form fields and multipart boundaries around the notes
DraftId = Annotated[int, PathParam(ge=1, le=2**62, description="A stored draft's number.")]
# Numbers SQLite can hold: a larger one is refused as a bad request, never a crash.
RecordNumber = Annotated[int, PathParam(ge=1, le=2**62, description="A record's number.")]
ChosenDraft = Annotated[int | None, Query(ge=1, le=2**62, description="A stored draft's number.")]
ChosenDrafts = Annotated[
    list[Annotated[int, Query(ge=1, le=2**62)]], Query(description="Stored drafts' numbers.")
]
# The request bodies are read by hand (forms with uploads, edits of several kinds), so
# they are described here for the OpenAPI schema that API fuzzing (schemathesis) uses.
EDIT_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["kind"],
                "properties": {
                    "kind": {
                        "type": "string",
                        "enum": [*HANDLERS, "undo", "redo"],
                    },
                    "bullet": {"type": "integer"},
                    "into": {"type": "integer"},
                    "source": {"type": "integer"},
                    "text": {"type": "string"},
                    "status": {"type": "string"},
                    "section": {"type": "string"},
                    "direction": {"type": "string", "enum": ["up", "down"]},
                    "action": {"type": "string", "enum": ["keep", "edit", "drop"]},
                    "themes": {"type": "array", "items": {"type": "string"}},
                    "aside": {"type": "boolean"},
                    "base_revision": {"type": "integer"},
                },
            }
        }
    },
}
DRAFT_FORM = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {
                    "notes": {"type": "string"},
                    "title": {"type": "string"},
                    "date": {"type": "string"},
                    "context": {"type": "string"},
                    "file": {"type": "string", "format": "binary"},
                },
            }
        }
    },
}


def create_app(
    settings: Settings | None = None,
    db_path: Path | None = None,
    upload_limit_mb: float = DEFAULT_UPLOAD_LIMIT_MB,
    *,
    host: str = "127.0.0.1",
    port: int | None = None,
    extra_hosts: Iterable[str] = (),
    max_drafts: int = DEFAULT_MAX_DRAFTS,
) -> FastAPI:
    """The review app, storing drafts and edits in `db_path` (a per-user file by default).

    Args:
        host, port: the address it serves; requests naming another Host are refused
            (loopback names and `extra_hosts` are always accepted).
        max_drafts: drafts worked on at once; one more gets "busy, try again" (503).
    """
    settings = settings or Settings()
    store = Store(db_path or default_db_path(), settings.prevalence_scale)
    themes = load_taxonomy(settings.taxonomy_path).slugs
    limit = int(upload_limit_mb * 1024 * 1024)
    uploads = scratch_root()
    sweep(uploads)  # uploads of an app that died mid-request
    pages = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    pages.filters["when"] = readable_time
    pages.filters["across"] = across
    app = FastAPI(title="briefing-nlp review", docs_url=None, redoc_url=None)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.state.store = store
    app.state.uploads = uploads
    drafting = 0  # drafts in progress (read and changed on the event loop only)

    def refuse(scope: Scope, status: int, message: str) -> Response:
        if scope["path"] == "/drafts" and status == 413:
            return start_page(too_large, 413)
        if scope["path"].startswith("/api/"):
            return JSONResponse({"error": message}, status_code=status)
        return page("error.html", status, message=message[:1].upper() + message[1:] + ".")

    too_large = (
        f"That upload is larger than {upload_limit_mb:g} MB; split the notes or raise the limit."
    )
    app.add_middleware(
        Guard,
        hosts=allowed_hosts(host, extra_hosts),
        port=port,
        limits=Limits(drafts=limit + FORM_OVERHEAD_BYTES),
        refuse=refuse,
    )

    @app.exception_handler(sqlite3.Error)
    async def database_error(request: Request, exc: sqlite3.Error) -> Response:
        # Busy, locked or damaged storage: say so and keep the reviewer's work in the
        # page (the edit was not acknowledged, so the page can send it again).
        message = f"{database_problem(exc)}. Your last change was not saved."
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message}, status_code=503)
        return page("error.html", 503, message=message)

    def classifier() -> StatementClassifier:
        # Cached per process; the settings file's run-time values apply.
        return StatementClassifier.load(settings.model_dir).for_settings(settings)

    def redactor() -> Redactor | None:
        """Redacts what reviewers type, as the notes are (none with --no-redact)."""
        return redactor_for(settings) if settings.redact else None  # cached per process

    # Loaded now, not on the first edit: every edit's typed text is redacted, and the
    # first reviewer should not wait seconds for the model (nor lose an edit to a crash
    # while it loads).
    redactor()

    # A notice for the first view of a new draft (what redaction changed in the title,
    # date or context typed on the form). In memory only: it is shown once, never stored.
    notices: dict[int, str] = {}

    def page(name: str, status: int = 200, **values: Any) -> HTMLResponse:
        html = pages.get_template(name).render(headings=HEADINGS, **values)
        return HTMLResponse(html, status_code=status)

    def start_page(
        error: str = "", status: int = 200, form: dict[str, str] | None = None
    ) -> HTMLResponse:
        return page(
            "index.html",
            status,
            drafts=store.list_drafts(),
            error=error,
            form=form or {},
            accept=",".join(SUPPORTED),
            limit_mb=upload_limit_mb,
        )

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request) -> HTMLResponse:
        return _known(request, start_page())

    @app.post("/drafts", response_model=None, openapi_extra={"requestBody": DRAFT_FORM})
    async def create_draft(request: Request) -> Response:
        nonlocal drafting
        if drafting >= max_drafts:
            # Checked before the body is read: a busy app turns work away at once.
            return start_page(
                f"The app is busy drafting {drafting} other audit"
                f"{'s' if drafting > 1 else ''}; try again in a minute.",
                503,
            )
        drafting += 1
        try:
            try:
                form = await request.form(max_files=1, max_fields=10, max_part_size=limit)
            except HTTPException as exc:  # a malformed form, or a part over the limit
                if "maximum size" in str(exc.detail):
                    return start_page(too_large, 413)
                return start_page(f"That form could not be read ({exc.detail}); try again.", 400)
            try:
                return await _draft_from_form(form)
            finally:
                await form.close()
        finally:
            drafting -= 1

    async def _draft_from_form(form: Any) -> Response:
        fields = {k: str(form.get(k) or "") for k in ("title", "date", "context", "notes")}
        keep_header = form.get("keep_header") == "on"
        upload = form.get("file")
        redacted: list[str] = []  # names what redaction changed: never stored or shown
        with scratch_folder(uploads) as scratch:
            try:
                sources: list[Path | str] = []
                if isinstance(upload, UploadFile) and upload.filename:
                    sources.append(await save_upload(upload, scratch, limit))
                if fields["notes"].strip():
                    sources.append(fields["notes"])
                if not sources:
                    raise InputError("paste the auditors' notes or choose a file to upload")
                # Drafting takes from milliseconds to seconds of CPU: in a worker thread,
                # so every other request is answered meanwhile.
                briefing = await run_in_threadpool(
                    lambda: draft_briefing(
                        sources,
                        title=fields["title"] or None,
                        date=fields["date"] or None,
                        context=fields["context"] or None,
                        settings=settings,
                        classifier=classifier(),
                        keep_header=keep_header,
                        notices=redacted,
                    )
                )
            except UploadTooLarge:
                return start_page(
                    f"That file is larger than {upload_limit_mb:g} MB; split the notes "
                    "or raise the limit.",
                    413,
                    fields,
                )
            except BriefingError as exc:
                return start_page(without_paths(str(exc), scratch), 400, fields)
        draft_id = await run_in_threadpool(store.add_draft, briefing)
        if redacted and (found := redactor()) is not None:
            # What was replaced, for the person who typed it, on their next page only.
            changes = await run_in_threadpool(header_changes, fields, found) or [
                "placeholders such as [PERSON] show where"
            ]
            while len(notices) >= MAX_NOTICES:  # pages never opened: keep memory bounded
                notices.pop(next(iter(notices)))
            notices[draft_id] = typed_notice(
                "the title, date or context you typed", Typed("", tuple(changes))
            ).replace('choose "Keep as typed"', 'edit it below and choose "Keep as typed"')
        return RedirectResponse(f"/drafts/{draft_id}", status_code=303)

    @app.get("/drafts/{draft_id}", response_class=HTMLResponse)
    def review(draft_id: DraftId, request: Request) -> HTMLResponse:
        reviewer = reviewer_of(request) or new_reviewer()
        try:
            state = {**store.draft(draft_id), **history(store, draft_id, reviewer)}
        except BriefingError as exc:
            return page("error.html", status_of(exc), message=str(exc))
        initial = json.dumps(
            {
                "draft": state,
                "themes": list(themes),
                "sections": list(BRIEFING_SECTIONS),
                "look_first_below": LOOK_FIRST_BELOW,
            }
        )
        # Inside <script type="application/json">, "<" must not open a tag.
        initial = initial.replace("<", "\\u003c")
        response = page(
            "review.html",
            state=state,
            initial=initial,
            sections=BRIEFING_SECTIONS,
            notice=notices.pop(draft_id, ""),
        )
        return _known(request, response, reviewer)

    @app.get("/api/drafts/{draft_id}/revision")
    def draft_revision(draft_id: DraftId) -> JSONResponse:
        """Polled by open review pages: a higher number means another tab changed it."""
        try:
            return JSONResponse({"revision": store.revision(draft_id)})
        except BriefingError as exc:
            return JSONResponse({"error": str(exc)}, status_code=status_of(exc))

    @app.get("/api/drafts/{draft_id}")
    def draft_state(draft_id: DraftId, request: Request) -> JSONResponse:
        try:
            state = store.draft(draft_id)
            return JSONResponse({**state, **history(store, draft_id, reviewer_of(request))})
        except BriefingError as exc:
            return JSONResponse({"error": str(exc)}, status_code=status_of(exc))

    @app.get("/api/drafts/{draft_id}/records/{ordinal}")
    def draft_record(draft_id: DraftId, ordinal: RecordNumber) -> JSONResponse:
        """A whole (redacted) record, shown beside the bullet a source of it supports."""
        try:
            return JSONResponse(store.record(draft_id, ordinal))
        except BriefingError as exc:
            return JSONResponse({"error": str(exc)}, status_code=status_of(exc))

    @app.post("/api/drafts/{draft_id}/edits", openapi_extra={"requestBody": EDIT_BODY})
    async def edit(draft_id: DraftId, request: Request) -> JSONResponse:
        try:
            body = parse_edit(await request.body())
        except BriefingError as exc:
            return JSONResponse({"error": str(exc)}, status_code=status_of(exc))
        try:
            # Redaction and SQLite block: off the event loop, so other requests go on.
            state = await run_in_threadpool(
                lambda: apply_edit(store, draft_id, body, themes, redactor(), reviewer_of(request))
            )
            return JSONResponse(state)
        except BriefingError as exc:
            return JSONResponse({"error": str(exc)}, status_code=status_of(exc))

    @app.post("/drafts/{draft_id}/delete", response_model=None)
    def delete_page(draft_id: DraftId) -> Response:
        """The review page's Delete button: the draft and its history go, then the list."""
        try:
            store.delete_draft(draft_id)
        except BriefingError as exc:
            return page("error.html", status_of(exc), message=str(exc))
        notices.pop(draft_id, None)
        return RedirectResponse("/", status_code=303)

    @app.delete("/api/drafts/{draft_id}")
    def delete_draft(draft_id: DraftId) -> JSONResponse:
        try:
            summary = store.delete_draft(draft_id)
        except BriefingError as exc:
            return JSONResponse({"error": str(exc)}, status_code=status_of(exc))
        return JSONResponse({"deleted": summary.id, "title": summary.title})

    # --- audits read together: two cycles compared, a year at a glance ---------------

    # Comparisons worked out, by the two drafts and their revisions: reloading the page
    # or downloading it after reading it does not compare again; any edit of either
    # draft changes its revision, so nothing stale is served.
    compared: dict[tuple[int, int, int, int], dict[str, Any]] = {}

    comparing = threading.Lock()  # requests run in worker threads

    def worked_out(old: int, new: int) -> dict[str, Any]:
        key = (old, new, store.revision(old), store.revision(new))
        with comparing:
            if key in compared:
                return compared[key]
        earlier, later = (to_briefing(store.draft(number)) for number in (old, new))
        taxonomy = load_taxonomy(settings.taxonomy_path)
        entry = {
            "comparison": compare_briefings(earlier, later, classifier(), settings, taxonomy),
            "charts": None,
        }
        with comparing:
            while len(compared) >= MAX_COMPARISONS:
                compared.pop(next(iter(compared)))
            return compared.setdefault(key, entry)

    def comparison_of(old: int, new: int) -> Comparison:
        comparison: Comparison = worked_out(old, new)["comparison"]
        return comparison

    def charts_of(old: int, new: int) -> list[dict[str, str]]:
        entry = worked_out(old, new)
        if entry["charts"] is None:
            entry["charts"] = [
                {"svg": chart_svg(chart), "description": chart.description}
                for chart in change_charts(entry["comparison"])
            ]
        charts: list[dict[str, str]] = entry["charts"]
        return charts

    def programme_for(numbers: list[int]) -> Programme:
        briefings = [to_briefing(store.draft(number)) for number in numbers]
        return programme_of(briefings, load_taxonomy(settings.taxonomy_path))

    def two_audits(old: int | None, new: int | None) -> str:
        """What is wrong with a choice of audits to compare ('' when nothing)."""
        if old is None or new is None:
            return "choose an earlier and a later audit to compare"
        if old == new:
            return "choose two different audits to compare"
        return ""

    @app.get("/compare", response_class=HTMLResponse)
    async def compare_page(old: ChosenDraft = None, new: ChosenDraft = None) -> HTMLResponse:
        problem = two_audits(old, new)
        if problem:
            return page("error.html", 400, message=problem)
        assert old is not None and new is not None
        try:
            comparison = await run_in_threadpool(comparison_of, old, new)
        except BriefingError as exc:
            return page("error.html", status_of(exc), message=str(exc))
        charts = await run_in_threadpool(charts_of, old, new)
        return page(
            "compare.html",
            c=comparison,
            old_id=old,
            new_id=new,
            counts=counts_line(comparison),
            rule=STATUS_RULE,
            sections=compared_sections(comparison),
            charts=charts,
            marks=STATUS_MARKS,
        )

    @app.get("/compare/export.{fmt}", response_model=None)
    async def compare_export(
        fmt: str, old: ChosenDraft = None, new: ChosenDraft = None
    ) -> Response:
        problem = two_audits(old, new) or (
            "" if fmt in CYCLE_EXPORTS else f"unknown format {fmt!r}; use docx, html, md or json"
        )
        if problem:
            return JSONResponse({"error": problem}, 400 if fmt in CYCLE_EXPORTS else 404)
        assert old is not None and new is not None
        try:
            content = await run_in_threadpool(
                lambda: render_comparison(comparison_of(old, new), fmt)
            )
        except BriefingError as exc:
            return JSONResponse({"error": str(exc)}, status_code=status_of(exc))
        name = f"comparison-{old}-{new}.{fmt}"
        return Response(
            content,
            media_type=CYCLE_EXPORTS[fmt],
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @app.get("/programme", response_class=HTMLResponse)
    async def programme_page(audit: ChosenDrafts = []) -> HTMLResponse:  # noqa: B006
        numbers = sorted(set(audit))  # oldest first, as the year went
        if len(numbers) < 2:
            return page("error.html", 400, message="choose two or more audits to read together")
        try:
            result = await run_in_threadpool(programme_for, numbers)
        except BriefingError as exc:
            return page("error.html", status_of(exc), message=str(exc))
        return page(
            "programme.html",
            p=result,
            ids=numbers,
            rule=PROGRAMME_RULE,
            recurs_in=RECURS_IN,
            query="&".join(f"audit={n}" for n in numbers),
            recurring_worries=[t for t in result.themes if "worry" in t.recurs_as],
            recurring_strengths=[t for t in result.themes if "strength" in t.recurs_as],
        )

    @app.get("/programme/export.{fmt}", response_model=None)
    async def programme_export(
        fmt: str,
        audit: Annotated[list[int], Query()] = [],  # noqa: B006
    ) -> Response:
        numbers = list(dict.fromkeys(audit))
        if fmt not in CYCLE_EXPORTS or fmt == "html":
            return JSONResponse({"error": f"unknown format {fmt!r}; use docx, md or json"}, 404)
        if len(numbers) < 2:
            return JSONResponse({"error": "choose two or more audits to read together"}, 400)
        try:
            content = await run_in_threadpool(lambda: render_programme(programme_for(numbers), fmt))
        except BriefingError as exc:
            return JSONResponse({"error": str(exc)}, status_code=status_of(exc))
        return Response(
            content,
            media_type=CYCLE_EXPORTS[fmt],
            headers={"Content-Disposition": f'attachment; filename="programme.{fmt}"'},
        )

    @app.get("/drafts/{draft_id}/chart.svg", response_model=None)
    async def draft_chart(draft_id: DraftId) -> Response:
        """The draft's strengths against worries by theme, as it stands now (an image, so
        the page shows it without inserting markup)."""
        try:
            chart = await run_in_threadpool(
                lambda: briefing_chart(
                    to_briefing(store.draft(draft_id)), load_taxonomy(settings.taxonomy_path)
                )
            )
        except BriefingError as exc:
            return JSONResponse({"error": str(exc)}, status_code=status_of(exc))
        if chart is None:
            return JSONResponse({"error": "no bullet has a theme yet; nothing to chart"}, 404)
        svg = await run_in_threadpool(chart_svg, chart)
        return Response(
            svg,
            media_type="image/svg+xml",
            headers={"X-Chart-Description": quote(chart.description)},
        )

    @app.get("/drafts/{draft_id}/export.{fmt}", response_model=None)
    def export(draft_id: DraftId, fmt: str) -> Response:
        if fmt not in EXPORTS:
            return JSONResponse({"error": f"unknown format {fmt!r}; use docx, md or html"}, 404)
        try:
            exported = export_draft(
                store,
                draft_id,
                fmt,
                evidence=(fmt != "docx"),
                taxonomy=load_taxonomy(settings.taxonomy_path),
            )
        except BriefingError as exc:
            return JSONResponse({"error": str(exc)}, status_code=status_of(exc))
        name = f"briefing-{draft_id}.{fmt}"
        return Response(
            exported.content,
            media_type=EXPORTS[fmt],
            headers={
                "Content-Disposition": f'attachment; filename="{name}"',
                # The page says this before the download; scripts and tests can read it.
                "X-Unreviewed-Bullets": f"{exported.unreviewed} of {exported.bullets}",
            },
        )

    return app


def readable_time(stamp: str) -> str:
    """A stored UTC timestamp as people read it, in this computer's time: "6 December
    2026, 18:40"; the stamp itself if it is not one."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone()
    return f"{local.day} {local:%B %Y}, {local:%H:%M}"


def status_of(error: BriefingError) -> int:
    """The HTTP status for an error, by its type: a draft that does not exist is 404,
    storage that cannot be used is 503 (the page keeps the reviewer's work), anything
    else the request got wrong is 400."""
    if isinstance(error, NotFoundError):
        return 404
    if isinstance(error, StorageError):
        return 503
    return 400


# Tells one browser's reviewer from another's, so undo replays their own edits only. Not a
# login: anyone who can open the app can edit; it only keeps undo from reverting others.
REVIEWER_COOKIE = "briefing_reviewer"
REVIEWER_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")
R = TypeVar("R", bound=Response)


def reviewer_of(request: Request) -> str:
    """The reviewer token the browser sent, or "" (a script, or a browser never given one)."""
    token = request.cookies.get(REVIEWER_COOKIE, "")
    return token if REVIEWER_RE.fullmatch(token) else ""


def new_reviewer() -> str:
    return secrets.token_urlsafe(18)


def _known(request: Request, response: R, reviewer: str = "") -> R:
    """The response, giving a browser without a reviewer token one that lasts a year."""
    if not reviewer_of(request):
        response.set_cookie(
            REVIEWER_COOKIE,
            reviewer or new_reviewer(),
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="strict",
        )
    return response
