"""The probe behind `wirehouse sources add`: the right kind and choices on real WordPress responses, the offline
Antiwar snapshot, an unseen-style news site (monthly sitemaps, a news sitemap, a short feed), and clear failures."""

from __future__ import annotations

import asyncio
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from schemas import Politeness, Source
from tasks.config.entries import validated
from tasks.fetch.fetcher import Fetcher
from tasks.sources.probe import ProbeFailed, Proposal, default_name, probe_site
from testing.sitemaps import FakeSite, Page, Url, gzipped, sitemap_index, urlset
from testing.snapshot.client import SnapshotClient

RECORDED_BASE = "http://127.0.0.1:8081"
# path on the recorded site -> file of ../shared/data/wordpress/<theme>/ (each with its .headers beside it)
RECORDED = {
    "/": "24-home.html",
    "/robots.txt": "29-robots.txt",
    "/wp-json/": "09-wp-json-index.json",
    "/wp-json/wp/v2/posts": "01-posts-embed.json",
    "/feed/": "10-feed.xml",
    "/wp-sitemap-posts-post-1.xml": "31-wp-sitemap-posts.xml",
}
RECORDED_PAGES = ("13-post-isis.html", "14-post-paginated.html", "17-post-depth6.html", "18-post-somalia.html",
                  "19-post-blocks-image.html", "20-post-edited.html", "21-post-comments-closed.html",
                  "22-post-bypostauthor.html", "36-post-aid-html-comments.html")


def _recorded(folder: Path, name: str) -> tuple[int, bytes, dict[str, str]]:
    lines = (folder / f"{name}.headers").read_text(encoding="utf-8").splitlines()
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if ":" in line)}
    return int(lines[0].split()[1]), (folder / name).read_bytes(), headers


def recorded_site(folder: Path) -> FakeSite:
    pages: dict[str, Page] = {
        RECORDED_BASE + path: _recorded(folder, name) for path, name in RECORDED.items()}
    for name in RECORDED_PAGES:
        status, body, headers = _recorded(folder, name)
        canonical = body.split(b'rel="canonical" href="', 1)[1].split(b'"', 1)[0].decode()
        pages[canonical] = (status, body, headers)
    return FakeSite(pages)


@pytest.mark.parametrize("theme", ["twentytwentyone", "twentytwentythree"])
def test_real_wordpress_responses_make_a_wordpress_source(shared: Path, theme: str) -> None:
    site = recorded_site(shared / "data" / "wordpress" / theme)
    proposal = asyncio.run(probe_site(site.get, f"{RECORDED_BASE}/"))
    assert proposal.entry["kind"] == "wordpress"
    assert validated(proposal.entry).kind == "wordpress"  # loads as sources.yaml would
    assert proposal.entry["feed_url"] == f"{RECORDED_BASE}/feed/" and "rest_url" not in proposal.entry
    assert proposal.findings.rest is not None and proposal.findings.rest.state == "open"
    assert proposal.findings.robots_sitemaps == [f"{RECORDED_BASE}/wp-sitemap.xml"]
    assert proposal.findings.samples, "a post page of the feed was read"
    assert "WordPress REST API" in proposal.reasons["comments"]
    assert set(proposal.reasons) >= {"kind", "feed_url", "selectors", "comments"}


def _snapshot_probe(url: str) -> Proposal:
    async def probe() -> Proposal:
        source = Source(name="probe", kind="feed", base_url=url)
        async with SnapshotClient("Wirehouse-test").session(source) as fetcher:
            return await probe_site(fetcher.get, url)

    return asyncio.run(probe())


@pytest.mark.parametrize(("url", "kind", "name"), [
    ("https://news.antiwar.com/", "wordpress", "news-antiwar"),
    ("https://www.antiwar.com/blog/", "wordpress", "antiwar-blog"),
    ("https://original.antiwar.com/", "feed", "original-antiwar"),  # its REST API answers 401, it has no sitemap
])
def test_the_offline_antiwar_snapshot_gets_the_kinds_of_the_bundled_sources(url: str, kind: str, name: str) -> None:
    proposal = _snapshot_probe(url)
    assert (proposal.entry["kind"], proposal.entry["name"], proposal.entry["feed_url"]) == (kind, name, url + "feed/")
    assert validated(proposal.entry).kind == kind
    if kind == "feed":
        assert proposal.reasons["rest_api"] == "WordPress REST API closed (HTTP 401)"
    assert len(proposal.findings.samples) == 3


# ---------------------------------------------------------------- a news site of the kind never seen

DAILY = "https://daily.example"
NOW = datetime(2026, 5, 14, 18, 0, tzinfo=UTC)


def _story_page(n: int, when: datetime) -> bytes:
    paragraphs = "".join(
        f"<p>Paragraph {p} of story {n}: the harbour authority met shipping firms, unions and the city council "
        f"again on {when:%B %d} to settle the berth fees, the night shifts and the dredging plan that all sides "
        f"say the port needs before the autumn season begins.</p>" for p in range(5))
    ld = (f'{{"@context":"https://schema.org","@type":"NewsArticle","headline":"Harbour talks, day {n}",'
          f'"datePublished":"{when.isoformat()}","author":{{"@type":"Person","name":"Mara Lind"}}}}')
    return (f'<!DOCTYPE html><html lang="en"><head><title>Harbour talks, day {n} - The Daily</title>'
            f'<script type="application/ld+json">{ld}</script></head><body><nav><a href="/">Home</a></nav>'
            f'<article><h1>Harbour talks, day {n}</h1><p class="byline">By Mara Lind</p>{paragraphs}</article>'
            f"<footer>The Daily, since 1998</footer></body></html>").encode()


