"""Reader comments from the page markup, each with its author, time and parent, kept apart from the body.

Comment items are found by the conventions comment systems share: ids like `comment-123`
(WordPress, many others), Blogger's `c123`, the class token `comment`, schema.org `Comment`
microdata. Nesting of items gives the reply tree.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from schemas.pipeline import ParsedComment
from tasks.parse.generic.dates import parse_date
from tasks.parse.generic.text import block_paragraphs, decompose_all, squash, text_len

_WORD = r"(?:comment|kommentar|commentaire|comentario|commento|komentarz|reactie)"
# "comment-123", "li-comment-123", "xenforo-comment-123", Blogger's "c123".
_ID_ITEM = re.compile(rf"(?:^|[-_]){_WORD}s?[-_]?(\d+)$|^c(\d{{3,}})$", re.IGNORECASE)
# One comment: "comment", "kb-comment", "c-comment-card", "comment-item"; not "comments", "comment-body".
_CLASS_ITEM = re.compile(
    rf"^(?:[a-z0-9]+[-_])?{_WORD}(?:[-_]?(?:item|entry|card|box|wrapper|wrap|container|single|thread-item))?$"
    r"|^(?:single|user)[-_]comment$",
    re.IGNORECASE,
)
_CONTENT_SELECTORS = (
    ".comment-content", ".comment-text", ".comment_text", ".commentText", ".comment-body-text",
    '[itemprop="text"]', '[itemprop="commentText"]', ".comment-entry", ".comment-message", ".comment__body",
    ".comment__content", ".comment-container .text", ".text", ".content", ".comment-body", ".body",
)  # fmt: skip
_AUTHOR_SELECTORS = (
    ".comment-author .fn", ".fn", '[itemprop="author"] [itemprop="name"]', '[itemprop="author"]',
    ".comment-author-name", ".comment-author", ".comment__author", ".comment-user", ".author-name",
    ".author", ".username", ".user-name", ".user", ".name", "cite", "strong", "b",
)  # fmt: skip
_TIME_SELECTORS = (
    "time[datetime]", '[itemprop="dateCreated"]', '[itemprop="datePublished"]', ".comment-date",
    ".comment-time", ".comment-meta", ".commentmetadata", ".comment__date", ".date", ".datetime",
    ".time", '[class*="date"]', '[class*="time"]',
)  # fmt: skip
# Parts of an item that are not what the reader wrote.
_CHROME = (
    ".reply", ".comment-reply-link", ".comment-reply", ".reply-link", ".comment-likes", ".comment-like",
    ".comment-actions", ".comment-meta", ".commentmetadata", ".comment-author", ".comment-metadata",
    ".vcard", "form", "script", "style", "button", "img", "svg", ".says", ".edit-link",
)  # fmt: skip
_SAYS = re.compile(
    r"\s*(?:says|said|sagt|schreibt|schrieb|meint|dice|dit|disse|zegt|skriver|napisał|says:)\s*:?\s*$", re.I
)
# Cheap CSS pass before the exact checks in Python: every item candidate has one of these.
_ITEM_PREFILTER = (
    '[id*="omment" i], [class*="omment" i], [class*="omentar" i], [class*="reactie" i], li[id^="c"], '
    '[itemtype], [itemprop="comment"]'
)
# Exact names only (substring selectors are slow); the body's chrome filter catches the rest.
_COMMENT_SECTION_SELECTORS = (
    "#comments", ".comments", "#respond", ".comment-respond", ".comments-area", "#disqus_thread",
    ".commentlist", ".comment-list", ".comments-list", "#comment-section", ".comment-section",
)  # fmt: skip


def _item_key(node: LexborNode) -> tuple[str | None, bool]:
    """(numeric id or None, is a comment item)."""
    attrs = node.attributes
    node_id = attrs.get("id") or ""
    match = _ID_ITEM.match(node_id) if node_id else None
    if match:
        return match.group(1) or match.group(2), True
    classes = (attrs.get("class") or "").split()
    if any(_CLASS_ITEM.match(c) for c in classes):
        return None, True
    itemtype = attrs.get("itemtype") or ""
    return None, itemtype.endswith("/Comment") or attrs.get("itemprop") == "comment"


def find_comment_items(tree: LexborHTMLParser) -> list[tuple[LexborNode, str | None]]:
    """Comment item nodes in document order, one per comment (wrappers of the same comment merged)."""
    body = tree.body
    if body is None:
        return []
    candidates: list[tuple[LexborNode, str | None]] = []
    for node in body.css(_ITEM_PREFILTER):
        if node.tag in ("a", "span", "p", "textarea", "input", "form", "body", "img", "time", "button"):
            continue
        number, is_item = _item_key(node)
        if is_item:
            candidates.append((node, number))
    if not candidates:
        return []
    ids = {node.mem_id: (node, number) for node, number in candidates}
    keep: list[tuple[LexborNode, str | None]] = []
    dropped: set[int] = set()
    for node, number in candidates:
        ancestor = _nearest(node, ids)
        if ancestor is None:
            keep.append((node, number))
            continue
        outer, outer_number = ids[ancestor]
        same = number is not None and number == outer_number
        wrapper = not same and text_len(outer.text()) - text_len(node.text()) < 20
        if same or wrapper:
            dropped.add(node.mem_id)
            if outer_number is None and number is not None and outer.mem_id not in dropped:
                ids[ancestor] = (outer, number)
            continue
        keep.append((node, number))
    return [(node, ids[node.mem_id][1]) for node, _ in keep]


def _nearest(node: LexborNode, ids: dict[int, tuple[LexborNode, str | None]]) -> int | None:
    parent = node.parent
    while parent is not None:
        if parent.mem_id in ids:
            return parent.mem_id
        parent = parent.parent
    return None


def _first_own(item: LexborNode, selectors: tuple[str, ...], nested: set[int]) -> LexborNode | None:
    """The first node matching any selector that belongs to this item, not to a nested reply."""
    for selector in selectors:
        for node in item.css(selector):
            if not _in_nested(node, item, nested):
                return node
    return None


def _in_nested(node: LexborNode, item: LexborNode, nested: set[int]) -> bool:
    parent: LexborNode | None = node
    while parent is not None and parent.mem_id != item.mem_id:
        if parent.mem_id in nested:
            return True
        parent = parent.parent
    return False


def _clean_author(text: str) -> str:
    text = _SAYS.sub("", squash(text))
    text = text.split("|")[0].strip(" :-–—")
    return text if len(text) <= 80 else ""


def _comment_text(item: LexborNode, nested: set[int]) -> tuple[str, str]:
    content = _first_own(item, _CONTENT_SELECTORS, nested)
    root = content if content is not None else item
    decompose_all([n for n in root.traverse() if n.mem_id in nested and n.mem_id != root.mem_id])
    for selector in _CHROME:
        decompose_all([n for n in root.css(selector) if n.mem_id != root.mem_id])
    html = root.html or ""
    return "\n\n".join(block_paragraphs(root)), html


def extract_comments(tree: LexborHTMLParser) -> tuple[list[ParsedComment], list[LexborNode]]:
    """The page's comments in document order, and the nodes (items, sections) to keep out of the body."""
    items = find_comment_items(tree)
    item_ids = {node.mem_id for node, _ in items}
    comments: list[ParsedComment] = []
    site_ids: dict[int, str] = {}
    parents: dict[int, int | None] = {}
    for position, (node, number) in enumerate(items, 1):
        site_ids[node.mem_id] = number or f"pos-{position}"
        parents[node.mem_id] = _nearest_item(node, item_ids)
    # Gather metadata before any node is cut out of its item.
    records = []
    for node, _ in items:
        nested = {n.mem_id for n in node.traverse() if n.mem_id in item_ids and n.mem_id != node.mem_id}
        author_node = _first_own(node, _AUTHOR_SELECTORS, nested)
        author = _clean_author(author_node.text(separator=" ")) if author_node is not None else ""
        time_node = _first_own(node, _TIME_SELECTORS, nested)
        posted_at = None
        if time_node is not None:
            attrs = time_node.attributes
            posted_at = parse_date(attrs.get("datetime") or attrs.get("content") or squash(time_node.text()))
            if posted_at is None:
                posted_at = parse_date(squash(time_node.text()))
        records.append((node, nested, author, posted_at))
    # Innermost first, so a reply's text is read before its parent removes it from the tree.
    texts: dict[int, tuple[str, str]] = {}
    for node, nested, _, _ in reversed(records):
        texts[node.mem_id] = _comment_text(node, nested)
    for node, _, author, posted_at in records:
        text, html = texts[node.mem_id]
        if not text:
            continue
        parent = parents[node.mem_id]
        comments.append(
            ParsedComment(
                site_id=site_ids[node.mem_id],
                parent_site_id=site_ids[parent] if parent is not None else None,
                author=author,
                posted_at=posted_at,
                text=text,
                html=html,
            )
        )
    # Replies went with their parents' removal above; only top-level items are still attached.
    remove = [node for node, _ in items if parents[node.mem_id] is None]
    return comments, remove


def _nearest_item(node: LexborNode, item_ids: set[int]) -> int | None:
    parent = node.parent
    while parent is not None:
        if parent.mem_id in item_ids:
            return parent.mem_id
        parent = parent.parent
    return None


def comment_sections(tree: LexborHTMLParser) -> list[LexborNode]:
    """Containers that hold comments or the comment form (kept out of the body)."""
    return list(tree.css(", ".join(_COMMENT_SECTION_SELECTORS)))
