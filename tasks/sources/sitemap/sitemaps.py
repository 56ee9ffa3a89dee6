"""Reading one sitemap file: a urlset, a sitemap index, a text sitemap, or a feed given as a sitemap.

The body is read as it streams out of its (optional) gzip layer, found by its magic bytes, never by the name:
a `.xml.gz` that the server already decompressed and a gzip body served as `sitemap.xml` both occur. The
protocol's limits (50,000 URLs, 50 MB uncompressed) are enforced while reading, so a decompression bomb stops
at the cap. XML is read by expat with every entity declaration and external entity refused (defusedxml's
rules; benchmarks/sitemaps.py measures the cost of a billion-laughs body). Nothing here raises on bad input: a
file that cannot be read whole comes back with what was read before the problem and a `failure`.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from urllib.parse import urljoin
from xml.parsers import expat

import feedparser

from schemas import FetchFailure
from tasks.sources.sitemap.dates import DateSpan, parse_w3c_datetime

GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 16
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body")
_FEED_ROOTS = {"rss", "feed", "rdf"}


@dataclass(frozen=True, slots=True)
class SitemapLimits:
    """The sitemaps.org limits for one file; a file over them is read up to the limit and recorded as a failure."""

    max_urls: int = 50_000
    max_bytes: int = 52_428_800  # 50 MB, uncompressed


class SitemapFormat(StrEnum):
    URLSET = "urlset"
    INDEX = "index"
    TEXT = "text"  # one URL a line
    FEED = "feed"  # RSS or Atom given where a sitemap was expected (the protocol allows it)
    UNKNOWN = "unknown"  # nothing readable: see the failure


@dataclass(slots=True)
class SitemapEntry:
    """One page a sitemap lists: its <loc>, <lastmod>, and the Google News extension's date and title."""

    url: str
    lastmod: DateSpan | None = None
    news_published: DateSpan | None = None
    news_title: str | None = None


@dataclass(slots=True)
class ChildSitemap:
    """One <sitemap> of a sitemap index."""

    url: str
    lastmod: DateSpan | None = None


@dataclass
class ParsedSitemap:
    url: str
    format: SitemapFormat
    entries: list[SitemapEntry] = field(default_factory=list)
    children: list[ChildSitemap] = field(default_factory=list)
    failure: FetchFailure | None = None  # set when the file was not read whole (what was read is kept)

    @property
    def complete(self) -> bool:
        return self.failure is None


