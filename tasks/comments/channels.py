"""Fetch time: what a page's comment system needs beyond the page itself.

Called by the fetch stage once the article page is in: the detector reads the page and this fetches the other
comment pages of a WordPress thread, the post's comment feed, or the Disqus thread. Nothing here raises: a
channel that fails becomes a status-0 "gap" response saying why, and the parse stage then knows the thread
was read in part.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from schemas.errors import FetchError
from schemas.pipeline import RawResponse, Target
from schemas.source import Source
from tasks.comments import disqus, feeds
from tasks.comments.detect import CommentSystem, PageSignals, choose_system, page_signals
from tasks.fetch.fetcher import Fetcher
from tasks.parse.encoding import decode_html
from tasks.parse.wp_comments import comment_page_urls

COMMENT_PAGE_ROLE = "comment_page"
REST_COMMENTS_ROLE = "comments_json"
MAX_COMMENT_PAGES = 50  # as for REST comment pages: beyond that a thread is not a comment section

Get = Callable[[str, str], Awaitable[RawResponse]]  # (url, role) -> response; raises FetchError


def article_page(responses: list[RawResponse]) -> RawResponse | None:
    return next((r for r in responses if r.role == "article" and r.status == 200), None)


def signals_of(page: RawResponse | None) -> PageSignals:
    if page is None:
        return PageSignals()
    return page_signals(decode_html(page.body, page.headers.get("content-type")), page.final_url or page.url)


async def fetch_comment_channels(
    source: Source, target: Target, responses: list[RawResponse], get: Get, fetcher: Fetcher
) -> list[RawResponse]:
    """The extra responses the page's comment system needs (none when the page itself holds the thread)."""
    page = article_page(responses)
    if page is None or not source.fetch_comments:
        return []
    html = decode_html(page.body, page.headers.get("content-type"))
    page_url = page.final_url or page.url
    signals = page_signals(html, page_url)
    system = choose_system(signals, rest_comments=any(r.role == REST_COMMENTS_ROLE for r in responses))
    if system is CommentSystem.DISQUS and signals.disqus is not None:
        return await disqus.fetch_thread(source, signals.disqus.thread_ref(page_url), fetcher)
    if system is CommentSystem.WORDPRESS and signals.paginated:
        return await fetch_comment_pages(html, page_url, get)
    if system is CommentSystem.COMMENT_FEED and signals.comment_feed_url and target.comment_count_hint != 0:
        return [await _get_or_gap(get, signals.comment_feed_url, feeds.ROLE)]
    return []


async def fetch_comment_pages(html: str, page_url: str, get: Get) -> list[RawResponse]:
    """The thread's other comment pages, newest first (WordPress shows the newest on the post by default)."""
    urls = comment_page_urls(html, page_url)[: MAX_COMMENT_PAGES - 1]
    return [await _get_or_gap(get, url, COMMENT_PAGE_ROLE) for url in urls]


async def _get_or_gap(get: Get, url: str, role: str) -> RawResponse:
    try:
        return await get(url, role)
    except FetchError as exc:
        return RawResponse(
            url=url, final_url=url, status=0, headers={"x-wirehouse-error": f"{exc.reason}: {exc.detail}"[:500]},
            body=b"", fetched_at=datetime.now(UTC), role=role,
        )
