"""Nightly ingest: for each enabled source, everything published since its watermark."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from prefect import flow, get_run_logger

from flows.ingest import ingest_window
from flows.reporting import finish_report, finish_run
from flows.runners import ConfiguredTaskRunner, shared_api_client
from schemas import RunReport, Source
from schemas.report import PollingDecision
from tasks.config import Settings, load_sources, select_sources
from tasks.fetch.client import fetch_client
from tasks.health.collector import HealthCollector
from tasks.health.settings import HealthSettings
from tasks.health.task import end_source_health, source_check
from tasks.load import finish_source, prepare_run
from tasks.sources.polling import PollingRules
from tasks.sources.state import articles_of, polling_decision, retry_targets
from tasks.sources.windows import nightly_window
from warehouse.connection import hold_writer
from warehouse.run_lock import run_lock


@flow(name="nightly", log_prints=True, task_runner=ConfiguredTaskRunner())
async def nightly(
    sources: list[str] | None = None,
    db: str | None = None,
    sources_file: str | None = None,
    transport: Literal["network", "snapshot"] = "network",
    since: datetime | None = None,
    until: datetime | None = None,
    force: bool = False,
) -> Any:  # the RunReport, in a state that says whether every target loaded (flows.reporting.finish_run)
    """Ingest new articles of the given (default: all enabled) sources.

    `since` overrides the watermark (re-reading is harmless: loads are idempotent); `until` defaults to now.
    A quiet source is checked less often (tasks/sources/polling.py) unless `force` or `since` is given.
    """
    settings = Settings()
    db_path = Path(db) if db else settings.db
    selected = select_sources(load_sources(Path(sources_file) if sources_file else settings.sources_file), sources)
    client = fetch_client(transport, settings.user_agent)
    now = (until or datetime.now(UTC)).astimezone(UTC)
    report = RunReport(
        run_id=uuid.uuid4().hex[:12], flow="nightly", started_at=datetime.now(UTC), sources=[s.name for s in selected]
    )
    with (
        run_lock(db_path, "nightly", settings.run_lock_wait_seconds),
        hold_writer(db_path, settings.writer_hold_seconds, settings.writer_memory_limit),
        shared_api_client(),
    ):
        watermarks, resolver = prepare_run(db_path, selected, report)
        logger = get_run_logger()
        health_settings, health = HealthSettings(), []
        try:
            for source in selected:
                # a broken source waits out its backoff; an explicit `since` (a re-read) or `force` reads every source
                if health_settings.backoff and not since and not force:
                    check = source_check(db_path, source.name, "nightly", now)
                    if not check.due:
                        logger.warning("%s skipped: %s", source.name, check.reason)
                        report.polling.append(PollingDecision(source=source.name, checked=False, at=now,
                                                              reason=check.reason, next_check_at=check.next_check_at))
                        continue
                retry = retry_targets(db_path, source, settings.max_failure_attempts)
                forced = ("re-read (--since)" if since else "forced (--force)" if force
                          else f"{len(retry)} failed articles due for a retry" if retry else None)
                decision = polling_decision(db_path, source, now, _polling_rules(settings, source), forced)
                if not decision.checked:
                    logger.info("%s not checked tonight: %s", source.name, decision.reason)
                    report.polling.append(decision)
                    continue
                articles_before, failed_before = articles_of(db_path, source), report.failed
                collector = HealthCollector(report.run_id, source.name, "nightly", now)
                watermark = since.astimezone(UTC) if since else watermarks.get(source.name)
                window = nightly_window(
                    watermark, now, settings.first_run_lookback_days, 0 if since else settings.overlap_hours
                )
                report.window_start = min(filter(None, [report.window_start, window.start]))
                report.window_end = window.end
                logger.info("%s: %s → %s", source.name, window.start.isoformat(), window.end.isoformat())
                complete = await ingest_window(source, window, client, db_path, report, resolver,
                                               settings.batch_size, retry, collector)
                if complete:
                    finish_source(db_path, source.name, window.end)
                # a check with a failure (a dead feed finds nothing new too) is no sign of a quiet source
                report.polling.append(decision.model_copy(update={
                    "new_articles": articles_of(db_path, source) - articles_before,
                    "complete": complete and report.failed == failed_before}))
                if verdict := end_source_health(db_path, collector, health_settings):
                    health.append(verdict)
        except BaseException:
            await finish_report(db_path, report, "failed", health)
            raise
        logger.info(
            "nightly done: %s articles, %s comments written, %s failures",
            report.articles_written,
            report.comments_written,
            report.failed,
        )
        return await finish_run(db_path, report, health)


def _polling_rules(settings: Settings, source: Source) -> PollingRules:
    """The source's own bound, else the setting's; adaptive polling off checks every source every night."""
    days = source.max_check_interval_days or settings.max_check_interval_days
    return PollingRules(max_interval_days=days if settings.adaptive_polling else 1)
