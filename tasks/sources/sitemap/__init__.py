"""The sitemap kind: the site's sitemaps for discovery (its feed's bylines merged in), article pages for content,
read with the source's selectors when it declares any and with the generic extractor otherwise. See README.md.
"""

from __future__ import annotations

from collections.abc import Mapping

from schemas import Discovery, DiscoveryWindow, FetchedTarget, ParsedArticle, RawResponse, Source, Target, Validators
from schemas.errors import ParseError
from tasks.fetch.fetcher import Fetcher
from tasks.parse.encoding import decode_html
from tasks.parse.generic import extract_article
from tasks.sources.base import Get, SourceKind, by_role
from tasks.sources.feed import fetch_page, parse_page
from tasks.sources.sitemap.discover import discover_articles
from tasks.sources.sitemap.settings import SitemapSettings
from tasks.sources.sitemap.walk import SITEMAP_ROLE


class SitemapKind(SourceKind):
    name = "sitemap"
    settings_model = SitemapSettings
    discovery_roles = (SITEMAP_ROLE,)  # files of URLs only: indexes are kept under another role, never asked so

    async def discover(
        self, source: Source, window: DiscoveryWindow, fetcher: Fetcher, validators: Mapping[str, Validators]
    ) -> Discovery:
        return await discover_articles(source, window, fetcher, validators)

    def first_urls(self, source: Source, target: Target) -> list[str]:
        return [target.url]

    async def fetch(self, source: Source, target: Target, get: Get) -> list[RawResponse]:
        return await fetch_page(target, get)

    def parse(self, fetched: FetchedTarget, source: Source) -> ParsedArticle:
        if source.selectors.model_fields_set:
            return parse_page(fetched, source)  # the declared selectors, generic rules for what they leave empty
        return read_generic(fetched)


def read_generic(fetched: FetchedTarget) -> ParsedArticle:
    """The article page read by the generic extractor; raises ParseError when it holds no article body."""
    pages = by_role(fetched.responses).get("article", [])
    if not pages:
        raise ParseError("no article response to parse")
    page = pages[0]
    html = decode_html(page.body, page.headers.get("content-type"))
    article = extract_article(html, page.final_url or fetched.target.url)
    if not article.body_text:
        raise ParseError("page has no article body")
    return article
