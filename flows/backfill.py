"""Backfill: one source over a past date range, in day or month chunks, resumable after interruption.

A chunk is marked done in the warehouse only after all its batches loaded; a rerun skips done chunks,
so an interrupted backfill picks up at the first unfinished chunk.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

from prefect import flow, get_run_logger

from flows.ingest import ingest_window
from flows.progress import ProgressEvent, emit
from flows.reporting import finish_report
from flows.runners import ConfiguredTaskRunner, shared_api_client
from schemas import RunReport
from tasks.config import Settings, load_sources, select_sources
from tasks.fetch.client import fetch_client
from tasks.health.collector import HealthCollector
from tasks.health.settings import HealthSettings
from tasks.health.task import end_source_health
from tasks.load import completed_chunks, mark_chunk_done, prepare_run
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
) -> RunReport:
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
                elif await ingest_window(selected, window, client, db_path, report, resolver, settings.batch_size,
                                         health=collector):
                    mark_chunk_done(db_path, selected.name, window, report.run_id)
                emit(ProgressEvent(selected.name, "chunk_done", number, len(chunks), f"{window.start:%Y-%m-%d}"))
        except BaseException:
            await finish_report(db_path, report, "failed")
            raise
        verdict = end_source_health(db_path, collector, HealthSettings())
        await finish_report(db_path, report, "completed", [verdict] if verdict else [])
        return report
