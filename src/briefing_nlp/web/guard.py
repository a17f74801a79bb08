"""The review app's front door: one ASGI layer every request passes before any route.

It refuses a Host name the app does not serve (DNS rebinding), a state-changing request from
another site, and a body over the route's limit (checked from Content-Length before the
body is read, and again while it streams in, so a chunked upload cannot run past it);
and it puts security headers on every response.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# No inline script or style anywhere (the page's data sits in a JSON block, which is not
# run); nothing may frame the app, and it talks to itself only.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)
# Pages and API answers hold case content: never kept in a browser or proxy cache.
NO_STORE = (b"cache-control", b"no-store")

Refusal = Callable[[Scope, int, str], Response]


class BodyTooLarge(Exception):
    """A request body ran past its route's limit while it was being read."""


@dataclass(frozen=True)
class Limits:
    """Largest request body, in bytes, by route."""

    drafts: int  # POST /drafts: the notes, pasted or uploaded, and the form around them
    edits: int = 64 * 1024  # one edit is a few hundred bytes; 64 KB leaves room
    other: int = 16 * 1024  # every other route reads no body

    def for_path(self, method: str, path: str) -> int:
        if method == "POST" and path == "/drafts":
            return self.drafts
        if method == "POST" and path.startswith("/api/drafts/") and path.endswith("/edits"):
            return self.edits
        return self.other


def allowed_hosts(host: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The names the app answers to: loopback, the address it listens on, and `extra`."""
    names = set(LOOPBACK_NAMES) | {h.lower().strip("[]") for h in extra}
    if host not in ("0.0.0.0", "::", ""):
        names.add(host.lower().strip("[]"))
    return frozenset(names)


def split_host(header: str) -> tuple[str, str]:
    """'Example.org:8000' -> ('example.org', '8000'); '[::1]:8000' -> ('::1', '8000')."""
    header = header.strip().lower()
    if header.startswith("[") and "]" in header:
        end = header.index("]")
        return header[1:end], header[end + 2 :] if header[end + 1 : end + 2] == ":" else ""
    if header.count(":") == 1:
        name, port = header.split(":")
        return name, port
    return header, ""


class Guard:
    """Host check, same-site check, body limits and security headers (pure ASGI, so a
    body over the limit is stopped while it streams, before a route has it all)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        hosts: frozenset[str],
        port: int | None,
        limits: Limits,
        refuse: Refusal,
    ) -> None:
        self.app = app
        self.hosts = hosts
        self.port = port
        self.limits = limits
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        send = self._with_headers(scope, send)
        problem = self._problem(scope, headers)
        if problem:
            await self.refuse(scope, *problem)(scope, receive, send)
            return
        limit = self.limits.for_path(scope["method"], scope["path"])
        length = headers.get("content-length", "")
        if length and (not length.isdigit() or int(length) > limit):
            await self.refuse(scope, 413, _too_large(limit))(scope, receive, send)
            return
        started = False

        async def capped() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                capped.read += len(message.get("body", b""))  # type: ignore[attr-defined]
                if capped.read > limit:  # type: ignore[attr-defined]
                    raise BodyTooLarge
            return message

        capped.read = 0  # type: ignore[attr-defined]

        async def watching(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, capped, watching)
        except BodyTooLarge:
            if started:
                raise
            await self.refuse(scope, 413, _too_large(limit))(scope, receive, send)

    def _problem(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str] | None:
        host, port = split_host(headers.get("host", ""))
        # DNS rebinding needs a name the attacker controls; an address written as digits
        # cannot be rebound, and is how other computers reach an app run on --host 0.0.0.0.
        known = host in self.hosts or _ip_literal(host)
        if not known or (port and self.port and port != str(self.port)):
            served = f" on port {self.port}" if self.port else ""
            return 400, (
                f"this app answers to {', '.join(sorted(self.hosts))} or an IP address"
                f"{served} only, not "
                f"{headers.get('host', '(no host)')!r}; open it at the address `serve` printed"
            )
        if scope["method"] not in SAFE_METHODS and not _same_site(scope, headers):
            return 403, "request from another site refused"
        return None

    @staticmethod
    def _with_headers(scope: Scope, send: Send) -> Send:
        cacheable = scope["path"].startswith("/static/")

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if cacheable or k.lower() != b"cache-control"
                ]
                headers += SECURITY_HEADERS
                if not cacheable:
                    headers.append(NO_STORE)
                message = {**message, "headers": headers}
            await send(message)

        return sending


def _same_site(scope: Scope, headers: dict[str, str]) -> bool:
    """Browsers say where a request comes from in Sec-Fetch-Site (not affected by the
    no-referrer policy, which turns a same-origin POST's Origin into "null"); older
    clients are judged by Origin or Referer; a request naming neither (a script, curl)
    is let through, as only a browser carries someone else's page to the app."""
    site = headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    claimed = headers.get("origin") or headers.get("referer")
    if not claimed:
        return True
    parts = urlsplit(claimed)
    return parts.netloc.lower() == headers.get("host", "").lower() and parts.scheme in (
        "http",
        "https",
    )


def _ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _too_large(limit: int) -> str:
    size = f"{limit / 1024 / 1024:g} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    return f"that request is larger than this page accepts ({size}); send less at once"
