"""The health collector: one per source and run, fed batch by batch, summed into a `source_health` row.

The input contract is the observation models of schemas/health.py; tasks/health/observe.py builds them from the
stage models (Discovery, FetchedTarget, ParsedArticle, FailureRecord). What a run must call, in order:

    collector = HealthCollector(run_id, source, flow, started_at)
    collector.add_window(window.start, window.end)        # each discovery window read
    collector.add_discovery(DiscoveryObservation(...))    # what discovery found in it
    collector.add_retried(len(retry))                     # earlier failures retried alongside
    collector.add_batch(BatchObservation(...))            # after each batch is parsed and normalized
    figures = collector.figures(finished_at)

Memory stays small whatever the run's size: counters, plus one float per HTTP response for the latency
percentiles (8 bytes each: 2.4 MB for a 100k-article backfill of three requests each).
"""

from __future__ import annotations

import statistics
import time
from array import array
from collections import Counter
from datetime import datetime, timedelta

from schemas.health import (
    BatchObservation,
    ChannelTally,
    DiscoveryObservation,
    SelectorTally,
    SourceHealthFigures,
)
from tasks.health.rules import EMPTY_BODY_WORDS, GATE_STAGE, IMPLAUSIBLE, is_transient
from tasks.health.stats import percentile

# Failures of these stages are failed targets; others (a comment channel of a loaded article) are only counted
# by reason.
TARGET_STAGES = frozenset({"fetch", "parse", "normalize", GATE_STAGE})


class HealthCollector:
    def __init__(self, run_id: str, source: str, flow: str, started_at: datetime) -> None:
        """`started_at`: the run's time (a test or the demo may run as of another day than today's)."""
        self.run_id, self.source, self.flow, self.started_at = run_id, source, flow, started_at
        self._clock = time.monotonic()
        self._counts: Counter[str] = Counter()
        self._reasons: Counter[str] = Counter()
        self._parsers: Counter[str] = Counter()
        self._statuses: Counter[str] = Counter()
        self._latencies = array("d")
        self._window_days = 0.0
        self._selectors: dict[tuple[str, str], SelectorTally] = {}
        self._channels: dict[str, ChannelTally] = {}

    def add_window(self, start: datetime, end: datetime) -> None:
        self._window_days += max(0.0, (end - start).total_seconds() / 86400)

    def add_retried(self, targets: int) -> None:
        self._counts["retried"] += targets

    def add_discovery(self, discovery: DiscoveryObservation) -> None:
        self._counts["discovered"] += discovery.targets
        for seen in discovery.channels:
            channel = self._channels.setdefault(seen.url, ChannelTally(url=seen.url, role=seen.role))
            channel.role = channel.role or seen.role
            channel.requests += 1
            if not seen.ok:
                channel.failures += 1
                channel.status, channel.reason = seen.status, seen.reason

    def add_batch(self, batch: BatchObservation) -> None:
        counts = self._counts
        counts["attempted"] += batch.attempted
        counts["fetched"] += batch.fetched
        counts["not_modified"] += batch.not_modified
        for failure in batch.failures:
            self._reasons[failure.reason] += 1
            if failure.stage in TARGET_STAGES:
                counts["failed"] += 1
                counts["failed_transient" if is_transient(failure.reason) else "failed_permanent"] += 1
            if failure.stage == GATE_STAGE and failure.reason == IMPLAUSIBLE:
                counts["bodies_checked"] += 1  # the gate's rejection: an article judged, and not plausible
                counts["implausible_bodies"] += 1
        for response in batch.responses:
            counts["requests"] += 1
            self._statuses[str(response.status)] += 1
            if response.status:
                self._latencies.append(response.elapsed_ms)
        for article in batch.articles:
            counts["articles"] += 1
            self._parsers[article.parser or "unknown"] += 1
            counts["generic_fallback"] += article.body_from_generic
            counts["empty_bodies"] += article.body_words < EMPTY_BODY_WORDS
            if article.body_plausible is not None:
                counts["bodies_checked"] += 1
                counts["implausible_bodies"] += not article.body_plausible
            counts["no_author"] += not article.has_author
            counts["no_date"] += not article.has_date
            counts["comments_found"] += article.comments_found
            if article.comments_advertised and article.comments_read:
                counts["threads_advertised"] += 1
                counts["threads_advertised_empty"] += article.comments_found == 0
                counts["comments_advertised"] += article.comments_advertised
            for check in article.selector_checks:
                tally = self._selectors.setdefault(
                    (check.field, check.selector), SelectorTally(field=check.field, selector=check.selector)
                )
                tally.pages += 1
                tally.matched += check.matched

    def figures(self, finished_at: datetime | None = None) -> SourceHealthFigures:
        """The run's figures; `finished_at` defaults to `started_at` plus the time since the collector was made."""
        latencies = sorted(self._latencies)
        counted = {name: self._counts[name] for name in _COUNTED}
        return SourceHealthFigures(
            run_id=self.run_id,
            source=self.source,
            flow=self.flow,
            started_at=self.started_at,
            finished_at=finished_at or self.started_at + timedelta(seconds=time.monotonic() - self._clock),
            window_days=round(self._window_days, 6),
            failures_by_reason=dict(self._reasons.most_common()),
            articles_by_parser=dict(self._parsers.most_common()),
            latency_median_ms=round(statistics.median(latencies), 3) if latencies else None,
            latency_p95_ms=round(p95, 3) if (p95 := percentile(latencies, 0.95)) is not None else None,
            status_mix=dict(sorted(self._statuses.items())),
            selectors=sorted(self._selectors.values(), key=lambda s: (s.field, s.selector)),
            channels=sorted(self._channels.values(), key=lambda c: c.url),
            **counted,
        )


_COUNTED = (
    "discovered", "retried", "attempted", "fetched", "not_modified", "failed", "failed_permanent", "failed_transient",
    "articles", "generic_fallback", "empty_bodies", "implausible_bodies", "bodies_checked", "no_author", "no_date",
    "threads_advertised", "threads_advertised_empty", "comments_advertised", "comments_found", "requests",
)
