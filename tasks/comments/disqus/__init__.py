"""Disqus: an embedded thread, read through the public API when the source has a forum and an API key
(`disqus:` in sources.yaml); without a key the thread is recorded as present but not fetched."""

from __future__ import annotations

from collections.abc import Mapping

from schemas.errors import DisqusApiError
from schemas.pipeline import (
    CommentRead,
    FetchedThread,
    ParsedArticle,
    ParsedComment,
    RawResponse,
    ThreadTarget,
    Validators,
)
from schemas.source import Source
from tasks.comments.base import CommentSystem, FetchContext, Page, ReadContext, SystemName
from tasks.comments.detect import PageSignals
from tasks.comments.disqus.api import ROLE, fetch_thread, parse_list_posts
from tasks.comments.disqus.settings import api_key
from tasks.comments.gaps import gap_message
from tasks.comments.unique import unique
from tasks.fetch.fetcher import Fetcher


class Disqus(CommentSystem):
    name = SystemName.DISQUS

    def detect(self, signals: PageSignals, rest_fetched: bool) -> bool:
        # a Disqus embed wins: with it the site's own comments (REST, markup) are empty or a stale copy
        return signals.disqus is not None

    async def fetch(self, context: FetchContext) -> list[RawResponse]:
        embed = context.page.signals.disqus
        assert embed is not None
        return await fetch_thread(context.source, embed.thread_ref(context.page.url), context.fetcher)

    def read(self, context: ReadContext) -> bool:
        pages = context.responses.get(ROLE, [])
        if pages:
            _read(context.article, pages, context.page)
            return True
        if context.page.signals.disqus is not None and not context.article.comments:
            _not_fetched(context.article, context.page, context.source)
            return True
        return False

    def rereads(self, source: Source, thread: ThreadTarget, api: str | None) -> bool:
        return thread.system == SystemName.DISQUS and bool(thread.thread_ref) and api_key(source.disqus) is not None

    async def refetch(
        self, source: Source, thread: ThreadTarget, fetcher: Fetcher, validators: Mapping[str, Validators]
    ) -> FetchedThread:
        before = fetcher.retries
        responses = await fetch_thread(source, thread.thread_ref, fetcher)
        return FetchedThread(target=thread, responses=responses, retries=fetcher.retries - before)

    def reread(self, thread: ThreadTarget, responses: Mapping[str, list[RawResponse]]) -> ParsedArticle | None:
        if "article" in responses or ROLE not in responses:
            return None
        comments, complete, error = read_pages(responses[ROLE])
        return ParsedArticle(url=thread.url, comments=comments, comments_complete=complete,
                             comment_read=_comment_read(comments, complete, error, thread.thread_ref))


def read_pages(pages: list[RawResponse]) -> tuple[list[ParsedComment], bool, str]:
    """(comments, every page read, the error that stopped the read or "")."""
    comments: list[ParsedComment] = []
    for response in pages:
        if response.status == 0:
            return comments, False, gap_message(response, "Disqus API page missing")
        try:
            comments.extend(parse_list_posts(response.body, response.status).comments)
        except DisqusApiError as exc:
            return comments, False, f"Disqus API answer unreadable: {exc.message}"
    return unique(comments), True, ""


def _comment_read(comments: list[ParsedComment], complete: bool, error: str, thread_ref: str) -> CommentRead:
    return CommentRead(system=SystemName.DISQUS, fetched=complete or bool(comments), error=error,
                       thread_ref=thread_ref, note="" if complete else "Disqus thread read in part")


def _read(article: ParsedArticle, pages: list[RawResponse], page: Page) -> None:
    comments, complete, error = read_pages(pages)
    ref = page.signals.disqus.thread_ref(page.url) if page.signals.disqus is not None else ""
    if comments or complete:
        article.comments = comments
    article.comments_complete = complete
    article.comment_read = _comment_read(comments, complete, error, ref)


def _not_fetched(article: ParsedArticle, page: Page, source: Source) -> None:
    """The page embeds Disqus but no API key is configured: the comments exist, and are recorded as not read."""
    embed = page.signals.disqus
    assert embed is not None
    forum = embed.forum or (source.disqus.forum if source.disqus else None)
    missing = "disqus.api_key" if source.disqus is not None else "disqus settings (forum, api_key)"
    article.comments_complete = False
    article.comment_read = CommentRead(
        system=SystemName.DISQUS, fetched=False, thread_ref=embed.thread_ref(page.url),
        note=f"Disqus thread (forum {forum or 'unknown'}) not fetched: source '{source.name}' sets no {missing}",
    )
