"""Sitemap files and an in-memory site that serves them through the pipeline's `get(url, role)` seam.

Used by the sitemap tests and by benchmarks/sitemaps.py (which builds indexes of 50 files of 50,000 URLs).
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.sax.saxutils import escape

import httpx

from schemas import RawResponse
from schemas.errors import HttpStatusError

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
IMAGE_NS = "http://www.google.com/schemas/sitemap-image/1.1"
VIDEO_NS = "http://www.google.com/schemas/sitemap-video/1.1"


@dataclass(frozen=True)
class Url:
    loc: str
    lastmod: str | None = None
    news_date: str | None = None
    news_title: str | None = None
    image: str | None = None  # an <image:image> block, which must not be read as the page
    video_title: str | None = None  # a <video:video> block, likewise


def urlset(urls: Iterable[Url]) -> bytes:
    parts = [f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}" '
             f'xmlns:image="{IMAGE_NS}" xmlns:video="{VIDEO_NS}">\n']
    for url in urls:
        parts.append(f"<url><loc>{escape(url.loc)}</loc>")
        if url.lastmod:
            parts.append(f"<lastmod>{url.lastmod}</lastmod>")
        if url.image:
            parts.append(f"<image:image><image:loc>{escape(url.image)}</image:loc>"
                         "<image:title>A picture</image:title></image:image>")
        if url.video_title:
            parts.append(f"<video:video><video:content_loc>{escape(url.loc)}video.mp4</video:content_loc>"
                         f"<video:title>{escape(url.video_title)}</video:title></video:video>")
        if url.news_date:
            parts.append("<news:news><news:publication><news:name>The Test Wire</news:name>"
                         "<news:language>en</news:language></news:publication>"
                         f"<news:publication_date>{url.news_date}</news:publication_date>"
                         f"<news:title>{escape(url.news_title or '')}</news:title></news:news>")
        parts.append("</url>\n")
    parts.append("</urlset>\n")
    return "".join(parts).encode()


def sitemap_index(children: Iterable[tuple[str, str | None]]) -> bytes:
    """An index of (loc, lastmod) pairs."""
    parts = [f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n']
    for loc, lastmod in children:
        parts.append(f"<sitemap><loc>{escape(loc)}</loc>")
        if lastmod:
            parts.append(f"<lastmod>{lastmod}</lastmod>")
        parts.append("</sitemap>\n")
    parts.append("</sitemapindex>\n")
    return "".join(parts).encode()


def gzipped(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=6, mtime=0)


Page = bytes | tuple[int, bytes, dict[str, str]]  # a body, or (status, body, headers)


@dataclass
class FakeSite:
    """URL -> body (or (status, body, headers)); `get` answers like the pipeline's client and logs each request.

    A URL with a query string is answered by its path's page when it has none of its own."""

    pages: Mapping[str, Page]
    requests: list[tuple[str, str]] = field(default_factory=list)  # (url, role) asked through `get`
    served: list[tuple[str, int]] = field(default_factory=list)  # (url, status) answered through `transport`

    async def get(self, url: str, role: str) -> RawResponse:
        self.requests.append((url, role))
        page = self.pages.get(url) or self.pages.get(url.split("?")[0])
        if page is None:
            raise HttpStatusError(url, 404)
        status, body, headers = page if isinstance(page, tuple) else (200, page, {})
        if status >= 400:
            raise HttpStatusError(url, status)
        return RawResponse(url=url, final_url=url, status=status, headers=headers, body=body, role=role,
                           fetched_at=datetime(2026, 1, 1, tzinfo=UTC))

    def requested(self) -> list[str]:
        return [url for url, _role in self.requests]

    def transport(self) -> httpx.MockTransport:
        """The same pages over HTTP for a real Fetcher (robots.txt, caps, redirects), in-process; a page with an
        ETag answers 304 to a request that sends it back."""

        def handle(request: httpx.Request) -> httpx.Response:
            url = str(request.url)
            page = self.pages.get(url) or self.pages.get(url.split("?")[0])
            status, body, headers = (404, b"not found", {}) if page is None else (
                page if isinstance(page, tuple) else (200, page, {}))
            etag = headers.get("etag")
            if etag and request.headers.get("if-none-match") == etag:
                status, body = 304, b""
            self.served.append((url, status))
            return httpx.Response(status, headers=headers, content=body)

        return httpx.MockTransport(handle)


def article_page(
    title: str, author: str, published: datetime, paragraphs: Iterable[str], site: str = "The Wire"
) -> bytes:
    """A news story page as most CMSs print one: <title> with the site's name, a headline, a byline link, a
    <time>, the body's paragraphs, navigation and footer around them; no structured data."""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{escape(title)} | {site}</title>"
            f"<meta property=\"og:type\" content=\"article\"></head><body><header><nav><a href=\"/\">Home</a> "
            f"<a href=\"/world/\">World</a></nav></header><main><article><h1>{escape(title)}</h1>"
            f"<p class=\"byline\">By <a rel=\"author\" href=\"/authors/x/\">{escape(author)}</a></p>"
            f"<time datetime=\"{published.isoformat()}\">{published:%B %d, %Y}</time>"
            f"<div class=\"story-body\">{body}</div></article></main><footer>&copy; {site}</footer></body></html>"
            ).encode()
