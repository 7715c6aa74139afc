"""dashboard.serve: TCP_NODELAY on the dashboard's connections (no 40 ms Nagle stalls on kept-alive requests), the
base URL in the page's HTML (no probe of a wrong URL before the websocket opens), and immutable static files
served from memory (no disk and thread round trips per JavaScript chunk)."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

from dashboard import serve


def listening(make) -> socket.socket:
    sock = make()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.setblocking(False)
    return sock


def accepted_nodelay(sock: socket.socket) -> int:
    """TCP_NODELAY of the connection an asyncio server on ``sock`` accepts (as uvicorn serves)."""

    async def main() -> int:
        seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        def protocol() -> asyncio.Protocol:
            class P(asyncio.Protocol):
                def connection_made(self, transport: asyncio.BaseTransport) -> None:
                    conn = transport.get_extra_info("socket")
                    seen.set_result(conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                    transport.close()

            return P()

        server = await asyncio.get_running_loop().create_server(protocol, sock=sock)
        port = sock.getsockname()[1]
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            return await asyncio.wait_for(seen, 10)
        finally:
            writer.close()
            server.close()

    return asyncio.run(main())


def streamlit_style() -> socket.socket:
    return socket.socket(family=socket.AF_INET)  # as Streamlit's starlette_server._bind_socket creates it


def test_a_socket_made_like_streamlits_gets_no_nodelay_from_asyncio():
    """The cause: protocol number 0, so asyncio leaves Nagle's algorithm on."""
    assert accepted_nodelay(listening(streamlit_style)) == 0


def test_the_rewrapped_socket_is_the_same_listener_and_its_connections_get_nodelay():
    original = listening(streamlit_style)
    fd, port = original.fileno(), original.getsockname()[1]
    tcp = serve.as_tcp_socket(original)
    assert tcp.proto == socket.IPPROTO_TCP
    assert (tcp.fileno(), tcp.getsockname()[1], tcp.getblocking()) == (fd, port, False)
    assert accepted_nodelay(tcp) != 0


def test_install_patches_the_installed_streamlits_binding(monkeypatch):
    """Guards against a Streamlit upgrade silently dropping the fix: its binding function is still there,
    and once installed it hands back IPPROTO_TCP listeners."""
    from streamlit.web.server.starlette import starlette_server

    monkeypatch.setattr(starlette_server, "_bind_socket", starlette_server._bind_socket)
    assert serve.install_nodelay()
    assert serve.install_nodelay()  # idempotent: not wrapped twice
    sock = starlette_server._bind_socket("127.0.0.1", 0, 8)
    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert accepted_nodelay(sock) != 0
    finally:
        sock.close()


def test_other_sockets_are_left_alone():
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        assert serve.as_tcp_socket(sock) is sock
    finally:
        sock.close()


# --- the page's HTML names the server's base URL ---------------------------------------------------------

INDEX = b"<!DOCTYPE html><html><head><meta charset='UTF-8'/><script type='module' src='./static/js/x.js'></script></head></html>"


def test_page_html_names_the_page_path_so_the_frontend_can_strip_it():
    html = serve.page_html(INDEX, "/funnel")
    assert html.startswith(b"<!DOCTYPE html><html><head><script>")  # before Streamlit's (deferred) module script
    script = html[html.index(b"<script>"):html.index(b"</script>")].decode()
    assert 'var rel="/funnel"' in script and "BACKEND_BASE_URL" in script
    assert html.replace(html[html.index(b"<script>"):html.index(b"</script>") + 9], b"") == INDEX


def test_page_html_leaves_the_root_and_odd_paths_alone():
    assert serve.page_html(INDEX, "") == INDEX
    assert serve.page_html(INDEX, "/") == INDEX
    assert serve.page_html(b"<html>no head</html>", "/funnel") == b"<html>no head</html>"
    assert b"</script><script>" not in serve.page_html(INDEX, "/</script><script>alert(1)")


def run_asgi(app, path: str, method: str = "GET", root_path: str = "",
             headers: list[tuple[bytes, bytes]] | None = None) -> tuple[dict, bytes]:
    """One request through an ASGI app: the response's headers and body."""
    sent: list[dict] = []
    asked = False

    async def receive() -> dict:  # the request once; then the client waits until the response is complete
        nonlocal asked
        if not asked:
            asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        while not any(m["type"] == "http.response.body" and not m.get("more_body") for m in sent):
            await asyncio.sleep(0.001)
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": method, "path": root_path + path, "root_path": root_path, "headers": headers or [],
             "query_string": b"", "scheme": "http", "server": ("127.0.0.1", 80), "http_version": "1.1"}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return ({k.decode().lower(): v.decode() for k, v in start["headers"]},
            b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body"))


def fake_static(content_type: bytes, chunks: list[bytes], cache_control: bytes = b"no-cache", status: int = 200,
                calls: list[str] | None = None):
    async def app(scope, receive, send):
        if calls is not None:
            calls.append(scope["path"])
        total = str(sum(map(len, chunks))).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", content_type), (b"content-length", total),
                                (b"cache-control", cache_control)]})
        for i, chunk in enumerate(chunks):
            await send({"type": "http.response.body", "body": chunk, "more_body": i < len(chunks) - 1})
    return app


def test_the_wrapper_rewrites_html_sent_in_chunks_and_fixes_its_length():
    app = serve.with_base_url(fake_static(b"text/html; charset=utf-8", [INDEX[:40], INDEX[40:]]))
    headers, body = run_asgi(app, "/funnel", root_path="/gp")  # served under server.baseUrlPath "gp"
    assert body == serve.page_html(INDEX, "/funnel")
    assert int(headers["content-length"]) == len(body)


