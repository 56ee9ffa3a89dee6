"""The fetch client's connection pool (tasks/fetch/pool.py) against a real keep-alive server on 127.0.0.1:
idle connections are reused while the server keeps them, and one the server closed is never sent a request."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from tasks.fetch.client import LiveClient, tls_context
from tasks.sources.task import run_in_new_loop

BODY = b"<html><body><p>hello</p></body></html>"


@contextmanager
def keep_alive_server(close_after_each: bool) -> Iterator[tuple[str, list[int]]]:
    """HTTP/1.1 that always promises keep-alive; with `close_after_each` it hangs up after every response anyway
    (as a server whose keep-alive timeout passed does). Yields the base URL and the requests per connection."""
    listener = socket.create_server(("127.0.0.1", 0))
    connections: list[int] = []
    stop = threading.Event()

    def serve_connection(conn: socket.socket, index: int) -> None:
        with conn:
            buffer = b""
            while not stop.is_set():
                while b"\r\n\r\n" not in buffer:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                _, buffer = buffer.split(b"\r\n\r\n", 1)
                connections[index] += 1
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: keep-alive\r\n"
                             + f"Content-Length: {len(BODY)}\r\n\r\n".encode() + BODY)
                if close_after_each:
                    return

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            connections.append(0)
            threading.Thread(target=serve_connection, args=(conn, len(connections) - 1), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", connections
    finally:
        stop.set()
        thread.join()
        listener.close()


async def get_three_times(base: str, pause: float) -> list[int]:
    statuses = []
    async with LiveClient("wirehouse-test").http_client() as client:
        for n in range(3):
            response = await client.get(f"{base}/page/{n}")
            statuses.append(response.status_code)
            await asyncio.sleep(pause)  # the server's hang-up (if any) reaches the client meanwhile
    return statuses


def test_a_live_keep_alive_connection_is_reused() -> None:
    with keep_alive_server(close_after_each=False) as (base, connections):
        assert asyncio.run(get_three_times(base, pause=0.05)) == [200, 200, 200]
    assert connections == [3]


def test_a_connection_the_server_closed_is_replaced_not_used() -> None:
    with keep_alive_server(close_after_each=True) as (base, connections):
        assert asyncio.run(get_three_times(base, pause=0.1)) == [200, 200, 200]
    assert connections == [1, 1, 1]


def test_clients_share_one_tls_context_and_verify_with_it() -> None:
    first, second = LiveClient("ua").http_client(), LiveClient("ua").http_client()
    assert tls_context() is tls_context()
    assert tls_context().verify_mode.name == "CERT_REQUIRED" and tls_context().check_hostname
    pools = [client._transport._pool for client in (first, second)]  # type: ignore[attr-defined]
    assert all(pool._ssl_context is tls_context() for pool in pools)
    assert isinstance(first._transport, httpx.AsyncHTTPTransport)  # type: ignore[attr-defined]


def test_fetch_runs_its_loop_even_when_called_from_a_running_one() -> None:
    async def answer() -> tuple[int, float]:
        await asyncio.sleep(0.01)
        return threading.get_ident(), time.monotonic()

    async def inside_a_loop() -> tuple[int, float]:
        return run_in_new_loop(answer())  # blocks this loop: fine for a sync task that was called, not awaited

    caller = threading.get_ident()
    assert run_in_new_loop(answer())[0] == caller  # no loop running: this thread's own new loop
    assert asyncio.run(inside_a_loop())[0] != caller  # a loop running here: another thread's
