"""Start Streamlit's server for the dashboard, with three fixes that make pages load sooner.

    python -m dashboard.serve [streamlit run options]     (what `gridpulse serve` runs)

1. Nagle's algorithm off on the server's connections (:func:`install_nodelay`).
2. The page's HTML tells Streamlit's frontend where the server is (:func:`install_base_url`),
   so a direct link to a page does not first probe a wrong URL.
3. Streamlit's immutable (content-hashed) static files are served from memory after their first
   request (:func:`with_static_cache`, installed with 2.), not from disk through worker threads.

All patch private Streamlit internals before the server starts; if a Streamlit upgrade
removes them, the server still starts, only without that fix (and says so).

Nagle: Streamlit (1.5x, Starlette/uvicorn) binds its listening socket as ``socket.socket(family)``,
whose protocol number is 0; asyncio turns on TCP_NODELAY only for connections of sockets
created with ``IPPROTO_TCP``, so every connection runs with Nagle's algorithm on. A response
is written as headers, then body: the body waits for the browser to acknowledge the headers,
and a browser delays that acknowledgement by 40 ms. A second request on a kept-alive
connection therefore takes ~44 ms instead of ~2 ms, and a first visit fetches about 80
JavaScript chunks over six connections: half a second of waiting. The listening socket is
re-wrapped here as an ``IPPROTO_TCP`` socket (same file descriptor), so asyncio sets
TCP_NODELAY on every connection it accepts.
"""

from __future__ import annotations

import importlib
import json
import socket
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

APP = Path(__file__).resolve().with_name("app.py")


def as_tcp_socket(sock: socket.socket) -> socket.socket:
    """The same listening socket, re-wrapped with protocol IPPROTO_TCP (the file descriptor moves over)."""
    if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.proto == socket.IPPROTO_TCP:
        return sock
    blocking = sock.getblocking()
    tcp = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
    tcp.setblocking(blocking)
    return tcp


def _patch(module: str, name: str, wrap: Callable[[Any], Any]) -> bool:
    """Replace the function ``name`` of Streamlit's ``module`` by ``wrap(function)``, once; False if it is not
    there (a Streamlit upgrade renamed it), and the server then starts without the fix."""
    try:
        owner = importlib.import_module(module)
    except ImportError:
        return False
    original = getattr(owner, name, None)
    if original is None:
        return False
    if getattr(original, "gridpulse_patched", False):
        return True
    patched = wrap(original)
    patched.gridpulse_patched = True
    setattr(owner, name, patched)
    return True


def install_nodelay() -> bool:
    """Make Streamlit's server bind IPPROTO_TCP sockets; False if its binding function is not there."""

    def wrap(bind: Callable[..., socket.socket]) -> Callable[..., socket.socket]:
        def bind_tcp(*args: object, **kwargs: object) -> socket.socket:
            return as_tcp_socket(bind(*args, **kwargs))
        return bind_tcp

    return _patch("streamlit.web.server.starlette.starlette_server", "_bind_socket", wrap)


# Run before Streamlit's bundle (module scripts are deferred): the page's URL minus the path the server saw
# is where the server is (a reverse proxy may add a prefix). Streamlit reads window.__streamlit.
BASE_URL_SCRIPT = (
    "<script>(function(){{var rel={rel},p=location.pathname.replace(/\\/+$/,\"\");"
    "if(p.length>=rel.length&&p.slice(-rel.length)===rel)window.__streamlit=Object.assign({{}},window.__streamlit,"
    "{{BACKEND_BASE_URL:location.origin+p.slice(0,p.length-rel.length)+\"/\"}});}})()</script>"
)

Message = MutableMapping[str, Any]
ASGIApp = Callable[[Message, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]]


def page_html(html: bytes, page_path: str) -> bytes:
    """Streamlit's index.html with the server's base URL set for a page at ``page_path`` (e.g. "/funnel").

    Opened at /funnel, Streamlit's frontend does not know whether /funnel is a page or the app's base
    URL, so it asks /funnel/_stcore/health first, gets a 404, waits 100 ms and only then asks
    /_stcore/health: every direct link to a page (or reload of one) lost ~0.15 s before the websocket
    opened. Telling it the base URL (its ``window.__streamlit.BACKEND_BASE_URL`` hook) skips the
    wrong guess. The app's root needs nothing: there is nothing to guess.
    """
    rel = page_path.rstrip("/")
    if not rel or b"<head>" not in html:
        return html
    script = BASE_URL_SCRIPT.format(rel=json.dumps(rel).replace("<", "\\u003c")).encode()
    return html.replace(b"<head>", b"<head>" + script, 1)


