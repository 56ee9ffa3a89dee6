"""Dates as pages write them, and dates in permalinks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tasks.parse.generic.dates import date_from_url, parse_date, to_utc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-08-02T10:15:30+02:00", datetime(2019, 8, 2, 10, 15, 30, tzinfo=timezone(timedelta(hours=2)))),
        ("2019-08-02T10:15:30.123Z", datetime(2019, 8, 2, 10, 15, 30, tzinfo=UTC)),
        ("2019-08-02 10:15:30", datetime(2019, 8, 2, 10, 15, 30, tzinfo=UTC)),
        ("2020-04-03T10:35:41.085+0200", datetime(2020, 4, 3, 10, 35, 41, tzinfo=timezone(timedelta(hours=2)))),
        ("Fri, 02 Aug 2019 10:15:00 +0000", datetime(2019, 8, 2, 10, 15, tzinfo=UTC)),
        ("Posted on August 2, 2019 at 3:05 pm", datetime(2019, 8, 2, 15, 5, tzinfo=UTC)),
        ("Sept. 21st, 2018", datetime(2018, 9, 21, tzinfo=UTC)),
        ("geschrieben am 26. Mai. 2015, 17:23", datetime(2015, 5, 26, 17, 23, tzinfo=UTC)),
        ("le 7 mai 2020 - 12:38", datetime(2020, 5, 7, 12, 38, tzinfo=UTC)),
        ("3 de octubre de 2019", datetime(2019, 10, 3, tzinfo=UTC)),
        ("12 марта 2021", datetime(2021, 3, 12, tzinfo=UTC)),
        ("Publiziert: 03.04.2020, 12:35", datetime(2020, 4, 3, 12, 35, tzinfo=UTC)),
        ("2020年1月20日", datetime(2020, 1, 20, tzinfo=UTC)),
        ("20190802", datetime(2019, 8, 2, tzinfo=UTC)),
        ("1565000000", datetime(2019, 8, 5, 10, 13, 20, tzinfo=UTC)),
    ],
)
def test_parse_date_formats(text: str, expected: datetime) -> None:
    assert parse_date(text) == expected


def test_slash_dates_follow_the_page_language() -> None:
    assert parse_date("03/04/2020") == datetime(2020, 3, 4, tzinfo=UTC)
    assert parse_date("03/04/2020", month_first=False) == datetime(2020, 4, 3, tzinfo=UTC)
    assert parse_date("25/12/2019") == datetime(2019, 12, 25, tzinfo=UTC)  # no 25th month


@pytest.mark.parametrize("text", ["", "no date here", "Copyright 2019", "call 555-1234", "2019-13-45", "1800-01-01"])
def test_parse_date_rejects_non_dates(text: str) -> None:
    assert parse_date(text) is None


def test_first_date_in_text_wins() -> None:
    text = "Updated June 13, 2019. First published 1 January 2004."
    assert parse_date(text) == datetime(2019, 6, 13, tzinfo=UTC)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.antiwar.com/2017/01/16/isis-shifts-focus/", datetime(2017, 1, 16, tzinfo=UTC)),
        ("https://www.befifty.de/home/2017/7/12/unter-uns-montauk", datetime(2017, 7, 12, tzinfo=UTC)),
        ("https://example.com/2019-08-02-some-story", datetime(2019, 8, 2, tzinfo=UTC)),
        ("https://example.com/news/20190802/story.html", datetime(2019, 8, 2, tzinfo=UTC)),
        ("https://example.com/2019/08/only-a-month/", None),
        ("https://example.com/story/2019123/", None),
        ("https://web.archive.org/web/20130307194448/http://x.net/2008/05/post.html", None),
        (None, None),
    ],
)
def test_date_from_url(url: str | None, expected: datetime | None) -> None:
    assert date_from_url(url) == expected


def test_to_utc() -> None:
    local = datetime(2022, 5, 3, 22, 46, tzinfo=timezone(timedelta(hours=-3)))
    assert to_utc(local) == datetime(2022, 5, 4, 1, 46, tzinfo=UTC)
    assert to_utc(datetime(2022, 5, 3, 22, 46)) == datetime(2022, 5, 3, 22, 46, tzinfo=UTC)
    assert to_utc(None) is None


def test_month_words_that_are_no_month_are_passed_over() -> None:
    # "Chapter 12, 2020" has a month's shape but no month; the date after it is the one.
    assert parse_date("Chapter 12, 2020 - posted 5 March 2020") == datetime(2020, 3, 5, tzinfo=UTC)
    assert parse_date("Freitag, 5. Juni 2015") == datetime(2015, 6, 5, tzinfo=UTC)
    assert parse_date("Volume 3 2019") is None


def test_iso_dates_keep_their_offset_and_drop_fractions() -> None:
    assert parse_date("2020-04-11T08:27:52.727Z") == datetime(2020, 4, 11, 8, 27, 52, tzinfo=UTC)
    assert parse_date("2016-07-09") == datetime(2016, 7, 9, tzinfo=UTC)
    assert parse_date("1899-01-01T00:00:00Z") is None


def test_two_digit_years_only_where_a_date_is_expected() -> None:
    # "23.09.22" is a date under a headline or in a date element, not in running text.
    assert parse_date("23.09.22") is None
    assert parse_date("23.09.22", short_year=True) == datetime(2022, 9, 23, tzinfo=UTC)
    assert parse_date("Hochgeladen 7.1.99, 14:05", short_year=True) == datetime(1999, 1, 7, 14, 5, tzinfo=UTC)
    # A four-digit year wins wherever it stands; versions and addresses are no dates.
    assert parse_date("am 23.09.22, zuletzt 01.10.2022", short_year=True) == datetime(2022, 10, 1, tzinfo=UTC)
    assert parse_date("Version 1.12.20.3 released", short_year=True) is None
    assert parse_date("server 10.2.33.40", short_year=True) is None
    assert parse_date("31.02.21", short_year=True) is None  # no such day


def test_a_date_far_into_a_long_text() -> None:
    # Long texts (the text around a headline) are read from a little before their first year on.
    lead = "Home News World " * 30
    assert parse_date(lead + "Posted on 31st de octubre de 2020, 12 mayo 2021") == datetime(2020, 10, 31, tzinfo=UTC)
    assert parse_date(lead + "By Jane Doe | September 30, 2020 at 5:00 pm") == datetime(
        2020, 9, 30, 17, 0, tzinfo=UTC
    )
    assert parse_date(lead + "Published  30   September\n2020") == datetime(2020, 9, 30, tzinfo=UTC)  # wide spaces
    assert parse_date(lead + "no year anywhere, 12 May") is None
