"""Where a site keeps its sitemaps: robots.txt `Sitemap:` lines, then the locations CMSs and plugins use."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import urljoin, urlsplit

from protego import Protego

from schemas.errors import FetchError
from tasks.normalize.urls import canonical_url
from tasks.sources.base import Get
from tasks.sources.sitemap.dates import period_of_sitemap
from tasks.sources.sitemap.pages import lists_articles
from tasks.sources.sitemap.sitemaps import ParsedSitemap, SitemapFormat, parse_sitemap
from tasks.sources.sitemap.walk import SITEMAP_ROLE

T = TypeVar("T")
# Tried in order when robots.txt names none (or when asked to look everywhere). Core WordPress, Yoast and
# Rank Math, Google News plugins, Drupal, Hugo, Jekyll, Ghost and most hand-made sites use one of these.
USUAL_LOCATIONS = (
    "sitemap.xml",
    "sitemap_index.xml",
    "sitemap-index.xml",
    "wp-sitemap.xml",
    "news-sitemap.xml",
    "sitemap-news.xml",
    "sitemap_news.xml",
    "sitemap.xml.gz",
    "sitemap.txt",
)


@dataclass
class SitemapRoots:
    urls: list[str] = field(default_factory=list)  # robots.txt's first, then those found at usual locations
    from_robots: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)  # at a usual location, checked to be a sitemap
    notes: list[str] = field(default_factory=list)  # what was tried and why it was not taken
    checked: dict[str, ParsedSitemap] = field(default_factory=dict)  # the usual-location ones, as read to check


async def find_sitemaps(get: Get, base_url: str, look_everywhere: bool = False) -> SitemapRoots:
    """The sitemaps a site declares, or else those at the usual places (each checked to really be a sitemap)."""
    roots = SitemapRoots()
    parts = urlsplit(base_url)
    origin = f"{parts.scheme}://{parts.netloc}/"
    try:
        robots = await get(urljoin(origin, "robots.txt"), "robots")
        if robots.status == 200:
            text = robots.body.decode("utf-8", errors="replace")
            roots.from_robots = _unique(urljoin(origin, line.strip()) for line in Protego.parse(text).sitemaps)
    except FetchError as exc:
        if exc.status != 404:  # no robots.txt is common and says nothing
            roots.notes.append(f"robots.txt: {exc.reason}")
    if roots.from_robots and not look_everywhere:
        roots.urls = list(roots.from_robots)
        return roots
    known = {canonical_url(u) for u in roots.from_robots}
    for url in _candidates(origin, base_url):
        if canonical_url(url) in known:
            continue
        try:
            response = await get(url, SITEMAP_ROLE)
        except FetchError as exc:
            if exc.status != 404:
                roots.notes.append(f"{url}: {exc.reason}")
            continue
        final = canonical_url(response.final_url or url)
        if final in known:
            continue  # /sitemap.xml redirecting to /sitemap_index.xml
        parsed = parse_sitemap(response.body, final)
        if parsed.format is SitemapFormat.UNKNOWN or not (parsed.entries or parsed.children):
            roots.notes.append(f"{url}: not a sitemap ({parsed.failure.detail if parsed.failure else 'empty'})")
            continue
        known.add(final)
        roots.found.append(response.final_url or url)
        roots.checked[response.final_url or url] = parsed
    roots.urls = roots.from_robots + roots.found
    return roots


def _candidates(origin: str, base_url: str) -> list[str]:
    """Usual locations at the host's root, and under the base path for a site that lives in a folder."""
    bases = [origin]
    folder = base_url if base_url.endswith("/") else base_url + "/"
    if canonical_url(folder) != canonical_url(origin):
        bases.append(folder)
    return [urljoin(base, name) for base in bases for name in USUAL_LOCATIONS]


def _unique(urls: Iterable[str]) -> list[str]:
    out: list[str] = []
    for url in urls:
        if url not in out:
            out.append(url)
    return out


def preferred_sitemaps(
    found: Sequence[T], is_news: Callable[[T], bool], split_by_period: Callable[[T], bool]
) -> list[T]:
    """News sitemaps and indexes split by period are what nightly runs and backfills want: when a site has an index
    split by period, a catch-all sitemap beside it (which also lists tag, author and section pages) is left out."""
    if not any(split_by_period(item) for item in found):
        return list(found)
    return [item for item in found if is_news(item) or split_by_period(item)]


def is_split_by_period(parsed: ParsedSitemap) -> bool:
    """An index at least half of whose children are named by a period (sitemap-2024-03.xml, /2024/03/)."""
    dated = sum(1 for child in parsed.children if period_of_sitemap(child.url) is not None)
    return bool(parsed.children) and dated * 2 >= len(parsed.children)


def article_roots(roots: SitemapRoots) -> list[str]:
    """The roots a run walks: those robots.txt declares (less those named for taxonomies, authors or static
    pages), else the preferred of those found at usual locations."""
    if roots.from_robots:
        return [url for url in roots.from_robots if lists_articles(url)]
    return preferred_sitemaps(
        roots.found,
        is_news=lambda url: any(e.news_published is not None for e in roots.checked[url].entries),
        split_by_period=lambda url: is_split_by_period(roots.checked[url]),
    )
