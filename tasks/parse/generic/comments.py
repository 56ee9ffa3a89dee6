"""Reader comments from the page markup, each with its author, time and parent, kept apart from the body.

Comment items are found by the conventions comment systems share: ids like `comment-123`
(WordPress, many others), Blogger's `c123`, the class token `comment`, schema.org `Comment`
microdata. Nesting of items gives the reply tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tasks.parse.generic.dates import parse_date, to_utc
from tasks.parse.generic.extracted import ExtractedComment, to_parsed_comments
from tasks.parse.generic.text import block_paragraphs, css_unique, decompose_all, squash, text_len

if TYPE_CHECKING:
    from schemas.pipeline import ParsedComment

_WORD = r"(?:comment|kommentar|commentaire|comentario|commento|komentarz|reactie)"
# "comment-123", "li-comment-123", "xenforo-comment-123", Blogger's "c123".
_ID_ITEM = re.compile(rf"(?:^|[-_]){_WORD}s?[-_]?(\d+)$|^c(\d{{3,}})$", re.IGNORECASE)
# One comment: "comment", "kb-comment", "c-comment-card", "comment-item"; not "comments", "comment-body".
_CLASS_ITEM = re.compile(
    rf"^(?:[a-z0-9]+[-_])?{_WORD}(?:[-_]?(?:item|entry|card|box|wrapper|wrap|container|single|thread-item))?$"
    r"|^(?:single|user)[-_]comment$",
    re.IGNORECASE,
)
# Parts of a comment item by role, best first. Matched on lower-cased class tokens, tag names and
# itemprop values in one walk over the comment subtree (a CSS query per part per comment is slow).
_CONTENT_CLASSES = (
    "comment-content", "comment-text", "comment_text", "commenttext", "comment-body-text", "comment-entry",
    "comment-message", "comment__body", "comment__content", "text", "content", "comment-body", "body",
)  # fmt: skip
_AUTHOR_CLASSES = (
    "fn", "comment-author-name", "comment-author", "comment__author", "comment-user", "author-name",
    "author", "username", "user-name", "nickname", "user", "name",
)  # fmt: skip
_TIME_CLASSES = (
    "comment-date", "comment-time", "comment-meta", "commentmetadata", "comment__date", "date", "datetime",
    "time", "timestamp",
)  # fmt: skip
# Parts of an item that are not what the reader wrote.
_CHROME_CLASSES = frozenset(
    [
        "reply", "comment-reply-link", "comment-reply", "reply-link", "comment-likes", "comment-like",
        "comment-actions", "comment-meta", "commentmetadata", "comment-author", "comment-metadata", "vcard",
        "says", "edit-link", "comment-footer"
    ]
)
_CHROME_TAGS = frozenset(["form", "script", "style", "button", "img", "svg"])
_CONTENT_RANK = {name: rank for rank, name in enumerate(_CONTENT_CLASSES)}
_AUTHOR_RANK = {name: rank for rank, name in enumerate(_AUTHOR_CLASSES)}
_TIME_RANK = {name: rank for rank, name in enumerate(_TIME_CLASSES)}
_LAST = 99
_SAYS = re.compile(
    r"\s*(?:says|said|sagt|schreibt|schrieb|meint|dice|dit|disse|zegt|skriver|napisał|says:)\s*:?\s*$", re.I
)
# Cheap CSS pass before the exact checks in Python: every item candidate has one of these.
# ("omment" matches "comment" and "Comment": case-insensitive selectors are slower.)
ITEM_PREFILTER = "[id*=omment], [class*=omment], [class*=omentar], li[id^=c], [itemtype$=Comment], [itemprop=comment]"
_NOT_ITEMS = frozenset(("a", "span", "p", "textarea", "input", "form", "body", "img", "time", "button"))


def may_be_item(tag: str, attrs: dict[str, str | None]) -> bool:
    """Whether ITEM_PREFILTER selects an element (for elements a wider query found)."""
    node_id = attrs.get("id") or ""
    classes = attrs.get("class") or ""
    return (
        "omment" in node_id
        or "omment" in classes
        or "omentar" in classes
        or (tag == "li" and node_id.startswith("c"))
        or (attrs.get("itemtype") or "").endswith("Comment")
        or attrs.get("itemprop") == "comment"
    )


def _item_key(attrs: dict[str, str | None]) -> tuple[str | None, bool]:
    """(numeric id or None, is a comment item)."""
    node_id = attrs.get("id") or ""
    match = _ID_ITEM.match(node_id) if node_id else None
    if match:
        return match.group(1) or match.group(2), True
    classes = attrs.get("class")
    if classes and _is_item_class(classes):
        return None, True
    itemtype = attrs.get("itemtype") or ""
    return None, itemtype.endswith("/Comment") or attrs.get("itemprop") == "comment"


@lru_cache(maxsize=4096)
def _is_item_class(classes: str) -> bool:
    """Whether a class attribute marks one comment; cached: every comment of a page repeats it."""
    return any(_CLASS_ITEM.match(c) for c in classes.split())


def find_comment_items(
    tree: LexborHTMLParser, found: list[tuple[LexborNode, dict[str, str | None]]] | None = None
) -> list[tuple[LexborNode, str | None]]:
    """Comment item nodes in document order, one per comment (wrappers of the same comment merged).

    `found`: what ITEM_PREFILTER selects in the body, with each element's attributes, when the caller
    has looked already (see marked.py)."""
    if found is None:
        body = tree.body
        found = [(node, node.attributes) for node in css_unique(body, ITEM_PREFILTER)] if body is not None else []
    candidates: list[tuple[LexborNode, str | None]] = []
    for node, attrs in found:
        if node.tag in _NOT_ITEMS:
            continue
        number, is_item = _item_key(attrs)
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


def clean_author(text: str) -> str:
    text = _SAYS.sub("", squash(text))
    text = text.split("|")[0].strip(" :-–—")
    return text if len(text) <= 80 else ""


class _Parts:
    """The best author, time and content node of one comment item, and its chrome."""

    __slots__ = ("author", "chrome", "content", "nested", "time")

    def __init__(self) -> None:
        self.author: tuple[int, LexborNode] | None = None
        self.time: tuple[int, LexborNode] | None = None
        self.content: tuple[int, LexborNode] | None = None
        self.chrome: list[LexborNode] = []
        self.nested: list[LexborNode] = []  # direct child items (replies)


def _offer(current: tuple[int, LexborNode] | None, rank: int, node: LexborNode) -> tuple[int, LexborNode] | None:
    return (rank, node) if rank < _LAST and (current is None or rank < current[0]) else current


def _survey(items: list[tuple[LexborNode, str | None]], item_ids: set[int]) -> dict[int, _Parts]:
    """One walk over each top-level item: every node is credited to its nearest comment item."""
    parts = {node.mem_id: _Parts() for node, _ in items}
    owner: dict[int, int] = {}
    for root, _ in items:
        if root.mem_id in owner:
            continue  # inside an item already walked
        for node in root.traverse():
            key = node.mem_id
            parent = node.parent
            parent_owner = owner.get(parent.mem_id) if parent is not None else None
            if key in item_ids:
                owner[key] = key
                if parent_owner is not None:
                    parts[parent_owner].nested.append(node)
                continue
            if parent_owner is None:
                continue
            owner[key] = parent_owner
            _classify(node, parts[parent_owner])
    return parts


def _classify(node: LexborNode, part: _Parts) -> None:
    tag = node.tag
    if tag in _CHROME_TAGS:
        part.chrome.append(node)
        return
    attrs = node.attributes
    if tag in ("cite", "strong", "b"):
        part.author = _offer(part.author, len(_AUTHOR_CLASSES) + ("cite", "strong", "b").index(tag), node)
    if not attrs:
        return  # most nodes of a comment: its paragraphs, links, line breaks
    itemprop = attrs.get("itemprop")
    if tag == "time" and "datetime" in attrs:
        part.time = _offer(part.time, -2, node)
    elif itemprop in ("dateCreated", "datePublished"):
        part.time = _offer(part.time, -1, node)
    elif itemprop in ("text", "commentText"):
        part.content = _offer(part.content, -1, node)
    elif itemprop in ("author", "creator") or (itemprop == "name" and part.author is None):
        part.author = _offer(part.author, -1, node)
    classes = attrs.get("class")
    if classes:
        content, author, time, chrome = _class_roles(classes)
        part.content = _offer(part.content, content, node)
        part.author = _offer(part.author, author, node)
        part.time = _offer(part.time, time, node)
        if chrome:
            part.chrome.append(node)


@lru_cache(maxsize=4096)
def _class_roles(classes: str) -> tuple[int, int, int, bool]:
    """(content, author, time rank, chrome) of a class attribute; cached: every comment repeats it."""
    content = author = time = _LAST
    chrome = False
    for token in classes.lower().split():
        if "comment-" in token and not token.startswith("comment-"):
            token = token[token.index("comment-") :]  # "wp-block-comment-content" -> "comment-content"
        content = min(content, _CONTENT_RANK.get(token, _LAST))
        author = min(author, _AUTHOR_RANK.get(token, _LAST))
        time = min(time, _TIME_RANK.get(token, _LAST))
        chrome = chrome or token in _CHROME_CLASSES
    return content, author, time, chrome


def _comment_text(item: LexborNode, part: _Parts) -> tuple[str, str]:
    root = part.content[1] if part.content is not None else item
    keep: set[int] = set()  # the content root and its ancestors inside the item: never chrome
    node: LexborNode | None = root
    while node is not None and node.mem_id != item.mem_id:
        keep.add(node.mem_id)
        node = node.parent
    decompose_all([n for n in part.nested if n.mem_id not in keep])
    decompose_all([n for n in part.chrome if n.mem_id not in keep])
    html = root.html or ""
    return "\n\n".join(block_paragraphs(root)), html


def read_time(node: LexborNode) -> datetime | None:
    attrs = node.attributes
    raw = attrs.get("datetime") or attrs.get("content") or attrs.get("title")
    return parse_date(raw) or parse_date(squash(node.text()))


@dataclass
class CommentSection:
    """The page's comments in document order, the item nodes to keep out of the body, and the name
    on a comment the page marks as the post author's own (WordPress's `bypostauthor`), or ""."""

    comments: list[ExtractedComment]
    nodes: list[LexborNode]
    post_author: str = ""


@dataclass
class ParsedCommentSection:
    """CommentSection with the pipeline's comment models (what tasks.comments reads)."""

    comments: list[ParsedComment]
    nodes: list[LexborNode]
    post_author: str = ""


