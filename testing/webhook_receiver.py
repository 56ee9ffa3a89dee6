"""A webhook receiver on 127.0.0.1 for the alert tests: it keeps every POST it gets."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler

from testing.loopback import loopback_server


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@contextmanager
def webhook_receiver(status: int = 204) -> Iterator[tuple[str, list[Received]]]:
    """Yields the receiver's base URL and the list of requests it received, answering each with `status`."""
    received: list[Received] = []
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with lock:
                received.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # keep test output clean
            pass

    with loopback_server(Handler) as (_server, base):
        yield base, received
