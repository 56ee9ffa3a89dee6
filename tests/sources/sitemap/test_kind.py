"""The sitemap kind through a real Fetcher: where the sitemaps are, which of them a window opens, what a 304
means, which listed pages are articles, the feed's bylines, undated entries, limits and failures, the parse."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from schemas import Discovery, DiscoveryWindow, FetchedTarget, RawResponse, Source, Target, Validators
from schemas.errors import ParseError, TooLarge
from tasks.fetch.fetcher import Fetcher
from tasks.sources.registry import KINDS
from tasks.sources.sitemap import SitemapKind
from testing.sitemaps import FakeSite, Page, Url, article_page, sitemap_index, urlset

SITE = "https://wire.example"
ROBOTS = f"User-agent: *\nAllow: /\nSitemap: {SITE}/sitemap_index.xml\nSitemap: {SITE}/news-sitemap.xml\n"
FEED = f"""<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>The Wire</title><link>{SITE}/</link>
<item><title>F</title><link>{SITE}/2025/12/31/f/</link><dc:creator>Ben Okafor</dc:creator>
<pubDate>Wed, 31 Dec 2025 09:00:00 +0000</pubDate></item>
<item><title>D</title><link>{SITE}/2025/12/29/d/</link><dc:creator>Ana Ruiz</dc:creator>
<pubDate>Mon, 29 Dec 2025 09:00:00 +0000</pubDate></item>
</channel></rss>""".encode()
XML = {"content-type": "application/xml"}


def window(start: tuple[int, int, int], end: tuple[int, int, int]) -> DiscoveryWindow:
    return DiscoveryWindow(start=datetime(*start, tzinfo=UTC), end=datetime(*end, tzinfo=UTC))


def story(day: str, slug: str) -> Url:
    return Url(f"{SITE}/{day.replace('-', '/')}/{slug}/", lastmod=f"{day}T09:00:00Z")


def news_site() -> dict[str, Page]:
    """A site as news sites are: robots.txt naming a monthly index and a news sitemap; beside the months, child
    sitemaps of categories and authors; in a month, a tag page and the front page among the stories."""
    return {
        f"{SITE}/robots.txt": ROBOTS.encode(),
        f"{SITE}/sitemap_index.xml": sitemap_index([
            (f"{SITE}/sitemaps/2025-11.xml", "2025-11-20T09:00:00Z"),
            (f"{SITE}/sitemaps/2025-12.xml", "2025-12-29T09:00:00Z"),
            (f"{SITE}/category-sitemap.xml", "2025-12-29T09:00:00Z"),
            (f"{SITE}/author-sitemap.xml", "2025-12-29T09:00:00Z"),
        ]),
        f"{SITE}/sitemaps/2025-11.xml": (200, urlset([story("2025-11-03", "a"), story("2025-11-20", "b")]),
                                         {**XML, "etag": '"nov"'}),
        f"{SITE}/sitemaps/2025-12.xml": (200, urlset([
            story("2025-12-02", "c"), story("2025-12-29", "d"),
            Url(f"{SITE}/tag/energy/", lastmod="2025-12-29T09:00:00Z"), Url(f"{SITE}/", lastmod="2025-12-29T09:00:00Z"),
        ]), {**XML, "etag": '"dec"'}),
        f"{SITE}/category-sitemap.xml": urlset([Url(f"{SITE}/category/world/", lastmod="2025-12-29T09:00:00Z")]),
        f"{SITE}/author-sitemap.xml": urlset([Url(f"{SITE}/author/ana/", lastmod="2025-12-29T09:00:00Z")]),
        f"{SITE}/news-sitemap.xml": (200, urlset([
            Url(f"{SITE}/2025/12/29/d/", news_date="2025-12-29T09:00:00Z", news_title="D"),
            Url(f"{SITE}/2025/12/30/e/", news_date="2025-12-30T16:45:00+01:00", news_title="E"),
        ]), {**XML, "etag": '"news"'}),
        f"{SITE}/feed/": (200, FEED, {"content-type": "application/rss+xml"}),
    }


def source(**fields: Any) -> Source:
    declared = {"name": "wire", "kind": "sitemap", "base_url": f"{SITE}/", "politeness": {"max_retries": 0}}
    return Source.model_validate({**declared, **fields})


def discover(site: FakeSite, src: Source, when: DiscoveryWindow,
             validators: Mapping[str, Validators] | None = None) -> Discovery:
    async def run() -> Discovery:
        async with httpx.AsyncClient(transport=site.transport()) as client:
            fetcher = Fetcher(src, client, "wirehouse-test", throttle=False)
            return await KINDS["sitemap"].discover(src, when, fetcher, validators or {})

    return asyncio.run(run())


def opened(site: FakeSite) -> list[str]:
    """Paths of the sitemap files answered with a body."""
    return [url.removeprefix(SITE) for url, status in site.served if status == 200 and "sitemap" in url]


def paths(targets: list[Target]) -> set[str]:
    return {t.url.removeprefix(SITE) for t in targets}


def test_the_kind_is_registered_and_reads_its_declaration() -> None:
    assert isinstance(KINDS["sitemap"], SitemapKind)
    settings = SitemapKind.settings_model.of(source(sitemaps=[f"{SITE}/sitemap_index.xml"], feed_url=f"{SITE}/feed/"))
    assert [str(u) for u in settings.sitemaps] == [f"{SITE}/sitemap_index.xml"]
    assert str(settings.feed_url) == f"{SITE}/feed/"


def test_a_backfill_month_opens_robots_sitemaps_and_only_that_months_child() -> None:
    site = FakeSite(news_site())
    found = discover(site, source(), window((2025, 11, 1), (2025, 12, 1)))
    assert found.complete and not found.failures and not found.undated
    assert paths(found.targets) == {"/2025/11/03/a/", "/2025/11/20/b/"}
    # December's first hours east of UTC are still November in UTC: its sitemap may hold November's stories
    assert opened(site) == ["/sitemap_index.xml", "/news-sitemap.xml", "/sitemaps/2025-11.xml", "/sitemaps/2025-12.xml"]
    assert (f"{SITE}/sitemap.xml", 404) not in site.served  # robots.txt named them: no usual location tried
    # kept raw, like pages; an index under its own role, so that it is never asked conditionally
    assert {r.url.removeprefix(SITE): r.role for r in found.responses} == {
        "/sitemap_index.xml": "sitemap_index", "/news-sitemap.xml": "sitemap", "/sitemaps/2025-11.xml": "sitemap",
        "/sitemaps/2025-12.xml": "sitemap"}


def test_a_nightly_window_takes_changed_sitemaps_and_merges_the_feeds_bylines() -> None:
    site = FakeSite(news_site())
    found = discover(site, source(feed_url=f"{SITE}/feed/"), window((2025, 12, 29), (2026, 1, 1)))
    # November's sitemap is unchanged since before the window (its lastmod): not opened; nor are the
    # category and author sitemaps, nor the tag page or the front page of December's
    assert opened(site) == ["/sitemap_index.xml", "/news-sitemap.xml", "/sitemaps/2025-12.xml"]
    by_path = {t.url.removeprefix(SITE): t for t in found.targets}
    assert set(by_path) == {"/2025/12/29/d/", "/2025/12/30/e/", "/2025/12/31/f/"}  # f: only in the feed so far
    d, e, f = by_path["/2025/12/29/d/"], by_path["/2025/12/30/e/"], by_path["/2025/12/31/f/"]
    assert (d.channel, d.channel_bylines) == ("feed", ["Ana Ruiz"])
    assert d.channel_published_at == datetime(2025, 12, 29, 9, tzinfo=UTC)
    assert (e.channel, e.channel_bylines) == ("sitemap", [])
    assert e.channel_published_at == datetime(2025, 12, 30, 15, 45, tzinfo=UTC)  # the news sitemap's exact time
    assert f.channel_bylines == ["Ben Okafor"]
    assert found.complete


def test_a_304_leaves_a_sitemap_unopened_and_the_window_complete() -> None:
    site = FakeSite(news_site())
    stored = {f"{SITE}/sitemaps/2025-12.xml": Validators(etag='"dec"'), f"{SITE}/news-sitemap.xml":
              Validators(etag='"old-news"')}
    found = discover(site, source(), window((2025, 12, 29), (2026, 1, 1)), stored)
    assert (f"{SITE}/sitemaps/2025-12.xml", 304) in site.served
    assert opened(site) == ["/sitemap_index.xml", "/news-sitemap.xml"]  # the news sitemap changed: a 200
    assert paths(found.targets) == {"/2025/12/29/d/", "/2025/12/30/e/"}
    assert found.complete and not found.failures
    assert all(r.status == 200 for r in found.responses)  # a 304 has no body to keep


def test_without_robots_lines_the_usual_locations_are_tried_and_a_catch_all_left_out() -> None:
    pages = news_site()
    pages[f"{SITE}/robots.txt"] = b"User-agent: *\nAllow: /\n"
    # Hugo, Jekyll and others write a catch-all beside the site's own index: sections, tags, the front page
    pages[f"{SITE}/sitemap.xml"] = urlset([story("2025-12-29", "d"), Url(f"{SITE}/news/", "2025-12-29"),
                                           Url(f"{SITE}/about/", "2025-12-29")])
    pages[f"{SITE}/sitemap_index.xml"] = sitemap_index([(f"{SITE}/sitemaps/2025-11.xml", "2025-11-20"),
                                                         (f"{SITE}/sitemaps/2025-12.xml", "2025-12-29")])
    site = FakeSite(pages)
    found = discover(site, source(), window((2025, 12, 1), (2026, 1, 1)))
    assert paths(found.targets) == {"/2025/12/02/c/", "/2025/12/29/d/", "/2025/12/30/e/"}
    assert found.complete
    walked = opened(site)
    assert walked.count("/sitemap.xml") == 1  # read once, to check what it is; not walked


def test_declared_sitemaps_are_read_without_looking_for_others() -> None:
    site = FakeSite(news_site())
    found = discover(site, source(sitemaps=[f"{SITE}/news-sitemap.xml"]), window((2025, 12, 29), (2026, 1, 1)))
    assert paths(found.targets) == {"/2025/12/29/d/", "/2025/12/30/e/"}
    assert [url.removeprefix(SITE) for url, _ in site.served if "robots" not in url] == ["/news-sitemap.xml"]


def test_a_site_without_sitemaps_is_a_recorded_failure_and_an_incomplete_window() -> None:
    site = FakeSite({f"{SITE}/robots.txt": b"User-agent: *\nAllow: /\n", f"{SITE}/": b"<html><body>Hi</body></html>"})
    found = discover(site, source(), window((2025, 12, 1), (2026, 1, 1)))
    assert not found.complete and not found.targets
    assert [(f.url, f.reason) for f in found.failures] == [(f"{SITE}/", "no_sitemap")]


@pytest.mark.parametrize(("body", "reason"), [
    (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>'
     + f"{SITE}/2025/12/02/c/</loc></url><url><loc>{SITE}/2025/12/".encode(), "sitemap_malformed"),
    (urlset([story("2025-12-02", "c"), *(story("2025-12-02", f"s{n}") for n in range(50_000))]),
     "sitemap_over_limit"),
])
def test_a_malformed_or_over_limit_sitemap_is_recorded_and_the_window_left_open(body: bytes, reason: str) -> None:
    pages = news_site()
    pages[f"{SITE}/sitemaps/2025-12.xml"] = (200, body, XML)
    found = discover(FakeSite(pages), source(), window((2025, 12, 1), (2026, 1, 1)))
    assert not found.complete
    assert [(f.url, f.reason) for f in found.failures] == [(f"{SITE}/sitemaps/2025-12.xml", reason)]
    assert "/2025/12/02/c/" in paths(found.targets)  # what was read before the problem is kept
    assert "/2025/12/30/e/" in paths(found.targets)  # and the other sitemaps still read


def test_a_sitemap_may_be_larger_than_the_page_size_cap() -> None:
    big = urlset([story("2025-12-02", f"story-{n}") for n in range(400)])  # ~40 KB
    pages = {**news_site(), f"{SITE}/sitemaps/2025-12.xml": big, f"{SITE}/big-page/": b"<p>" + b"x" * len(big)}
    site = FakeSite(pages)
    src = source(politeness={"max_retries": 0, "max_response_bytes": 10_000})
    found = discover(site, src, window((2025, 12, 1), (2026, 1, 1)))
    assert found.complete and len(found.targets) == 400 + 2  # and the news sitemap's two

    async def page() -> RawResponse:
        async with httpx.AsyncClient(transport=site.transport()) as client:
            return await Fetcher(src, client, "wirehouse-test", throttle=False).get(f"{SITE}/big-page/")

    with pytest.raises(TooLarge):
        asyncio.run(page())


def test_undated_entries_are_handed_apart() -> None:
    pages = news_site()
    pages[f"{SITE}/robots.txt"] = f"User-agent: *\nSitemap: {SITE}/sitemap.txt\n".encode()
    pages[f"{SITE}/sitemap.txt"] = f"{SITE}/story/1001\n{SITE}/story/1002\n{SITE}/tags/energy/\n".encode()
    found = discover(FakeSite(pages), source(), window((2025, 12, 1), (2026, 1, 1)))
    assert found.complete and not found.targets
    assert paths(found.undated) == {"/story/1001", "/story/1002"}  # a tag page is no story, dated or not


ARTICLE = article_page("Port deal signed after long talks", "Ana Ruiz", datetime(2025, 12, 2, 10, 30, tzinfo=UTC), [
    f"Port workers and the regional council approved a revised plan on fishing quotas after {n} days of debate, "
    "officials said on Tuesday in a statement." for n in range(8)])


def fetched(body: bytes) -> FetchedTarget:
    url = f"{SITE}/world/port-deal/"
    response = RawResponse(url=url, final_url=url, status=200, headers={"content-type": "text/html"}, body=body,
                           fetched_at=datetime(2026, 1, 1, tzinfo=UTC), role="article")
    return FetchedTarget(target=Target(source="wire", url=url, discovered_at=datetime(2026, 1, 1, tzinfo=UTC)),
                         responses=[response])


def test_pages_are_read_by_the_generic_extractor_unless_selectors_are_declared() -> None:
    kind = SitemapKind()
    generic = kind.parse(fetched(ARTICLE), source())
    assert generic.parser == "generic"
    assert (generic.title, generic.bylines) == ("Port deal signed after long talks", ["Ana Ruiz"])
    assert generic.published_at == datetime(2025, 12, 2, 10, 30, tzinfo=UTC)
    assert generic.body_text.startswith("Port workers") and "The Wire" not in generic.body_text
    declared = kind.parse(fetched(ARTICLE), source(selectors={"title": "article h1", "body": "div.story-body"}))
    assert declared.parser == "site_html"
    assert declared.title == generic.title and declared.body_text == generic.body_text


def test_a_page_without_an_article_body_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="no article body"):
        SitemapKind().parse(fetched(b"<html><head><title>Login</title></head><body></body></html>"), source())
