"""Comment threads: stable ids, parent links, depth and sibling position exactly as on the page."""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import UTC

from schemas import CommentRow, ParsedComment
from tasks.normalize.bodies import content_hash, html_to_text, normalize_text, sanitize_html
from tasks.normalize.people import person_key


def comment_id_for(article_id: str, site_comment_id: str) -> str:
    return hashlib.sha256(f"{article_id}#{site_comment_id}".encode()).hexdigest()[:20]


def commenter_id_for(author: str) -> str | None:
    """A commenter's key, normalized like an author's ("Marc A. Scaringi" and "Marc Scaringi" are one) but kept
    for names person_key would empty (non-Latin scripts, one-letter names); None for an unnamed comment."""
    name = " ".join(unicodedata.normalize("NFKC", author).split())
    if not name:
        return None
    key = person_key(name) or name.casefold()
    return key.replace(" ", "-")


def normalize_comments(article_id: str, parsed: list[ParsedComment]) -> list[CommentRow]:
    """Rows in page order. A parent that is not in the list (deleted, or on a page we lack) makes the
    comment top-level rather than dropping it: its text is never lost."""
    seen: set[str] = set()
    unique = []
    for comment in parsed:
        if comment.site_id and comment.site_id not in seen:
            seen.add(comment.site_id)
            unique.append(comment)

    depth: dict[str, int] = {}
    sibling_count: dict[str | None, int] = {}
    rows: list[CommentRow] = []
    for comment in _parents_first(unique):
        # parents come first (see _parents_first); one still unknown here is missing or in a cycle
        parent = comment.parent_site_id if comment.parent_site_id in depth else None
        depth[comment.site_id] = 0 if parent is None else depth[parent] + 1
        position = sibling_count.get(parent, 0)
        sibling_count[parent] = position + 1
        html = sanitize_html(comment.html) if comment.html else ""
        text = normalize_text(comment.text) if comment.text else normalize_text(html_to_text(html))
        posted_at = comment.posted_at
        if posted_at is not None:
            posted_at = posted_at.replace(tzinfo=UTC) if posted_at.tzinfo is None else posted_at.astimezone(UTC)
        author = " ".join(comment.author.split())
        rows.append(
            CommentRow(
                comment_id=comment_id_for(article_id, comment.site_id),
                article_id=article_id,
                site_comment_id=comment.site_id,
                parent_id=comment_id_for(article_id, parent) if parent is not None else None,
                depth=depth[comment.site_id],
                position=position,
                author_name=author,
                posted_at=posted_at,
                text=text,
                html=html,
                content_hash=content_hash(author, text),
                commenter_id=commenter_id_for(author),
            )
        )
    return rows


def _parents_first(comments: list[ParsedComment]) -> list[ParsedComment]:
    """Page order, except that a reply listed before its parent (REST pages) waits for the parent."""
    ids = {c.site_id for c in comments}
    placed: set[str] = set()
    ordered: list[ParsedComment] = []
    pending = list(comments)
    while pending:
        remaining = []
        for comment in pending:
            parent = comment.parent_site_id
            if parent is None or parent not in ids or parent in placed:
                ordered.append(comment)
                placed.add(comment.site_id)
            else:
                remaining.append(comment)
        if len(remaining) == len(pending):  # a cycle: break it rather than loop forever
            ordered.extend(remaining)
            break
        pending = remaining
    return ordered