def daily_site() -> FakeSite:
    """Three years of stories in monthly sitemaps, a news sitemap of the last two days, an RSS feed of five."""
    stories = [(n, NOW - timedelta(days=n * 9, hours=n % 7)) for n in range(120)]
    pages: dict[str, Page] = {
        f"{DAILY}/": b'<!DOCTYPE html><html><head><title>The Daily</title></head><body>'
                     b'<a href="/news/harbour-talks-day-0">Latest</a></body></html>',
        f"{DAILY}/robots.txt": f"User-agent: *\nDisallow: /search\n\nSitemap: {DAILY}/sitemaps/index.xml.gz\n".encode(),
    }
    months: dict[str, list[Url]] = {}
    for n, when in stories:
        url = f"{DAILY}/news/harbour-talks-day-{n}"
        pages[url] = _story_page(n, when)
        months.setdefault(f"{when:%Y-%m}", []).append(Url(url, lastmod=when.isoformat()))
    children = [(f"{DAILY}/sitemaps/articles-{month}.xml", max(u.lastmod or "" for u in urls))
                for month, urls in months.items()]
    pages[f"{DAILY}/sitemaps/index.xml.gz"] = gzipped(sitemap_index(children))
    for month, urls in months.items():
        pages[f"{DAILY}/sitemaps/articles-{month}.xml"] = urlset(urls)
    recent = [(n, when) for n, when in stories if NOW - when < timedelta(days=2)]
    pages[f"{DAILY}/news-sitemap.xml"] = urlset(
        Url(f"{DAILY}/news/harbour-talks-day-{n}", news_date=when.isoformat(), news_title=f"Harbour talks, day {n}")
        for n, when in recent)
    items = "".join(f"<item><title>Harbour talks, day {n}</title><link>{DAILY}/news/harbour-talks-day-{n}</link>"
                    f"<pubDate>{when:%a, %d %b %Y %H:%M:%S +0000}</pubDate></item>" for n, when in stories[:5])
    pages[f"{DAILY}/rss.xml"] = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>The Daily</title>'
                                 f"{items}</channel></rss>").encode()
    return FakeSite(pages)


def test_a_site_with_monthly_sitemaps_a_news_sitemap_and_a_short_feed_gets_the_sitemaps() -> None:
    proposal = asyncio.run(probe_site(daily_site().get, f"{DAILY}/"))
    entry, reasons = proposal.entry, proposal.reasons
    assert entry["kind"] == "sitemap" and entry["name"] == "daily"
    assert validated(entry).sitemaps
    assert entry["sitemaps"] == [f"{DAILY}/sitemaps/index.xml.gz", f"{DAILY}/news-sitemap.xml"]
    assert entry["feed_url"] == f"{DAILY}/rss.xml"  # found at a usual path: the home page declares none
    assert "holds only recent items, so backfills use the sitemaps" in reasons["feed_url"]
    assert "by period back to 2023-" in reasons["sitemaps"] and "Google News sitemap" in reasons["sitemaps"]
    assert reasons["selectors"].startswith("none needed")
    assert "rest_api" in reasons and proposal.findings.rest is not None and proposal.findings.rest.state == "absent"


def test_a_crawl_delay_becomes_the_sources_rate() -> None:
    site = daily_site()
    pages = dict(site.pages)
    pages[f"{DAILY}/robots.txt"] = b"User-agent: *\nCrawl-delay: 4\n"
    proposal = asyncio.run(probe_site(FakeSite(pages).get, f"{DAILY}/"))
    assert proposal.entry["politeness"] == {"requests_per_second": 0.25, "max_concurrency": 1}


def test_a_page_that_is_no_news_site_is_one_clear_line() -> None:
    site = FakeSite({"https://shop.example/": b"<!DOCTYPE html><html><body><h1>Buy shoes</h1></body></html>"})
    with pytest.raises(ProbeFailed, match=r"^https://shop.example/: no WordPress REST API, feed or sitemap found"):
        asyncio.run(probe_site(site.get, "https://shop.example/"))


def test_an_unreachable_url_is_one_clear_line() -> None:
    with socket.socket() as unused:  # a loopback port nobody listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"

    async def probe() -> Proposal:
        source = Source(name="probe", kind="feed", base_url=base,
                        politeness=Politeness(allow_private_addresses=True, max_retries=0))
        async with httpx.AsyncClient() as client:
            return await probe_site(Fetcher(source, client, "Wirehouse-test").get, base)

    with pytest.raises(ProbeFailed, match=rf"^{base} is unreachable: ConnectError"):
        asyncio.run(probe())


@pytest.mark.parametrize(("url", "name"), [
    ("https://www.example.com/", "example"), ("https://news.example.co.uk/blog/", "news-example-blog"),
    ("http://127.0.0.1:8080/", "127-0-0-1-8080"), ("https://example.com:443/news/", "example-news"),
])
def test_a_default_name_comes_from_the_host_and_folder(url: str, name: str) -> None:
    assert default_name(url) == name
