"""WordPress native comment threads, read from the page markup exactly as the page nests them.

Classic themes: ``ol.commentlist``/``ol.comment-list`` of ``li.comment#comment-N`` with replies in
``ol.children``. Block themes: ``ol.wp-block-comment-template`` with replies in plain nested ``<ol>``.
Both are read the same way: a comment's parent is the nearest enclosing comment item, so whatever the list
classes, the parent links reproduce the page's tree (a reply past the thread limit is drawn as a sibling
by WordPress, and so it is read as one).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from schemas.pipeline import ParsedComment
from tasks.parse.bylines import block_text, collapse_ws, is_blank, sanitize, select_within

COMMENT_LIST_SELECTOR = (
    "ol.commentlist, ol.comment-list, ul.commentlist, ul.comment-list, ol.wp-block-comment-template, "
    "ul.wp-block-comment-template, div.commentlist, div.comment-list, ol#commentlist, ul#commentlist"
)
_ITEM_ID = re.compile(r"^(?:li-)?comment-(\d+)$")
_INNER_ID = re.compile(r"^(?:div-)?comment-(\d+)$")
_SKIPPED_KINDS = frozenset({"pingback", "trackback"})
_ITEM_CLASSES = frozenset({"comment", "pingback", "trackback"})

_AUTHOR_SELECTORS = (
    ".comment-author .fn",
    ".comment-author-name",
    ".comment__author-name",
    ".wp-block-comment-author-name",
    ".comment-author cite",
    ".comment-author",
    "cite.fn",
    ".fn",
    "cite .url",
    "cite",
)
_DATE_TEXT_SELECTORS = (
    ".comment-metadata a",
    ".commentmetadata a",
    ".comment-meta a",
    ".wp-block-comment-date",
    ".comment-metadata",
    ".commentmetadata",
    ".comment-date",
)
_CONTENT_SELECTORS = (".comment-content", ".wp-block-comment-content", ".comment-text", ".comment-entry")
# Parts of a comment body that are not what the commenter wrote.
_NOT_CONTENT = (
    ".comment-author, .comment-meta, .commentmetadata, .comment-metadata, .reply, .comment-reply-link, "
    ".vcard, .avatar, .comment-awaiting-moderation, .says, .children"
)
_SAYS = re.compile(r"\s*says:?\s*$", re.I)
# In a name box, what is not the name: the reply link, the date and the comment's meta line.
_NOT_NAME = ".comment-reply-link, .reply, time, .comment-date, .comment-meta, .comment-metadata, .commentmetadata"
# Old themes sign a comment "<cite>Comment by NAME — date</cite>".
_SIGNATURE = re.compile(r"^(?:comment by\s+)?(?P<name>.+?)(?:\s+[—–-]\s+.*)?$", re.I)


# --- dates ---------------------------------------------------------------------------------------------

_TEXT_DATE_FORMATS = (
    "%B %d, %Y at %I:%M %p",
    "%B %d, %Y at %H:%M",
    "%b %d, %Y at %I:%M %p",
    "%B %d, %Y %I:%M %p",
    "%b %d, %Y %I:%M %p",
    "%d %B %Y at %H:%M",
    "%d %B %Y at %I:%M %p",
    "%d. %B %Y at %H:%M",
    "%d %B %Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d at %I:%M %p",
    "%Y/%m/%d at %H:%M",
    "%B %d, %Y",
    "%b %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%Y-%m-%d",
    "%Y/%m/%d",
)


def parse_wp_datetime(value: str | None) -> datetime | None:
    """A timezone-aware UTC datetime from ISO 8601 or a common WordPress display format; naive means UTC."""
    if not value:
        return None
    text = collapse_ws(value)
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        # WordPress writes "9:02 am"/"9:02 pm"; strptime's %p wants AM/PM in the C locale.
        cleaned = re.sub(
            r"\b(a\.?m\.?|p\.?m\.?)$", lambda m: m.group(1).replace(".", "").upper(), text, flags=re.I
        )
        cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", cleaned)
        for fmt in _TEXT_DATE_FORMATS:
            try:
                parsed = datetime.strptime(cleaned, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


# --- comments ------------------------------------------------------------------------------------------


def _as_node(root: LexborNode | str) -> LexborNode | None:
    if isinstance(root, LexborNode):
        return root
    try:
        return LexborHTMLParser(root or "").root
    except Exception:  # lexbor refuses some binary input; garbage in, nothing out
        return None


def _classes(node: LexborNode) -> set[str]:
    return set((node.attributes.get("class") or "").split())


def _is_item(node: LexborNode) -> bool:
    if node.tag not in ("li", "div", "article"):
        return False
    return bool(_classes(node) & _ITEM_CLASSES) or bool(_ITEM_ID.match(node.attributes.get("id") or ""))


def _outermost_lists(root: LexborNode) -> list[LexborNode]:
    """Comment lists that are not inside another comment list (block themes nest their template class)."""
    found = root.css(COMMENT_LIST_SELECTOR)  # lexbor includes root itself when it matches
    ids = {n.mem_id for n in found}
    result: list[LexborNode] = []
    for node in found:
        parent = node.parent
        while parent is not None and parent.mem_id not in ids:
            parent = parent.parent
        if parent is None:
            result.append(node)
    return result


def _owner(node: LexborNode, stop_ids: set[int]) -> int | None:
    """mem_id of the nearest comment item enclosing node.

    Some themes close a comment's <li> before its replies' `ul.children` (WordPress.com's older ones): such a
    list belongs to the comment item right before it, as WordPress's own depth-N classes on the replies say.
    """
    parent = node.parent
    while parent is not None:
        if parent.mem_id in stop_ids:
            return parent.mem_id
        if "children" in _classes(parent) and parent.tag in ("ul", "ol"):
            previous = _previous_element(parent)
            if previous is not None and previous.mem_id in stop_ids:
                return previous.mem_id
        parent = parent.parent
    return None


def _previous_element(node: LexborNode) -> LexborNode | None:
    previous = node.prev
    while previous is not None and not previous.is_element_node:
        previous = previous.prev
    return previous


def _own_first(item: LexborNode, selector: str, item_ids: set[int]) -> LexborNode | None:
    """First match of selector that belongs to this comment, not to one of its replies."""
    for match in select_within(item, selector):
        return match if _owner(match, item_ids) == item.mem_id else None
    return None


def _site_id(item: LexborNode) -> str | None:
    match = _ITEM_ID.match(item.attributes.get("id") or "")
    if match:
        return match.group(1)
    # li#li-comment-N or a bare li.comment carrying the id on an inner div#comment-N / article#div-comment-N
    for inner in select_within(item, "[id]"):
        if inner.tag == "li" and _is_item(inner):
            break  # reached a reply
        match = _INNER_ID.match(inner.attributes.get("id") or "")
        if match:
            return match.group(1)
    return None


def _author(item: LexborNode, item_ids: set[int]) -> str:
    for selector in _AUTHOR_SELECTORS:
        node = _own_first(item, selector, item_ids)
        if node is not None:
            name = _SAYS.sub("", collapse_ws(_name_part(node).text()))
            if node.tag == "cite" and (signature := _SIGNATURE.match(name)):
                name = signature.group("name")
            if name:
                return name
    return ""


def _name_part(node: LexborNode) -> LexborNode:
    """A .comment-author box without a name element can also hold the date and the reply link ("Ben 19. Juni
    2018 um 15:28 Uhr - Antworten"): its emphasised name ("<strong>Ben</strong>") or its own text without them."""
    if "comment-author" not in (node.attributes.get("class") or "").split():
        return node
    for emphasised in select_within(node, "strong, b"):
        if not is_blank(emphasised.text()):
            return emphasised
    copy = node.clone()
    _drop(copy, _NOT_NAME)
    return copy


def _posted_at(item: LexborNode, item_ids: set[int]) -> datetime | None:
    node = _own_first(item, "time[datetime]", item_ids)
    if node is not None:
        parsed = parse_wp_datetime(node.attributes.get("datetime"))
        if parsed:
            return parsed
    for selector in _DATE_TEXT_SELECTORS:
        node = _own_first(item, selector, item_ids)
        if node is not None:
            parsed = parse_wp_datetime(node.text())
            if parsed:
                return parsed
    return None


def _content(item: LexborNode, item_ids: set[int]) -> tuple[str, str]:
    """(text, sanitized html) of what the commenter wrote."""
    for selector in _CONTENT_SELECTORS:
        node = _own_first(item, selector, item_ids)
        if node is not None:
            copy = node.clone()
            _drop(copy, ".comment-awaiting-moderation, .reply, .comment-reply-link")
            sanitize(copy)
            return block_text(copy), (copy.inner_html or "").strip()
    # Older themes: the <p>s of .comment-body (or of the item itself) after author/meta/reply parts.
    body = _own_first(item, ".comment-body", item_ids) or item
    copy = body.clone()
    _drop(copy, f"{_NOT_CONTENT}, ol, ul, li")
    sanitize(copy)
    # a paragraph that is only the <cite> signature is not content
    paragraphs = [p for p in select_within(copy, "p") if not _is_signature(p)]
    if paragraphs:
        return "\n\n".join(t for t in (block_text(p) for p in paragraphs) if t), "\n".join(
            p.html or "" for p in paragraphs
        )
    return block_text(copy), (copy.inner_html or "").strip()


def _is_signature(paragraph: LexborNode) -> bool:
    cite = paragraph.css_first("cite")
    return cite is not None and len(collapse_ws(cite.text())) >= len(collapse_ws(paragraph.text())) - 2


def _drop(node: LexborNode, selector: str) -> None:
    for match in select_within(node, selector):
        match.decompose()


def _comment_items(
    comment_list: LexborNode,
) -> tuple[list[tuple[LexborNode, str, str | None, bool]], set[int]]:
    """(item, site id, parent site id, skipped) per comment in pre-order, and the mem_ids of all items.

    Wrappers that repeat their comment's id (li.comment > div.comment#comment-5) or carry none are not
    comments of their own; pingbacks stay items so that replies to them find the comment above.
    """
    kept_ids: set[int] = set()
    raw_site_id: dict[int, str] = {}
    effective: dict[int, str | None] = {}  # nearest real comment at or above the item
    records: list[tuple[LexborNode, str, str | None, bool]] = []
    for position, item in enumerate(n for n in comment_list.traverse() if _is_item(n)):
        owner = _owner(item, kept_ids)
        site_id = _site_id(item) or (f"position-{position}" if item.tag == "li" else None)
        if site_id is None or (owner is not None and site_id == raw_site_id[owner]):
            continue
        parent_site_id = effective[owner] if owner is not None else None
        skipped = bool(_classes(item) & _SKIPPED_KINDS)
        kept_ids.add(item.mem_id)
        raw_site_id[item.mem_id] = site_id
        effective[item.mem_id] = parent_site_id if skipped else site_id
        records.append((item, site_id, parent_site_id, skipped))
    return records, kept_ids


def parse_wordpress_comments(root: LexborNode | str) -> list[ParsedComment]:
    """Every comment of the WordPress comment lists under root, in document (pre-)order, with parent links.

    Pingbacks and trackbacks are skipped; a reply to one hangs from the nearest comment above it.
    """
    node = _as_node(root)
    if node is None:
        return []
    comments: list[ParsedComment] = []
    seen: set[str] = set()
    for comment_list in _outermost_lists(node):
        records, item_ids = _comment_items(comment_list)
        for item, site_id, parent_site_id, skipped in records:
            if skipped or site_id in seen:
                continue
            seen.add(site_id)
            text, html = _content(item, item_ids)
            comments.append(
                ParsedComment(
                    site_id=site_id,
                    parent_site_id=parent_site_id,
                    author=_author(item, item_ids),
                    posted_at=_posted_at(item, item_ids),
                    text=text,
                    html=html,
                )
            )
    return comments


# --- comment pages -------------------------------------------------------------------------------------

_PAGINATION_SELECTOR = (
    ".comments-pagination, .comment-navigation, .wp-block-comments-pagination, #comment-nav-above, "
    "#comment-nav-below, .comment-pagination, .navigation"
)
_OLDER_LINK_SELECTOR = (
    "a.prev, a.wp-block-comments-pagination-previous, .wp-block-comments-pagination-previous a, "
    ".nav-previous a, a[rel=prev]"
)
_PAGE_IN_URL = re.compile(r"/comment-page-(\d+)/?")


def _page_number(url: str) -> int | None:
    match = _PAGE_IN_URL.search(urlsplit(url).path)
    if match:
        return int(match.group(1))
    cpage = dict(parse_qsl(urlsplit(url).query)).get("cpage")
    return int(cpage) if cpage and cpage.isdigit() else None


def _is_comment_page_link(href: str) -> bool:
    return _page_number(href) is not None


def _pagination_links(root: LexborNode) -> list[LexborNode]:
    links: list[LexborNode] = []
    for nav in root.css(_PAGINATION_SELECTOR):
        links.extend(a for a in nav.css("a[href]") if _is_comment_page_link(a.attributes.get("href") or ""))
    return links


def next_comment_page_url(root: LexborNode | str, page_url: str) -> str | None:
    """The page of older comments to fetch after this one, or None on the oldest page.

    WordPress shows the newest comment page on the post itself by default and links older pages as
    ``/comment-page-N/``; following the "older" link from the post reaches every page once, down to page 1.
    """
    node = _as_node(root)
    if node is None:
        return None
    current = _page_number(page_url)
    for nav in node.css(_PAGINATION_SELECTOR):
        for link in nav.css(_OLDER_LINK_SELECTOR):
            href = link.attributes.get("href") or ""
            number = _page_number(href)
            if number is None or (current is not None and number >= current):
                continue
            return urldefrag(urljoin(page_url, href)).url
    return None


def comment_page_urls(root: LexborNode | str, page_url: str) -> list[str]:
    """Every other comment page of this post, newest first, including pages hidden behind "…" in the links.

    For sites that show the oldest page on the post (where walking older links finds nothing).
    """
    node = _as_node(root)
    if node is None:
        return []
    links = [urljoin(page_url, a.attributes.get("href") or "") for a in _pagination_links(node)]
    numbered = [(n, urldefrag(u).url) for u in links if (n := _page_number(u)) is not None]
    if not numbered:
        return []
    current_node = next(iter(node.css(".page-numbers.current, [aria-current=page]")), None)
    current = _page_number(page_url)
    if current is None and current_node is not None and collapse_ws(current_node.text()).isdigit():
        current = int(collapse_ws(current_node.text()))
    highest = max([n for n, _ in numbered] + ([current] if current else []))
    template_number, template = numbered[0]
    urls: list[str] = []
    for number in range(highest, 0, -1):
        if number != current:
            urls.append(_with_page(template, template_number, number))
    return urls


def _with_page(url: str, old: int, new: int) -> str:
    parts = urlsplit(url)
    if _PAGE_IN_URL.search(parts.path):
        return urlunsplit(parts._replace(path=_PAGE_IN_URL.sub(f"/comment-page-{new}/", parts.path, count=1)))
    query = dict(parse_qsl(parts.query))
    query["cpage"] = str(new)
    return urlunsplit(parts._replace(query=urlencode(query)))
