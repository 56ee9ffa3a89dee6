"""The HTML the warehouse stores is safe to render: an allowlist sanitizer (nh3, the binding of Rust's ammonia).

Bodies and reader comments are hostile input. A denylist ("drop href values that start with javascript:") lets
through what browsers still run (`java&#9;script:`, `&#x6A;avascript:`, `data:text/html`, `vbscript:`), so
the rule is an allowlist instead: the tags and attributes below, URLs with the schemes http, https and mailto
only (relative ones resolved against the page they came from), no event handlers, no `style`, no comments.

It lives in the warehouse, not in tasks/normalize, because it is the warehouse's promise about what it
stores: the pipeline cleans with it before a write, and migration 009 re-cleans what older versions stored.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

import nh3

TAGS = frozenset({
    "p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "q", "a", "em", "strong", "b", "i",
    "u", "s", "sub", "sup", "code", "pre", "figure", "figcaption", "img", "table", "thead", "tbody", "tr", "th",
    "td", "caption", "hr", "cite", "abbr", "time",
})  # fmt: skip
# Removed with everything inside; any other tag not in TAGS is unwrapped (its text kept).
DROP_WITH_CONTENT = frozenset({
    "script", "style", "noscript", "iframe", "form", "button", "input", "select", "textarea", "svg", "object",
    "embed", "template", "applet", "frameset", "frame", "noembed", "noframes", "xmp",
})  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt"},
    "time": {"datetime"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def clean_html(html: str, base_url: str | None = None) -> str:
    """Sanitized HTML, NFC-normalized and stripped; relative href/src resolved against `base_url` (the page).

    Without an http(s) base, relative URLs stay relative: they carry no scheme, so they cannot run anything.
    `rel` is not added to links: `target` is not allowed, so no link can open a window that sees its opener.
    """
    if not html:
        return ""
    cleaned = _cleaner(_http_base(base_url)).clean(html)
    return unicodedata.normalize("NFC", cleaned.strip())


def _http_base(base_url: str | None) -> str | None:
    if not base_url:
        return None
    parts = urlsplit(base_url.strip())
    return base_url.strip() if parts.scheme.lower() in {"http", "https"} and parts.hostname else None


def _cleaner(base_url: str | None) -> nh3.Cleaner:
    # a Cleaner per call: building one costs ~4 µs, and the base URL differs per page
    return nh3.Cleaner(
        tags=set(TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
        url_relative=("rewrite_with_base", base_url) if base_url else "pass_through",
    )
