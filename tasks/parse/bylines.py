"""Text and byline helpers shared by the article and comment parsers.

Two kinds of helpers live here: turning a DOM node into paragraph text / safe HTML, and recognising the
lines an article body carries about its authors ("Author: Jason Ditz", "By Dave DeCamp", the bio line
that follows) so they can be moved out of the body. Names are split as tasks.normalize.people splits them.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from tasks.normalize import people

BLOCK_TAGS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "center", "dd", "details", "dialog", "div", "dl"),
        *("dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6"),
        *("header", "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table"),
        *("tbody", "thead", "tfoot", "tr", "td", "th", "ul"),
    }
)
# Never content: dropped from text and from the HTML we keep.
UNSAFE_TAGS = frozenset(
    {
        *("script", "style", "noscript", "template", "form", "ins", "iframe", "object", "embed", "button"),
        *("select", "textarea"),
    }
)
_UNSAFE_SELECTOR = ", ".join(sorted(UNSAFE_TAGS))
_WS = re.compile(r"[ \t\r\n\f\u00a0\u200b]+")


def collapse_ws(text: str) -> str:
    """Collapse runs of whitespace (including nbsp) to one space and strip the ends."""
    return _WS.sub(" ", text).strip()


def is_blank(text: str) -> bool:
    """`not collapse_ws(text)`, without the regex: nothing but whitespace and zero-width spaces."""
    return not text.replace("\u200b", "").strip()


def block_text(node: LexborNode | None) -> str:
    """Paragraph text of a node: block elements become paragraph breaks ("\\n\\n"), <br> a line break,
    inline whitespace collapsed."""
    if node is None:
        return ""
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        lines = [collapse_ws(line) for line in "".join(current).split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            paragraphs.append(text)
        current.clear()

    # Iterative walk with explicit exit markers: real pages nest deeper than Python's recursion limit.
    stack: list[tuple[LexborNode, bool]] = [(node, False)]
    while stack:
        item, leaving = stack.pop()
        tag = item.tag or ""
        if leaving:
            if tag in BLOCK_TAGS:
                flush()
            continue
        if tag == "-text":
            current.append((item.text_content or "").replace("\n", " "))
            continue
        if tag.startswith("-") or tag in UNSAFE_TAGS:
            continue  # comments, doctype, scripts...
        if tag == "br":
            current.append("\n")
            continue
        if tag in BLOCK_TAGS:
            flush()
        stack.append((item, True))
        children = list(item.iter(include_text=True))
        stack.extend((child, False) for child in reversed(children))
    flush()
    return "\n\n".join(paragraphs)


def select_within(node: LexborNode, selector: str) -> list[LexborNode]:
    """Descendants matching selector; lexbor's node.css() also matches the node itself."""
    return [match for match in node.css(selector) if match.mem_id != node.mem_id]


def first_within(node: LexborNode, selector: str) -> LexborNode | None:
    return next(iter(select_within(node, selector)), None)


def sanitize(node: LexborNode) -> None:
    """Remove scripts, forms, ads, HTML comments and event-handler attributes from a node, in place."""
    for bad in select_within(node, _UNSAFE_SELECTOR):
        bad.decompose()
    for item in list(node.traverse(include_text=False)):
        if item.is_comment_node:
            item.decompose()
            continue
        attrs = item.attrs
        for name in [k for k in attrs.keys() if k.lower().startswith("on")]:  # noqa: SIM118
            del attrs[name]
        for name in ("href", "src"):
            value = attrs.get(name)
            if value and value.strip().lower().startswith("javascript:"):
                del attrs[name]


def sanitized_inner_html(node: LexborNode | None) -> str:
    """The node's inner HTML without unsafe elements, leaving the original tree untouched."""
    if node is None:
        return ""
    copy = node.clone()
    sanitize(copy)
    return (copy.inner_html or "").strip()


# --- bylines -------------------------------------------------------------------------------------------

_POSTS_BY = re.compile(
    r"^(?:view all (?:posts|articles) by (?P<a>.+?)|view all of (?P<b>.+?)['’]s (?:posts|articles))\.?$", re.I
)
_AUTHOR_LINE = re.compile(r"^\s*(?:authors?|written by)\s*:\s*(?P<names>.+?)\s*$", re.I)
# "By Dave DeCamp", "By Ron Paul and Daniel McAdams": only capitalised name-like words, no sentence.
_NAME_WORD = r"(?:[A-Z][\w'’.\-]*|de|da|del|der|van|von|la|le|al|bin|ibn)"
_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}"
_BY_LINE = re.compile(rf"^\s*(?i:by)\s+(?P<names>{_NAME}(?:\s*(?:,|&|\band\b)\s*{_NAME})*)\s*$")


def split_byline(text: str) -> list[str]:
    """Names in a byline string ("Author: A and B", "View all posts by A"), as tasks.normalize.people reads them."""
    text = collapse_ws(text)
    posts_by = _POSTS_BY.match(text)
    if posts_by:
        text = posts_by.group("a") or posts_by.group("b") or ""
    return people.split_byline(text)


def author_line_names(text: str) -> list[str]:
    """Names from an "Author: NAME" line (Antiwar news puts it at the end of the body), else []."""
    match = _AUTHOR_LINE.match(collapse_ws(text))
    return split_byline(match.group("names")) if match and len(text) <= 200 else []


def by_line_names(text: str) -> list[str]:
    """Names from a paragraph that is only a "By NAME" byline, else [] ("By the time..." is not one)."""
    text = collapse_ws(text)
    if len(text) > 120:
        return []
    match = _BY_LINE.match(text)
    if not match:
        return []
    return split_byline(match.group("names"))


def bio_owner(text: str, names: list[str]) -> str | None:
    """The author a paragraph is a bio of: it opens with that author's name ("Jason Ditz is ...") or a way bios
    write it ("James W. Carden is ..." for James Carden, "Dr. Behnam is ..." for M. Reza Behnam)."""
    text = collapse_ws(text)
    if not text or len(text) > 1000:
        return None
    for name in names:
        if text.startswith(name) and text[len(name) : len(name) + 1] in (" ", ",", "'", "’"):
            return name if _says_more(text, name) else None
    opening = _opening_name(text)
    if opening:
        for name in names:
            if people.names_same_person(opening, name):
                return name if _says_more(text, opening) else None
    return None


def _says_more(text: str, name: str) -> bool:
    """A bio says something after the name: a byline box that prints the name alone is no bio."""
    return len(text[len(name) :].split()) >= 2


# The words a name can open a bio with: capitalised words, initials, titles, particles, a suffix.
_OPENING_WORD = re.compile(rf"^(?:{_NAME_WORD}|[A-Z]\.)$")


def _opening_name(text: str) -> str:
    """The capitalised words a paragraph opens with, up to the first other word: "James W. Carden" of
    "James W. Carden is the author of ...", "" when it opens otherwise."""
    words: list[str] = []
    for word in text.split()[:6]:
        bare = word.rstrip(",;:")
        if not _OPENING_WORD.match(bare) or bare.lower() in _NOT_NAME_WORDS:
            break
        possessive = bare.endswith(("’s", "'s"))
        words.append(bare[:-2] if possessive else bare)
        if possessive or bare != word:  # "Ron Paul, a former congressman": a comma or "’s" ends the name
            break
    return " ".join(words) if len(words) >= 2 else ""


# Capitalised words that open sentences, never names.
_NOT_NAME_WORDS = frozenset(
    {"the", "a", "an", "this", "that", "he", "she", "they", "it", "in", "on", "at", "his", "her"}
)
