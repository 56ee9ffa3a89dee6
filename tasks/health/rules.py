"""The health rules: one run's figures for a source, against its own baseline and recent runs -> ok / degraded /
broken, each problem with a reason a person can act on.

Every rule and threshold is in this module (the names in brackets are fields of `Thresholds`). A source is
judged against itself: the baseline is the `source_health_baseline` view (earlier runs of the same source and
flow in the last BASELINE_DAYS, broken runs left out), so a small blog and a wire service each have their own
normal. Volume and share rules need [min_baseline_runs] earlier runs; a new source is judged only on what is
wrong in absolute terms.

- volume -> degraded: fewer targets discovered than [volume_ratio] (25%, Media Cloud's floor) of what the
  baseline rate expects for this window's length, and a count that low has a probability under [significance]
  (negative binomial: Poisson with [volume_spread] extra day-to-day spread, as news volume has; a blog's quiet
  day, 0 where 3 are usual, or 2 where 13 are, is no alarm). The rate is that of the same weekday when the
  baseline has [min_weekday_runs] runs on it (news has a weekly rhythm: a Sunday is not a collapse); until then
  the rate of every day, and the count must also be under [volume_below_quietest] of the quietest ok run's.
- selector -> degraded: a declared selector matched on at most [selector_stopped_share] of the pages it was
  tried on, over a streak of runs with >= [selector_min_pages] pages, where it usually matched on at least
  [selector_usual_share] (or has no record: a selector declared wrong). Optional parts (a deck some articles
  lack) usually match less and are left alone.
- comments -> degraded: comments advertised (feed slash:comments, page counts) on >= [comments_min_threads]
  articles and none found on >= [comments_empty_share] of them, where that share is usually lower than
  [comments_usual_empty_share].
- empty bodies, implausible bodies, no author, no date -> degraded: the share of the run's articles jumps
  [share_jump] above the baseline share and is that unlikely under it (binomial, [significance]); empty and
  implausible bodies also at >= [absolute_bad_body_share] without a baseline.
- failures -> degraded when the failed share of attempted targets jumps [failure_jump] above the baseline
  (significantly); broken when >= [broken_failure_share] of >= [failure_min_attempts] targets failed.
- dead discovery: failing discovery channels (feed, REST listing, sitemap) are scored over consecutive runs as
  Media Cloud scored feeds: a hard failure (404, 410, 403, robots) weighs 1, a soft one (a malformed feed) 0.5,
  a temporary one (5xx, 429, timeout) 0.25. When no channel answered and nothing was discovered, each such run
  in a row adds its worst failure of a channel that used to answer: degraded at [dead_channel_degraded_score],
  broken at [dead_channel_broken_score] (a feed answering 404 three runs running breaks a source; a night of
  503s does not even degrade it). A channel that answered in the baseline window and now fails while others
  still answer scores alone and degrades at [dead_channel_degraded_score]; one that never answered (a REST API
  closed on purpose) is not news.

The status is the worst severity among the reasons; each reason says since when (the first run of its streak).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from schemas.health import (
    ChannelTally,
    HealthBaseline,
    HealthReason,
    HealthStatus,
    SelectorTally,
    SourceHealth,
    SourceHealthFigures,
)

# The plausibility gate (tasks/verify) rejects an article as a failure of this stage, with this reason.
from schemas.verdict import GATE_STAGE as GATE_STAGE
from schemas.verdict import IMPLAUSIBLE as IMPLAUSIBLE
from tasks.health.stats import binomial_at_least, counts_at_most

BASELINE_DAYS = 28  # the trailing window of the source_health_baseline view (a test checks the view agrees)
# A body with fewer words than this is counted empty ("Read more…", a cookie notice, a share bar).
EMPTY_BODY_WORDS = 10
# Reasons of target failures that will not change by asking again soon; everything else counts transient.
TRANSIENT_REASONS = frozenset({"timeout", "transport", "fetch_error", "http_408", "http_425", "http_429"})
HARD_CHANNEL_REASONS = frozenset({"http_401", "http_403", "http_404", "http_410", "http_451", "offsite", "robots"})
SOFT_CHANNEL_REASONS = frozenset({"bad_feed", "bad_json", "bad_content", "bad_sitemap", "too_large"})


@dataclass(frozen=True)
class Thresholds:
    min_baseline_runs: int = 3
    significance: float = 0.0001  # per test; six tests a run keep a healthy source's false alarms rare
    volume_ratio: float = 0.25  # Media Cloud's healthy floor: 25% of the source's average
    volume_spread: float = 0.3
    volume_below_quietest: float = 0.5
    min_weekday_runs: int = 3
    min_articles_for_shares: int = 5
    share_jump: float = 0.25
    share_floor: float = 0.05  # a baseline share of 0 (a month without a miss) still allows the odd miss
    absolute_bad_body_share: float = 0.5
    selector_min_pages: int = 5  # a small blog's two odd posts (a video, a gallery) are no redesign
    selector_stopped_share: float = 0.1
    selector_usual_share: float = 0.5
    comments_min_threads: int = 3
    comments_empty_share: float = 0.8
    comments_usual_empty_share: float = 0.5
    failure_min_attempts: int = 5
    failure_jump: float = 0.2
    broken_failure_share: float = 0.95
    hard_channel_weight: float = 1.0
    soft_channel_weight: float = 0.5
    temporary_channel_weight: float = 0.25
    dead_channel_degraded_score: float = 1.0
    dead_channel_broken_score: float = 3.0
    # Adaptive checking of a broken source (tasks/health/backoff.py): wait first_backoff_hours after the first
    # broken run, doubling per further broken run up to max_backoff_hours; due that much before, for schedules
    # that drift.
    first_backoff_hours: float = 24.0
    max_backoff_hours: float = 192.0
    backoff_slack_hours: float = 2.0


THRESHOLDS = Thresholds()


def is_transient(reason: str) -> bool:
    """A target failure worth retrying soon (server errors, rate limits, timeouts) rather than a permanent one."""
    return reason in TRANSIENT_REASONS or reason.startswith("http_5")


def channel_failure_weight(reason: str, t: Thresholds = THRESHOLDS) -> float:
    if reason in HARD_CHANNEL_REASONS or (reason.startswith("http_4") and not is_transient(reason)):
        return t.hard_channel_weight
    if reason in SOFT_CHANNEL_REASONS:
        return t.soft_channel_weight
    return t.temporary_channel_weight


def assess(
    figures: SourceHealthFigures,
    baseline: HealthBaseline,
    history: list[SourceHealth],
    t: Thresholds = THRESHOLDS,
) -> SourceHealth:
    """The status of a source after one run. `history`: its earlier assessed runs of the same flow, newest first."""
    reasons: list[HealthReason] = []
    for rule in RULES:
        reasons.extend(rule(figures, baseline, history, t))
    for reason in reasons:
        if reason.since is None:
            reason.since = _streak_start(reason, history, figures.started_at)
    reasons.sort(key=lambda r: -r.severity.rank)
    status = max((r.severity for r in reasons), key=lambda s: s.rank, default=HealthStatus.OK)
    return SourceHealth(figures=figures, status=status, reasons=reasons)


def _streak_start(reason: HealthReason, history: list[SourceHealth], started_at: datetime) -> datetime:
    since = started_at
    for run in history:
        if not any(r.code == reason.code and r.subject == reason.subject for r in run.reasons):
            break
        since = run.figures.started_at
    return since


# --- the rules ----------------------------------------------------------------------------------------------

Rule = Callable[[SourceHealthFigures, HealthBaseline, list[SourceHealth], Thresholds], list[HealthReason]]


def volume_rule(f: SourceHealthFigures, b: HealthBaseline, _: list[SourceHealth], t: Thresholds) -> list[HealthReason]:
    if b.runs < t.min_baseline_runs or not b.discovered_per_day or f.window_days <= 0:
        return []
    same_weekday = b.weekday_runs >= t.min_weekday_runs and b.weekday_discovered_per_day is not None
    rate = b.weekday_discovered_per_day if same_weekday else b.discovered_per_day
    if not rate:
        return []
    expected = rate * f.window_days
    ratio = f.discovered / expected
    # without enough runs on this weekday the weekly rhythm is unknown: the quietest ok run stands in for it
    quietest = None if same_weekday else b.min_ok_discovered_per_day
    if (ratio >= t.volume_ratio or counts_at_most(f.discovered, expected, t.volume_spread) >= t.significance
            or (quietest is not None and f.discovered / f.window_days >= t.volume_below_quietest * quietest)):
        return []
    basis = f"this weekday in the last {BASELINE_DAYS} days" if same_weekday else f"the last {BASELINE_DAYS} days"
    return [HealthReason(
        code="volume", severity=HealthStatus.DEGRADED, figure=round(1 - ratio, 4),
        message=f"volume: {_count(f.discovered, 'article')} discovered where {basis} would expect "
                f"~{expected:,.0f} ({ratio:.0%})",
    )]


def selector_rule(f: SourceHealthFigures, _: HealthBaseline, history: list[SourceHealth], t: Thresholds
                  ) -> list[HealthReason]:
    reasons = []
    for tally in f.selectors:
        if tally.pages == 0 or tally.matched > t.selector_stopped_share * tally.pages:
            continue
        pages, matched, since, usual = _selector_streak(tally, f.started_at, history, t)
        if pages < t.selector_min_pages or (usual is not None and usual < t.selector_usual_share):
            continue
        message = f"{tally.field} selector `{tally.selector}` matched {matched} of {_count(pages, 'page')}"
        message += f" since {since:%Y-%m-%d}"
        if usual is not None and matched:
            message += f" (usually {usual:.0%})"
        if tally.field == "body" and f.generic_fallback:
            message += "; generic extractor used"
        reasons.append(HealthReason(code="selector", subject=tally.field, severity=HealthStatus.DEGRADED,
                                    message=message, since=since, figure=round(1 - matched / pages, 4)))
    return reasons


def _selector_streak(
    tally: SelectorTally, started_at: datetime, history: list[SourceHealth], t: Thresholds
) -> tuple[int, int, datetime, float | None]:
    """Pages and matches over the unbroken run of recent runs where the selector stopped matching, when that run
    began, and the selector's usual match share before it (None: no record)."""
    pages, matched, since = tally.pages, tally.matched, started_at
    earlier_pages = earlier_matched = 0
    in_streak = True
    for run in history:
        old = next((s for s in run.figures.selectors if s.field == tally.field and s.selector == tally.selector), None)
        if old is None or old.pages == 0:
            continue  # not tried in that run: neither breaks nor extends the streak
        if in_streak and old.matched <= t.selector_stopped_share * old.pages:
            pages, matched, since = pages + old.pages, matched + old.matched, run.figures.started_at
            continue
        in_streak = False
        if (started_at - run.figures.started_at).days <= BASELINE_DAYS:
            earlier_pages += old.pages
            earlier_matched += old.matched
    return pages, matched, since, (earlier_matched / earlier_pages if earlier_pages else None)


