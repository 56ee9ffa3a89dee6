"""What an article page says about itself outside its body: title, dates, post id, terms, bylines, bios."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import parse_qsl, urlsplit

from selectolax.lexbor import LexborNode

from schemas.source import Selectors
from tasks.parse.article_dom import (
    all_matches,
    dedupe,
    first_match,
    json_ld_names,
    json_ld_objects,
    json_ld_value,
    meta_content,
    meta_contents,
    node_text,
    within,
)
from tasks.parse.bylines import bio_owner, split_byline
from tasks.parse.wp_comments import parse_wp_datetime

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
# "About the author" boxes of themes and author-box plugins (Simple Author Box, Starbox, Molongui, the post-author
# blocks), and the elements in them that hold the bio.
AUTHOR_BOX_SELECTOR = (
    ".author-bio, .author-box, .author-info, .about-author, .author-details, .author-profile, .saboxplugin-wrap, "
    ".abh_box, .m-a-box, .molongui-author-box, .wp-block-post-author, .wp-block-post-author-biography"
)
_AUTHOR_DESCRIPTION = (
    ".author-description, .saboxplugin-desc, .abh_description, .m-a-box-bio, .wp-block-post-author__bio, "
    ".wp-block-post-author-biography, [itemprop=description]"
)


def title_of(tree: LexborNode, selectors: Selectors) -> str:
    for selector in (selectors.title, *_TITLE_SELECTORS):
        title = node_text(first_match(tree, selector))
        if title:
            return title
    og_title = meta_content(tree, "og:title")
    if og_title:
        return og_title
    return _strip_site_suffix(node_text(first_match(tree, "title")), tree)


def _strip_site_suffix(title: str, tree: LexborNode) -> str:
    """Drop a "| Site" suffix; dashes only when the site's name follows (titles contain dashes)."""
    site_names = {
        n.lower()
        for n in (meta_content(tree, "og:site_name"), node_text(first_match(tree, ".site-title, .wp-block-site-title")))
        if n
    }
    for separator in _TITLE_SEPARATORS:
        head, found, tail = title.rpartition(separator)
        if not found or not head.strip():
            continue
        if separator == " | " or tail.strip().lower() in site_names:
            return head.strip()
    return title


def dates_of(tree: LexborNode, selectors: Selectors) -> tuple[datetime | None, datetime | None]:
    published: datetime | None = None
    date_node = first_match(tree, selectors.date)
    if date_node is not None:
        attrs = date_node.attributes
        published = parse_wp_datetime(attrs.get("datetime") or attrs.get("content") or date_node.text())
    published = published or parse_wp_datetime(meta_content(tree, "article:published_time"))
    if published is None:
        for selector in ("article time[datetime]", "time.published[datetime]", ".wp-block-post-date time"):
            node = first_match(tree, selector)
            published = parse_wp_datetime(node.attributes.get("datetime") if node is not None else None)
            if published:
                break
    published = published or parse_wp_datetime(json_ld_value(tree, "datePublished"))
    published = published or parse_wp_datetime(meta_content(tree, "datePublished"))

    modified = parse_wp_datetime(meta_content(tree, "article:modified_time") or meta_content(tree, "og:updated_time"))
    if modified is None:
        # a time that is both .published and .updated (Twenty Twenty-One) is the publication date, not an edit
        node = first_match(tree, "time.updated:not(.published)[datetime]")
        modified = parse_wp_datetime(node.attributes.get("datetime") if node is not None else None)
    modified = modified or parse_wp_datetime(json_ld_value(tree, "dateModified"))
    return published, modified


def post_id_of(tree: LexborNode) -> int | None:
    shortlink = first_match(tree, "link[rel=shortlink]")
    if shortlink is not None:
        query = dict(parse_qsl(urlsplit(shortlink.attributes.get("href") or "").query))
        if query.get("p", "").isdigit():
            return int(query["p"])
    for node in all_matches(tree, 'article[id^="post-"]'):
        match = re.fullmatch(r"post-(\d+)", node.attributes.get("id") or "")
        if match:
            return int(match.group(1))
    body = first_match(tree, "body")
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


