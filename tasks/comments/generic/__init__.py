"""The generic extractor's comments: whatever looks like a comment section on a page no other system claims.

Comments found by shape alone may be missed or hidden behind a script, so such a read is never complete:
absence proves nothing, and nothing is marked deleted because of it.
"""

from __future__ import annotations

from schemas.pipeline import CommentRead
from tasks.comments.base import CommentSystem, ReadContext, SystemName
from tasks.comments.detect import PageSignals
from tasks.comments.page_comments import page_comments


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
