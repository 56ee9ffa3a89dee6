"""WordPress REST JSON conventions, shared by the WordPress source kind and the REST comment system."""

from __future__ import annotations

import html as html_lib
import json
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from schemas.errors import RestFormatError

PER_PAGE = 100  # the REST API's maximum: fewest requests per window or thread


def parse_gmt(value: object) -> datetime | None:
    """WordPress `date_gmt` has no zone marker; it is UTC."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def total_pages(headers: dict[str, str]) -> int:
    try:
        return max(1, int(headers.get("x-wp-totalpages", "1")))
    except ValueError:
        return 1


def load_json_list(body: bytes) -> list[object]:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RestFormatError(f"invalid JSON from REST API: {exc}") from None
    if not isinstance(data, list):
        raise RestFormatError(f"REST API returned {type(data).__name__}, expected a list")
    return data


def rendered(field: object) -> str:
    """A `{"rendered": ...}` field's HTML (or the field itself when it is a plain value)."""
    if isinstance(field, dict):
        return str(field.get("rendered") or "")
    return str(field or "")


def plain_text(value: object) -> str:
    """An entity-escaped title or name as one line of text."""
    return " ".join(html_lib.unescape(str(value)).split())


def foreign_comments(url: str, body: bytes) -> list[tuple[object, int]]:
    """(comment id, post id) of the comments on a REST comment page that name a post its URL did not ask for
    (`?post=1` or `?post=1,2`): another thread's answer served under this one's address."""
    asked = {int(v) for value in parse_qs(urlsplit(url).query).get("post", []) for v in value.split(",")
             if v.strip().isdigit()}
    try:
        items = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return []
    if not asked or not isinstance(items, list):
        return []
    return [(item.get("id"), item["post"]) for item in items
            if isinstance(item, dict) and isinstance(item.get("post"), int) and item["post"] not in asked]
