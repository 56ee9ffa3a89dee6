"""A real HTTP server on 127.0.0.1 for tests: routes map a path to a handler that writes the response."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler

from testing.loopback import loopback_server

Handler = Callable[[BaseHTTPRequestHandler], None]


def respond(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Handler:
    def handler(request: BaseHTTPRequestHandler) -> None:
        request.send_response(status)
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        if "Content-Length" not in (headers or {}):
            request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    return handler


@contextmanager
def serve(routes: dict[str, Handler | list[Handler]]) -> Iterator[tuple[str, dict[str, int]]]:
    """Serve `routes` (path with query -> handler, or handlers answering successive requests in turn).

    Yields the base URL and a dict counting requests per path.
    """
    hits: dict[str, int] = {}
    lock = threading.Lock()

    class RequestHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with lock:
                count = hits.get(self.path, 0)
                hits[self.path] = count + 1
            route = routes.get(self.path) or routes.get(self.path.split("?")[0])
            if route is None:
                respond(404, b"not found")(self)
            elif isinstance(route, list):
                route[min(count, len(route) - 1)](self)
            else:
                route(self)

        def log_message(self, format: str, *args: object) -> None:  # keep test output clean
            pass

    with loopback_server(RequestHandler) as (_server, base):
        yield base, hits
