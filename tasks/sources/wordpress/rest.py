"""The WordPress REST API as the WordPress kind reads it: post listings by date window, single posts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from schemas import DiscoveryWindow, Source
from tasks.normalize.urls import canonical_url
from tasks.parse.wordpress_json import PER_PAGE, load_json_list, parse_gmt


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


def parse_listing(body: bytes) -> list[ListedPost]:
    items = load_json_list(body)
    posts = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("id"), int) or not item.get("link"):
            continue
        posts.append(ListedPost(item["id"], canonical_url(item["link"]), parse_gmt(item.get("date_gmt"))))
    return posts


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
