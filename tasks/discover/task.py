"""Prefect task: discover one source's targets for a window."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from schemas import Discovery, DiscoveryWindow, FetchOptions, Source
from tasks.discover.discovery import discover_source
from tasks.fetch.client import Fetcher, make_client


@task(name="discover", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=5)
async def discover(source: Source, window: DiscoveryWindow, options: FetchOptions) -> Discovery:
    async with make_client(options.transport, options.user_agent, source.politeness.timeout_seconds) as client:
        return await discover_source(source, window, Fetcher(source, client, options.user_agent, options.throttle))
