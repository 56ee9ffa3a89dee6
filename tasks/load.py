"""The load stage: every write to the warehouse goes through here, one short writer session each."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from schemas import DiscoveryWindow, FailureRecord, NormalizedArticle, RawResponse, RunReport, Source
from tasks.normalize.authors import AuthorResolver
from tasks.outcomes import WindowTally
from warehouse import queries
from warehouse.connection import open_writer
from warehouse.load import LoadCounts, load_batch


def load_articles(
    db: Path,
    source: str,
    articles: list[NormalizedArticle],
    responses: list[RawResponse],
    failures: list[FailureRecord],
    run_id: str,
) -> LoadCounts:
    """One batch, one transaction, on the run's held writer connection (warehouse.connection.hold_writer) or,
    outside a run, on one opened for it."""
    with open_writer(db) as con:
        return load_batch(con, source, articles, responses, failures, run_id)


def prepare_run(
    db: Path, sources: list[Source], report: RunReport
) -> tuple[dict[str, datetime | None], AuthorResolver]:
    """Register sources and the run; return each source's watermark and the known author aliases."""
    with open_writer(db) as con:
        queries.upsert_sources(con, sources)
        queries.record_run(con, report)
        watermarks = {s.name: queries.get_watermark(con, s.name) for s in sources}
        resolver = AuthorResolver(
            alias_to_ids=queries.alias_map(con),
            known_bios=queries.author_bios(con),
            display_names=queries.author_display_names(con),
        )
    return watermarks, resolver


def finish_source(db: Path, source: str, watermark: datetime | None) -> None:
    if watermark is None:
        return
    with open_writer(db) as con:
        queries.advance_watermark(con, source, watermark)


def record_run(db: Path, report: RunReport) -> None:
    with open_writer(db) as con:
        queries.record_run(con, report)


@task(name="load-batch", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)
def load_batch_task(
    db: Path,
    source: str,
    articles: list[NormalizedArticle],
    responses: list[RawResponse],
    failures: list[FailureRecord],
    run_id: str,
) -> LoadCounts:
    return load_articles(db, source, articles, responses, failures, run_id)


def completed_chunks(db: Path, source: str) -> set[tuple[datetime, datetime]]:
    with open_writer(db) as con:
        return queries.completed_chunks(con, source)


def mark_chunk_done(db: Path, source: str, window: DiscoveryWindow, run_id: str) -> None:
    with open_writer(db) as con:
        queries.mark_chunk_done(con, source, window.start, window.end, run_id)


def record_chunk(db: Path, source: str, window: DiscoveryWindow, run_id: str, tally: WindowTally) -> None:
    """The outcome of one read of a backfill chunk: done, or open with its pending targets counted."""
    with open_writer(db) as con:
        queries.record_chunk(con, source, window.start, window.end, run_id,
                             discovery_complete=tally.discovery_complete, loaded=tally.loaded,
                             failed_permanent=tally.failed_permanent, pending=tally.pending_count)