def extract_comments(
    tree: LexborHTMLParser, found: list[tuple[LexborNode, dict[str, str | None]]] | None = None
) -> ParsedCommentSection:
    """The page's comments as the pipeline's models (see read_comments)."""
    section = read_comments(tree, found)
    return ParsedCommentSection(to_parsed_comments(section.comments), section.nodes, section.post_author)


def read_comments(
    tree: LexborHTMLParser, found: list[tuple[LexborNode, dict[str, str | None]]] | None = None
) -> CommentSection:
    """Read the page's comments (see CommentSection; `found` as for find_comment_items)."""
    items = find_comment_items(tree, found)
    item_ids = {node.mem_id for node, _ in items}
    by_post_author = {node.mem_id for node, _ in items if "bypostauthor" in (node.attributes.get("class") or "")}
    site_ids: dict[int, str] = {}
    parents: dict[int, int | None] = {}
    for position, (node, number) in enumerate(items, 1):
        site_ids[node.mem_id] = number or f"pos-{position}"
        parents[node.mem_id] = _nearest_item(node, item_ids)
    parts = _survey(items, item_ids)
    # Author and time first: the text pass below cuts chrome (where they live) out of the tree.
    meta: dict[int, tuple[str, datetime | None]] = {}
    for node, _ in items:
        part = parts[node.mem_id]
        author = clean_author(part.author[1].text(separator=" ")) if part.author is not None else ""
        posted_at = to_utc(read_time(part.time[1])) if part.time is not None else None
        meta[node.mem_id] = (author, posted_at)
    # Innermost first, so a reply's text is read before its parent cuts it out.
    texts = {node.mem_id: _comment_text(node, parts[node.mem_id]) for node, _ in reversed(items)}
    comments: list[ExtractedComment] = []
    for node, _ in items:
        text, html = texts[node.mem_id]
        if not text:
            continue
        parent = parents[node.mem_id]
        author, posted_at = meta[node.mem_id]
        comments.append(
            ExtractedComment(
                site_id=site_ids[node.mem_id],
                parent_site_id=site_ids[parent] if parent is not None else None,
                author=author,
                posted_at=posted_at,
                text=text,
                html=html,
            )
        )
    post_author = next((meta[key][0] for key in by_post_author if meta[key][0]), "")
    # Replies went with their parents above; only top-level items are still in the tree.
    return CommentSection(comments, [node for node, _ in items if parents[node.mem_id] is None], post_author)


def _nearest_item(node: LexborNode, item_ids: set[int]) -> int | None:
    parent = node.parent
    while parent is not None:
        if parent.mem_id in item_ids:
            return parent.mem_id
        parent = parent.parent
    return None

