"""The one shape of a comment system: detect it on a page, fetch what it needs beyond the page, read the thread
from what was fetched, and re-read a loaded thread by itself when it can (refresh).

A system is a package under tasks/comments/ whose `__init__.py` holds a `CommentSystem`; registry.py lists
them in the order they are tried. What a system learns from the page is in `PageSignals` (detect.py): cheap
scans, no DOM parse, since fetch time asks too.
"""

from __future__ import annotations

from abc import ABC
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from schemas.pipeline import FetchedThread, ParsedArticle, RawResponse, Target, ThreadTarget, Validators
from schemas.source import Source
from tasks.comments.detect import PageSignals, page_signals
from tasks.fetch.fetcher import Fetcher
from tasks.parse.encoding import decode_html

Get = Callable[[str, str], Awaitable[RawResponse]]  # (url, role) -> response; raises FetchError
ARTICLE_ROLE = "article"


class SystemName(StrEnum):
    """How an article's comments were read; stored in comment_sections.system."""

    WORDPRESS_REST = "wordpress_rest"  # /wp-json/wp/v2/comments?post=ID, every page of it
    WORDPRESS = "wordpress"  # native markup on the page, plus its other comment pages
    COMMENT_FEED = "comment_feed"  # the post's own comment feed (the feed item's wfw:commentRss)
    DISQUS = "disqus"  # an embedded Disqus thread, read through the Disqus API
    GENERIC = "generic"  # whatever the generic extractor finds in the page
    NONE = "none"  # no comments found


@dataclass(frozen=True)
class Page:
    """The article page as the comment systems see it: the response, its text and what it shows."""

    response: RawResponse | None
    html: str
    url: str
    signals: PageSignals

    @classmethod
    def of(cls, response: RawResponse | None, fallback_url: str = "") -> Page:
        if response is None:
            return cls(None, "", fallback_url, PageSignals())
        html = decode_html(response.body, response.headers.get("content-type"))
        url = response.final_url or response.url
        return cls(response, html, url, page_signals(html, url))


@dataclass(frozen=True)
class FetchContext:
    """What a system's fetch may use: the source, the target, its page, and the target's fetch session."""

    source: Source
    target: Target
    page: Page
    get: Get  # the target's session: conditional headers, retries counted
    fetcher: Fetcher  # the batch's fetcher, for APIs that need their own rules


@dataclass
class ReadContext:
    """What a system's read may use: the article as its source kind read it, and every response by role."""

    article: ParsedArticle
    responses: Mapping[str, list[RawResponse]]
    target: Target
    source: Source
    page: Page


class CommentSystem(ABC):
    name: ClassVar[SystemName]

    def detect(self, signals: PageSignals, rest_fetched: bool) -> bool:
        """Fetch time: the page's thread is read from this system."""
        return False

    async def fetch(self, context: FetchContext) -> list[RawResponse]:
        """Fetch time: the responses this system needs beyond the page; never raises (a failure is a gap)."""
        return []

    def read(self, context: ReadContext) -> bool:
        """Parse time: set the article's comments, whether the read is complete, and how it was read, from the
        fetched responses; False when the thread was not read through this system."""
        return False

    def rereads(self, source: Source, thread: ThreadTarget, api: str | None) -> bool:
        """Refresh: this system re-reads the thread by itself (an API), not through the article page.
        `api` is the comment system the source's kind exposes through its own API, if any."""
        return False

    def refresh_url(self, source: Source, thread: ThreadTarget) -> str:
        """Refresh: the first request of a re-read, whose stored validators make it conditional."""
        return thread.url

    async def refetch(
        self, source: Source, thread: ThreadTarget, fetcher: Fetcher, validators: Mapping[str, Validators]
    ) -> FetchedThread:
        """Refresh: the thread's responses, fetched by this system alone."""
        raise NotImplementedError(f"{self.name} does not re-read threads by itself")

    def reread(self, thread: ThreadTarget, responses: Mapping[str, list[RawResponse]]) -> ParsedArticle | None:
        """Refresh: the thread read from responses this system fetched alone; None when they are not its own."""
        return None


def article_page(responses: list[RawResponse]) -> RawResponse | None:
    return next((r for r in responses if r.role == ARTICLE_ROLE and r.status == 200), None)
