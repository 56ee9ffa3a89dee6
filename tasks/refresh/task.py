"""Prefect tasks of the comment refresh: thin wrappers over tasks.refresh.threads and warehouse.comments."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from schemas.pipeline import FetchedThread, RawResponse, ThreadTarget, Validators
from schemas.report import FailureRecord
from schemas.rows import CommentThreadRows, StoredArticleFacts
from schemas.source import Source
from schemas.verdict import StoredThread
from tasks.fetch.client import FetchClient
from tasks.refresh.threads import fetch_threads, read_threads
from warehouse.comments import load_threads, threads_to_refresh
from warehouse.connection import open_reader, open_writer
from warehouse.load import LoadCounts


@task(name="select-threads", cache_policy=NO_CACHE)
def select_threads(db: Path, source: Source, since: datetime) -> list[ThreadTarget]:
    with open_reader(db) as con:
        return threads_to_refresh(con, source.name, since)


@task(name="fetch-threads", cache_policy=NO_CACHE)
async def fetch_threads_batch(
    source: Source, threads: list[ThreadTarget], client: FetchClient, validators: dict[str, Validators]
) -> list[FetchedThread]:
    async with client.session(source) as fetcher:
        return await fetch_threads(source, threads, fetcher, validators)


@task(name="read-threads", cache_policy=NO_CACHE)
def read_threads_batch(
    source: Source,
    fetched: list[FetchedThread],
    stored: dict[str, StoredThread] | None = None,
    facts: dict[str, StoredArticleFacts] | None = None,
) -> tuple[list[CommentThreadRows], list[FailureRecord]]:
    return read_threads(source, fetched, stored, facts)


@task(name="load-threads", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)
def load_threads_task(
    db: Path, source: str, threads: list[CommentThreadRows], responses: list[RawResponse], run_id: str,
    failures: list[FailureRecord] | None = None, read_urls: list[str] | None = None,
) -> LoadCounts:
    """One batch of threads, one transaction; the write connection is open only for it. `failures` are recorded
    (stage 'refresh'), the refresh failures of `read_urls` resolved."""
    with open_writer(db) as con:
        return load_threads(con, source, threads, responses, run_id, failures, read_urls or [])


def as_refresh_failures(failures: list[FailureRecord]) -> list[FailureRecord]:
    """A refresh's failures under stage 'refresh' (the failing step kept in the detail): the nightly ingest
    retries article failures, and these are not articles to fetch again but threads to read again."""
    return [f.model_copy(update={"stage": "refresh", "detail": f"{f.stage}: {f.detail}" if f.detail else f.stage})
            for f in failures]
