"""An absent source fails fast; a flaky one is still retried (tasks.fetch.reachability with the fetcher)."""

from __future__ import annotations

import asyncio
import time

import pytest

from schemas import Politeness, Source
from schemas.errors import SourceUnreachable, TransportError
from tasks.fetch.client import LiveClient
from tasks.fetch.fetcher import Fetcher
from tasks.fetch.reachability import Reachability, probe
from testing.http_server import respond, serve
from testing.loopback import free_port

# The defaults a real source has: 3 retries, backoff doubling from 1 s (7 s of sleeps per URL when retried).
REAL_RETRIES: dict[str, float] = {"max_retries": 3, "retry_backoff_seconds": 1.0}


def _source(base: str, retries: dict[str, float]) -> Source:
    politeness = Politeness(allow_private_addresses=True, requests_per_second=1000, timeout_seconds=3, **retries)
    return Source(name="absent", kind="feed", base_url=base, politeness=politeness)


async def _get_all(base: str, paths: list[str], reachability: Reachability,
                   retries: dict[str, float] | None = None) -> list[object]:
    source = _source(base, retries or REAL_RETRIES)
    async with LiveClient("WirehouseTest/1").http_client(3) as client:
        fetcher = Fetcher(source, client, "WirehouseTest/1", reachability=reachability)
        results: list[object] = []
        for path in paths:
            try:
                results.append(await fetcher.get(base + path))
            except TransportError as exc:
                results.append(exc)
        results.append(fetcher.retries)
        return results


def test_a_name_that_does_not_resolve_fails_at_once_without_retries() -> None:
    started = time.monotonic()
    *errors, retries = asyncio.run(_get_all("http://nonexistent.invalid", ["/a", "/b", "/c"], Reachability()))
    assert time.monotonic() - started < 5  # three URLs with retries would sleep 3 x 7 s
    assert retries == 0
    assert all(isinstance(e, SourceUnreachable) and e.reason == "unreachable" for e in errors)
    assert "Name or service not known" in errors[0].detail or "name resolution" in errors[0].detail.lower()


def test_a_port_that_refuses_every_connection_is_given_up_after_one_retry() -> None:
    base = f"http://127.0.0.1:{free_port()}"
    reachability = Reachability()
    started = time.monotonic()
    *errors, retries = asyncio.run(_get_all(base, [f"/{n}" for n in range(10)], reachability))
    assert time.monotonic() - started < 8
    assert retries == 1  # the second refusal gives the host up; the nine other URLs cost no request
    assert all(isinstance(e, SourceUnreachable) for e in errors)
    assert "ConnectError" in errors[0].detail
    assert reachability.unreachable(base) is not None


def test_a_source_that_answered_once_is_flaky_not_absent() -> None:
    reachability = Reachability()
    with serve({"/a": respond(200, b"ok")}) as (base, _hits):
        (first, _retries) = asyncio.run(_get_all(base, ["/a"], reachability))
    assert getattr(first, "status", None) == 200
    # the server is gone now: connection refused, but this host has answered this run, so it is retried
    flaky = {"max_retries": 2, "retry_backoff_seconds": 0.05}
    error, retries = asyncio.run(_get_all(base, ["/a"], reachability, flaky))
    assert type(error) is TransportError and retries == 4  # robots.txt and the page, each retried twice
    assert reachability.unreachable(base) is None


def test_probe_names_the_hosts_that_cannot_be_reached() -> None:
    port = free_port()
    with serve({"/": respond(200, b"ok")}) as (base, _hits):
        problems = asyncio.run(probe([base + "/feed/", f"http://127.0.0.1:{port}/", "https://nonexistent.invalid/"]))
    assert set(problems) == {f"127.0.0.1:{port}", "nonexistent.invalid:443"}
    assert "does not resolve" in problems["nonexistent.invalid:443"]
    assert "cannot connect" in problems[f"127.0.0.1:{port}"]


@pytest.mark.parametrize("detail", ["ConnectError: [Errno -2] Name or service not known",
                                    "ConnectError: [Errno -3] Temporary failure in name resolution"])
def test_a_name_failure_gives_up_at_once(detail: str) -> None:
    reachability = Reachability()
    assert reachability.connect_failed("http://x.example", detail)
    reachability.answered("http://x.example")
    assert reachability.unreachable("http://x.example") is None


def test_a_pickled_client_starts_afresh() -> None:
    # Dask ships the run's client to its workers: the copy works, and learns for itself
    import pickle

    client = LiveClient("WirehouseTest/1")
    client.reachability.connect_failed("http://x.example", "ConnectError: [Errno -2] Name or service not known")
    copy = pickle.loads(pickle.dumps(client))
    assert copy.reachability.unreachable("http://x.example") is None
    assert copy.reachability.connect_failed("http://y.example", "ConnectError: [Errno -2] Name or service not known")
