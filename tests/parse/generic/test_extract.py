"""The generic extractor on whole pages: body kept apart from chrome and comments, the comment tree,
titles, and pages it cannot read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tasks.parse.encoding import decode_html
from tasks.parse.generic import extract_article, extract_page

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "generic"
SHARED = Path(__file__).resolve().parents[4] / "shared"
PARAGRAPH = "This sentence is part of a real paragraph of article text, written to be long enough. "


@pytest.fixture(scope="module")
def news() -> tuple:
    extraction = extract_page((FIXTURES / "news_article.html").read_text(encoding="utf-8"), "https://x.test/a")
    return extraction.article, extraction.published_local


def test_news_page_metadata(news: tuple) -> None:
    article, local = news
    assert article.title == "Council Approves River Park Budget"
    assert article.bylines == ["Maria Lopez", "Tom Chen"]  # "By", ", Staff Writer" stripped
    assert article.published_at == datetime(2021, 3, 5, 3, 15, tzinfo=UTC)
    assert local == datetime(2021, 3, 4, 22, 15, tzinfo=timezone(timedelta(hours=-5)))
    assert article.modified_at == datetime(2021, 3, 5, 13, 0, tzinfo=UTC)
    assert article.categories == ["Local"]
    assert article.tags == ["parks", "budget"]
    assert article.language == "en"
    assert article.parser == "generic"


def test_news_page_body_keeps_content_drops_chrome(news: tuple) -> None:
    article, _ = news
    paragraphs = article.body_text.split("\n\n")
    assert paragraphs[0].startswith("The city council voted 7 to 2")
    assert paragraphs[-1].startswith("Construction is expected to begin in the fall")
    for kept in ("What the park will include", "A two-mile walking trail", '"This is the best investment'):
        assert kept in article.body_text
    for dropped in (
        "Share on Twitter", "Advertisement", "Road repairs top survey", "Most read", "cookies", "Tags:",
        "Council Approves River Park Budget", "By Maria", "© 2021", "Leave a Reply", "Local",
    ):  # fmt: skip
        assert dropped not in article.body_text


def test_news_page_comments_are_a_tree_apart_from_the_body(news: tuple) -> None:
    article, _ = news
    assert [(c.site_id, c.parent_site_id, c.author) for c in article.comments] == [
        ("101", None, "Jim Parker"),
        ("102", "101", "Sue Miller"),
    ]
    assert article.comments[0].text == "Finally! My kids have been asking for a real playground for years."
    assert article.comments[1].posted_at == datetime(2021, 3, 5, 15, 40, tzinfo=UTC)
    assert "Reply" not in article.comments[0].text
    assert "playground for years" not in article.body_text


def test_blog_title_is_the_post_not_the_site_name() -> None:
    page = f"""<html><head><title>Scherenschnitt (3) | gnaddrig ad libitum</title></head><body>
    <header id="masthead">
      <h1 class="site-title"><a href="https://gnadlib.example/">gnaddrig ad libitum</a></h1>
    </header>
    <div class="post"><h2 class="entry-title">Scherenschnitt (3)</h2>
    <div class="entry"><p>{PARAGRAPH * 3}</p></div></div></body></html>"""
    assert extract_article(page).title == "Scherenschnitt (3)"


def test_title_from_og_title_strips_site_name_when_no_heading_matches() -> None:
    page = (
        '<html><head><meta property="og:site_name" content="Daily Planet">'
        "<title>Heat wave breaks records - Daily Planet</title></head><body>"
        f"<p>{PARAGRAPH * 3}</p></body></html>"
    )
    assert extract_article(page).title == "Heat wave breaks records"


def test_article_split_into_blocks_is_read_whole() -> None:
    blocks = "".join(
        f'<div class="block"><p>Block {n}. {PARAGRAPH}</p></div><div class="ad-slot"></div>' for n in range(6)
    )
    page = (
        "<html><body><div class='sidebar'><p>Sidebar blurb, short.</p></div>"
        f"<main><div class='wrap'>{blocks}</div></main></body></html>"
    )
    body = extract_article(page).body_text
    assert all(f"Block {n}." in body for n in range(6))
    assert "Sidebar" not in body


def test_article_inside_aside_is_not_lost() -> None:
    page = (
        "<html><body><nav><a href='/'>Home</a></nav><aside class='content'><article>"
        f"<p>{PARAGRAPH * 4}</p><p>{PARAGRAPH * 3}</p></article></aside></body></html>"
    )
    assert extract_article(page).body_text.count("real paragraph") == 7


def test_bem_modifier_does_not_make_content_chrome() -> None:
    sections = "".join(
        f'<section class="Report__Section Report__Section--Ads"><p>Part {n}. {PARAGRAPH * 2}</p></section>'
        for n in range(4)
    )
    page = f'<html><body><article class="Report">{sections}</article></body></html>'
    assert all(f"Part {n}." in extract_article(page).body_text for n in range(4))


@pytest.mark.parametrize("html", ["", "   ", "<html>", "\x00\x01garbage\xff", "<p>" * 5000, "<svg><p>x</svg>"])
def test_never_raises(html: str) -> None:
    article = extract_article(html, "https://x.test/")
    assert article.parser == "generic"
    assert article.url == "https://x.test/"


def _shared_page(theme: str, name: str) -> str:
    path = SHARED / "data" / "wordpress" / theme / name
    if not path.is_file():
        pytest.skip(f"shared WordPress pages not found at {path}")
    return decode_html(path.read_bytes())


@pytest.mark.parametrize("theme", ["twentytwentyone", "twentytwentythree"])
def test_real_wordpress_post_comment_thread(theme: str) -> None:
    """The seed article's thread: Don > Tom Mauel > Don, and Don > Bianca > Don."""
    article = extract_article(_shared_page(theme, "13-post-isis.html"))
    assert article.title == "ISIS Shifts Focus to Syria as They Lose Ground in Iraq"
    assert [(c.site_id, c.parent_site_id, c.author) for c in article.comments] == [
        ("5", None, "Don"), ("6", "5", "Tom Mauel"), ("7", "6", "Don"), ("8", "5", "Bianca"), ("9", "8", "Don"),
    ]  # fmt: skip
    assert article.comments[0].text.startswith("Exactly as planned by the US")
    assert article.comments[0].text.endswith("luv from Canada.")
    assert article.comments[0].posted_at == datetime(2017, 1, 17, 0, 3, tzinfo=UTC)
    assert article.body_text.startswith("While reports of ISIS")
    assert article.body_text.endswith("eastern half of the country.")
    assert not any(c.text[:30] in article.body_text for c in article.comments)


