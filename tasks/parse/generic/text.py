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
PARAGRAPH_MARK = "\u2029"
LINE_MARK = "\u2028"


def squash(text: str | None) -> str:
    """Collapse every run of whitespace (newlines included) to one space."""
    return " ".join(text.split()) if text else ""


def text_len(text: str) -> int:
    """Characters that are not whitespace: a length that ignores the page source's indentation.

    (str.count runs in C; this is much cheaper than normalizing the whitespace of a large text.)
    """
    return len(text) - text.count(" ") - text.count("\n") - text.count("\t") - text.count("\r")


def node_text(node: LexborNode | None) -> str:
    """The node's text with whitespace collapsed."""
    return squash(node.text()) if node is not None else ""


def block_paragraphs(node: LexborNode) -> list[str]:
    """The node's text split into paragraphs at block elements and <br> (a <br> keeps a newline).

    Marks the tree in place, so call it on a node whose tree is no longer needed for other text.
    """
    for element in node.traverse():
        tag = element.tag
        if tag in BLOCK_TAGS:
            element.insert_before(PARAGRAPH_MARK)
            element.insert_after(PARAGRAPH_MARK)
        elif tag == "br":
            element.insert_before(LINE_MARK)
    paragraphs = []
    for chunk in node.text().split(PARAGRAPH_MARK):
        lines = [squash(line) for line in chunk.split(LINE_MARK)]
        text = "\n".join(line for line in lines if line)
        if text:
            paragraphs.append(text)
    return paragraphs


def link_text_length(node: LexborNode) -> int:
    """Non-whitespace characters inside the node's links."""
    return sum(text_len(a.text()) for a in node.css("a"))


def link_density(node: LexborNode) -> tuple[float, int]:
    """(share of the node's text inside links, the node's text length), lengths as text_len counts."""
    length = text_len(node.text())
    if not length:
        return 0.0, 0
    return min(1.0, link_text_length(node) / length), length


def attr_string(node: LexborNode) -> str:
    """The node's class and id, lower-cased, for pattern checks."""
    attrs = node.attributes
    return f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()


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
    # A node listed before its ancestor is removed on its own first; that is harmless.
    for node in outermost:
        node.decompose()


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
