"""A month of nights through the real nightly flow, for the source-health tests: three living sites on loopback
publishing the recorded month's volumes (tests/health/recorded.py), read every night at 10:30 UTC with `until=`.

- `wire`: a WordPress source read through its REST API, ~50 articles a weekday (the recorded `news`);
- `columns`: a feed source whose pages are read by declared selectors, ~12 a weekday (the recorded `original`),
  comments in the page markup;
- `blog`: a feed source of ~3 a day with no date archives, whose feed answers 503 on the nights the recorded
  month says it did.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from flows.nightly import nightly
from schemas import RunReport
from testing.living_site import LivingSite
from testing.webhook_receiver import Received, webhook_receiver
from tests.flows.helpers import FAST_LOOPBACK, NEWS_SELECTORS, write_sources
from tests.health.recorded import MONTH_START, healthy_runs

NIGHTS = 30  # November 2026, as recorded
DAYS_PUBLISHED = NIGHTS + 10  # and the ten days after it, for the scenarios' nights
RECORDED = {"wire": "news", "columns": "original", "blog": "blog"}


@dataclass
class Month:
    db: Path  # the warehouse after the month's nights
    sites: dict[str, LivingSite]
    sources: Path
    reports: list[RunReport]
    webhook_posts: list[Received]  # what a webhook receiver got during the month


def night(number: float) -> datetime:
    """The nightly run's time on night `number` (0 = 1 November 2026, 10:30 UTC)."""
    return MONTH_START + timedelta(days=number)


def schedule(source: str) -> tuple[list[datetime], set[int]]:
    """When `source`'s articles are published (the recorded volumes: each night's count per day of its window,
    spread over the day before it), and the nights its feed was down."""
    rng = random.Random(f"schedule-{source}")
    runs = healthy_runs(RECORDED[source], seed=2026, days=DAYS_PUBLISHED)
    times: list[datetime] = []
    outages = set()
    for number, run in enumerate(runs):
        down = any(c.role == "feed" and c.failures for c in run.channels)
        if down:
            outages.add(number)
        per_day = run.discovered / run.window_days if not down else runs[number - 1].discovered / 1.25
        for day in range(2 if number == 0 else 1):  # the first night reads two days
            start = night(number) - timedelta(days=day + 1)
            count = round(per_day)
            times += [start + timedelta(days=(k + rng.random()) / count) for k in range(count)]
    return times, outages


def declarations(bases: dict[str, str]) -> list[dict[str, Any]]:
    wire, columns, blog = bases["wire"], bases["columns"], bases["blog"]
    return [
        {"name": "wire", "kind": "wordpress", "base_url": wire + "/", "feed_url": wire + "/feed/",
         "fetch_article_html": False, "politeness": FAST_LOOPBACK},
        {"name": "columns", "kind": "feed", "base_url": columns + "/", "feed_url": columns + "/feed/",
         "selectors": NEWS_SELECTORS, "politeness": FAST_LOOPBACK},
        {"name": "blog", "kind": "feed", "base_url": blog + "/", "feed_url": blog + "/feed/",
         "selectors": {"title": "h1.entry-title", "body": "div.entry-content"}, "politeness": FAST_LOOPBACK},
    ]


def run_night(db: Path, sources: Path, at: datetime, only: list[str] | None = None) -> RunReport:
    return asyncio.run(nightly(sources=only, db=str(db), sources_file=str(sources), until=at))


@contextmanager
def living_month(folder: Path) -> Iterator[Month]:
    """Serve the three sites, run the month's nights, and keep the sites up for the scenarios after it."""
    with ExitStack() as stack:
        sites, outages = {}, {}
        for name in RECORDED:
            times, outages[name] = schedule(name)
            sites[name] = LivingSite(name, times, theme="blog" if name == "blog" else "news",
                                     archives=name != "blog", comment_share=0.6)
        bases = {name: stack.enter_context(site.serve()) for name, site in sites.items()}
        sources = write_sources(folder / "sources.yaml", declarations(bases))
        db = folder / "month.duckdb"
        url, posts = stack.enter_context(webhook_receiver())
        env = stack.enter_context(pytest.MonkeyPatch.context())
        env.setenv("WIREHOUSE_HEALTH_WEBHOOK_URLS", f"{url}/month")
        reports = []
        for number in range(NIGHTS):
            for name, site in sites.items():
                site.now = night(number)
                site.failing = {"/feed/": 503} if number in outages[name] else {}
            reports.append(run_night(db, sources, night(number)))
        for site in sites.values():
            site.reset()
        env.undo()
        yield Month(db, sites, sources, reports, list(posts))


def health_rows(db: Path, source: str) -> list[dict[str, Any]]:
    """The source's `source_health` rows, oldest first."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        result = con.execute("SELECT * FROM source_health WHERE source = ? ORDER BY started_at", [source])
        names = [d[0] for d in result.description]
        return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
    finally:
        con.close()
