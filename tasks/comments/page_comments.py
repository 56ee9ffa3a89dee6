"""The comments a page shows by itself: what the article parser found on it, or else the generic extractor's."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from schemas.pipeline import ParsedComment
from tasks.comments.base import ReadContext
from tasks.parse.generic.comments import extract_comments


def page_comments(context: ReadContext) -> list[ParsedComment]:
    """The comments the article parser found on the page, or else the generic extractor's.

    The extractor runs here only when the site selectors found a body but no WordPress list (when they found no
    body, the extractor already ran on the page and gave its comments). A "comment" whose text is part of the
    body is the extractor mistaking body markup: left out.
    """
    article = context.article
    if article.comments:
        return article.comments
    if context.page.response is None or article.parser == "generic":
        return []
    try:
        section = extract_comments(LexborHTMLParser(context.page.html))
    except Exception:  # the generic extractor must not cost the article
        return []
    body = " ".join(article.body_text.split())
    return [c for c in section.comments if c.text and " ".join(c.text.split()) not in body]
