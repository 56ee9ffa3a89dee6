"""The fetcher against a real server on 127.0.0.1: retries, politeness, limits and refusals."""

from __future__ import annotations

import asyncio
import itertools
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler

import httpx
import pytest

from schemas import Politeness, Source
from schemas.errors import FetchTimeout, HttpStatusError, OffsiteURL, RobotsDisallowed, TooLarge, TransportError
from tasks.fetch.client import LiveClient
from tasks.fetch.fetcher import Fetcher, retry_after_seconds
from testing.http_server import respond, serve


def _source(base: str, **politeness: object) -> Source:
    settings = {
        "allow_private_addresses": True,
        "requests_per_second": 1000,
        "retry_backoff_seconds": 0.01,
        "timeout_seconds": 2,
        **politeness,
    }
    return Source(name="test", kind="feed", base_url=base, politeness=Politeness(**settings))


async def _get(source: Source, url: str) -> httpx.Response | object:
    async with LiveClient("WirehouseTest/1").http_client(source.politeness.timeout_seconds) as client:
        return await Fetcher(source, client, "WirehouseTest/1").get(url)


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def test_retries_5xx_then_succeeds() -> None:
    with serve({"/a": [respond(500), respond(503, headers={"Retry-After": "0"}), respond(200, b"ok")]}) as (base, hits):
        response = run(_get(_source(base), base + "/a"))
        assert response.status == 200 and response.body == b"ok"
        assert hits["/a"] == 3


def test_429_with_http_date_retry_after_is_honoured() -> None:
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=2), usegmt=True)
    with serve({"/a": [respond(429, headers={"Retry-After": later}), respond(200, b"ok")]}) as (base, hits):
        started = time.monotonic()
        response = run(_get(_source(base), base + "/a"))
        assert response.status == 200 and hits["/a"] == 2
        assert time.monotonic() - started >= 0.5  # waited for the date (whole seconds), not the 10 ms backoff


def test_404_is_not_retried() -> None:
    with serve({"/a": respond(404)}) as (base, hits):
        with pytest.raises(HttpStatusError) as info:
            run(_get(_source(base), base + "/a"))
        assert info.value.reason == "http_404" and hits["/a"] == 1


def test_retries_give_up_after_the_cap() -> None:
    with serve({"/a": respond(500)}) as (base, hits):
        with pytest.raises(HttpStatusError):
            run(_get(_source(base, max_retries=2), base + "/a"))
        assert hits["/a"] == 3


def test_robots_disallow_is_obeyed() -> None:
    robots = b"User-agent: *\nDisallow: /private/\n"
    with serve({"/robots.txt": respond(200, robots), "/private/x": respond(200, b"secret")}) as (base, hits):
        with pytest.raises(RobotsDisallowed):
            run(_get(_source(base, obey_robots=True), base + "/private/x"))
        assert "/private/x" not in hits


def test_redirect_to_another_domain_is_refused() -> None:
    routes = {"/a": respond(301, headers={"Location": "https://elsewhere.example/x"})}
    with serve(routes) as (base, _), pytest.raises(OffsiteURL):
        run(_get(_source(base), base + "/a"))


def test_redirect_loop_is_cut() -> None:
    with serve({"/a": respond(301, headers={"Location": "/b"}), "/b": respond(302, headers={"Location": "/a"})}) as (
        base,
        hits,
    ):
        with pytest.raises(Exception, match="redirects"):
            run(_get(_source(base), base + "/a"))
        assert hits["/a"] <= 4


def test_loopback_is_refused_unless_the_source_allows_it() -> None:
    with serve({"/a": respond(200, b"ok")}) as (base, hits):
        with pytest.raises(OffsiteURL):
            run(_get(_source(base, allow_private_addresses=False), base + "/a"))
        assert "/a" not in hits


def test_body_over_the_cap_is_refused_while_streaming() -> None:
    def chunked_big(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "text/html")
        request.end_headers()
        for _ in range(100):
            request.wfile.write(b"x" * 10_000)

    with serve({"/big": chunked_big}) as (base, _), pytest.raises(TooLarge):
        run(_get(_source(base, max_response_bytes=50_000), base + "/big"))


def test_truncated_body_is_a_transport_error() -> None:
    def truncated(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Length", "1000")
        request.end_headers()
        request.wfile.write(b"only a little")
        request.close_connection = True

    with serve({"/t": truncated}) as (base, hits):
        with pytest.raises(TransportError):
            run(_get(_source(base, max_retries=1), base + "/t"))
        assert hits["/t"] == 2


def test_read_timeout() -> None:
    def slow(request: BaseHTTPRequestHandler) -> None:
        time.sleep(1.5)
        respond(200, b"late")(request)

    with serve({"/slow": slow}) as (base, _), pytest.raises(FetchTimeout):
        run(_get(_source(base, timeout_seconds=0.3, max_retries=0), base + "/slow"))


def test_connection_refused() -> None:
    with serve({}) as (base, _):
        pass  # the server is gone: its port now refuses connections
    with pytest.raises(TransportError):
        run(_get(_source(base, max_retries=0), base + "/a"))


def test_retry_after_formats() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds("Thu, 01 Jan 2026 00:00:30 GMT", now) == 30
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_crawl_delay_spaces_requests_to_a_host() -> None:
    robots = b"User-agent: *\nCrawl-delay: 0.4\n"
    stamps: list[float] = []

    def stamped(request: BaseHTTPRequestHandler) -> None:
        stamps.append(time.monotonic())
        respond(200, b"ok", {"Content-Type": "text/html"})(request)

    with serve({"/robots.txt": respond(200, robots), "/a": stamped, "/b": stamped, "/c": stamped}) as (base, _):
        source = _source(base, obey_robots=True, requests_per_second=100)

        async def three() -> None:
            async with LiveClient("WirehouseTest/1").http_client(2) as client:
                fetcher = Fetcher(source, client, "WirehouseTest/1")
                await asyncio.gather(*(fetcher.get(base + p) for p in ("/a", "/b", "/c")))

        run(three())
    gaps = [later - earlier for earlier, later in itertools.pairwise(stamps)]
    assert len(stamps) == 3 and min(gaps) >= 0.35


def test_public_source_may_not_be_redirected_to_loopback() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.host == "news.example.org":
            return httpx.Response(302, headers={"Location": "http://127.0.0.1:8080/admin"})
        raise AssertionError(f"the fetcher followed the redirect to {request.url}")

    source = Source(
        name="public",
        kind="feed",
        base_url="https://news.example.org/",
        allowed_domains=["127.0.0.1"],
        politeness=Politeness(obey_robots=False),
    )

    async def get() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
            await Fetcher(source, client, "WirehouseTest/1").get("https://news.example.org/story")

    with pytest.raises(OffsiteURL, match="private or loopback"):
        run(get())


def test_non_http_redirect_is_refused() -> None:
    with (
        serve({"/a": respond(301, headers={"Location": "file:///etc/passwd"})}) as (base, _),
        pytest.raises(OffsiteURL, match="scheme"),
    ):
        run(_get(_source(base), base + "/a"))


def test_wrong_content_type_for_an_article_is_refused() -> None:
    from schemas.errors import BadContent

    with serve({"/a": respond(200, b"%PDF-1.7", {"Content-Type": "application/pdf"})}) as (base, _):

        async def get() -> None:
            async with LiveClient("WirehouseTest/1").http_client(2) as client:
                await Fetcher(_source(base), client, "WirehouseTest/1").get(base + "/a", role="article")

        with pytest.raises(BadContent):
            run(get())
