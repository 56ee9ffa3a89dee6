"""What the generic extractor reads off a page, as plain data.

Plain dataclasses, not the pipeline's pydantic models: `wirehouse extract` and the benchmark read pages
without importing pydantic at all, and building these costs a fraction of validating a model. The
package's `extract_article` turns them into the pipeline's `ParsedArticle`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from schemas.pipeline import ParsedComment


@dataclass(slots=True)
class ExtractedComment:
    site_id: str  # the site's own id ("5" from id="comment-5"), or a position-based one ("pos-3")
    parent_site_id: str | None
    author: str
    posted_at: datetime | None  # UTC
    text: str
    html: str


@dataclass(slots=True)
class ExtractedPage:
    """One page; `published` keeps the offset the page wrote (its calendar date is the page's)."""

    url: str = ""
    title: str = ""
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    # Which rule found the date: "url", "metadata", "markup", "date element", "headline", or "" for none.
    published_source: str = ""
    modified: datetime | None = None
    body_html: str = ""
    body_text: str = ""
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    comments: list[ExtractedComment] = field(default_factory=list)
    language: str | None = None


def to_parsed_comments(comments: list[ExtractedComment]) -> list[ParsedComment]:
    """The pipeline's models of the comments (pydantic is imported here, when the pipeline asks)."""
    from schemas.pipeline import ParsedComment

    return [
        ParsedComment(
            site_id=c.site_id, parent_site_id=c.parent_site_id, author=c.author, posted_at=c.posted_at,
            text=c.text, html=c.html,
        )
        for c in comments
    ]  # fmt: skip
