"""The deck (standfirst, lede, "Vorspann", "chapô"): the summary set between the headline and the body.

Themes often put it in the article header, outside the container that holds the paragraphs, so the
body would start without it. It is found by the class names the trade uses for it, among the elements
that follow the headline (the same classes mark teasers elsewhere on the page)."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tasks.parse.generic.headline import HeadlineText
from tasks.parse.generic.text import link_density, squash

# Parts of a class that may name a deck, a cheap test before the exact word check.
_DECK_HINTS = (
    "intro", "lede", "lead", "deck", "standfirst", "summary", "excerpt", "chapo", "vorspann", "subtitle", "subheadline",
    "sub-title", "dek", "abstract",
)  # fmt: skip
_DECK_WORD = re.compile(
    r"(?:^|[\s_-])(?:intro|introduction|lede|lead|leadin|deck|dek|standfirst|summary|excerpt|chapo|chapeau|"
    r"vorspann|subtitle|sub-title|subheadline|abstract)(?:$|[\s_-])"
)
_DECK_TAGS = frozenset(("p", "h2", "h3", "div", "span"))
_MIN_DECK = 30
_MAX_DECK = 700
_SEARCH_WHOLE = 5000  # raw characters of text up to which a neighbour is searched whole
_FIRST_CHILDREN = 3


def find_deck(tree: LexborHTMLParser, roots: list[LexborNode], headline: HeadlineText) -> LexborNode | None:
    """The deck element outside the chosen body containers, or None."""
    if headline.heading is None or not roots:
        return None  # no heading, no "next to the heading"
    root_keys = {root.mem_id for root in roots}
    for follower, length in headline.followers:
        # A long neighbour (the article's own container, say) is searched only near its start.
        places = [follower] if length <= _SEARCH_WHOLE else [follower, *_first_children(follower)]
        for node in _candidates(places, length <= _SEARCH_WHOLE):
            attrs = node.attributes
            if node.tag not in _DECK_TAGS:
                continue
            marks = (attrs.get("class") or "").lower()
            if attrs.get("itemprop") != "description" and not _DECK_WORD.search(marks):
                continue
            text = squash(node.text())
            if not _MIN_DECK <= len(text) <= _MAX_DECK or _related(node, root_keys, roots):
                continue
            if (headline.title and headline.title in text) or _in_list(node) or text.endswith(("...", "…")):
                continue  # a header wrapper holding the headline too, or a teaser's (cut) excerpt
            density, _ = link_density(node)
            if density > 0.3:
                continue
            return node  # the first candidate decides: later ones are further from the headline
    return None


def _related(node: LexborNode, root_keys: set[int], roots: list[LexborNode]) -> bool:
    """Whether `node` is inside one of the roots or holds one."""
    parent: LexborNode | None = node
    while parent is not None:
        if parent.mem_id in root_keys:
            return True
        parent = parent.parent
    key = node.mem_id
    for root in roots:
        parent = root.parent
        while parent is not None:
            if parent.mem_id == key:
                return True
            parent = parent.parent
    return False


def _in_list(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in ("li", "aside", "nav"):
            return True
        parent = parent.parent
    return False


def _candidates(places: list[LexborNode], whole: bool) -> list[LexborNode]:
    """Deck-like elements: inside the places when `whole`, else the places themselves only."""
    if whole:
        # The headline's neighbours are small (four elements is typical): walking one in Python costs
        # less than a CSS query of fifteen selectors.
        found = []
        for node in places[0].traverse():
            if node.tag in _DECK_TAGS:
                attrs = node.attributes
                classes = attrs.get("class")
                if (classes and any(map(classes.__contains__, _DECK_HINTS))) or attrs.get("itemprop") == "description":
                    found.append(node)
        return found
    return [place for place in places if _DECK_WORD.search((place.attributes.get("class") or "").lower())]


def _first_children(node: LexborNode, depth: int = 2) -> list[LexborNode]:
    """The first few children of `node`, and theirs, in document order."""
    found: list[LexborNode] = []
    for count, child in enumerate(node.iter()):
        if count == _FIRST_CHILDREN:
            break
        found.append(child)
        if depth > 1:
            found.extend(_first_children(child, depth - 1))
    return found
