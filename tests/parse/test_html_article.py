"""Article pages read with site selectors: body, byline and bio apart, comments apart, metadata."""

from __future__ import annotations

import html as html_lib
import json
import re
import sys
import types
from datetime import UTC, datetime
from pathlib import Path

import pytest

from schemas.pipeline import ParsedArticle
from schemas.source import Selectors
from tasks.parse.bylines import collapse_ws
from tasks.parse.html_article import parse_article_html

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html"
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
NEWS = Selectors(
    title="h1.entry-title", deck="span.pagesub", body="div.entry-content", comments="ol.commentlist"
)
ORIGINAL = Selectors(
    title="h1.entry-title",
    body="div.et_pb_post_content_0_tb_body",
    byline="a[rel=author]",
    body_exclude=[".addtoany", ".addtoany_share_save_container"],
)


def shared_file(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared reference material not available: {path}")
    return path


# --- the seed article, rebuilt as a news.antiwar.com page at test time ---------------------------------


def read_seed() -> dict:
    """Title, deck, body paragraphs, author, bio start and the comment tree of seed-article.txt."""
    lines = shared_file("data", "antiwar", "seed-article.txt").read_text(encoding="utf-8").splitlines()
    title, deck = lines[0].split(" | ", 1)
    blocks = [line for line in lines[1:] if line.strip()]
    author_at = next(i for i, line in enumerate(blocks) if line.startswith("Author: "))
    comments: list[dict] = []  # author, depth, paragraphs, parent index
    open_at_depth: dict[int, int] = {}
    for line in blocks[author_at + 2 :]:
        indent = len(line) - len(line.lstrip(" "))
        stripped = line.strip()
        if stripped.startswith("• "):
            depth = indent // 2 - 1
            parent = open_at_depth.get(depth - 1) if depth else None
            comments.append({"author": stripped[2:], "depth": depth, "paragraphs": [], "parent": parent})
            open_at_depth[depth] = len(comments) - 1
        else:
            comments[-1]["paragraphs"].append(stripped)
    return {
        "title": title,
        "deck": deck,
        "body": blocks[:author_at],
        "author": blocks[author_at].removeprefix("Author: "),
        "bio_start": blocks[author_at + 1],
        "comments": comments,
    }


def comment_markup(seed: dict) -> str:
    children: dict[int | None, list[int]] = {}
    for index, comment in enumerate(seed["comments"]):
        children.setdefault(comment["parent"], []).append(index)

    def render(index: int) -> str:
        comment = seed["comments"][index]
        paragraphs = "".join(f"<p>{html_lib.escape(p)}</p>" for p in comment["paragraphs"])
        replies = "".join(render(child) for child in children.get(index, []))
        nested = f'<ul class="children">{replies}</ul>' if replies else ""
        return (
            f'<li class="comment depth-{comment["depth"] + 1}" id="li-comment-{500 + index}">'
            f'<div id="comment-{500 + index}"><div class="comment-author vcard"><cite class="fn">'
            f'{html_lib.escape(comment["author"])}</cite> <span class="says">says:</span></div>'
            f'<div class="comment-meta commentmetadata"><a href="#comment-{500 + index}">'
            f"January 17, 2017 at {index + 1}:02 am</a></div>{paragraphs}"
            f'<div class="reply"><a class="comment-reply-link" href="#">Reply</a></div></div>{nested}</li>'
        )

    return '<ol class="commentlist">' + "".join(render(i) for i in children.get(None, [])) + "</ol>"


def seed_page(seed: dict, comments_inside_body: bool) -> str:
    body = "".join(f"<p>{html_lib.escape(p)}</p>" for p in seed["body"])
    comments = comment_markup(seed)
    return f"""<!DOCTYPE html><html lang="en-US"><head><title>{seed["title"]} | Antiwar.com</title>
    <link rel="shortlink" href="https://news.antiwar.com/?p=213503"></head>
    <body class="single postid-213503"><article id="post-213503">
    <h1 class="entry-title">{html_lib.escape(seed["title"])}</h1>
    <span class="pagesub">{html_lib.escape(seed["deck"])}</span>
    <time datetime="2017-01-16T18:12:00-05:00">January 16, 2017</time>
    <div class="entry-content">{body}
      <p>Author: <a href="https://news.antiwar.com/author/jason/">{seed["author"]}</a></p>
      <p>{seed["bio_start"]} <a href="https://www.antiwar.com/">Antiwar.com</a>.</p>
      <div class="addtoany_share_save_container"><a class="a2a_dd" href="#">Share</a></div>
      {comments if comments_inside_body else ""}
    </div></article>
    {"" if comments_inside_body else f'<div id="comments">{comments}</div>'}
    </body></html>"""


@pytest.mark.parametrize("comments_inside_body", [False, True])
def test_seed_article_body_byline_bio_and_comment_tree(comments_inside_body: bool) -> None:
    seed = read_seed()
    article = parse_article_html(seed_page(seed, comments_inside_body), "https://news.antiwar.com/x/", NEWS)

    assert article.title == seed["title"]
    assert article.deck == seed["deck"]
    assert article.post_id == 213503
    assert article.published_at == datetime(2017, 1, 16, 23, 12, tzinfo=UTC)
    assert article.body_text == "\n\n".join(seed["body"])
    assert article.bylines == [seed["author"]]
    assert article.author_bios == {seed["author"]: f"{seed['bio_start']} Antiwar.com."}
    assert article.author_slugs == {seed["author"]: "jason"}
    assert "Author:" not in article.body_html and "news editor" not in article.body_html
    assert "Share" not in article.body_text

    expected = [
        (c["author"], seed["comments"][c["parent"]]["author"] if c["parent"] is not None else None)
        for c in seed["comments"]
    ]
    by_id = {c.site_id: c for c in article.comments}
    parsed = [
        (c.author, by_id[c.parent_site_id].author if c.parent_site_id else None) for c in article.comments
    ]
    assert parsed == expected
    assert [c.parent_site_id for c in article.comments] == [None, "500", "501", "500", "503"]
    for comment, source in zip(article.comments, seed["comments"], strict=True):
        assert comment.text == "\n\n".join(source["paragraphs"])
        assert comment.text not in article.body_text


# --- hand-written fixtures for the Antiwar.com sites ---------------------------------------------------


def test_news_antiwar_fixture() -> None:
    page = (FIXTURES / "news-antiwar-article.html").read_text(encoding="utf-8")
    article = parse_article_html(page, "https://news.antiwar.com/2017/01/18/pentagon/", NEWS)

    assert article.parser == "site_html"
    assert article.url == "https://news.antiwar.com/2017/01/18/pentagon/"
    assert article.post_id == 218340
    assert article.title == "Pentagon Plans More Troops for Eastern Syria"
    assert article.deck == "Officials say deployment would back Kurdish-led forces near Raqqa"
    assert article.published_at == datetime(2017, 1, 18, 14, 5, tzinfo=UTC)
    assert article.modified_at == datetime(2017, 1, 18, 16, 40, tzinfo=UTC)
    assert article.bylines == ["Dave DeCamp"]  # not the sidebar's rel=author link
    assert article.author_bios == {
        "Dave DeCamp": "Dave DeCamp is the news editor of Antiwar.com, follow him on Twitter."
    }
    assert article.categories == ["Syria", "News"] and article.tags == ["Raqqa"]
    assert article.language == "en-US"
    assert article.body_text.split("\n\n") == [
        "Pentagon officials are drawing up plans to send several hundred more ground troops into eastern "
        "Syria, according to officials familiar with the matter.",
        "The troops would back Kurdish-led forces\npressing toward Raqqa, and would add to the roughly 500 "
        "already deployed.",
        "No decision has been made, a spokesman said.",
        "Congress has never authorized the deployment.",
    ]
    for gone in ("<script", "adsbygoogle", "addtoany", "Author:", "Dave DeCamp", "Mission creep"):
        assert gone not in article.body_html
    assert "<blockquote>" in article.body_html

    assert [(c.site_id, c.parent_site_id, c.author) for c in article.comments] == [
        ("901", None, "Mary K."),
        ("902", "901", "Pete"),
        ("904", None, "Ahmad"),  # 903 is a pingback
    ]
    assert article.comments[1].posted_at == datetime(2017, 1, 18, 23, 47, tzinfo=UTC)


def test_original_antiwar_divi_fixture() -> None:
    page = (FIXTURES / "original-antiwar-divi.html").read_text(encoding="utf-8")
    article = parse_article_html(page, "https://original.antiwar.com/paul/2017/01/16/the-empire/", ORIGINAL)

    assert article.title == "The Empire Never Sleeps"
    assert article.post_id == 2020187
    # every rel=author match in order, de-duplicated; meta[name=author] ("Antiwar Staff") loses to them
    assert article.bylines == ["Ron Paul", "Daniel McAdams"]
    assert article.author_slugs == {"Ron Paul": "paul", "Daniel McAdams": "mcadams"}
    assert article.author_bios == {
        "Ron Paul": "Ron Paul is a former Republican congressman from Texas and chairman of the "
        "Ron Paul Institute."
    }
    assert article.published_at == datetime(2017, 1, 16, 5, 0, tzinfo=UTC)  # from JSON-LD
    assert article.modified_at == datetime(2017, 1, 16, 7, 30, tzinfo=UTC)
    assert article.body_text.startswith("Every new administration promises restraint")
    # the closing reprint note leaves the body for the article's reprint fields
    assert article.body_text.endswith("More drone strikes.")
    assert article.reprint is not None
    assert (article.reprint.source, article.reprint.note) == (
        "the Ron Paul Institute",
        "Reprinted with permission from the Ron Paul Institute.",
    )
    assert "A pattern, not an accident\n\nLook at the budget requests" in article.body_text
    assert "More bases abroad.\n\nMore drone strikes." in article.body_text
    gone_markers = (
        "appeared first on",
        "Share this",
        "adsbygoogle",
        "<script",
        "former Republican",
        "code-block",
    )
    for gone in gone_markers:
        assert gone not in article.body_html
    assert article.comments == []


# --- the real WordPress theme output -------------------------------------------------------------------


@pytest.mark.parametrize("theme", ["twentytwentyone", "twentytwentythree"])
def test_real_wordpress_post_page(theme: str) -> None:
    page = shared_file("data", "wordpress", theme, "13-post-isis.html").read_text(encoding="utf-8")
    seed_text = shared_file("data", "antiwar", "seed-article.txt").read_text(encoding="utf-8")
    article = parse_article_html(page, "http://127.0.0.1:8081/?p=7", Selectors(body="div.entry-content"))

    assert article.title == "ISIS Shifts Focus to Syria as They Lose Ground in Iraq"
    assert article.post_id == 7
    assert article.published_at == datetime(2017, 1, 16, 23, 12, tzinfo=UTC)
    assert article.categories == ["Iraq", "News", "Syria"]
    assert article.tags == ["Deir Ezzor", "ISIS"]
    assert article.bylines == ["Jason Ditz"]
    body_paragraphs = article.body_text.split("\n\n")
    assert len(body_paragraphs) == 4
    assert all(paragraph in seed_text for paragraph in body_paragraphs)
    assert [(c.site_id, c.parent_site_id) for c in article.comments] == [
        ("5", None),
        ("6", "5"),
        ("7", "6"),
        ("8", "5"),
        ("9", "8"),
    ]
    assert not any(c.text[:40] in article.body_text for c in article.comments)


def test_real_wordpress_author_box_gives_bio_and_slug() -> None:
    page = shared_file("data", "wordpress", "twentytwentyone", "22-post-bypostauthor.html").read_text()
    article = parse_article_html(page, "http://127.0.0.1:8081/?p=17", Selectors(body="div.entry-content"))

    assert article.bylines == ["Dave DeCamp"]
    assert article.author_slugs == {"Dave DeCamp": "dave-decamp"}
    assert article.author_bios["Dave DeCamp"].startswith("Dave DeCamp is the news editor of Antiwar.com")
    assert len(article.comments) == 12


def wordpress_gold_pages() -> list[tuple[str, dict]]:
    gold_path = SHARED / "data" / "pages" / "gold.json"
    if not gold_path.exists():
        return []
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    pages = []
    for name, entry in sorted(gold.items()):
        html = (gold_path.parent / "html" / name).read_text(encoding="utf-8", errors="replace")
        wordpress_list = re.search(r"comment-?list", html) and re.search(r"""id=["']comment-\d+["']""", html)
        if wordpress_list and entry.get("comments"):
            pages.append((name, entry))
    return pages


def test_gold_pages_comment_snippets_are_comments_not_body() -> None:
    pages = wordpress_gold_pages()
    if not pages:
        pytest.skip("shared pages with gold annotations not available")
    assert len(pages) >= 30
    found = total = 0
    for name, entry in pages:
        html = (SHARED / "data" / "pages" / "html" / name).read_text(encoding="utf-8", errors="replace")
        article = parse_article_html(html, entry["url"], Selectors(body="div.entry-content"))
        comment_text = collapse_ws(" ".join(c.text for c in article.comments))
        body_text = collapse_ws(article.body_text)
        assert article.comments, name
        for snippet in entry["comments"]:
            total += 1
            found += collapse_ws(snippet) in comment_text
            assert collapse_ws(snippet) not in body_text, (name, snippet)
    assert found / total >= 0.95, (found, total)


# --- titles, dates, bylines from generic page conventions ----------------------------------------------


def test_title_from_title_tag_loses_site_suffix_but_og_title_is_kept() -> None:
    page = (
        "<html><head><title>Drones Over Yemen | Antiwar.com Blog</title></head><body><p>x</p></body></html>"
    )
    assert parse_article_html(page, "u", Selectors()).title == "Drones Over Yemen"
    dashed = (
        "<title>Cease-fire - What Next &#8211; Antiwar.com</title>"
        "<meta property='og:site_name' content='Antiwar.com'>"
    )
    assert parse_article_html(dashed, "u", Selectors()).title == "Cease-fire - What Next"
    og = "<meta property='og:title' content='Peace Talks | Day Two'><title>Other | Site</title>"
    assert parse_article_html(og, "u", Selectors()).title == "Peace Talks | Day Two"


def test_leading_by_line_and_feed_trailer_leave_the_body() -> None:
    page = """<h1 class="entry-title">T</h1><div class="entry-content">
      <p>By Dave DeCamp</p><p>By the time the convoy arrived, the road was closed.</p>
      <p>Second paragraph.</p>
      <p>The post <a href="#">T</a> appeared first on <a href="#">Antiwar.com</a>.</p></div>"""
    article = parse_article_html(page, "u", Selectors(body="div.entry-content"))
    assert article.bylines == ["Dave DeCamp"]
    assert article.body_text == "By the time the convoy arrived, the road was closed.\n\nSecond paragraph."


def test_several_authors_on_an_author_line() -> None:
    page = """<div class="entry-content"><p>Text.</p><p>Author: Ron Paul and Daniel McAdams</p>
      <p>Ron Paul is a former congressman.</p><p>Daniel McAdams is executive director.</p></div>"""
    article = parse_article_html(page, "u", Selectors(body="div.entry-content"))
    assert article.bylines == ["Ron Paul", "Daniel McAdams"]
    assert article.author_bios == {
        "Ron Paul": "Ron Paul is a former congressman.",
        "Daniel McAdams": "Daniel McAdams is executive director.",
    }
    assert article.body_text == "Text."


def test_byline_fallbacks_and_selector_dates() -> None:
    page = """<html><head><meta name="author" content="Kelley Beaucar Vlahos"></head><body>
      <span class="posted" data-x="1">Published 2019-05-02 10:30</span>
      <div class="entry-content"><p>Body.</p></div></body></html>"""
    article = parse_article_html(page, "u", Selectors(body="div.entry-content", date="span.posted"))
    assert article.bylines == ["Kelley Beaucar Vlahos"]
    assert article.published_at is None  # "Published ..." is no date format; nothing guessed

    page = page.replace("Published 2019-05-02 10:30", "2019-05-02 10:30")
    article = parse_article_html(page, "u", Selectors(body="div.entry-content", date="span.posted"))
    assert article.published_at == datetime(2019, 5, 2, 10, 30, tzinfo=UTC)

    byline = """<article><div class="byline">By <span class="author vcard">
      <a class="fn" href="/author/noah/">Noah   Carl</a></span></div>
      <div class="entry-content"><p>Body.</p></div></article>"""
    article = parse_article_html(byline, "u", Selectors(body="div.entry-content"))
    assert article.bylines == ["Noah Carl"]
    assert article.author_slugs == {"Noah Carl": "noah"}


# --- fallback to the generic extractor and garbage -----------------------------------------------------


def fake_generic(monkeypatch: pytest.MonkeyPatch, result: ParsedArticle) -> list[str]:
    seen: list[str] = []

    def extract_article(html: str, url: str | None = None) -> ParsedArticle:
        seen.append(html)
        return result.model_copy(update={"url": url or ""})

    module = types.ModuleType("tasks.parse.generic")
    module.extract_article = extract_article  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tasks.parse.generic", module)
    return seen


def test_generic_extractor_fills_what_selectors_miss(monkeypatch: pytest.MonkeyPatch) -> None:
    generic = ParsedArticle(
        url="",
        title="Generic title",
        bylines=[],
        body_html="<p>By Jason Ditz</p><p>Generic body.</p>",
        body_text="By Jason Ditz\n\nGeneric body.",
        tags=["generic-tag"],
        parser="generic",
    )
    seen = fake_generic(monkeypatch, generic)
    page = (FIXTURES / "news-antiwar-article.html").read_text(encoding="utf-8")
    selectors = NEWS.model_copy(update={"body": "div.no-such-body"})

    article = parse_article_html(page, "https://news.antiwar.com/a/", selectors)

    assert article.title == "Pentagon Plans More Troops for Eastern Syria"  # own selector wins
    assert article.tags == ["Raqqa"]  # own value kept
    assert article.body_text == "Generic body."  # byline moved out of the generic body too
    assert article.bylines == ["Jason Ditz"]
    assert article.parser == "site_html"
    assert len(article.comments) == 3
    assert "Mission creep" not in seen[0]  # the generic extractor never sees the comments


def test_without_generic_extractor_keeps_what_was_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tasks.parse.generic", None)  # import fails
    page = (FIXTURES / "news-antiwar-article.html").read_text(encoding="utf-8")
    article = parse_article_html(page, "https://news.antiwar.com/a/", Selectors(title="h1.entry-title"))
    assert article.parser == "site_html"
    assert article.title == "Pentagon Plans More Troops for Eastern Syria"
    assert article.body_text == ""
    assert len(article.comments) == 3


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "   ",
        "\x00\x01\xff\xfe binary",
        "<<<>>>",
        "<html><head></head></html>",
        "</div></p>" * 50,
        "<p>" * 5000,
    ],
)
def test_garbage_never_raises(monkeypatch: pytest.MonkeyPatch, junk: str) -> None:
    monkeypatch.setitem(sys.modules, "tasks.parse.generic", None)
    article = parse_article_html(junk, "https://example.org/", NEWS)
    assert article.url == "https://example.org/"
    assert article.parser == "site_html"
    assert article.title == "" and article.bylines == [] and article.comments == []


def test_bad_selector_does_not_sink_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tasks.parse.generic", None)
    page = "<h1 class='entry-title'>Kept</h1><div class='entry-content'><p>Body.</p></div>"
    article = parse_article_html(page, "u", Selectors(title="h1[", body="div.entry-content", deck=":::"))
    assert article.title == "Kept" and article.body_text == "Body."
