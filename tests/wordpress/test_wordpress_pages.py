"""The parsers and discovery against a real WordPress's own pages, feed and archives, in both themes.

No flow runs here: each test reads the site with the pipeline's plain functions and compares with what the
site holds (the scenario), so what the parsers believe about WordPress markup meets the real thing.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

import httpx
import pytest

from schemas import DiscoveryWindow, Source
from tasks.fetch.client import LiveClient
from tasks.parse.html_article import parse_article_html
from tasks.parse.wp_comments import next_comment_page_url, parse_wordpress_comments
from tasks.sources.feed.feeds import parse_feed
from tasks.sources.registry import kind_of
from tests.wordpress.conftest import Wire
from tests.wordpress.content import SINCE, SITE_OPTIONS, UNTIL
from tests.wordpress.model import Comment, Scenario, at

THREAD_DEPTH = int(SITE_OPTIONS["thread_comments_depth"])  # type: ignore[call-overload]
THREADS_PER_PAGE = int(SITE_OPTIONS["comments_per_page"])  # type: ignore[call-overload]
FEED_SIZE = int(SITE_OPTIONS["posts_per_rss"])  # type: ignore[call-overload]
# Twenty Twenty-One prints the author's bio under the post; Twenty Twenty-Three prints none.
THEMES_WITH_AUTHOR_BOX = {"twentytwentyone"}


def get(url: str) -> httpx.Response:
    response = httpx.get(url, timeout=30)
    response.raise_for_status()
    return response


def thread_order(content: Scenario, post_key: str) -> list[Comment]:
    """Visible comments as WordPress prints a thread: each one, then its replies, oldest first."""
    visible = content.public_comments(post_key)
    ordered: list[Comment] = []

    def walk(parent: str | None) -> None:
        for comment in sorted((c for c in visible if c.parent == parent), key=lambda c: c.posted):
            ordered.append(comment)
            walk(comment.key)

    walk(None)
    return ordered


def drawn_parent(content: Scenario, comment: Comment) -> str | None:
    """The parent the page shows: a reply deeper than the thread limit is drawn beside its parent."""
    ancestors: list[str] = []
    parent = comment.parent
    while parent is not None:
        ancestors.insert(0, parent)
        parent = content.comment(parent).parent
    if len(ancestors) < THREAD_DEPTH:
        return comment.parent
    return ancestors[THREAD_DEPTH - 2]


def test_article_pages_read_as_wordpress_prints_them(wire: Wire) -> None:
    refs, links = wire.site.refs, wire.site.links
    for post in wire.content.public_posts():
        page = parse_article_html(get(links[post.key]).text, links[post.key])
        author = wire.content.person(post.author)
        assert (page.post_id, page.title, page.bylines) == (refs[post.key], post.title, [author.name]), post.key
        # with no body selector declared the generic extractor finds the body; whether an image caption is
        # body text is its call (issue 3), every paragraph is not
        assert page.body_text in {post.text, post.text_without_captions}, post.key
        assert page.published_at == post.published, post.key
        # neither theme prints when a post was edited, so the page must not claim a modification time
        assert page.modified_at is None, post.key
        assert sorted(page.categories) == sorted(post.categories), post.key
        assert sorted(page.tags) == sorted(post.tags), post.key
        bios = {author.name: author.bio_text} if author.bio_text and wire.site.theme in THEMES_WITH_AUTHOR_BOX else {}
        assert page.author_bios == bios, post.key


def test_comment_threads_as_the_page_draws_them(wire: Wire) -> None:
    ids = wire.site.refs
    for post in wire.content.public_posts():
        if post.key == "post:war-powers":
            continue  # spread over pages: the next test
        link = wire.site.links[post.key]
        found = [(c.site_id, c.parent_site_id, c.author, c.text)
                 for c in parse_article_html(get(link).text, link).comments]
        expected = []
        for comment in thread_order(wire.content, post.key):
            parent = drawn_parent(wire.content, comment)
            expected.append((str(ids[comment.key]), str(ids[parent]) if parent else None, comment.author,
                             comment.text))
        assert found == expected, post.key


def test_comment_pages_walked_from_the_newest(wire: Wire) -> None:
    """The post shows its newest comment page; following "older comments" reaches every page once."""
    ids = wire.site.refs
    url: str | None = wire.site.links["post:war-powers"]
    pages: list[str] = []
    found: list[tuple[str, str | None]] = []
    while url is not None:
        assert url not in pages
        pages.append(url)
        html = get(url).text
        found.extend((c.site_id, c.parent_site_id) for c in parse_wordpress_comments(html))
        url = next_comment_page_url(html, url)
    visible = wire.content.public_comments("post:war-powers")
    threads = sum(1 for c in visible if c.parent is None)
    assert len(pages) == -(-threads // THREADS_PER_PAGE)
    assert sorted(found) == sorted((str(ids[c.key]), str(ids[c.parent]) if c.parent else None) for c in visible)


def test_the_feed_lists_the_newest_posts(wire: Wire) -> None:
    entries = parse_feed(get(wire.site.base_url + "/feed/").content)
    newest = sorted(wire.content.public_posts(), key=lambda p: p.published, reverse=True)[:FEED_SIZE]
    assert [(e.post_id, e.url, e.bylines, e.published_at) for e in entries] == [
        (wire.site.refs[p.key], wire.site.links[p.key], [wire.content.person(p.author).name], p.published)
        for p in newest
    ]
    # slash:comments counts what WordPress shows: approved comments, pingbacks included
    assert [e.comment_count for e in entries] == [
        sum(1 for c in wire.content.comments if c.post == p.key and c.approved == 1) for p in newest
    ]


@pytest.mark.parametrize(("start", "end", "expected"), [
    (SINCE, UNTIL, None),  # all: the feed's five, then January and February from month archives over pages
    (at("2017-01-16T00:00:00"), at("2017-01-17T00:00:00"), ["post:seed"]),  # a day archive
])
def test_feed_source_discovery_reaches_past_the_feed(wire: Wire, start: datetime, end: datetime,
                                                     expected: list[str] | None) -> None:
    """A site read as a feed source (no REST): older posts come from the date archives, in either theme."""
    source = Source.model_validate({
        "name": "wire-feed", "kind": "feed", "base_url": wire.site.base_url + "/",
        "feed_url": wire.site.base_url + "/feed/",
        "politeness": {"allow_private_addresses": True, "requests_per_second": 1000},
    })

    async def discover() -> list[str]:
        async with LiveClient("Wirehouse tests").session(source) as fetcher:
            found = await kind_of(source).discover(source, DiscoveryWindow(start=start, end=end), fetcher, {})
        assert found.failures == []
        return [t.url for t in found.targets]

    urls = asyncio.run(discover())
    keys = expected if expected is not None else [p.key for p in wire.content.public_posts()]
    assert sorted(urls) == sorted(wire.site.links[key] for key in keys)
