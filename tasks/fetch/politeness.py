"""Being a good citizen: robots.txt per host and a per-host request rate."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from protego import Protego


class HostRateLimiter:
    """Token bucket per host: at most `rate` requests a second, bursts of `burst`."""

    def __init__(self, rate: float, burst: int = 1) -> None:
        self.rate = rate
        self.burst = max(1, burst)
        self._tokens: dict[str, float] = {}
        self._updated: dict[str, float] = {}
        self._min_interval: dict[str, float] = {}
        self._lock = asyncio.Lock()

    def set_min_interval(self, host: str, seconds: float) -> None:
        """A robots.txt Crawl-delay overrides the configured rate when it is slower."""
        self._min_interval[host] = seconds

    async def acquire(self, host: str) -> None:
        while True:
            async with self._lock:
                now = time.monotonic()
                rate = self.rate
                if host in self._min_interval and self._min_interval[host] > 0:
                    rate = min(rate, 1.0 / self._min_interval[host])
                burst = 1 if host in self._min_interval else self.burst
                tokens = self._tokens.get(host, float(burst))
                tokens = min(float(burst), tokens + (now - self._updated.get(host, now)) * rate)
                self._updated[host] = now
                if tokens >= 1.0:
                    self._tokens[host] = tokens - 1.0
                    return
                self._tokens[host] = tokens
                wait = (1.0 - tokens) / rate
            await asyncio.sleep(wait)


class RobotsCache:
    """robots.txt rules per origin, fetched once per batch; an unreachable robots.txt allows all."""

    def __init__(self, fetch_text: Callable[[str], Awaitable[tuple[int, str]]], user_agent: str) -> None:
        self._fetch_text = fetch_text
        self._user_agent = user_agent
        self._rules: dict[str, Protego | None] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def rules_for(self, origin: str) -> Protego | None:
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin not in self._rules:
                status, text = await self._fetch_text(origin + "/robots.txt")
                # RFC 9309: 4xx means no restrictions; 5xx/unreachable we also treat as allow-all
                # (recorded by the caller), because a flaky robots.txt must not stop a nightly run.
                self._rules[origin] = Protego.parse(text) if status == 200 else None
            return self._rules[origin]

    async def allowed(self, origin: str, url: str) -> bool:
        rules = await self.rules_for(origin)
        return True if rules is None else bool(rules.can_fetch(url, self._user_agent))

    async def crawl_delay(self, origin: str) -> float | None:
        rules = await self.rules_for(origin)
        if rules is None:
            return None
        delay = rules.crawl_delay(self._user_agent)
        return float(delay) if delay is not None else None
