"""The publication time a reader of the page would name: the permalink's date, the declared time
(metadata, then machine-readable markup), the date set by the byline, the date near the headline."""

from __future__ import annotations

import re
from datetime import datetime

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tasks.parse.generic.dates import date_from_url, parse_date
from tasks.parse.generic.headline import HeadlineText
from tasks.parse.generic.metadata import PageMetadata
from tasks.parse.generic.text import css_unique, squash

# Where pages show the publication time, best first: (tag or "", class or "", attribute that must be set).
_PUBLISHED_DOM: tuple[tuple[str, str, str], ...] = (
    ("time", "", "pubdate"), ("time", "published", "datetime"), ("time", "entry-date", "datetime"),
    ("", "entry-date", "datetime"), ("abbr", "published", "title"), ("abbr", "date", "title"),
    ("", "date", "title"), ("time", "", "datetime"),
)  # fmt: skip
_PUBLISHED_DOM_QUERY = "time, abbr[title], .date[title], .entry-date[datetime]"
# Classes of elements that show the date as text ("date-header": every Blogger blog), best first.
_DATE_TEXT_CLASSES = (
    "published", "entry-date", "post-date", "posted-on", "date", "article-date", "publish-date", "byline",
    "meta", "entry-meta", "post-meta", "submitted", "dateline", "timestamp", "date-header",
)  # fmt: skip
_DATE_TEXT_QUERY = ", ".join(f".{c}" for c in _DATE_TEXT_CLASSES)
_DATE_TEXT_RANK = {name: rank for rank, name in enumerate(_DATE_TEXT_CLASSES)}
_DATE_TEXT_TRIES = 12
_DATE_TEXT_MAX = 200
# Class names built of words, with a date word among them: "article-byline__pub-dates",
# "fusion-tb-published-date", "page-header__meta__date" (the exact names above go first).
_DATE_WORD_QUERY = '[class*="date"], [class*="publish"], [class*="posted"]'
_DATE_WORDS = frozenset(("date", "dates", "pubdate", "published", "publish", "posted", "dateline"))
_NOT_DATE_WORDS = frozenset(("update", "updated", "modified", "picker", "input", "select", "range", "filter"))
_WORD_SPLIT = re.compile(r"[-_]+")
# A line of the page's text that is a date and nothing else, but for a label: "April 8, 2024",
# "Last updated: November 13, 2025", "Published On: 15 August 2025".
_DATE_LINE_LABEL = re.compile(
    r"^(?:(?:published|posted|updated|last updated|date|created|written|veröffentlicht|aktualisiert|publié|"
    r"publicado|pubblicato)(?: on| am| le| el| il)?\s*:?\s*)?",
    re.IGNORECASE,
)
_DATE_LINE_MAX = 60
_DATE_ALONE = 40  # characters after the label: a date with its weekday and time
_DATE_ALONE_WORDS = 7
_DATE_LINES = 300  # lines after the headline looked at
_HAS_DIGIT = re.compile(r"\d").search
# The publication time in a script's JSON state (app pages that render in the browser: Next.js, Nuxt...).
_STATE_DATE = re.compile(
    r'"(?:datePublished|publishedAt|published_at|publishDate|publish_date|pubDate|firstPublishedAt|'
    r'publicationDate|publication_date|displayDate)"\s*:\s*"([^"]{8,40})"'
)


def month_first(meta: PageMetadata) -> bool:
    """Whether 03/04/2020 is March 4 on this page (US order), from the page's language."""
    return (meta.language or "en") == "en"


def modified_time(meta: PageMetadata) -> datetime | None:
    for raw in meta.modified:
        value = parse_date(raw, month_first=month_first(meta))
        if value is not None:
            return value
    return None


