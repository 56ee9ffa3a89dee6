"""A sitemap source's targets for one window: the articles its sitemaps list in it, with its feed's bylines.

Every request goes through the run's Fetcher (robots.txt, rate limits, domains, size caps); sitemap files are
asked conditionally with the validators the run hands in (see SourceKind.discovery_roles).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from schemas import Discovery, DiscoveryWindow, FetchFailure, RawResponse, Source, Target, Validators
from tasks.fetch.fetcher import Fetcher
from tasks.sources.base import Get
from tasks.sources.feed import read_feed
from tasks.sources.feed.feeds import FeedEntry
from tasks.sources.sitemap.locate import article_roots, find_sitemaps
from tasks.sources.sitemap.pages import is_listing_page, lists_articles
from tasks.sources.sitemap.settings import SitemapSettings
from tasks.sources.sitemap.sitemaps import SitemapEntry
from tasks.sources.sitemap.walk import walk_sitemaps


async def discover_articles(
    source: Source, window: DiscoveryWindow, fetcher: Fetcher, validators: Mapping[str, Validators]
) -> Discovery:
    settings = SitemapSettings.of(source)
    discovery = Discovery(source=source.name)
    feed_entries = await read_feed(source, fetcher, discovery)
    roots = [str(url) for url in settings.sitemaps] or await _find_roots(source, fetcher, discovery)
    walk = await walk_sitemaps(_conditional(fetcher, validators), roots, window, follow=lists_articles)
    discovery.responses.extend(walk.responses)
    discovery.failures.extend(walk.failures)
    discovery.complete = bool(roots) and walk.complete

    now = datetime.now(UTC)
    base = str(source.base_url)
    from_feed = {entry.url: entry for entry in feed_entries}
    listed: set[str] = set()
    for entry in walk.entries:
        if not is_listing_page(entry.url, base):
            listed.add(entry.url)
            discovery.targets.append(_target(source, entry.url, entry, from_feed.get(entry.url), now))
    for entry in walk.undated:
        if not is_listing_page(entry.url, base):
            listed.add(entry.url)
            discovery.undated.append(_target(source, entry.url, entry, from_feed.get(entry.url), now))
    # the feed's newest items, when a sitemap has not listed them yet
    for feed_entry in feed_entries:
        if feed_entry.url in listed:
            continue
        target = _target(source, feed_entry.url, None, feed_entry, now)
        if feed_entry.published_at is None:
            discovery.undated.append(target)
        elif window.start <= feed_entry.published_at < window.end:
            discovery.targets.append(target)
    return discovery


async def _find_roots(source: Source, fetcher: Fetcher, discovery: Discovery) -> list[str]:
    located = await find_sitemaps(fetcher.get, str(source.base_url))
    roots = article_roots(located)
    if not roots:
        detail = "none in robots.txt or at the usual locations" + (f" ({'; '.join(located.notes)})"
                                                                    if located.notes else "")
        discovery.failures.append(FetchFailure(url=str(source.base_url), reason="no_sitemap", detail=detail[:500]))
    return roots


def _conditional(fetcher: Fetcher, validators: Mapping[str, Validators]) -> Get:
    """The fetcher's get, sending a file's stored validators: its 304 means the file holds nothing new."""

    async def get(url: str, role: str) -> RawResponse:
        stored = validators.get(url)
        return await fetcher.get(url, role=role, headers=stored.headers() if stored else None)

    return get


def _target(source: Source, url: str, listed: SitemapEntry | None, feed_entry: FeedEntry | None,
            now: datetime) -> Target:
    """A page target; the feed's entry gives bylines, post id and comment count, its date or the news
    sitemap's exact publication time the date a page without one falls back to."""
    news = listed.news_published if listed is not None else None
    exact_news = news.middle if news is not None and news.earliest == news.latest else None
    return Target(
        source=source.name,
        url=url,
        post_id=feed_entry.post_id if feed_entry else None,
        channel="feed" if feed_entry else "sitemap",
        channel_bylines=feed_entry.bylines if feed_entry else [],
        channel_published_at=(feed_entry.published_at if feed_entry else None) or exact_news,
        comment_count_hint=feed_entry.comment_count if feed_entry else None,
        discovered_at=now,
    )
