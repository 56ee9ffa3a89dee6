"""An article body cleaned of what is not the article: exclusions, share blocks, author boxes, comment areas,
and the byline, bio, reprint-note and feed-trailer lines it carries (moved out, with what they say)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from selectolax.lexbor import LexborNode

from schemas.pipeline import ReprintNote
from schemas.source import Selectors
from tasks.normalize.bodies import is_feed_trailer
from tasks.parse.article_dom import dedupe, node_text, parse_tree, within
from tasks.parse.article_metadata import AUTHOR_BOX_SELECTOR, names_and_slugs
from tasks.parse.bylines import (
    author_line_names,
    bio_owner,
    by_line_names,
    first_within,
    is_blank,
    sanitize,
    select_within,
)
from tasks.parse.reprints import reprint_note
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
# Trailing byline/bio/trailer lines sit among the last few paragraphs of a body; a reprint note among the first
# two or the last four.
_TAIL_BLOCKS = 6
_HEAD_BLOCKS = 2
_NOTE_TAIL_BLOCKS = 4
# Closing lines of the site's own after a bio: at most two, short.
_MAX_TRAILERS = 2
_TRAILER_WORDS = 25
_PICTURE_TAGS = frozenset({"img", "picture", "video", "audio", "svg", "canvas", "figure"})
_PICTURES = ", ".join(sorted(_PICTURE_TAGS))


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
    """What the byline, bio and reprint lines removed from a body said."""

    names: list[str] = field(default_factory=list)
    bios: dict[str, str] = field(default_factory=dict)
    slugs: dict[str, str] = field(default_factory=dict)
    reprint: ReprintNote | None = None


def strip_byline_blocks(body: LexborNode, known_names: list[str] | None = None) -> BodyCredits:
    """Remove "Author: NAME" + bio, a leading "By NAME", feed trailers, a reprint note at the start or the end,
    and a closing bio of an author already known from the page; return what they said."""
    blocks = [b for b in _leaf_blocks(body) if not is_blank(b.text())]
    credits = BodyCredits()
    doomed: dict[int, LexborNode] = {}
    head, tail = blocks[:_HEAD_BLOCKS], blocks[-_TAIL_BLOCKS:]
    # only the head and the tail are read; their text once each (blocks are disjoint, nothing is removed
    # before the end)
    texts = {block.mem_id: node_text(block) for block in (*head, *tail)}

    def text_of(block: LexborNode) -> str:
        return texts[block.mem_id]

    for block in tail:
        if is_feed_trailer(text_of(block)):
            doomed[block.mem_id] = block
    # a note or a bio is never all the body has: a video post of one line keeps its line
    note_block = _reprint_note_block(head, tail, doomed, text_of, credits) if len(blocks) > 1 else None
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
        _closing_bios([b for b in tail if b.mem_id != blocks[0].mem_id], known_names, doomed, text_of, credits)

    lead_block = next((b for b in head if b.mem_id not in doomed), None)
    if lead_block is not None:
        lead = by_line_names(text_of(lead_block))
        if lead:
            credits.names = dedupe(lead + credits.names)
            doomed[lead_block.mem_id] = lead_block

    for block in doomed.values():
        if note_block is not None and block.mem_id == note_block.mem_id:
            _take_out_keeping_pictures(block)  # a note set beside a photo: the photo stays in the body
        else:
            block.decompose()
    credits.names = dedupe(credits.names)
    return credits


def _reprint_note_block(
    head: list[LexborNode],
    tail: list[LexborNode],
    doomed: dict[int, LexborNode],
    text_of: Callable[[LexborNode], str],
    credits: BodyCredits,
) -> LexborNode | None:
    """The first reprint note among the opening blocks, else the last among the closing ones; marked doomed."""
    for block in (*head, *reversed(tail[-_NOTE_TAIL_BLOCKS:])):
        if block.mem_id in doomed:
            continue
        links = [(node_text(link), link.attributes.get("href") or "") for link in block.css("a[href]")]
        note = reprint_note(text_of(block), links)
        if note is not None:
            credits.reprint = note
            doomed[block.mem_id] = block
            return block
    return None


def _closing_bios(
    tail: list[LexborNode],
    known_names: list[str],
    doomed: dict[int, LexborNode],
    text_of: Callable[[LexborNode], str],
    credits: BodyCredits,
) -> None:
    """Columns end with the columnist's bio ("Ron Paul is a former ..."), body-last and author-first, at times
    followed by a line or two of the site's own (a donation appeal, "Visit her Substack"): the bio paragraphs
    before at most _MAX_TRAILERS short closing lines are moved out; those lines stay."""
    trailers = 0
    bios: list[tuple[str, str]] = []
    for block in reversed(tail):
        if block.mem_id in doomed:
            continue
        owner = bio_owner(text_of(block), known_names)
        if owner is not None:
            bios.append((owner, text_of(block)))
            doomed[block.mem_id] = block
            continue
        if bios or trailers == _MAX_TRAILERS or len(text_of(block).split()) > _TRAILER_WORDS:
            break
        trailers += 1
    for owner, text in reversed(bios):  # a bio of two paragraphs keeps both, in page order
        credits.bios[owner] = f"{credits.bios[owner]} {text}" if owner in credits.bios else text


def _take_out_keeping_pictures(block: LexborNode) -> None:
    """Remove a block's text and everything but the pictures it holds (and the links around them)."""
    if first_within(block, _PICTURES) is None:
        block.decompose()
        return
    for node in list(block.traverse(include_text=True)):
        if node.is_text_node:
            node.decompose()
    for node in reversed(select_within(block, "*")):
        if node.tag not in _PICTURE_TAGS and first_within(node, _PICTURES) is None and not _in_picture(node, block):
            node.decompose()


def _in_picture(node: LexborNode, block: LexborNode) -> bool:
    parent = node.parent
    while parent is not None and parent.mem_id != block.mem_id:
        if parent.tag in _PICTURE_TAGS:
            return True
        parent = parent.parent
    return False


def strip_credit_lines(body_html: str, known_names: list[str]) -> tuple[str | None, BodyCredits]:
    """A body given as HTML (a REST post's content) with its byline, bio, reprint-note and feed-trailer lines
    moved out as `strip_byline_blocks` does; the new HTML, or None when nothing was moved (keep the HTML as is)."""
    fragment = parse_tree(f"<div id='wirehouse-body'>{body_html}</div>") if body_html else None
    container = fragment.css_first("#wirehouse-body") if fragment is not None else None
    if container is None:
        return None, BodyCredits()
    before = container.inner_html
    credits = strip_byline_blocks(container, known_names)
    if container.inner_html == before:
        return None, credits
    _drop_emptied_wrappers(container)
    return (container.inner_html or "").strip(), credits


def clean_body(body: LexborNode, selectors: Selectors, known_names: list[str]) -> BodyCredits:
    for selector in (*selectors.body_exclude, SHARE_SELECTOR, AUTHOR_BOX_SELECTOR, COMMENT_AREA_SELECTOR):
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

