"""A post's own comment feed (the site feed's wfw:commentRss): a fallback when the page shows no thread.

WordPress writes each comment as an item: the guid ends in `#comment-ID`, `dc:creator` is the name, and a
reply's content starts with a paragraph "In reply to <a href="…#comment-PARENT">Name</a>." (localized, hence
read by its shape: a short first paragraph whose only link points at another comment). The feed holds only
the newest comments (`posts_per_rss`, 10 by default), so it is complete only when it holds as many comments as
the site says the post has.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime

import feedparser
from selectolax.lexbor import LexborHTMLParser

from schemas.errors import FeedError
from schemas.pipeline import ParsedComment
from tasks.normalize.bodies import html_to_text

ROLE = "comment_feed"
_COMMENT_ID = re.compile(r"#comment-(\d+)\s*$")
_BY = re.compile(r"^\s*(?:by|von|par|por|di|door)\s*:\s*", re.I)
_REPLY_MARKER_MAX_CHARS = 40  # "In reply to", "Als Antwort auf", "En réponse à"


def parse_comment_feed(body: bytes) -> list[ParsedComment]:
    """The feed's comments, oldest first (feeds list newest first)."""
    parsed = feedparser.parse(body)
    if parsed.bozo and not parsed.entries:
        raise FeedError(f"not a readable comment feed: {parsed.get('bozo_exception')!s:.200}")
    comments: list[ParsedComment] = []
    for entry in parsed.entries:
        site_id = _comment_id(entry.get("id")) or _comment_id(entry.get("link"))
        if site_id is None:
            continue
        content = entry.get("content") or []
        html = str(content[0].get("value") or "") if content else str(entry.get("summary") or "")
        parent, html = _split_reply_marker(html)
        comments.append(
            ParsedComment(
                site_id=site_id,
                parent_site_id=parent,
                author=" ".join(str(entry.get("author") or _BY.sub("", entry.get("title") or "")).split()),
                posted_at=_published(entry),
                text=html_to_text(html),
                html=html,
            )
        )
    comments.sort(key=lambda c: (c.posted_at is None, c.posted_at or datetime.min.replace(tzinfo=UTC),
                                 int(c.site_id)))
    return comments


def _comment_id(value: object) -> str | None:
    match = _COMMENT_ID.search(str(value or ""))
    return match.group(1) if match else None


def _split_reply_marker(html: str) -> tuple[str | None, str]:
    """(parent comment id, the content without its "In reply to …" paragraph)."""
    if not html.strip():
        return None, html
    tree = LexborHTMLParser(f"<div id='wirehouse-feed-comment'>{html}</div>")
    container = tree.css_first("#wirehouse-feed-comment")
    first = container.css_first("p") if container is not None else None
    if container is None or first is None:
        return None, html
    links = first.css("a[href]")
    target = _comment_id(links[0].attributes.get("href")) if len(links) == 1 else None
    if target is None:
        return None, html
    # "In reply to <a>Name</a>.": a few words, then the link last; a commenter's own sentence that links
    # another comment ("see <a>Don's point</a> about…") is text, not a marker
    text, name = " ".join(first.text().split()), " ".join(links[0].text().split())
    lead = text.rstrip(" .:").removesuffix(name).strip()
    if not name or not text.rstrip(" .:").endswith(name) or len(lead) > _REPLY_MARKER_MAX_CHARS:
        return None, html
    first.decompose()
    return target, (container.inner_html or "").strip()


def _published(entry: feedparser.FeedParserDict) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC) if parsed else None