def test_the_wrapper_passes_everything_else_through():
    js = [b"export const a = 1;", b"<head>"]
    headers, body = run_asgi(serve.with_base_url(fake_static(b"text/javascript", js)), "/static/js/a.js")
    assert body == b"".join(js) and headers["content-length"] == str(len(body))
    _, body = run_asgi(serve.with_base_url(fake_static(b"text/html", [INDEX])), "/funnel", method="HEAD")
    assert body == INDEX


def test_install_base_url_patches_the_installed_streamlits_static_files(monkeypatch):
    """Guards against a Streamlit upgrade silently dropping the fix: its static-file factory is still there,
    and once installed the index.html it serves for a page carries the script."""
    import streamlit
    from streamlit import file_util
    from streamlit.web.server.starlette import starlette_static_routes as routes

    monkeypatch.setattr(routes, "create_streamlit_static_handler", routes.create_streamlit_static_handler)
    assert serve.install_base_url()
    assert serve.install_base_url()  # idempotent: not wrapped twice
    routes_ = routes.create_streamlit_static_assets_routes(base_url=None)
    app = routes_[0].app
    index = (Path(file_util.get_static_dir()) / "index.html").read_bytes()
    headers, body = run_asgi(app, "/funnel")
    assert body == serve.page_html(index, "/funnel") != index, streamlit.__version__
    assert int(headers["content-length"]) == len(body)
    _, body = run_asgi(app, "/")
    assert body == index
    # The static cache's premise: Streamlit marks its content-hashed chunks immutable (else nothing is kept).
    chunk = next((Path(file_util.get_static_dir()) / "static" / "js").glob("index.*.js"))
    for _ in range(2):
        headers, body = run_asgi(app, f"/static/js/{chunk.name}")
        assert body == chunk.read_bytes() and "immutable" in headers["cache-control"], streamlit.__version__


# --- immutable static files from memory ---------------------------------------------------------------------

IMMUTABLE = b"public, immutable, max-age=31536000"
CHUNK = [b"export const chart = ", b"1;"]


def test_an_immutable_file_is_served_from_memory_after_its_first_request():
    calls: list[str] = []
    app = serve.with_static_cache(fake_static(b"text/javascript", CHUNK, IMMUTABLE, calls=calls))
    first = run_asgi(app, "/static/js/a.B1.js")
    second = run_asgi(app, "/static/js/a.B1.js")
    assert first == second and first[1] == b"".join(CHUNK)
    assert first[0]["content-length"] == str(len(first[1])) and first[0]["cache-control"] == IMMUTABLE.decode()
    assert calls == ["/static/js/a.B1.js"]  # the second came from memory
    run_asgi(app, "/static/js/b.C2.js")
    assert calls == ["/static/js/a.B1.js", "/static/js/b.C2.js"]  # kept by path


def test_what_may_change_or_asks_for_part_of_a_file_always_goes_to_streamlit():
    calls: list[str] = []
    html = serve.with_static_cache(fake_static(b"text/html", [INDEX], calls=calls))  # index.html: no-cache
    for _ in range(2):
        assert run_asgi(html, "/funnel")[1] == INDEX
    missing = serve.with_static_cache(fake_static(b"text/plain", [b"not found"], IMMUTABLE, status=404, calls=calls))
    for _ in range(2):
        run_asgi(missing, "/static/js/gone.js")
    js = serve.with_static_cache(fake_static(b"text/javascript", CHUNK, IMMUTABLE, calls=calls))
    run_asgi(js, "/static/js/a.js", method="HEAD")
    run_asgi(js, "/static/js/a.js", headers=[(b"range", b"bytes=0-3")])
    run_asgi(js, "/static/js/a.js", headers=[(b"if-none-match", b'"abc"')])
    run_asgi(js, "/static/js/a.js")  # kept now …
    run_asgi(js, "/static/js/a.js", headers=[(b"Range", b"bytes=0-3")])  # … but a range still goes through
    assert calls == ["/funnel"] * 2 + ["/static/js/gone.js"] * 2 + ["/static/js/a.js"] * 5


def test_the_memory_kept_is_bounded():
    calls: list[str] = []
    app = serve.with_static_cache(fake_static(b"text/javascript", CHUNK, IMMUTABLE, calls=calls),
                                  max_bytes=len(b"".join(CHUNK)) + 5)
    for path in ("/static/js/a.js", "/static/js/b.js", "/static/js/a.js", "/static/js/b.js"):
        assert run_asgi(app, path)[1] == b"".join(CHUNK)
    assert calls == ["/static/js/a.js", "/static/js/b.js", "/static/js/b.js"]  # only the first fitted


def test_every_setting_in_the_apps_config_is_one_streamlit_knows():
    """A misspelt option in dashboard/.streamlit/config.toml is ignored silently (magic or the post-run GC
    would quietly come back); every key must name an option of the installed Streamlit."""
    import tomllib

    from streamlit import config

    settings = tomllib.loads((serve.APP.parent / ".streamlit" / "config.toml").read_text())
    names = [f"{section}.{key}" for section, values in settings.items() for key in values]
    assert names, "no settings read"
    assert [n for n in names if n not in config._config_options_template] == []
    assert settings["runner"] == {"magicEnabled": False, "postScriptGC": False}