class _Stop(Exception):
    """Reading stops here; the failure says why (entries read so far are kept)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class _FeedRoot(Exception):
    """The root element is RSS or Atom: the body is read as a feed instead."""


def parse_sitemap(body: bytes, url: str, limits: SitemapLimits | None = None) -> ParsedSitemap:
    """Read one fetched sitemap body (gzipped or not); never raises."""
    limits = limits or SitemapLimits()
    result = ParsedSitemap(url=url, format=SitemapFormat.UNKNOWN)
    chunks = _decoded_chunks(body, limits.max_bytes)
    try:
        first = next(chunks, b"")
        head = first.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if not head:
            raise _Stop("not_a_sitemap", "empty body")
        if head.startswith(_HTML_STARTS):
            raise _Stop("not_a_sitemap", "an HTML page, not a sitemap")
        if not head.startswith(b"<"):
            _read_text(first, chunks, result, limits)
        else:
            _read_xml(first, chunks, result, limits)
    except _FeedRoot:
        _read_feed(body, result, limits)
    except _Stop as stop:
        result.failure = FetchFailure(url=url, reason=stop.reason, detail=stop.detail)
    return result


def _decoded_chunks(body: bytes, max_bytes: int) -> Iterator[bytes]:
    """The body in pieces, through its gzip layers if any, stopping (with _Stop) past `max_bytes`."""
    if not body.startswith(GZIP_MAGIC):
        if len(body) > max_bytes:
            yield body[:max_bytes]
            raise _Stop("sitemap_too_large", f"over {max_bytes} bytes")
        for start in range(0, len(body), _CHUNK):
            yield body[start : start + _CHUNK]
        return
    produced = 0
    data = body
    while data.startswith(GZIP_MAGIC):  # one member after another (gzip allows several)
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        pending = data
        while pending and not inflater.eof:
            try:
                piece = inflater.decompress(pending, _CHUNK)  # bounded output per step: a bomb never inflates whole
            except zlib.error as exc:
                raise _Stop("sitemap_malformed", f"bad gzip data: {exc}") from None
            pending = inflater.unconsumed_tail
            produced += len(piece)
            if produced > max_bytes:
                yield piece[: len(piece) - (produced - max_bytes)]
                raise _Stop("sitemap_too_large", f"over {max_bytes} bytes uncompressed")
            if piece:
                yield piece
        if not inflater.eof:
            raise _Stop("sitemap_malformed", "truncated gzip data")
        data = inflater.unused_data.lstrip(b"\0")


def _read_text(first: bytes, chunks: Iterator[bytes], result: ParsedSitemap, limits: SitemapLimits) -> None:
    rest = b"".join(chunks)  # a text sitemap is small lines; the byte cap already bounds it
    for raw in (first + rest).decode("utf-8-sig", errors="replace").splitlines():
        line = raw.strip()
        if not line.startswith(("http://", "https://")):
            continue
        if len(result.entries) >= limits.max_urls:
            raise _Stop("sitemap_over_limit", f"more than {limits.max_urls} URLs")
        result.format = SitemapFormat.TEXT
        result.entries.append(SitemapEntry(url=line))
    if not result.entries:
        raise _Stop("not_a_sitemap", "neither XML nor a list of URLs")


def _read_xml(first: bytes, chunks: Iterator[bytes], result: ParsedSitemap, limits: SitemapLimits) -> None:
    reader = _XmlReader(result, limits)
    parser = reader.parser
    try:
        parser.Parse(first, False)
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise _Stop("sitemap_malformed", f"XML error: {expat.errors.messages[exc.code]} at line {exc.lineno}") from None
    if result.format is SitemapFormat.UNKNOWN:
        raise _Stop("not_a_sitemap", "no <urlset> or <sitemapindex> root")


class _XmlReader:
    """Expat handlers that fill a ParsedSitemap. Elements are known by their local name and place
    (<url>/<loc>, <url>/<news:news>/<news:title>), so <image:loc> or <video:title> are never taken for the page's.
    Prefixes are not resolved: sitemaps that use `news:` without declaring it are common and still readable."""

    def __init__(self, result: ParsedSitemap, limits: SitemapLimits) -> None:
        self.result = result
        self.limits = limits
        self.stack: list[str] = []
        self.text: list[str] | None = None  # collecting character data of the current field, if wanted
        self.fields: dict[str, str] = {}
        self.count = 0
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.characters
        parser.EntityDeclHandler = self.refuse_entity
        parser.ExternalEntityRefHandler = self.refuse_external
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser = parser

    def start(self, name: str, _attributes: dict[str, str]) -> None:
        local = name.rpartition(":")[2].lower()
        stack = self.stack
        stack.append(local)
        depth = len(stack)
        if depth == 1:
            if local in _FEED_ROOTS:
                raise _FeedRoot
            if local == "urlset":
                self.result.format = SitemapFormat.URLSET
            elif local == "sitemapindex":
                self.result.format = SitemapFormat.INDEX
            else:
                raise _Stop("not_a_sitemap", f"root element <{name}>")
        elif depth == 2 and local in ("url", "sitemap"):
            if self.count >= self.limits.max_urls:
                raise _Stop("sitemap_over_limit", f"more than {self.limits.max_urls} entries")
            self.fields = {}
        elif (depth == 3 and local in ("loc", "lastmod") and stack[1] in ("url", "sitemap")) or (
            depth == 4 and local in ("publication_date", "title") and stack[2] == "news"
        ):
            self.text = []

    def end(self, _name: str) -> None:
        local = self.stack.pop()
        if self.text is not None:
            key = ("news_" + local) if len(self.stack) == 3 else local
            self.fields[key] = "".join(self.text).strip()
            self.text = None
        elif len(self.stack) == 1 and local in ("url", "sitemap"):
            self._finish_item(local)

    def characters(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def _finish_item(self, local: str) -> None:
        fields = self.fields
        loc = fields.get("loc", "")
        if not loc:
            return
        if not loc.startswith(("http://", "https://")):
            loc = urljoin(self.result.url, loc)  # the protocol wants absolute URLs; some sites write paths
            if not loc.startswith(("http://", "https://")):
                return
        self.count += 1
        lastmod = parse_w3c_datetime(fields.get("lastmod"))
        if local == "sitemap":
            self.result.children.append(ChildSitemap(loc, lastmod))
        else:
            self.result.entries.append(
                SitemapEntry(loc, lastmod, parse_w3c_datetime(fields.get("news_publication_date")),
                             fields.get("news_title") or None)
            )

    @staticmethod
    def refuse_entity(*_args: object) -> None:
        raise _Stop("sitemap_unsafe_xml", "entity declarations are not read (entity expansion attacks)")

    @staticmethod
    def refuse_external(*_args: object) -> int:
        raise _Stop("sitemap_unsafe_xml", "external entities are not read")


def _read_feed(body: bytes, result: ParsedSitemap, limits: SitemapLimits) -> None:
    result.format = SitemapFormat.FEED
    try:
        whole = b"".join(_decoded_chunks(body, limits.max_bytes))
    except _Stop as stop:
        result.failure = FetchFailure(url=result.url, reason=stop.reason, detail=stop.detail)
        return
    parsed = feedparser.parse(whole)
    for item in parsed.entries[: limits.max_urls]:
        link = item.get("link")
        if not link:
            continue
        when = item.get("published_parsed") or item.get("updated_parsed")
        lastmod = DateSpan.instant(datetime(*when[:6]).replace(tzinfo=UTC)) if when else None
        result.entries.append(SitemapEntry(url=link, lastmod=lastmod))
    if len(parsed.entries) > limits.max_urls:
        result.failure = FetchFailure(url=result.url, reason="sitemap_over_limit",
                                      detail=f"more than {limits.max_urls} entries")
    elif parsed.bozo and not result.entries:
        result.failure = FetchFailure(url=result.url, reason="sitemap_malformed",
                                      detail=f"unreadable feed: {parsed.get('bozo_exception')!s:.200}")
