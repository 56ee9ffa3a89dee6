"""The offline Antiwar.com snapshot behaves like the real WordPress sites, in-process and on loopback."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

import feedparser
import httpx
import pytest
from protego import Protego
from selectolax.lexbor import LexborHTMLParser, LexborNode

from testing.snapshot.site import SNAPSHOT_NOW, SNAPSHOT_ROOT, SnapshotSite, serve_on_loopback

NEWS = "https://news.antiwar.com"
BLOG = "https://www.antiwar.com/blog"
ORIGINAL = "https://original.antiwar.com"
SEED_URL = f"{NEWS}/2017/01/16/isis-shifts-focus-to-syria-as-they-lose-ground-in-iraq/"
SHARED = Path(__file__).resolve().parents[2].parent / "shared"

T = TypeVar("T")


@pytest.fixture(scope="module")
def site() -> SnapshotSite:
    return SnapshotSite()


def run(site: SnapshotSite, work: Callable[[httpx.AsyncClient], Awaitable[T]]) -> T:
    """Run `work` with an AsyncClient whose transport is the snapshot (no network)."""

    async def main() -> T:
        async with httpx.AsyncClient(transport=site.transport()) as client:
            return await work(client)

    return asyncio.run(main())


def get(site: SnapshotSite, url: str, **headers: str) -> httpx.Response:
    return run(site, lambda client: client.get(url, headers=headers))


def one(root: LexborHTMLParser | LexborNode, selector: str) -> LexborNode:
    node = root.css_first(selector)
    assert node is not None, f"no {selector}"
    return node


def attr(node: LexborNode, name: str) -> str:
    value = node.attributes.get(name)
    assert value is not None, f"no {name} on {node.tag}"
    return value


def stored_posts(host: str) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in (SNAPSHOT_ROOT / host / "posts").glob("*.json")]


# ---------------------------------------------------------------- REST: posts


def test_posts_window_compares_date_gmt_and_accepts_offsets(site: SnapshotSite) -> None:
    expected = sorted(
        (p["id"] for p in stored_posts("news.antiwar.com") if "2026-07-01T00:00:00" < p["date_gmt"] < "2026-07-02"),
        reverse=True,
    )
    utc = get(site, f"{NEWS}/wp-json/wp/v2/posts?after=2026-07-01T00:00:00Z&before=2026-07-02T00:00:00Z")
    offset = get(site, f"{NEWS}/wp-json/wp/v2/posts?before=2026-07-01T20:00:00-04:00&after=2026-06-30T20:00:00-04:00")
    assert utc.status_code == offset.status_code == 200
    assert [p["id"] for p in utc.json()] == [p["id"] for p in offset.json()]
    assert sorted((p["id"] for p in utc.json()), reverse=True) == expected and len(expected) == 4
    assert utc.headers["X-WP-Total"] == "4" and utc.headers["X-WP-TotalPages"] == "1"
    assert "Link" not in utc.headers


def test_posts_paging_follows_link_headers_to_every_post_newest_first(site: SnapshotSite) -> None:
    async def walk(client: httpx.AsyncClient) -> tuple[list[httpx.Response], list[int]]:
        responses, ids = [], []
        url: str | None = f"{NEWS}/wp-json/wp/v2/posts?_embed=1&per_page=4"
        while url:
            response = await client.get(url)
            responses.append(response)
            ids += [p["id"] for p in response.json()]
            url = response.links.get("next", {}).get("url")
        return responses, ids

    responses, ids = run(site, walk)
    assert [len(r.json()) for r in responses] == [4, 4, 3]
    assert {r.headers["X-WP-Total"] for r in responses} == {"11"}
    assert {r.headers["X-WP-TotalPages"] for r in responses} == {"3"}
    assert "prev" not in responses[0].links and "next" not in responses[2].links
    assert parse_qs(urlsplit(responses[2].links["prev"]["url"]).query) == {
        "_embed": ["1"], "per_page": ["4"], "page": ["2"]}
    dates = [p["date_gmt"] for r in responses for p in r.json()]
    assert dates == sorted(dates, reverse=True)
    assert sorted(ids) == sorted(p["id"] for p in stored_posts("news.antiwar.com"))
    assert ids[-1] == 50001  # the 2017 seed is the oldest


def test_posts_order_asc_and_wordpress_errors(site: SnapshotSite) -> None:
    ascending = get(site, f"{NEWS}/wp-json/wp/v2/posts?order=asc&per_page=100").json()
    assert [p["date_gmt"] for p in ascending] == sorted(p["date_gmt"] for p in ascending)
    past_end = get(site, f"{NEWS}/wp-json/wp/v2/posts?per_page=10&page=3")
    assert past_end.status_code == 400 and past_end.json()["code"] == "rest_post_invalid_page_number"
    too_big = get(site, f"{NEWS}/wp-json/wp/v2/posts?per_page=101")
    assert too_big.status_code == 400 and too_big.json()["code"] == "rest_invalid_param"
    bad_date = get(site, f"{NEWS}/wp-json/wp/v2/posts?after=yesterday")
    assert bad_date.status_code == 400 and "after" in bad_date.json()["data"]["params"]
    # An empty window is an empty page, not an error, as in WordPress.
    empty = get(site, f"{NEWS}/wp-json/wp/v2/posts?after=2026-07-03T00:00:00Z")
    assert empty.status_code == 200 and empty.json() == [] and empty.headers["X-WP-Total"] == "0"


def test_single_post_has_embedded_author_and_co_authors_terms(site: SnapshotSite) -> None:
    seed = get(site, f"{NEWS}/wp-json/wp/v2/posts/50001/").json()  # trailing slash tolerated
    assert seed["link"] == SEED_URL and seed["date_gmt"] == "2017-01-16T23:12:00"
    assert "Author:" not in seed["content"]["rendered"] and seed["content"]["rendered"].count("<p>") == 4
    assert seed["_embedded"]["author"][0]["name"] == "jason"
    assert seed["_embedded"]["author"][0]["description"] == "Jason Ditz is news editor of Antiwar.com."
    assert seed["coauthors"] == [] and seed["_embedded"]["wp:term"][2] == []
    decamp = get(site, f"{NEWS}/wp-json/wp/v2/posts/173702").json()
    cap_terms = decamp["_embedded"]["wp:term"][2]
    assert [(t["name"], t["taxonomy"]) for t in cap_terms] == [("Dave DeCamp", "author")]
    assert decamp["coauthors"] == [cap_terms[0]["id"]]
    missing = get(site, f"{NEWS}/wp-json/wp/v2/posts/999")
    assert missing.status_code == 404 and missing.json()["code"] == "rest_post_invalid_id"


def test_rest_json_is_encoded_like_php(site: SnapshotSite) -> None:
    raw = get(site, f"{NEWS}/wp-json/wp/v2/posts/50001").content
    assert b"https:\\/\\/news.antiwar.com\\/2017\\/01\\/16\\/" in raw and b"\\u2019" in raw
    assert raw.isascii()


# ---------------------------------------------------------------- REST: comments


def test_comments_newest_first_with_paging_and_seed_tree(site: SnapshotSite) -> None:
    first = get(site, f"{NEWS}/wp-json/wp/v2/comments?per_page=2&post=50001")
    assert first.headers["X-WP-Total"] == "5" and first.headers["X-WP-TotalPages"] == "3"
    default_order = get(site, f"{NEWS}/wp-json/wp/v2/comments?post=50001").json()
    assert [c["date_gmt"] for c in default_order] == sorted((c["date_gmt"] for c in default_order), reverse=True)
    assert [c["id"] for c in first.json()] == [c["id"] for c in default_order[:2]]
    ascending = get(site, f"{NEWS}/wp-json/wp/v2/comments?post=50001&order=asc").json()
    assert [c["id"] for c in ascending] == [c["id"] for c in reversed(default_order)]
    by_id = {c["id"]: c for c in ascending}
    tree = [(c["author_name"], by_id[c["parent"]]["author_name"] if c["parent"] else None) for c in ascending]
    assert tree == [("Don", None), ("Tom Mauel", "Don"), ("Don", "Tom Mauel"), ("Bianca", "Don"), ("Don", "Bianca")]
    assert {c["status"] for c in ascending} == {"approved"} and {c["post"] for c in ascending} == {50001}
    past_end = get(site, f"{NEWS}/wp-json/wp/v2/comments?post=50001&page=2")
    assert past_end.status_code == 400 and past_end.json()["code"] == "rest_comment_invalid_page_number"


def test_original_rest_answers_401_everywhere(site: SnapshotSite) -> None:
    for path in ("/wp-json/", "/wp-json/wp/v2/posts?per_page=5", "/wp-json/wp/v2/comments?post=2012363620"):
        response = get(site, ORIGINAL + path)
        assert response.status_code == 401
        assert response.json() == {"code": "rest_forbidden", "message": "Sorry, you are not allowed to do that.",
                                   "data": {"status": 401}}
    assert get(site, f"{BLOG}/wp-json/wp/v2/posts").status_code == 200


# ---------------------------------------------------------------- feeds


def rest_comment_total(site: SnapshotSite, rest_root: str, post_id: int) -> int:
    return int(get(site, f"{rest_root}/wp-json/wp/v2/comments?post={post_id}").headers["X-WP-Total"])


def test_news_feed_matches_rest_counts_and_keeps_the_sites_quirks(site: SnapshotSite) -> None:
    response = get(site, f"{NEWS}/feed/")
    assert response.headers["Content-Type"] == "application/rss+xml; charset=UTF-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo and len(feed.entries) == 10
    for entry in feed.entries:
        post_id = int(entry.id.rsplit("=", 1)[1])
        assert entry.id == f"https://news.antiwar.com/?p={post_id}"
        query = parse_qs(urlsplit(entry.link).query)
        assert query["utm_source"] == ["rss"] and query["utm_campaign"] == [urlsplit(entry.link).path.split("/")[-2]]
        # As on the real feed, the ellipsis entity sits inside CDATA, so it stays literal.
        assert "content" not in entry and entry.summary.endswith("[&#8230;]")
        assert int(entry.slash_comments) == rest_comment_total(site, NEWS, post_id)
    assert sum(int(e.slash_comments) for e in feed.entries) == 9  # the seed's 5 are not in the 10 newest
    jason = next(e for e in feed.entries if e.author == "Jason Ditz")
    post = get(site, f"{NEWS}/wp-json/wp/v2/posts/{jason.id.rsplit('=', 1)[1]}").json()
    assert post["_embedded"]["author"][0]["name"] == "jason"


def test_blog_feed_disagrees_with_rest_user_names(site: SnapshotSite) -> None:
    feed = feedparser.parse(get(site, f"{BLOG}/feed/").content)
    pairs = set()
    for entry in feed.entries:
        post_id = entry.id.rsplit("=", 1)[1]
        assert "utm_" not in entry.link and entry.link.startswith(f"{BLOG}/2026/")
        post = get(site, f"{BLOG}/wp-json/wp/v2/posts/{post_id}").json()
        pairs.add((post["_embedded"]["author"][0]["name"], entry.author))
        assert int(entry.slash_comments) == rest_comment_total(site, BLOG, int(post_id))
    assert {("vlahos", "Kelley Beaucar Vlahos"), ("NoahCarl", "Noah Carl"),
            ("Paul McAdams", "Ron Paul and Daniel McAdams"), ("Marc Scaringi", "Marc A. Scaringi. Esq.")} <= pairs


def test_original_feed_and_divi_page(site: SnapshotSite) -> None:
    feed = feedparser.parse(get(site, f"{ORIGINAL}/feed/").content)
    assert len(feed.entries) == 6
    slugs = {urlsplit(e.link).path.split("/")[1] for e in feed.entries}
    assert {"paul", "ramzy-baroud", "dan_steinbock"} <= slugs
    column = next(e for e in feed.entries if e.author == "Ron Paul")
    assert column.published == "Thu, 02 Jul 2026 00:00:18 +0000" and "/paul/2026/07/01/" in column.link
    page = LexborHTMLParser(get(site, column.link).text)  # the utm parameters do not matter
    body = one(page, "div.et_pb_post_content_0_tb_body")
    assert body.css_first("a[rel=author]") is None
    last_element = list(body.iter())[-1]
    assert "addtoany_share_save_container" in (last_element.attributes.get("class") or "")
    assert one(page, "a[rel=author]").text() == "Ron Paul"
    assert page.css_first(".author-bio") is not None and body.css_first(".author-bio") is None  # bio outside body
    assert len(page.css("ol.commentlist li.comment")) == int(column.slash_comments) == 3


# ---------------------------------------------------------------- the seed page


def thread(node: LexborNode) -> list[tuple[str, list[Any]]]:
    """(commenter, replies) for each li.comment directly under `node`'s list."""
    items = []
    for li in node.iter():
        if li.tag == "li" and "comment" in (li.attributes.get("class") or "").split():
            name = one(li, ".comment-author .fn").text()
            replies = next((c for c in li.iter() if c.tag in ("ul", "ol")), None)
            items.append((name, thread(replies) if replies is not None else []))
    return items