def _header_map(headers: list[tuple[bytes, bytes]]) -> dict[bytes, bytes]:
    """ASGI headers (a request's or a response's) by lower-case name."""
    return {k.lower(): v for k, v in headers}


async def _send_whole(send: Callable[[Message], Awaitable[None]], start: Message, body: bytes) -> None:
    """A response in two messages: its start (status, headers) and its whole body."""
    await send(start)
    await send({"type": "http.response.body", "body": body})


def with_base_url(app: ASGIApp) -> ASGIApp:
    """Wrap Streamlit's static-file app so the HTML it serves for a page carries :func:`page_html`."""

    async def wrapped(scope: Message, receive: Callable[[], Awaitable[Message]],
                      send: Callable[[Message], Awaitable[None]]) -> None:
        if scope.get("type") != "http" or scope.get("method") != "GET":
            await app(scope, receive, send)
            return
        page_path = scope.get("path", "")[len(scope.get("root_path", "")):]
        start: Message | None = None
        body: list[bytes] = []

        async def send_page(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = _header_map(message.get("headers", []))
                if headers.get(b"content-type", b"").startswith(b"text/html") and b"content-encoding" not in headers:
                    start = message
                    return
            elif start is not None and message["type"] == "http.response.body":
                body.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                html = page_html(b"".join(body), page_path)
                headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
                await _send_whole(send, {**start, "headers": [*headers, (b"content-length", str(len(html)).encode())]},
                                  html)
                return
            await send(message)

        await app(scope, receive, send_page)

    return wrapped


STATIC_CACHE_BYTES = 64 << 20  # Streamlit's whole frontend (every chunk of every page) is about 30 MB


def with_static_cache(app: ASGIApp, max_bytes: int = STATIC_CACHE_BYTES) -> ASGIApp:
    """Wrap Streamlit's static-file app so a file it serves as ``immutable`` is served from memory after.

    A first visit fetches ~140 JavaScript chunks. Starlette serves each from disk through worker
    threads (stat, open, read, close: four thread hops), ~1.2 ms of server CPU a chunk: about 0.17 s
    of CPU per page load, on the two cores the browser is drawing with. A content-hashed chunk never
    changes (Streamlit marks it ``Cache-Control: immutable``), so its response is kept as it was sent
    and replayed in two messages. Conditional, range and HEAD requests go to Streamlit as before.
    """
    kept: dict[str, tuple[Message, bytes]] = {}
    size = 0

    async def wrapped(scope: Message, receive: Callable[[], Awaitable[Message]],
                      send: Callable[[Message], Awaitable[None]]) -> None:
        if (scope.get("type") != "http" or scope.get("method") != "GET"
                or _header_map(scope.get("headers", [])).keys() & {b"range", b"if-none-match", b"if-modified-since"}):
            await app(scope, receive, send)
            return
        path = scope.get("path", "")
        if path in kept:
            await _send_whole(send, *kept[path])
            return
        start: Message | None = None
        parts: list[bytes] = []

        async def send_and_keep(message: Message) -> None:
            nonlocal start, size
            if message["type"] == "http.response.start":
                cache_control = _header_map(message.get("headers", [])).get(b"cache-control", b"")
                if message.get("status") == 200 and b"immutable" in cache_control:
                    start = message
            elif start is not None and message["type"] == "http.response.body":
                parts.append(message.get("body", b""))
                if not message.get("more_body"):
                    body = b"".join(parts)
                    if size + len(body) <= max_bytes:
                        kept[path] = (start, body)
                        size += len(body)
            await send(message)

        await app(scope, receive, send_and_keep)

    return wrapped


def install_base_url() -> bool:
    """Make Streamlit's static-file handler serve :func:`page_html` (and its immutable files from memory,
    :func:`with_static_cache`); False if its factory is not there."""

    def wrap(create: Callable[..., ASGIApp]) -> Callable[..., ASGIApp]:
        def create_with_base_url(*args: object, **kwargs: object) -> ASGIApp:
            return with_static_cache(with_base_url(create(*args, **kwargs)))
        return create_with_base_url

    return _patch("streamlit.web.server.starlette.starlette_static_routes", "create_streamlit_static_handler", wrap)


def main(argv: list[str]) -> None:
    """``streamlit run dashboard/app.py`` with ``argv`` as its options (exits with Streamlit's status)."""
    from streamlit.web import cli

    if not install_nodelay():
        print("note: could not turn off Nagle's algorithm on this Streamlit version; pages load slower",
              file=sys.stderr)
    if not install_base_url():
        print("note: could not tell this Streamlit version its base URL; direct links to pages load slower",
              file=sys.stderr)
    sys.argv = ["streamlit", "run", str(APP), *argv]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main(sys.argv[1:])
