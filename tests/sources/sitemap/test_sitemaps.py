"""Reading one sitemap file: formats, extensions, gzip, the protocol's limits, malformed and hostile XML."""

from __future__ import annotations

import gzip
import time
from datetime import UTC, datetime

from tasks.sources.sitemap.dates import DateSpan
from tasks.sources.sitemap.sitemaps import SitemapFormat, SitemapLimits, parse_sitemap
from testing.sitemaps import Url, gzipped, sitemap_index, urlset

SITE = "https://wire.example"


def article(n: int, **extra: str) -> Url:
    return Url(f"{SITE}/2024/03/{n:02d}/story-{n}/", lastmod=f"2024-03-{n:02d}T08:00:00+00:00", **extra)


def test_a_urlset_gives_each_page_with_its_lastmod() -> None:
    parsed = parse_sitemap(urlset([article(1), article(2)]), f"{SITE}/sitemap.xml")
    assert parsed.format is SitemapFormat.URLSET and parsed.complete
    assert [e.url for e in parsed.entries] == [f"{SITE}/2024/03/01/story-1/", f"{SITE}/2024/03/02/story-2/"]
    assert parsed.entries[1].lastmod == DateSpan.instant(datetime(2024, 3, 2, 8, tzinfo=UTC))


def test_an_index_gives_its_child_sitemaps() -> None:
    body = sitemap_index([(f"{SITE}/sitemap-2024-03.xml", "2024-03-31"), (f"{SITE}/sitemap-2024-04.xml", None)])
    parsed = parse_sitemap(body, f"{SITE}/sitemap_index.xml")
    assert parsed.format is SitemapFormat.INDEX and parsed.complete and not parsed.entries
    assert [(c.url, c.lastmod is not None) for c in parsed.children] == [
        (f"{SITE}/sitemap-2024-03.xml", True), (f"{SITE}/sitemap-2024-04.xml", False)]


def test_a_news_sitemap_gives_publication_date_and_title() -> None:
    body = urlset([Url(f"{SITE}/a/", news_date="2024-03-05T22:30:00-05:00", news_title="Talks resume & stall")])
    entry = parse_sitemap(body, f"{SITE}/news-sitemap.xml").entries[0]
    assert entry.news_published == DateSpan.instant(datetime(2024, 3, 6, 3, 30, tzinfo=UTC))
    assert entry.news_title == "Talks resume & stall"
    assert entry.lastmod is None


def test_image_and_video_blocks_are_not_taken_for_the_page() -> None:
    body = urlset([Url(f"{SITE}/a/", lastmod="2024-03-05", image=f"{SITE}/pic.jpg", video_title="Clip"),
                   Url(f"{SITE}/b/", image=f"{SITE}/pic2.jpg")])
    parsed = parse_sitemap(body, f"{SITE}/sitemap.xml")
    assert [e.url for e in parsed.entries] == [f"{SITE}/a/", f"{SITE}/b/"]
    assert parsed.entries[0].news_title is None and parsed.complete


def test_undeclared_prefixes_and_relative_locations_are_still_read() -> None:
    body = (b'<?xml version="1.0"?><urlset><url><loc>/2024/03/05/relative/</loc>'
            b"<news:news><news:publication_date>2024-03-05</news:publication_date>"
            b"<news:title>No xmlns</news:title></news:news></url></urlset>")
    parsed = parse_sitemap(body, f"{SITE}/sitemap.xml")
    assert parsed.complete
    assert [(e.url, e.news_title) for e in parsed.entries] == [(f"{SITE}/2024/03/05/relative/", "No xmlns")]


def test_gzip_is_found_by_its_bytes_not_its_name() -> None:
    body = urlset([article(1), article(2)])
    as_plain_name = parse_sitemap(gzipped(body), f"{SITE}/sitemap.xml")
    decoded_gz_name = parse_sitemap(body, f"{SITE}/sitemap.xml.gz")  # the server already undid Content-Encoding
    two_members = parse_sitemap(gzipped(body[:300]) + gzipped(body[300:]), f"{SITE}/s.xml.gz")
    for parsed in (as_plain_name, decoded_gz_name, two_members):
        assert parsed.complete and [e.url for e in parsed.entries] == [article(1).loc, article(2).loc]


