"""Adaptive polling: whether tonight's nightly run checks a source, from what its recent checks found.

A source whose last checks found nothing new is checked less often: after `quiet_after` such checks in a row,
every 2 nights, then every 3, ... up to `max_interval_days` (4 by default: never more than 3 nights skipped in a
row). A source that publishes a lot (on average `busy_per_check` new articles a check or more) is checked every
run; so is any source whose last check found something, failed (a broken source is health's business, with its
own backoff), or that has no history yet. An explicit re-read (`--since`, `--force`) always checks, and so does
a source with failed articles due for a retry (the flow says so in `forced`).

A skipped night reads nothing and leaves the watermark alone: the next check's window covers the nights skipped,
so nothing published meanwhile is missed, and source health (which judges volume per day of window) sees one
longer window, not an empty night. Pure: the history comes in (warehouse.polling), the decision goes out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from schemas.report import PollingDecision, SourceCheck


@dataclass(frozen=True)
class PollingRules:
    max_interval_days: int = 4  # a quiet source is checked at least every 4 days: at most 3 nights skipped
    quiet_after: int = 2  # checks in a row with nothing new before a source is checked less often
    busy_per_check: float = 3.0  # new articles a check, on average, that keep a source checked every run
    history: int = 7  # checks the average is taken over
    # a run counts as due this early: schedules drift, and a run at 02:10 must not skip a source due at 02:30
    slack_hours: float = 3.0


def decide(
    source: str,
    checks: Sequence[SourceCheck],
    now: datetime,
    rules: PollingRules = PollingRules(),
    forced: str | None = None,
) -> PollingDecision:
    """Tonight's decision for `source`; `checks`: its earlier nightly checks, newest first (skips included);
    `forced`: why this run reads it whatever its history (an explicit `--since` or `--force`)."""
    performed = [c for c in checks if c.checked][: rules.history]
    quiet = 0
    for check in performed:
        if not check.complete or check.new_articles:
            break
        quiet += 1
    if forced:
        return PollingDecision(source=source, checked=True, reason=forced, quiet_checks=quiet)
    if not performed:
        return PollingDecision(source=source, checked=True, reason="first check")
    mean = sum(c.new_articles for c in performed) / len(performed)
    interval = interval_days(quiet, mean, rules)
    if interval == 1:
        return PollingDecision(source=source, checked=True, reason=_why_nightly(performed[0], quiet, mean, rules),
                               quiet_checks=quiet)
    due_at = performed[0].checked_at + timedelta(days=interval)
    nights = f"nothing new in {quiet} checks; every {interval} nights"
    if now >= due_at - timedelta(hours=rules.slack_hours):
        return PollingDecision(source=source, checked=True, reason=f"quiet ({nights}): due", interval_days=interval,
                               quiet_checks=quiet)
    return PollingDecision(source=source, checked=False, reason=f"quiet ({nights}): next check {due_at:%Y-%m-%d}",
                           interval_days=interval, quiet_checks=quiet, next_check_at=due_at)


def interval_days(quiet: int, mean_new: float, rules: PollingRules = PollingRules()) -> int:
    """Days between checks: 1 while the source is active or busy, then one more for each further quiet check."""
    if rules.max_interval_days <= 1 or mean_new >= rules.busy_per_check or quiet < rules.quiet_after:
        return 1
    return min(rules.max_interval_days, quiet - rules.quiet_after + 2)


def _why_nightly(last: SourceCheck, quiet: int, mean: float, rules: PollingRules) -> str:
    if rules.max_interval_days <= 1:
        return "checked every night (max interval 1 day)"
    if mean >= rules.busy_per_check:
        return f"busy ({mean:.1f} new a check)"
    if not last.complete:
        return "last check incomplete"
    if last.new_articles:
        return f"active ({last.new_articles} new at the last check)"
    return f"nothing new in {quiet} check{'s' if quiet != 1 else ''}"
