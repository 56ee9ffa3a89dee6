"""Parse a fetched target: the source kind reads the article, then the page's comment system its thread."""

from __future__ import annotations

from schemas import FetchedTarget, ParsedArticle, Source
from schemas.errors import ParseError
from tasks.comments.registry import resolve_comments
from tasks.sources.base import by_role
from tasks.sources.registry import kind_of


def parse_fetched(fetched: FetchedTarget, source: Source) -> ParsedArticle:
    article = kind_of(source).parse(fetched, source)
    if not article.title and not article.body_text:
        raise ParseError("page has neither a title nor a body")
    # the comment system the page uses decides which fetched channel holds the thread, and if it is whole
    resolve_comments(article, by_role(fetched.responses), fetched.target, source)
    return article
