"""Finding a site's sitemaps: robots.txt first, then the usual locations, each checked to be a sitemap."""

from __future__ import annotations

import asyncio

from tasks.sources.sitemap.locate import find_sitemaps
from testing.sitemaps import FakeSite, Page, Url, gzipped, sitemap_index, urlset

SITE = "https://wire.example"
HOME_PAGE = b"<!DOCTYPE html><html><head><title>The Wire</title></head><body>Front page</body></html>"


def test_robots_txt_sitemap_lines_are_taken_as_they_are() -> None:
    robots = (b"User-agent: *\nDisallow: /admin/\n\nSitemap: https://wire.example/sitemap_index.xml\n"
              b"sitemap: /news-sitemap.xml\nSitemap: https://wire.example/sitemap_index.xml\n")
    site = FakeSite({f"{SITE}/robots.txt": robots})
    roots = asyncio.run(find_sitemaps(site.get, f"{SITE}/"))
    assert roots.urls == [f"{SITE}/sitemap_index.xml", f"{SITE}/news-sitemap.xml"]
    assert site.requested() == [f"{SITE}/robots.txt"]  # nothing else is tried when the site says where


def test_without_robots_lines_the_usual_locations_are_tried_and_checked() -> None:
    pages: dict[str, Page] = {
        f"{SITE}/robots.txt": b"User-agent: *\nDisallow:\n",
        f"{SITE}/sitemap.xml": HOME_PAGE,  # a soft 404: the front page for any path
        f"{SITE}/sitemap_index.xml": sitemap_index([(f"{SITE}/posts.xml", None)]),
        f"{SITE}/sitemap-news.xml": gzipped(urlset([Url(f"{SITE}/a/", news_date="2024-03-05", news_title="A")])),
        f"{SITE}/sitemap.txt": b"",  # empty: not a sitemap
    }
    roots = asyncio.run(find_sitemaps(FakeSite(pages).get, f"{SITE}/"))
    assert roots.urls == [f"{SITE}/sitemap_index.xml", f"{SITE}/sitemap-news.xml"]
    assert any("sitemap.xml: not a sitemap" in note for note in roots.notes)


def test_look_everywhere_adds_the_usual_locations_to_robots_lines() -> None:
    pages: dict[str, Page] = {
        f"{SITE}/robots.txt": b"Sitemap: https://wire.example/sitemap.xml\n",
        f"{SITE}/sitemap.xml": urlset([Url(f"{SITE}/a/")]),
        f"{SITE}/news-sitemap.xml": urlset([Url(f"{SITE}/a/", news_date="2024-03-05", news_title="A")]),
    }
    site = FakeSite(pages)
    roots = asyncio.run(find_sitemaps(site.get, f"{SITE}/", look_everywhere=True))
    assert roots.from_robots == [f"{SITE}/sitemap.xml"] and roots.found == [f"{SITE}/news-sitemap.xml"]
    assert site.requested().count(f"{SITE}/sitemap.xml") == 0  # robots.txt's sitemap is not fetched again here


def test_a_site_in_a_folder_is_looked_for_there_too_and_a_missing_robots_is_no_error() -> None:
    pages: dict[str, Page] = {
        f"{SITE}/blog/wp-sitemap.xml": sitemap_index([(f"{SITE}/blog/wp-sitemap-posts-post-1.xml", None)]),
    }
    roots = asyncio.run(find_sitemaps(FakeSite(pages).get, f"{SITE}/blog/"))
    assert roots.urls == [f"{SITE}/blog/wp-sitemap.xml"] and roots.notes == []
