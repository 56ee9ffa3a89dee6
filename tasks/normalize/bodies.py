"""Article bodies: sanitized HTML, clean paragraph text, word count, content hash."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from selectolax.lexbor import LexborHTMLParser, LexborNode

# Tags a body may keep; everything else is unwrapped (its text kept) or, for _DROP, removed whole.
_ALLOWED = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "q",
    "a",
    "em",
    "strong",
    "b",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "code",
    "pre",
    "figure",
    "figcaption",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "hr",
    "cite",
    "abbr",
    "time",
}
_DROP = "script, style, noscript, iframe, form, button, input, select, textarea, svg, object, embed, template"
_KEEP_ATTRS = {
    "a": {"href", "title"},
    "img": {"src", "alt"},
    "time": {"datetime"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
_BLOCKS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "pre",
    "figcaption",
    "tr",
    "table",
    "div",
    "section",
    "article",
    "ul",
    "ol",
    "figure",
    "hr",
    "header",
    "footer",
    "caption",
    "dd",
    "dt",
}
_TRAILER = re.compile(r"^\s*The post .{1,300} appeared first on .{1,200}\.?\s*$", re.IGNORECASE | re.DOTALL)
_WORD = re.compile(r"\w+(?:[’'\-]\w+)*", re.UNICODE)


def sanitize_html(html: str) -> str:
    """Keep structure and links, drop scripts, styles, classes and inline handlers."""
    tree = LexborHTMLParser(f"<div id='wirehouse-body'>{html}</div>")
    root = tree.css_first("#wirehouse-body")
    if root is None:
        return ""
    for node in root.css(_DROP):
        node.decompose()
    for node in list(root.traverse(include_text=False))[1:]:  # [0] is the wrapper itself
        if node.tag is None or node.tag.startswith("-"):
            continue
        tag = node.tag.lower()
        if tag not in _ALLOWED:
            node.unwrap()
            continue
        allowed = _KEEP_ATTRS.get(tag, set())
        for name in list(node.attributes):
            value = node.attributes.get(name) or ""
            if name not in allowed or value.strip().lower().startswith("javascript:"):
                del node.attrs[name]
    for paragraph in root.css("p"):
        if _TRAILER.match(paragraph.text()):
            paragraph.decompose()
    return unicodedata.normalize("NFC", (root.inner_html or "").strip())


def html_to_text(html: str) -> str:
    """Paragraph text: blocks become paragraphs joined by a blank line, inline whitespace collapsed."""
    tree = LexborHTMLParser(f"<div id='wirehouse-body'>{html}</div>")
    root = tree.css_first("#wirehouse-body")
    if root is None:
        return ""
    for node in root.css("script, style, noscript, template"):
        node.decompose()
    paragraphs: list[str] = []
    current: list[str] = []
    _collect_text(root, paragraphs, current)
    _flush(paragraphs, current)
    text = "\n\n".join(p for p in paragraphs if not _TRAILER.match(p))
    return unicodedata.normalize("NFC", text)


def _collect_text(node: LexborNode, paragraphs: list[str], current: list[str]) -> None:
    child = node.child
    while child is not None:
        tag = (child.tag or "").lower()
        if tag == "-text":
            current.append(child.text_content or "")
        elif tag == "br":
            current.append("\n")
        elif tag in _BLOCKS:
            _flush(paragraphs, current)
            _collect_text(child, paragraphs, current)
            _flush(paragraphs, current)
        elif not tag.startswith("-"):
            _collect_text(child, paragraphs, current)
        child = child.next


def _flush(paragraphs: list[str], current: list[str]) -> None:
    if not current:
        return
    lines = ["".join(" ".join(line.split())) for line in "".join(current).split("\n")]
    text = "\n".join(line for line in lines if line)
    if text:
        paragraphs.append(text)
    current.clear()


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def content_hash(*parts: str | None) -> str:
    """sha256 over the parts that make a version of a thing; unchanged content -> same hash."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update((part or "").encode("utf-8"))
        digest.update(b"\x1f")
    return digest.hexdigest()


def normalize_text(text: str) -> str:
    """NFC, no stray whitespace at paragraph ends, no more than one blank line between paragraphs."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\u00a0", " "))
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def is_feed_trailer(text: str) -> bool:
    """WordPress feed boilerplate that some sites leave in bodies: "The post X appeared first on Y."."""
    return bool(_TRAILER.match(text))
