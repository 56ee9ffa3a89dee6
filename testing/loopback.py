"""One threaded HTTP server on 127.0.0.1, the base of every fake site the tests serve."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextmanager
def loopback_server(
    handler: type[BaseHTTPRequestHandler], port: int = 0
) -> Iterator[tuple[ThreadingHTTPServer, str]]:
    """Serve `handler` on a free port (or `port`: a site that comes up where nothing listened) until the block
    ends; yields the server and its base URL
    ('http://127.0.0.1:PORT'). A handler that needs the base URL can be swapped in before the first request
    (`server.RequestHandlerClass = ...`): the port is known once the server is bound."""
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name=f"loopback-{base}", daemon=True)
    thread.start()
    try:
        yield server, base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def free_port() -> int:
    """A loopback port nobody listens on now (for an absent site, or one that comes up there later)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
