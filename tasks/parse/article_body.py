"""An article body cleaned of what is not the article: exclusions, share blocks, comment areas, and the byline,
bio and feed-trailer lines it carries (moved out, with what they say about the authors)."""

from __future__ import annotations

from dataclasses import dataclass, field

from selectolax.lexbor import LexborNode

from schemas.source import Selectors
from tasks.normalize.bodies import is_feed_trailer
from tasks.parse.article_dom import dedupe, node_text, within
from tasks.parse.article_metadata import names_and_slugs
from tasks.parse.bylines import author_line_names, bio_owner, by_line_names, first_within, is_blank, sanitize
from tasks.parse.wp_comments import COMMENT_LIST_SELECTOR

SHARE_SELECTOR = ".addtoany_share_save_container, .addtoany, .sharedaddy, .jp-relatedposts"
# Comment areas: read by wp_comments, then removed so they reach neither metadata nor body.
COMMENT_AREA_SELECTOR = (
    f"{COMMENT_LIST_SELECTOR}, #comments, .comments-area, .wp-block-comments, #respond, .comment-respond, "
    ".wp-block-latest-comments, .recentcomments"
)
_MEDIA = "img, picture, video, audio, iframe, embed, object, svg, canvas, hr, br, table"
_PARAGRAPH_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "li"})
_BLOCK_CHILDREN = "p, div, h1, h2, h3, h4, h5, h6, ul, ol, blockquote, table"
# Trailing byline/bio/trailer lines sit among the last few paragraphs of a body.
_TAIL_BLOCKS = 6


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


def strip_byline_blocks(body: LexborNode, known_names: list[str] | None = None) -> BodyCredits:
    """Remove "Author: NAME" + bio, a leading "By NAME", feed trailers, and a closing bio of an author
    already known from the page; return what they said."""
    blocks = [b for b in _leaf_blocks(body) if not is_blank(b.text())]
    credits = BodyCredits()
    doomed: dict[int, LexborNode] = {}
    tail = blocks[-_TAIL_BLOCKS:]
    # only the tail and the first block are read; their text once each (blocks are disjoint, nothing is
    # removed before the end)
    texts = {block.mem_id: node_text(block) for block in (*blocks[:1], *tail)}

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
        names_and_slugs(block.css('a[href*="/author/"]'), credits.slugs)
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
            credits.names = dedupe(lead + credits.names)
            doomed[blocks[0].mem_id] = blocks[0]

    for block in doomed.values():
        block.decompose()
    credits.names = dedupe(credits.names)
    return credits


def clean_body(body: LexborNode, selectors: Selectors, known_names: list[str]) -> BodyCredits:
    for selector in (*selectors.body_exclude, SHARE_SELECTOR, COMMENT_AREA_SELECTOR):
        for node in within(body, selector):
            node.decompose()
    sanitize(body)
    credits = strip_byline_blocks(body, known_names)
    _drop_emptied_wrappers(body)
    return credits


def _drop_emptied_wrappers(body: LexborNode) -> None:
    """Wrappers left empty by the removals (an ad slot's div) are noise in body_html."""
    for node in reversed(within(body, "div, p, span, section")):  # innermost first
        if is_blank(node.text()) and first_within(node, _MEDIA) is None:
            node.decompose()