@pytest.mark.parametrize("theme", ["twentytwentyone", "twentytwentythree"])
def test_real_wordpress_reply_chain_deeper_than_thread_limit(theme: str) -> None:
    article = extract_article(_shared_page(theme, "17-post-depth6.html"))
    parents = {c.site_id: c.parent_site_id for c in article.comments}
    assert parents["11"] == "10" and parents["12"] == "11" and parents["13"] == "12"
    # Deeper than the limit, WordPress draws the reply as a sibling at the last level.
    assert parents["14"] == parents["15"] == "13"
    assert len(article.comments) == len(parents)


def test_noscript_holding_the_page_is_read_and_a_pixel_is_not() -> None:
    """An app page serves its text to readers without JavaScript in a <noscript>; a tracking pixel or
    an "enable JavaScript" line in another one is no text of the page."""
    article = "".join(f"<p>Paragraph {n}: {PARAGRAPH * 2}</p>" for n in range(4))
    html = (
        "<html><body><div id='app'>Loading...</div>"
        "<noscript>Please enable JavaScript to use this site.</noscript>"
        f"<noscript id='content'><article><h1>What the app shows</h1>{article}</article></noscript>"
        "<noscript><img src='/pixel.gif'></noscript></body></html>"
    )
    body = extract_article(html).body_text
    assert body.startswith("Paragraph 0:") and "Paragraph 3:" in body
    assert "enable JavaScript" not in body