def test_seed_page_holds_the_article_and_its_comment_thread(site: SnapshotSite) -> None:
    page = LexborHTMLParser(get(site, SEED_URL).text)
    assert one(page, "h1.entry-title").text() == "ISIS Shifts Focus to Syria as They Lose Ground in Iraq"
    deck = "Deir Ezzor offensive seen as effort to shore up control in Syria’s east"
    assert one(page, "span.pagesub").text() == deck
    published = attr(one(page, 'meta[property="article:published_time"]'), "content")
    assert published == "2017-01-16T23:12:00+00:00"
    assert attr(one(page, "time.entry-date"), "datetime") == "2017-01-16T18:12:00-05:00"
    paragraphs = [p.text() for p in page.css("div.entry-content > p")]
    assert paragraphs[-2:] == ["Author: Jason Ditz", "Jason Ditz is news editor of Antiwar.com."]
    commentlist = one(page, "ol.commentlist")
    assert thread(commentlist) == [
        ("Don", [("Tom Mauel", [("Don", [])]), ("Bianca", [("Don", [])])]),
    ]
    assert [attr(n, "id") for n in commentlist.css("li.comment")] == [f"comment-30510{i}" for i in range(1, 6)]
    # The sidebar also names commenters: a parser must not take it for the thread.
    assert page.css_first("#recentcomments .comment-author-link") is not None
    if SHARED.is_dir():
        seed = (SHARED / "data/antiwar/seed-article.txt").read_text().split("\n\n")
        title, deck = seed[0].split(" | ")
        assert (title, deck) == (one(page, "h1.entry-title").text(), one(page, "span.pagesub").text())
        assert paragraphs[:4] == seed[1:5]


