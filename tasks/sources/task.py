"""Prefect tasks of the ingest: discover a source's window, fetch a batch of its targets, parse the batch.

Thin wrappers: the work is the source's kind (tasks.sources.registry), tasks.sources.targets and
tasks.sources.reading; each task gets the run's FetchClient and opens one session of it per call.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from prefect import task
from prefect.cache_policies import NO_CACHE

from schemas import Discovery, DiscoveryWindow, FailureRecord, FetchedTarget, Source, Target, Validators
from schemas.errors import ParseError
from schemas.pipeline import ParsedBatch
from tasks.fetch.client import FetchClient
from tasks.sources.reading import parse_fetched
from tasks.sources.registry import kind_of
from tasks.sources.targets import fetch_targets

T = TypeVar("T")


@task(name="discover", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=5)
async def discover(
    source: Source, window: DiscoveryWindow, client: FetchClient, validators: dict[str, Validators] | None = None
) -> Discovery:
    async with client.session(source) as fetcher:
        return await kind_of(source).discover(source, window, fetcher, validators or {})


async def fetch_all(
    source: Source, targets: list[Target], client: FetchClient, validators: dict[str, Validators] | None = None
) -> list[FetchedTarget]:
    async with client.session(source) as fetcher:
        return await fetch_targets(source, targets, fetcher, validators)


# A sync task that runs its own event loop, not an async task: Prefect's async task engine opens an API client
# of its own in the task's thread (~40 ms of CPU a task run); a sync task run shares the flow's (~5 ms).
@task(name="fetch-batch", cache_policy=NO_CACHE)
def fetch_batch(
    source: Source, targets: list[Target], client: FetchClient, validators: dict[str, Validators] | None = None
) -> list[FetchedTarget]:
    return run_in_new_loop(fetch_all(source, targets, client, validators))


def run_in_new_loop(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run `coroutine` to its end on a fresh event loop: this thread's, or another thread's if one is running."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="wirehouse-fetch") as pool:
        return pool.submit(asyncio.run, coroutine).result()


def parse_all(source: Source, fetched: list[FetchedTarget]) -> ParsedBatch:
    """Each fetched target parsed; a page that cannot be read becomes a failure record."""
    batch = ParsedBatch()
    for item in fetched:
        if item.not_modified:
            continue  # a 304: the stored version stands, nothing to parse
        if item.failure is not None:
            batch.failures.append(FailureRecord(source=source.name, url=item.target.url, stage="fetch",
                                                reason=item.failure.reason, detail=item.failure.detail))
            continue
        try:
            batch.parsed.append((item, parse_fetched(item, source)))
        except ParseError as exc:
            batch.failures.append(FailureRecord(source=source.name, url=item.target.url, stage="parse",
                                                reason="unparseable", detail=str(exc)))
        except Exception as exc:  # a parser bug on one page must not cost the other pages of the batch
            batch.failures.append(FailureRecord(source=source.name, url=item.target.url, stage="parse",
                                                reason="parser_error", detail=f"{type(exc).__name__}: {exc}"))
    return batch


@task(name="parse-batch", cache_policy=NO_CACHE)
def parse_batch(source: Source, fetched: list[FetchedTarget]) -> ParsedBatch:
    return parse_all(source, fetched)
