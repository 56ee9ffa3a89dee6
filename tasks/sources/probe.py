"""What `wirehouse sources add URL` proposes: a sources.yaml entry for a site, with the reason for each choice.

The probe reads what any news site offers and decides from that alone (no site is known by name): robots.txt,
the WordPress REST API (open, closed, absent), the feed (declared by <link rel="alternate"> or at the usual
paths), the sitemaps, and one sample article read by the generic extractor (is it enough, or are declared
selectors needed; which comment system the page uses). All requests go through the injected `get`.

Choices, in order: an open REST API makes a `wordpress` source (ids, GMT dates, comment threads); else sitemaps
that list the articles make a `sitemap` source (backfills by date through them; the feed is kept for nightly
bylines); else a feed makes a `feed` source; else the URL is not a news site Wirehouse can read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
from protego import Protego
from selectolax.lexbor import LexborHTMLParser

from schemas import Source
from schemas.errors import FetchError
from tasks.comments.detect import page_signals
from tasks.comments.registry import choose_system
from tasks.fetch.fetcher import is_private_host
from tasks.normalize.urls import canonical_url
from tasks.parse.encoding import decode_html
from tasks.parse.generic import extract_article
from tasks.sources.base import Get
from tasks.sources.sitemap.locate import preferred_sitemaps
from tasks.sources.sitemap.survey import SitemapFinding, survey_sitemaps

USUAL_FEEDS = ("feed/", "rss.xml", "index.xml", "atom.xml", "feed.xml", "rss/")
ENOUGH_WORDS = 80  # shorter is an excerpt (WordPress cuts them at 55 words) or the wrong block, not a story
SAMPLES = 3
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
_USER_AGENT = "Wirehouse"
_COMMENT_SYSTEMS = {
    "wordpress_rest": "comments from the WordPress REST API (threads with parent links)",
    "wordpress": "comments from WordPress comment markup on the page and its comment pages",
    "comment_feed": "comments from each post's own comment feed",
    "disqus": "the page embeds Disqus: add a disqus: forum and API key to read its threads",
    "generic": "no comment system detected: the generic extractor looks for comments on each page",
    "none": "no comments on the sample page",
}


class ProbeFailed(Exception):
    """The URL cannot become a source; the message is one line for the user."""


@dataclass
class RestFinding:
    root: str
    state: str  # "open", "closed" (401/403), "absent"
    detail: str = ""


@dataclass
class FeedFinding:
    url: str
    items: int
    oldest: datetime | None
    newest: datetime | None
    items_with_authors: int
    declared: bool  # named by the page's <link rel="alternate">, not guessed
    links: list[str] = field(default_factory=list)  # its items' links, newest first


@dataclass
class SampleFinding:
    url: str
    title: str
    authors: list[str]
    published: datetime | None
    words: int
    comment_system: str
    missing: list[str]  # what the generic extractor did not find: "title", "authors", "date", "body"


@dataclass
class Findings:
    home: str
    robots_sitemaps: list[str] = field(default_factory=list)
    crawl_delay: float | None = None
    rest: RestFinding | None = None
    feed: FeedFinding | None = None
    sitemaps: list[SitemapFinding] = field(default_factory=list)
    samples: list[SampleFinding] = field(default_factory=list)


@dataclass
class Proposal:
    """The proposed sources.yaml entry, why each of its keys has its value, and what the probe saw."""

    entry: dict[str, Any]
    reasons: dict[str, str]  # entry key (or a thing left out, e.g. "rest_api", "selectors") -> one line
    findings: Findings


async def probe_site(get: Get, url: str, name: str | None = None) -> Proposal:
    """Probe one site; raises ProbeFailed with a one-line message for an unreachable or non-news URL."""
    base = _base(url)
    findings = Findings(home=base)
    try:
        home = await get(base, "article")
    except FetchError as exc:
        # the fetcher names an absent host's failure `unreachable`: the detail (the socket's error) says why
        why = exc.detail if exc.reason == "unreachable" and exc.detail else exc.reason + (
            f" ({exc.detail})" if exc.detail else "")
        raise ProbeFailed(f"{base} is unreachable: {why}") from None
    html = decode_html(home.body, home.headers.get("content-type"))
    if "<" not in html[:2048]:
        raise ProbeFailed(f"{base} is not a web page (Content-Type {home.headers.get('content-type', 'unknown')})")
    base = _base(home.final_url or base)  # follow a redirect to the site's own address
    findings.home = base
    tree = LexborHTMLParser(html)
    await _read_robots(get, base, findings)
    findings.rest = await _probe_rest(get, base, tree, home.headers)
    findings.feed = await _probe_feed(get, base, tree)
    findings.sitemaps = await survey_sitemaps(get, base)
    findings.samples = await _probe_samples(get, findings, findings.rest.state == "open")
    if findings.rest.state != "open":
        _check_news(findings)
    return _propose(findings, name)


def probe_source(url: str) -> Source:
    """What the probe fetches as: the URL's host and its sibling subdomains (a redirect from example.com to
    www.example.com is followed), a private or loopback address only when the URL itself names one."""
    base = _base(url)
    host = urlsplit(base).hostname or ""
    return Source.model_validate({"name": "probe", "kind": "sitemap", "base_url": base,
                                  "allowed_domains": [host.removeprefix("www.")],
                                  "politeness": {"allow_private_addresses": is_private_host(host), "max_retries": 1}})


def _base(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ProbeFailed(f"{url!r} is not an http(s) URL")
    path = parts.path if parts.path.endswith("/") else parts.path.rsplit("/", 1)[0] + "/"
    return f"{parts.scheme}://{parts.netloc}{path or '/'}"


async def _read_robots(get: Get, base: str, findings: Findings) -> None:
    try:
        response = await get(urljoin(base, "/robots.txt"), "robots")
    except FetchError:
        return
    if response.status != 200:
        return
    rules = Protego.parse(response.body.decode("utf-8", errors="replace"))
    findings.robots_sitemaps = list(rules.sitemaps)
    delay = rules.crawl_delay(_USER_AGENT)
    findings.crawl_delay = float(delay) if delay is not None else None


async def _probe_rest(get: Get, base: str, tree: LexborHTMLParser, headers: dict[str, str]) -> RestFinding:
    declared = tree.css_first('link[rel="https://api.w.org/"]')
    link_header = re.search(r'<([^>]+)>;\s*rel="https://api\.w\.org/"', headers.get("link", ""))
    root = (declared.attributes.get("href") if declared is not None else None) or (
        link_header[1] if link_header else None) or urljoin(base, "wp-json/")
    root = root if root.endswith("/") else root + "/"
    listing = urljoin(root, "wp/v2/posts?per_page=1&_fields=id,link,date_gmt")
    try:
        response = await get(listing, "listing")
    except FetchError as exc:
        if exc.status in (401, 403):
            return RestFinding(root, "closed", f"HTTP {exc.status}")
        return RestFinding(root, "absent", exc.reason)
    try:
        posts = json.loads(response.body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return RestFinding(root, "absent", "not JSON")
    if isinstance(posts, list) and all(isinstance(p, dict) and "id" in p for p in posts):
        return RestFinding(root, "open")
    return RestFinding(root, "absent", "not a WordPress post listing")


async def _probe_feed(get: Get, base: str, tree: LexborHTMLParser) -> FeedFinding | None:
    declared = []
    for link in tree.css('link[rel~="alternate"][href]'):
        kind = (link.attributes.get("type") or "").lower()
        title = (link.attributes.get("title") or "").lower()
        href = urljoin(base, link.attributes.get("href") or "")
        # a site's comment feed and per-post feeds are alternates too; the article feed is the one we want
        if kind in _FEED_TYPES and "comment" not in title and "/comments/" not in href:
            declared.append(href)
    tried: set[str] = set()
    for url, is_declared in [*((u, True) for u in declared), *((urljoin(base, p), False) for p in USUAL_FEEDS)]:
        if url in tried:
            continue
        tried.add(url)
        try:
            response = await get(url, "feed")
        except FetchError:
            continue
        parsed = feedparser.parse(response.body)
        if not parsed.entries or not parsed.get("version"):
            continue
        dated = [(datetime(*t[:6]), e.get("link") or "") for e in parsed.entries
                 if (t := e.get("published_parsed") or e.get("updated_parsed"))]
        links = [link for _, link in sorted(dated, reverse=True) if link] or [
            e.get("link") for e in parsed.entries if e.get("link")]
        return FeedFinding(url=response.final_url or url, items=len(parsed.entries),
                           oldest=min((d for d, _ in dated), default=None),
                           newest=max((d for d, _ in dated), default=None), declared=is_declared,
                           items_with_authors=sum(1 for e in parsed.entries if e.get("author")), links=links)
    return None


async def _probe_samples(get: Get, findings: Findings, rest_open: bool) -> list[SampleFinding]:
    """Up to SAMPLES recent articles read by the generic extractor (one page can mislead; three rarely do)."""
    samples: list[SampleFinding] = []
    for url in _sample_candidates(findings)[: SAMPLES * 2]:
        if len(samples) == SAMPLES:
            break
        try:
            response = await get(url, "article")
        except FetchError:
            continue
        page_url = response.final_url or url
        html = decode_html(response.body, response.headers.get("content-type"))
        article = extract_article(html, page_url)
        words = len(article.body_text.split())
        missing = [name for name, ok in (("title", article.title), ("authors", article.bylines),
                                         ("date", article.published_at), ("body", words >= ENOUGH_WORDS)) if not ok]
        system = choose_system(page_signals(html, page_url), rest_comments=rest_open)
        samples.append(SampleFinding(page_url, article.title, article.bylines, article.published_at, words,
                                     str(system), missing))
    return samples


def _sample_candidates(findings: Findings) -> list[str]:
    """Newest articles first: the feed's items, then the news sitemap's, then any sitemap's dated entries."""
    urls: list[str] = list(findings.feed.links[:3]) if findings.feed is not None else []
    for finding in sorted(findings.sitemaps, key=lambda f: not f.is_news):
        urls.extend(finding.sample_urls)
    return list(dict.fromkeys(canonical_url(u) for u in urls))


