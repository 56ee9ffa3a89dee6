"""Sitemap files and an in-memory site that serves them through the pipeline's `get(url, role)` seam.

Used by the sitemap tests and by benchmarks/sitemaps.py (which builds indexes of 50 files of 50,000 URLs).
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.sax.saxutils import escape

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
    requests: list[tuple[str, str]] = field(default_factory=list)

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
