"""dashboard.serve: the dashboard's connections run with TCP_NODELAY (no 40 ms Nagle stalls on kept-alive requests)."""

from __future__ import annotations

import asyncio
import socket

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
