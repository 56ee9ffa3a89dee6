"""The generic article extractor: title, authors, dates, body and comments from any news page or blog.

Structured data first (JSON-LD, OpenGraph, <meta>, microdata), then the DOM: bylines and dates from
their conventional places, the body by content scoring, comments by the markup comment systems share.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from selectolax.lexbor import LexborHTMLParser, LexborNode

from schemas.pipeline import ParsedArticle
from tasks.parse.generic.body import extract_body
from tasks.parse.generic.bylines import bylines_from_dom, names_from_strings
from tasks.parse.generic.comments import extract_comments
from tasks.parse.generic.dates import date_from_url, parse_date, to_utc
from tasks.parse.generic.metadata import PageMetadata, read_metadata
from tasks.parse.generic.text import css_unique, decompose_all, squash
from tasks.parse.generic.titles import choose_title

__all__ = ["Extraction", "extract_article", "extract_page"]

log = logging.getLogger(__name__)

# Where pages show the publication time, best first: (tag or "", class or "", attribute that must be set).
_PUBLISHED_DOM: tuple[tuple[str, str, str], ...] = (
    ("time", "", "pubdate"), ("time", "published", "datetime"), ("time", "entry-date", "datetime"),
    ("", "entry-date", "datetime"), ("abbr", "published", "title"), ("abbr", "date", "title"),
    ("", "date", "title"), ("time", "", "datetime"),
)  # fmt: skip
_PUBLISHED_DOM_QUERY = "time, abbr[title], .date[title], .entry-date[datetime]"
_DATE_TEXT_CLASSES = (
    "published", "entry-date", "post-date", "posted-on", "date", "article-date", "publish-date", "byline",
    "meta", "entry-meta", "post-meta", "submitted", "dateline", "timestamp",
)  # fmt: skip
_DATE_TEXT_QUERY = ", ".join(f".{c}" for c in _DATE_TEXT_CLASSES)
_TITLE_DATE_WINDOW = 1500
_DATE_TEXT_DOM = (
    ".published", ".entry-date", ".post-date", ".posted-on", ".date", ".article-date", ".publish-date",
    ".byline", ".meta", ".entry-meta", ".post-meta", '[class*="date"]', "time",
)  # fmt: skip


@dataclass
class Extraction:
    """The article, plus its publication time as the page wrote it (the article holds it in UTC;
    the page's own offset keeps the calendar date a reader of the page sees)."""

    article: ParsedArticle
    published_local: datetime | None = None


def extract_article(html: str, url: str | None = None) -> ParsedArticle:
    """Read one article page; never raises (a page it cannot read gives an empty article)."""
    return extract_page(html, url).article


def extract_page(html: str, url: str | None = None) -> Extraction:
    """As extract_article, keeping the publication time in the page's own offset too."""
    try:
        return _extract(html or "", url)
    except Exception:  # a malformed page must not stop a batch of thousands
        log.exception("generic extraction failed for %s", url)
        return Extraction(ParsedArticle(url=url or "", parser="generic"))


def _month_first(meta: PageMetadata) -> bool:
    return (meta.language or "en") == "en"


def _published(tree: LexborHTMLParser, meta: PageMetadata, url: str | None, title: str) -> datetime | None:
    month_first = _month_first(meta)
    # A full date in the permalink is set when the post is created; later "republish" dates in the
    # metadata are not the publication.
    from_url = date_from_url(url) or date_from_url(meta.canonical_url)
    if from_url is not None:
        return from_url
    for raw in meta.published:
        value = parse_date(raw, month_first=month_first)
        if value is not None:
            return value
    value = _date_from_markup(tree, month_first)
    if value is not None:
        return value
    ranked: list[tuple[int, int, LexborNode]] = []
    rank_of = {name: rank for rank, name in enumerate(_DATE_TEXT_CLASSES)}
    for position, node in enumerate(css_unique(tree, _DATE_TEXT_QUERY)):
        classes = (node.attributes.get("class") or "").split()
        ranked.append((min(rank_of.get(c, len(rank_of)) for c in classes), position, node))
    for _, _, node in sorted(ranked, key=lambda item: item[:2])[:12]:
        text = squash(node.text())
        if len(text) <= 200:
            value = parse_date(text, month_first=month_first)
            if value is not None:
                return value
    return _date_after_title(tree, title, month_first)


def _date_from_markup(tree: LexborHTMLParser, month_first: bool) -> datetime | None:
    """A machine-readable time in the page (<time datetime>, microformats' abbr title)."""
    best: tuple[int, datetime] | None = None
    for node in css_unique(tree, _PUBLISHED_DOM_QUERY):
        attrs = node.attributes
        classes = (attrs.get("class") or "").split()
        for rank, (tag, cls, attr) in enumerate(_PUBLISHED_DOM):
            if best is not None and rank >= best[0]:
                break
            if (tag and node.tag != tag) or (cls and cls not in classes) or attrs.get(attr) is None:
                continue
            value = parse_date(attrs.get(attr) or squash(node.text()), month_first=month_first)
            if value is not None:
                best = (rank, value)
            break
    return best[1] if best else None


def _date_after_title(tree: LexborHTMLParser, title: str, month_first: bool) -> datetime | None:
    """The first date written just after the headline (or near the top), as bylines show it."""
    body = tree.body
    if body is None:
        return None
    text = body.text(separator=" ")
    start = text.find(title[:60]) if title else -1
    window = text[start : start + _TITLE_DATE_WINDOW] if start >= 0 else text[: 2 * _TITLE_DATE_WINDOW]
    return parse_date(window, month_first=month_first)


def _modified(meta: PageMetadata) -> datetime | None:
    for raw in meta.modified:
        value = parse_date(raw, month_first=_month_first(meta))
        if value is not None:
            return value
    return None


def _authors(tree: LexborHTMLParser, meta: PageMetadata) -> list[str]:
    for values in (meta.authors, meta.meta_authors):
        names = names_from_strings(values)
        if names:
            return names
    # Organizations (JSON-LD publisher-as-author) are not people: fewer authors beat wrong ones.
    return bylines_from_dom(tree, set())


def _extract(html: str, url: str | None) -> Extraction:
    tree = LexborHTMLParser(html)
    meta = read_metadata(tree)
    # Comments first: they are read whole, then cut out so no later step mistakes them for the body.
    comments, comment_nodes = extract_comments(tree)
    decompose_all(comment_nodes)
    title = choose_title(tree, meta)
    authors = _authors(tree, meta)
    published_at = _published(tree, meta, url, title)
    body_html, body_text = extract_body(tree, title)
    article = ParsedArticle(
        url=url or meta.canonical_url or "",
        title=title,
        bylines=authors,
        published_at=to_utc(published_at),
        modified_at=to_utc(_modified(meta)),
        body_html=body_html,
        body_text=body_text,
        categories=meta.categories,
        tags=meta.tags,
        comments=comments,
        language=meta.language,
        parser="generic",
    )
    return Extraction(article, published_at)