def published_time(
    tree: LexborHTMLParser, meta: PageMetadata, url: str | None, headline: HeadlineText, html: str = ""
) -> tuple[datetime | None, str]:
    """The publication time, in the page's own offset, and which rule found it ("url", "metadata",
    "markup", "date element", "headline"; "" when none did)."""
    order = month_first(meta)
    # A full date in the permalink is set when the post is created; later "republish" dates in the
    # metadata are not the publication.
    from_url = date_from_url(url) or date_from_url(meta.canonical_url) or date_from_url(meta.page_url)
    if from_url is not None:
        # The page's own time of that day, where it declares one, is the more precise.
        declared, _ = _declared(tree, meta, order)
        return (declared if declared is not None and declared.date() == from_url.date() else from_url), "url"
    declared, source = _declared(tree, meta, order)
    if declared is not None:
        modified = modified_time(meta)
        if source == "metadata" and modified is not None and modified.date() == declared.date():
            # Published and modified the same day by the metadata: some CMSs stamp both on every
            # save. A date element showing an earlier day is then the publication.
            shown = (
                _date_text(tree, order)
                or _date_word_text(tree, order)
                or parse_date(headline.window, month_first=order, short_year=True)
            )
            if shown is not None and shown.date() < declared.date():
                return shown, "date element"
        if modified is not None and modified.date() != declared.date():
            shown = parse_date(headline.window, month_first=order)
            if shown is not None and shown.date() == modified.date():
                # The page shows only its update by the headline ("Updated June 13, 2019",
                # "Aktualisiert: 11.04.2020"): that is the date its readers know it by.
                return modified, "metadata"
        return declared, source
    shown = _date_text(tree, order)
    by_headline = parse_date(headline.window, month_first=order, short_year=True)
    if shown is not None and not (by_headline is not None and by_headline.date() < shown.date()):
        return shown, "date element"
    if by_headline is not None:
        return by_headline, "headline"
    shown = _date_word_text(tree, order) or _date_line(headline, order)
    if shown is not None:
        return shown, "date element"
    # A page that declares when it last changed and nothing else: that is the best date it gives.
    modified = modified_time(meta)
    if modified is not None:
        return modified, "metadata"
    shown = _date_in_state(html, order)
    return (shown, "markup") if shown is not None else (None, "")


def _declared(tree: LexborHTMLParser, meta: PageMetadata, order: bool) -> tuple[datetime | None, str]:
    """The publication time the page declares: metadata first, then machine-readable markup."""
    for raw in meta.published:
        value = parse_date(raw, month_first=order)
        if value is not None:
            return value, "metadata"
    return _date_from_markup(tree, order), "markup"


def _date_from_markup(tree: LexborHTMLParser, order: bool) -> datetime | None:
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
            value = parse_date(attrs.get(attr) or squash(node.text()), month_first=order)
            if value is not None:
                best = (rank, value)
            break
    return best[1] if best else None


def _date_text(tree: LexborHTMLParser, order: bool) -> datetime | None:
    """A date written in an element whose class says it shows the date (or the byline)."""
    ranked: list[tuple[int, int, LexborNode]] = []
    for position, node in enumerate(css_unique(tree, _DATE_TEXT_QUERY)):
        classes = (node.attributes.get("class") or "").split()
        ranked.append((min(_DATE_TEXT_RANK.get(c, len(_DATE_TEXT_RANK)) for c in classes), position, node))
    for _, _, node in sorted(ranked, key=lambda item: item[:2])[:_DATE_TEXT_TRIES]:
        text = squash(node.text())
        if len(text) <= _DATE_TEXT_MAX:
            value = parse_date(text, month_first=order, short_year=True)
            if value is not None:
                return value
    return None


def _date_word_text(tree: LexborHTMLParser, order: bool) -> datetime | None:
    """A date written in an element with a date word in a class name (see _DATE_WORDS), in document order."""
    tries = 0
    for node in css_unique(tree, _DATE_WORD_QUERY):
        words = set(_WORD_SPLIT.split((node.attributes.get("class") or "").lower().replace(" ", "-")))
        if _DATE_WORDS.isdisjoint(words) or not _NOT_DATE_WORDS.isdisjoint(words):
            continue
        text = squash(node.text())
        if len(text) <= _DATE_TEXT_MAX:
            value = parse_date(text, month_first=order, short_year=True)
            if value is not None:
                return value
        tries += 1
        if tries == _DATE_TEXT_TRIES:
            break
    return None


def _date_line(headline: HeadlineText, order: bool) -> datetime | None:
    """The first line of the page's text after the headline that is a date alone (see _DATE_LINE_LABEL)."""
    title = headline.title
    lines = headline.page_text.split("\n")
    start = next((i for i, line in enumerate(lines) if title and title[:40] in line), 0)
    for line in lines[start : start + _DATE_LINES]:
        if len(line) > _DATE_LINE_MAX or not _HAS_DIGIT(line):
            continue
        label = _DATE_LINE_LABEL.match(line)
        rest = line[label.end() :] if label else line
        if len(rest) <= _DATE_ALONE and len(rest.split()) <= _DATE_ALONE_WORDS:
            found = parse_date(rest, month_first=order)
            if found is not None:
                return found
    return None


def _date_in_state(html: str, order: bool) -> datetime | None:
    """The first publication time a script's JSON gives under a conventional key (see _STATE_DATE)."""
    for match in _STATE_DATE.finditer(html):
        value = parse_date(match[1], month_first=order)
        if value is not None:
            return value
    return None
