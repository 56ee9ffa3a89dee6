"""The WordPress REST API: post listings by date window, single posts, comment pages."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from schemas import DiscoveryWindow, Source
from schemas.errors import RestFormatError
from tasks.normalize.urls import canonical_url

PER_PAGE = 100  # the REST API's maximum: fewest requests per window


@dataclass
class ListedPost:
    post_id: int
    url: str
    published_at: datetime | None


def listing_url(source: Source, window: DiscoveryWindow, page: int) -> str:
    query = {
        "after": _iso(window.start),
        "before": _iso(window.end),
        "per_page": PER_PAGE,
        "page": page,
        "orderby": "date",
        "order": "asc",
        "_fields": "id,link,date_gmt",
        "dates_are_gmt": "true",  # WordPress 5.7+: after/before in UTC, not the site zone
    }
    return f"{source.rest_root()}wp/v2/posts?{urlencode(query)}"


def post_url(source: Source, post_id: int) -> str:
    return f"{source.rest_root()}wp/v2/posts/{post_id}?_embed=1"


def comments_url(source: Source, post_id: int, page: int) -> str:
    query = {"post": post_id, "per_page": PER_PAGE, "page": page, "order": "desc", "orderby": "date_gmt"}
    return f"{source.rest_root()}wp/v2/comments?{urlencode(query)}"


def total_pages(headers: dict[str, str]) -> int:
    try:
        return max(1, int(headers.get("x-wp-totalpages", "1")))
    except ValueError:
        return 1


def parse_listing(body: bytes) -> list[ListedPost]:
    items = load_json_list(body)
    posts = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("id"), int) or not item.get("link"):
            continue
        posts.append(ListedPost(item["id"], canonical_url(item["link"]), parse_gmt(item.get("date_gmt"))))
    return posts


def load_json_list(body: bytes) -> list[object]:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RestFormatError(f"invalid JSON from REST API: {exc}") from None
    if not isinstance(data, list):
        raise RestFormatError(f"REST API returned {type(data).__name__}, expected a list")
    return data


def parse_gmt(value: object) -> datetime | None:
    """WordPress `date_gmt` has no zone marker; it is UTC."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