def _propose(findings: Findings, name: str | None) -> Proposal:
    base = findings.home
    entry: dict[str, Any] = {"name": name or default_name(base)}
    reasons: dict[str, str] = {"name": "as given" if name else "from the site's address"}
    rest, feed = findings.rest, findings.feed
    useful = [s for s in findings.sitemaps if s.urls or s.children]
    if rest is not None and rest.state == "open":
        entry["kind"] = "wordpress"
        reasons["kind"] = "the WordPress REST API is open: posts by date window with ids, GMT dates and comments"
    elif useful:
        entry["kind"] = "sitemap"
        closed = " (its REST API answers 401)" if rest is not None and rest.state == "closed" else ""
        reasons["kind"] = f"sitemaps list the articles{closed}: backfills read them by date, nightly runs by lastmod"
    elif feed is not None:
        entry["kind"] = "feed"
        reasons["kind"] = "a feed and no sitemap: nightly runs read the feed, backfills the date archives if any"
    else:
        raise ProbeFailed(f"{base}: no WordPress REST API, feed or sitemap found: not a news site Wirehouse can read")
    entry["base_url"] = base
    if rest is not None and entry["kind"] == "wordpress" and canonical_url(rest.root) != canonical_url(
            urljoin(base, "wp-json/")):
        entry["rest_url"] = rest.root
        reasons["rest_url"] = "the REST API lives at a root of its own (declared by the site's pages)"
    elif rest is not None and rest.state != "open":
        reasons["rest_api"] = f"WordPress REST API {rest.state}" + (f" ({rest.detail})" if rest.detail else "")
    if feed is not None:
        entry["feed_url"] = feed.url
        reasons["feed_url"] = _feed_reason(feed)
    if entry["kind"] == "sitemap":
        chosen, left_out = _choose_sitemaps(useful)
        entry["sitemaps"] = [s.url for s in chosen]
        reasons["sitemaps"] = "; ".join(_sitemap_reason(s) for s in chosen)
        if left_out:
            reasons["sitemaps_left_out"] = "; ".join(f"{s.url}: {why}" for s, why in left_out)
        if feed is not None and _feed_is_short(feed, chosen):
            reasons["feed_url"] += "; it holds only recent items, so backfills use the sitemaps"
        if any(s.split_by_period for s in chosen):
            reasons["backfill"] = ("wirehouse backfill --chunk month reads each period's sitemap once a month; "
                                   "by day, once a day")
    _politeness(findings, entry, reasons)
    _sample_reasons(findings.samples, entry["kind"], reasons)
    return Proposal(entry, reasons, findings)


