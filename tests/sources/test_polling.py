"""The adaptive polling decision on realistic histories: a quiet blog, a busy news site, a source that just went
quiet, a failing one, and the bounds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from schemas.report import SourceCheck
from tasks.sources.polling import PollingRules, decide, interval_days

NIGHT = datetime(2026, 12, 6, 2, 30, tzinfo=UTC)  # the nightly schedule's time


def history(*found: int | None, every: int = 1, start: datetime = NIGHT) -> list[SourceCheck]:
    """Checks newest first, `every` nights apart before `start`; None = a skipped night."""
    return [
        SourceCheck(checked_at=start - timedelta(days=every * (n + 1)), checked=new is not None,
                    new_articles=new or 0)
        for n, new in enumerate(found)
    ]


def test_first_check_and_forced_runs_always_check() -> None:
    assert decide("blog", [], NIGHT).checked
    assert decide("blog", [], NIGHT).reason == "first check"
    quiet = history(0, 0, 0, 0)  # would be skipped tonight
    assert not decide("blog", quiet, NIGHT).checked
    forced = decide("blog", quiet, NIGHT, forced="forced (--force)")
    assert forced.checked and forced.reason == "forced (--force)" and forced.quiet_checks == 4


def test_busy_news_site_is_checked_every_night_even_after_a_quiet_sunday() -> None:
    # ~40 a weekday, a couple on Saturday, none on Sunday and a public holiday
    news = history(0, 0, 2, 41, 38, 45, 40)
    decision = decide("news", news, NIGHT)
    assert decision.checked and decision.interval_days == 1
    assert decision.reason.startswith("busy (23.7 new a check")


def test_quiet_blog_is_checked_every_few_nights_never_more_than_three_skipped() -> None:
    # a personal blog: one post three weeks ago, nothing since (checked every night until now)
    blog = history(0, 0, 0, 0, 0, 0, 1, 0)
    decision = decide("blog", blog, NIGHT)
    # six quiet checks: the interval has grown to the cap of 4 days; the last check was last night
    assert not decision.checked and decision.interval_days == 4 and decision.quiet_checks == 6
    assert decision.next_check_at == NIGHT + timedelta(days=3)
    assert decision.reason == "quiet (nothing new in 6 checks; every 4 nights): next check 2026-12-09"
    checked = [decide("blog", blog, NIGHT + timedelta(days=d)).checked for d in range(4)]
    assert checked == [False, False, False, True]  # three nights skipped, the fourth checks
    due = decide("blog", blog, NIGHT + timedelta(days=3))
    assert due.reason == "quiet (nothing new in 6 checks; every 4 nights): due"


def test_interval_grows_a_night_per_quiet_check() -> None:
    rules = PollingRules(max_interval_days=4)
    assert [interval_days(q, 0.0, rules) for q in range(7)] == [1, 1, 2, 3, 4, 4, 4]
    assert interval_days(6, 3.0, rules) == 1  # busy on average
    assert interval_days(6, 0.0, PollingRules(max_interval_days=1)) == 1  # declared nightly


def test_a_source_that_just_went_quiet_keeps_being_checked_then_slows_down() -> None:
    # a small site posting one or two a day, quiet the last night only: checked
    assert decide("site", history(0, 2, 1, 1, 2, 1, 1), NIGHT).checked
    # two quiet nights: every other night; last checked last night, so tonight is skipped
    slowed = decide("site", history(0, 0, 1, 2, 1, 1, 1), NIGHT)
    assert not slowed.checked and slowed.interval_days == 2
    # a post found at the next check: back to every night
    back = decide("site", history(1, None, 0, 0, 1, 2), NIGHT)
    assert back.checked and back.interval_days == 1 and back.reason == "active (1 new at the last check)"


def test_skipped_nights_are_not_quiet_checks() -> None:
    # checked every other night, nothing new twice: the skipped nights in between count for nothing
    decision = decide("blog", history(None, 0, None, 0, 1), NIGHT)
    assert decision.quiet_checks == 2 and decision.interval_days == 2
    assert decision.checked  # last check two nights ago: due tonight


def test_a_failed_check_is_not_a_quiet_one() -> None:
    failing = [SourceCheck(checked_at=NIGHT - timedelta(days=1), checked=True, new_articles=0, complete=False),
               *history(0, 0, 0, start=NIGHT - timedelta(days=1))]
    decision = decide("blog", failing, NIGHT)
    assert decision.checked and decision.quiet_checks == 0 and decision.reason == "last check incomplete"


@pytest.mark.parametrize("hours_early", [0, 2])
def test_a_run_a_little_early_still_counts_as_due(hours_early: int) -> None:
    blog = history(0, 0, every=2)  # checked two nights ago, interval 2
    assert decide("blog", blog, NIGHT - timedelta(hours=hours_early)).checked


def test_declared_max_interval_bounds_the_skips() -> None:
    blog = history(0, 0, 0, 0, 0, 0)
    assert decide("blog", blog, NIGHT, PollingRules(max_interval_days=1)).checked
    two = decide("blog", blog, NIGHT, PollingRules(max_interval_days=2))
    assert two.interval_days == 2 and not two.checked  # checked last night: tomorrow
    assert two.next_check_at == NIGHT + timedelta(days=1)
