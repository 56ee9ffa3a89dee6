"""Telling an absent source from a flaky one: retries are for sources that answer sometimes.

A run's `Reachability` (one per FetchClient, shared by every batch in the flow process) remembers which origins
have answered. An origin that has never answered and whose name does not resolve, or that refused (or timed out
on) two connections, is unreachable for the rest of the run: its remaining requests fail at once as
`unreachable`, without retry sleeps. One answer makes the origin reachable for good: later connection errors are
then a flaky source's, and retried as before.

`probe` is the up-front check of the CLI: can the sources' hosts be resolved and connected to at all?
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from typing import Any
from urllib.parse import urlsplit

import httpx

# Connection attempts an origin that never answered may fail before it is given up for the run.
CONNECT_FAILURES_BEFORE_UNREACHABLE = 2
_DNS_WORDS = ("name or service not known", "nodename nor servname", "name resolution", "getaddrinfo",
              "no address associated", "gaierror")


def is_connect_failure(exc: BaseException) -> bool:
    """The request never reached a server: no name, refused, or no answer to the connection attempt."""
    return isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)


def is_name_failure(detail: str) -> bool:
    lowered = detail.lower()
    return any(word in lowered for word in _DNS_WORDS)


class Reachability:
    """Which origins answered this run, and which were given up as unreachable (origin -> why)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._answered: set[str] = set()
        self._connect_failures: dict[str, int] = {}
        self._unreachable: dict[str, str] = {}

    def answered(self, origin: str) -> None:
        with self._lock:
            self._answered.add(origin)
            self._unreachable.pop(origin, None)

    def unreachable(self, origin: str) -> str | None:
        """Why `origin` is given up for the run; None while it may still answer."""
        with self._lock:
            return self._unreachable.get(origin)

    def connect_failed(self, origin: str, detail: str) -> bool:
        """Count a failed connection; True when the origin is (now) given up for the run."""
        with self._lock:
            if origin in self._answered:
                return False
            if origin in self._unreachable:
                return True
            failures = self._connect_failures.get(origin, 0) + 1
            self._connect_failures[origin] = failures
            if is_name_failure(detail) or failures >= CONNECT_FAILURES_BEFORE_UNREACHABLE:
                self._unreachable[origin] = detail
                return True
            return False

    # Dask pickles the client for its workers: each worker starts with what it learns itself.
    def __getstate__(self) -> dict[str, Any]:
        return {"fresh": True}  # not empty: pickle skips __setstate__ for a false state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()  # type: ignore[misc]


async def probe(urls: list[str], timeout: float = 4.0) -> dict[str, str]:
    """{host:port: why} for each URL's host that cannot be resolved or connected to within `timeout` seconds."""
    targets = {}
    for url in urls:
        parts = urlsplit(url)
        if parts.hostname:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            targets[f"{parts.hostname}:{port}"] = (parts.hostname, port)
    results = await asyncio.gather(*(_connect(host, port, timeout) for host, port in targets.values()))
    return {name: why for name, why in zip(targets, results, strict=True) if why}


async def _connect(host: str, port: int, timeout: float) -> str:
    try:
        async with asyncio.timeout(timeout):
            _reader, writer = await asyncio.open_connection(host, port)
    except socket.gaierror as exc:
        return f"{host} does not resolve ({exc.strerror or exc})"
    except TimeoutError:
        return f"no answer from {host}:{port} within {timeout:g} s"
    except OSError as exc:
        return f"cannot connect to {host}:{port} ({exc.strerror or exc})"
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return ""
