"""A loopback server that plays a snapshot site and injects faults on chosen paths.

`FaultySite("news.antiwar.com")` serves the bundled snapshot like `serve_on_loopback`, except that a request
whose path starts with a key of `faults` is answered by that fault instead.
"""

from __future__ import annotations

import functools
import gzip
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from testing.loopback import loopback_server
from testing.snapshot.site import SnapshotSite

Fault = Callable[[BaseHTTPRequestHandler, "Callable[[], None]"], None]


def send(
    request: BaseHTTPRequestHandler, status: int, body: bytes = b"", headers: dict[str, str] | None = None
) -> None:
    request.send_response(status)
    headers = {"Content-Length": str(len(body)), **(headers or {})}
    for name, value in headers.items():
        request.send_header(name, value)
    request.end_headers()
    request.wfile.write(body)


def status(code: int, headers: dict[str, str] | None = None) -> Fault:
    return lambda request, _serve: send(request, code, b"fault", headers)


def once(fault: Fault) -> Fault:
    """The fault on the first request only; the real answer afterwards (a transient error)."""
    used = threading.Event()

    def answer(request: BaseHTTPRequestHandler, serve: Callable[[], None]) -> None:
        if used.is_set():
            serve()
        else:
            used.set()
            fault(request, serve)

    return answer


def retry_after_date(code: int, seconds: int) -> Fault:
    def answer(request: BaseHTTPRequestHandler, _serve: Callable[[], None]) -> None:
        when = format_datetime(datetime.now(UTC) + timedelta(seconds=seconds), usegmt=True)
        send(request, code, b"slow down", {"Retry-After": when})

    return answer


def sleep_then_serve(seconds: float) -> Fault:
    def answer(request: BaseHTTPRequestHandler, serve: Callable[[], None]) -> None:
        time.sleep(seconds)
        serve()

    return answer


def reset_mid_body(request: BaseHTTPRequestHandler, _serve: Callable[[], None]) -> None:
    request.send_response(200)
    request.send_header("Content-Type", "application/json")
    request.send_header("Content-Length", "5000")
    request.end_headers()
    request.wfile.write(b'{"id": 1, "title": {"rendered": "half')
    request.wfile.flush()
    # SO_LINGER 0: close with a TCP RST instead of a FIN
    request.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    request.connection.close()
    request.close_connection = True


def truncated(request: BaseHTTPRequestHandler, _serve: Callable[[], None]) -> None:
    request.send_response(200)
    request.send_header("Content-Type", "application/json")
    request.send_header("Content-Length", "100000")
    request.end_headers()
    request.wfile.write(b'{"id": 1}')
    request.close_connection = True


def redirect(location: str) -> Fault:
    return lambda request, _serve: send(request, 301, b"", {"Location": location})


@functools.cache
def _bomb() -> bytes:
    return gzip.compress(b"\0" * (60 * 1024 * 1024), compresslevel=9)  # ~60 KB on the wire, 60 MB decoded


def gzip_bomb(request: BaseHTTPRequestHandler, _serve: Callable[[], None]) -> None:
    send(request, 200, _bomb(), {"Content-Encoding": "gzip", "Content-Type": "application/json"})


def huge_body(request: BaseHTTPRequestHandler, _serve: Callable[[], None]) -> None:
    request.send_response(200)
    request.send_header("Content-Type", "text/html")
    request.send_header("Content-Length", str(50 * 1024 * 1024))
    request.end_headers()
    try:
        for _ in range(50):
            request.wfile.write(b"x" * 1024 * 1024)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the client hung up once it saw the size: that is the point


def body(content: bytes, content_type: str) -> Fault:
    return lambda request, _serve: send(request, 200, content, {"Content-Type": content_type})


def transform(change: Callable[[bytes], bytes], content_type: str) -> Fault:
    """The real answer, with its body changed (e.g. re-encoded) and the given Content-Type."""

    def answer(request: BaseHTTPRequestHandler, _serve: Callable[[], None]) -> None:
        original = request.server.site_answer(request)  # type: ignore[attr-defined]
        send(request, original.status, change(original.body), {"Content-Type": content_type})

    return answer


class FaultySite:
    def __init__(self, host: str) -> None:
        self.host = host
        self.faults: dict[str, Fault] = {}
        self.requests: list[tuple[float, str]] = []

    @contextmanager
    def serve(self) -> Iterator[str]:
        with loopback_server(BaseHTTPRequestHandler) as (server, base):
            yield from self._play(server, base)

    def _play(self, server: ThreadingHTTPServer, base: str) -> Iterator[str]:
        site = SnapshotSite(rebase={self.host: base})
        host, faults, requests = self.host, self.faults, self.requests

        def site_answer(request: BaseHTTPRequestHandler):  # type: ignore[no-untyped-def]
            return site.handle("GET", f"https://{host}{request.path}", dict(request.headers.items()))

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                requests.append((time.monotonic(), self.path))

                def serve_real() -> None:
                    answer = site_answer(self)
                    send(self, answer.status, answer.body, answer.headers)

                for prefix, fault in faults.items():
                    if self.path.startswith(prefix):
                        fault(self, serve_real)
                        return
                serve_real()

            def log_message(self, format: str, *args: object) -> None:
                pass

        server.RequestHandlerClass = Handler
        server.site_answer = site_answer  # type: ignore[attr-defined]
        # what another path really answers, and the site's name: testing/bad_successes.py draws from them
        server.answer_path = lambda path: site.handle("GET", f"https://{host}{path}", {})  # type: ignore[attr-defined]
        server.site_name = site.sites[host].site.meta.get("title") or host  # type: ignore[attr-defined]
        yield base
