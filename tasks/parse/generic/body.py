"""The article body: the container scoring chose, cleaned of chrome blocks and link lists, as text.

A deck set by the headline outside the chosen container opens the body; lines of chrome and what
follows a late "Related articles" heading are cut from the text.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tasks.parse.generic.chrome import class_weight, strip_chrome
from tasks.parse.generic.deck import find_deck
from tasks.parse.generic.headline import HeadlineText
from tasks.parse.generic.lines import MAX_JUNK_LINE, cut_end_sections, is_junk_line, is_teaser, trim_trailing
from tasks.parse.generic.scoring import score_tree, semantic_containers, top_candidate, widen, with_siblings
from tasks.parse.generic.text import (
    HEADING_TAGS,
    LinkText,
    block_paragraphs,
    decompose_all,
    is_longer_than,
    squash,
    text_len,
    without_marks,
)

_ADDRESS_TEXT = re.compile(r"^\W*(?:https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.-]+)\W*$")


def _is_link_block(node: LexborNode, tag: str, density: float, length: int) -> bool:
    """A chrome line, a list of links (related articles) or a link-heavy block marked as chrome."""
    if length < 80 and is_junk_line(squash(node.text())):
        return True
    if tag in ("ul", "ol", "dl", "div", "section", "table") and density > 0.5 and length < 2000:
        return True
    if tag in ("p", "li") and density > 0.65 and length < 300:
        # A spelled-out address (a petition's URL, a contact e-mail) is text, not a teaser.
        return not _ADDRESS_TEXT.match(squash(node.text()))
    return tag in ("div", "section") and density > 0.25 and class_weight(node.attributes) < 0


def _clean_container(root: LexborNode, title: str, links: LinkText) -> None:
    """Drop link lists, chrome lines and the repeated title from a chosen container."""
    doomed: list[LexborNode] = []
    title_key = squash(title).casefold()
    # Only blocks with a link inside can be link lists; knowing which saves measuring the others.
    linked = links.lengths_under(root)
    for node in root.traverse():
        tag = node.tag
        if tag in HEADING_TAGS:
            if title_key and squash(node.text()).casefold() == title_key:
                doomed.append(node)
            continue
        if tag in _LINK_BLOCK_TAGS:
            link_length = linked.get(node.mem_id)
            if link_length is None:
                continue
            length = _link_block_length(node, link_length)
            if length and _is_link_block(node, tag, min(1.0, link_length / length), length):
                doomed.append(node)
    decompose_all(doomed)
    links.forget_text()


_LINK_BLOCK_TAGS = frozenset(("ul", "ol", "dl", "table", "div", "section", "p", "li"))
_LINK_BLOCK_MAX = 2000  # _is_link_block's longest link list


def _link_block_length(node: LexborNode, link_length: int) -> int:
    """The block's text length for _is_link_block, or 0 where no rule of it can apply: a block at
    least _LINK_BLOCK_MAX long with less than a quarter of its text in links. (Containers nest, each
    holding the whole article: measuring only a prefix of theirs saves counting it again and again.)"""
    text = node.text(skip_empty=True)
    enough = max(_LINK_BLOCK_MAX, 4 * link_length)
    if is_longer_than(text, enough):
        return 0
    length = text_len(text)
    return 0 if length >= enough else length




def extract_body(
    tree: LexborHTMLParser, title: str, headline: HeadlineText | None, never_text: list[LexborNode]
) -> tuple[str, str]:
    """(body_html, body_text) of the page's main text; the tree is modified.

    With `headline`, a deck set by the headline outside the body's container opens the body.
    `never_text`: the page's NEVER_TEXT_TAGS elements in document order (find_tags)."""
    decompose_all(never_text)
    body = tree.body
    if body is None:
        return "", ""
    scores = score_tree(body)
    top = top_candidate(scores)
    roots = semantic_containers(scores, top)
    if not roots and top is not None:
        top = widen(top, scores)
    if not roots:
        roots = with_siblings(top, scores) if top is not None else [body]
    deck = find_deck(tree, roots, headline) if headline is not None else None
    if deck is not None:
        roots = [deck, *roots]
    html_parts: list[str] = []
    paragraphs: list[str] = []
    for root in roots:
        strip_chrome(root, scores.links)
        _clean_container(root, title, scores.links)
        # (Comment texts were read by marking their paragraphs: marks left where a comment was.)
        html_parts.append(without_marks(root.html or ""))
    for root in roots:
        paragraphs.extend(block_paragraphs(root))
    paragraphs = [
        p for p in cut_end_sections(paragraphs) if (len(p) > MAX_JUNK_LINE or not is_junk_line(p)) and not is_teaser(p)
    ]
    if title and paragraphs and squash(paragraphs[0]).casefold() == squash(title).casefold():
        paragraphs.pop(0)
    paragraphs = trim_trailing(paragraphs)
    return "\n".join(html_parts), "\n\n".join(paragraphs)