def test_the_size_cap_applies_to_the_decompressed_bytes() -> None:
    # a small gzip that inflates to ~20 MB: stopped at the cap, without inflating it all
    bomb = gzipped(urlset([article(1)]).replace(b"</urlset>", b" " * 20_000_000 + b"</urlset>"))
    assert len(bomb) < 100_000
    parsed = parse_sitemap(bomb, f"{SITE}/sitemap.xml", SitemapLimits(max_bytes=1_000_000))
    assert parsed.failure is not None and parsed.failure.reason == "sitemap_too_large"
    assert [e.url for e in parsed.entries] == [article(1).loc]  # what was read before the cap is kept


def test_an_uncompressed_file_over_the_cap_is_a_failure() -> None:
    body = urlset(article(n % 28 + 1) for n in range(2_000))
    parsed = parse_sitemap(body, f"{SITE}/sitemap.xml", SitemapLimits(max_bytes=len(body) // 2))
    assert parsed.failure is not None and parsed.failure.reason == "sitemap_too_large"
    assert 0 < len(parsed.entries) < 2_000


def test_more_than_50000_urls_is_recorded_and_the_first_50000_kept() -> None:
    body = urlset(Url(f"{SITE}/p/{n}/") for n in range(50_001))
    parsed = parse_sitemap(body, f"{SITE}/sitemap.xml")
    assert parsed.failure is not None and parsed.failure.reason == "sitemap_over_limit"
    assert len(parsed.entries) == 50_000 and parsed.entries[-1].url == f"{SITE}/p/49999/"
    exactly = parse_sitemap(urlset(Url(f"{SITE}/p/{n}/") for n in range(50_000)), f"{SITE}/sitemap.xml")
    assert exactly.complete and len(exactly.entries) == 50_000


def test_truncated_xml_keeps_what_was_read_and_is_recorded() -> None:
    body = urlset([article(1), article(2), article(3)])
    cut = body[: body.index(b"story-3")]
    parsed = parse_sitemap(cut, f"{SITE}/sitemap.xml")
    assert parsed.failure is not None and parsed.failure.reason == "sitemap_malformed"
    assert [e.url for e in parsed.entries] == [article(1).loc, article(2).loc]
    bad_gzip = parse_sitemap(gzipped(body)[:-40], f"{SITE}/sitemap.xml.gz")
    assert bad_gzip.failure is not None and bad_gzip.failure.reason == "sitemap_malformed"


def test_entity_expansion_and_external_entities_are_refused_at_once() -> None:
    laughs = b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">' + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode() for i in range(1, 10)
    ) + b']>\n<urlset><url><loc>https://x.example/&lol9;</loc></url></urlset>'
    external = (b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                b"<urlset><url><loc>https://x.example/&xxe;</loc></url></urlset>")
    started = time.process_time()
    for body in (laughs, external, gzipped(laughs)):
        parsed = parse_sitemap(body, f"{SITE}/sitemap.xml")
        assert parsed.failure is not None and parsed.failure.reason == "sitemap_unsafe_xml"
        assert parsed.entries == []
    assert time.process_time() - started < 5  # refused before any expansion (loose: a loaded 2-core machine)


def test_an_html_page_or_empty_body_is_not_a_sitemap() -> None:
    for body in (b"<!DOCTYPE html><html><head><title>Home</title></head><body>Hi</body></html>", b"", b"  \n",
                 b"<?xml version='1.0'?><feedback><x/></feedback>", b"Not found"):
        parsed = parse_sitemap(body, f"{SITE}/sitemap.xml")
        assert parsed.format is SitemapFormat.UNKNOWN
        assert parsed.failure is not None and parsed.failure.reason == "not_a_sitemap", body


def test_a_text_sitemap_lists_one_url_a_line() -> None:
    body = f"\ufeff{SITE}/a/\r\n\n  {SITE}/b/  \n# comment\n".encode()
    parsed = parse_sitemap(gzip.compress(body), f"{SITE}/sitemap.txt")
    assert parsed.format is SitemapFormat.TEXT and parsed.complete
    assert [e.url for e in parsed.entries] == [f"{SITE}/a/", f"{SITE}/b/"]


def test_a_feed_given_as_a_sitemap_is_read_as_one() -> None:
    feed = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>'
            b"<item><title>A</title><link>https://wire.example/a/</link>"
            b"<pubDate>Tue, 05 Mar 2024 10:00:00 +0000</pubDate></item></channel></rss>")
    parsed = parse_sitemap(feed, f"{SITE}/feed/")
    assert parsed.format is SitemapFormat.FEED and parsed.complete
    assert [(e.url, e.lastmod) for e in parsed.entries] == [
        (f"{SITE}/a/", DateSpan.instant(datetime(2024, 3, 5, 10, tzinfo=UTC)))]
