"""The generic article extractor: title, authors, dates, body and comments from any news page or blog.

Structured data first (JSON-LD, OpenGraph, <meta>, microdata), then the DOM: bylines and dates from
their conventional places, the body by content scoring, comments by the markup comment systems share.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tasks.parse.generic.authors import choose_authors
from tasks.parse.generic.body import extract_body
from tasks.parse.generic.bylines import names_from_strings
from tasks.parse.generic.chrome import INVISIBLE_TAGS, NEVER_TEXT_TAGS
from tasks.parse.generic.comments import read_comments
from tasks.parse.generic.dates import to_utc
from tasks.parse.generic.extracted import ExtractedComment, ExtractedPage, to_parsed_comments
from tasks.parse.generic.headline import HeadlineText
from tasks.parse.generic.marked import MarkedElements, find_marked
from tasks.parse.generic.metadata import METADATA_TAGS, PageMetadata, read_metadata
from tasks.parse.generic.published import modified_time, published_time
from tasks.parse.generic.text import decompose_all, drop_invisible, find_tags, in_document, text_len
from tasks.parse.generic.threads import Thread, find_thread, looks_like_thread, read_thread
from tasks.parse.generic.titles import choose_headline

if TYPE_CHECKING:
    from schemas.pipeline import ParsedArticle

__all__ = ["ExtractedComment", "ExtractedPage", "Extraction", "extract_article", "extract_page", "read_page"]

log = logging.getLogger(__name__)


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
    from schemas.pipeline import ParsedArticle

    page = read_page(html, url)
    article = ParsedArticle(
        url=page.url,
        title=page.title,
        bylines=page.authors,
        published_at=to_utc(page.published),
        modified_at=to_utc(page.modified),
        body_html=page.body_html,
        body_text=page.body_text,
        categories=page.categories,
        tags=page.tags,
        comments=to_parsed_comments(page.comments),
        language=page.language,
        parser="generic",
    )
    return Extraction(article, page.published)


def read_page(html: str, url: str | None = None) -> ExtractedPage:
    """The page as plain data (no pydantic: what `wirehouse extract` prints); never raises."""
    try:
        return _extract(html or "", url)
    except Exception:  # a malformed page must not stop a batch of thousands
        log.exception("generic extraction failed for %s", url)
        return ExtractedPage(url=url or "")


def _extract(html: str, url: str | None) -> ExtractedPage:
    tree = LexborHTMLParser(html)
    # One walk finds the elements that declare metadata, what no reader sees, and what is never
    # article text (the latter stays until the body is looked for: bylines, dates and comment times
    # live in <footer>s).
    invisible, never_text, declaring = (
        find_tags(tree.root, INVISIBLE_TAGS, NEVER_TEXT_TAGS, METADATA_TAGS) if tree.root else ([], [], [])
    )
    # What no reader sees goes first: text searches for bylines and dates must not land in a
    # script's JSON. (Its <script>s are read for JSON-LD all the same: detached, not destroyed.)
    decompose_all(_without_page_noscripts(invisible, tree.body))
    marked = find_marked(tree)
    meta = read_metadata(tree, invisible + declaring, marked.microdata)
    types = _page_types(tree, meta)
    thread = find_thread(tree.body, types) if _may_be_thread(tree, meta, url, types) else None
    if thread is not None:
        return _read_thread_page(tree, meta, marked, thread, url, html)
    # Comments first: they are read whole, then cut out so no later step mistakes them for the body.
    # (No pre-check of the HTML for "comment": a substring search of a whole page costs as much as
    # the CSS pass that finds comment items.)
    section = read_comments(tree, marked.comment_candidates)
    decompose_all(section.nodes)
    first_headings = marked.first_headings
    if section.nodes:
        first_headings = [node for node in first_headings if in_document(node)]  # none from a comment
    title, heading = choose_headline(tree, meta, first_headings)
    title = drop_invisible(title)
    headline = HeadlineText(tree, title, heading)
    # WordPress marks the post author's own replies: the one byline some blogs give.
    authors = choose_authors(tree, meta, headline, section.post_author)
    published, published_source = published_time(tree, meta, url, headline, html)
    body_html, body_text = extract_body(tree, title, headline, never_text)
    return ExtractedPage(
        url=url or meta.canonical_url or "",
        title=title,
        authors=authors,
        published=published,
        published_source=published_source,
        modified=modified_time(meta),
        body_html=body_html,
        body_text=body_text,
        categories=meta.categories,
        tags=meta.tags,
        comments=section.comments,
        language=meta.language,
    )


def _page_types(tree: LexborHTMLParser, meta: PageMetadata) -> set[str]:
    """The schema.org types the page declares: JSON-LD, and microdata (see metadata.py)."""
    types = set(meta.types)
    for node in (tree.root, tree.body):
        itemtype = node.attributes.get("itemtype") if node is not None else None
        if itemtype:
            types.update(t.rsplit("/", 1)[-1].lower() for t in itemtype.split())
    return types


def _may_be_thread(tree: LexborHTMLParser, meta: PageMetadata, url: str | None, types: set[str]) -> bool:
    marks = " ".join(
        f"{node.attributes.get('id') or ''} {node.attributes.get('class') or ''}"
        for node in (tree.root, tree.body)
        if node is not None
    )
    return looks_like_thread(f"{url or ''} {meta.canonical_url} {meta.page_url}", meta.generator, marks, types)


def _read_thread_page(
    tree: LexborHTMLParser, meta: PageMetadata, marked: MarkedElements, thread: Thread, url: str | None, html: str
) -> ExtractedPage:
    """A forum or Q&A thread: the opening post is the body, the replies are its comments."""
    title, heading = choose_headline(tree, meta, marked.first_headings)
    title = drop_invisible(title)
    headline = HeadlineText(tree, title, heading)
    published, published_source = published_time(tree, meta, url, headline, html)
    body_html, body_text, poster, posted_at, comments = read_thread(thread)
    if published is None and posted_at is not None:
        published, published_source = posted_at, "markup"
    authors = names_from_strings(meta.authors) or ([poster] if poster else [])
    return ExtractedPage(
        url=url or meta.canonical_url or "",
        title=title,
        authors=authors,
        published=published,
        published_source=published_source,
        modified=modified_time(meta),
        body_html=body_html,
        body_text=body_text,
        categories=meta.categories,
        tags=meta.tags,
        comments=comments,
        language=meta.language,
    )


_NOSCRIPT_PAGE_LENGTH = 200  # text characters, at least: more than a "please enable JavaScript" line
_NOSCRIPT_PAGE_SHARE = 0.3  # of the body's text, at least


def _without_page_noscripts(invisible: list[LexborNode], body: LexborNode | None) -> list[LexborNode]:
    """What no reader sees, less a <noscript> that holds the page itself: forum engines (Discourse,
    Flarum) serve their posts there to readers without JavaScript, and a tracking pixel or an "enable
    JavaScript" line is short."""
    kept: set[int] = set()
    total = 0
    for node in invisible:
        if node.tag != "noscript" or body is None:
            continue
        text = node.text()
        length = text_len(text) if len(text) > _NOSCRIPT_PAGE_LENGTH else 0
        if length < _NOSCRIPT_PAGE_LENGTH:
            continue
        # (The body's text counts its scripts' too: JSON state of app pages can be most of it.)
        total = total or text_len(body.text()) - sum(text_len(n.text()) for n in invisible if n.tag != "noscript")
        if length >= _NOSCRIPT_PAGE_SHARE * total:
            kept.add(node.mem_id)
    return [node for node in invisible if node.mem_id not in kept] if kept else invisible
