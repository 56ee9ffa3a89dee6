"""Prefect task: fetch a batch of targets over one shared AsyncClient."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from schemas import FetchedTarget, FetchOptions, Source, Target, Validators
from tasks.fetch.client import Fetcher, make_client
from tasks.fetch.targets import fetch_targets


@task(name="fetch-batch", cache_policy=NO_CACHE)
async def fetch_batch(
    source: Source, targets: list[Target], options: FetchOptions, validators: dict[str, Validators] | None = None
) -> list[FetchedTarget]:
    async with make_client(options.transport, options.user_agent, source.politeness.timeout_seconds) as client:
        fetcher = Fetcher(source, client, options.user_agent, options.throttle)
        return await fetch_targets(source, targets, fetcher, validators)
