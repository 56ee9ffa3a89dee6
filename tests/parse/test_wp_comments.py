"""WordPress native comment markup: threads, authors, times, text, comment pages."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from tasks.parse.wp_comments import (
    comment_page_urls,
    next_comment_page_url,
    parse_wordpress_comments,
    parse_wp_datetime,
)

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
WORDPRESS = SHARED / "data" / "wordpress"
THEMES = ["twentytwentyone", "twentytwentythree"]
PAGINATED_URL = "http://127.0.0.1:8081/2026/01/12/congress-debates-new-limits-on-presidential-war-powers/"


def wordpress_file(theme: str, name: str) -> str:
    path = WORDPRESS / theme / name
    if not path.exists():
        pytest.skip(f"shared WordPress capture not available: {path}")
    return path.read_text(encoding="utf-8")


def rest_comments(theme: str, name: str) -> list[dict]:
    return json.loads(wordpress_file(theme, name))


def depth_classes(html: str) -> dict[str, int]:
    """WordPress's own nesting count for each comment: the depth-N class it writes on each <li>."""
    depths: dict[str, int] = {}
    for tag in re.findall(r"<li\b[^>]*>", html):
        comment_id = re.search(r'id="comment-(\d+)"', tag)
        depth = re.search(r"\bdepth-(\d+)\b", tag)
        if comment_id and depth:
            depths[comment_id.group(1)] = int(depth.group(1))
    return depths


def parsed_depths(comments: list) -> dict[str, int]:
    parents = {c.site_id: c.parent_site_id for c in comments}
    depths: dict[str, int] = {}
    for site_id in parents:
        depth, current = 1, parents[site_id]
        while current is not None:
            depth, current = depth + 1, parents[current]
        depths[site_id] = depth
    return depths


@pytest.mark.parametrize("theme", THEMES)
def test_seed_thread_has_exact_parents_authors_and_order(theme: str) -> None:
    comments = parse_wordpress_comments(wordpress_file(theme, "13-post-isis.html"))

    assert [(c.site_id, c.parent_site_id, c.author) for c in comments] == [
        ("5", None, "Don"),
        ("6", "5", "Tom Mauel"),
        ("7", "6", "Don"),
        ("8", "5", "Bianca"),
        ("9", "8", "Don"),
    ]
    first = comments[0]
    assert first.posted_at == datetime(2017, 1, 17, 0, 3, tzinfo=UTC)
    assert first.text.startswith("Exactly as planned by the US")
    assert first.text.endswith("luv from Canada.")
    assert first.text.count("\n\n") == 2  # three paragraphs
    assert "Reply" not in first.text and "says" not in first.text
    assert first.html.startswith("<p>Exactly as planned") and "comment-reply-link" not in first.html


@pytest.mark.parametrize("theme", THEMES)
def test_thread_matches_the_rest_api(theme: str) -> None:
    comments = parse_wordpress_comments(wordpress_file(theme, "13-post-isis.html"))
    rest = rest_comments(theme, "04-comments-isis.json")

    from_rest = {str(c["id"]): (str(c["parent"]) if c["parent"] else None, c["author_name"]) for c in rest}
    assert {c.site_id: (c.parent_site_id, c.author) for c in comments} == from_rest
    gmt = {str(c["id"]): datetime.fromisoformat(c["date_gmt"]).replace(tzinfo=UTC) for c in rest}
    assert {c.site_id: c.posted_at for c in comments} == gmt


@pytest.mark.parametrize("theme", THEMES)
def test_reply_chain_past_thread_limit_keeps_page_nesting(theme: str) -> None:
    html = wordpress_file(theme, "17-post-depth6.html")
    comments = parse_wordpress_comments(html)

    expected = depth_classes(html)
    assert len(expected) == 8
    assert parsed_depths(comments) == expected
    assert max(expected.values()) == 5
    # the sixth reply is drawn at the last level, next to the fifth: both answer the fourth
    by_id = {c.site_id: c for c in comments}
    assert by_id["14"].parent_site_id == by_id["15"].parent_site_id == "13"
    assert [c.site_id for c in comments] == ["10", "11", "12", "13", "14", "15", "16", "17"]


@pytest.mark.parametrize("theme", THEMES)
def test_post_author_replies_are_threaded(theme: str) -> None:
    html = wordpress_file(theme, "22-post-bypostauthor.html")
    comments = parse_wordpress_comments(html)

    assert len(comments) == 12
    assert parsed_depths(comments) == depth_classes(html)
    replies_by_author = [(c.site_id, c.parent_site_id) for c in comments if c.author == "Dave DeCamp"]
    assert replies_by_author == [("59", "58"), ("69", "68")]
    assert all(c.text and c.posted_at for c in comments)


