"""WordPress REST comments: `/wp-json/wp/v2/comments?post=ID`, every page of it, newest first.

One implementation for ingest and refresh: the WordPress source kind fetches a post's pages with
`fetch_comment_pages` and reads them with `read_comment_pages` (it weighs the thread against the page's own
list); a refresh fetches and reads the same pages here.
"""

from __future__ import annotations

from collections.abc import Mapping

from schemas.errors import FetchError, ParseError
from schemas.pipeline import (
    CommentRead,
    FetchedThread,
    FetchFailure,
    ParsedArticle,
    RawResponse,
    ThreadTarget,
    Validators,
)
from schemas.source import Source
from tasks.comments.base import CommentSystem, ReadContext, SystemName
from tasks.comments.detect import PageSignals
from tasks.comments.wordpress_rest.bulk import bulk_comments_url, fetch_bulk_comments
from tasks.comments.wordpress_rest.pages import (
    ROLE,
    RestThread,
    comments_url,
    fetch_comment_pages,
    oldest_first,
    parse_wp_comments,
    read_comment_pages,
)
from tasks.fetch.fetcher import Fetcher

__all__ = ["ROLE", "RestThread", "WordPressRest", "bulk_comments_url", "comments_url", "fetch_bulk_comments",
           "fetch_comment_pages", "oldest_first", "parse_wp_comments", "read_comment_pages"]


class WordPressRest(CommentSystem):
    name = SystemName.WORDPRESS_REST

    def detect(self, signals: PageSignals, rest_fetched: bool) -> bool:
        return rest_fetched  # exact ids and parents; the source kind fetched the pages with the post

    def read(self, context: ReadContext) -> bool:
        if ROLE not in context.responses:
            return False
        # the source kind chose between the REST thread and the page's list and knows whether every page came
        context.article.comment_read = CommentRead(system=SystemName.WORDPRESS_REST)
        return True

    def rereads(self, source: Source, thread: ThreadTarget, api: str | None) -> bool:
        return (api == SystemName.WORDPRESS_REST and source.fetch_comments and thread.post_id is not None
                and thread.system in ("", SystemName.WORDPRESS_REST))

    def refresh_url(self, source: Source, thread: ThreadTarget) -> str:
        assert thread.post_id is not None
        return comments_url(source, thread.post_id, 1)

    async def refetch(
        self, source: Source, thread: ThreadTarget, fetcher: Fetcher, validators: Mapping[str, Validators]
    ) -> FetchedThread:
        """Every page of the thread; page 1 conditionally (newest first: any change shows there)."""
        assert thread.post_id is not None
        before = fetcher.retries

        async def get(url: str, role: str) -> RawResponse:
            stored = validators.get(url)
            return await fetcher.get(url, role=role, headers=stored.headers() if stored else None)

        try:
            responses = await fetch_comment_pages(source, thread.post_id, get, gap_on_first=False)
        except FetchError as exc:
            failure = FetchFailure(url=exc.url, reason=exc.reason, detail=exc.detail, status=exc.status)
            return FetchedThread(target=thread, failure=failure, retries=fetcher.retries - before)
        return FetchedThread(target=thread, responses=responses, not_modified=responses[0].status == 304,
                             retries=fetcher.retries - before)

    def reread(self, thread: ThreadTarget, responses: Mapping[str, list[RawResponse]]) -> ParsedArticle | None:
        if "article" in responses or ROLE not in responses:
            return None
        # read exactly as ingest reads the same pages, so positions among siblings stay the same
        rest = read_comment_pages(responses[ROLE], thread.post_id)
        assert rest is not None
        if rest.error:
            raise ParseError(f"comments: {rest.error}")  # recorded as the thread's failure; the stored one stands
        return ParsedArticle(url=thread.url, comments=rest.comments, comments_complete=rest.complete,
                             comment_read=CommentRead(system=SystemName.WORDPRESS_REST))
