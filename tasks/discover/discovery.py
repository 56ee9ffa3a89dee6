"""Discover what to fetch for one source and window: REST listings, the feed, day archives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from schemas import Discovery, DiscoveryWindow, FetchFailure, Source, SourceKind, Target, TargetKind
from schemas.errors import FeedError, FetchError, RestFormatError
from tasks.discover.archive import archive_urls, article_links
from tasks.discover.feed import FeedEntry, parse_feed
from tasks.discover.wordpress_rest import ListedPost, listing_url, parse_listing, total_pages
from tasks.fetch.client import Fetcher
from tasks.parse.encoding import decode_html

MAX_ARCHIVE_PAGES = 50  # per day or month archive


async def discover_source(source: Source, window: DiscoveryWindow, fetcher: Fetcher) -> Discovery:
    discovery = Discovery(source=source.name)
    now = datetime.now(UTC)
    feed_entries = await _read_feed(source, fetcher, discovery)
    by_post_id = {e.post_id: e for e in feed_entries if e.post_id is not None}
    by_url = {e.url: e for e in feed_entries}

    if source.kind is SourceKind.WORDPRESS:
        listed = await _read_rest_listing(source, window, fetcher, discovery)
        if listed is not None:
            for post in listed:
                entry = by_post_id.get(post.post_id) or by_url.get(post.url)
                discovery.targets.append(
                    Target(
                        source=source.name,
                        kind=TargetKind.WP_POST,
                        url=post.url,
                        post_id=post.post_id,
                        channel="feed" if entry else "rest",
                        channel_bylines=entry.bylines if entry else [],
                        channel_published_at=post.published_at,
                        comment_count_hint=entry.comment_count if entry else None,
                        discovered_at=now,
                    )
                )
            return discovery
        # REST closed or broken: read the site like a feed source, so the run still gets its articles

    seen: set[str] = set()
    for entry in feed_entries:
        if entry.published_at is None or window.start <= entry.published_at < window.end:
            discovery.targets.append(_html_target(source, entry.url, entry, now))
            seen.add(entry.url)
    oldest_in_feed = min((e.published_at for e in feed_entries if e.published_at), default=None)
    if oldest_in_feed is None or window.start < oldest_in_feed:
        # the feed only holds the newest posts: older days come from the day archives
        for url in await _read_date_archives(source, window, fetcher, discovery, until=oldest_in_feed):
            if url not in seen:
                seen.add(url)
                discovery.targets.append(_html_target(source, url, by_url.get(url), now))
    return discovery


def _html_target(source: Source, url: str, entry: FeedEntry | None, now: datetime) -> Target:
    return Target(
        source=source.name,
        kind=TargetKind.HTML_ARTICLE,
        url=url,
        post_id=entry.post_id if entry else None,
        channel="feed" if entry else "archive",
        channel_bylines=entry.bylines if entry else [],
        channel_published_at=entry.published_at if entry else None,
        comment_count_hint=entry.comment_count if entry else None,
        discovered_at=now,
    )


async def _read_feed(source: Source, fetcher: Fetcher, discovery: Discovery) -> list[FeedEntry]:
    if source.feed_url is None:
        return []
    url = str(source.feed_url)
    try:
        response = await fetcher.get(url, role="feed")
        discovery.responses.append(response)
        return parse_feed(response.body)
    except FetchError as exc:
        discovery.failures.append(FetchFailure(url=url, reason=exc.reason, detail=exc.detail, status=exc.status))
    except FeedError as exc:
        discovery.failures.append(FetchFailure(url=url, reason="bad_feed", detail=str(exc)))
    return []


async def _read_rest_listing(
    source: Source, window: DiscoveryWindow, fetcher: Fetcher, discovery: Discovery
) -> list[ListedPost] | None:
    """Every post in the window, or None when the API cannot be used at all."""
    posts: list[ListedPost] = []
    page, pages = 1, 1
    while page <= pages:
        url = listing_url(source, window, page)
        try:
            response = await fetcher.get(url, role="listing")
            discovery.responses.append(response)
            posts.extend(parse_listing(response.body))
        except FetchError as exc:
            discovery.failures.append(FetchFailure(url=url, reason=exc.reason, detail=exc.detail, status=exc.status))
            return None if page == 1 else posts
        except RestFormatError as exc:
            discovery.failures.append(FetchFailure(url=url, reason="bad_json", detail=str(exc)))
            return None if page == 1 else posts
        pages = total_pages(response.headers)
        page += 1
    return posts


async def _read_date_archives(
    source: Source, window: DiscoveryWindow, fetcher: Fetcher, discovery: Discovery, until: datetime | None
) -> list[str]:
    urls: list[str] = []
    first = window.start.astimezone(UTC).date()
    end = min(window.end, until) if until else window.end
    last = (end - timedelta(microseconds=1)).astimezone(UTC).date()
    for archive_url in archive_urls(str(source.base_url), first, last):
        page_url: str | None = archive_url
        for _ in range(MAX_ARCHIVE_PAGES):
            if page_url is None:
                break
            try:
                response = await fetcher.get(page_url, role="archive")
            except FetchError as exc:
                if exc.status != 404:  # a day or month without posts is a 404 on WordPress
                    discovery.failures.append(
                        FetchFailure(url=page_url, reason=exc.reason, detail=exc.detail, status=exc.status)
                    )
                break
            html = decode_html(response.body, response.headers.get("content-type"))
            links, page_url = article_links(html, response.final_url, first, last, source.domains())
            urls.extend(u for u in links if u not in urls)
    return urls
