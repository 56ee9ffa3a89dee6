"""Discovery channels on Antiwar.com's real feeds and WordPress's real REST output."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from schemas.errors import FeedError, RestFormatError
from tasks.normalize.urls import canonical_url
from tasks.parse.wordpress_json import total_pages
from tasks.sources.feed.feeds import parse_feed
from tasks.sources.windows import backfill_chunks, nightly_window
from tasks.sources.wordpress.rest import parse_listing


def test_real_news_feed(shared: Path) -> None:
    entries = parse_feed((shared / "data/antiwar/feed-news.xml").read_bytes())
    assert len(entries) == 10
    first = entries[0]
    assert first.post_id == 173167
    assert first.url == "https://news.antiwar.com/2026/06/12/us-iran-offer-differing-outlines-for-peace-deal/"
    assert "utm_" not in "".join(e.url for e in entries)
    assert first.bylines == ["Kyle Anzalone"]
    assert first.published_at == datetime(2026, 6, 12, 18, 11, 32, tzinfo=UTC)
    assert first.comment_count == 0


def test_real_blog_feed_keeps_the_human_byline(shared: Path) -> None:
    entries = parse_feed((shared / "data/antiwar/feed-blog.xml").read_bytes())
    assert ["Ron Paul and Daniel McAdams"] in [e.bylines for e in entries]
    assert all(e.post_id for e in entries)


def test_garbage_is_not_a_feed() -> None:
    with pytest.raises(FeedError):
        parse_feed(b"\x00\xff<<<not xml at all")


def test_real_rest_listing(shared: Path) -> None:
    folder = shared / "data/wordpress/twentytwentyone"
    posts = parse_listing((folder / "01-posts-embed.json").read_bytes())
    assert len(posts) == 10
    assert posts[0].post_id == 23
    assert posts[0].published_at == datetime(2026, 10, 19, 15, 0, tzinfo=UTC)  # date_gmt, not local date
    headers = dict(
        line.split(": ", 1)
        for line in (folder / "01-posts-embed.json.headers").read_text().splitlines()[1:]
        if ": " in line
    )
    assert total_pages({k.lower(): v for k, v in headers.items()}) == 2


def test_rest_error_bodies_are_format_errors() -> None:
    with pytest.raises(RestFormatError):
        parse_listing(b'{"code":"rest_forbidden","message":"Sorry","data":{"status":401}}')
    with pytest.raises(RestFormatError):
        parse_listing(b"<html>maintenance</html>")


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "https://News.Antiwar.com/2026/06/12/x/?utm_source=rss&utm_medium=rss#respond",
            "https://news.antiwar.com/2026/06/12/x/",
        ),
        (
            "https://original.antiwar.com/Antiwar_Staff/2019/06/27/x/",
            "https://original.antiwar.com/Antiwar_Staff/2019/06/27/x/",
        ),
        ("http://example.com:80/a?id=3&fbclid=abc", "http://example.com/a?id=3"),
        ("https://example.com", "https://example.com/"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_nightly_window_overlaps_the_watermark() -> None:
    now = datetime(2026, 7, 3, tzinfo=UTC)
    first = nightly_window(None, now, first_run_lookback_days=2, overlap_hours=6)
    assert first.start == datetime(2026, 7, 1, tzinfo=UTC) and first.end == now
    later = nightly_window(datetime(2026, 7, 2, 12, tzinfo=UTC), now, 2, 6)
    assert later.start == datetime(2026, 7, 2, 6, tzinfo=UTC)


def test_backfill_chunks_cover_the_range_exactly() -> None:
    days = backfill_chunks(date(2026, 6, 29), date(2026, 7, 2), "day")
    assert len(days) == 4
    assert days[0].start == datetime(2026, 6, 29, tzinfo=UTC) and days[-1].end == datetime(2026, 7, 3, tzinfo=UTC)
    months = backfill_chunks(date(2026, 1, 15), date(2026, 3, 2), "month")
    assert [(m.start.date(), m.end.date()) for m in months] == [
        (date(2026, 1, 15), date(2026, 2, 1)),
        (date(2026, 2, 1), date(2026, 3, 1)),
        (date(2026, 3, 1), date(2026, 3, 3)),
    ]
    with pytest.raises(ValueError):
        backfill_chunks(date(2026, 3, 2), date(2026, 3, 1), "day")
