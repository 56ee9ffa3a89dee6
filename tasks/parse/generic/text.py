"""Text helpers shared by the generic extractor: whitespace, block-aware node text, link density."""

from __future__ import annotations

from functools import cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

# Elements that start a new paragraph in the extracted text.
BLOCK_TAGS = frozenset(
    [
        "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "h1", "h2", "h3",
        "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "table", "thead",
        "tbody", "tfoot", "tr", "td", "th", "caption", "figure", "figcaption", "form", "fieldset",
        "address", "hr", "center", "details", "summary"
    ]
)
HEADING_TAGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
# Markers inserted into the tree before taking its text: the tree keeps no text boundaries otherwise.
# (Private-use characters: not whitespace, so str.split can collapse the whitespace around them.)
PARAGRAPH_MARK = "\ue000"
LINE_MARK = "\ue001"
# Invisible characters pages put inside words (soft hyphens for line breaking, zero-width spaces): a
# reader never sees them, and left in they split words for search and comparison.
_INVISIBLE = "\u00ad\u200b\u2060\ufeff"
_DROP_INVISIBLE = str.maketrans("", "", _INVISIBLE)


def drop_invisible(text: str) -> str:
    """Text without soft hyphens and zero-width spaces (cheap when there are none, the usual case)."""
    if "\u00ad" in text or "\u200b" in text or "\u2060" in text or "\ufeff" in text:
        return text.translate(_DROP_INVISIBLE)
    return text


def squash(text: str | None) -> str:
    """Collapse every run of whitespace (newlines included) to one space."""
    return " ".join(text.split()) if text else ""


def text_len(text: str) -> int:
    """Characters that are not whitespace: a length that ignores the page source's indentation.

    (str.count runs in C; this is much cheaper than normalizing the whitespace of a large text.)
    """
    length = len(text) - text.count(" ") - text.count("\n")
    # Tabs and carriage returns are rare: looking for one (memchr) is much cheaper than counting.
    if "\t" in text:
        length -= text.count("\t")
    if "\r" in text:
        length -= text.count("\r")
    return length


def is_longer_than(text: str, length: int) -> bool:
    """Whether `text` is longer than 2 x `length` characters and its first 2 x `length` already hold `length` that
    are not whitespace: a cheap "surely long enough" for a text that may hold a whole article (only a prefix is
    counted)."""
    return len(text) > 2 * length and text_len(text[: 2 * length]) >= length




def block_paragraphs(node: LexborNode) -> list[str]:
    """The node's text split into paragraphs at block elements and <br> (a <br> keeps a newline).

    Marks the tree in place, so call it on a node whose tree is no longer needed for other text.
    """
    # (A Python walk asking each element its tag is cheaper than a CSS query listing 40 tag names:
    # lexbor tries every name of such a list on every element.)
    for element in node.traverse():
        tag = element.tag
        if tag in BLOCK_TAGS:
            element.insert_before(PARAGRAPH_MARK)
            element.insert_after(PARAGRAPH_MARK)
        elif tag == "br":
            element.insert_before(LINE_MARK)
    paragraphs = []
    for chunk in drop_invisible(node.text()).split(PARAGRAPH_MARK):
        if LINE_MARK in chunk:
            chunk = "\n".join(filter(None, (" ".join(line.split()) for line in chunk.split(LINE_MARK))))
        elif chunk.isprintable() and "  " not in chunk:
            # No whitespace but single spaces (every other kind is unprintable): nothing to collapse,
            # and splitting a paragraph into words only to join them again is the costly part.
            chunk = chunk.strip(" ")
        else:
            chunk = " ".join(chunk.split())
        if chunk:
            paragraphs.append(chunk)
    return paragraphs


def without_marks(html: str) -> str:
    """Serialized HTML without the marks block_paragraphs leaves in the tree."""
    return html.replace(PARAGRAPH_MARK, "").replace(LINE_MARK, "")


