"""The REST comment pages of a post: their URLs, fetching every page, reading them into one thread."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from schemas.errors import FetchError, RestFormatError
from schemas.pipeline import ParsedComment, RawResponse
from schemas.source import Source
from tasks.comments.gaps import gap_response
from tasks.normalize.bodies import html_to_text
from tasks.parse.wordpress_json import PER_PAGE, parse_gmt, plain_text, rendered, total_pages

ROLE = "comments_json"
MAX_COMMENT_PAGES = 50  # 5,000 comments at 100 a page: beyond that a thread is not a comment section

Get = Callable[[str, str], Awaitable[RawResponse]]  # (url, role) -> response; raises FetchError


@dataclass
class RestThread:
    """The comments the REST comment pages gave, and whether every page was read."""

    comments: list[ParsedComment] = field(default_factory=list)
    complete: bool = True
    error: str | None = None  # a page answered 200 with something that is not a list of comments


def comments_url(source: Source, post_id: int, page: int) -> str:
    query = {"post": post_id, "per_page": PER_PAGE, "page": page, "order": "desc", "orderby": "date_gmt"}
    return f"{source.rest_root()}wp/v2/comments?{urlencode(query)}"


async def fetch_comment_pages(source: Source, post_id: int, get: Get, gap_on_first: bool = True) -> list[RawResponse]:
    """Every page of approved comments, newest first (so a new comment always changes page 1).

    An unchanged page 1 (304) means no comment was added: the later pages are not asked for. A page that fails
    ends the list with a status-0 gap response, and the thread is then known incomplete; with `gap_on_first`
    False a failing page 1 raises instead (a refresh then records the thread as failed).
    """
    pages: list[RawResponse] = []
    page, last = 1, 1
    while page <= min(last, MAX_COMMENT_PAGES):
        url = comments_url(source, post_id, page)
        try:
            response = await get(url, ROLE)
        except FetchError as exc:
            if page == 1 and not gap_on_first:
                raise
            pages.append(gap_response(url, ROLE, exc))
            break
        pages.append(response)
        if response.status == 304:
            break
        last = total_pages(response.headers)
        page += 1
    return pages


def read_comment_pages(pages: list[RawResponse], post_id: int | None = None) -> RestThread | None:
    """The thread from its REST comment pages, oldest first; None when comments were not fetched through REST.

    With `post_id`, only that post's comments: pages read in bulk (`post=1,2,3`) hold several posts' threads."""
    if not pages:
        return None
    thread = RestThread()
    seen: set[str] = set()
    for response in pages:
        if response.status != 200:
            thread.complete = False  # a gap, or a 304 whose body we do not have
            continue
        try:
            check_comment_page(response.body)
            items = _items_of_post(response.body, post_id)
        except RestFormatError as exc:
            # a 200 that is not the thread (an error object, one comment, null, noise, items without content)
            # says nothing about the thread: the caller refuses it rather than store what it would imply
            thread.complete = False
            thread.error = thread.error or f"{response.url}: {exc}"
            continue
        for comment in _comments_of(items):
            if comment.site_id not in seen:  # a page boundary shifted by a new comment repeats one
                seen.add(comment.site_id)
                thread.comments.append(comment)
    thread.comments = oldest_first(thread.comments)
    return thread


def parse_wp_comments(body: bytes) -> list[ParsedComment]:
    return oldest_first(_comments_of(load_comment_items(body)))


@lru_cache(maxsize=8)
def load_comment_items(body: bytes) -> tuple[Any, ...]:
    """A comment page's items; cached, as every post of a bulk page reads the same page (bytes hash once)."""
    try:
        items = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RestFormatError(f"invalid comments JSON: {exc}") from None
    if not isinstance(items, list):
        raise RestFormatError("comments JSON is not a list")
    return tuple(items)


def check_comment_page(body: bytes) -> None:
    """Raise RestFormatError unless the page is a list of comment objects (another post's comments are the
    gate's to judge: tasks/verify/gate.py)."""
    for item in load_comment_items(body):
        if not isinstance(item, dict) or not isinstance(item.get("id"), int):
            raise RestFormatError("comments JSON holds an item that is not a comment (no integer id)")
        if "content" not in item:
            raise RestFormatError(f"comment {item['id']} has no content")


def _items_of_post(body: bytes, post_id: int | None) -> tuple[Any, ...] | list[Any]:
    if post_id is None:
        return load_comment_items(body)
    # an item naming no post is kept, as a page of one post keeps it (bulk reads refuse such items)
    by_post = _items_by_post(body)
    return by_post.get(post_id, []) + by_post.get(None, [])


@lru_cache(maxsize=8)
def _items_by_post(body: bytes) -> dict[int | None, list[Any]]:
    by_post: dict[int | None, list[Any]] = {}
    for item in load_comment_items(body):
        post = item.get("post") if isinstance(item, dict) else None
        by_post.setdefault(post if isinstance(post, int) else None, []).append(item)
    return by_post


def _comments_of(items: tuple[Any, ...] | list[Any]) -> list[ParsedComment]:
    comments = []
    for item in items:
        if not isinstance(item, dict) or "id" not in item:
            continue
        if item.get("status", "approved") != "approved" or item.get("type", "comment") != "comment":
            continue  # pending, spam, pingbacks: never ingested
        html = rendered(item.get("content"))
        parent = item.get("parent") or 0
        comments.append(
            ParsedComment(
                site_id=str(item["id"]),
                parent_site_id=str(parent) if parent else None,
                author=plain_text(item.get("author_name") or ""),
                posted_at=parse_gmt(item.get("date_gmt")),
                text=html_to_text(html),
                html=html,
            )
        )
    return comments


def oldest_first(comments: list[ParsedComment]) -> list[ParsedComment]:
    """The API pages newest first by default; threads read oldest first, as WordPress prints them.

    Sort the whole thread, not page by page: a thread of several pages fetched newest first would
    otherwise read its oldest page last."""
    return sorted(comments, key=lambda c: (c.posted_at is None, c.posted_at or 0, _numeric(c.site_id)))


def _numeric(site_id: str) -> int:
    return int(site_id) if site_id.isdigit() else 0
