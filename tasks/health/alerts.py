"""When a source's health is worth telling someone, and how it is told inside Prefect.

Every run that finds a source degraded or broken emits a Prefect event (`wirehouse.source.degraded` /
`.broken`, and `.recovered` once when it is ok again), so a Prefect server's automations can act on it; the
run's report artifact carries a health section. Notifications to people (tasks/health/notify.py) go out only
when something changed: a source became degraded or broken, a new problem appeared, or it recovered. A quiet
run, however long a source stays degraded, sends nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from schemas.health import AlertKind, HealthAlert, HealthStatus, SourceHealth

log = logging.getLogger(__name__)

EVENT_PREFIX = "wirehouse.source"
HEADLINE_FIGURES = ("discovered", "fetched", "failed", "articles", "empty_bodies", "no_author", "no_date",
                    "threads_advertised", "threads_advertised_empty", "latency_p95_ms")

EventEmitter = Callable[..., Any]  # prefect.events.emit_event's signature


def decide_alert(previous: SourceHealth | None, current: SourceHealth) -> AlertKind | None:
    """The alert this run owes, given the same source's previous assessed run (of the same flow)."""
    before = previous.status if previous is not None else HealthStatus.OK
    if current.status is HealthStatus.OK:
        return AlertKind.RECOVERED if before is not HealthStatus.OK else None
    if current.status is HealthStatus.BROKEN:
        return AlertKind.BROKEN if before is not HealthStatus.BROKEN else None
    if before is not HealthStatus.DEGRADED:
        return AlertKind.DEGRADED  # from ok, or better than broken but not well
    known = {(r.code, r.subject) for r in previous.reasons} if previous is not None else set()
    return AlertKind.DEGRADED if any((r.code, r.subject) not in known for r in current.reasons) else None


def build_alert(kind: AlertKind, previous: SourceHealth | None, current: SourceHealth) -> HealthAlert:
    figures = current.figures
    return HealthAlert(
        kind=kind,
        source=figures.source,
        status=current.status,
        previous_status=previous.status if previous is not None else None,
        run_id=figures.run_id,
        flow=figures.flow,
        at=figures.finished_at or figures.started_at,
        reasons=current.reasons,
        figures={name: getattr(figures, name) for name in HEADLINE_FIGURES},
    )


def emit_health_event(health: SourceHealth, alert: HealthAlert | None, emit: EventEmitter) -> None:
    """A Prefect event for a degraded or broken source (every run) or a recovery (once)."""
    if health.status is HealthStatus.OK and (alert is None or alert.kind is not AlertKind.RECOVERED):
        return
    name = health.figures.source
    event = f"{EVENT_PREFIX}.{'recovered' if health.status is HealthStatus.OK else health.status.value}"
    payload: dict[str, Any] = {
        "status": health.status.value,
        "reasons": [r.model_dump(mode="json") for r in health.reasons],
        "run_id": health.figures.run_id,
        "flow": health.figures.flow,
        "alert": alert.model_dump(mode="json") if alert is not None else None,
    }
    try:
        emit(
            event=event,
            resource={"prefect.resource.id": f"{EVENT_PREFIX}.{name}", "prefect.resource.name": name,
                      "wirehouse.status": health.status.value},
            related=_flow_run_resource(),
            payload=payload,
        )
    except Exception as exc:  # an events client that cannot send must not fail an ingest run
        log.warning("could not emit %s for %s: %s", event, name, exc)


def _flow_run_resource() -> list[dict[str, str]]:
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    if context is None or context.flow_run is None:
        return []
    run = context.flow_run
    return [{"prefect.resource.id": f"prefect.flow-run.{run.id}", "prefect.resource.role": "flow-run",
             "prefect.resource.name": run.name}]


def health_report_lines(assessments: list[SourceHealth]) -> list[str]:
    """The run report artifact's health section (markdown); flagged at the top when a source is not ok."""
    if not assessments:
        return []
    bad = [h for h in assessments if h.status is not HealthStatus.OK]
    lines = ["", "## Source health", ""]
    if bad:
        lines += [f"**⚠ {len(bad)} of {len(assessments)} sources need attention:** "
                  + ", ".join(f"{h.figures.source} {h.status.value.upper()}" for h in bad), ""]
    lines += ["| source | status | why | alert |", "|---|---|---|---|"]
    for h in sorted(assessments, key=lambda h: (-h.status.rank, h.figures.source)):
        why = "<br>".join(r.message.replace("|", "\\|") for r in h.reasons) or "—"
        lines.append(f"| {h.figures.source} | {h.status.value} | {why} | {h.alert or ''} |")
    return lines


def health_marker(assessments: list[SourceHealth]) -> str:
    """A few words for the artifact's description: what is wrong, or nothing when every source is ok."""
    bad = [h for h in assessments if h.status is not HealthStatus.OK]
    return "; ".join(f"{h.figures.source} {h.status.value.upper()}" for h in bad)