def _check_news(findings: Findings) -> None:
    """A site with neither a feed nor a news sitemap whose sampled pages hold no dated story is not news."""
    if findings.feed is not None or any(s.is_news for s in findings.sitemaps) or not findings.samples:
        return
    if not any(s.published and s.words >= ENOUGH_WORDS for s in findings.samples):
        raise ProbeFailed(f"{findings.home}: none of the {len(findings.samples)} pages its sitemaps list reads as a "
                          f"dated story of {ENOUGH_WORDS}+ words, and it has no feed: not a news site")


def _politeness(findings: Findings, entry: dict[str, Any], reasons: dict[str, str]) -> None:
    politeness: dict[str, Any] = {}
    why = []
    if findings.crawl_delay:
        politeness.update(requests_per_second=round(1 / findings.crawl_delay, 3), max_concurrency=1)
        why.append(f"robots.txt asks for Crawl-delay: {findings.crawl_delay:g}")
    if is_private_host(urlsplit(findings.home).hostname or ""):
        # the user named a host on a private network or this machine; runs refuse such addresses unless told
        politeness["allow_private_addresses"] = True
        why.append("the site is on a private or loopback address, which runs refuse unless allowed")
    if politeness:
        entry["politeness"] = politeness
        reasons["politeness"] = "; ".join(why)