@pytest.mark.parametrize("theme", THEMES)
def test_comment_pages_walk_to_older_pages_and_cover_every_comment(theme: str) -> None:
    newest = wordpress_file(theme, "14-post-paginated.html")
    page1 = wordpress_file(theme, "15-post-paginated-cpage1.html")
    page2 = wordpress_file(theme, "16-post-paginated-cpage2.html")
    page1_url, page2_url = PAGINATED_URL + "comment-page-1/", PAGINATED_URL + "comment-page-2/"

    assert next_comment_page_url(newest, PAGINATED_URL) == page2_url
    assert next_comment_page_url(page2, page2_url) == page1_url
    assert next_comment_page_url(page1, page1_url) is None
    assert comment_page_urls(newest, PAGINATED_URL) == [page2_url, page1_url]
    assert comment_page_urls(page1, page1_url) == [PAGINATED_URL + "comment-page-3/", page2_url]

    pages = [parse_wordpress_comments(html) for html in (newest, page2, page1)]
    ids = [c.site_id for page in pages for c in page]
    assert len(ids) == len(set(ids)) == 30  # X-WP-Total of the REST capture
    rest = rest_comments(theme, "05-comments-paginated-p1.json")
    parsed = {c.site_id: c.parent_site_id for page in pages for c in page}
    for item in rest:
        assert parsed[str(item["id"])] == (str(item["parent"]) if item["parent"] else None)


def test_no_comment_page_link_without_pagination() -> None:
    html = "<ol class='comment-list'><li id='comment-1' class='comment'><p>x</p></li></ol>"
    assert next_comment_page_url(html, "https://example.org/post/") is None
    assert comment_page_urls(html, "https://example.org/post/") == []
    # post navigation (previous *post*) is not a comment page
    nav = "<nav class='navigation'><div class='nav-previous'><a href='/older-post/'>Older</a></div></nav>"
    assert next_comment_page_url(nav, "https://example.org/post/") is None


CLASSIC = """
<ol class="commentlist">
  <li class="comment depth-1" id="li-comment-11">
    <div id="comment-11">
      <div class="comment-author vcard"><cite class="fn"><a href="http://ex.org" class="url">Ann</a></cite>
        <span class="says">says:</span></div>
      <div class="comment-meta commentmetadata"><a href="#comment-11">January 17, 2017 at 9:02 am</a></div>
      <p>First <b>point</b>.</p><p>Second   point.</p>
      <div class="reply"><a class="comment-reply-link" href="#">Reply</a></div>
    </div>
    <ul class="children">
      <li class="pingback depth-2" id="li-comment-12">
        <div id="comment-12"><div class="comment-author vcard"><cite class="fn">A Blog</cite></div>
          <p>[...] linked [...]</p></div>
        <ul class="children">
          <li class="comment depth-3" id="li-comment-13">
            <div id="comment-13"><div class="comment-author vcard"><b class="fn">Bo</b></div>
              <div class="comment-meta commentmetadata">
                <a href="#comment-13">March 3, 2019 at 11:30 pm</a></div>
              <p>Reply to a pingback.</p><p class="comment-awaiting-moderation">Awaiting moderation.</p>
              <script>alert(1)</script></div>
          </li>
        </ul>
      </li>
    </ul>
  </li>
  <li class="trackback depth-1" id="li-comment-14"><div id="comment-14"><p>tb</p></div></li>
  <li class="comment depth-1" id="li-comment-15"><div id="comment-15"><div class="comment-author vcard">
    <cite class="fn">Cy</cite></div><p onclick="steal()">Third.</p></div></li>
</ol>
"""


def test_classic_markup_ids_pingbacks_dates_and_sanitizing() -> None:
    comments = parse_wordpress_comments(CLASSIC)

    assert [(c.site_id, c.parent_site_id, c.author) for c in comments] == [
        ("11", None, "Ann"),
        ("13", "11", "Bo"),  # its pingback parent is skipped: it hangs from the comment above
        ("15", None, "Cy"),
    ]
    ann, bo, cy = comments
    assert ann.text == "First point.\n\nSecond point."
    assert ann.posted_at == datetime(2017, 1, 17, 9, 2, tzinfo=UTC)
    assert bo.posted_at == datetime(2019, 3, 3, 23, 30, tzinfo=UTC)
    assert bo.text == "Reply to a pingback."
    assert "script" not in bo.html and "alert" not in bo.html
    assert "onclick" not in cy.html and cy.text == "Third."


