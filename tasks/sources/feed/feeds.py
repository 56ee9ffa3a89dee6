"""RSS/Atom feeds as a discovery channel (feedparser: lexbor mangles RSS <link>)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

import feedparser

from schemas.errors import FeedError
from tasks.normalize.urls import canonical_url

_POST_ID_IN_GUID = re.compile(r"[?&]p=(\d+)")


@dataclass
class FeedEntry:
    url: str
    post_id: int | None
    bylines: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    comment_count: int | None = None
    title: str = ""


def parse_feed(body: bytes) -> list[FeedEntry]:
    parsed = feedparser.parse(body)
    entries: list[FeedEntry] = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        entries.append(
            FeedEntry(
                url=canonical_url(link),
                post_id=_post_id(entry),
                bylines=[a["name"] for a in entry.get("authors", []) if a.get("name")],
                published_at=_published(entry),
                comment_count=_int_or_none(entry.get("slash_comments")),
                title=entry.get("title", ""),
            )
        )
    if parsed.bozo and not entries:
        # feedparser reads what it can of broken XML; a broken feed with nothing usable is an error
        raise FeedError(f"not a readable feed: {parsed.get('bozo_exception')!s:.200}")
    return entries


def _post_id(entry: feedparser.FeedParserDict) -> int | None:
    explicit = _int_or_none(entry.get("post-id"))
    if explicit is not None:
        return explicit
    match = _POST_ID_IN_GUID.search(entry.get("id", "") or "")
    return int(match.group(1)) if match else None


def _published(entry: feedparser.FeedParserDict) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None
