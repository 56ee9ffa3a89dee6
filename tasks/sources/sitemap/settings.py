"""What a sitemap source declares beyond name, URL, selectors and politeness."""

from __future__ import annotations

from pydantic import Field, HttpUrl

from tasks.sources.base import KindSettings


class SitemapSettings(KindSettings):
    # The sitemaps or sitemap indexes to read (`wirehouse sources add` proposes them); without any, each run looks
    # for them: robots.txt's Sitemap: lines, then the usual locations.
    sitemaps: list[HttpUrl] = Field(default_factory=list)
    feed_url: HttpUrl | None = None  # optional: its entries' bylines, post ids and comment counts join the targets