def terms_of(tree: LexborNode) -> tuple[list[str], list[str]]:
    categories: list[str] = []
    tags: list[str] = []
    for link in all_matches(tree, "a[rel~=tag]"):
        if _is_in_sidebar(link):
            continue
        rel = (link.attributes.get("rel") or "").split()
        in_category_block = link.parent is not None and "taxonomy-category" in (
            link.parent.attributes.get("class") or ""
        )
        target = categories if "category" in rel or in_category_block else tags
        target.append(node_text(link))
    categories = categories or meta_contents(tree, "article:section")
    tags = tags or meta_contents(tree, "article:tag")
    return dedupe(categories), dedupe(tags)


def names_and_slugs(nodes: list[LexborNode], slugs: dict[str, str]) -> list[str]:
    """Byline names of nodes in order, de-duplicated; author archive links teach the user slug."""
    names: list[str] = []
    for node in nodes:
        found = split_byline(node_text(node))
        names.extend(found)
        link = node if node.tag == "a" else node.css_first("a[href]")
        slug = _AUTHOR_SLUG.search(link.attributes.get("href") or "") if link is not None else None
        if slug and len(found) == 1:
            slugs.setdefault(found[0], slug.group(1))
    return dedupe(names)


def _byline_scope(root: LexborNode, body: LexborNode | None) -> LexborNode:
    """Where theme bylines are looked for: the article holding the body, so related-post bylines stay out."""
    parent = body
    while parent is not None:
        if parent.tag == "article":
            return parent
        parent = parent.parent
    return first_match(root, "article") or root


def page_bylines(
    root: LexborNode, body: LexborNode | None, selectors: Selectors
) -> tuple[list[str], dict[str, str]]:
    """Bylines from the page outside the body text, and author -> user slug from author links."""
    slugs: dict[str, str] = {}
    names = names_and_slugs(all_matches(root, selectors.byline), slugs)
    if names:
        return names, slugs
    scope = _byline_scope(root, body)
    for selector in _BYLINE_SELECTORS:
        names = names_and_slugs([n for n in all_matches(scope, selector) if not _is_in_sidebar(n)], slugs)
        if names:
            return names, slugs
    author_box = first_match(root, ".author-bio .author-title, .author-info .author-title")
    if author_box is not None and split_byline(node_text(author_box)):
        return split_byline(node_text(author_box)), slugs
    meta_author = meta_content(root, "author")
    if meta_author:
        return split_byline(meta_author), slugs
    for item in json_ld_objects(root):
        names = dedupe([n for text in json_ld_names(item.get("author")) for n in split_byline(text)])
        if names:
            return names, slugs
    return [], slugs


def author_box_texts(tree: LexborNode) -> list[str]:
    """What the page's author boxes say ("About the author"), in page order: their description elements, else
    their paragraphs. Read before the body is cleaned, which removes a box found inside it."""
    texts: list[str] = []
    seen: set[int] = set()
    for box in all_matches(tree, AUTHOR_BOX_SELECTOR):
        is_description = any(node.mem_id == box.mem_id for node in all_matches(box, _AUTHOR_DESCRIPTION))
        descriptions = [box] if is_description else within(box, _AUTHOR_DESCRIPTION)
        for node in descriptions or within(box, "p") or [box]:
            if node.mem_id not in seen:
                seen.add(node.mem_id)
                texts.append(node_text(node))
    return [text for text in texts if text]


def author_box_bios(texts: list[str], names: list[str]) -> dict[str, str]:
    """Bios among author-box texts: those that open with an author's name ("Jason Ditz is news editor of
    Antiwar.com.", "Dr. Dan Steinbock is the founder of ..."); "Read more by Ron Paul" is none."""
    bios: dict[str, str] = {}
    for text in texts:
        owner = bio_owner(text, names)
        if owner and owner not in bios:
            bios[owner] = text
    return bios
