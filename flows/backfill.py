"""Backfill: one source over a past date range, in day or month chunks, resumable after interruption.

A chunk is done only when its listings were read whole and every target in it loaded or failed for good
(404/410, robots, offsite); a chunk with pending targets (an absent host, timeouts, 5xx) stays open with its
counts. A rerun skips done chunks and reads the open ones again.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

from prefect import flow, get_run_logger

from flows.ingest import ingest_window
from flows.progress import ProgressEvent, emit
from flows.reporting import finish_report, finish_run
from flows.runners import ConfiguredTaskRunner, shared_api_client
from schemas import RunReport
from tasks.config import Settings, load_sources, select_sources
from tasks.fetch.client import fetch_client
from tasks.health.collector import HealthCollector
from tasks.health.settings import HealthSettings
from tasks.health.task import end_source_health
from tasks.load import completed_chunks, prepare_run, record_chunk
from tasks.outcomes import WindowTally
from tasks.sources.windows import backfill_chunks
from warehouse.connection import hold_writer
from warehouse.run_lock import run_lock


@flow(name="backfill", log_prints=True, task_runner=ConfiguredTaskRunner())
async def backfill(
    source: str,
    start: date,
    end: date,
    chunk: Literal["day", "month"] = "day",
    db: str | None = None,
    sources_file: str | None = None,
    transport: Literal["network", "snapshot"] = "network",
    redo: bool = False,
) -> Any:  # the RunReport, in a state that says whether every target loaded (flows.reporting.finish_run)
    """Ingest `source` for every day from `start` to `end` (both inclusive). `redo` re-reads done chunks."""
    settings = Settings()
    db_path = Path(db) if db else settings.db
    (selected,) = select_sources(load_sources(Path(sources_file) if sources_file else settings.sources_file), [source])
    client = fetch_client(transport, settings.user_agent)
    chunks = backfill_chunks(start, end, chunk)
    report = RunReport(
        run_id=uuid.uuid4().hex[:12],
        flow="backfill",
        started_at=datetime.now(UTC),
        sources=[selected.name],
        window_start=chunks[0].start,
        window_end=chunks[-1].end,
    )
    with (
        run_lock(db_path, "backfill", settings.run_lock_wait_seconds),
        hold_writer(db_path, settings.writer_hold_seconds, settings.writer_memory_limit),
        shared_api_client(),
    ):
        _, resolver = prepare_run(db_path, [selected], report)
        done = set() if redo else completed_chunks(db_path, selected.name)
        logger = get_run_logger()
        collector = HealthCollector(report.run_id, selected.name, "backfill", datetime.now(UTC))
        try:
            for number, window in enumerate(chunks, start=1):
                if (window.start, window.end) in done:
                    logger.info("%s: chunk %s already done, skipped", selected.name, f"{window.start:%Y-%m-%d}")
                else:
                    tally = WindowTally()
                    await ingest_window(selected, window, client, db_path, report, resolver, settings.batch_size,
                                        health=collector, tally=tally)
                    record_chunk(db_path, selected.name, window, report.run_id, tally)
                    if not tally.finished:
                        logger.warning("%s: chunk %s left open: %s loaded, %s failed for good, %s pending%s",
                                       selected.name, f"{window.start:%Y-%m-%d}", tally.loaded,
                                       tally.failed_permanent, tally.pending_count,
                                       "" if tally.discovery_complete else ", listings not read whole")
                emit(ProgressEvent(selected.name, "chunk_done", number, len(chunks), f"{window.start:%Y-%m-%d}"))
        except BaseException:
            await finish_report(db_path, report, "failed")
            raise
        verdict = end_source_health(db_path, collector, HealthSettings())
        return await finish_run(db_path, report, [verdict] if verdict else [])
