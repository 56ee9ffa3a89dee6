"""The health rules on recorded runs, through the warehouse as the flows store them: a recorded month of healthy
nights raises nothing; each kind of breakage after it gives the status and the reason a person needs."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from schemas.health import AlertKind, ChannelTally, HealthStatus, SelectorTally, SourceHealthFigures
from tasks.health.backoff import check_decision
from tasks.health.rules import BASELINE_DAYS
from tasks.health.task import record_health, source_check
from tests.health.conftest import Month, night
from tests.health.recorded import recorded_month
from warehouse import health as stored
from warehouse.connection import open_reader


def test_a_recorded_month_of_healthy_nights_raises_nothing(month_warehouse: Month) -> None:
    replayed = month_warehouse.replayed
    assert len(replayed) == 90
    raised = [(h.figures.source, f"{h.figures.started_at:%d}", h.summary) for h in replayed
              if h.status is not HealthStatus.OK or h.reasons or h.alert is not None]
    assert raised == []
    assert month_warehouse.webhook_posts == [] and month_warehouse.events == []  # not one alert, not one event
    # ...and the month is not a flat line: the variation the rules must tolerate is really in it
    volume = {s: [h.figures.discovered for h in replayed if h.figures.source == s] for s in ("news", "blog")}
    assert max(volume["news"]) >= 3.5 * min(volume["news"])
    assert volume["blog"].count(0) >= 3
    dead_nights = Counter(c.url for h in replayed for c in h.figures.channels if c.dead)
    assert dead_nights["https://original.example/wp-json/wp/v2/posts"] == 30  # REST closed all month: not news
    assert dead_nights["https://blog.example/feed/"] >= 1  # a night of 503s on the blog's only channel
    assert sum(h.figures.failed for h in replayed) > 0 and sum(h.figures.no_author for h in replayed) > 0


def test_volume_collapse_degrades_by_volume(after_month: Path) -> None:
    health, alert = record_health(after_month, thin(night("news", 1), 5))
    assert health.status is HealthStatus.DEGRADED
    assert [r.code for r in health.reasons] == ["volume"]
    assert re.fullmatch(r"volume: 5 articles discovered where this weekday in the last 28 days would expect "
                        r"~(4\d|5\d|6\d) \(\d+%\)", health.reasons[0].message), health.reasons[0].message
    assert alert is not None and alert.kind is AlertKind.DEGRADED and alert.previous_status is HealthStatus.OK


def test_a_quiet_sunday_after_the_month_is_no_collapse(after_month: Path) -> None:
    sunday = night("news", 7)  # run of Monday 7 December reads Sunday's articles
    health, alert = record_health(after_month, thin(sunday, 14))
    assert health.status is HealthStatus.OK and alert is None


def test_dead_feed_breaks_after_three_nights_then_recovers_with_one_notice(after_month: Path) -> None:
    dead = ChannelTally(url="https://blog.example/feed/", role="feed", requests=1, failures=1, status=404,
                        reason="http_404")
    verdicts = []
    for day in (1, 2, 3):
        verdicts.append(record_health(after_month, nothing_found(night("blog", day), [dead])))
    assert [h.status for h, _ in verdicts] == [HealthStatus.DEGRADED, HealthStatus.DEGRADED, HealthStatus.BROKEN]
    assert [a.kind if a else None for _, a in verdicts] == [AlertKind.DEGRADED, None, AlertKind.BROKEN]
    broken = verdicts[-1][0].reasons[0]
    assert broken.code == "dead_discovery"
    assert broken.message == ("feed https://blog.example/feed/ answered 404 in 3 runs in a row since 2026-12-01; "
                              "nothing discovered")

    # adaptive checking: a broken source is left alone a while, longer after each broken check
    now = night("blog", 4).started_at
    assert source_check(after_month, "blog", "nightly", now).due  # first backoff: one night
    verdicts.append(record_health(after_month, nothing_found(night("blog", 4), [dead])))
    assert verdicts[-1][1] is None  # still broken: nothing new to say
    decision = source_check(after_month, "blog", "nightly", night("blog", 5).started_at)
    assert not decision.due and decision.broken_runs == 2
    assert decision.next_check_at == night("blog", 6).started_at
    assert source_check(after_month, "blog", "nightly", night("blog", 6).started_at).due

    recovered = [record_health(after_month, night("blog", day)) for day in (6, 7, 8)]
    assert [h.status for h, _ in recovered] == [HealthStatus.OK] * 3
    assert [a.kind if a else None for _, a in recovered] == [AlertKind.RECOVERED, None, None]
    assert recovered[0][1] is not None and recovered[0][1].previous_status is HealthStatus.BROKEN


def test_comments_advertised_but_none_found_degrade_with_that_reason(after_month: Path) -> None:
    run = night("news", 1)
    health, alert = record_health(after_month, run.model_copy(update={
        "threads_advertised_empty": run.threads_advertised, "comments_found": 0}))
    assert health.status is HealthStatus.DEGRADED and [r.code for r in health.reasons] == ["comments"]
    assert re.fullmatch(
        rf"comments advertised on {run.threads_advertised} articles \({run.comments_advertised:,} in all\) but none "
        rf"found on {run.threads_advertised} \(usually ([5-9]|1\d)%\); the comment markup or API may have changed",
        health.reasons[0].message), health.reasons[0].message
    assert alert is not None


def test_a_declared_selector_that_stopped_matching_degrades_with_the_selector_reason(after_month: Path) -> None:
    for day in (1, 2):
        assert record_health(after_month, night("news", day))[0].status is HealthStatus.OK
    verdicts = [record_health(after_month, redesigned(night("news", day), pages))
                for day, pages in ((3, 20), (4, 17))]
    health, alert = verdicts[-1]
    assert health.status is HealthStatus.DEGRADED
    assert [r.message for r in health.reasons if r.code == "selector"] == [
        "body selector `div.entry-content` matched 0 of 37 pages since 2026-12-03; generic extractor used"]
    assert all(r.subject != "deck" for r in health.reasons)  # the deck often misses anyway: not a signal
    assert verdicts[0][1] is not None and alert is None  # one alert when it broke, none for the same problem
    assert health.reasons[0].since == night("news", 3).started_at


def test_a_new_source_whose_selector_never_matches_is_degraded(tmp_path: Path) -> None:
    first = redesigned(night("news", 1), 12).model_copy(update={"source": "fresh", "run_id": "fresh-1"})
    health, alert = record_health(tmp_path / "w.duckdb", first)
    assert [r.message for r in health.reasons] == [  # no record of either: both declared wrong, or the site changed
        "body selector `div.entry-content` matched 0 of 12 pages since 2026-12-01; generic extractor used",
        "deck selector `span.pagesub` matched 0 of 12 pages since 2026-12-01"]
    assert alert is not None and alert.kind is AlertKind.DEGRADED


def test_a_byline_that_moved_degrades_by_missing_authors_and_the_selector(after_month: Path) -> None:
    run = night("original", 2)
    moved = run.model_copy(update={
        "no_author": run.articles,
        "selectors": [s if s.field != "byline" else s.model_copy(update={"matched": 0}) for s in run.selectors],
    })
    health, _ = record_health(after_month, moved)
    assert sorted(r.code for r in health.reasons) == ["no_author", "selector"]
    assert re.search(rf"\b{run.articles} of {run.articles} articles have no author \(usually [1-5]%\)", health.summary)


def test_failure_jumps_degrade_and_a_wall_breaks(after_month: Path) -> None:
    run = night("news", 1)
    timeouts = run.model_copy(update={"failed": 20, "failed_transient": 20, "failed_permanent": 0,
                                      "failures_by_reason": {"timeout": 20}, "fetched": run.fetched - 20})
    health, _ = record_health(after_month, timeouts)
    assert health.status is HealthStatus.DEGRADED
    assert re.fullmatch(r"20 of \d+ targets failed \(usually [01]%\): timeout 20; 0 permanent, 20 transient",
                        health.reasons[0].message), health.reasons[0].message

    wall = night("news", 2)
    wall = wall.model_copy(update={"failed": wall.attempted, "failed_permanent": wall.attempted, "fetched": 0,
                                   "not_modified": 0, "articles": 0, "failures_by_reason": {"http_403": wall.attempted},
                                   "selectors": [], "threads_advertised": 0, "threads_advertised_empty": 0})
    health, alert = record_health(after_month, wall)
    assert health.status is HealthStatus.BROKEN and health.reasons[0].code == "failures"
    assert alert is not None and alert.kind is AlertKind.BROKEN


def test_a_channel_that_worked_and_died_while_another_answers_degrades(after_month: Path) -> None:
    run = night("news", 1)
    feed_gone = [c if c.role != "feed" else c.model_copy(update={"failures": 1, "status": 410, "reason": "http_410"})
                 for c in run.channels]
    health, _ = record_health(after_month, run.model_copy(update={"channels": feed_gone}))
    assert [r.message for r in health.reasons] == [
        "feed https://news.example/feed/ answered 410 in 1 run in a row since 2026-12-01; other channels still answer"]


def test_the_baseline_view_keeps_broken_runs_out_and_looks_back_28_days(after_month: Path) -> None:
    dead = ChannelTally(url="https://blog.example/feed/", role="feed", requests=1, failures=1, status=404,
                        reason="http_404")
    bad = [nothing_found(night("blog", day), [dead]) for day in (1, 2, 3)]
    verdicts = [record_health(after_month, run)[0] for run in bad]
    health, _ = record_health(after_month, night("blog", 4))
    with open_reader(after_month) as con:
        baseline = stored.baseline_for(con, health.figures.run_id, "blog")
    # the runs the view must pool: the same source's, BASELINE_DAYS back from this one, not broken, not itself
    window_start = health.figures.started_at - timedelta(days=BASELINE_DAYS)
    pooled = [r for r in recorded_month() if r.source == "blog" and r.started_at >= window_start]
    pooled += [v.figures for v in verdicts if v.status is not HealthStatus.BROKEN]
    assert [v.status for v in verdicts][-1] is HealthStatus.BROKEN
    assert baseline.runs == len(pooled) == 27
    assert baseline.discovered_per_day == pytest.approx(
        sum(r.discovered for r in pooled) / sum(r.window_days for r in pooled))
    assert baseline.no_author_share == pytest.approx(
        sum(r.no_author for r in pooled) / sum(r.articles for r in pooled))
    assert baseline.min_ok_discovered_per_day == min(r.discovered / r.window_days for r in pooled[:-2])


def test_backoff_doubles_and_is_capped() -> None:
    start = datetime(2026, 12, 1, 10, 30, tzinfo=UTC)
    runs = [thin(night("blog", 1), 0).model_copy(update={"started_at": start - timedelta(days=i)})
            for i in range(6)]
    from schemas.health import SourceHealth

    history = [SourceHealth(figures=r, status=HealthStatus.BROKEN) for r in runs]
    checks = [check_decision(history[:n], start).next_check_at for n in range(1, 7)]
    waits = [at - start for at in checks if at is not None]
    assert [w / timedelta(hours=1) for w in waits] == [24, 48, 96, 192, 192, 192]
    assert check_decision([], start).due
    assert check_decision(history[:3], start + timedelta(hours=94)).due  # two hours early is on time


# --- building the bad nights ---------------------------------------------------------------------------------


def thin(run: SourceHealthFigures, articles: int) -> SourceHealthFigures:
    """A night where the source had only `articles` to show, everything else as healthy as usual."""
    return run.model_copy(update={
        "discovered": articles, "fetched": articles, "articles": articles, "not_modified": 0, "failed": 0,
        "failed_permanent": 0, "failed_transient": 0, "failures_by_reason": {}, "retried": 0,
        "no_author": 0, "no_date": 0, "empty_bodies": 0, "threads_advertised": articles // 2,
        "threads_advertised_empty": 0, "comments_advertised": 4 * (articles // 2),
        "comments_found": 4 * (articles // 2),
        "selectors": [s.model_copy(update={"pages": articles, "matched": articles if s.field == "body" else 0})
                      for s in run.selectors],
    })


def nothing_found(run: SourceHealthFigures, channels: list[ChannelTally]) -> SourceHealthFigures:
    return thin(run, 0).model_copy(update={"channels": channels, "requests": 0, "status_mix": {},
                                           "latency_median_ms": None, "latency_p95_ms": None})


def redesigned(run: SourceHealthFigures, pages: int) -> SourceHealthFigures:
    """A theme change: the declared selectors find nothing and the generic extractor reads every body."""
    return thin(run, pages).model_copy(update={
        "generic_fallback": pages, "articles_by_parser": {"site_html": pages},
        "selectors": [SelectorTally(field=s.field, selector=s.selector, pages=pages, matched=0) for s in run.selectors],
    })