def comments_rule(f: SourceHealthFigures, b: HealthBaseline, _: list[SourceHealth], t: Thresholds
                  ) -> list[HealthReason]:
    if f.threads_advertised < t.comments_min_threads:
        return []
    share = f.threads_advertised_empty / f.threads_advertised
    usual = b.advertised_empty_share if b.runs >= t.min_baseline_runs else None
    if share < t.comments_empty_share or (usual is not None and usual >= t.comments_usual_empty_share):
        return []
    return [HealthReason(
        code="comments", severity=HealthStatus.DEGRADED, figure=round(share, 4),
        message=f"comments advertised on {_count(f.threads_advertised, 'article')} "
                f"({f.comments_advertised:,} in all) but none found on {f.threads_advertised_empty}"
                + (f" (usually {usual:.0%})" if usual is not None else "")
                + "; the comment markup or API may have changed",
    )]


def share_rules(f: SourceHealthFigures, b: HealthBaseline, _: list[SourceHealth], t: Thresholds
                ) -> list[HealthReason]:
    checks = [
        ("empty_bodies", f.empty_bodies, f.articles, b.empty_share, "have an empty body", True),
        ("implausible_bodies", f.implausible_bodies, f.bodies_checked, b.implausible_share,
         "have an implausible body (plausibility gate)", True),
        ("no_author", f.no_author, f.articles, b.no_author_share, "have no author", False),
        ("no_date", f.no_date, f.articles, b.no_date_share, "have no date", False),
    ]
    reasons = []
    for code, count, total, usual, what, absolute in checks:
        if total < t.min_articles_for_shares or count == 0:
            continue
        share = count / total
        if b.runs >= t.min_baseline_runs and usual is not None:
            jumped = share >= usual + t.share_jump
            if not jumped or binomial_at_least(count, total, max(usual, t.share_floor)) >= t.significance:
                continue
            said = f"{count} of {_count(total, 'article')} {what} (usually {usual:.0%})"
        elif absolute and share >= t.absolute_bad_body_share:
            said = f"{count} of {_count(total, 'article')} {what}"
        else:
            continue
        reasons.append(HealthReason(code=code, severity=HealthStatus.DEGRADED, message=said, figure=round(share, 4)))
    return reasons


