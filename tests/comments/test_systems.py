"""WordPress comment pages and per-post comment feeds, fetched and merged like any article's thread.

A real WordPress 6.1.9 (../shared/data/wordpress) in both of its themes is served from a loopback server: its
post pages, its comment pages (/comment-page-N/) and its per-post comment feed. The thread read through the
fetch and parse stages is compared with the same site's REST API answer.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser

from schemas.pipeline import ParsedArticle, Target, TargetKind
from schemas.source import Source
from tasks.comments.base import SystemName as CommentSystem
from tasks.comments.detect import page_signals
from tasks.comments.registry import choose_system
from tasks.fetch.fetcher import Fetcher
from tasks.normalize.comments import normalize_comments
from tasks.parse.wp_comments import COMMENT_LIST_SELECTOR
from tasks.sources.reading import parse_fetched
from tasks.sources.targets import fetch_target
from testing.http_server import Handler, respond, serve
from tests.conftest import SHARED
from tests.flows.helpers import FAST_LOOPBACK

WORDPRESS = SHARED / "data" / "wordpress"
THEMES = ["twentytwentyone", "twentytwentythree"]
CAPTURED_HOST = "http://127.0.0.1:8081"
PAGINATED = "/2026/01/12/congress-debates-new-limits-on-presidential-war-powers/"
ISIS = "/2017/01/16/isis-shifts-focus-to-syria-as-they-lose-ground-in-iraq/"
HTML = {"Content-Type": "text/html; charset=UTF-8"}


def capture(theme: str, name: str) -> str:
    path = WORDPRESS / theme / name
    if not path.exists():
        pytest.skip(f"shared WordPress capture not available: {path}")
    return path.read_text(encoding="utf-8")


def rebased(text: str, base: str) -> bytes:
    return text.replace(CAPTURED_HOST, base).encode()


@contextmanager
def wordpress_site(theme: str, overrides: dict[str, Handler] | None = None) -> Iterator[tuple[str, dict[str, int]]]:
    """The captured site on a loopback port: captured URLs point at it, `overrides` replace some answers."""
    pages = {
        PAGINATED: "14-post-paginated.html",
        PAGINATED + "comment-page-1/": "15-post-paginated-cpage1.html",
        PAGINATED + "comment-page-2/": "16-post-paginated-cpage2.html",
        ISIS: "13-post-isis.html",
    }
    texts = {path: capture(theme, name) for path, name in pages.items()}
    feed = capture(theme, "12-post-isis-comments-feed.xml")
    holder: dict[str, str] = {}

    def page(path: str) -> Handler:
        return lambda request: respond(200, rebased(texts[path], holder["base"]), HTML)(request)

    routes: dict[str, Handler] = {path: page(path) for path in texts}
    routes[ISIS + "feed/"] = lambda request: respond(
        200, rebased(feed, holder["base"]), {"Content-Type": "application/rss+xml; charset=UTF-8"})(request)
    routes.update(overrides or {})
    with serve(routes) as (base, hits):  # type: ignore[arg-type]
        holder["base"] = base
        yield base, hits


def source_for(base: str) -> Source:
    return Source.model_validate({"name": "realwp", "kind": "feed", "base_url": base + "/",
                                  "selectors": {"body": "div.entry-content"}, "politeness": FAST_LOOPBACK})


def read(base: str, path: str, comment_count_hint: int | None = None) -> tuple[ParsedArticle, list[str]]:
    source = source_for(base)

    async def run():  # type: ignore[no-untyped-def]
        async with httpx.AsyncClient() as client:
            fetcher = Fetcher(source, client, "wirehouse-test", throttle=False)
            target = Target(source=source.name, kind=TargetKind.HTML_ARTICLE, url=base + path,
                            comment_count_hint=comment_count_hint, discovered_at=datetime.now(UTC))
            return await fetch_target(source, target, fetcher, {})

    fetched = asyncio.run(run())
    assert fetched.failure is None, fetched.failure
    return parse_fetched(fetched, source), [r.role for r in fetched.responses]


def rest_thread(theme: str) -> dict[str, str | None]:
    """Parent of every comment of the paginated post, as the site's REST API says (all 30 of them)."""
    items = json.loads(capture(theme, "05-comments-paginated-p1.json"))
    return {str(c["id"]): str(c["parent"]) if c["parent"] else None for c in items}


@pytest.mark.parametrize("theme", THEMES)
def test_every_comment_page_is_fetched_and_the_thread_is_whole_in_page_order(theme: str) -> None:
    with wordpress_site(theme) as (base, hits):
        article, roles = read(base, PAGINATED)

    assert roles == ["article", "comment_page", "comment_page"]
    assert hits[PAGINATED + "comment-page-1/"] == hits[PAGINATED + "comment-page-2/"] == 1
    ids = [c.site_id for c in article.comments]
    assert len(ids) == len(set(ids)) == 30  # X-WP-Total of the site's REST answer
    parents = {c.site_id: c.parent_site_id for c in article.comments}
    for site_id, parent in rest_thread(theme).items():  # the REST capture holds the newest ten
        assert parents[site_id] == parent
    # oldest page first: top-level comments in posting order, each reply after its parent
    roots = [c.posted_at for c in article.comments if c.parent_site_id is None]
    assert roots == sorted(roots)
    seen: set[str] = set()
    for comment in article.comments:
        assert comment.parent_site_id is None or comment.parent_site_id in seen
        seen.add(comment.site_id)
    assert article.comments_complete and article.comment_read.system == CommentSystem.WORDPRESS
    # the pages' markup stays out of the body
    assert not any(c.text[:40] in article.body_text for c in article.comments)


