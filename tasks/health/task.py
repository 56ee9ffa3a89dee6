"""What the flows call: store a source's health at the end of its run, judge it, and tell whoever must know;
and, before a scheduled run reads a source, whether a broken one is due for another try."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

import duckdb
import httpx

from schemas.health import CheckDecision, HealthAlert, SourceHealth, SourceHealthFigures
from tasks.health.alerts import EventEmitter, build_alert, decide_alert, emit_health_event
from tasks.health.backoff import check_decision
from tasks.health.collector import HealthCollector
from tasks.health.notify import deliver
from tasks.health.rules import THRESHOLDS, Thresholds, assess
from tasks.health.settings import HealthSettings
from warehouse import health as stored
from warehouse.connection import open_writer

log = logging.getLogger(__name__)


def record_health(
    db: Path, figures: SourceHealthFigures, t: Thresholds = THRESHOLDS
) -> tuple[SourceHealth, HealthAlert | None]:
    """Store the figures, judge them against the source's baseline and recent runs, store the verdict: one
    transaction. Returns the verdict and the alert it owes (None when nothing changed)."""
    with open_writer(db) as con:
        return assess_and_store(con, figures, t)


def assess_and_store(
    con: duckdb.DuckDBPyConnection, figures: SourceHealthFigures, t: Thresholds = THRESHOLDS
) -> tuple[SourceHealth, HealthAlert | None]:
    """record_health on an open writer connection."""
    with stored.health_transaction(con):
        stored.store_figures(con, figures)
        baseline = stored.baseline_for(con, figures.run_id, figures.source)
        earlier = stored.history(con, figures.source, figures.flow, figures.started_at)
        health = assess(figures, baseline, earlier, t)
        previous = earlier[0] if earlier else None
        kind = decide_alert(previous, health)
        health.alert = kind.value if kind else None
        stored.store_assessment(con, health)
    return health, build_alert(kind, previous, health) if kind else None


def finish_source_health(
    db: Path,
    figures: SourceHealthFigures,
    settings: HealthSettings,
    *,
    emit: EventEmitter | None = None,
    client: httpx.Client | None = None,
    t: Thresholds = THRESHOLDS,
) -> SourceHealth:
    """The end of a source's run (`figures`: its HealthCollector's): its `source_health` row, a Prefect event when
    it is not ok (or recovered), and a notification to the configured targets when its status changed."""
    if emit is None:
        from prefect.events import emit_event

        emit = emit_event
    health, alert = record_health(db, figures, t)
    emit_health_event(health, alert, emit)
    if health.reasons:
        log.warning("%s is %s: %s", health.figures.source, health.status.value, health.summary)
    if alert is not None and settings.has_targets:
        deliver(alert, settings, client)
    return health


def source_check(db: Path, source: str, flow: str, now: datetime, t: Thresholds = THRESHOLDS) -> CheckDecision:
    """Whether a scheduled run should read `source` now (a broken one waits out its backoff)."""
    with open_writer(db) as con:
        earlier = stored.history(con, source, flow, now, limit=16)
    return check_decision(earlier, now, t)


def end_source_health(db: Path, collector: HealthCollector, settings: HealthSettings) -> SourceHealth | None:
    """What a flow calls when it is done with a source: finish_source_health on the collector's figures. None when
    the run read nothing of the source (every backfill chunk already done), or when recording failed: source
    health must never fail the ingest run it watches (the error is logged)."""
    figures = collector.figures()
    if figures.window_days == 0 and not figures.requests and not figures.channels:
        return None
    try:
        return finish_source_health(db, figures, settings)
    except Exception:
        log.exception("source health of %s not recorded", figures.source)
        return None
