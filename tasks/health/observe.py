"""Observations for the health collector, built from what the stages hand each other.

Discovery: each channel asked (feed, REST listing, archive, sitemap) with its answer, from `Discovery.responses`
and `Discovery.failures`. A batch: fetch outcomes and response times from `FetchedTarget`, failures by stage and
reason from `FailureRecord` (the plausibility gate's rejections arrive as stage "verify", reason "implausible"),
and per article what the warehouse gets of it (`NormalizedArticle`: words, authors, date, comments, after every
channel had its say: a REST post's account stands in for a byline, the feed's date for the page's) plus what the
parse stage reported (`ParsedArticle.parse_report`: the declared selectors tried on its page, whether the generic
extractor supplied its body, the gate's verdict).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

from schemas.health import (
    ArticleObservation,
    BatchObservation,
    ChannelObservation,
    DiscoveryObservation,
    FailureObservation,
    ResponseObservation,
)
from schemas.pipeline import Discovery, FetchedTarget, ParsedArticle
from schemas.report import FailureRecord
from schemas.rows import NormalizedArticle
from tasks.normalize.urls import canonical_url

_NUMBER = re.compile(r"(?<![A-Za-z])\d+")  # a number of its own: a date part, a page, not the 2 of "v2"


def channel_url(url: str) -> str:
    """A discovery channel's identity: its URL without query or fragment, numbers in its path standing for any
    number. A REST listing asked for any window, the day archives /2026/12/03/, or monthly sitemaps
    sitemap-2026-12.xml are each one channel, whose record of answering carries from night to night."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, _NUMBER.sub("{n}", parts.path), "", ""))


def observe_discovery(discovery: Discovery) -> DiscoveryObservation:
    """Each request of discovery as its channel saw it. A response whose content then failed (a malformed feed
    was fetched, then refused) counts once, as the failure."""
    failed = {f.url for f in discovery.failures}
    channels = [
        ChannelObservation(url=channel_url(r.url), role=r.role, ok=200 <= r.status < 400, status=r.status or None,
                           reason="" if 200 <= r.status < 400 else f"http_{r.status}")
        for r in discovery.responses
        if r.url not in failed
    ]
    roles = {r.url: r.role for r in discovery.responses}
    channels += [
        ChannelObservation(url=channel_url(f.url), role=f.role or roles.get(f.url, ""), ok=False, status=f.status,
                           reason=f.reason)
        for f in discovery.failures
    ]
    return DiscoveryObservation(targets=len(discovery.targets), channels=channels)


def observe_batch(
    fetched: Iterable[FetchedTarget],
    parsed: Iterable[tuple[FetchedTarget, ParsedArticle]],
    normalized: Iterable[NormalizedArticle],
    failures: Iterable[FailureRecord],
) -> BatchObservation:
    """One batch as the flow has it after normalize: a parsed article that did not normalize is a failure."""
    batch = BatchObservation(failures=[FailureObservation(stage=f.stage, reason=f.reason) for f in failures])
    shared: set[int] = set()  # a bulk answer (WordPress: a hundred posts) is one request, however many read it
    for item in fetched:
        batch.attempted += 1
        batch.fetched += item.ok
        batch.not_modified += item.not_modified
        fresh = [r for r in item.responses if id(r) not in shared]
        shared.update(id(r) for r in fresh)
        batch.responses += [ResponseObservation(status=r.status, elapsed_ms=r.elapsed_ms, role=r.role) for r in fresh]
    rows = {a.article.url: a for a in normalized}
    for item, article in parsed:
        row = rows.get(canonical_url(item.target.url or article.url))
        if row is not None:
            batch.articles.append(observe_article(item, article, row))
    return batch


def observe_article(fetched: FetchedTarget, parsed: ParsedArticle, row: NormalizedArticle) -> ArticleObservation:
    report = parsed.parse_report
    return ArticleObservation(
        parser=row.article.parser,
        body_words=row.article.word_count,
        body_from_generic=report.body_from_generic,
        body_plausible=report.plausible,
        has_author=bool(row.article_authors),
        has_date=row.article.published_at is not None,
        comments_advertised=fetched.target.comment_count_hint,
        comments_found=len(row.comments),
        comments_read=parsed.comment_read.fetched,
        selector_checks=report.selector_checks,
    )
