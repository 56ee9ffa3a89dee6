"""What a page shows of its comments, from cheap scans of its HTML (no DOM parse: this runs at fetch time too).

One detector for the whole pipeline: the fetch stage asks it which system's channels to fetch (registry.py),
the parse stage asks it again which of the fetched channels holds the thread, and a refresh asks it for pages
it re-reads.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from tasks.parse.wp_comments import comment_page_urls


@dataclass(frozen=True)
class DisqusEmbed:
    """What a page says about its Disqus thread (WordPress's Disqus plugin or the universal embed code)."""

    forum: str | None = None
    identifier: str | None = None
    url: str | None = None

    def thread_ref(self, page_url: str) -> str:
        """How the API finds the thread: by the page's identifier when it sets one, else by its URL."""
        if self.identifier:
            return f"ident:{self.identifier}"
        return f"link:{self.url or page_url}"


@dataclass(frozen=True)
class PageSignals:
    disqus: DisqusEmbed | None = None
    wordpress_list: bool = False  # ol.commentlist / ol.comment-list / the block theme's comment template
    paginated: bool = False  # links to /comment-page-N/ or ?cpage=N
    comment_feed_url: str | None = None  # the post's own comment feed, from <link rel="alternate">


_DISQUS_THREAD = re.compile(r"""\bid\s*=\s*["']?disqus_thread\b""", re.I)
_DISQUS_SCRIPT = re.compile(r"\bdisqus_config\b|\bdisqus_shortname\b|\.disqus\.com/embed\.js|\"disqusShortname\"")
_DISQUS_FORUM = (
    re.compile(r"""\bdisqus_shortname\s*=\s*["']([\w-]+)["']"""),
    re.compile(r"//([\w-]+)\.disqus\.com/embed\.js"),
    re.compile(r'"disqusShortname"\s*:\s*"([\w-]+)"'),
)
# `this.page.identifier = '123 https://…';` / `var disqus_identifier = 123;`: quoted or numeric values only, so
# the placeholders of Disqus's sample code (PAGE_IDENTIFIER) are not taken for an identifier.
_JS_VALUE = r"""\s*=\s*(?:(["'])(?P<quoted>(?:\\.|(?!\1).)*)\1|(?P<number>\d+)\b)"""
_DISQUS_IDENTIFIER = re.compile(r"(?:this\.page\.identifier|\bdisqus_identifier)" + _JS_VALUE)
_DISQUS_URL = re.compile(r"(?:this\.page\.url|\bdisqus_url)" + _JS_VALUE)
_JSON_IDENTIFIER = re.compile(r'"disqusIdentifier"\s*:\s*"((?:\\.|[^"\\])*)"')
_JSON_URL = re.compile(r'"disqusUrl"\s*:\s*"((?:\\.|[^"\\])*)"')

_WORDPRESS_LIST = re.compile(
    r"""<(?:ol|ul|div)\b[^>]*?(?:class\s*=\s*["'][^"']*\b(?:commentlist|comment-list|wp-block-comment-template)\b"""
    r"""|id\s*=\s*["']commentlist["'])""",
    re.I,
)
_COMMENT_PAGE_HREF = re.compile(
    r"""href\s*=\s*["']([^"']*(?:/comment-page-\d+/?|[?&](?:amp;)?cpage=\d+)[^"']*)""", re.I
)
_COMMENT_PAGE_PATH = re.compile(r"/comment-page-\d+/?$")
_LINK_TAG = re.compile(r"<link\b[^>]*>", re.I)
_HEAD_END = re.compile(r"</head>", re.I)
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")


def page_signals(html: str, page_url: str) -> PageSignals:
    """What the page shows of its comments; an empty page shows nothing."""
    if not html:
        return PageSignals()
    # The patterns below cost ~1.5 ms a page to scan; one ASCII-lowercased copy of the page rules most of them
    # out for free (a marker missing from it is missing from the page; dropping non-ASCII can only add hits).
    folded = html.encode("ascii", "ignore").lower()
    return PageSignals(
        disqus=_disqus(html) if b"disqus" in folded else None,
        wordpress_list=bool(_WORDPRESS_LIST.search(html)),
        paginated=(b"comment-page-" in folded or b"cpage=" in folded) and _links_own_comment_pages(html, page_url),
        comment_feed_url=_comment_feed_url(html, page_url),
    )


def _disqus(html: str) -> DisqusEmbed | None:
    if not (_DISQUS_THREAD.search(html) or _DISQUS_SCRIPT.search(html)):
        return None
    forum = next((m.group(1) for pattern in _DISQUS_FORUM if (m := pattern.search(html))), None)
    return DisqusEmbed(
        forum=forum,
        identifier=_js_value(_DISQUS_IDENTIFIER, html) or _json_value(_JSON_IDENTIFIER, html),
        url=_js_value(_DISQUS_URL, html) or _json_value(_JSON_URL, html),
    )


def _js_value(pattern: re.Pattern[str], html: str) -> str | None:
    match = pattern.search(html)
    if match is None:
        return None
    value = match.group("quoted") if match.group("quoted") is not None else match.group("number")
    value = html_lib.unescape(value.replace("\\/", "/").replace("\\'", "'").replace('\\"', '"')).strip()
    return value or None


def _json_value(pattern: re.Pattern[str], html: str) -> str | None:
    match = pattern.search(html)
    if match is None:
        return None
    try:
        value = json.loads(f'"{match.group(1)}"')
    except ValueError:
        return None
    return value.strip() or None


def _links_own_comment_pages(html: str, page_url: str) -> bool:
    """The thread's comment navigation links other pages of it.

    Links to comment pages alone do not say so: a "latest comments" widget links other posts' pages, and a
    block theme links every comment as /comment-page-1/#comment-N even when there is one page. So a cheap
    look for links to this post's comment pages first, then the pagination markup itself.
    """
    own = _COMMENT_PAGE_PATH.sub("", urlsplit(page_url).path).rstrip("/")
    for href in _COMMENT_PAGE_HREF.findall(html):
        path = urlsplit(urljoin(page_url, html_lib.unescape(href))).path
        if _COMMENT_PAGE_PATH.sub("", path).rstrip("/") == own:
            return bool(comment_page_urls(html, page_url))
    return False


def _comment_feed_url(html: str, page_url: str) -> str | None:
    """The post's own comment feed: WordPress links it from every post page that has or takes comments.

    It is the URL the site feed gives as the item's wfw:commentRss (`{permalink}feed/`, or `?feed=rss2&p=ID`
    without pretty permalinks); the site-wide comments feed (/comments/feed/) is not it.
    """
    page_path = urlsplit(page_url).path.rstrip("/")
    head_end = _HEAD_END.search(html)
    for tag in _LINK_TAG.findall(html[: head_end.start() if head_end else None]):
        attrs = {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or "" for m in _ATTRIBUTE.finditer(tag)}
        if attrs.get("rel", "").lower() != "alternate" or not re.search(r"rss|atom", attrs.get("type", ""), re.I):
            continue
        href = urljoin(page_url, html_lib.unescape(attrs.get("href", "")))
        parts = urlsplit(href)
        own_feed = page_path and parts.path.rstrip("/") in (f"{page_path}/feed", f"{page_path}/feed/rss2")
        if own_feed or ("feed=" in parts.query and re.search(r"(?:^|&)p=\d+", parts.query)):
            return href
    return None
