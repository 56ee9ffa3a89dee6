"""The parse stage's report for source health: which declared selectors matched the page, and whether the generic
extractor supplied the body. Pages are the snapshot's themes: news.antiwar.com's own, and the same post drawn by
the Divi theme (a redesign: the declared body selector gone, the byline moved out of the body)."""

from __future__ import annotations

import asyncio

from selectolax.lexbor import LexborHTMLParser

from schemas import DiscoveryWindow, Selectors, Source
from schemas.parse_report import SelectorCheck
from tasks.config import BUNDLED_SOURCES, load_sources
from tasks.parse.html_article import parse_article_html, parse_page_additions
from tasks.parse.selector_checks import check_selectors
from tasks.sources.registry import kind_of
from tasks.sources.task import fetch_all, parse_all
from testing.snapshot.client import SnapshotClient
from testing.snapshot.site import SNAPSHOT_NOW, SnapshotSite
from testing.snapshot.themes import divi_article, news_article
from wirehouse.demo import DEMO_SINCE

SOURCES = {s.name: s for s in load_sources(BUNDLED_SOURCES)}
NEWS = SOURCES["antiwar-news"].selectors  # title, deck, body, comments
SEED = 50001  # the seed article: a deck, a body ending in its byline and bio, five comments


def seed_pages() -> tuple[str, str, str]:
    """The seed article's URL, its page in the news theme and the same post in the Divi theme."""
    site = SnapshotSite().sites["news.antiwar.com"].site
    post = next(p for p in site.posts if p["id"] == SEED)
    return post["link"], news_article(site, post), divi_article(site, post)


def checks(article_checks: list[SelectorCheck]) -> dict[str, bool]:
    return {c.field: c.matched for c in article_checks}


def test_the_sites_own_theme_matches_every_declared_selector() -> None:
    url, page, _ = seed_pages()
    article = parse_article_html(page, url, NEWS)
    assert checks(article.parse_report.selector_checks) == {"title": True, "deck": True, "body": True,
                                                           "comments": True}
    assert [c.selector for c in article.parse_report.selector_checks] == [
        "h1.entry-title", "span.pagesub", "div.entry-content", "ol.commentlist"]
    assert not article.parse_report.body_from_generic and article.parse_report.plausible is None


def test_a_redesign_shows_as_selectors_that_stopped_matching_and_a_body_from_the_generic_extractor() -> None:
    url, page, redesigned = seed_pages()
    before = parse_article_html(page, url, NEWS)
    article = parse_article_html(redesigned, url, NEWS)
    # Divi keeps h1.entry-title and WordPress's comment list; the deck and the body's container are gone
    assert checks(article.parse_report.selector_checks) == {"title": True, "deck": False, "body": False,
                                                           "comments": True}
    assert article.parse_report.body_from_generic
    # the generic extractor keeps the body: the article's paragraphs, not the page's chrome
    first_paragraph = before.body_text.split("\n")[0]
    assert first_paragraph and first_paragraph in article.body_text
    assert "Latest Columns" not in article.body_text and "Copyright 2026" not in article.body_text


def test_undeclared_selectors_are_not_reported_and_a_malformed_one_matches_nothing() -> None:
    url, page, _ = seed_pages()
    article = parse_article_html(page, url, Selectors(body="div.entry-content", byline="a[rel=author"))
    assert checks(article.parse_report.selector_checks) == {"body": True, "byline": False}
    # without a body selector the generic extractor supplies every body
    generic = parse_article_html(page, url, Selectors())
    assert generic.parse_report.selector_checks == [] and generic.parse_report.body_from_generic


def test_the_short_read_of_a_rest_posts_page_checks_the_same_selectors() -> None:
    url, page, _ = seed_pages()
    short = parse_page_additions(page, url, NEWS)
    assert short is not None
    assert short.parse_report == parse_article_html(page, url, NEWS).parse_report
    assert check_selectors(LexborHTMLParser(page).root, NEWS, ("body",)) == [
        SelectorCheck(field="body", selector="div.entry-content", matched=True)]


def parsed_snapshot(source: Source) -> list:  # type: ignore[type-arg]
    client = SnapshotClient("wirehouse-test")

    async def run() -> list:  # type: ignore[type-arg]
        async with client.session(source) as fetcher:
            window = DiscoveryWindow(start=DEMO_SINCE, end=SNAPSHOT_NOW)
            discovery = await kind_of(source).discover(source, window, fetcher, {})
        return await fetch_all(source, discovery.targets, client)

    return parse_all(source, asyncio.run(run())).parsed


def test_rest_articles_carry_their_pages_checks_and_their_own_body() -> None:
    parsed = parsed_snapshot(SOURCES["antiwar-news"])
    assert len(parsed) >= 10
    for _, article in parsed:
        assert article.parser == "wordpress_rest"
        assert checks(article.parse_report.selector_checks)["body"], article.url
        assert not article.parse_report.body_from_generic, article.url  # REST gave the body


def test_feed_articles_read_by_the_sites_selectors() -> None:
    parsed = parsed_snapshot(SOURCES["antiwar-original"])
    assert len(parsed) >= 5
    for _, article in parsed:
        assert checks(article.parse_report.selector_checks) == {"title": True, "body": True, "byline": True}
        assert not article.parse_report.body_from_generic
