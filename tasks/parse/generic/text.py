"""Text helpers shared by the generic extractor: whitespace, block-aware node text, link density."""

from __future__ import annotations

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
    return len(text) - text.count(" ") - text.count("\n") - text.count("\t") - text.count("\r")




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
    # Whitespace collapsed in one pass over the whole text, then the paragraphs cut at the marks.
    text = " ".join(drop_invisible(node.text()).split())
    paragraphs = []
    for chunk in text.split(PARAGRAPH_MARK):
        if LINE_MARK in chunk:
            chunk = "\n".join(filter(None, (line.strip() for line in chunk.split(LINE_MARK))))
        else:
            chunk = chunk.strip()
        if chunk:
            paragraphs.append(chunk)
    return paragraphs


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
        total = 0
        lengths = self._lengths
        for anchor in node.css("a"):
            key = anchor.mem_id
            length = lengths.get(key)
            if length is None:
                length = lengths[key] = text_len(anchor.text())
            total += length
        return total

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
    """Remove nodes from their tree; a node inside another removed one is skipped (already gone)."""
    chosen: set[int] = set()
    outermost: list[LexborNode] = []
    for node in nodes:
        parent: LexborNode | None = node
        inside = False
        while parent is not None:
            if parent.mem_id in chosen:
                inside = True
                break
            parent = parent.parent
        if not inside:
            chosen.add(node.mem_id)
            outermost.append(node)
    # A node listed before its ancestor is removed on its own first; that is harmless. Detaching
    # (not destroying) is enough: the nodes are freed with the document, and it is much cheaper.
    for node in outermost:
        node.decompose(recursive=False)


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


def remove_tags(node: LexborNode | LexborHTMLParser, tags: str) -> None:
    """Remove every element of the comma-separated `tags` ("script, style") and its content.

    One CSS walk for all of them (strip_tags walks the tree once per tag); the matches are detached
    last first, so a nested match goes before its ancestor. (Detached, not destroyed: the nodes are
    freed with the document, and destroying a large <nav> node by node costs more than finding it.)"""
    for element in reversed(node.css(tags)):
        element.decompose(recursive=False)
