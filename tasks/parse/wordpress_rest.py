"""WordPress REST JSON (a post with `_embed`, comment pages) -> ParsedArticle."""

from __future__ import annotations

import html as html_lib
import json
from typing import Any

from schemas import ParsedArticle, ParsedComment
from schemas.errors import RestFormatError
from tasks.discover.wordpress_rest import parse_gmt
from tasks.normalize.bodies import html_to_text


def parse_wp_post(body: bytes) -> ParsedArticle:
    try:
        post = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RestFormatError(f"invalid JSON: {exc}") from None
    if not isinstance(post, dict) or not isinstance(post.get("id"), int):
        raise RestFormatError("JSON is not a WordPress post object (no integer id)")

    embedded: dict[str, Any] = post.get("_embedded") or {}
    users = [u for u in embedded.get("author") or [] if isinstance(u, dict) and u.get("name")]
    terms = [
        t for group in embedded.get("wp:term") or [] if isinstance(group, list) for t in group if isinstance(t, dict)
    ]
    # Co-Authors Plus publishes its bylines as terms of the `author` taxonomy, in byline order.
    coauthors = [_text(t.get("name")) for t in terms if t.get("taxonomy") == "author" and t.get("name")]

    content = _rendered(post.get("content"))
    return ParsedArticle(
        url=str(post.get("link") or ""),
        post_id=post["id"],
        title=_text(_rendered(post.get("title"))),
        bylines=coauthors,
        # a user's description is HTML (a bio may link the site it names); the warehouse keeps its text
        author_bios={_text(u["name"]): _plain(u.get("description")) for u in users if u.get("description")},
        author_slugs={_text(u["name"]): str(u.get("slug") or "") for u in users},
        published_at=parse_gmt(post.get("date_gmt")),
        modified_at=parse_gmt(post.get("modified_gmt")),
        body_html=content,
        body_text=html_to_text(content),
        categories=[_text(t["name"]) for t in terms if t.get("taxonomy") == "category" and t.get("name")],
        tags=[_text(t["name"]) for t in terms if t.get("taxonomy") == "post_tag" and t.get("name")],
        parser="wordpress_rest",
    )


def parse_wp_comments(body: bytes) -> list[ParsedComment]:
    try:
        items = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RestFormatError(f"invalid comments JSON: {exc}") from None
    if not isinstance(items, list):
        raise RestFormatError("comments JSON is not a list")
    comments = []
    for item in items:
        if not isinstance(item, dict) or "id" not in item:
            continue
        if item.get("status", "approved") != "approved" or item.get("type", "comment") != "comment":
            continue  # pending, spam, pingbacks: never ingested
        html = _rendered(item.get("content"))
        parent = item.get("parent") or 0
        comments.append(
            ParsedComment(
                site_id=str(item["id"]),
                parent_site_id=str(parent) if parent else None,
                author=_text(item.get("author_name") or ""),
                posted_at=parse_gmt(item.get("date_gmt")),
                text=html_to_text(html),
                html=html,
            )
        )
    return oldest_first(comments)


def oldest_first(comments: list[ParsedComment]) -> list[ParsedComment]:
    """The API pages newest first by default; threads read oldest first, as WordPress prints them.

    Sort the whole thread, not page by page: a thread of several pages fetched newest first would
    otherwise read its oldest page last."""
    return sorted(comments, key=lambda c: (c.posted_at is None, c.posted_at or 0, _numeric(c.site_id)))


def _numeric(site_id: str) -> int:
    return int(site_id) if site_id.isdigit() else 0


def _rendered(field: object) -> str:
    if isinstance(field, dict):
        return str(field.get("rendered") or "")
    return str(field or "")


def _plain(html: object) -> str:
    return " ".join(html_to_text(str(html)).split())


def _text(value: object) -> str:
    return " ".join(html_lib.unescape(str(value)).split())