def failure_rule(f: SourceHealthFigures, b: HealthBaseline, _: list[SourceHealth], t: Thresholds
                 ) -> list[HealthReason]:
    attempted = f.attempted
    if attempted < t.failure_min_attempts or f.failed == 0:
        return []
    share = f.failed / attempted
    top = ", ".join(f"{reason} {n}" for reason, n in sorted(f.failures_by_reason.items(), key=lambda i: -i[1])[:3])
    kinds = f"{f.failed_permanent} permanent, {f.failed_transient} transient"
    if share >= t.broken_failure_share:
        return [HealthReason(code="failures", severity=HealthStatus.BROKEN, figure=round(share, 4),
                             message=f"{f.failed} of {_count(attempted, 'target')} failed ({top}; {kinds})")]
    usual = b.failure_share if b.runs >= t.min_baseline_runs else None
    if usual is None:
        significant = share >= t.absolute_bad_body_share
    else:
        significant = (share >= usual + t.failure_jump
                       and binomial_at_least(f.failed, attempted, max(usual, t.share_floor)) < t.significance)
    if not significant:
        return []
    return [HealthReason(
        code="failures", severity=HealthStatus.DEGRADED, figure=round(share, 4),
        message=f"{f.failed} of {_count(attempted, 'target')} failed"
                + (f" (usually {usual:.0%})" if usual is not None else "") + f": {top}; {kinds}",
    )]