# ---------------------------------------------------------------- HTTP behaviour


def test_conditional_get_answers_304(site: SnapshotSite) -> None:
    for url in (f"{NEWS}/feed/", f"{NEWS}/wp-json/wp/v2/posts?per_page=3", SEED_URL):
        first = get(site, url)
        assert first.status_code == 200 and first.headers["ETag"].startswith('"')
        again = get(site, url, **{"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == first.headers["ETag"]
        assert get(site, url, **{"If-None-Match": '"stale"'}).status_code == 200
        by_date = get(site, url, **{"If-Modified-Since": first.headers["Last-Modified"]})
        assert by_date.status_code == 304
    feed_modified = get(site, f"{NEWS}/feed/").headers["Last-Modified"]
    assert feed_modified == "Thu, 02 Jul 2026 21:05:51 GMT"


def test_redirects_404_and_unknown_hosts(site: SnapshotSite) -> None:
    no_slash = get(site, SEED_URL.rstrip("/"))
    assert no_slash.status_code == 301 and no_slash.headers["Location"] == SEED_URL
    shortlink = get(site, f"{NEWS}/?p=50001")
    assert shortlink.status_code == 301 and shortlink.headers["Location"] == SEED_URL
    missing = get(site, f"{NEWS}/2026/07/02/no-such-post/")
    assert missing.status_code == 404 and missing.headers["Content-Type"] == "text/html; charset=UTF-8"
    assert "can&rsquo;t be found" in missing.text
    with pytest.raises(httpx.ConnectError):
        get(site, "https://example.org/")


def test_day_archives_list_that_days_posts(site: SnapshotSite) -> None:
    archive = LexborHTMLParser(get(site, f"{NEWS}/2026/07/02/").text)
    links = [attr(a, "href") for a in archive.css("h2.front-entry-title a")]
    expected = [p["link"] for p in stored_posts("news.antiwar.com") if p["date"].startswith("2026-07-02")]
    assert sorted(links) == sorted(expected) and len(links) == 3


def test_robots_keep_the_crawl_delay_off_the_demo(site: SnapshotSite) -> None:
    robots = Protego.parse(get(site, "https://www.antiwar.com/robots.txt").text)
    assert robots.crawl_delay("Wirehouse/0.1") is None and robots.crawl_delay("SlowCrawler") == 10
    assert robots.can_fetch(f"{BLOG}/feed/", "Wirehouse/0.1")
    assert not robots.can_fetch(f"{BLOG}/wp-admin/options.php", "Wirehouse/0.1")


def test_every_post_date_is_before_the_snapshot_moment() -> None:
    for host in ("news.antiwar.com", "www.antiwar.com", "original.antiwar.com"):
        assert max(p["date_gmt"] for p in stored_posts(host)) < SNAPSHOT_NOW.strftime("%Y-%m-%dT%H:%M:%S")


def test_snapshot_folder_stays_small() -> None:
    size = sum(p.stat().st_size for p in SNAPSHOT_ROOT.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    assert size < 400_000


# ---------------------------------------------------------------- loopback


def test_loopback_server_rewrites_its_own_host() -> None:
    with serve_on_loopback("news.antiwar.com") as base, httpx.Client(base_url=base) as client:
        assert base.startswith("http://127.0.0.1:")
        feed = feedparser.parse(client.get("/feed/").content)
        assert all(e.link.startswith(f"{base}/2026/") for e in feed.entries)
        article = client.get(feed.entries[0].link)
        assert article.status_code == 200 and f'href="{base}/feed/"' in article.text
        assert 'href="https://www.antiwar.com/"' in article.text  # other hosts are left alone
        listing = client.get("/wp-json/wp/v2/posts", params={"per_page": 5})
        assert all(p["link"].startswith(base + "/") for p in listing.json())
        assert listing.links["next"]["url"].startswith(f"{base}/wp-json/wp/v2/posts?")
        assert client.get(listing.links["next"]["url"]).status_code == 200
        etag = listing.headers["ETag"]
        again = client.get("/wp-json/wp/v2/posts", params={"per_page": 5}, headers={"If-None-Match": etag})
        assert again.status_code == 304
        redirect = client.get("/2017/01/16/isis-shifts-focus-to-syria-as-they-lose-ground-in-iraq")
        assert redirect.status_code == 301 and redirect.headers["Location"].startswith(base + "/2017/")
        head = client.head("/feed/")
        assert head.status_code == 200 and head.content == b""


def test_loopback_blog_lives_under_blog() -> None:
    with serve_on_loopback("www.antiwar.com") as base, httpx.Client(base_url=base) as client:
        feed = feedparser.parse(client.get("/blog/feed/").content)
        assert len(feed.entries) == 6 and all(e.link.startswith(f"{base}/blog/2026/") for e in feed.entries)
        posts = client.get("/blog/wp-json/wp/v2/posts").json()
        assert {p["link"] for p in posts} == {e.link for e in feed.entries}
        assert client.get("/robots.txt").status_code == 200
        assert client.get("/wp-json/wp/v2/posts").status_code == 404  # the REST API is the blog's
