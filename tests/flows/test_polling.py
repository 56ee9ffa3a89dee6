"""Adaptive polling and conditional feeds through the real nightly flow, on two living sites on loopback: a quiet
blog (three posts, then nothing) and a busy columns site (five posts a day), read night after night with `until=`.

The nights are in the future of the wall clock: a stored response is "fetched before the window began" as it would
be in production, so the blog's unchanged feed is asked conditionally (tasks.sources.state.discovery_validators).
"""

from __future__ import annotations

import asyncio
import shutil
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from flows.nightly import nightly
from flows.reporting import report_markdown
from schemas import RunReport
from tasks.sources.feed import FeedKind
from testing.living_site import LivingSite, Reply
from tests.flows.helpers import FAST_LOOPBACK, NEWS_SELECTORS, write_sources

FIRST_NIGHT = datetime.now(UTC).replace(hour=2, minute=30, second=0, microsecond=0) + timedelta(days=60)
NIGHTS = 12


class CountingSite(LivingSite):
    """A living site that counts the requests it answers, per night: (path, status)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.requests: list[tuple[str, int]] = []
        self.sent = 0  # body bytes answered

    def answer(self, path: str, query: dict[str, str], headers: dict[str, str]) -> Reply:
        reply = super().answer(path, query, headers)
        self.requests.append((path, reply[0]))
        self.sent += len(reply[2])
        return reply


@dataclass
class Week:
    reports: list[RunReport] = field(default_factory=list)
    requests: dict[str, list[list[tuple[str, int]]]] = field(default_factory=dict)  # site -> per night
    sent: dict[str, list[int]] = field(default_factory=dict)  # site -> body bytes per night
    db: Path = Path()


def night(number: int) -> datetime:
    return FIRST_NIGHT + timedelta(days=number)


@contextmanager
def sites() -> Iterator[tuple[dict[str, CountingSite], dict[str, str]]]:
    quiet = [night(0) - timedelta(hours=hours) for hours in (40, 30, 20)]  # three posts, the last 20 h before night 0
    busy = [night(0) - timedelta(days=2) + timedelta(hours=4.7 * k) for k in range(5 * (NIGHTS + 2))]
    made = {"blog": CountingSite("blog", quiet, theme="news", comment_share=0.0),
            "columns": CountingSite("columns", busy, theme="news", comment_share=0.0)}
    with ExitStack() as stack:
        bases = {name: stack.enter_context(site.serve()) for name, site in made.items()}
        yield made, bases


def run_nights(folder: Path, nights: int, env: dict[str, str] | None = None, *, first: int = 0,
               db: Path | None = None, force: bool = False) -> Week:
    """Nights `first` .. `first + nights - 1`, into `db` (default: a new warehouse in `folder`)."""
    folder.mkdir(parents=True, exist_ok=True)
    week = Week(db=db or folder / "polling.duckdb")
    with sites() as (made, bases), pytest.MonkeyPatch.context() as patch:
        for name, value in (env or {}).items():
            patch.setenv(name, value)
        sources = write_sources(folder / "sources.yaml", [
            {"name": name, "kind": "feed", "base_url": base + "/", "feed_url": base + "/feed/",
             "selectors": NEWS_SELECTORS, "politeness": FAST_LOOPBACK}
            for name, base in bases.items()
        ])
        week.requests, week.sent = {name: [] for name in made}, {name: [] for name in made}
        for number in range(first, first + nights):
            for site in made.values():
                site.now, site.requests, site.sent = night(number), [], 0
            week.reports.append(asyncio.run(nightly(db=str(week.db), sources_file=str(sources), until=night(number),
                                                    force=force)))
            for name, site in made.items():
                week.requests[name].append(site.requests)
                week.sent[name].append(site.sent)
    return week


@pytest.fixture(scope="module")
def adaptive(tmp_path_factory: pytest.TempPathFactory) -> Week:
    return run_nights(tmp_path_factory.mktemp("adaptive"), NIGHTS)


def checked(week: Week, source: str) -> list[bool]:
    return [next(d.checked for d in report.polling if d.source == source) for report in week.reports]


def test_quiet_blog_is_skipped_within_the_bound_busy_site_every_night(adaptive: Week) -> None:
    # checked on nights 0, 1, 2 (first, then two quiet checks), then every 2, 3 and 4 nights: at most 3 skipped
    assert checked(adaptive, "blog") == [True, True, True, False, True, False, False, True, False, False, False, True]
    assert checked(adaptive, "columns") == [True] * NIGHTS
    assert all(r.status == "completed" for r in adaptive.reports)
    skipped_nights = [n for n, requests in enumerate(adaptive.requests["blog"]) if not requests]
    assert skipped_nights == [3, 5, 6, 8, 9, 10]  # a skipped night asks the site nothing, robots.txt included


def test_the_run_report_says_why(adaptive: Week) -> None:
    night3 = next(d for d in adaptive.reports[3].polling if d.source == "blog")
    assert night3.reason == f"quiet (nothing new in 2 checks; every 2 nights): next check {night(4):%Y-%m-%d}"
    markdown = report_markdown(adaptive.reports[3])
    assert f"| blog | skipped |  | {night3.reason} |" in markdown
    assert "| columns | yes | 5 | busy (" in markdown or "| columns | yes | 5 | active (5 new" in markdown
    checked_again = next(d for d in adaptive.reports[7].polling if d.source == "blog")
    assert checked_again.reason == "quiet (nothing new in 3 checks; every 3 nights): due"
    assert checked_again.new_articles == 0
    # the skip is kept in the run's row, as skipped with its reason, not as a check that found nothing
    con = duckdb.connect(str(adaptive.db), read_only=True)
    try:
        stored = con.execute("""
            SELECT e->>'checked', e->>'reason', e->>'new_articles' FROM runs,
                   unnest(from_json(report->'polling', '["JSON"]')) AS t(e)
            WHERE e->>'source' = 'blog' ORDER BY CAST(e->>'at' AS TIMESTAMPTZ)""").fetchall()
        health = con.execute("SELECT started_at, status FROM source_health WHERE source = 'blog' ORDER BY 1"
                             ).fetchall()
    finally:
        con.close()
    assert stored[3] == ("false", night3.reason, None)
    # source health has a row for each check and none for a skipped night; none of them calls the blog broken
    assert [row[0] for row in health] == [night(n) for n in (0, 1, 2, 4, 7, 11)]
    assert {row[1] for row in health} == {"ok"}


def test_unchanged_feed_answers_304_and_no_article_page_is_fetched(adaptive: Week) -> None:
    first, second = adaptive.requests["blog"][0], adaptive.requests["blog"][1]
    assert Counter(status for path, status in first if path.startswith("/20"))[200] >= 3  # the three posts' pages
    assert ("/feed/", 200) in first
    assert second == [("/robots.txt", 200), ("/feed/", 304)]
    assert all(r == [("/robots.txt", 200), ("/feed/", 304)] for r in adaptive.requests["blog"][1:] if r)


def test_a_blog_week_costs_fewer_requests(tmp_path: Path, adaptive: Week, monkeypatch: pytest.MonkeyPatch) -> None:
    """The blog's requests on nights 1..7 (a quiet week): as before this change (every night, feed asked
    unconditionally), with the conditional feed only, and with adaptive polling too."""
    monkeypatch.setattr(FeedKind, "discovery_roles", ())
    before = run_nights(tmp_path / "before", 8, {"WIREHOUSE_ADAPTIVE_POLLING": "false"})
    monkeypatch.undo()
    conditional = run_nights(tmp_path / "conditional", 8, {"WIREHOUSE_ADAPTIVE_POLLING": "false"})
    week = {name: sum(len(r) for r in run.requests["blog"][1:8])
            for name, run in (("before", before), ("conditional", conditional), ("adaptive", adaptive))}
    sent = {name: sum(run.sent["blog"][1:8])
            for name, run in (("before", before), ("conditional", conditional), ("adaptive", adaptive))}
    print(f"\nblog, requests over a quiet week: {week}; body bytes: {sent}")
    assert checked(before, "blog") == [True] * 8
    assert week["adaptive"] < week["conditional"] <= week["before"]
    assert week["adaptive"] == 2 * 4  # four checks (nights 1, 2, 4, 7) of robots.txt and a 304 feed


def test_force_checks_a_quiet_source_the_rule_would_skip(tmp_path: Path, adaptive: Week) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copy(adaptive.db, db)
    (skipped,) = run_nights(tmp_path, 1, first=NIGHTS, db=db).reports  # checked on night 11: next on night 15
    assert not next(d for d in skipped.polling if d.source == "blog").checked
    (forced,) = run_nights(tmp_path, 1, first=NIGHTS + 1, db=db, force=True).reports
    blog = next(d for d in forced.polling if d.source == "blog")
    assert blog.checked and blog.reason == "forced (--force)" and blog.new_articles == 0