def _choose_sitemaps(useful: list[SitemapFinding]) -> tuple[list[SitemapFinding], list[tuple[SitemapFinding, str]]]:
    """News sitemaps and indexes split by period are what a nightly run and a backfill want; a catch-all
    sitemap is kept only when nothing better lists the articles."""
    better = preferred_sitemaps(useful, is_news=lambda s: s.is_news, split_by_period=lambda s: s.split_by_period)
    left_out = [(s, "the period-split index lists the same articles, without tag and author pages")
                for s in useful if s not in better]
    return better, left_out


def _sitemap_reason(finding: SitemapFinding) -> str:
    where = "robots.txt" if finding.from_robots else "the usual location"
    if finding.is_news:
        return f"{finding.url} is a Google News sitemap ({finding.news_urls} recent articles, exact times; {where})"
    if finding.split_by_period:
        return (f"{finding.url} splits {finding.children} sitemaps by period back to {_day(finding.oldest)}: "
                f"a backfill opens only the periods it needs ({where})")
    return f"{finding.url} lists {finding.urls or finding.children} entries back to {_day(finding.oldest)} ({where})"


def _feed_reason(feed: FeedFinding) -> str:
    how = "declared by the home page" if feed.declared else "found at a usual path"
    return f"{feed.items} items from {_day(feed.oldest)} to {_day(feed.newest)}, {how}"


def _feed_is_short(feed: FeedFinding, sitemaps: list[SitemapFinding]) -> bool:
    oldest = [s.oldest for s in sitemaps if s.oldest is not None]
    return feed.oldest is not None and bool(oldest) and min(o.replace(tzinfo=None) for o in oldest) < feed.oldest


def _sample_reasons(samples: list[SampleFinding], kind: str, reasons: dict[str, str]) -> None:
    if not samples:
        reasons["selectors"] = "no sample article could be read: check the site by hand"
        return
    # what the generic extractor misses on most samples, not on one odd page
    missing = [name for name in ("title", "authors", "date", "body")
               if sum(name in s.missing for s in samples) * 2 > len(samples)]
    read = ", ".join(f"{s.url} ({s.words} words)" for s in samples)
    if kind == "wordpress":
        found = "nothing it lacks" if not missing else f"no {', '.join(missing)}"
        reasons["selectors"] = (f"optional: the REST API carries title, date, body and authors; on the pages the "
                                f"generic extractor found {found} ({read})")
    elif missing:
        reasons["selectors"] = f"declared selectors needed: the generic extractor found no {', '.join(missing)} " \
                               f"({read})"
    else:
        reasons["selectors"] = f"none needed: the generic extractor read {read}"
    systems = list(dict.fromkeys(s.comment_system for s in samples))
    reasons["comments"] = "; ".join(_COMMENT_SYSTEMS.get(system, system) for system in systems)


def default_name(base: str) -> str:
    """news.example.co.uk/blog/ -> news-example-blog; a port of its own is part of a site's name
    (127.0.0.1:8080 -> 127-0-0-1-8080), so two sites of one host do not collide."""
    parts = urlsplit(base)
    labels = [label for label in (parts.hostname or "").split(".") if label not in ("www", "")]
    if len(labels) > 1 and not labels[-1].isdigit():
        labels = labels[:-1]
        if len(labels) > 1 and labels[-1] in ("co", "com", "org", "net", "ac", "gov"):
            labels = labels[:-1]
    port = [str(parts.port)] if parts.port and parts.port != {"http": 80, "https": 443}.get(parts.scheme) else []
    words = labels + port + [p for p in parts.path.split("/") if p]
    return re.sub(r"[^a-z0-9]+", "-", "-".join(words).lower()).strip("-") or "site"


def _day(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d}" if moment else "an unknown date"
