"""Which headline a page gets: the <h1> its readers see, over the wording of its metadata, unless that
<h1> is the site's name or a breadcrumb."""

from __future__ import annotations

from tasks.parse.generic import read_page

TEXT = "<p>" + "The story itself, long enough to be the body of the article, with a few words more. " * 4 + "</p>"
HEAD = (
    '<title>Recent Trends in Photography | Flatworld</title><meta property="og:title" '
    'content="Recent Trends in Photography">'
)


def _title(head: str, body: str) -> str:
    return read_page(f"<html><head>{head}</head><body>{body}</body></html>").title


def test_the_one_h1_is_the_headline_however_the_metadata_words_it() -> None:
    assert _title(HEAD, f"<article><h1>8 Recent Trends in Photography</h1>{TEXT}</article>") == (
        "8 Recent Trends in Photography"
    )


def test_metadata_title_when_the_h1_is_the_site_name_or_a_breadcrumb() -> None:
    site = f"<header class='site-header'><h1 class='site-title'><a href='/'>Flatworld</a></h1></header>{TEXT}"
    assert _title(HEAD, site) == "Recent Trends in Photography"
    crumb = (
        "<ol class='breadcrumb'><li><a href='/'>Home</a></li><li class='breadcrumb-active'>"
        f"<h1 class='Breadcrumb-element-link'>Photography: recent trends and more</h1></li></ol>{TEXT}"
    )
    assert _title(HEAD, crumb) == "Recent Trends in Photography"


def test_several_h1s_leave_the_choice_to_the_metadata() -> None:
    body = f"<h1>Our services</h1><h1>8 Recent Trends in Photography</h1><h1>Newsletter signup</h1>{TEXT}"
    assert _title(HEAD, body) == "Recent Trends in Photography"


def test_a_heading_hidden_for_screen_readers_is_no_headline() -> None:
    # Drupal and Bootstrap sites put the whole <title> in a visually hidden <h1> for screen readers;
    # the headline readers see is the section title.
    head = "<title>How to help toddlers sleep through the night | Patient Education | Children's Hospital</title>"
    body = (
        "<h1 class='sr-only sr-only-focusable'>How to help toddlers sleep through the night | Patient Education"
        " | Children's Hospital</h1><main><h2 class='section-title'>How to help toddlers sleep through the night"
        f"</h2>{TEXT}<h2>How many naps per day do children need?</h2>{TEXT}</main>"
    )
    assert _title(head, body) == "How to help toddlers sleep through the night"
    wordpress = body.replace("sr-only sr-only-focusable", "screen-reader-text")
    assert _title(head, wordpress) == "How to help toddlers sleep through the night"
