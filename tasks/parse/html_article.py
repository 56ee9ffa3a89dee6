"""Article pages read with the selectors a source declares, generic rules for the rest.

Order matters: comments are read first and their markup removed, so that nothing of them can reach the
metadata or the body; then metadata; then the body is cleaned (exclusions, share blocks, bylines, bios,
feed trailers). Whatever the site selectors leave empty is filled from the generic extractor.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from schemas.pipeline import ParsedArticle
from schemas.source import Selectors
from tasks.normalize.bodies import is_feed_trailer
from tasks.parse.bylines import (
    author_line_names,
    bio_owner,
    block_text,
    by_line_names,
    collapse_ws,
    first_within,
    is_blank,
    sanitize,
    select_within,
    split_byline,
)
from tasks.parse.wp_comments import COMMENT_LIST_SELECTOR, parse_wordpress_comments, parse_wp_datetime

PARSER_NAME = "site_html"
SHARE_SELECTOR = ".addtoany_share_save_container, .addtoany, .sharedaddy, .jp-relatedposts"
# Comment areas: read by wp_comments, then removed so they reach neither metadata nor body.
COMMENT_AREA_SELECTOR = (
    f"{COMMENT_LIST_SELECTOR}, #comments, .comments-area, .wp-block-comments, #respond, .comment-respond, "
    ".wp-block-latest-comments, .recentcomments"
)
_TITLE_SELECTORS = ("h1.entry-title", "h1.wp-block-post-title", "h1.post-title")
_TITLE_SEPARATORS = (" | ", " – ", " — ", " - ", " :: ", " » ")
_BYLINE_SELECTORS = (
    ".byline .author a",
    ".byline a[rel=author]",
    ".entry-meta a[rel=author]",
    ".author .fn",
    ".byline .fn",
    ".byline",
    ".wp-block-post-author__name",
    "a[rel=author]",
)
_AUTHOR_SLUG = re.compile(r"/author/([^/?#]+)/?")
_MEDIA = "img, picture, video, audio, iframe, embed, object, svg, canvas, hr, br, table"
_PARAGRAPH_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "li"})
_BLOCK_CHILDREN = "p, div, h1, h2, h3, h4, h5, h6, ul, ol, blockquote, table"
# Trailing byline/bio/trailer lines sit among the last few paragraphs of a body.
_TAIL_BLOCKS = 6


def _text(node: LexborNode | None) -> str:
    return collapse_ws(node.text()) if node is not None else ""


def _first(tree: LexborNode, selector: str | None) -> LexborNode | None:
    if not selector:
        return None
    try:
        return tree.css_first(selector)
    except Exception:  # a malformed selector in sources.yaml must not sink the page
        return None


def _all(tree: LexborNode, selector: str | None) -> list[LexborNode]:
    if not selector:
        return []
    try:
        return tree.css(selector)
    except Exception:
        return []


def _within(node: LexborNode, selector: str) -> list[LexborNode]:
    try:
        return select_within(node, selector)
    except Exception:
        return []


def _meta(tree: LexborNode, key: str) -> str:
    for attr in ("property", "name", "itemprop"):
        node = _first(tree, f'meta[{attr}="{key}"]')
        if node is not None and node.attributes.get("content"):
            return collapse_ws(node.attributes.get("content") or "")
    return ""


def _metas(tree: LexborNode, key: str) -> list[str]:
    return [collapse_ws(n.attributes.get("content") or "") for n in _all(tree, f'meta[property="{key}"]')]


def _json_ld(tree: LexborNode) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object on the page, @graph members included."""
    for script in _all(tree, 'script[type="application/ld+json"]'):
        try:
            data = json.loads(script.text() or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                if isinstance(item.get("@graph"), list):
                    stack.extend(reversed(item["@graph"]))


def _json_ld_value(tree: LexborNode, key: str) -> str:
    for item in _json_ld(tree):
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _json_ld_names(value: object) -> list[str]:
    """Names in a JSON-LD author value (string, Person, or a list of them); @id URLs are no names."""
    if isinstance(value, list):
        return [name for item in value for name in _json_ld_names(item)]
    if isinstance(value, dict):
        return _json_ld_names(value.get("name"))
    if isinstance(value, str) and value.strip() and not re.match(r"^(?:https?:)?//|^/", value.strip()):
        return [value]
    return []


def _dedupe(names: list[str]) -> list[str]:
    result: list[str] = []
    for name in names:
        if name and name not in result:
            result.append(name)
    return result


# --- metadata ------------------------------------------------------------------------------------------


def _title(tree: LexborNode, selectors: Selectors) -> str:
    for selector in (selectors.title, *_TITLE_SELECTORS):
        title = _text(_first(tree, selector))
        if title:
            return title
    og_title = _meta(tree, "og:title")
    if og_title:
        return og_title
    return _strip_site_suffix(_text(_first(tree, "title")), tree)


def _strip_site_suffix(title: str, tree: LexborNode) -> str:
    """Drop a "| Site" suffix; dashes only when the site's name follows (titles contain dashes)."""
    site_names = {
        n.lower()
        for n in (_meta(tree, "og:site_name"), _text(_first(tree, ".site-title, .wp-block-site-title")))
        if n
    }
    for separator in _TITLE_SEPARATORS:
        head, found, tail = title.rpartition(separator)
        if not found or not head.strip():
            continue
        if separator == " | " or tail.strip().lower() in site_names:
            return head.strip()
    return title


def _dates(tree: LexborNode, selectors: Selectors) -> tuple[datetime | None, datetime | None]:
    published: datetime | None = None
    date_node = _first(tree, selectors.date)
    if date_node is not None:
        attrs = date_node.attributes
        published = parse_wp_datetime(attrs.get("datetime") or attrs.get("content") or date_node.text())
    published = published or parse_wp_datetime(_meta(tree, "article:published_time"))
    if published is None:
        for selector in ("article time[datetime]", "time.published[datetime]", ".wp-block-post-date time"):
            node = _first(tree, selector)
            published = parse_wp_datetime(node.attributes.get("datetime") if node is not None else None)
            if published:
                break
    published = published or parse_wp_datetime(_json_ld_value(tree, "datePublished"))
    published = published or parse_wp_datetime(_meta(tree, "datePublished"))

    modified = parse_wp_datetime(_meta(tree, "article:modified_time") or _meta(tree, "og:updated_time"))
    if modified is None:
        # a time that is both .published and .updated (Twenty Twenty-One) is the publication date, not an edit
        node = _first(tree, "time.updated:not(.published)[datetime]")
        modified = parse_wp_datetime(node.attributes.get("datetime") if node is not None else None)
    modified = modified or parse_wp_datetime(_json_ld_value(tree, "dateModified"))
    return published, modified


def _post_id(tree: LexborNode) -> int | None:
    shortlink = _first(tree, "link[rel=shortlink]")
    if shortlink is not None:
        query = dict(parse_qsl(urlsplit(shortlink.attributes.get("href") or "").query))
        if query.get("p", "").isdigit():
            return int(query["p"])
    for node in _all(tree, 'article[id^="post-"]'):
        match = re.fullmatch(r"post-(\d+)", node.attributes.get("id") or "")
        if match:
            return int(match.group(1))
    body = _first(tree, "body")
    match = re.search(r"\bpostid-(\d+)\b", body.attributes.get("class") or "") if body is not None else None
    return int(match.group(1)) if match else None


def _is_in_sidebar(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        classes = (parent.attributes.get("class") or "").split() if parent.is_element_node else []
        if parent.tag == "aside" or "widget" in classes or "wp-block-tag-cloud" in classes:
            return True
        parent = parent.parent
    return False


def _terms(tree: LexborNode) -> tuple[list[str], list[str]]:
    categories: list[str] = []
    tags: list[str] = []
    for link in _all(tree, "a[rel~=tag]"):
        if _is_in_sidebar(link):
            continue
        rel = (link.attributes.get("rel") or "").split()
        in_category_block = link.parent is not None and "taxonomy-category" in (
            link.parent.attributes.get("class") or ""
        )
        target = categories if "category" in rel or in_category_block else tags
        target.append(_text(link))
    categories = categories or _metas(tree, "article:section")
    tags = tags or _metas(tree, "article:tag")
    return _dedupe(categories), _dedupe(tags)


def _names_and_slugs(nodes: list[LexborNode], slugs: dict[str, str]) -> list[str]:
    """Byline names of nodes in order, de-duplicated; author archive links teach the user slug."""
    names: list[str] = []
    for node in nodes:
        found = split_byline(_text(node))
        names.extend(found)
        link = node if node.tag == "a" else node.css_first("a[href]")
        slug = _AUTHOR_SLUG.search(link.attributes.get("href") or "") if link is not None else None
        if slug and len(found) == 1:
            slugs.setdefault(found[0], slug.group(1))
    return _dedupe(names)


def _byline_scope(root: LexborNode, body: LexborNode | None) -> LexborNode:
    """Where theme bylines are looked for: the article holding the body, so related-post bylines stay out."""
    parent = body
    while parent is not None:
        if parent.tag == "article":
            return parent
        parent = parent.parent
    return _first(root, "article") or root


def _page_bylines(
    root: LexborNode, body: LexborNode | None, selectors: Selectors
) -> tuple[list[str], dict[str, str]]:
    """Bylines from the page outside the body text, and author -> user slug from author links."""
    slugs: dict[str, str] = {}
    names = _names_and_slugs(_all(root, selectors.byline), slugs)
    if names:
        return names, slugs
    scope = _byline_scope(root, body)
    for selector in _BYLINE_SELECTORS:
        names = _names_and_slugs([n for n in _all(scope, selector) if not _is_in_sidebar(n)], slugs)
        if names:
            return names, slugs
    author_box = _first(root, ".author-bio .author-title, .author-info .author-title")
    if author_box is not None and split_byline(_text(author_box)):
        return split_byline(_text(author_box)), slugs
    meta_author = _meta(root, "author")
    if meta_author:
        return split_byline(meta_author), slugs
    for item in _json_ld(root):
        names = _dedupe([n for text in _json_ld_names(item.get("author")) for n in split_byline(text)])
        if names:
            return names, slugs
    return [], slugs


def _author_box_bios(tree: LexborNode, names: list[str]) -> dict[str, str]:
    """Bios from a theme's author box ("Jason Ditz is news editor of Antiwar.com.")."""
    bios: dict[str, str] = {}
    for node in _all(tree, ".author-bio .author-description, .author-info .author-description"):
        text = _text(node)
        owner = bio_owner(text, names)
        if owner and owner not in bios:
            bios[owner] = text
    return bios


# --- body ----------------------------------------------------------------------------------------------


def _leaf_blocks(body: LexborNode) -> list[LexborNode]:
    """Paragraph-level blocks (p, headings, and divs without block children) in document order."""
    blocks: list[LexborNode] = []
    for node in body.traverse():
        if node.mem_id == body.mem_id:
            continue
        is_paragraph = node.tag in _PARAGRAPH_TAGS
        if is_paragraph or (node.tag == "div" and first_within(node, _BLOCK_CHILDREN) is None):
            blocks.append(node)
    # keep only outermost ones (a <p> inside a blockquote is part of it)
    ids = {b.mem_id for b in blocks}
    outer: list[LexborNode] = []
    for block in blocks:
        parent = block.parent
        while parent is not None and parent.mem_id != body.mem_id and parent.mem_id not in ids:
            parent = parent.parent
        if parent is None or parent.mem_id == body.mem_id:
            outer.append(block)
    return outer


@dataclass
class BodyCredits:
    """What the byline lines removed from a body said."""

    names: list[str] = field(default_factory=list)
    bios: dict[str, str] = field(default_factory=dict)
    slugs: dict[str, str] = field(default_factory=dict)


def _strip_byline_blocks(body: LexborNode, known_names: list[str] | None = None) -> BodyCredits:
    """Remove "Author: NAME" + bio, a leading "By NAME", feed trailers, and a closing bio of an author
    already known from the page; return what they said."""
    blocks = [b for b in _leaf_blocks(body) if not is_blank(b.text())]
    credits = BodyCredits()
    doomed: dict[int, LexborNode] = {}
    tail = blocks[-_TAIL_BLOCKS:]
    # only the tail and the first block are read; their text once each (blocks are disjoint, nothing is
    # removed before the end)
    texts = {block.mem_id: _text(block) for block in (*blocks[:1], *tail)}

    def text_of(block: LexborNode) -> str:
        return texts[block.mem_id]

    for block in tail:
        if is_feed_trailer(text_of(block)):
            doomed[block.mem_id] = block
    for index, block in enumerate(tail):
        found = author_line_names(text_of(block))
        if not found:
            continue
        credits.names.extend(found)
        _names_and_slugs(block.css('a[href*="/author/"]'), credits.slugs)
        doomed[block.mem_id] = block
        for follower in tail[index + 1 :]:
            if follower.mem_id in doomed:
                continue
            owner = bio_owner(text_of(follower), found)
            if owner is None:
                break
            credits.bios.setdefault(owner, text_of(follower))
            doomed[follower.mem_id] = follower
        break
    if not credits.names and known_names:
        # Columns end with the columnist's bio ("Ron Paul is a former ..."): body-last, author-first.
        for block in reversed(tail):
            if block.mem_id in doomed:
                continue
            owner = bio_owner(text_of(block), known_names)
            if owner is None:
                break
            credits.bios.setdefault(owner, text_of(block))
            doomed[block.mem_id] = block

    if blocks and blocks[0].mem_id not in doomed:
        lead = by_line_names(text_of(blocks[0]))
        if lead:
            credits.names = _dedupe(lead + credits.names)
            doomed[blocks[0].mem_id] = blocks[0]

    for block in doomed.values():
        block.decompose()
    credits.names = _dedupe(credits.names)
    return credits


def _clean_body(body: LexborNode, selectors: Selectors, known_names: list[str]) -> BodyCredits:
    for selector in (*selectors.body_exclude, SHARE_SELECTOR, COMMENT_AREA_SELECTOR):
        for node in _within(body, selector):
            node.decompose()
    sanitize(body)
    credits = _strip_byline_blocks(body, known_names)
    _drop_emptied_wrappers(body)
    return credits


def _drop_emptied_wrappers(body: LexborNode) -> None:
    """Wrappers left empty by the removals (an ad slot's div) are noise in body_html."""
    for node in reversed(_within(body, "div, p, span, section")):  # innermost first
        if is_blank(node.text()) and first_within(node, _MEDIA) is None:
            node.decompose()


# --- entry point ---------------------------------------------------------------------------------------


def _parse_tree(html: str) -> LexborHTMLParser | None:
    if isinstance(html, bytes | bytearray):
        html = bytes(html).decode("utf-8", errors="replace")
    if not isinstance(html, str) or not html.strip():
        return None
    try:
        return LexborHTMLParser(html.replace("\x00", ""))
    except Exception:  # lexbor rejects some junk; an empty article is the answer then
        return None


def parse_article_html(html: str, url: str, selectors: Selectors | None = None) -> ParsedArticle:
    """Read an article page with the source's selectors; generic rules fill what they leave empty.

    Never raises on bad input: garbage gives an article with empty fields.
    """
    selectors = selectors or Selectors()
    article = ParsedArticle(url=url, parser=PARSER_NAME)
    tree = _parse_tree(html)
    if tree is None or tree.root is None:
        return article
    # A page we cannot read must not stop a batch; keep whatever was found before the failure.
    with contextlib.suppress(Exception):
        _fill_from_page(article, tree.root, selectors)
    if not article.body_text:
        _fill_from_generic(article, tree, html, url)
    return article


def parse_page_additions(html: str, url: str, selectors: Selectors | None = None) -> ParsedArticle | None:
    """Only what an article page adds to a WordPress REST post that has its title, body and whole thread:
    the deck and the printed bylines, bios and author slugs, read exactly as `parse_article_html` reads them.

    Skips what REST already gave (the page's comments, title, dates, terms, body text), about half the work.
    None when the page's body has no text: then the generic extractor has its say, and only the whole read
    (`parse_article_html`) gives the same answer.
    """
    selectors = selectors or Selectors()
    tree = _parse_tree(html)
    if tree is None or tree.root is None:
        return None
    article = ParsedArticle(url=url, parser=PARSER_NAME)
    try:
        body_has_text = _fill_from_page(article, tree.root, selectors, whole=False)
    except Exception:  # the whole read keeps what it found before a failure; let it do so
        return None
    return article if body_has_text else None


def _fill_from_page(article: ParsedArticle, root: LexborNode, selectors: Selectors, whole: bool = True) -> bool:
    """Read the page into `article`; `whole=False` reads only the deck and the credits (parse_page_additions).
    True when the body selector found text."""
    if whole:
        article.comments = parse_wordpress_comments(_first(root, selectors.comments) or root)
    for node in _all(root, COMMENT_AREA_SELECTOR):
        node.decompose()

    if whole:
        article.post_id = _post_id(root)
        article.title = _title(root, selectors)
    article.deck = _text(_first(root, selectors.deck))
    if whole:
        article.published_at, article.modified_at = _dates(root, selectors)
        article.categories, article.tags = _terms(root)
        language = _first(root, "html")
        article.language = (language.attributes.get("lang") or None) if language is not None else None
    body = _first(root, selectors.body)
    page_names, article.author_slugs = _page_bylines(root, body, selectors)
    credits = BodyCredits()
    body_has_text = False
    if body is not None:
        credits = _clean_body(body, selectors, page_names)
        if whole:
            article.body_html = (body.inner_html or "").strip()
            article.body_text = block_text(body)
            body_has_text = bool(article.body_text)
        else:
            # block_text is empty exactly when no text is left: _clean_body already dropped scripts and comments
            body_has_text = not is_blank(body.text())
    # A declared byline selector wins; otherwise the body's own "Author:" line beats theme guesses.
    if selectors.byline and page_names:
        article.bylines = page_names
    else:
        article.bylines = credits.names or page_names
    article.author_bios = {**_author_box_bios(root, article.bylines), **credits.bios}
    article.author_slugs = {**credits.slugs, **article.author_slugs}
    return body_has_text


def _fill_from_generic(article: ParsedArticle, tree: LexborHTMLParser, html: str, url: str) -> None:
    """Fill empty fields from the generic extractor.

    When WordPress comments were read, it gets the page without them (comments are never body); otherwise
    the page as fetched, so that it can find comments of other systems itself.
    """
    try:
        from tasks.parse.generic import extract_article  # another module, may not exist yet
    except ImportError:
        return
    try:
        generic = extract_article((tree.html or html) if article.comments else html, url)
    except Exception:
        return
    for name in ("title", "deck", "published_at", "modified_at", "language", "post_id"):
        if not getattr(article, name) and getattr(generic, name):
            setattr(article, name, getattr(generic, name))
    for name in ("bylines", "categories", "tags", "comments"):
        if not getattr(article, name) and getattr(generic, name):
            setattr(article, name, list(getattr(generic, name)))
    if not article.author_bios and generic.author_bios:
        article.author_bios = dict(generic.author_bios)
    if generic.body_html or generic.body_text:
        credits = _strip_generic_body(article, generic.body_html, generic.body_text)
        article.bylines = article.bylines or credits.names
        for name, bio in credits.bios.items():
            article.author_bios.setdefault(name, bio)


def _strip_generic_body(article: ParsedArticle, body_html: str, body_text: str) -> BodyCredits:
    """The generic body with bylines, bios and feed trailers moved out, as for a selector-found body."""
    fragment = _parse_tree(f"<div id='wirehouse-body'>{body_html}</div>") if body_html else None
    container = fragment.css_first("#wirehouse-body") if fragment is not None else None
    if container is None:
        article.body_html, article.body_text = body_html, body_text
        return BodyCredits()
    before = container.inner_html
    credits = _strip_byline_blocks(container, article.bylines)
    article.body_html = (container.inner_html or "").strip()
    changed = container.inner_html != before
    article.body_text = block_text(container) if changed or not body_text else body_text
    return credits
