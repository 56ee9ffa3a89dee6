"""Comment threads: stable ids, parent links, depth and sibling position exactly as on the page."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC

from schemas import CommentRow, ParsedComment
from tasks.normalize.bodies import content_hash, html_to_text, normalize_text, sanitize_html

_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]+")


def comment_id_for(article_id: str, site_comment_id: str) -> str:
    return hashlib.sha256(f"{article_id}#{site_comment_id}".encode()).hexdigest()[:20]


def commenter_id_for(author: str) -> str | None:
    """The commenter a name stands for: one id per distinct name as shown, the same on every article.

    Reader names are handles, not person names: "Old Navy Hand", "W. Becker" and "Ana R." are three people, not
    "old-hand", "becker" and "ana", so nothing is dropped or merged but runs of whitespace. The id is a readable
    slug of the name and 10 hex digits of the sha256 of the name ("old-navy-hand-1f0c…"; the digits alone for a
    name without Latin letters or digits). warehouse/migrations/007_content_facts.sql re-derives stored ids with
    the same rule in SQL. None for an unnamed comment."""
    name = " ".join(author.split())
    if not name:
        return None
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]
    slug = _ascii_slug(name)
    return f"{slug}-{digest}" if slug else digest


def _ascii_slug(name: str) -> str:
    """Latin letters and digits of a name, accents dropped, other runs as one '-', lowercased, at most 40 chars;
    as DuckDB's rtrim(left(trim(lower(regexp_replace(strip_accents(name), '[^A-Za-z0-9]+', '-', 'g')), '-'),
    40), '-')."""
    unmarked = "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.category(c).startswith("M"))
    return _NOT_ALNUM.sub("-", unmarked).strip("-").lower()[:40].rstrip("-")


def normalize_comments(article_id: str, parsed: list[ParsedComment], base_url: str | None = None) -> list[CommentRow]:
    """Rows in page order. A parent that is not in the list (deleted, or on a page we lack) makes the
    comment top-level rather than dropping it: its text is never lost. `base_url` is the article's page, against
    which relative links in comments are resolved."""
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
        html = sanitize_html(comment.html, base_url) if comment.html else ""
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
