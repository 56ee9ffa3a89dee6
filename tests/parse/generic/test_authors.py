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
