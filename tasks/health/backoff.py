"""Adaptive checking: a scheduled run leaves a broken source alone on a doubling backoff instead of hammering it
every night, and reads it again when the backoff is over (a recovery then shows at that run)."""

from __future__ import annotations

from datetime import datetime, timedelta

from schemas.health import CheckDecision, HealthStatus, SourceHealth
from tasks.health.rules import THRESHOLDS, Thresholds


def check_decision(history: list[SourceHealth], now: datetime, t: Thresholds = THRESHOLDS) -> CheckDecision:
    """Whether the source is due now. `history`: its assessed scheduled runs, newest first.

    After the first broken run it waits first_backoff_hours, then twice that after each further broken run, at
    most max_backoff_hours; a run due within backoff_slack_hours counts as due (schedules drift a little).
    """
    broken = 0
    for run in history:
        if run.status is not HealthStatus.BROKEN:
            break
        broken += 1
    if not broken:
        return CheckDecision(due=True)
    wait = timedelta(hours=min(t.max_backoff_hours, t.first_backoff_hours * 2 ** (broken - 1)))
    next_check = history[0].figures.started_at + wait
    due = now >= next_check - timedelta(hours=t.backoff_slack_hours)
    runs = f"{broken} broken run{'s' if broken > 1 else ''}"
    reason = (f"broken ({runs}); checking again now" if due
              else f"broken ({runs}); left alone until {next_check:%Y-%m-%d %H:%M} UTC")
    return CheckDecision(due=due, next_check_at=next_check, broken_runs=broken, reason=reason)