class LinkText:
    """Text lengths of one document's links, each link measured once (the same links are weighed
    again and again as candidate containers nest)."""

    def __init__(self) -> None:
        self._lengths: dict[int, int] = {}
        self._texts: dict[int, int] = {}  # node -> its text length, until the tree next changes

    def forget_text(self) -> None:
        """The tree changed: text lengths measured so far may be stale (link lengths are not)."""
        self._texts.clear()

    def text_length(self, node: LexborNode) -> int:
        key = node.mem_id
        length = self._texts.get(key)
        if length is None:
            # Whitespace-only text nodes (the source's indentation) hold nothing text_len counts.
            length = self._texts[key] = text_len(node.text(skip_empty=True))
        return length

    def length(self, node: LexborNode) -> int:
        """Non-whitespace characters inside the node's links."""
        return sum(self.anchor_length(anchor) for anchor in node.css("a"))

    def anchor_length(self, anchor: LexborNode) -> int:
        """Non-whitespace characters of one link."""
        key = anchor.mem_id
        length = self._lengths.get(key)
        if length is None:
            length = self._lengths[key] = text_len(anchor.text())
        return length

    def lengths_under(self, root: LexborNode) -> dict[int, int]:
        """Link text length of every element under `root` (not `root` itself) that holds a link:
        one walk over the links instead of one per element asked about."""
        found: dict[int, int] = {}
        root_key = root.mem_id
        for anchor in root.css("a"):
            if anchor.mem_id == root_key:
                continue
            length = self.anchor_length(anchor)
            parent = anchor.parent
            while parent is not None:
                key = parent.mem_id
                if key == root_key:
                    break
                found[key] = found.get(key, 0) + length
                parent = parent.parent
        return found

    def density(self, node: LexborNode) -> tuple[float, int]:
        """(share of the node's text inside links, the node's text length), lengths as text_len counts."""
        length = self.text_length(node)
        if not length:
            return 0.0, 0
        return min(1.0, self.length(node) / length), length


def link_text_length(node: LexborNode) -> int:
    """Non-whitespace characters inside the node's links."""
    return text_len("".join([a.text() for a in node.css("a")]))


def link_density(node: LexborNode) -> tuple[float, int]:
    """(share of the node's text inside links, the node's text length), lengths as text_len counts."""
    length = text_len(node.text(skip_empty=True))
    if not length:
        return 0.0, 0
    return min(1.0, link_text_length(node) / length), length




def decompose_all(nodes: list[LexborNode]) -> None:
    """Remove nodes from their tree, each with its content.

    Detached, not destroyed: the nodes are freed with the document, and it is much cheaper. A node
    inside another removed one is detached from that one's (already removed) subtree, which changes
    nothing in the document: cheaper than finding out, by walking up from each node, that it could
    be skipped."""
    for node in nodes:
        node.decompose(recursive=False)


def in_document(node: LexborNode) -> bool:
    """Whether the node is still in its document (not inside a removed subtree)."""
    top = node
    parent = node.parent
    while parent is not None:
        top, parent = parent, parent.parent
    return top.is_document_node


def css_unique(node: LexborNode | LexborHTMLParser, selector: str) -> list[LexborNode]:
    """node.css(selector) without repeats: lexbor returns a node once per selector of a list it matches."""
    seen: set[int] = set()
    found = []
    for match in node.css(selector):
        key = match.mem_id
        if key not in seen:
            seen.add(key)
            found.append(match)
    return found


@cache
def _tag_ids(names: str) -> frozenset[int]:
    """Lexbor's ids of comma-separated standard HTML tag names (fixed numbers, unlike the names'
    lookups: comparing ids is the cheapest test a walk in Python can make)."""
    factory = LexborHTMLParser("")
    return frozenset(factory.create_node(name.strip()).tag_id for name in names.split(","))


def find_tags(node: LexborNode, *tag_lists: str) -> list[list[LexborNode]]:
    """The elements under `node` (itself included) of each comma-separated list of standard tag names,
    in document order, from one walk. (A CSS query tries every name of its list on every element: for
    a dozen names a walk in Python is cheaper, and it serves several lists at once.)"""
    groups = [_tag_ids(names) for names in tag_lists]
    wanted = frozenset().union(*groups)
    found: list[list[LexborNode]] = [[] for _ in groups]
    for element in node.traverse():
        tag_id = element.tag_id
        if tag_id in wanted:
            for ids, bucket in zip(groups, found, strict=True):
                if tag_id in ids:
                    bucket.append(element)
                    break
    return found
