"""Which date a page gets: the permalink's, the declared one, or the one its readers see by the headline."""

from __future__ import annotations

from datetime import UTC, datetime

from tasks.parse.generic import extract_page

TEXT = "<p>" + "The story itself, long enough to be the body of the article, with a few words more. " * 4 + "</p>"


def _date(head: str, body: str, url: str = "https://news.test/story") -> datetime | None:
    page = f"<html><head>{head}</head><body>{body}</body></html>"
    return extract_page(page, url).published_local


def test_update_shown_under_the_headline_is_the_date() -> None:
    head = (
        '<meta property="article:published_time" content="2020-04-03T10:35:41Z">'
        '<meta property="article:modified_time" content="2020-04-11T08:27:52Z">'
    )
    shown = f"<h1>Wie Umweltzerstörung neue Epidemien begünstigt</h1><p>Aktualisiert: 11.04.2020, 10:27</p>{TEXT}"
    assert _date(head, shown) == datetime(2020, 4, 11, 8, 27, 52, tzinfo=UTC)
    # The same page showing the publication date keeps it.
    published = f"<h1>Wie Umweltzerstörung neue Epidemien begünstigt</h1><p>Publiziert: 03.04.2020</p>{TEXT}"
    assert _date(head, published) == datetime(2020, 4, 3, 10, 35, 41, tzinfo=UTC)


def test_permalink_date_beats_a_later_declared_date() -> None:
    head = '<meta property="article:published_time" content="2016-07-19T22:25:04Z">'
    body = f"<h1>Radio marathon</h1>{TEXT}"
    assert _date(head, body, "https://blog.test/2016/07/09/radio-marathon/") == datetime(2016, 7, 9, tzinfo=UTC)


def test_blogger_date_header_above_the_post_title() -> None:
    body = (
        "<div class='date-outer'><h2 class='date-header'><span>Freitag, 5. Juni 2015</span></h2>"
        "<div class='post-header'>Labels: genres, through the booking glass, books, reading, challenge, "
        "monthly theme, reviews, lists, favourites, summer reading, science fiction, fantasy</div>"
        f"<div class='post'><h3 class='post-title'>Through the Booking Glass</h3>{TEXT}</div></div>"
    )
    assert _date("<title>Through the Booking Glass</title>", body) == datetime(2015, 6, 5, tzinfo=UTC)


def test_dateline_just_above_the_headline() -> None:
    body = (
        "<div class='top'><span>Accueil | Par Loïc Le Clerc | 30 septembre 2018</span>"
        "<h1>Deux ans et demi en Macronie</h1><p>Article mis à jour le 7 janvier 2020.</p></div>" + TEXT
    )
    assert _date("<title>Deux ans et demi en Macronie</title>", body) == datetime(2018, 9, 30, tzinfo=UTC)


def test_dates_in_scripts_are_not_read_as_the_page_date() -> None:
    script = '<script>var page = {"title": "Easy Cake", "created": "01/01/2004"};</script>'
    body = f"{script}<h1>Easy Cake</h1><p>By Betty Crocker Kitchens, updated June 13, 2019</p>{TEXT}"
    assert _date("<title>Easy Cake</title>", body) == datetime(2019, 6, 13, tzinfo=UTC)


def test_two_digit_year_under_the_headline() -> None:
    # Nothing declares the date; the page shows it under its headline with a two-digit year.
    body = (
        "<div class='story-head'><h1>Vintage-Flair mit viel Grün</h1>"
        "<div class='meta-line'><div class='uploaded'>23.09.22</div><div>Saarland</div></div></div>" + TEXT
    )
    assert _date("<title>Vintage-Flair mit viel Grün</title>", body) == datetime(2022, 9, 23, tzinfo=UTC)
    # A version number by the headline is not a date.
    release = "<h1>Release notes</h1><p>Version 2.10.11.4 is out.</p>" + TEXT
    assert _date("<title>Release notes</title>", release) is None
