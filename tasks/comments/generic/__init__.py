"""The generic extractor's comments: whatever looks like a comment section on a page no other system claims.

Comments found by shape alone may be missed or hidden behind a script, so such a read is never complete:
absence proves nothing, and nothing is marked deleted because of it.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from schemas.pipeline import CommentRead, ParsedComment
from tasks.comments.base import CommentSystem, ReadContext, SystemName
from tasks.comments.detect import PageSignals
from tasks.parse.generic.comments import extract_comments


class GenericComments(CommentSystem):
    name = SystemName.GENERIC

    def detect(self, signals: PageSignals, rest_fetched: bool) -> bool:
        return True  # the last resort

    def read(self, context: ReadContext) -> bool:
        comments = page_comments(context)
        context.article.comments = comments
        context.article.comments_complete = False
        context.article.comment_read = CommentRead(system=SystemName.GENERIC if comments else SystemName.NONE)
        return True


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
