"""The WordPress kind: the REST API (posts by date window, read a hundred at a time with their comments, or one
by one with their comment pages), each post's page, the feed as a second channel, and the feed kind's reading
when the REST API is closed. See README.md."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import urlsplit

from schemas import (
    Discovery,
    DiscoveryWindow,
    FetchedTarget,
    FetchFailure,
    ParsedArticle,
    RawResponse,
    Source,
    Target,
    TargetKind,
    Validators,
)
from schemas.errors import FetchError, ParseError, RestFormatError
from tasks.comments import wordpress_rest as rest_comments
from tasks.fetch.fetcher import Fetcher
from tasks.parse.wordpress_json import total_pages
from tasks.sources import feed
from tasks.sources.base import Get, SourceKind, by_role
from tasks.sources.feed.feeds import FeedEntry
from tasks.sources.wordpress.bulk import POST_ROLE, prefetch_posts
from tasks.sources.wordpress.post import parse_wp_post
from tasks.sources.wordpress.rest import ListedPost, listing_url, parse_listing, post_url
from tasks.sources.wordpress.settings import WordPressSettings


class WordPressKind(SourceKind):
    name = "wordpress"
    settings_model = WordPressSettings

    async def discover(
        self, source: Source, window: DiscoveryWindow, fetcher: Fetcher, validators: Mapping[str, Validators]
    ) -> Discovery:
        discovery = Discovery(source=source.name)
        now = datetime.now(UTC)
        entries = await feed.read_feed(source, fetcher, discovery)
        listed = await _read_rest_listing(source, window, fetcher, discovery)
        if listed is None:
            # REST closed or broken: read the site like a feed source, so the run still gets its articles
            await feed.page_targets(source, window, fetcher, discovery, entries)
        else:
            discovery.targets.extend(_post_targets(source, listed, entries, now))
        return discovery

    def first_urls(self, source: Source, target: Target) -> list[str]:
        if _is_post(target):
            assert target.post_id is not None
            return [target.url, post_url(source, target.post_id), rest_comments.comments_url(source, target.post_id, 1)]
        return [target.url]

    async def prefetch(self, source: Source, targets: list[Target], fetcher: Fetcher) -> dict[str, list[RawResponse]]:
        return await prefetch_posts(source, targets, fetcher) if source.bulk else {}

    async def fetch(self, source: Source, target: Target, get: Get) -> list[RawResponse]:
        if not _is_post(target):
            return await feed.fetch_page(target, get)
        assert target.post_id is not None
        return await self.fetch_rest(source, target, [await get(post_url(source, target.post_id), POST_ROLE)], get)

    async def fetch_rest(self, source: Source, target: Target, prefetched: list[RawResponse], get: Get
                         ) -> list[RawResponse]:
        """The post's comment pages (unless read in bulk) and its page, after the post itself."""
        assert target.post_id is not None
        responses = list(prefetched)
        if source.fetch_comments and not any(r.role == rest_comments.ROLE for r in responses):
            responses.extend(await rest_comments.fetch_comment_pages(source, target.post_id, get))
        if source.fetch_article_html:
            # the REST post carries the article; the page only adds its deck and rendered byline
            with contextlib.suppress(FetchError):
                responses.append(await get(target.url, "article"))
        return responses

    def parse(self, fetched: FetchedTarget, source: Source) -> ParsedArticle:
        responses = by_role(fetched.responses)
        if not (_is_post(fetched.target) and POST_ROLE in responses):
            return feed.parse_page(fetched, source)
        pages = responses.get("article", [])
        post_id = fetched.target.post_id
        thread = rest_comments.read_comment_pages(responses.get(rest_comments.ROLE, []), post_id)
        if thread is not None and thread.error:
            # the stored thread stands: what the 200 implies (no comments, phantom ones) is no fact about it
            raise ParseError(f"comments: {thread.error}")
        post = responses[POST_ROLE][0]
        try:
            rest = parse_wp_post(post.body, post_id, single=_answers_one_post(post.url))
        except RestFormatError as exc:
            # a REST answer that is not the post is a failure of this read, not a cue to take the page alone:
            # the page is a weaker channel, and what it makes must not replace the stored post (issue 13)
            raise ParseError(str(exc)) from None
        # REST gave the title, the body and the whole thread: the page is read only for what it adds
        additions_only = bool(rest.title and rest.body_text and thread is not None and thread.complete)
        page = feed.read_page(pages, fetched, source, additions_only)
        article = _merge_page_into_rest(rest, page)
        if page is not None:
            # the page's own reading, for the plausibility gate: a page that is not this article adds nothing
            article.parse_report.page_title = page.title
            article.parse_report.page_text = page.body_text
        _attach_rest_comments(article, thread, page)
        return article

    def comment_api(self, source: Source) -> str | None:
        return "wordpress_rest"


def _is_post(target: Target) -> bool:
    return target.kind is TargetKind.WP_POST and target.post_id is not None


def _answers_one_post(url: str) -> bool:
    """The request was `posts/ID` (one post object), not the bulk `posts?include=...` (a list)."""
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1].isdigit()


def _post_targets(source: Source, listed: list[ListedPost], entries: list[FeedEntry], now: datetime) -> list[Target]:
    by_post_id = {e.post_id: e for e in entries if e.post_id is not None}
    by_url = {e.url: e for e in entries}
    targets = []
    for post in listed:
        entry = by_post_id.get(post.post_id) or by_url.get(post.url)
        targets.append(
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
    return targets


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
            discovery.failures.append(
                FetchFailure(url=url, reason=exc.reason, detail=exc.detail, status=exc.status, role="listing")
            )
            return None if page == 1 else posts
        except RestFormatError as exc:
            discovery.failures.append(FetchFailure(url=url, reason="bad_json", detail=str(exc), role="listing"))
            return None if page == 1 else posts
        pages = total_pages(response.headers)
        page += 1
    return posts


def _merge_page_into_rest(article: ParsedArticle, page: ParsedArticle | None) -> ParsedArticle:
    """REST is exact for ids, dates, body and accounts; the page adds the deck and the printed byline/bio."""
    if page is None:
        return article
    bios = {**article.author_bios, **page.author_bios}
    bylines = page.bylines + [b for b in article.bylines if b not in page.bylines]
    return article.model_copy(
        update={
            "deck": article.deck or page.deck,
            "bylines": bylines,
            "author_bios": bios,
            "title": article.title or page.title,
            "body_html": article.body_html or page.body_html,
            "body_text": article.body_text or page.body_text,
            "comments": page.comments,  # replaced by the REST thread below when that is complete
            "reprint": article.reprint or page.reprint,
            # the page's selector checks; its body counts as the generic extractor's only where REST gave none
            "parse_report": page.parse_report.model_copy(
                update={"body_from_generic": page.parse_report.body_from_generic and not article.body_text}
            ),
        }
    )


def _attach_rest_comments(
    article: ParsedArticle, thread: rest_comments.RestThread | None, page: ParsedArticle | None
) -> None:
    if thread is None:
        return  # comments not fetched through REST: whatever the page showed stays
    if thread.complete or page is None or len(thread.comments) >= len(page.comments):
        article.comments = thread.comments
        article.comments_complete = thread.complete
    # else: the page's own comment list is the fuller record of this thread; keep it
