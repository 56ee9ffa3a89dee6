"""`wirehouse sources add` and `sources check` on loopback sites: the proposal, the check table, and one clear
line (exit 2) for what cannot be read. The Hugo site's end to end (add --write, then backfill) is in tests/hugo."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
import yaml
from typer.testing import CliRunner

from testing.http_server import Handler, respond, serve
from testing.sitemaps import Url, article_page, urlset
from tests.flows.helpers import FAST_LOOPBACK, write_sources
from wirehouse.cli import app

runner = CliRunner()
HTML = {"Content-Type": "text/html; charset=utf-8"}
XML = {"Content-Type": "application/xml"}


def story_paragraphs(n: int) -> list[str]:
    return [f"Grid operators in Tallinn published new figures on wind farms after {n + k} days of debate, and the "
            f"regional council asked for more time before a vote that officials expect within weeks." for k in range(6)]


@pytest.fixture
def news_site() -> Iterator[str]:
    """A small news site that published the last three days: a news sitemap, no feed, no WordPress."""
    now = datetime.now(UTC).replace(microsecond=0)
    stories = [(f"/world/story-{n}/", f"Tallinn story number {n} of the week", now - timedelta(days=n, hours=2))
               for n in range(3)]
    routes: dict[str, Handler | list[Handler]] = {
        "/": respond(200, b"<!DOCTYPE html><html><head><title>The Wire</title></head><body>News</body></html>", HTML),
        "/robots.txt": respond(200, b"User-agent: *\nAllow: /\n"),
        **{path: respond(200, article_page(title, "Ana Ruiz", when, story_paragraphs(n)), HTML)
           for n, (path, title, when) in enumerate(stories)},
    }
    with serve(routes) as (base, _hits):  # routes are looked up per request: the sitemap can name the port
        routes["/news-sitemap.xml"] = respond(200, urlset(
            [Url(base + path, news_date=when.isoformat(), news_title=title) for path, title, when in stories]), XML)
        yield base


def test_sources_add_prints_a_commented_entry(news_site: str) -> None:
    result = runner.invoke(app, ["sources", "add", news_site + "/", "--name", "wire"])
    assert result.exit_code == 0, result.output
    (entry,) = yaml.safe_load(result.stdout)
    assert entry == {"name": "wire", "kind": "sitemap", "base_url": news_site + "/",
                     "sitemaps": [news_site + "/news-sitemap.xml"], "politeness": {"allow_private_addresses": True}}
    assert "# kind: sitemaps list the articles" in result.stdout
    assert "# selectors: none needed: the generic extractor read" in result.stdout


def test_sources_check_shows_recent_articles_and_writes_nothing(news_site: str, tmp_path: Path) -> None:
    sources = write_sources(tmp_path / "sources.yaml", [
        {"name": "wire", "kind": "sitemap", "base_url": news_site + "/", "politeness": FAST_LOOPBACK}])
    db = tmp_path / "warehouse.duckdb"
    result = runner.invoke(app, ["sources", "check", "wire", "--sample", "2", "--sources-file", str(sources)],
                           env={"WIREHOUSE_DB": str(db), "COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "wire: 2 articles read of 2 listed in the last 2 days" in result.stdout
    rows = [line for line in result.stdout.splitlines() if "Tallinn story" in line]
    assert len(rows) == 2 and all("Ana Ruiz" in row and "generic" in row for row in rows)
    assert "number 0" in rows[0] and "number 1" in rows[1]  # the newest first
    assert not db.exists()


def test_an_unreachable_site_is_one_line_and_exit_2() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    result = runner.invoke(app, ["sources", "add", f"http://127.0.0.1:{port}/"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: http://127.0.0.1:{port}/ is unreachable: ConnectError")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_site_that_is_not_news_is_one_line_and_exit_2() -> None:
    shop = b"<!DOCTYPE html><html><head><title>Bolt Shop</title></head><body><h1>Bolts</h1><p>M6.</p></body></html>"
    routes: dict[str, Handler | list[Handler]] = {
        "/": respond(200, shop, HTML), "/robots.txt": respond(200, b"User-agent: *\nAllow: /\n")}
    with serve(routes) as (base, _hits):
        routes["/sitemap.xml"] = respond(200, urlset([Url(f"{base}/products/bolt-m{n}/", "2025-10-01")
                                                      for n in (4, 5, 6)]), XML)
        for n in (4, 5, 6):
            routes[f"/products/bolt-m{n}/"] = respond(200, shop.replace(b"M6", f"M{n}".encode()), HTML)
        result = runner.invoke(app, ["sources", "add", base + "/"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {base}/: none of the 3 pages its sitemaps list reads as a dated story")
    assert len(result.stderr.strip().splitlines()) == 1


def test_checking_an_unknown_source_is_one_line(tmp_path: Path) -> None:
    sources = write_sources(tmp_path / "sources.yaml", [
        {"name": "wire", "kind": "sitemap", "base_url": "https://wire.example/"}])
    result = runner.invoke(app, ["sources", "check", "nope", "--sources-file", str(sources)])
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: unknown source 'nope'; known: wire"


def monthly_news_site(base: str, routes: dict[str, Handler | list[Handler]]) -> list[tuple[str, str, str, datetime]]:
    """A site unlike the Hugo one: undated addresses (/story/slug/), robots.txt naming an index of monthly
    sitemaps (sitemap-2024-03.xml) and a news sitemap, a short RSS feed declared by the home page. Returns the
    stories (path, title, author, published); an edited story's <lastmod> is three days after it."""
    authors = ("Ana Ruiz", "Ben Okafor", "Chloe Tran")
    stories = []
    for month in range(7, 13):
        for day in (9, 27 + month % 2):
            n = len(stories)
            published = datetime(2024, month, day, 7 + n % 9, 5 * n % 60, tzinfo=UTC)
            stories.append((f"/story/harbour-report-{n}/", f"Harbour report {n}: fishing quotas in week {n + 2}",
                            authors[n % 3], published))
    lastmod = {path: when + timedelta(days=3) if n % 4 == 3 else when for n, (path, _, _, when) in enumerate(stories)}
    for n, (path, title, author, when) in enumerate(stories):
        routes[path] = respond(200, article_page(title, author, when, story_paragraphs(n)), HTML)
    months = sorted({when.strftime("%Y-%m") for *_, when in stories})
    index = "".join(f"<sitemap><loc>{base}/sitemaps/sitemap-{m}.xml</loc><lastmod>"
                    f"{max(lastmod[p] for p, *_ , w in stories if f'{w:%Y-%m}' == m).isoformat()}</lastmod></sitemap>"
                    for m in months)
    routes["/sitemap-index.xml"] = respond(200, (
        f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{index}'
        "</sitemapindex>").encode(), XML)
    for m in months:
        routes[f"/sitemaps/sitemap-{m}.xml"] = respond(200, urlset(
            [Url(base + p, lastmod=lastmod[p].isoformat()) for p, *_, w in stories if f"{w:%Y-%m}" == m]), XML)
    routes["/sitemap-news.xml"] = respond(200, urlset(
        [Url(base + p, news_date=w.isoformat(), news_title=t) for p, t, _, w in stories[-2:]]), XML)
    items = "".join(f"<item><title>{t}</title><link>{base}{p}</link><dc:creator>{a}</dc:creator>"
                    f"<pubDate>{w:%a, %d %b %Y %H:%M:%S} +0000</pubDate></item>" for p, t, a, w in stories[-5:])
    routes["/rss.xml"] = respond(200, (
        '<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>Harbour News</title><link>{base}/</link>{items}</channel></rss>").encode(),
        {"Content-Type": "application/rss+xml"})
    routes["/robots.txt"] = respond(200, (f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap-index.xml\n"
                                          f"Sitemap: {base}/sitemap-news.xml\n").encode())
    routes["/"] = respond(200, (
        '<!DOCTYPE html><html><head><title>Harbour News</title><link rel="alternate" type="application/rss+xml" '
        f'href="{base}/rss.xml"></head><body><h1>Harbour News</h1></body></html>').encode(), HTML)
    return stories


@pytest.mark.usefixtures("prefect_harness")
def test_add_write_then_backfill_a_site_of_undated_addresses(tmp_path: Path) -> None:
    sources, db = tmp_path / "sources.yaml", tmp_path / "warehouse.duckdb"
    routes: dict[str, Handler | list[Handler]] = {}
    with serve(routes) as (base, _hits):
        stories = monthly_news_site(base, routes)
        added = runner.invoke(app, ["sources", "add", base + "/", "--write", "--sources-file", str(sources)])
        assert added.exit_code == 0, added.output
        (entry,) = yaml.safe_load(added.stdout)
        assert (entry["kind"], entry["feed_url"]) == ("sitemap", f"{base}/rss.xml")
        assert entry["sitemaps"] == [f"{base}/sitemap-index.xml", f"{base}/sitemap-news.xml"]
        result = runner.invoke(app, ["backfill", "--source", entry["name"], "--start", "2024-07-01", "--end",
                                     "2024-12-31", "--chunk", "month", "--db", str(db), "--sources-file", str(sources)])
        assert result.exit_code == 0, result.output
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT a.url, a.title, b.author_names, a.published_at FROM articles a "
                           "JOIN article_bylines b USING (article_id)").fetchall()
        chunks = con.execute("SELECT count(*) FROM backfill_chunks").fetchone()
    finally:
        con.close()
    assert sorted(rows) == sorted((base + p, t, [a], w) for p, t, a, w in stories)  # each once, as published
    assert chunks == (6,)