@pytest.mark.parametrize("theme", THEMES)
def test_a_comment_page_that_fails_leaves_the_thread_incomplete(theme: str) -> None:
    broken = {PAGINATED + "comment-page-1/": respond(500, b"database error")}
    with wordpress_site(theme, broken) as (base, _hits):
        article, _roles = read(base, PAGINATED)

    assert len(article.comments) == 30 - 13  # page 1 held 13 of them
    assert not article.comments_complete, "a gap must never let the load mark comments deleted"
    assert "read in part" in article.comment_read.note
    rows = normalize_comments("a1", article.comments)
    assert len(rows) == 17 and all(r.depth >= 0 for r in rows)


@pytest.mark.parametrize("theme", THEMES)
def test_single_page_thread_fetches_nothing_more(theme: str) -> None:
    with wordpress_site(theme) as (base, hits):
        article, roles = read(base, ISIS, comment_count_hint=5)
    assert roles == ["article"]
    assert not any("feed" in path for path in hits)
    assert [(c.site_id, c.parent_site_id, c.author) for c in article.comments] == [
        ("5", None, "Don"), ("6", "5", "Tom Mauel"), ("7", "6", "Don"), ("8", "5", "Bianca"), ("9", "8", "Don")]
    assert article.comments_complete


def _without_comment_list(theme: str, base: str) -> bytes:
    """The post page as a theme that draws its comments by script serves it: no comment markup at all."""
    tree = LexborHTMLParser(rebased(capture(theme, "13-post-isis.html"), base).decode())
    for comment_list in tree.css(COMMENT_LIST_SELECTOR):
        comment_list.decompose()
    return (tree.html or "").encode()


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize(("hint", "complete"), [(5, True), (7, False), (None, False)])
def test_comment_feed_is_the_fallback_when_the_page_shows_no_thread(theme: str, hint: int | None,
                                                                     complete: bool) -> None:
    holder: dict[str, str] = {}
    override = {ISIS: lambda request: respond(200, _without_comment_list(theme, holder["base"]), HTML)(request)}
    with wordpress_site(theme, override) as (base, hits):
        holder["base"] = base
        article, roles = read(base, ISIS, comment_count_hint=hint)

    assert 'id="comment-5"' not in _without_comment_list(theme, base).decode()
    assert roles == ["article", "comment_feed"] and hits[ISIS + "feed/"] == 1
    assert article.comment_read.system == CommentSystem.COMMENT_FEED
    assert article.comment_read.thread_ref == base + ISIS + "feed/"
    assert [(c.site_id, c.parent_site_id, c.author) for c in article.comments] == [
        ("5", None, "Don"), ("6", "5", "Tom Mauel"), ("7", "6", "Don"), ("8", "5", "Bianca"), ("9", "8", "Don")]
    assert all("In reply to" not in c.text for c in article.comments)
    assert article.comments[1].text.startswith("Trump has indicated he would disengage")
    # the feed holds only the newest comments: whole only when it holds as many as the site counts
    assert article.comments_complete is complete


def test_post_that_advertises_no_comments_costs_no_feed_request() -> None:
    holder: dict[str, str] = {}
    override = {ISIS: lambda request: respond(200, _without_comment_list(THEMES[0], holder["base"]), HTML)(request)}
    with wordpress_site(THEMES[0], override) as (base, hits):
        holder["base"] = base
        article, roles = read(base, ISIS, comment_count_hint=0)
    assert roles == ["article"] and ISIS + "feed/" not in hits
    assert article.comments == [] and article.comment_read.system == CommentSystem.NONE
    assert not article.comments_complete, "a page showing no comments proves nothing"


@pytest.mark.parametrize("theme", THEMES)
def test_detector_on_real_pages(theme: str) -> None:
    url = CAPTURED_HOST + ISIS
    signals = page_signals(capture(theme, "13-post-isis.html"), url)
    # the block theme links every comment as /comment-page-1/#comment-N: that is no pagination
    assert (signals.wordpress_list, signals.paginated, signals.disqus) == (True, False, None)
    assert signals.comment_feed_url == url + "feed/"  # the feed item's wfw:commentRss
    assert choose_system(signals, rest_comments=False) is CommentSystem.WORDPRESS
    assert choose_system(signals, rest_comments=True) is CommentSystem.WORDPRESS_REST
    paginated = page_signals(capture(theme, "14-post-paginated.html"), CAPTURED_HOST + PAGINATED)
    assert paginated.paginated
    closed = page_signals(capture(theme, "21-post-comments-closed.html"), CAPTURED_HOST + "/closed/")
    assert not closed.wordpress_list and not closed.paginated


def test_generic_pages_need_no_wordpress(tmp_path: Path) -> None:
    """A site that is not WordPress: the generic extractor's comments, never complete (ids by shape only)."""
    page = b"""<html><head><title>Field notes</title></head><body><article><h1>Field notes</h1>
    <div class="entry-content"><p>We walked the ridge before dawn and counted the birds that stayed.</p>
    <p>Most had left for the valley; the crows had not.</p></div></article>
    <section class="comments"><div class="comment" id="c1001"><span class="comment-author">Ida</span>
    <div class="comment-text"><p>The crows never leave.</p></div></div>
    <div class="comment" id="c1002"><span class="comment-author">Jo</span>
    <div class="comment-text"><p>Were the jays there too?</p></div></div></section></body></html>"""
    with serve({"/notes/": respond(200, page, HTML)}) as (base, _hits):
        article, roles = read(base, "/notes/")
    assert roles == ["article"]
    assert [(c.site_id, c.author, c.text) for c in article.comments] == [
        ("1001", "Ida", "The crows never leave."), ("1002", "Jo", "Were the jays there too?")]
    assert article.comment_read.system == CommentSystem.GENERIC and not article.comments_complete
    assert "crows never leave" not in article.body_text
