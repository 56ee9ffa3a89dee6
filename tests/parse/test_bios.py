"""Author bios reach author_bios and leave the body: bios closing the real columns and blog posts of
../shared (before the site's donation line), the Divi bio box of original.antiwar.com, and the author boxes of
themes and plugins."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from schemas.source import Selectors
from tasks.parse.html_article import parse_article_html
from testing.snapshot.site import SnapshotSite
from tests.parse.test_reprints import as_rest_post, rest_snapshot

ORIGINAL = Selectors(
    title="h1.entry-title",
    body="div.et_pb_post_content_0_tb_body",
    byline="a[rel=author]",
    body_exclude=[".addtoany", ".addtoany_share_save_container"],
)


def divi_page(item: dict) -> str:
    """A captured column in original.antiwar.com's Divi layout: title, rel=author byline, body, share block."""
    return (
        f"<html><body><div class='et_pb_post_title'><h1 class='entry-title'>{html.escape(item['title'])}</h1>"
        "<p class='et_pb_title_meta_container'> by <span class='author vcard'><a href='/author/x/' rel='author'>"
        f"{html.escape(item['author'])}</a></span></p></div>"
        f"<div class='et_pb_post_content et_pb_post_content_0_tb_body'>{item['contentHtml']}"
        "<div class='addtoany_share_save_container'><div class='addtoany_header'>Share this:</div></div></div>"
        "</body></html>"
    )


# How each captured column's closing bio opens: by name, with a middle initial, without one, by title and name.
REAL_BIOS = {
    "Thomas S. Karat": "Thomas Karat writes investigative work",
    "James Carden": "James W. Carden is the author of",
    "Trita Parsi": "Trita Parsi is the Executive VP",
    "Harrison Berger": "Harrison Berger is a correspondent",
    "M. Reza Behnam": "Dr. Behnam is a political scientist",
    "Ioannis Vlahos": "Ioannis Vlahos is an editorial assistant",
    "Timothy Hopper": "Timothy Hopper is an international relations graduate",
    "Daniel Larison": "Daniel Larison is a columnist",
}


def test_real_columns_closing_bios_go_to_the_author_not_the_body(shared: Path) -> None:
    data = rest_snapshot(shared)
    for item in data["original"] + data["originalExtras"]:
        article = parse_article_html(divi_page(item), item["url"], ORIGINAL)
        opening = REAL_BIOS.get(item["author"])
        assert len(article.bylines) == 1
        if opening is None:  # the column carries no bio: nothing leaves its body but the share block
            assert article.author_bios == {}, item["url"]
            continue
        bio = article.author_bios.get(article.bylines[0], "")
        assert bio.startswith(opening), item["url"]
        assert opening not in article.body_text and opening not in article.body_html
        # the site's donation line after the bio is no bio: it stays where it was
        assert article.body_text.endswith("We are 100% reader-supported.")


def test_real_blog_posts_closing_bios_go_to_the_author(shared: Path) -> None:
    from tasks.sources.wordpress.post import parse_wp_post

    bios = {}
    for post_id, item in enumerate(rest_snapshot(shared)["blog"], 1):
        article = parse_wp_post(as_rest_post(item, post_id))
        bios.update(article.author_bios)
        for bio in article.author_bios.values():
            assert bio not in article.body_text
    assert bios["Yves Engler"].startswith("Yves Engler is the author of Stand on Guard for Whom?")
    assert bios["Trita Parsi"].startswith("Trita Parsi is the Executive VP of the Quincy Institute")
    assert set(bios) == {"Yves Engler", "Trita Parsi"}


def test_every_original_columnist_gets_the_bio_of_the_divi_bio_box() -> None:
    """The bundled original.antiwar.com pages print the bio in Divi's box after the body, as the site does."""
    site = SnapshotSite()
    posts = sorted((Path(__file__).resolve().parents[2] / "testing" / "snapshot" / "original.antiwar.com" /
                    "posts").glob("*.json"))
    found = {}
    for path in posts:
        post = json.loads(path.read_text(encoding="utf-8"))
        page = site.handle("GET", post["link"], {}).body.decode("utf-8")
        article = parse_article_html(page, post["link"], ORIGINAL)
        user = post["_embedded"]["author"][0]
        if user["description"]:
            assert article.author_bios == {user["name"]: user["description"]}, post["link"]
            assert "Read more by" not in article.author_bios[user["name"]]
        found.update(article.author_bios)
    assert sorted(found) == ["Dan Steinbock", "Doug Bandow", "Ramzy Baroud", "Ron Paul", "Ted Galen Carpenter"]
    assert found["Dan Steinbock"].startswith("Dr. Dan Steinbock is the founder")


@pytest.mark.parametrize(
    ("box", "inside_body"),
    [
        # Simple Author Box
        ('<div class="saboxplugin-wrap"><div class="saboxplugin-authorname"><a href="/author/jdoe/">Jane Doe</a>'
         '</div><div class="saboxplugin-desc"><p>Jane Doe covers the Pentagon for the Example Post.</p></div></div>',
         True),
        # the post-author block of block themes
        ('<div class="wp-block-post-author"><div class="wp-block-post-author__content">'
         '<p class="wp-block-post-author__name">Jane Doe</p><p class="wp-block-post-author__bio">Jane Doe covers '
         'the Pentagon for the Example Post.</p></div></div>', False),
        # a theme's about-the-author box
        ('<section class="about-author"><h3>About the author</h3><p>Jane Doe covers the Pentagon for the Example '
         'Post.</p><p><a href="/author/jdoe/">View all posts by Jane Doe</a></p></section>', True),
    ],
)
def test_author_boxes_of_themes_and_plugins(box: str, inside_body: bool) -> None:
    body = "<p>The budget request grew again this year, by eleven percent.</p><p>Congress did not object.</p>"
    page = (f"<html><body><article><h1 class='entry-title'>Budget</h1><span class='byline'>By Jane Doe</span>"
            f"<div class='entry-content'>{body}{box if inside_body else ''}</div>{'' if inside_body else box}"
            "</article></body></html>")
    article = parse_article_html(page, "https://example.org/budget/", Selectors(body="div.entry-content"))
    assert article.bylines == ["Jane Doe"]
    assert article.author_bios == {"Jane Doe": "Jane Doe covers the Pentagon for the Example Post."}
    assert article.body_text.split("\n\n") == [
        "The budget request grew again this year, by eleven percent.", "Congress did not object."]
