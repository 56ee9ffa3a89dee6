"""Where the fetch and parse stages run: Prefect's thread pool in the flow process (default) or a Dask cluster.

The flows declare `ConfiguredTaskRunner()`; each flow run resolves it from `WIREHOUSE_TASK_RUNNER` when the run
starts, so a deployment is switched to Dask by its worker's environment, with no code change. The CLI's
`--runner dask` passes a runner explicitly (`flow.with_options(task_runner=make_task_runner("dask"))`).
Only `.submit()`ed tasks go to the runner; normalize and load are called directly, so they stay in the flow
process: one writer for the warehouse, and one AuthorResolver that learns aliases batch after batch.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefect.context import FlowRunContext, SyncClientContext
from prefect.futures import PrefectFuture
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from prefect.utilities.annotations import opaque, quote

from schemas import FetchedTarget, Source, Target
from schemas.pipeline import ParsedBatch
from tasks.config import RUNNER_NAMES, RunnerName, RunnerSettings
from tasks.fetch.client import FetchClient
from tasks.sources.state import validators_for, validators_of
from tasks.sources.task import fetch_batch, parse_batch
from warehouse.connection import waiting_on_network


def make_task_runner(runner: RunnerName | None = None, settings: RunnerSettings | None = None) -> TaskRunner[Any]:
    """The runner `runner` names (default: the WIREHOUSE_TASK_RUNNER setting), configured from settings."""
    settings = settings or RunnerSettings()
    name = runner or settings.task_runner
    if name == "default":
        return ThreadPoolTaskRunner(max_workers=2 * settings.batches_in_flight)
    if name != "dask":
        raise ValueError(f"task runner must be one of {', '.join(RUNNER_NAMES)}, not {name!r}")
    from prefect_dask import DaskTaskRunner  # imports distributed: only when asked for

    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    return DaskTaskRunner(cluster_kwargs=local_cluster_kwargs(settings))


def local_cluster_kwargs(settings: RunnerSettings) -> dict[str, Any]:
    """A LocalCluster of worker processes (parsing is CPU-bound Python), without the web dashboard."""
    kwargs: dict[str, Any] = {
        "processes": True,
        "threads_per_worker": settings.dask_threads_per_worker,
        "dashboard_address": None,
    }
    if settings.dask_workers:
        kwargs["n_workers"] = settings.dask_workers
    return kwargs


@contextmanager
def shared_api_client() -> Iterator[None]:
    """One Prefect API client for all the sync task runs of an async flow run, wherever they run in-process.

    Prefect's async flow engine holds only an async client, so each sync task run (called, or submitted to the
    thread pool) opens a client of its own, and building its TLS context alone costs some 80 ms of CPU, more
    than the task's work. Holding a sync client context for the flow run (threads inherit it) brings a task
    run's Prefect overhead from ~40-80 ms to ~2 ms.
    """
    with SyncClientContext.get_or_create():
        yield


class ConfiguredTaskRunner(ThreadPoolTaskRunner):  # type: ignore[type-arg]
    """The runner the flows declare: every flow run gets `make_task_runner()` as the settings say at its start.

    Prefect enters `flow.task_runner.duplicate()` for each run; returning the configured runner there is what
    lets a deployment's worker environment (WIREHOUSE_TASK_RUNNER=dask) choose Dask without a code change.
    """

    def duplicate(self) -> Any:
        return make_task_runner()


@dataclass
class _InFlight:
    batch: list[Target]
    fetched: PrefectFuture[list[FetchedTarget]]
    parsed: PrefectFuture[ParsedBatch]

    async def results(self) -> tuple[list[Target], list[FetchedTarget], ParsedBatch]:
        # Waiting happens off the event loop: the flow's loop keeps serving Prefect's own calls meanwhile.
        parsed = await asyncio.to_thread(self.parsed.result)
        fetched = await asyncio.to_thread(self.fetched.result)
        return self.batch, fetched, parsed


async def fetch_and_parse(
    source: Source, batches: Iterable[list[Target]], client: FetchClient, db: Path, in_flight: int | None = None
) -> AsyncIterator[tuple[list[Target], list[FetchedTarget], ParsedBatch]]:
    """Each batch fetched then parsed on the flow's task runner, `in_flight` batches ahead of the caller.

    Batches come back in their order, so normalize and load see exactly what a one-at-a-time run sees.
    """
    in_flight = in_flight or RunnerSettings().batches_in_flight
    whole, resolved_whole = _whole_value_annotations()
    batches = list(batches)
    # One look at the warehouse for the whole window, not one a batch: each look opens the file and scans the
    # stored responses. Same answer: a window's targets are unique, so no batch loads what another one asks.
    known = validators_for(db, source, [target for batch in batches for target in batch])
    pending: deque[_InFlight] = deque()
    for batch in batches:
        if client.throttle and pending:
            # A source's rate limit is kept per fetch batch: its fetches take turns, so the host sees the
            # configured rate however many batches are in flight (parsing still overlaps).
            with waiting_on_network(db):
                await asyncio.to_thread(pending[-1].fetched.wait)
        fetched = fetch_batch.submit(source, whole(batch), client, whole(validators_of(known, source, batch)))
        parsed = parse_batch.submit(source, resolved_whole(fetched))  # on Dask: parsed where it was fetched
        pending.append(_InFlight(batch, fetched, parsed))
        if len(pending) >= in_flight:
            yield await _next_ready(pending, db)
    while pending:
        yield await _next_ready(pending, db)


async def _next_ready(
    pending: deque[_InFlight], db: Path
) -> tuple[list[Target], list[FetchedTarget], ParsedBatch]:
    # Marked as a wait on the network: if it lasts, the run's held writer lets readers in meanwhile. Not the
    # caller's load of the batch, which follows: that is why this returns, rather than yields inside the mark.
    with waiting_on_network(db):
        return await pending.popleft().results()


def _whole_value_annotations() -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """`quote` and `opaque` where the flow's task runner keeps them; the identity where it does not.

    Prefect walks every object of a task's arguments looking for futures, some 2 ms a page for a batch of
    pages; `quote` (pass as is) and `opaque` (resolve the future, do not walk its result) skip that walk.
    Dask unpacks these annotations (they are tuples) before the task sees them, so on Dask arguments go
    plain: the walk then happens on the workers, not in the flow process.
    """
    context = FlowRunContext.get()
    if context is not None and isinstance(context.task_runner, ThreadPoolTaskRunner):
        return quote, opaque
    return _as_is, _as_is


def _as_is(value: Any) -> Any:
    return value
