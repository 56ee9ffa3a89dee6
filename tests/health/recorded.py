"""Recorded runs for the health tests: healthy nightly figures of three sources of different sizes, and the
model that produced them.

`fixtures/healthy_month.json` is one month of it (November 2026), recorded with
`python -m tests.health.recorded > tests/health/fixtures/healthy_month.json`. The model has the variation a
healthy news source shows from night to night, so that the rules are tested against it:
- volume: a weekly rhythm (weekends at about half a weekday), a holiday (Thanksgiving, the 26th, at a third),
  and day-to-day noise beyond Poisson (gamma-Poisson, 20% spread);
- a few failures (404s, timeouts), articles without an author or date, comment threads advertised in the feed
  but found empty (held in moderation, counts that lag), a deck selector that matches only some articles;
- `original` has a WordPress REST API that always answers 401 (its feed is how it is read), and `blog` has a
  feed that now and then answers 503 for a night (nothing discovered that night).
"""

from __future__ import annotations

import json
import math
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from schemas.health import ChannelTally, SelectorTally, SourceHealthFigures

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "healthy_month.json"
MONTH_START = datetime(2026, 11, 1, 10, 30, tzinfo=UTC)  # nightly at 02:30 in Los Angeles
HOLIDAYS = {datetime(2026, 11, 26).date()}

SOURCES: dict[str, dict[str, Any]] = {
    "news": {"weekday": 50, "requests_per_article": 3, "advertised": 0.6,
             "channels": [("https://news.example/wp-json/wp/v2/posts", "listing", None),
                          ("https://news.example/feed/", "feed", None)],
             "selectors": [("body", "div.entry-content", 0.998), ("deck", "span.pagesub", 0.4)]},
    "original": {"weekday": 12, "requests_per_article": 1, "advertised": 0.3,
                 "channels": [("https://original.example/wp-json/wp/v2/posts", "listing", "http_401"),
                              ("https://original.example/feed/", "feed", None)],
                 "selectors": [("body", "div.et_pb_post_content_0_tb_body", 0.995), ("byline", "a[rel=author]", 0.97)]},
    "blog": {"weekday": 3, "requests_per_article": 2, "advertised": 0.5, "feed_outage": 0.06,
             "channels": [("https://blog.example/feed/", "feed", None)],
             "selectors": []},
}


def poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method, in steps of 30 so exp(-mean) never underflows."""
    count = 0
    while mean > 0:
        step = min(mean, 30.0)
        mean -= step
        limit, product = math.exp(-step), rng.random()
        while product > limit:
            count += 1
            product *= rng.random()
    return count


def binomial(rng: random.Random, n: int, p: float) -> int:
    return sum(rng.random() < p for _ in range(n))


def healthy_runs(source: str, seed: int, days: int = 30, start: datetime = MONTH_START) -> list[SourceHealthFigures]:
    """`days` nightly runs of `source`, each reading the 30 hours before it (24 h plus the 6 h overlap)."""
    spec = SOURCES[source]
    rng = random.Random(f"{source}-{seed}")
    runs = []
    for day in range(days):
        started = start + timedelta(days=day)
        published = (started - timedelta(days=1)).date()
        factor = 0.35 if published in HOLIDAYS else 0.5 if published.weekday() >= 5 else 1.0
        mean = spec["weekday"] * factor * 1.25 * rng.gammavariate(25, 1 / 25)
        outage = rng.random() < spec.get("feed_outage", 0.0)
        discovered = 0 if outage else poisson(rng, mean)
        runs.append(_run(source, spec, rng, started, discovered, outage, first=day == 0))
    return runs


def _run(source: str, spec: dict[str, Any], rng: random.Random, started: datetime, discovered: int, outage: bool,
         first: bool) -> SourceHealthFigures:
    retried = binomial(rng, 3, 0.3)
    failed = binomial(rng, discovered + retried, 0.012)
    not_modified = binomial(rng, discovered - failed, 0.15)
    articles = discovered + retried - failed - not_modified
    reasons: dict[str, int] = {}
    for _ in range(failed):
        reason = rng.choice(["http_404", "http_404", "timeout", "http_503"])
        reasons[reason] = reasons.get(reason, 0) + 1
    threads = binomial(rng, articles, spec["advertised"])
    advertised = sum(1 + poisson(rng, 7) for _ in range(threads))
    empty_threads = binomial(rng, threads, 0.08)
    requests = articles * spec["requests_per_article"] + not_modified + failed
    latency = rng.uniform(120, 320)
    channels = []
    for url, role, always in spec["channels"]:
        failing = always or ("http_503" if outage and role == "feed" else None)
        channels.append(ChannelTally(url=url, role=role, requests=1, failures=1 if failing else 0,
                                     status=int(failing[5:]) if failing else None, reason=failing or ""))
    return SourceHealthFigures(
        run_id=f"{source}-{started:%Y%m%d}", source=source, flow="nightly", started_at=started,
        finished_at=started + timedelta(minutes=4), window_days=2.0 if first else 1.25,
        discovered=discovered, retried=retried, attempted=discovered + retried,
        fetched=discovered + retried - failed - not_modified, not_modified=not_modified, failed=failed,
        failed_permanent=reasons.get("http_404", 0),
        failed_transient=failed - reasons.get("http_404", 0), failures_by_reason=reasons,
        articles=articles, articles_by_parser={"site_html": articles} if articles else {},
        empty_bodies=binomial(rng, articles, 0.005), no_author=binomial(rng, articles, 0.03),
        no_date=binomial(rng, articles, 0.005), threads_advertised=threads, threads_advertised_empty=empty_threads,
        comments_advertised=advertised, comments_found=max(0, advertised - poisson(rng, 3 * empty_threads + 2)),
        requests=requests, latency_median_ms=round(latency, 1),
        latency_p95_ms=round(latency * rng.uniform(2.5, 4.5), 1),
        status_mix={k: v for k, v in {"200": articles * spec["requests_per_article"], "304": not_modified,
                                      "404": reasons.get("http_404", 0), "503": reasons.get("http_503", 0),
                                      "0": reasons.get("timeout", 0)}.items() if v},
        selectors=[SelectorTally(field=field, selector=selector, pages=articles,
                                 matched=articles - binomial(rng, articles, 1 - share))
                   for field, selector, share in spec["selectors"]],
        channels=channels,
    )


def recorded_month() -> list[SourceHealthFigures]:
    """The recorded month, every source, in the order the runs happened."""
    runs = [SourceHealthFigures.model_validate(r) for r in json.loads(FIXTURE.read_text(encoding="utf-8"))]
    return sorted(runs, key=lambda r: (r.started_at, r.source))


def main() -> None:
    runs = [run for source in SOURCES for run in healthy_runs(source, seed=2026)]
    json.dump([r.model_dump(mode="json") for r in runs], sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
