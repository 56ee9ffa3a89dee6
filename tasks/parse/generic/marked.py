"""One CSS pass over the page for the elements that several steps look for by an attribute: microdata
(metadata), comment item candidates (comments) and the headline's first candidates (titles).

Every CSS query walks the whole document, and on a page of a thousand elements the walk costs more
than testing a few selectors on each element: one query with all of them, sorted out in Python,
replaces three.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tasks.parse.generic.comments import ITEM_PREFILTER, may_be_item
from tasks.parse.generic.metadata import MICRODATA, is_microdata
from tasks.parse.generic.text import css_unique
from tasks.parse.generic.titles import FIRST_HEADINGS, is_first_heading


def _selector_list(*lists: str) -> str:
    """Comma-separated selector lists joined, each selector once: lexbor tries every selector of a
    list on every element."""
    return ", ".join(dict.fromkeys(selector.strip() for selectors in lists for selector in selectors.split(",")))


_HEAD_QUERY = _selector_list(MICRODATA, FIRST_HEADINGS)
_BODY_QUERY = _selector_list(MICRODATA, FIRST_HEADINGS, ITEM_PREFILTER)


@dataclass
class MarkedElements:
    """The page's elements of each kind, in document order."""

    microdata: list[LexborNode] = field(default_factory=list)
    comment_candidates: list[tuple[LexborNode, dict[str, str | None]]] = field(default_factory=list)
    first_headings: list[LexborNode] = field(default_factory=list)


def find_marked(tree: LexborHTMLParser) -> MarkedElements:
    """Call after the invisible elements are gone (comment items are looked for in what readers see).

    The <head> is searched apart, and only for metadata and headings: comment items live in the body."""
    found = MarkedElements()
    for part, query, holds_comments in ((tree.head, _HEAD_QUERY, False), (tree.body, _BODY_QUERY, True)):
        if part is None:
            continue
        for node in css_unique(part, query):
            tag, attrs = node.tag or "", node.attributes
            if is_microdata(tag, attrs):
                found.microdata.append(node)
            if is_first_heading(tag, attrs):
                found.first_headings.append(node)
            if holds_comments and may_be_item(tag, attrs):
                found.comment_candidates.append((node, attrs))
    return found