def test_old_theme_with_signature_cites_and_id_list() -> None:
    html = """<ol id="commentlist">
      <li id="comment-9257"><p>Plain words.</p>
        <p><cite>Comment by <a href="http://x.de" class="url">Mirko Lange</a> &#8212; 17.07, 2011 @
        <a href="#comment-9257">13:04</a></cite></p></li>
      <li id="comment-9258"><p>More words.</p><p><cite>Comment by Daniel &#8212; 17.07, 2011</cite></p></li>
    </ol>"""
    comments = parse_wordpress_comments(html)
    assert [(c.site_id, c.author, c.text) for c in comments] == [
        ("9257", "Mirko Lange", "Plain words."),
        ("9258", "Daniel", "More words."),
    ]


def test_div_comment_threads() -> None:
    html = """<div class="comment-list">
      <div class="comment" id="comment-1"><div class="comment-author"><span class="fn">Ida</span></div>
        <div class="comment-content"><p>Top.</p></div>
        <div class="children"><div class="comment" id="comment-2">
          <div class="comment-author"><span class="fn">Jo</span></div>
          <div class="comment-content">Under.</div>
        </div></div>
      </div>
    </div>"""
    comments = parse_wordpress_comments(html)
    assert [(c.site_id, c.parent_site_id, c.author, c.text) for c in comments] == [
        ("1", None, "Ida", "Top."),
        ("2", "1", "Jo", "Under."),
    ]


def test_accepts_a_parsed_node_and_ignores_latest_comment_widgets() -> None:
    html = """<aside><ol class="wp-block-latest-comments"><li class="wp-block-latest-comments__comment">
      <a href="/p/#comment-3">Someone</a> on <a href="/p/">Post</a></li></ol></aside>
      <ol class="comment-list">
        <li id="comment-3" class="comment"><div class="comment-content">Hi</div></li></ol>"""
    body = LexborHTMLParser(html).body
    assert body is not None
    comments = parse_wordpress_comments(body)
    assert [(c.site_id, c.text) for c in comments] == [("3", "Hi")]


@pytest.mark.parametrize(
    "junk", ["", "   ", "\x00\xff\xfe", "<ol class='commentlist'><li class='comment'>", "<<>>"]
)
def test_garbage_gives_no_comments_and_no_error(junk: str) -> None:
    comments = parse_wordpress_comments(junk)
    assert all(c.site_id for c in comments)
    assert next_comment_page_url(junk, "https://example.org/") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("January 17, 2017 at 9:02 am", datetime(2017, 1, 17, 9, 2, tzinfo=UTC)),
        ("January 17, 2017 at 9:02 pm", datetime(2017, 1, 17, 21, 2, tzinfo=UTC)),
        ("Jan 5, 2020 at 12:15 AM", datetime(2020, 1, 5, 0, 15, tzinfo=UTC)),
        ("17 January 2017 at 14:57", datetime(2017, 1, 17, 14, 57, tzinfo=UTC)),
        ("2017-01-16T19:03:00-05:00", datetime(2017, 1, 17, 0, 3, tzinfo=UTC)),
        ("2017-01-16T19:03:00Z", datetime(2017, 1, 16, 19, 3, tzinfo=UTC)),
        ("2017-01-16 19:03", datetime(2017, 1, 16, 19, 3, tzinfo=UTC)),
        ("January 3rd, 2017", datetime(2017, 1, 3, tzinfo=UTC)),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_wp_datetime(text: str | None, expected: datetime | None) -> None:
    assert parse_wp_datetime(text) == expected


def test_a_name_box_holding_the_date_and_the_reply_link_gives_the_name_alone(shared: Path) -> None:
    """A real theme (Avada) puts the name, the date and the reply link in one .comment-author box:
    "<strong>Ben</strong> 19. Juni 2018 um 15:28 Uhr <a class='comment-reply-link'> - Antworten</a>"."""
    page = (shared / "data" / "pages" / "html" / "moritz-meyer.net.vreni.html").read_text(errors="replace")
    comments = parse_wordpress_comments(LexborHTMLParser(page).root)
    authors = [c.author for c in comments]
    assert len(comments) == 20 and authors[0] == "Ben"
    assert authors.count("MoritzMeyer") == 5  # the author answering five times is one name, not five
    assert not [a for a in authors if re.search(r"\d|Antworten", a)]


def test_a_name_box_without_a_name_element_loses_its_date_and_reply_link() -> None:
    page = ("<ol class='commentlist'><li class='comment' id='comment-3'><div class='comment-author'>Old Navy Hand "
            "<time datetime='2026-07-01T10:00:00+00:00'>July 1, 2026</time> <a class='comment-reply-link' "
            "href='?replytocom=3'>Reply</a></div><div class='comment-content'><p>Seen it before.</p></div></li></ol>")
    (comment,) = parse_wordpress_comments(LexborHTMLParser(page).root)
    assert (comment.author, comment.text) == ("Old Navy Hand", "Seen it before.")
