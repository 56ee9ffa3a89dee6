"""Contracts between the stages: discover -> fetch -> parse -> normalize.

Each stage reads the previous stage's model and returns the next one; nothing reaches back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from schemas.parse_report import ParseReport
from schemas.report import FailureRecord


class TargetKind(StrEnum):
    """What a target points at, which decides how it is fetched and parsed."""

    WP_POST = "wp_post"  # a WordPress REST post (GET posts/ID?_embed, then comments?post=ID pages)
    HTML_ARTICLE = "html_article"  # an article page in HTML (comments from its markup)


class Target(BaseModel):
    """Something to fetch, and why: produced by discover."""

    model_config = ConfigDict(frozen=True)

    source: str
    kind: TargetKind = TargetKind.HTML_ARTICLE  # a source kind may plan other requests for its own targets
    url: str  # canonical article URL (no utm_*, no fragment)
    post_id: int | None = None
    # Bylines and hints that the discovery channel itself carries (feed dc:creator, REST listing).
    channel: str = ""  # "rest", "feed", "archive"
    channel_bylines: list[str] = Field(default_factory=list)
    channel_published_at: datetime | None = None
    comment_count_hint: int | None = None  # e.g. the feed's slash:comments
    discovered_at: datetime


class RawResponse(BaseModel):
    """One HTTP response as fetched; also exactly what raw_responses stores."""

    url: str  # the URL requested
    final_url: str  # after redirects
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime
    elapsed_ms: float = 0.0
    role: str = "article"  # "article", "comments", "listing", "feed"


class DiscoveryWindow(BaseModel):
    """Publication times to discover: start inclusive, end exclusive, both UTC."""

    start: datetime
    end: datetime


class FetchFailure(BaseModel):
    """Why a target could not be fetched; recorded, never raised out of a batch."""

    url: str
    reason: str  # short machine-readable class: "http_500", "timeout", "robots", "too_large", ...
    detail: str = ""
    status: int | None = None
    role: str = ""  # what was asked for ("feed", "listing", "archive", "sitemap", …): names a discovery channel


class Validators(BaseModel):
    """What a server said about a URL's last version, sent back for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


class FetchedTarget(BaseModel):
    """A target with every response fetched for it (the article, then comment pages)."""

    target: Target
    responses: list[RawResponse] = Field(default_factory=list)
    failure: FetchFailure | None = None
    not_modified: bool = False  # every response was a 304: nothing to parse or write
    retries: int = 0

    @property
    def ok(self) -> bool:
        return self.failure is None and bool(self.responses) and not self.not_modified


class ParsedComment(BaseModel):
    """A comment as found on the page or in the API, still raw."""

    site_id: str  # the site's own id ("5" from id="comment-5"), or a position-based one
    parent_site_id: str | None = None
    author: str = ""
    posted_at: datetime | None = None
    text: str = ""
    html: str = ""


class CommentRead(BaseModel):
    """How an article's comments were read: which comment system, and whether the thread is whole."""

    system: str = ""  # "wordpress_rest", "wordpress", "comment_feed", "disqus", "generic", "none"
    fetched: bool = True  # False when the page shows comments that were not read (Disqus without an API key)
    note: str = ""  # why the comments were not fetched, or not completely
    error: str = ""  # a comment channel failed (e.g. the Disqus API refused the key): said in the run report
    thread_ref: str = ""  # how the system finds this thread again (Disqus thread key, comment feed URL)


class ReprintNote(BaseModel):
    """A body's note that the article was first published elsewhere ("Reprinted from Bracing Views with the
    author's permission."), taken out of the body."""

    source: str = ""  # the publication named ("Bracing Views"); empty when the note names none
    url: str = ""  # where the note links it
    note: str  # the note as printed


class ParsedArticle(BaseModel):
    """What a parser reads off a page or API response: strings, not yet normalized."""

    url: str
    post_id: int | None = None
    title: str = ""
    deck: str = ""
    bylines: list[str] = Field(default_factory=list)  # raw byline strings, in order
    author_bios: dict[str, str] = Field(default_factory=dict)  # raw author name -> bio line
    author_slugs: dict[str, str] = Field(default_factory=dict)  # raw author name -> site user slug
    published_at: datetime | None = None
    modified_at: datetime | None = None
    body_html: str = ""
    body_text: str = ""
    categories: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    comments: list[ParsedComment] = Field(default_factory=list)
    comments_complete: bool = True  # False when a comment page failed or was not fetched
    comment_read: CommentRead = Field(default_factory=CommentRead)  # set by tasks.comments.registry
    language: str | None = None
    parser: str = ""  # which parser produced this ("wordpress_rest", "site_html", "generic")
    reprint: ReprintNote | None = None  # the body's reprint/syndication note, taken out of the body
    parse_report: ParseReport = Field(default_factory=ParseReport)  # selectors tried, body's origin (source health)


@dataclass
class ParsedBatch:
    """What the parse stage made of a batch: each readable target with its parse, a failure record for the rest."""

    parsed: list[tuple[FetchedTarget, ParsedArticle]] = field(default_factory=list)
    failures: list[FailureRecord] = field(default_factory=list)


class ThreadTarget(BaseModel):
    """A loaded article whose comment thread a refresh reads again: produced from the warehouse."""

    model_config = ConfigDict(frozen=True)

    article_id: str
    source: str
    url: str
    post_id: int | None = None
    comment_count_hint: int | None = None
    system: str = ""  # how the thread was read last (comment_sections.system); "" when never recorded
    fetched: bool = True
    thread_ref: str = ""


class FetchedThread(BaseModel):
    """A thread target with every response fetched for it; `not_modified` when the site says nothing changed."""

    target: ThreadTarget
    responses: list[RawResponse] = Field(default_factory=list)
    failure: FetchFailure | None = None
    not_modified: bool = False
    retries: int = 0


class Discovery(BaseModel):
    """What discover found for one source and window."""

    source: str
    targets: list[Target] = Field(default_factory=list)
    responses: list[RawResponse] = Field(default_factory=list)  # listings and feeds, kept raw like pages
    failures: list[FetchFailure] = Field(default_factory=list)
    # Pages listed without any date (a sitemap entry with no lastmod, news date or dated address): no window can
    # claim them, so a run takes those the warehouse has never fetched, whatever its window.
    undated: list[Target] = Field(default_factory=list)
    # False when the listings could not be read whole (a sitemap failed or was cut at a limit): the window must not
    # count as done (no watermark advance, no finished backfill chunk), so a later run reads it again.
    complete: bool = True