def discovery_rule(f: SourceHealthFigures, _: HealthBaseline, history: list[SourceHealth], t: Thresholds
                   ) -> list[HealthReason]:
    dead = [c for c in f.channels if c.dead]
    if not dead:
        return []
    answered_before, roles = _channel_record(f.started_at, history)
    if f.discovered == 0 and len(dead) == len(f.channels):
        return _dead_discovery(f, dead, answered_before, roles, history, t)
    reasons = []
    for channel in dead:
        if channel.url not in answered_before:
            continue  # a channel that never worked while others do (e.g. a REST API closed on purpose)
        score, runs, since = channel_failure_weight(channel.reason, t), 1, f.started_at
        for run in history:
            old = next((c for c in run.figures.channels if c.url == channel.url), None)
            if old is None or not old.dead:
                break
            score, runs, since = score + channel_failure_weight(old.reason, t), runs + 1, run.figures.started_at
        if score >= t.dead_channel_degraded_score:
            reasons.append(HealthReason(
                code="dead_channel", subject=channel.url, severity=HealthStatus.DEGRADED, since=since,
                figure=round(min(1.0, score / t.dead_channel_broken_score), 4),
                message=f"{_describe(channel, roles)} in {_count(runs, 'run')} in a row since {since:%Y-%m-%d}; "
                        "other channels still answer",
            ))
    return reasons


