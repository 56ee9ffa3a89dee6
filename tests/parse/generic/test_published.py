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


def test_permalink_day_takes_the_time_the_page_declares_for_it() -> None:
    time = '<time class="entry-date" datetime="2017-01-16T18:12:00-05:00">Jan 16</time>'
    body = f"<h1>Shifts focus</h1><footer>{time}</footer>{TEXT}"
    assert _date("", body, "https://wp.test/2017/01/16/shifts-focus/").isoformat() == "2017-01-16T18:12:00-05:00"
    # Another day's time is not the permalink day's.
    other = body.replace("2017-01-16T18", "2017-01-19T18")
    assert _date("", other, "https://wp.test/2017/01/16/shifts-focus/") == datetime(2017, 1, 16, tzinfo=UTC)


def test_og_url_date_path_counts_like_the_canonical_one() -> None:
    head = '<meta property="og:url" content="https://blog.test/2021/05/06/notes/">'
    assert _date(head, f"<h1>Notes</h1>{TEXT}", "") == datetime(2021, 5, 6, tzinfo=UTC)


def test_date_element_named_by_a_date_word_in_its_class() -> None:
    body = f'<h1>E-readers</h1><p class="article-byline__pub-dates">Updated March 13, 2024</p>{TEXT}'
    assert _date("", f"<div>{TEXT}</div>" * 3 + body).date().isoformat() == "2024-03-13"  # type: ignore[union-attr]


def test_a_line_that_is_a_date_alone_after_the_headline() -> None:
    body = f'<div class="hero"><h1>Rates and fees</h1></div><div><p>Last updated: November 13, 2025</p></div>{TEXT}'
    assert _date("", body) == datetime(2025, 11, 13, tzinfo=UTC)
    # A date inside a sentence (beyond the headline's neighbourhood) is no line of its own.
    sentence = f"<h1>Rates and fees</h1>{TEXT * 3}<p>The rules changed on November 13, 2025 for all who pay.</p>"
    assert _date("", sentence) is None


def test_modified_date_when_the_page_declares_nothing_else() -> None:
    head = '<meta property="og:updated_time" content="2024-04-12 08:02:41 -0500">'
    assert _date(head, f"<h1>Trails</h1>{TEXT}").date().isoformat() == "2024-04-12"  # type: ignore[union-attr]


def test_publication_time_in_a_script_state_when_nothing_else() -> None:
    state = '<script type="application/json">{"post":{"publishedAt":"2024-04-08T06:59:34Z"}}</script>'
    assert _date("", f"<h1>Apps</h1>{TEXT}{state}") == datetime(2024, 4, 8, 6, 59, 34, tzinfo=UTC)


def test_date_element_earlier_than_metadata_that_stamps_published_and_modified_alike() -> None:
    head = (
        '<meta property="article:published_time" content="2025-06-24T10:00:00Z">'
        '<meta property="article:modified_time" content="2025-06-24T10:00:00Z">'
    )
    body = f'<h1>Lawn care pricing</h1><div class="post-date">August 25, 2024</div>{TEXT}'
    assert _date(head, body) == datetime(2024, 8, 25, tzinfo=UTC)
    # With its own modification date, the metadata's publication stands.
    later = head.replace('modified_time" content="2025-06-24', 'modified_time" content="2025-07-01')
    assert _date(later, body) == datetime(2025, 6, 24, 10, 0, tzinfo=UTC)


def test_same_day_stamps_yield_to_the_earlier_day_by_the_headline() -> None:
    # A CMS that stamps "published" and "modified" on every save (both the day the page was last
    # saved); the byline under the headline, in no date-classed element, shows the real day.
    head = (
        '<meta property="article:published_time" content="Nov 05, 2025">'
        '<meta property="article:modified_time" content="Nov 05, 2025">'
    )
    body = (
        "<article><h1>How Much Should I Pay for Cleaning in San Diego?</h1>"
        "<div class='author-line'><span>Maria Lopez</span> <span>January 31, 2024</span></div>"
        f"{TEXT}</article>"
    )
    assert _date(head, body) == datetime(2024, 1, 31, tzinfo=UTC)


def test_headline_day_beats_a_later_date_element_elsewhere() -> None:
    # No declared date; the sidebar's event listing has a date class, the byline by the headline
    # shows the post's own (earlier) day.
    body = (
        "<main><h1>How to Lose Weight in a Healthy Way</h1><p>June 13, 2025 · 6 min read</p>"
        f"{TEXT}</main><aside><h2>Upcoming classes</h2>{TEXT}<ul><li><span class='date'>December 17, 2025</span>"
        " Diabetes self-management class</li></ul></aside>"
    )
    assert _date("", body).date() == datetime(2025, 6, 13).date()  # type: ignore[union-attr]
