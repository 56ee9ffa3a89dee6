"""A post's own comment feed (the site feed's wfw:commentRss): read when the page shows no thread of its own
(comments drawn by script), and kept when it holds more comments than the page does."""

from __future__ import annotations

from schemas.errors import FeedError
from schemas.pipeline import CommentRead, ParsedComment, RawResponse
from tasks.comments.base import CommentSystem, FetchContext, ReadContext, SystemName
from tasks.comments.comment_feed.feeds import parse_comment_feed
from tasks.comments.detect import PageSignals
from tasks.comments.gaps import get_or_gap
from tasks.comments.page_comments import page_comments

ROLE = "comment_feed"


class CommentFeed(CommentSystem):
    name = SystemName.COMMENT_FEED

    def detect(self, signals: PageSignals, rest_fetched: bool) -> bool:
        return bool(signals.comment_feed_url)

    async def fetch(self, context: FetchContext) -> list[RawResponse]:
        feed_url = context.page.signals.comment_feed_url
        if not feed_url or context.target.comment_count_hint == 0:
            return []
        return [await get_or_gap(context.get, feed_url, ROLE)]

    def read(self, context: ReadContext) -> bool:
        comments, feed_url, whole = _feed_comments(context.responses.get(ROLE, []))
        if not comments or len(comments) <= len(page_comments(context)):
            return False
        article = context.article
        article.comments = comments
        # the feed holds only the newest comments: whole only when it holds as many as the site counts
        article.comments_complete = whole and context.target.comment_count_hint == len(comments)
        article.comment_read = CommentRead(
            system=SystemName.COMMENT_FEED, thread_ref=feed_url,
            note="" if article.comments_complete else "comment feed holds only the newest comments",
        )
        return True


def _feed_comments(responses: list[RawResponse]) -> tuple[list[ParsedComment], str, bool]:
    for response in responses:
        if response.status != 200:
            return [], response.url, False
        try:
            return parse_comment_feed(response.body), response.url, True
        except FeedError:
            return [], response.url, False
    return [], "", False
