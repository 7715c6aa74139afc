"""dashboard.serve and dashboard.static_cache: the app through Streamlit's public st.App, with Streamlit's
immutable static files served from memory (no disk and thread round trips per JavaScript chunk)."""

from __future__ import annotations

import ast
import asyncio
from pathlib import Path

import streamlit as st

from dashboard.static_cache import ImmutableStaticCache

ROOT = Path(__file__).resolve().parents[2]
SERVE = ROOT / "dashboard" / "serve.py"


def run_asgi(
    app, path: str, method: str = "GET", headers: list | None = None
) -> tuple[dict[str, str], bytes]:
    """One request through an ASGI app: (response headers, body)."""
    sent: list[dict] = []
    asked = False

    async def receive() -> dict:
        nonlocal asked
        if not asked:
            asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        while not any(m["type"] == "http.response.body" and not m.get("more_body") for m in sent):
            await asyncio.sleep(0.001)
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "root_path": "",
        "headers": headers or [],
        "query_string": b"",
        "scheme": "http",
        "server": ("127.0.0.1", 80),
        "http_version": "1.1",
    }
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return (
        {k.decode().lower(): v.decode() for k, v in start["headers"]},
        b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body"),
    )


def fake_static(
    content_type: bytes,
    chunks: list[bytes],
    cache_control: bytes = b"no-cache",
    status: int = 200,
    calls: list[str] | None = None,
):
    async def app(scope, receive, send):
        if calls is not None:
            calls.append(scope["path"])
        total = str(sum(map(len, chunks))).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", content_type),
                    (b"content-length", total),
                    (b"cache-control", cache_control),
                ],
            }
        )
        for i, chunk in enumerate(chunks):
            await send({"type": "http.response.body", "body": chunk, "more_body": i < len(chunks) - 1})

    return app


IMMUTABLE = b"public, immutable, max-age=31536000"
CHUNK = [b"export const chart = ", b"1;"]
INDEX = b"<!doctype html><html><head><title>Streamlit</title></head><body></body></html>"


def test_an_immutable_file_is_served_from_memory_after_its_first_request():
    calls: list[str] = []
    app = ImmutableStaticCache(fake_static(b"text/javascript", CHUNK, IMMUTABLE, calls=calls))
    first = run_asgi(app, "/static/js/a.B1.js")
    second = run_asgi(app, "/static/js/a.B1.js")
    assert first == second and first[1] == b"".join(CHUNK)
    assert (
        first[0]["content-length"] == str(len(first[1])) and first[0]["cache-control"] == IMMUTABLE.decode()
    )
    assert calls == ["/static/js/a.B1.js"]  # the second came from memory
    run_asgi(app, "/static/js/b.C2.js")
    assert calls == ["/static/js/a.B1.js", "/static/js/b.C2.js"]  # kept by path


def test_what_may_change_or_asks_for_part_of_a_file_always_goes_to_streamlit():
    calls: list[str] = []
    html = ImmutableStaticCache(fake_static(b"text/html", [INDEX], calls=calls))  # index.html: no-cache
    for _ in range(2):
        assert run_asgi(html, "/funnel")[1] == INDEX
    missing = ImmutableStaticCache(
        fake_static(b"text/plain", [b"not found"], IMMUTABLE, status=404, calls=calls)
    )
    for _ in range(2):
        run_asgi(missing, "/static/js/gone.js")
    js = ImmutableStaticCache(fake_static(b"text/javascript", CHUNK, IMMUTABLE, calls=calls))
    run_asgi(js, "/static/js/a.js", method="HEAD")
    run_asgi(js, "/static/js/a.js", headers=[(b"range", b"bytes=0-3")])
    run_asgi(js, "/static/js/a.js", headers=[(b"if-none-match", b'"abc"')])
    run_asgi(js, "/static/js/a.js")  # kept now …
    run_asgi(js, "/static/js/a.js", headers=[(b"Range", b"bytes=0-3")])  # … but a range still goes through
    assert calls == ["/funnel"] * 2 + ["/static/js/gone.js"] * 2 + ["/static/js/a.js"] * 5


def test_the_memory_kept_is_bounded():
    calls: list[str] = []
    app = ImmutableStaticCache(
        fake_static(b"text/javascript", CHUNK, IMMUTABLE, calls=calls), max_bytes=len(b"".join(CHUNK)) + 5
    )
    for path in ("/static/js/a.js", "/static/js/b.js", "/static/js/a.js", "/static/js/b.js"):
        assert run_asgi(app, path)[1] == b"".join(CHUNK)
    assert calls == ["/static/js/a.js", "/static/js/b.js", "/static/js/b.js"]  # only the first fitted


def test_serve_is_a_public_st_app_that_streamlit_run_discovers():
    """`streamlit run dashboard/serve.py` serves an st.App (public API, with its middleware hook), not a patched
    server: the module assigns ``app = st.App(...)`` with the cache middleware, and the installed Streamlit has
    st.App (an older one stops on the AttributeError instead of serving without the middleware)."""
    tree = ast.parse(SERVE.read_text(encoding="utf-8"))
    apps = [
        n.value
        for n in tree.body
        if isinstance(n, ast.Assign) and [getattr(t, "id", None) for t in n.targets] == ["app"]
    ]
    assert len(apps) == 1 and ast.unparse(apps[0].func) == "st.App"
    assert "ImmutableStaticCache" in ast.unparse(apps[0])
    assert callable(st.App)


def test_every_setting_in_the_apps_config_is_one_streamlit_knows():
    """A misspelt option in dashboard/.streamlit/config.toml is ignored silently (magic or the post-run GC
    would quietly come back); every key must name an option of the installed Streamlit (st.get_option raises
    for an unknown one)."""
    import tomllib

    settings = tomllib.loads((SERVE.parent / ".streamlit" / "config.toml").read_text())
    names = [f"{section}.{key}" for section, values in settings.items() for key in values]
    assert names, "no settings read"
    for name in names:
        st.get_option(name)
    assert settings["runner"] == {"magicEnabled": False, "postScriptGC": False}