def _dead_discovery(f: SourceHealthFigures, dead: list[ChannelTally], answered_before: set[str],
                    roles: dict[str, str], history: list[SourceHealth], t: Thresholds) -> list[HealthReason]:
    """No channel answered and nothing was discovered: scored over the runs in a row where that was so, each
    weighing as its worst failure of a channel that used to answer (of any channel, for a source with no record)."""

    def weight(channels: list[ChannelTally]) -> float:
        relevant = [c for c in channels if c.url in answered_before] or channels
        return max(channel_failure_weight(c.reason, t) for c in relevant)

    score, runs, since = weight(dead), 1, f.started_at
    for run in history:
        old = run.figures
        if old.discovered or not old.channels or not all(c.dead for c in old.channels):
            break
        score, runs, since = score + weight(old.channels), runs + 1, old.started_at
    if score < t.dead_channel_degraded_score:
        return []
    named = [c for c in dead if c.url in answered_before] or dead
    return [HealthReason(
        code="dead_discovery", subject="discovery", since=since,
        severity=HealthStatus.BROKEN if score >= t.dead_channel_broken_score else HealthStatus.DEGRADED,
        figure=round(min(1.0, score / t.dead_channel_broken_score), 4),
        message="; ".join(_describe(c, roles) for c in named)
                + f" in {_count(runs, 'run')} in a row since {since:%Y-%m-%d}; nothing discovered",
    )]


def _channel_record(started_at: datetime, history: list[SourceHealth]) -> tuple[set[str], dict[str, str]]:
    """Channels that answered in a run of the baseline window, and every channel's role as runs recorded it."""
    answered: set[str] = set()
    roles: dict[str, str] = {}
    for run in history:
        recent = (started_at - run.figures.started_at).days <= BASELINE_DAYS
        for channel in run.figures.channels:
            roles[channel.url] = roles.get(channel.url) or channel.role
            if recent and not channel.dead:
                answered.add(channel.url)
    return answered, roles


def _describe(channel: ChannelTally, roles: dict[str, str]) -> str:
    role = channel.role or roles.get(channel.url) or "discovery channel"
    failed = f"answered {channel.status}" if channel.status else f"failed ({channel.reason})"
    return f"{role} {channel.url} {failed}"


RULES: tuple[Rule, ...] = (discovery_rule, failure_rule, volume_rule, selector_rule, comments_rule, share_rules)


# --- for trends: one figure per run, 0 = fine, 1 = as bad as it gets ----------------------------------------


def worst_figure(f: SourceHealthFigures, t: Thresholds = THRESHOLDS) -> tuple[str, float]:
    """The run's worst quality figure and its name, for the CLI's and the report's trend lines beside the volume's.
    A dead discovery shows as 100% failures; shares of fewer items than the rules look at (one empty thread of
    one article) are left out: they are noise, not a trend."""
    figures: dict[str, float] = {}
    if f.channels and all(c.dead for c in f.channels) and not f.discovered:
        figures["discovery failed"] = 1.0
    if f.attempted >= t.failure_min_attempts:
        figures["failures"] = f.failed / f.attempted
    if f.articles >= t.min_articles_for_shares:
        figures.update({"empty bodies": f.empty_bodies / f.articles, "no author": f.no_author / f.articles,
                        "no date": f.no_date / f.articles})
    if f.bodies_checked >= t.min_articles_for_shares:
        figures["implausible"] = f.implausible_bodies / f.bodies_checked
    if f.threads_advertised >= t.comments_min_threads:
        figures["no comments"] = f.threads_advertised_empty / f.threads_advertised
    for tally in f.selectors:
        if tally.pages >= t.selector_min_pages and tally.field in ("title", "body"):
            figures[f"{tally.field} selector"] = 1 - tally.matched / tally.pages
    if not figures:
        return "", 0.0
    name = max(figures, key=lambda k: figures[k])
    return name, round(figures[name], 4)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"
