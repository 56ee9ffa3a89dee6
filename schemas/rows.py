"""Normalized rows: what warehouse/ loads. Field names equal column names."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

# How an article's content reached us, strongest first: the site's REST API, its article page (site-specific or
# generic parser), its feed. The loader lets a stronger channel's stored values stand against a weaker one.
ArticleChannel = Literal["rest", "page", "feed"]


class AuthorRow(BaseModel):
    author_id: str  # stable slug of the display name, e.g. "jason-ditz", "antiwar-staff"
    display_name: str
    bio: str | None = None
    kind: Literal["person", "organization"] = "person"  # organization: a staff/desk byline, an agency, the site


class AuthorAliasRow(BaseModel):
    alias: str  # lowercased form as seen ("jason", "paul mcadams", "jason ditz")
    author_id: str
    position: int = 0  # an alias of a shared account ("Paul McAdams") can stand for several people


class ArticleAuthorRow(BaseModel):
    article_id: str
    author_id: str
    position: int


class ArticleRow(BaseModel):
    article_id: str
    source: str
    post_id: int | None
    url: str
    title: str
    deck: str | None
    published_at: datetime | None
    modified_at: datetime | None
    body_text: str
    body_html: str
    word_count: int
    content_hash: str
    categories: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    comment_count_hint: int | None = None
    parser: str = ""
    fetched_at: datetime
    # the note that says the article was first published elsewhere, moved out of the body
    reprinted_from: str | None = None  # the publication it names: "Bracing Views"
    reprinted_from_url: str | None = None  # the note's link to it
    reprint_note: str | None = None  # the note as printed


class CommentRow(BaseModel):
    comment_id: str
    article_id: str
    site_comment_id: str
    parent_id: str | None
    depth: int  # 0 for a top-level comment
    position: int  # order among its siblings, from 0
    author_name: str
    posted_at: datetime | None
    text: str
    html: str
    content_hash: str
    commenter_id: str | None = None  # commenters.commenter_id; None for an unnamed commenter


class CommentSectionRow(BaseModel):
    """How one article's comment thread was last read; only a complete read may mark comments deleted."""

    article_id: str
    system: str  # "wordpress_rest", "wordpress", "comment_feed", "disqus", "generic", "none"
    fetched: bool  # False when comments exist but were not read (Disqus without an API key)
    complete: bool  # every comment of the thread was read: a stored comment absent from it was deleted
    note: str = ""
    thread_ref: str = ""


class CommentThreadRows(BaseModel):
    """One article's thread as a refresh read it: what warehouse.comments loads without the article."""

    article_id: str
    comments: list[CommentRow]
    section: CommentSectionRow


class NormalizedArticle(BaseModel):
    """Everything one article contributes to the warehouse."""

    article: ArticleRow
    authors: list[AuthorRow]
    aliases: list[AuthorAliasRow]
    article_authors: list[ArticleAuthorRow]
    comments: list[CommentRow]
    comments_complete: bool = True
    # None: nobody vouched for the comment list, so nothing is marked deleted (tasks.comments.sections sets it)
    comment_section: CommentSectionRow | None = None
    # The channel the title and body came through; None: the loader derives it from article.parser
    # (wordpress_rest -> rest, feed -> feed, any other parser -> page).
    channel: ArticleChannel | None = None


class StoredArticleFacts(BaseModel):
    """What the warehouse holds about an article, for checks before a write (warehouse.queries.stored_article_facts)."""

    article_id: str
    post_id: int | None
    url: str
    title: str
    word_count: int
    content_hash: str
    published_at: datetime | None
    modified_at: datetime | None
    parser: str
    channel: str | None  # channel of the stored body (articles.field_channels.body)
    field_channels: dict[str, str | None]  # field -> channel that supplied its stored value; None when empty
