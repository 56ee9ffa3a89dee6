"""The short read of an article page (`parse_page_additions`) gives exactly what the whole read gives for the
fields a REST post takes from its page (and the title and text the gate judges the page by), on every page we
have; and parse_fetched, which uses it when REST gave
the title, body and whole thread, returns the same articles as with the whole read everywhere."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

import tasks.parse.html_article as html_article
import tasks.sources.feed as feed_kind
from schemas import DiscoveryWindow, Selectors, Source
from tasks.config import BUNDLED_SOURCES, load_sources, select_sources
from tasks.parse.encoding import decode_html
from tasks.parse.html_article import parse_article_html, parse_page_additions
from tasks.sources.registry import kind_of
from tasks.sources.task import fetch_all, parse_all
from testing.snapshot.client import SnapshotClient
from testing.snapshot.site import SNAPSHOT_NOW, SnapshotSite
from wirehouse.demo import DEMO_SINCE

ADDED_FIELDS = ("deck", "bylines", "author_bios", "author_slugs")
SOURCES = {s.name: s for s in load_sources(BUNDLED_SOURCES)}
SELECTORS_BY_HOST = {
    "news.antiwar.com": SOURCES["antiwar-news"].selectors,
    "www.antiwar.com": SOURCES["antiwar-blog"].selectors,
    "original.antiwar.com": SOURCES["antiwar-original"].selectors,
}


def assert_same_additions(html: str, url: str, selectors: Selectors) -> bool:
    """True when the short read answered, after checking it against the whole read; when it did not, checks that
    the page's selectors found no body text (the whole read then hands the page to the generic extractor)."""
    whole = parse_article_html(html, url, selectors)
    short = parse_page_additions(html, url, selectors)
    if short is None:
        original = html_article._fill_from_generic
        html_article._fill_from_generic = lambda *args: None  # type: ignore[assignment]
        try:
            assert not parse_article_html(html, url, selectors).body_text, url
        finally:
            html_article._fill_from_generic = original
        return False
    assert {f: getattr(short, f) for f in ADDED_FIELDS} == {f: getattr(whole, f) for f in ADDED_FIELDS}, url
    # the short read keeps the page's title and text (the gate judges a REST post's page by them), not its comments
    assert whole.body_text and short.body_text == whole.body_text and short.title == whole.title, url
    assert short.comments == [] and short.body_html == "", url
    return True


def test_snapshot_pages_read_short_as_whole() -> None:
    site = SnapshotSite()
    answered = 0
    for host, loaded in site.sites.items():
        for path in (p for p in loaded.pages if p.startswith("/")):
            response = site.handle("GET", f"https://{host}{path}", {})
            html = decode_html(response.body, response.headers.get("Content-Type"))
            answered += assert_same_additions(html, f"https://{host}{path}", SELECTORS_BY_HOST[host])
    assert answered >= 20  # the article pages; home, archive and author pages have no body to read


@pytest.mark.parametrize("selectors", [Selectors(body="div.entry-content, .entry-content, article"),
                                       SOURCES["antiwar-news"].selectors], ids=["any-article", "news"])
def test_real_pages_read_short_as_whole(shared: Path, selectors: Selectors) -> None:
    pages = sorted((shared / "data" / "pages" / "html").glob("*.html"))
    pages += sorted((shared / "data" / "wordpress").glob("*/*.html"))
    pages += sorted((shared / "data" / "antiwar").glob("*.html"))
    assert len(pages) > 150
    answered = sum(assert_same_additions(decode_html(p.read_bytes(), None), f"https://example.org/{p.name}", selectors)
                   for p in pages)
    assert answered > 20


def test_a_body_without_text_is_left_to_the_whole_read() -> None:
    page = ("<html><body><article><h1 class='entry-title'>Title</h1><div class='entry-content'>"
            "<script>var x = 1;</script><!-- nothing --> \u00a0 </div></article></body></html>")
    selectors = Selectors(body="div.entry-content")
    assert parse_page_additions(page, "u", selectors) is None
    assert parse_page_additions(page.replace("entry-content", "other"), "u", selectors) is None
    with_text = page.replace("<!-- nothing -->", "<p>Author: Jason Ditz</p><p>Jason Ditz is news editor.</p><p>x</p>")
    short = parse_page_additions(with_text, "u", selectors)
    assert short is not None and short.bylines == ["Jason Ditz"] and short.body_text == "x"
    assert short.author_bios == {"Jason Ditz": "Jason Ditz is news editor."}


def fetched_snapshot(source: Source) -> list:  # type: ignore[type-arg]
    client = SnapshotClient("wirehouse-test")

    async def run() -> list:  # type: ignore[type-arg]
        async with client.session(source) as fetcher:
            window = DiscoveryWindow(start=DEMO_SINCE, end=SNAPSHOT_NOW)
            discovery = await kind_of(source).discover(source, window, fetcher, {})
        return await fetch_all(source, discovery.targets, client)

    return asyncio.run(run())


@pytest.mark.parametrize("name", ["antiwar-news", "antiwar-blog"])
def test_parse_fetched_is_the_same_with_the_whole_read(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    (source,) = select_sources(list(SOURCES.values()), [name])
    fetched = fetched_snapshot(source)
    short_reads: list[bool] = []

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = parse_page_additions(*args, **kwargs)
        short_reads.append(result is not None)
        return result

    monkeypatch.setattr(feed_kind, "parse_page_additions", counting)
    fast = parse_all(source, fetched)
    monkeypatch.setattr(feed_kind, "parse_page_additions", lambda *args, **kwargs: None)
    whole = parse_all(source, fetched)

    assert [a.model_dump() for _, a in fast.parsed] == [a.model_dump() for _, a in whole.parsed]
    assert fast.failures == whole.failures
    assert len(fast.parsed) >= 5 and sum(short_reads) >= 3, "the short read was used"
