"""Sitemap dates: W3C datetimes at every precision, the common deviations, and dates written into URLs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tasks.sources.sitemap.dates import (
    ZONE_SLACK,
    DateSpan,
    date_in_article_url,
    parse_w3c_datetime,
    period_of_sitemap,
)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, micro: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("2024-03-15T10:20:30+00:00", utc(2024, 3, 15, 10, 20, 30)),
        ("2024-03-15T10:20:30Z", utc(2024, 3, 15, 10, 20, 30)),
        ("2024-03-15T10:20:30.123456789-05:00", utc(2024, 3, 15, 15, 20, 30, 123456)),
        ("2024-03-15T10:20+01:00", utc(2024, 3, 15, 9, 20)),
        ("2024-03-15 10:20:30 +0200", utc(2024, 3, 15, 8, 20, 30)),
        ("2024-03-15T10:20:30 UTC", utc(2024, 3, 15, 10, 20, 30)),
        ("  2024-03-15T10:20:30z\n", utc(2024, 3, 15, 10, 20, 30)),
        ("Fri, 15 Mar 2024 10:20:30 GMT", utc(2024, 3, 15, 10, 20, 30)),
    ],
)
def test_a_datetime_with_a_zone_is_an_instant(text: str, instant: datetime) -> None:
    assert parse_w3c_datetime(text) == DateSpan.instant(instant)


def test_a_time_without_a_zone_spans_every_zone() -> None:
    span = parse_w3c_datetime("2024-03-15T10:20:30")
    assert span == DateSpan(utc(2024, 3, 15, 10, 20, 30) - ZONE_SLACK, utc(2024, 3, 15, 10, 20, 30) + ZONE_SLACK)
    assert span is not None and span.narrow


@pytest.mark.parametrize(
    ("text", "first", "after_last"),
    [
        ("2024-03-15", utc(2024, 3, 15), utc(2024, 3, 16)),
        ("2024-3-5", utc(2024, 3, 5), utc(2024, 3, 6)),
        ("2024-02", utc(2024, 2, 1), utc(2024, 3, 1)),
        ("2024", utc(2024, 1, 1), utc(2025, 1, 1)),
    ],
)
def test_a_date_is_its_whole_day_month_or_year_in_any_zone(text: str, first: datetime, after_last: datetime) -> None:
    span = parse_w3c_datetime(text)
    assert span is not None
    assert span.earliest == first - ZONE_SLACK
    assert span.latest == after_last + ZONE_SLACK - timedelta(microseconds=1)


@pytest.mark.parametrize("text", ["", "0000-00-00", "0000-00-00T00:00:00+00:00", "2024-13-01", "2023-02-29",
                                  "2024-03-15T25:00:00Z", "yesterday", "1714000000", None])
def test_an_unreadable_or_placeholder_date_is_none(text: str | None) -> None:
    assert parse_w3c_datetime(text) is None


def test_narrow_spans_are_placed_by_their_middle_wide_ones_only_overlap() -> None:
    day = parse_w3c_datetime("2024-03-15")
    month = parse_w3c_datetime("2024-03")
    assert day is not None and day.narrow and abs(day.middle - utc(2024, 3, 15, 12)) < timedelta(seconds=1)
    assert month is not None and not month.narrow


@pytest.mark.parametrize(
    ("url", "first_day", "after_last_day"),
    [
        ("https://news.example/2024/03/15/a-slug/", utc(2024, 3, 15), utc(2024, 3, 16)),
        ("https://news.example/world/2024/03/a-slug", utc(2024, 3, 1), utc(2024, 4, 1)),
        ("https://news.example/2019/", utc(2019, 1, 1), utc(2020, 1, 1)),
    ],
)
def test_a_permalink_dates_its_article(url: str, first_day: datetime, after_last_day: datetime) -> None:
    span = date_in_article_url(url)
    assert span is not None
    last = after_last_day - timedelta(microseconds=1)
    assert (span.earliest + ZONE_SLACK, span.latest - ZONE_SLACK) == (first_day, last)


@pytest.mark.parametrize("url", ["https://news.example/posts/a-slug/", "https://news.example/top-2000-songs/",
                                 "https://news.example/video/1080/clip", "https://news.example/tag/2024x/"])
def test_a_permalink_without_a_date_has_none(url: str) -> None:
    assert date_in_article_url(url) is None


@pytest.mark.parametrize(
    ("url", "first_day"),
    [
        ("https://news.example/sitemap-2024-03.xml", utc(2024, 3, 1)),
        ("https://news.example/post-sitemap_2024_03.xml.gz", utc(2024, 3, 1)),
        ("https://news.example/sitemaps/2024/03/sitemap.xml", utc(2024, 3, 1)),
        ("https://news.example/sitemap-202403.xml", utc(2024, 3, 1)),
        ("https://news.example/sitemap.xml?yyyy=2024&mm=03", utc(2024, 3, 1)),
        ("https://news.example/sitemap.xml?year=2024&month=3", utc(2024, 3, 1)),
        ("https://news.example/sitemap-2024.xml", utc(2024, 1, 1)),
        ("https://news.example/sitemap-2024-03-15.xml", utc(2024, 3, 15)),
    ],
)
def test_a_sitemap_name_gives_its_period(url: str, first_day: datetime) -> None:
    span = period_of_sitemap(url)
    assert span is not None and span.earliest + ZONE_SLACK == first_day


@pytest.mark.parametrize("url", ["https://news.example/sitemap.xml", "https://news.example/wp-sitemap-posts-post-2.xml",
                                 "https://news.example/post-sitemap12.xml", "https://news.example/sitemap-13.xml"])
def test_a_sitemap_name_without_a_period_has_none(url: str) -> None:
    assert period_of_sitemap(url) is None
