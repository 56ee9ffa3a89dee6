"""A first look at a site's sitemaps, for the probe behind `wirehouse sources add`: what each root holds,
how far back it reaches, and whether it is split by period (so a backfill opens only the months it needs).

Only the roots are read, plus the newest child of each index: a probe costs a handful of requests, not a walk
of every sitemap a site has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from schemas.errors import FetchError
from tasks.sources.base import Get
from tasks.sources.sitemap.dates import ZONE_SLACK, DateSpan, date_in_article_url, period_of_sitemap
from tasks.sources.sitemap.locate import find_sitemaps
from tasks.sources.sitemap.sitemaps import ChildSitemap, ParsedSitemap, SitemapFormat, parse_sitemap
from tasks.sources.sitemap.walk import SITEMAP_ROLE

_SAMPLE_URLS = 5


@dataclass
class SitemapFinding:
    url: str
    from_robots: bool
    format: SitemapFormat = SitemapFormat.UNKNOWN
    urls: int = 0  # entries of the root (an index: of the child looked into)
    children: int = 0
    dated_children: int = 0  # children named by a period (sitemap-2024-03.xml, /2024/03/)
    news_urls: int = 0  # entries with a Google News publication date
    dated_urls: int = 0  # entries with a lastmod, a news date or a dated permalink
    oldest: datetime | None = None
    newest: datetime | None = None
    sample_urls: list[str] = field(default_factory=list)  # newest first
    problem: str = ""  # why it could not be read (whole)

    @property
    def is_news(self) -> bool:
        return self.news_urls > 0

    @property
    def split_by_period(self) -> bool:
        return self.children > 0 and self.dated_children * 2 >= self.children


async def survey_sitemaps(get: Get, base_url: str) -> list[SitemapFinding]:
    """Every sitemap root the site has (robots.txt's and the usual locations'), each looked at once."""
    roots = await find_sitemaps(get, base_url, look_everywhere=True)
    findings = []
    for url in roots.urls:
        finding = SitemapFinding(url=url, from_robots=url in roots.from_robots)
        parsed = roots.checked.get(url) or await _read(get, url, finding)
        if parsed is not None:
            await _describe(get, parsed, finding)
        findings.append(finding)
    return findings


async def _read(get: Get, url: str, finding: SitemapFinding) -> ParsedSitemap | None:
    try:
        response = await get(url, SITEMAP_ROLE)
    except FetchError as exc:
        finding.problem = f"{exc.reason} {exc.detail}".strip()
        return None
    parsed = parse_sitemap(response.body, response.final_url or url)
    if parsed.failure is not None:
        finding.problem = f"{parsed.failure.reason}: {parsed.failure.detail}"
    return parsed


async def _describe(get: Get, parsed: ParsedSitemap, finding: SitemapFinding) -> None:
    finding.format = parsed.format
    finding.children = len(parsed.children)
    periods = [p for p in (period_of_sitemap(c.url) for c in parsed.children) if p is not None]
    finding.dated_children = len(periods)
    spans = periods + [c.lastmod for c in parsed.children if c.lastmod is not None]
    entries_from = parsed
    if parsed.children:
        newest = _newest_child(parsed.children)
        child = await _read(get, newest.url, SitemapFinding(url=newest.url, from_robots=False))
        entries_from = child if child is not None else ParsedSitemap(url=newest.url, format=SitemapFormat.UNKNOWN)
    entries = entries_from.entries
    finding.urls = len(entries)
    finding.news_urls = sum(1 for e in entries if e.news_published is not None)
    dated: list[tuple[DateSpan, str]] = []
    for entry in entries:
        span = entry.news_published or entry.lastmod or date_in_article_url(entry.url)
        if span is not None:
            dated.append((span, entry.url))
    finding.dated_urls = len(dated)
    spans += [span for span, _ in dated]
    if spans:
        finding.oldest = min(s.middle if s.narrow else s.earliest + ZONE_SLACK for s in spans)
        finding.newest = max(s.middle if s.narrow else s.latest - ZONE_SLACK for s in spans)
    ordered = [url for _, url in sorted(dated, key=lambda d: d[0].middle, reverse=True)]
    finding.sample_urls = (ordered or [e.url for e in entries])[:_SAMPLE_URLS]


def _newest_child(children: list[ChildSitemap]) -> ChildSitemap:
    """The child most likely to hold recent articles: the latest lastmod, else the latest period, else the last."""
    def key(index_child: tuple[int, ChildSitemap]) -> tuple[datetime, datetime, int]:
        index, child = index_child
        period = period_of_sitemap(child.url)
        floor = datetime.min.replace(tzinfo=None)
        lastmod = child.lastmod.latest.replace(tzinfo=None) if child.lastmod else floor
        return lastmod, period.latest.replace(tzinfo=None) if period else floor, index

    return max(enumerate(children), key=key)[1]
