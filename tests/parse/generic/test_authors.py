"""Who wrote the article, when the page says it in less obvious places: SEO plugins' labelled Twitter
lines, a "Written by" credit, the post author's own comment replies; and the site's name is no person."""

from __future__ import annotations

from tasks.parse.generic import extract_article
from tasks.parse.generic.authors import byline_from_text

TEXT = "<p>" + "The story itself, long enough to be the body of the article, with a few words more. " * 4 + "</p>"


def _authors(head: str, body: str) -> list[str]:
    return extract_article(f"<html><head>{head}</head><body>{body}</body></html>").bylines


def test_yoast_twitter_label_names_the_author() -> None:
    head = (
        '<meta name="twitter:label1" content="Verfasst von"><meta name="twitter:data1" content="Karoline Herr">'
        '<meta name="twitter:label2" content="Geschätzte Lesezeit"><meta name="twitter:data2" content="9 Minuten">'
    )
    assert _authors(head, f"<h1>Kolumne</h1>{TEXT}") == ["Karoline Herr"]


def test_reading_time_label_is_not_an_author() -> None:
    head = '<meta name="twitter:label1" content="Est. reading time"><meta name="twitter:data1" content="9 minutes">'
    assert _authors(head, f"<h1>Kolumne</h1>{TEXT}") == []


def test_house_byline_gives_way_to_the_writer_credited_in_the_text() -> None:
    head = '<meta property="og:site_name" content="The Planetary Press">'
    body = (
        "<h1>Forests and climate</h1><div class='td-post-author-name'>By The Planetary Press - January 17, 2020</div>"
        "<p><em>Courtesy of Forests News</em></p><p><em>Written by: <a href='/x'>Julie Mollins</a></em></p>" + TEXT
    )
    assert _authors(head, body) == ["Julie Mollins"]


def test_house_byline_stays_when_no_person_is_named() -> None:
    head = '<meta property="og:site_name" content="Miami Today">'
    body = f"<h1>Transit tax</h1><div class='author-name'>By Miami Today</div>{TEXT}"
    assert _authors(head, body) == ["Miami Today"]


def test_long_byline_box_yields_the_author_link() -> None:
    rating = " ".join(f"{n} stars" for n in range(1, 40))
    body = (
        "<h1>Keynes revisited</h1><div class='author'><a href='/autoren/georg-quaas/'>Georg Quaas</a>, "
        f"21. Jan. 2015 <span class='rating'>{rating}</span></div>{TEXT}"
    )
    assert _authors("", body) == ["Georg Quaas"]


def test_post_author_reply_names_the_author_of_a_blog_without_byline() -> None:
    comments = (
        "<ol class='commentlist'>"
        "<li id='comment-1361' class='comment byuser comment-author-stephan depth-1'><div class='comment-author vcard'>"
        "<cite class='fn'>stephangoeldi</cite></div><p>Great post, thanks for writing it all down.</p>"
        "<ul class='children'><li id='comment-1362' class='comment byuser comment-author-damian bypostauthor'>"
        "<div class='comment-author vcard'><cite class='fn'>damianduchamps</cite></div>"
        "<p>Thank you, glad it helped.</p></li></ul></li></ol>"
    )
    assert _authors("", f"<h1>Office 365</h1>{TEXT}{comments}") == ["damianduchamps"]


def test_byline_from_text_stops_at_the_first_lowercase_word() -> None:
    assert byline_from_text("Photo gallery\nBy Michael Hingston facebook twitter") == ["Michael Hingston"]
    assert byline_from_text("Written by: Julie Mollins\nIndigenous Peoples have had") == ["Julie Mollins"]
    assert byline_from_text("By Ludwig van Beethoven and friends") == ["Ludwig van Beethoven"]


def test_byline_from_text_ignores_sentences_and_site_names() -> None:
    assert byline_from_text("By Monday the council will have voted.") == []
    assert byline_from_text("By 2030 emissions must halve.") == []
    assert byline_from_text("By The Daily Planet", frozenset({"the daily planet"})) == []


def test_label_element_names_whoever_the_next_element_does() -> None:
    body = (
        "<h1>Social media tips</h1><div class='author-box'><div class='author-label'>Written by</div>"
        f"<div class='author-title'>Jack Shepherd</div></div>{TEXT}"
    )
    assert _authors("", body) == ["Jack Shepherd"]


def test_author_link_phrase_and_block_theme_name() -> None:
    classic = (
        f"<h1>ISIS shifts focus</h1>{TEXT}<div class='author-bio'><p class='author-description'>Jason Ditz is news "
        "editor of Antiwar.com.</p><a class='author-link' href='/author/jason/' rel='author'>View all of Jason "
        "Ditz&#039;s posts.</a></div>"
    )
    assert _authors("", classic) == ["Jason Ditz"]
    block = (
        f"<h1>ISIS shifts focus</h1><div class='wp-block-post-author'><div class='wp-block-post-author__content'>"
        f"<p class='wp-block-post-author__name'>Jason Ditz</p></div></div>{TEXT}"
    )
    assert _authors("", block) == ["Jason Ditz"]


def test_name_and_date_on_lines_of_their_own() -> None:
    body = f"<h1>Defer, Panic, and Recover</h1><p class='author'>Andrew Gerrand<br>4 August 2010</p>{TEXT}"
    assert _authors("", body) == ["Andrew Gerrand"]


def test_declared_names_keep_their_case_and_teams() -> None:
    assert _authors('<meta name="author" content="kirstin boatto">', f"<h1>Moving</h1>{TEXT}") == ["kirstin boatto"]
    team = '{"@type": "Article", "author": {"name": "Great Day Editorial Team"}}'
    team = f'<script type="application/ld+json">{team}</script>'
    assert _authors(team, f"<h1>Tours</h1>{TEXT}") == ["Great Day Editorial Team"]
    # Read off the page's text, the same words are a phrase and an account.
    assert _authors("", f"<h1>Moving</h1><div class='byline'>posted in moving tips</div>{TEXT}") == []


def test_link_to_an_author_archive_page() -> None:
    body = (
        f"<h1>How to start an LLC</h1><div><span>by </span><p><a href='/articles/authors/shannon-grilli'>Shannon "
        f"Grilli</a></p></div><a href='https://social.example/profile/acme'>Facebook</a>{TEXT}"
    )
    assert _authors("", body) == ["Shannon Grilli"]


def test_written_by_line_anywhere_on_the_page() -> None:
    body = f"<h1>Why cheap SEO does not work</h1>{TEXT}<div><p>Written by John Crenshaw</p></div>"
    assert _authors("", body) == ["John Crenshaw"]
    # A teaser's "By ..." line is no byline of the page.
    teaser = f"<h1>Hotel life hacks</h1>{TEXT * 3}<aside><h3>More</h3><p>By Ovolo Collective Hotels</p></aside>"
    assert _authors("", teaser) == []
