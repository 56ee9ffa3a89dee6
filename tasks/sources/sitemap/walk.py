"""Walking a site's sitemaps: indexes into their children, down to the URLs of one window.

Every request goes through the injected `get(url, role) -> RawResponse`, which raises a FetchError when a URL
cannot be had: robots.txt, rate limits, domains, size caps and conditional GETs all stay in the one HTTP client.
A 304 answer (the client sent the stored validators) means the sitemap has not changed: nothing in it is new.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from schemas import DiscoveryWindow, FetchFailure, RawResponse
from schemas.errors import FetchError
from tasks.normalize.urls import canonical_url
from tasks.sources.base import Get
from tasks.sources.sitemap.dates import DateSpan, period_of_sitemap
from tasks.sources.sitemap.select import child_in_window, place_entry
from tasks.sources.sitemap.sitemaps import ParsedSitemap, SitemapEntry, SitemapFormat, SitemapLimits, parse_sitemap

SITEMAP_ROLE = "sitemap"  # how sitemap files are asked for (the client allows them the protocol's 50 MB)
INDEX_ROLE = "sitemap_index"  # how a file that turned out to be a sitemap index is kept
# Most sitemap URLs are already canonical (lowercase host, no query, no fragment, no default port): they skip
# canonical_url, which was two thirds of the CPU of walking 50,000 URLs.
_PLAIN_URL = re.compile(r"https?://[a-z0-9.-]+(?::(?!80/|443/)\d+)?/[^?#\s]*")
_PARSE_IN_THREAD_BYTES = 256 * 1024  # bigger bodies are parsed off the event loop (a 50 MB file takes seconds)


@dataclass(frozen=True)
class WalkLimits:
    file: SitemapLimits = field(default_factory=SitemapLimits)
    max_depth: int = 4  # a root is depth 0: index -> index -> index -> index -> urlset at most
    max_sitemaps: int = 5_000  # files read in one walk
    concurrency: int = 4  # the client's per-host rate limit still applies underneath


@dataclass(frozen=True)
class SitemapSummary:
    """One sitemap read during a walk, for reports and for the probe."""

    url: str
    format: SitemapFormat
    depth: int
    urls: int
    children: int
    news_urls: int  # entries carrying a Google News publication date
    complete: bool


@dataclass
class SitemapWalk:
    entries: list[SitemapEntry] = field(default_factory=list)  # in the window (all when no window), by URL once
    undated: list[SitemapEntry] = field(default_factory=list)  # nothing dates them: the caller decides
    responses: list[RawResponse] = field(default_factory=list)  # every sitemap as fetched (raw kept)
    failures: list[FetchFailure] = field(default_factory=list)  # files not read, or not read whole
    warnings: list[str] = field(default_factory=list)  # loops and other oddities that lost nothing
    sitemaps: list[SitemapSummary] = field(default_factory=list)
    skipped: int = 0  # child sitemaps left unopened: outside the window by lastmod or name, or not followed
    unchanged: int = 0  # answered 304

    @property
    def complete(self) -> bool:
        return not self.failures


@dataclass(frozen=True)
class _Visit:
    url: str
    depth: int
    ancestors: tuple[str, ...]  # canonical URLs of the indexes above it
    period: DateSpan | None  # from its own name or an ancestor's


async def walk_sitemaps(
    get: Get,
    roots: Sequence[str],
    window: DiscoveryWindow | None = None,
    limits: WalkLimits | None = None,
    keep_responses: bool = True,
    follow: Callable[[str], bool] | None = None,
) -> SitemapWalk:
    """Every URL of the window listed by `roots` and the sitemaps under them; never raises for a site's faults.

    `follow(url)` False leaves a child sitemap unopened (one that lists no articles), counted in `skipped`.
    """
    limits = limits or WalkLimits()
    walk = SitemapWalk()
    selected: dict[str, SitemapEntry] = {}
    undated: dict[str, SitemapEntry] = {}
    seen: set[str] = set()
    level: list[_Visit] = []
    for root in roots:
        key = canonical_url(root)
        if key not in seen:
            seen.add(key)
            level.append(_Visit(root, 0, (), period_of_sitemap(root)))
    read = 0
    while level:
        room = limits.max_sitemaps - read
        if len(level) > room:
            walk.failures.append(FetchFailure(url=level[room].url, reason="sitemap_too_many",
                                              detail=f"more than {limits.max_sitemaps} sitemaps in one walk"))
            level = level[:room]
        read += len(level)
        next_level: list[_Visit] = []
        # a few at a time, recorded in the order listed (a walk is reproducible) and let go of before the next
        # few: a level of fifty 50 MB sitemaps never has more than `concurrency` bodies in memory
        for first in range(0, len(level), limits.concurrency):
            batch = level[first : first + limits.concurrency]
            outcomes = await asyncio.gather(*(_read_one(get, item, limits) for item in batch))
            for item, outcome in zip(batch, outcomes, strict=True):
                parsed = _record(outcome, item, walk, keep_responses)
                if parsed is None:
                    continue
                _keep_entries(parsed, item, window, selected, undated)
                next_level.extend(_children_to_visit(parsed, item, window, limits, seen, walk, follow))
        level = next_level
    walk.entries = list(selected.values())
    walk.undated = [entry for key, entry in undated.items() if key not in selected]
    return walk


@dataclass
class _Read:
    response: RawResponse | None = None
    parsed: ParsedSitemap | None = None
    failure: FetchFailure | None = None


async def _read_one(get: Get, item: _Visit, limits: WalkLimits) -> _Read:
    try:
        response = await get(item.url, SITEMAP_ROLE)
    except FetchError as exc:
        return _Read(failure=FetchFailure(url=item.url, reason=exc.reason, detail=exc.detail, status=exc.status))
    if response.status == 304:
        return _Read(response=response)
    url = response.final_url or item.url
    if len(response.body) > _PARSE_IN_THREAD_BYTES:
        parsed = await asyncio.to_thread(parse_sitemap, response.body, url, limits.file)
    else:
        parsed = parse_sitemap(response.body, url, limits.file)
    return _Read(response=response, parsed=parsed)


def _record(outcome: _Read, item: _Visit, walk: SitemapWalk, keep_responses: bool) -> ParsedSitemap | None:
    """Add one read to the walk's record; the parsed sitemap when there is one to follow."""
    if outcome.failure is not None:
        walk.failures.append(outcome.failure)
        return None
    assert outcome.response is not None
    if outcome.response.status == 304:
        walk.unchanged += 1
        return None
    parsed = outcome.parsed
    assert parsed is not None
    if keep_responses:
        # an index is kept as such: its 304 would say nothing of its children, which may change while it does not
        # (an index without <lastmod>s), so it is never asked conditionally (SitemapKind.discovery_roles)
        index = parsed.format is SitemapFormat.INDEX
        walk.responses.append(outcome.response.model_copy(update={"role": INDEX_ROLE}) if index else outcome.response)
    if parsed.failure is not None:
        walk.failures.append(parsed.failure)
    walk.sitemaps.append(SitemapSummary(
        url=item.url, format=parsed.format, depth=item.depth, urls=len(parsed.entries),
        children=len(parsed.children), news_urls=sum(1 for e in parsed.entries if e.news_published is not None),
        complete=parsed.complete,
    ))
    return parsed


