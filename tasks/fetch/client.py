"""The fetch client a run hands to every stage that fetches: live (httpx to the sites) or snapshot (offline).

Modelled on Dagster's HNClient / HNAPIClient / HNSnapshotClient: one small abstract client, an implementation
per way of reaching the sites. A flow turns its serializable `transport` choice into a client once
(`fetch_client`), and passes the client, not the choice, to its tasks; a client is a few fields, so Prefect and
Dask pass it as is. Each batch opens `client.session(source)`: one httpx client for the batch, wrapped in a
`Fetcher` that applies the source's politeness rules (robots.txt, rate limits, retries, size caps, domains).
"""

from __future__ import annotations

import functools
import importlib
import ssl
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Literal

import httpx

from schemas import Source
from tasks.fetch.fetcher import Fetcher
from tasks.fetch.pool import pooled_transport
from tasks.fetch.reachability import Reachability

TransportName = Literal["network", "snapshot"]
DEFAULT_USER_AGENT = "Wirehouse/0.1 (+https://github.com/wirehouse/wirehouse)"
# The implementation each choice names. The snapshot client lives with the snapshot in the testing package (the
# demo's and the tests' fake sites): it is imported by name only when a run asks for it, so the pipeline does
# not depend on the testing package.
CLIENTS: dict[str, str] = {
    "network": "tasks.fetch.client:LiveClient",
    "snapshot": "testing.snapshot.client:SnapshotClient",
}


class FetchClient(ABC):
    """How a run reaches the sites; `throttle` keeps each source's per-host rate limits."""

    throttle = True

    def __init__(self, user_agent: str = DEFAULT_USER_AGENT) -> None:
        self.user_agent = user_agent
        self.reachability = Reachability()  # what the run learned of absent hosts, across its batches

    @abstractmethod
    def transport(self, limits: httpx.Limits) -> httpx.AsyncBaseTransport:
        """The httpx transport a batch's requests go through."""

    def http_client(self, timeout_seconds: float = 30.0) -> httpx.AsyncClient:
        """One AsyncClient per batch."""
        limits = httpx.Limits(max_connections=32, max_keepalive_connections=16)
        return httpx.AsyncClient(
            transport=self.transport(limits),
            headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(timeout_seconds, connect=min(10.0, timeout_seconds)),
            follow_redirects=False,  # redirects are followed by hand so every hop is checked
            limits=limits,
            verify=tls_context(),
        )

    @asynccontextmanager
    async def session(self, source: Source) -> AsyncIterator[Fetcher]:
        """A Fetcher for one batch of `source`, its httpx client closed when the block ends."""
        async with self.http_client(source.politeness.timeout_seconds) as http:
            yield Fetcher(source, http, self.user_agent, self.throttle, getattr(self, "reachability", None))


class LiveClient(FetchClient):
    """The sites themselves, over httpx's connection pool."""

    def transport(self, limits: httpx.Limits) -> httpx.AsyncBaseTransport:
        return pooled_transport(tls_context(), limits)


def fetch_client(transport: str, user_agent: str = DEFAULT_USER_AGENT) -> FetchClient:
    """The client a `transport` choice ("network", "snapshot") names."""
    if transport not in CLIENTS:
        raise ValueError(f"transport must be one of {', '.join(CLIENTS)}, not {transport!r}")
    module, _, name = CLIENTS[transport].partition(":")
    client_class: type[FetchClient] = getattr(importlib.import_module(module), name)
    return client_class(user_agent)


@functools.cache
def tls_context() -> ssl.SSLContext:
    """httpx's default TLS context (certifi's CAs, SSL_CERT_FILE/DIR honoured), built once per process.

    Building one loads the whole CA bundle, 30-100 ms of CPU; a client per batch would pay that every batch.
    An SSLContext is safe to share between threads and event loops.
    """
    return httpx.create_ssl_context()
