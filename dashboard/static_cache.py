"""Streamlit's immutable static files served from memory after their first request (an ASGI middleware).

A first visit fetches ~140 JavaScript chunks. Starlette serves each from disk through worker threads
(stat, open, read, close: four thread hops), ~1.2 ms of server CPU a chunk: about 0.17 s of CPU per page
load, on the two cores the browser is drawing with. A content-hashed chunk never changes (Streamlit marks
it ``Cache-Control: immutable``), so its response is kept as it was sent and replayed. Conditional, range
and HEAD requests go to Streamlit as before. Installed with Streamlit's public ``st.App(middleware=...)``
(dashboard/serve.py); behind nginx (docs/deploy-nginx.md) nginx caches these files instead.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Message, Receive, Send], Awaitable[None]]

MAX_BYTES = 64 << 20  # Streamlit's whole frontend (every chunk of every page) is about 30 MB
PASS_THROUGH_HEADERS = {b"range", b"if-none-match", b"if-modified-since"}


def _header_map(headers: list[tuple[bytes, bytes]]) -> dict[bytes, bytes]:
    """ASGI headers (a request's or a response's) by lower-case name."""
    return {k.lower(): v for k, v in headers}


class ImmutableStaticCache:
    """ASGI middleware: a 200 response marked ``immutable`` is kept (up to ``max_bytes`` in all) and the next
    plain GET of its path is answered from memory."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.kept: dict[str, tuple[Message, bytes]] = {}
        self.size = 0

    async def __call__(self, scope: Message, receive: Receive, send: Send) -> None:
        if (
            scope.get("type") != "http"
            or scope.get("method") != "GET"
            or _header_map(scope.get("headers", [])).keys() & PASS_THROUGH_HEADERS
        ):
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if path in self.kept:
            start, body = self.kept[path]
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, self._keeping(path, send))

    def _keeping(self, path: str, send: Send) -> Send:
        """``send``, keeping a copy of an immutable response for ``path`` as it goes by."""
        start: Message | None = None
        parts: list[bytes] = []

        async def send_and_keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                cache_control = _header_map(message.get("headers", [])).get(b"cache-control", b"")
                if message.get("status") == 200 and b"immutable" in cache_control:
                    start = message
            elif start is not None and message["type"] == "http.response.body":
                parts.append(message.get("body", b""))
                if not message.get("more_body"):
                    body = b"".join(parts)
                    if self.size + len(body) <= self.max_bytes:
                        self.kept[path] = (start, body)
                        self.size += len(body)
            await send(message)

        return send_and_keep