def _keep_entries(parsed: ParsedSitemap, item: _Visit, window: DiscoveryWindow | None,
                  selected: dict[str, SitemapEntry], undated: dict[str, SitemapEntry]) -> None:
    for entry in parsed.entries:
        placed = True if window is None else place_entry(entry, window, item.period)
        if placed is False:
            continue
        key = entry.url if _PLAIN_URL.fullmatch(entry.url) else canonical_url(entry.url)
        target = selected if placed else undated
        known = target.get(key)
        if known is None:
            entry.url = key
            target[key] = entry
        else:
            _merge(known, entry)


def _merge(known: SitemapEntry, other: SitemapEntry) -> None:
    """The same URL in two sitemaps (a news sitemap and the full one): keep what each adds."""
    known.news_published = known.news_published or other.news_published
    known.news_title = known.news_title or other.news_title
    if other.lastmod is not None and (known.lastmod is None or other.lastmod.latest > known.lastmod.latest):
        known.lastmod = other.lastmod


def _children_to_visit(parsed: ParsedSitemap, item: _Visit, window: DiscoveryWindow | None, limits: WalkLimits,
                       seen: set[str], walk: SitemapWalk, follow: Callable[[str], bool] | None) -> list[_Visit]:
    here = canonical_url(item.url)
    lineage = (*item.ancestors, here)
    visits: list[_Visit] = []
    for child in parsed.children:
        key = canonical_url(child.url)
        if key in lineage:
            walk.warnings.append(f"sitemap loop: {item.url} lists {child.url}, which lists it")
            continue
        if key in seen:
            continue  # listed twice (robots.txt and an index, two indexes): read once
        seen.add(key)
        if not child_in_window(child, window, item.period) or (follow is not None and not follow(child.url)):
            walk.skipped += 1
            continue
        if item.depth + 1 > limits.max_depth:
            walk.failures.append(FetchFailure(url=child.url, reason="sitemap_too_deep",
                                              detail=f"sitemap indexes nested deeper than {limits.max_depth}"))
            continue
        visits.append(_Visit(child.url, item.depth + 1, lineage, period_of_sitemap(child.url) or item.period))
    return visits
