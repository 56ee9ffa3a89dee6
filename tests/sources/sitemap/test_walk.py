"""Walking sitemap indexes for a window: nesting, loops, depth, unchanged and out-of-window children, failures."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any

import httpx

from schemas import DiscoveryWindow, Politeness, Source
from tasks.fetch.fetcher import Fetcher
from tasks.sources.sitemap.walk import SitemapWalk, WalkLimits, walk_sitemaps
from testing.http_server import Handler, respond, serve
from testing.sitemaps import FakeSite, Page, Url, gzipped, sitemap_index, urlset

SITE = "https://wire.example"


def window(start: tuple[int, int, int], end: tuple[int, int, int]) -> DiscoveryWindow:
    return DiscoveryWindow(start=datetime(*start).replace(tzinfo=UTC), end=datetime(*end).replace(tzinfo=UTC))


def month_of_articles(year: int, month: int, days: int = 3) -> list[Url]:
    return [Url(f"{SITE}/{year}/{month:02d}/{day:02d}/story-{year}-{month}-{day}/",
                lastmod=f"{year}-{month:02d}-{day:02d}T09:00:00Z") for day in range(1, days + 1)]


def monthly_site() -> dict[str, Page]:
    """An index of indexes: one per year, each of monthly sitemaps named by month and dated by lastmod."""
    pages: dict[str, Page] = {}
    years = []
    for year in (2023, 2024):
        months = []
        for month in range(1, 13):
            name = f"{SITE}/sitemaps/posts-{year}-{month:02d}.xml"
            pages[name] = urlset(month_of_articles(year, month))
            months.append((name, f"{year}-{month:02d}-03T09:00:00Z"))
        pages[f"{SITE}/sitemaps/{year}.xml"] = sitemap_index(months)
        years.append((f"{SITE}/sitemaps/{year}.xml", f"{year}-12-03T09:00:00Z"))
    pages[f"{SITE}/sitemap_index.xml"] = sitemap_index(years)
    return pages


def run(coroutine: Coroutine[Any, Any, SitemapWalk]) -> SitemapWalk:
    return asyncio.run(coroutine)


def test_an_index_of_indexes_is_walked_to_every_url() -> None:
    site = FakeSite(monthly_site())
    walk = run(walk_sitemaps(site.get, [f"{SITE}/sitemap_index.xml"]))
    assert walk.complete and len(walk.entries) == 2 * 12 * 3 and not walk.undated
    assert {s.depth for s in walk.sitemaps} == {0, 1, 2} and len(walk.responses) == 1 + 2 + 24
    assert all(role == "sitemap" for _url, role in site.requests)


def test_a_backfill_month_opens_only_the_sitemaps_that_can_hold_it() -> None:
    site = FakeSite(monthly_site())
    walk = run(walk_sitemaps(site.get, [f"{SITE}/sitemap_index.xml"], window((2024, 3, 1), (2024, 4, 1))))
    assert [e.url for e in walk.entries] == [u.loc for u in month_of_articles(2024, 3)]
    # The 2023 index is not opened (its lastmod is before the window); of 2024's months, March by its name and
    # April, whose first hours in zones east of UTC are still March in UTC (February's lastmod excludes it).
    assert site.requested() == [f"{SITE}/sitemap_index.xml", f"{SITE}/sitemaps/2024.xml",
                                f"{SITE}/sitemaps/posts-2024-03.xml", f"{SITE}/sitemaps/posts-2024-04.xml"]
    assert walk.skipped == 1 + 10


def test_nightly_skips_children_unchanged_since_the_watermark() -> None:
    pages: dict[str, Page] = {
        f"{SITE}/sitemap.xml": sitemap_index([(f"{SITE}/posts-1.xml", "2024-01-20T00:00:00Z"),
                                              (f"{SITE}/posts-2.xml", "2024-03-05T10:00:00+00:00"),
                                              (f"{SITE}/pages.xml", None)]),
        f"{SITE}/posts-1.xml": urlset(month_of_articles(2024, 1)),
        f"{SITE}/posts-2.xml": urlset(month_of_articles(2024, 3, days=5)),
        f"{SITE}/pages.xml": urlset([Url(f"{SITE}/about/")]),
    }
    site = FakeSite(pages)
    walk = run(walk_sitemaps(site.get, [f"{SITE}/sitemap.xml"], window((2024, 3, 4), (2024, 3, 6))))
    assert f"{SITE}/posts-1.xml" not in site.requested() and walk.skipped == 1
    assert [e.url for e in walk.entries] == [u.loc for u in month_of_articles(2024, 3, days=5)[3:]]
    assert [e.url for e in walk.undated] == [f"{SITE}/about/"]  # no date anywhere: the caller decides


def test_a_news_sitemap_and_the_full_one_give_each_url_once_with_both_dates() -> None:
    story = f"{SITE}/world/talks-resume/"
    pages: dict[str, Page] = {
        f"{SITE}/news-sitemap.xml": urlset([Url(story, news_date="2024-03-05T23:30:00-05:00", news_title="Talks")]),
        f"{SITE}/sitemap.xml": urlset([Url(story, lastmod="2024-03-07T00:00:00Z")]),
    }
    walk = run(walk_sitemaps(FakeSite(pages).get, [f"{SITE}/news-sitemap.xml", f"{SITE}/sitemap.xml"],
                             window((2024, 3, 6), (2024, 3, 8))))
    assert len(walk.entries) == 1
    entry = walk.entries[0]
    assert (entry.url, entry.news_title) == (story, "Talks")
    assert entry.lastmod is not None and entry.lastmod.earliest == datetime(2024, 3, 7, tzinfo=UTC)


def test_loops_are_cut_and_a_child_listed_twice_is_read_once() -> None:
    pages: dict[str, Page] = {
        f"{SITE}/a.xml": sitemap_index([(f"{SITE}/b.xml", None), (f"{SITE}/c.xml", None)]),
        f"{SITE}/b.xml": sitemap_index([(f"{SITE}/a.xml", None), (f"{SITE}/c.xml", None)]),
        f"{SITE}/c.xml": urlset([Url(f"{SITE}/x/")]),
    }
    site = FakeSite(pages)
    walk = run(walk_sitemaps(site.get, [f"{SITE}/a.xml", f"{SITE}/c.xml"]))
    assert sorted(site.requested()) == [f"{SITE}/a.xml", f"{SITE}/b.xml", f"{SITE}/c.xml"]
    assert [e.url for e in walk.entries] == [f"{SITE}/x/"]
    assert walk.complete and any("loop" in w for w in walk.warnings)


def test_nesting_past_the_depth_cap_is_a_recorded_failure() -> None:
    pages: dict[str, Page] = {
        f"{SITE}/level-{n}.xml": sitemap_index([(f"{SITE}/level-{n + 1}.xml", None)]) for n in range(6)}
    pages[f"{SITE}/level-6.xml"] = urlset([Url(f"{SITE}/deep/")])
    walk = run(walk_sitemaps(FakeSite(pages).get, [f"{SITE}/level-0.xml"], limits=WalkLimits(max_depth=3)))
    assert [(f.url, f.reason) for f in walk.failures] == [(f"{SITE}/level-4.xml", "sitemap_too_deep")]
    assert walk.entries == []


def test_failed_and_malformed_children_are_recorded_and_the_rest_read() -> None:
    good = urlset(month_of_articles(2024, 3))
    pages: dict[str, Page] = {
        f"{SITE}/sitemap.xml": sitemap_index([(f"{SITE}/gone.xml", None), (f"{SITE}/broken.xml", None),
                                              (f"{SITE}/good.xml.gz", None), (f"{SITE}/error.xml", None)]),
        f"{SITE}/broken.xml": good[: good.index(b"story-2024-3-3")],
        f"{SITE}/good.xml.gz": gzipped(good),
        f"{SITE}/error.xml": (503, b"", {}),
    }
    walk = run(walk_sitemaps(FakeSite(pages).get, [f"{SITE}/sitemap.xml"]))
    assert sorted((f.url, f.reason) for f in walk.failures) == [
        (f"{SITE}/broken.xml", "sitemap_malformed"), (f"{SITE}/error.xml", "http_503"),
        (f"{SITE}/gone.xml", "http_404")]
    assert len(walk.entries) == 3 and not walk.complete  # broken.xml's first two are good.xml's too


def test_a_304_means_nothing_new_in_that_sitemap() -> None:
    pages: dict[str, Page] = {f"{SITE}/sitemap.xml": (304, b"", {})}
    walk = run(walk_sitemaps(FakeSite(pages).get, [f"{SITE}/sitemap.xml"]))
    assert walk.unchanged == 1 and walk.complete and walk.entries == [] and walk.responses == []


def test_the_walk_fetches_through_the_pipelines_client_on_loopback() -> None:
    # The real Fetcher is the `get`: robots.txt is obeyed, and a gzip served as application/octet-stream is read.
    base_box: dict[str, str] = {}

    def index(request: BaseHTTPRequestHandler) -> None:
        base = base_box["base"]
        body = sitemap_index([(f"{base}/posts.xml", None), (f"{base}/private/more.xml", None)])
        respond(200, body, {"Content-Type": "application/xml"})(request)

    def posts(request: BaseHTTPRequestHandler) -> None:
        body = gzipped(urlset([Url(f"{base_box['base']}/2024/03/01/a/", lastmod="2024-03-01")]))
        respond(200, body, {"Content-Type": "application/octet-stream"})(request)

    robots = respond(200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"})
    routes: dict[str, Handler | list[Handler]] = {"/robots.txt": robots, "/sitemap.xml": index, "/posts.xml": posts}

    async def crawl(base: str) -> SitemapWalk:
        source = Source(name="wire", kind="feed", base_url=f"{base}/",
                        politeness=Politeness(allow_private_addresses=True, max_retries=0))
        async with httpx.AsyncClient() as client:
            return await walk_sitemaps(Fetcher(source, client, "wirehouse-test").get, [f"{base}/sitemap.xml"])

    with serve(routes) as (base, hits):
        base_box["base"] = base
        walk = asyncio.run(crawl(base))
    assert [e.url for e in walk.entries] == [f"{base}/2024/03/01/a/"]
    assert [(f.url, f.reason) for f in walk.failures] == [(f"{base}/private/more.xml", "robots")]
    assert "/private/more.xml" not in hits and hits["/robots.txt"] == 1
