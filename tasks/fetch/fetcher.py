"""The one way Wirehouse fetches a URL: domain checks, robots.txt, rate limit, retries, size cap.

A `Fetcher` applies one source's politeness rules over an httpx client that a `FetchClient` (tasks.fetch.client)
made; every stage that fetches gets its Fetcher from `FetchClient.session(source)`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import random
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from schemas import RawResponse, Source
from schemas.errors import (
    BadContent,
    FetchError,
    FetchTimeout,
    HttpStatusError,
    OffsiteURL,
    RobotsDisallowed,
    SourceUnreachable,
    TooLarge,
    TransportError,
)
from tasks.fetch.politeness import HostRateLimiter, RobotsCache
from tasks.fetch.reachability import Reachability, is_connect_failure

_RETRY_STATUSES = {429, 500, 502, 503, 504}
_MAX_REDIRECTS = 5
# Responses allowed past the source's max_response_bytes: the sitemap protocol lets one file be 50 MB (its reader
# applies that cap again after gzip).
_ROLE_SIZE_CAPS = {"sitemap": 52_428_800}


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds or an HTTP-date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class Fetcher:
    """Fetches URLs for one source with one shared client."""

    def __init__(self, source: Source, client: httpx.AsyncClient, user_agent: str, throttle: bool = True,
                 reachability: Reachability | None = None) -> None:
        self.source = source
        self.reachability = reachability or Reachability()  # the run's, shared by its batches
        self.throttle = throttle
        self.client = client
        self.user_agent = user_agent
        self.politeness = source.politeness
        self.rate_limiter = HostRateLimiter(self.politeness.requests_per_second)
        self.robots = RobotsCache(self._fetch_robots_text, user_agent)
        self.retries = 0  # counted for the run report

    def check_allowed_url(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise OffsiteURL(url, f"scheme {parts.scheme!r} is not http(s)")
        host = (parts.hostname or "").lower()
        if not any(host == d or host.endswith("." + d) for d in self.source.domains()):
            raise OffsiteURL(url, f"host {host} is outside {', '.join(self.source.domains())}")
        if not self.politeness.allow_private_addresses and is_private_host(host):
            raise OffsiteURL(url, f"host {host} is a private or loopback address")

    async def get(self, url: str, role: str = "article", headers: dict[str, str] | None = None) -> RawResponse:
        """GET with every politeness rule; raises a FetchError subclass when the URL cannot be had."""
        requested = url
        for _hop in range(_MAX_REDIRECTS + 1):
            self.check_allowed_url(url)
            origin = _origin(url)
            if self.politeness.obey_robots:
                if not await self.robots.allowed(origin, url):
                    raise RobotsDisallowed(url, "disallowed by robots.txt")
                delay = await self.robots.crawl_delay(origin)
                if delay:
                    self.rate_limiter.set_min_interval(origin, delay)
            cap = max(self.politeness.max_response_bytes, _ROLE_SIZE_CAPS.get(role, 0))
            response = await self._get_with_retries(url, headers or {}, cap)
            if response.status in (301, 302, 303, 307, 308):
                location = response.headers.get("location")
                if not location:
                    raise HttpStatusError(url, response.status, "redirect without Location")
                url = urljoin(url, location)
                continue
            if response.status >= 400:
                raise HttpStatusError(url, response.status)
            if response.status != 304:
                _check_content_type(url, role, response.headers.get("content-type"))
            return response.model_copy(update={"url": requested, "final_url": url, "role": role})
        raise FetchError(requested, f"more than {_MAX_REDIRECTS} redirects")

    async def _get_with_retries(self, url: str, headers: dict[str, str], cap: int | None = None) -> RawResponse:
        attempt = 0
        while True:
            try:
                response = await self._get_once(url, headers, cap or self.politeness.max_response_bytes)
            except SourceUnreachable:
                raise  # an absent source: retrying only costs time
            except TransportError:
                if attempt >= self.politeness.max_retries:
                    raise
                wait = None
            else:
                if response.status not in _RETRY_STATUSES or attempt >= self.politeness.max_retries:
                    return response
                wait = retry_after_seconds(response.headers.get("retry-after"))
                if wait is not None and wait > self.politeness.max_retry_after_seconds:
                    return response  # the caller records it; a later run retries
            if wait is None:
                base = self.politeness.retry_backoff_seconds * (2**attempt)
                wait = base * (1 + random.uniform(-0.25, 0.25))
            attempt += 1
            self.retries += 1
            await asyncio.sleep(wait)

    async def _get_once(self, url: str, headers: dict[str, str], cap: int) -> RawResponse:
        origin = _origin(url)
        if (why := self.reachability.unreachable(origin)) is not None:
            raise SourceUnreachable(url, why)
        if self.throttle:
            await self.rate_limiter.acquire(origin)
        started = time.monotonic()
        try:
            async with asyncio.timeout(self.politeness.total_timeout_seconds), self.client.stream(
                "GET", url, headers=headers
            ) as response:
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > cap:
                    raise TooLarge(url, f"Content-Length {declared} > cap {cap}")
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > cap:  # decoded size: also stops decompression bombs
                        raise TooLarge(url, f"body over {cap} bytes")
                    chunks.append(chunk)
        except (httpx.TimeoutException, TimeoutError, httpx.TransportError) as exc:
            raise self._transport_error(url, origin, exc) from exc
        except httpx.DecodingError as exc:
            raise BadContent(url, f"undecodable content encoding: {exc}") from exc
        self.reachability.answered(origin)
        return RawResponse(
            url=url,
            final_url=url,
            status=response.status_code,
            headers={k.lower(): v for k, v in response.headers.items()},
            body=b"".join(chunks),
            fetched_at=datetime.now(UTC),
            elapsed_ms=(time.monotonic() - started) * 1000,
        )

    def _transport_error(self, url: str, origin: str, exc: BaseException) -> TransportError:
        detail = f"{type(exc).__name__}: {exc}"
        cause = exc.__cause__ or exc.__context__
        if cause is not None and str(cause) and str(cause) not in detail:  # "All connection attempts failed" says
            detail += f" ({cause})"  # less than the socket's own "[Errno 111] Connect call failed"
        # no server reached: an absent source is given up for the run
        if is_connect_failure(exc) and self.reachability.connect_failed(origin, detail):
            return SourceUnreachable(url, detail)
        if isinstance(exc, httpx.TimeoutException | TimeoutError):
            return FetchTimeout(url, type(exc).__name__)
        return TransportError(url, detail)  # includes truncated bodies (RemoteProtocolError)

    async def _fetch_robots_text(self, robots_url: str) -> tuple[int, str]:
        try:
            response = await self._get_with_retries(robots_url, {})
        except FetchError:
            return 0, ""
        return response.status, response.body.decode("utf-8", errors="replace")


# What each kind of response must be; a missing Content-Type is let through to the parser's own checks.
_EXPECTED_TYPES = {
    "article": ("html",),
    "archive": ("html",),
    "post_json": ("json",),
    "comments_json": ("json",),
    "listing": ("json",),
    "feed": ("xml", "rss", "atom"),
}


def _check_content_type(url: str, role: str, content_type: str | None) -> None:
    expected = _EXPECTED_TYPES.get(role)
    if not expected or not content_type:
        return
    media_type = content_type.split(";")[0].strip().lower()
    if not any(word in media_type for word in expected):
        raise BadContent(url, f"Content-Type {media_type} where {'/'.join(expected)} was expected")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def is_private_host(host: str) -> bool:
    if host in ("localhost",) or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False  # a name; resolving it here would cost a DNS lookup per URL
    return address.is_private or address.is_loopback or address.is_link_local or address.is_reserved
