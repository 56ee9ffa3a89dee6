"""Comment refresh: re-read the threads of articles younger than N days, so loaded threads stay current.

New comments are added, edited ones get their new text and edited_at (the old text kept), and comments a
complete read no longer shows are marked deleted; threads whose site answers 304 cost one request and write
nothing. Scheduled nightly after ingest (prefect.yaml); `wirehouse comments refresh --days N` runs it by hand.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from prefect import flow, get_run_logger
from prefect.utilities.annotations import quote

from flows.reporting import chunks, count_failures, finish_report, finish_run
from schemas import RunReport, Source
from tasks.config import RefreshSettings, Settings, load_sources, select_sources
from tasks.fetch.client import FetchClient, fetch_client
from tasks.load import record_run
from tasks.refresh.task import (
    as_refresh_failures,
    fetch_threads_batch,
    load_threads_task,
    read_threads_batch,
    select_threads,
)
from tasks.refresh.threads import refresh_validators
from tasks.verify.task import stored_threads_for
from warehouse.connection import hold_writer, waiting_on_network
from warehouse.run_lock import run_lock


@flow(name="refresh-comments", log_prints=True)
async def refresh_comments(
    days: int | None = None,
    sources: list[str] | None = None,
    db: str | None = None,
    sources_file: str | None = None,
    transport: Literal["network", "snapshot"] = "network",
    now: datetime | None = None,
    lock_wait_seconds: float | None = None,
) -> Any:  # the RunReport, in a state that says whether every thread was read (flows.reporting.finish_run)
    """Re-read the comment threads of the given (default: all enabled) sources' articles published in the last
    `days` days (default: the WIREHOUSE_COMMENT_REFRESH_DAYS setting) before `now` (default: now).

    `lock_wait_seconds` is how long to wait for a running ingest to finish (the deployment waits for nightly).
    """
    settings = Settings()
    days = RefreshSettings().comment_refresh_days if days is None else days
    db_path = Path(db) if db else settings.db
    selected = select_sources(load_sources(Path(sources_file) if sources_file else settings.sources_file), sources)
    client = fetch_client(transport, settings.user_agent)
    until = (now or datetime.now(UTC)).astimezone(UTC)
    report = RunReport(
        run_id=uuid.uuid4().hex[:12], flow="refresh-comments", started_at=datetime.now(UTC),
        sources=[s.name for s in selected], window_start=until - timedelta(days=days), window_end=until,
    )
    wait = settings.run_lock_wait_seconds if lock_wait_seconds is None else lock_wait_seconds
    with run_lock(db_path, "refresh-comments", wait), hold_writer(
        db_path, settings.writer_hold_seconds, settings.writer_memory_limit
    ):
        record_run(db_path, report)
        logger = get_run_logger()
        try:
            for source in selected:
                if source.fetch_comments:
                    await _refresh_source(source, until - timedelta(days=days), client, db_path, report,
                                          settings.batch_size)
        except BaseException:
            await finish_report(db_path, report, "failed")
            raise
        logger.info(
            "comment refresh done: %s threads, %s unchanged, %s comment rows written, %s marked deleted",
            report.discovered, report.not_modified, report.comments_written, report.comments_deleted,
        )
        return await finish_run(db_path, report)


async def _refresh_source(
    source: Source, since: datetime, client: FetchClient, db: Path, report: RunReport, batch_size: int
) -> None:
    threads = select_threads(db, source, since)
    report.discovered += len(threads)
    for batch in chunks(threads, batch_size):
        validators = refresh_validators(db, source, batch)
        with waiting_on_network(db):  # readers may have the warehouse meanwhile
            fetched = await fetch_threads_batch(source, quote(batch), client, validators)
        # the plausibility gate judges each thread against its stored comments; a rejected one is not loaded
        stored = stored_threads_for(db, [t.article_id for t in batch])
        rows, read_failures = read_threads_batch(source, quote(fetched), quote(stored))
        failures = as_refresh_failures(read_failures)
        failed_urls = {f.url for f in failures}
        read_urls = [item.target.url for item in fetched if item.failure is None and item.target.url not in failed_urls]
        # Kept: comment channels' answers, whose validators make the next refresh conditional. Not kept: article
        # pages (only their comments were loaded; stored, their ETag would make the next ingest skip an edited
        # article) and 304s (no body).
        # Nor the answers of a thread that failed (the gate refused it): their validators would make the next refresh
        # ask conditionally against what was never loaded.
        responses = [r for item in fetched if not item.not_modified and item.target.url not in failed_urls
                     for r in item.responses if r.status == 200 and r.role != "article"]
        counts = load_threads_task(db, source.name, quote(rows), quote(responses), report.run_id, quote(failures),
                                   read_urls)

        report.fetched += sum(1 for item in fetched if item.responses and not item.not_modified)
        report.not_modified += sum(1 for item in fetched if item.not_modified)
        report.retried += sum(item.retries for item in fetched)
        report.parsed += len(rows)
        report.comments_written += (
            counts.comments_inserted + counts.comments_updated + counts.comments_moved + counts.comments_deleted
            + counts.comments_restored
        )
        report.comments_deleted += counts.comments_deleted
        report.comments_not_fetched += sum(1 for row in rows if not row.section.fetched)
        count_failures(report, failures)
