"""Article bodies: sanitized HTML, clean paragraph text, word count, content hash."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from selectolax.lexbor import LexborHTMLParser, LexborNode

from warehouse.safe_html import clean_html

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
_TRAILER_HINT = "appeared"  # a body without the word needs no parse for the trailer
_WORD = re.compile(r"\w+(?:[’'\-]\w+)*", re.UNICODE)


def sanitize_html(html: str, base_url: str | None = None) -> str:
    """Safe, allowlisted HTML (see warehouse/safe_html.py) without the feed trailer paragraph; relative links
    and images resolved against `base_url`, the page the HTML came from."""
    if _TRAILER_HINT in html.lower():
        html = _drop_trailer(html)
    return clean_html(html, base_url)


def _drop_trailer(html: str) -> str:
    tree = LexborHTMLParser(f"<div id='wirehouse-body'>{html}</div>")
    root = tree.css_first("#wirehouse-body")
    if root is None:
        return html
    for paragraph in root.css("p"):
        if _TRAILER.match(paragraph.text()):
            paragraph.decompose()
    return root.inner_html or ""


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
