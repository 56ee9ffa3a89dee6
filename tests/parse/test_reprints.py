"""Reprint and syndication notes leave the body for the article's reprint fields: the real notes of Antiwar.com's
posts in ../shared, the phrasings such notes take elsewhere, and article sentences that only look like them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tasks.normalize.bodies import html_to_text
from tasks.parse.reprints import reprint_note
from tasks.sources.wordpress.post import parse_wp_post


def rest_snapshot(shared: Path) -> dict[str, list[dict]]:
    return json.loads((shared / "data" / "antiwar" / "rest-snapshot.json").read_text(encoding="utf-8"))


def paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def as_rest_post(item: dict, post_id: int) -> bytes:
    """A captured post as the WordPress REST API serves it (posts/ID?_embed)."""
    return json.dumps({
        "id": post_id, "link": item["url"], "title": {"rendered": item["title"]},
        "content": {"rendered": item["contentHtml"]}, "date_gmt": item["date"][:19],
        "_embedded": {"author": [{"name": item["author"], "slug": "user"}]},
    }).encode()


# Every post of ../shared whose body opens or closes with a reprint note, and the publication it names.
REAL_NOTES = {
    "time-to-shed-light-on-canadian-military-mission-to-congo": "Yves Engler’s website",
    "john-mearsheimer-on-the-balance-of-coercive-leverage": "John’s Substack",
    "john-mearsheimer-doug-bandow-say-iran-not-uncle-sam-holds-the-cards": "John’s Substack",
    "ron-paul-on-the-most-unpopular-war-in-history": "The Ron Paul Institute for Peace & Prosperity",
    "john-mearsheimer-russia-has-red-lines-and-nuclear-weapons": "John’s Substack",
    "nuclear-weapons-how-much-have-they-changed-warfare": "Bracing Views",
    "ron-paul-on-the-inflation-tsunami-trump-wants-88-billion-for-iran-war": (
        "The Ron Paul Institute for Peace & Prosperity"),
    "the-real-enemy-is-war": "Bracing Views",
    "how-facebook-has-censored-my-account-over-criticism-of-israel": "Trita Parsi’s Substack",
}


def test_real_blog_posts_lose_their_reprint_notes_and_only_them(shared: Path) -> None:
    for post_id, item in enumerate(rest_snapshot(shared)["blog"], 1):
        article = parse_wp_post(as_rest_post(item, post_id))
        expected = REAL_NOTES.get(item["slug"])
        if expected is None:
            assert article.reprint is None, item["slug"]
            continue
        assert article.reprint is not None and article.reprint.source == expected, item["slug"]
        assert article.reprint.note.startswith("Reprinted from")
        assert article.reprint.url.startswith("http")
        assert "Reprinted from" not in article.body_text and "Reprinted from" not in article.body_html
        # nothing else left the body but the note and the author's closing bio
        gone = {article.reprint.note, *article.author_bios.values()}
        assert paragraphs(article.body_text) == [p for p in paragraphs(html_to_text(item["contentHtml"]))
                                                 if p not in gone]


def test_a_note_set_beside_a_photo_leaves_the_photo_in_the_body(shared: Path) -> None:
    item = next(i for i in rest_snapshot(shared)["blog"] if i["slug"] in REAL_NOTES and "<img" in
                i["contentHtml"].split("Reprinted from")[0][-600:])
    article = parse_wp_post(as_rest_post(item, 1))
    assert article.reprint is not None and article.reprint.url == (
        "https://yvesengler.com/2026/06/30/time-to-shed-light-on-canadian-military-mission-to-congo/")
    assert "congo-rwanda-245x300.jpg" in article.body_html
    assert "Yves Engler’s website" not in article.body_html


def test_real_columns_name_where_they_first_appeared(shared: Path) -> None:
    """original.antiwar.com columns close with the note, before the site's donation line."""
    data = rest_snapshot(shared)
    notes = {}
    for post_id, item in enumerate(data["original"] + data["originalExtras"], 1):
        article = parse_wp_post(as_rest_post(item, post_id))
        if article.reprint is not None:
            notes[item["author"]] = (article.reprint.source, article.reprint.url)
            assert article.reprint.note not in article.body_text
    assert notes == {
        "Jonathan Cook": ("Jonathan Cook’s Substack",
                          "https://jonathancook.substack.com/p/israel-is-an-apartheid-state-and"),
        "Trita Parsi": ("Trita Parsi’s Substack", "https://tritaparsi.substack.com/p/why-iran-believes-israel-will-attack"),
        "David R. Henderson": ("David Henderson’s substack, I Blog To Differ", "https://davidrhenderson.substack.com/"),
    }


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Reprinted from Bracing Views with the author’s permission.", "Bracing Views"),
        ("Reprinted with permission from the Ron Paul Institute.", "the Ron Paul Institute"),
        ("Originally published at TomDispatch.com.", "TomDispatch.com"),
        ("Originally published by Common Dreams.", "Common Dreams"),
        ("This article first appeared in The Nation.", "The Nation"),
        ("This article was originally published by Truthout and is reprinted with permission.", "Truthout"),
        ("This article is republished from The Conversation under a Creative Commons license. Read the original "
         "article.", "The Conversation"),
        ("A version of this article first appeared in the Los Angeles Times.", "the Los Angeles Times"),
        ("Cross-posted from Responsible Statecraft", "Responsible Statecraft"),
        ("(Reprinted from TomDispatch)", "TomDispatch"),
        ("Republished with permission.", ""),
        ("Reprinted with the kind permission of the author.", ""),
    ],
)
def test_phrasings_of_a_reprint_note(text: str, source: str) -> None:
    note = reprint_note(text)
    assert note is not None and note.source == source and note.note == text


def test_a_linked_name_keeps_its_dots() -> None:
    note = reprint_note("Reprinted from U.S. News.", [("U.S. News", "https://www.usnews.com/")])
    assert note is not None and (note.source, note.url) == ("U.S. News", "https://www.usnews.com/")


@pytest.mark.parametrize(
    "text",
    [
        "Originally published in 1962, the book argues that war is a racket.",
        "First published in 2019, the study found that most of the dead were civilians.",
        "Originally, published reports said the strike killed nine.",
        "Reprinted from the author’s blog. Subscribe for more essays like this one, every week, free of charge.",
        "The report was reprinted in several newspapers across the region last week.",
    ],
)
def test_article_sentences_are_not_notes(text: str) -> None:
    assert reprint_note(text) is None


def test_a_body_that_is_only_a_note_keeps_it() -> None:
    """A video post whose only line is the note: the article keeps a body (and says nothing it cannot)."""
    from schemas.source import Selectors
    from tasks.parse.html_article import parse_article_html

    page = ("<html><body><h1 class='entry-title'>Ron Paul on the War</h1><div class='entry-content'>"
            "<p><em>Reprinted from The Ron Paul Institute.</em></p></div></body></html>")
    article = parse_article_html(page, "https://example.org/ron-paul-on-the-war/", Selectors(body="div.entry-content"))
    assert article.body_text == "Reprinted from The Ron Paul Institute." and article.reprint is None
