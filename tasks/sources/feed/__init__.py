"""The feed kind: an RSS/Atom feed and the site's date archives for discovery, article pages for content.

See README.md. The WordPress kind reads a site this way when its REST API is closed, through the functions
below (`read_feed`, `page_targets`, `fetch_page`, `parse_page`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from schemas import (
    Discovery,
    DiscoveryWindow,
    FetchedTarget,
    FetchFailure,
    ParsedArticle,
    RawResponse,
    Source,
    Target,
    Validators,
)
from schemas.errors import FeedError, FetchError, ParseError
from tasks.fetch.fetcher import Fetcher
from tasks.parse.encoding import decode_html
from tasks.parse.html_article import parse_article_html, parse_page_additions
from tasks.sources.base import Get, SourceKind, by_role
from tasks.sources.feed.archive import archive_urls, article_links
from tasks.sources.feed.feeds import FeedEntry, parse_feed
from tasks.sources.feed.settings import FeedSettings

MAX_ARCHIVE_PAGES = 50  # per day or month archive
FEED_ROLE = "feed"


class FeedKind(SourceKind):
    name = "feed"
    settings_model = FeedSettings
    discovery_roles = (FEED_ROLE,)  # a feed unchanged since before the window lists nothing published in it

    async def discover(
        self, source: Source, window: DiscoveryWindow, fetcher: Fetcher, validators: Mapping[str, Validators]
    ) -> Discovery:
        discovery = Discovery(source=source.name)
        entries = await read_feed(source, fetcher, discovery, validators)
        if not feed_unchanged(discovery):  # a 304: no new post, so no date archive to read either
            await page_targets(source, window, fetcher, discovery, entries)
        return discovery

    def first_urls(self, source: Source, target: Target) -> list[str]:
        return [target.url]

    async def fetch(self, source: Source, target: Target, get: Get) -> list[RawResponse]:
        return await fetch_page(target, get)

    def parse(self, fetched: FetchedTarget, source: Source) -> ParsedArticle:
        return parse_page(fetched, source)


async def read_feed(
    source: Source, fetcher: Fetcher, discovery: Discovery, validators: Mapping[str, Validators] | None = None
) -> list[FeedEntry]:
    """The feed's entries (the newest posts, with their bylines and comment counts); [] without a feed, or when
    it answers 304 to the stored `validators` (see `feed_unchanged`)."""
    if source.feed_url is None:
        return []
    url = str(source.feed_url)
    stored = (validators or {}).get(url)
    try:
        response = await fetcher.get(url, role=FEED_ROLE, headers=stored.headers() if stored else None)
        discovery.responses.append(response)
        if response.status == 304:
            return []
        return parse_feed(response.body)
    except FetchError as exc:
        discovery.failures.append(
            FetchFailure(url=url, reason=exc.reason, detail=exc.detail, status=exc.status, role=FEED_ROLE)
        )
    except FeedError as exc:
        discovery.failures.append(FetchFailure(url=url, reason="bad_feed", detail=str(exc), role=FEED_ROLE))
    return []


def feed_unchanged(discovery: Discovery) -> bool:
    """Whether the feed answered 304: unchanged since a version stored before the window began."""
    return any(r.role == FEED_ROLE and r.status == 304 for r in discovery.responses)


async def page_targets(
    source: Source, window: DiscoveryWindow, fetcher: Fetcher, discovery: Discovery, entries: list[FeedEntry]
) -> None:
    """Article-page targets for the window: the feed's entries, then the date archives the feed does not reach."""
    now = datetime.now(UTC)
    by_url = {e.url: e for e in entries}
    seen: set[str] = set()
    for entry in entries:
        if entry.published_at is None or window.start <= entry.published_at < window.end:
            discovery.targets.append(_page_target(source, entry.url, entry, now))
            seen.add(entry.url)
    oldest_in_feed = min((e.published_at for e in entries if e.published_at), default=None)
    if oldest_in_feed is None or window.start < oldest_in_feed:
        # the feed only holds the newest posts: older days come from the day archives
        for url in await _read_date_archives(source, window, fetcher, discovery, until=oldest_in_feed):
            if url not in seen:
                seen.add(url)
                discovery.targets.append(_page_target(source, url, by_url.get(url), now))


async def fetch_page(target: Target, get: Get) -> list[RawResponse]:
    return [await get(target.url, "article")]


def parse_page(fetched: FetchedTarget, source: Source) -> ParsedArticle:
    """The article page read with the source's selectors; raises ParseError when it holds no article body."""
    page = read_page(by_role(fetched.responses).get("article", []), fetched, source)
    if page is None:
        raise ParseError("no article response to parse")
    if not page.body_text:
        raise ParseError("page has no article body")
    return page


def read_page(
    responses: list[RawResponse], fetched: FetchedTarget, source: Source, additions_only: bool = False
) -> ParsedArticle | None:
    """The first article page read with the source's selectors (or only what it adds to a REST post)."""
    if not responses:
        return None
    response = responses[0]
    html = decode_html(response.body, response.headers.get("content-type"))
    url = response.final_url or fetched.target.url
    additions = parse_page_additions(html, url, source.selectors) if additions_only else None
    return additions or parse_article_html(html, url, source.selectors)


def _page_target(source: Source, url: str, entry: FeedEntry | None, now: datetime) -> Target:
    return Target(
        source=source.name,
        url=url,
        post_id=entry.post_id if entry else None,
        channel="feed" if entry else "archive",
        channel_bylines=entry.bylines if entry else [],
        channel_published_at=entry.published_at if entry else None,
        comment_count_hint=entry.comment_count if entry else None,
        discovered_at=now,
    )


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
                        FetchFailure(url=page_url, reason=exc.reason, detail=exc.detail, status=exc.status,
                                     role="archive")
                    )
                break
            html = decode_html(response.body, response.headers.get("content-type"))
            links, page_url = article_links(html, response.final_url, first, last, source.domains())
            urls.extend(u for u in links if u not in urls)
    return urls
