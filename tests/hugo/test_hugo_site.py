"""The Hugo news site: it builds, the sitemap library walks it, and the generic extractor reads its stories."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime

import httpx
import pytest

from schemas import DiscoveryWindow, Politeness, Source
from tasks.fetch.fetcher import Fetcher
from tasks.parse.generic import extract_article
from tasks.sources.sitemap.locate import SitemapRoots, find_sitemaps
from tasks.sources.sitemap.walk import SitemapWalk, walk_sitemaps
from testing.hugo import YEARS, HugoSite


def site_source(site: HugoSite) -> Source:
    return Source(name="test-wire", kind="feed", base_url=f"{site.base_url}/",
                  politeness=Politeness(allow_private_addresses=True, max_retries=0, requests_per_second=200))


async def _locate_and_walk(site: HugoSite, windows: list[DiscoveryWindow | None],
                           roots: list[str] | None = None) -> tuple[SitemapRoots, list[SitemapWalk]]:
    async with httpx.AsyncClient() as client:
        fetcher = Fetcher(site_source(site), client, "wirehouse-test")
        located = await find_sitemaps(fetcher.get, f"{site.base_url}/")
        walks = [await walk_sitemaps(fetcher.get, roots or located.urls, window) for window in windows]
    return located, walks


def month_windows() -> list[DiscoveryWindow]:
    starts = [datetime(year, month, 1, tzinfo=UTC) for year in YEARS for month in range(1, 13)]
    ends = [*starts[1:], datetime(YEARS[-1] + 1, 1, 1, tzinfo=UTC)]
    return [DiscoveryWindow(start=s, end=e) for s, e in zip(starts, ends, strict=True)]


def test_the_site_builds_with_every_page_sitemap_and_a_short_feed(hugo_site: HugoSite) -> None:
    public = hugo_site.public
    for story in hugo_site.articles:
        assert (public / story.path.strip("/") / "index.html").is_file(), story.path
    for name in ("ana-ruiz", "ben-okafor", "chloe-tran", "dmitri-volkov"):
        assert (public / "authors" / name / "index.html").is_file()
    assert (public / "sitemap.xml").is_file() and (public / "sitemap_index.xml").is_file()
    assert (public / "news-sitemap.xml").is_file()
    assert (public / "index.xml").read_text(encoding="utf-8").count("<item>") == 10  # the newest only
    assert len(hugo_site.articles) > 70 and len({s.published.year for s in hugo_site.articles}) == 3


def test_sitemaps_are_found_without_robots_lines_and_list_every_story_with_its_lastmod(hugo_site: HugoSite) -> None:
    located, (walk,) = asyncio.run(_locate_and_walk(hugo_site, [None]))
    assert located.from_robots == []  # Hugo's robots.txt names no sitemap
    assert located.found == [f"{hugo_site.base_url}/{name}" for name in
                             ("sitemap.xml", "sitemap_index.xml", "news-sitemap.xml")]
    assert walk.complete
    by_url = {entry.url: entry for entry in walk.entries}
    for story in hugo_site.articles:
        entry = by_url[story.url]
        assert entry.lastmod is not None and entry.lastmod.earliest == story.lastmod.astimezone(UTC)
    news = [entry for entry in walk.entries if entry.news_published is not None]
    newest = max(s.published for s in hugo_site.articles)
    assert {e.url for e in news} == {s.url for s in hugo_site.articles if (newest - s.published).days < 2}
    assert all(e.news_title for e in news)


def test_a_backfill_month_by_month_finds_every_story_once_in_its_utc_month(hugo_site: HugoSite) -> None:
    windows = month_windows()
    _, walks = asyncio.run(_locate_and_walk(hugo_site, list(windows), [f"{hugo_site.base_url}/sitemap_index.xml"]))
    found: Counter[str] = Counter()
    for window, walk in zip(windows, walks, strict=True):
        assert walk.complete and not walk.undated
        assert len(walk.sitemaps) <= 1 + 3  # the index, the month's sitemap and at most its two neighbours
        for entry in walk.entries:
            found[entry.url] += 1
            story = next(s for s in hugo_site.articles if s.url == entry.url)
            published = story.published.astimezone(UTC)
            if story.lastmod == story.published:  # placed by its exact lastmod: its UTC month
                assert window.start <= published < window.end, story.url
    assert set(found) == {s.url for s in hugo_site.articles}
    assert set(found.values()) == {1}


def test_a_nightly_window_opens_only_what_changed_since_the_watermark(hugo_site: HugoSite) -> None:
    window = DiscoveryWindow(start=datetime(2025, 12, 29, tzinfo=UTC), end=datetime(2026, 1, 1, tzinfo=UTC))
    _, (walk,) = asyncio.run(_locate_and_walk(hugo_site, [window], [f"{hugo_site.base_url}/sitemap_index.xml",
                                                                   f"{hugo_site.base_url}/news-sitemap.xml"]))
    assert [s.url.removeprefix(hugo_site.base_url) for s in walk.sitemaps] == [
        "/sitemap_index.xml", "/news-sitemap.xml", "/sitemaps/2025/12/sitemap.xml"]
    # changed in the window, or published in it (an edit after the window does not hide a new story)
    expected = {s.url for s in hugo_site.articles
                if any(window.start <= moment.astimezone(UTC) < window.end for moment in (s.lastmod, s.published))}
    assert {e.url for e in walk.entries} == expected and expected


def test_the_generic_extractor_reads_each_story_as_its_content_file_says(hugo_site: HugoSite) -> None:
    mismatches: list[str] = []
    with httpx.Client() as client:
        for story in hugo_site.articles:
            article = extract_article(client.get(story.url).text, story.url)
            got = (article.title, tuple(article.bylines), article.body_text.strip())
            want = (story.title, story.authors, story.body_text)
            for name, g, w in zip(("title", "authors", "body"), got, want, strict=True):
                if g != w:
                    mismatches.append(f"{story.path} {name}: {g!r:.120} != {w!r:.120}")
    assert mismatches == []


@pytest.mark.parametrize("section", ["news", "analysis"])
def test_the_generic_extractor_reads_each_storys_publication_time(hugo_site: HugoSite, section: str) -> None:
    stories = [s for s in hugo_site.articles if s.section == section]
    got = {s.path: extract_article((hugo_site.public / s.path.strip("/") / "index.html").read_text(encoding="utf-8"),
                                   s.url).published_at for s in stories}
    assert got == {s.path: s.published.astimezone(UTC) for s in stories}


@pytest.mark.parametrize("section", ["news", "analysis"])
def test_both_layouts_are_present(hugo_site: HugoSite, section: str) -> None:
    story = next(s for s in hugo_site.articles if s.section == section)
    html = (hugo_site.public / story.path.strip("/") / "index.html").read_text(encoding="utf-8")
    assert ('"@type":"NewsArticle"' in html) is (section == "news")
