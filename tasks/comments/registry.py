"""The comment systems, in the order they are tried: the one place that knows them all.

Adding a system is a package under tasks/comments/ with a `CommentSystem` and a line in SYSTEMS (and its name
in base.SystemName, which comment_sections.system stores).
"""

from __future__ import annotations

from collections.abc import Mapping

from schemas.pipeline import ParsedArticle, RawResponse, Target, ThreadTarget
from schemas.source import Source
from tasks.comments.base import CommentSystem, FetchContext, Get, Page, ReadContext, SystemName, article_page
from tasks.comments.comment_feed import CommentFeed
from tasks.comments.detect import PageSignals
from tasks.comments.disqus import Disqus
from tasks.comments.generic import GenericComments
from tasks.comments.wordpress_markup import WordPressMarkup
from tasks.comments.wordpress_rest import ROLE as REST_ROLE
from tasks.comments.wordpress_rest import WordPressRest
from tasks.fetch.fetcher import Fetcher

# A Disqus embed first (with it the site's own comments are empty or a stale copy); then the REST API when the
# source kind read it (exact ids and parents), the page's WordPress list, the post's comment feed when the page
# shows no list (comments drawn by script), and the generic extractor last.
SYSTEMS: tuple[CommentSystem, ...] = (Disqus(), WordPressRest(), WordPressMarkup(), CommentFeed(), GenericComments())


def choose_system(signals: PageSignals, rest_comments: bool) -> SystemName:
    """The one system the page's thread is read from."""
    return _detect(signals, rest_comments).name


async def fetch_comment_channels(
    source: Source, target: Target, responses: list[RawResponse], get: Get, fetcher: Fetcher
) -> list[RawResponse]:
    """Fetch time: the extra responses the page's comment system needs (none when the page holds the thread)."""
    response = article_page(responses)
    if response is None or not source.fetch_comments:
        return []
    page = Page.of(response)
    system = _detect(page.signals, rest_fetched=any(r.role == REST_ROLE for r in responses))
    return await system.fetch(FetchContext(source, target, page, get, fetcher))


def resolve_comments(
    article: ParsedArticle, responses: Mapping[str, list[RawResponse]], target: Target, source: Source
) -> None:
    """Parse time: set article.comments, comments_complete and comment_read from the fetched channels."""
    page = Page.of(article_page(list(responses.get("article", []))), fallback_url=target.url)
    context = ReadContext(article, responses, target, source, page)
    for system in SYSTEMS:
        if system.read(context):
            return


def refresher(source: Source, thread: ThreadTarget, api: str | None) -> CommentSystem | None:
    """Refresh: the system that re-reads the thread by itself, or None (the page is read again as at ingest)."""
    return next((system for system in SYSTEMS if system.rereads(source, thread, api)), None)


def reread(thread: ThreadTarget, responses: Mapping[str, list[RawResponse]]) -> ParsedArticle | None:
    """Refresh: the thread from responses one system fetched alone; None when they are a page's."""
    return next((parsed for system in SYSTEMS if (parsed := system.reread(thread, responses)) is not None), None)


def _detect(signals: PageSignals, rest_fetched: bool) -> CommentSystem:
    return next(system for system in SYSTEMS if system.detect(signals, rest_fetched))
