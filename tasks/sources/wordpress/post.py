"""A WordPress REST post (`posts/ID?_embed=1`, or one item of `posts?include=...&_embed=...`) -> ParsedArticle."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from schemas import ParsedArticle
from schemas.errors import RestFormatError
from tasks.normalize.bodies import html_to_text
from tasks.parse.article_body import strip_credit_lines
from tasks.parse.wordpress_json import parse_gmt, plain_text, rendered


def parse_wp_post(body: bytes, post_id: int | None = None, single: bool = False) -> ParsedArticle:
    """The post `body` holds; a bulk body (a list) holds many, of which the one numbered `post_id`.

    `single`: the body answers `posts/ID`, which is one post object, never a list. WordPress renders `title` and
    `content` as `{"rendered": ...}` objects in every context; a post without them is another serializer's or a
    cut answer, not the post (RestFormatError: the stored article stands, the failure is recorded).
    """
    post = load_post_json(body)
    if isinstance(post, list) and single:
        raise RestFormatError("a list where the post object was asked for")
    if isinstance(post, list):
        post = next((p for p in post if isinstance(p, dict) and p.get("id") == post_id), None)
        if post is None:
            raise RestFormatError(f"post {post_id} is not in the bulk answer")
    if not isinstance(post, dict) or not isinstance(post.get("id"), int):
        raise RestFormatError("JSON is not a WordPress post object (no integer id)")
    if missing := missing_rendered(post):
        raise RestFormatError(f"post {post['id']} has no rendered {' or '.join(missing)}")

    embedded: dict[str, Any] = post.get("_embedded") or {}
    users = [u for u in embedded.get("author") or [] if isinstance(u, dict) and u.get("name")]
    terms = [
        t for group in embedded.get("wp:term") or [] if isinstance(group, list) for t in group if isinstance(t, dict)
    ]
    # Co-Authors Plus publishes its bylines as terms of the `author` taxonomy, in byline order.
    coauthors = [plain_text(t.get("name")) for t in terms if t.get("taxonomy") == "author" and t.get("name")]

    content = rendered(post.get("content"))
    names = [plain_text(u["name"]) for u in users]
    # the post's own byline, bio and reprint lines ("Reprinted from ...", a closing "Jane Doe is ...") leave it
    cleaned, credits = strip_credit_lines(content, [*coauthors, *names])
    content = content if cleaned is None else cleaned
    # a user's description is HTML (a bio may link the site it names); the warehouse keeps its text
    bios = {plain_text(u["name"]): _plain(u.get("description")) for u in users if u.get("description")}
    return ParsedArticle(
        url=str(post.get("link") or ""),
        post_id=post["id"],
        title=plain_text(rendered(post.get("title"))),
        bylines=list(dict.fromkeys([*coauthors, *credits.names])),
        author_bios={**bios, **credits.bios},  # the printed bio beats the account's description
        author_slugs={plain_text(u["name"]): str(u.get("slug") or "") for u in users},
        published_at=parse_gmt(post.get("date_gmt")),
        modified_at=parse_gmt(post.get("modified_gmt")),
        body_html=content,
        body_text=html_to_text(content),
        reprint=credits.reprint,
        categories=[plain_text(t["name"]) for t in terms if t.get("taxonomy") == "category" and t.get("name")],
        tags=[plain_text(t["name"]) for t in terms if t.get("taxonomy") == "post_tag" and t.get("name")],
        parser="wordpress_rest",
    )


@lru_cache(maxsize=4)
def load_post_json(body: bytes) -> Any:
    """The decoded body; cached, as every post of a bulk answer reads the same body (bytes hash once)."""
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RestFormatError(f"invalid JSON: {exc}") from None


def _plain(html: object) -> str:
    return " ".join(html_to_text(str(html)).split())


def missing_rendered(post: dict[str, Any]) -> list[str]:
    """Which of `title` and `content` the post lacks as WordPress renders them (`{"rendered": ...}`)."""
    return [key for key in ("title", "content") if not isinstance(post.get(key), dict) or "rendered" not in post[key]]


def is_whole_post(item: object) -> bool:
    """An item of a bulk answer the per-post parser accepts: an object with an integer id, title and content."""
    return isinstance(item, dict) and isinstance(item.get("id"), int) and not missing_rendered(item)
