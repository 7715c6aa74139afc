"""Start Streamlit's server for the dashboard, with Nagle's algorithm off on its connections.

    python -m dashboard.serve [streamlit run options]     (what `gridpulse serve` runs)

Streamlit (1.5x, Starlette/uvicorn) binds its listening socket as ``socket.socket(family)``,
whose protocol number is 0; asyncio turns on TCP_NODELAY only for connections of sockets
created with ``IPPROTO_TCP``, so every connection runs with Nagle's algorithm on. A response
is written as headers, then body: the body waits for the browser to acknowledge the headers,
and a browser delays that acknowledgement by 40 ms. A second request on a kept-alive
connection therefore takes ~44 ms instead of ~2 ms, and a first visit fetches about 80
JavaScript chunks over six connections: half a second of waiting. The listening socket is
re-wrapped here as an ``IPPROTO_TCP`` socket (same file descriptor), so asyncio sets
TCP_NODELAY on every connection it accepts. If Streamlit's internals change, the server
still starts, only without the fix (and says so).
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable
from pathlib import Path

APP = Path(__file__).resolve().with_name("app.py")


def as_tcp_socket(sock: socket.socket) -> socket.socket:
    """The same listening socket, re-wrapped with protocol IPPROTO_TCP (the file descriptor moves over)."""
    if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.proto == socket.IPPROTO_TCP:
        return sock
    blocking = sock.getblocking()
    tcp = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
    tcp.setblocking(blocking)
    return tcp


def install_nodelay() -> bool:
    """Make Streamlit's server bind IPPROTO_TCP sockets; False if its binding function is not there."""
    try:
        from streamlit.web.server.starlette import starlette_server
    except ImportError:
        return False
    bind: Callable[..., socket.socket] | None = getattr(starlette_server, "_bind_socket", None)
    if bind is None:
        return False
    if getattr(bind, "gridpulse_nodelay", False):
        return True

    def bind_tcp(*args: object, **kwargs: object) -> socket.socket:
        return as_tcp_socket(bind(*args, **kwargs))

    bind_tcp.gridpulse_nodelay = True  # type: ignore[attr-defined]
    starlette_server._bind_socket = bind_tcp
    return True


def main(argv: list[str]) -> None:
    """``streamlit run dashboard/app.py`` with ``argv`` as its options (exits with Streamlit's status)."""
    from streamlit.web import cli

    if not install_nodelay():
        print("note: could not turn off Nagle's algorithm on this Streamlit version; pages load slower",
              file=sys.stderr)
    sys.argv = ["streamlit", "run", str(APP), *argv]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main(sys.argv[1:])
