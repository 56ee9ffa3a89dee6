"""The headline: the page's <h1> when the declared titles confirm it, else a declared title without
the " | Site name" that pages append to it."""

from __future__ import annotations

import re
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tasks.parse.generic.metadata import PageMetadata
from tasks.parse.generic.text import css_unique, squash

_HEADLINE_NODES = '[itemprop="headline"], h1, h2, .entry-title, .post-title, .article-title, .headline'
FIRST_HEADINGS = '[itemprop="headline"], h1'  # the candidates _rank puts first


def is_first_heading(tag: str, attrs: dict[str, str | None]) -> bool:
    """Whether FIRST_HEADINGS selects an element."""
    return tag == "h1" or attrs.get("itemprop") == "headline"


_SITE_MARKS = re.compile(r"site-?(?:title|name|logo|branding)|logo|brand|blog-?(?:title|name)|masthead|breadcrumb")
_TITLE_CLASSES = frozenset(("entry-title", "post-title", "article-title", "headline"))
# Classes that hide an element from the eye and keep it for screen readers (Bootstrap, WordPress, the
# HTML5 Boilerplate, Tailwind): a heading so hidden often repeats the <title> whole, site name and all.
_HIDDEN_CLASSES = frozenset(
    ("sr-only", "screen-reader-text", "visually-hidden", "visuallyhidden", "screenreader-only", "element-invisible")
)
_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|»|«|·|•|/{1,2}|~|:)\s+")
_WORD = re.compile(r"\w+")
_MIN_H1_WORDS = 2


@lru_cache(maxsize=1024)
def _key(text: str) -> str:
    """The words of a title, for comparing titles (cached: a page's titles are compared several times)."""
    return " ".join(_WORD.findall(text.casefold()))


def strip_site_name(title: str, site_name: str = "") -> str:
    """'Headline | Site' -> 'Headline': drop the parts naming the site, else the shortest end part."""
    parts = _SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    site_key = _key(site_name)
    if site_key:
        kept = [p for p in parts if _key(p) != site_key and not (site_key in _key(p) and len(p) < 40)]
        if kept and len(kept) < len(parts):
            return _join_parts(title, kept)
    first, last = parts[0], parts[-1]
    # The site name is usually the short end; the headline is the long rest.
    if len(last) < len(first) and len(last.split()) <= 4:
        return title[: title.rfind(last)].rstrip(" |-–—:»«·•/~")
    if len(first) < len(last) and len(first.split()) <= 3:
        return title[len(first) :].lstrip(" |-–—:»«·•/~")
    return title


def _join_parts(title: str, kept: list[str]) -> str:
    start = title.find(kept[0])
    end = title.rfind(kept[-1]) + len(kept[-1])
    return title[start:end] if 0 <= start < end else " ".join(kept)


def _rank(tag: str, attrs: dict[str, str | None]) -> int:
    """Lower is likelier the headline: schema.org markup, then a titled <h1>, <h1>, titled, <h2>."""
    if attrs.get("itemprop") == "headline":
        return 0
    titled = bool(_TITLE_CLASSES.intersection((attrs.get("class") or "").split()))
    if tag == "h1":
        return 1 if titled else 2
    return 3 if titled else 4


def _site_heading(node: LexborNode) -> bool:
    """The site's name set as a heading in the page header (classic blog themes do this)."""
    parent = node.parent
    marks = " ".join(
        f"{n.attributes.get('class') or ''} {n.attributes.get('id') or ''}" for n in (node, parent) if n is not None
    ).lower()
    if _SITE_MARKS.search(marks):
        return True
    link = node.css_first("a[href]")
    href = (link.attributes.get("href") or "") if link is not None else ""
    return href in ("/", "./") or (href.count("/") == 3 and href.endswith("/") and "://" in href)


def _headings(
    tree: LexborHTMLParser, site_key: str, found: list[LexborNode] | None = None
) -> list[tuple[str, LexborNode]]:
    ranked: list[tuple[int, int, str, LexborNode]] = []
    for position, node in enumerate(css_unique(tree, _HEADLINE_NODES) if found is None else found):
        attrs = node.attributes
        rank = _rank(node.tag or "", attrs)
        if rank == 2 and _site_heading(node):
            continue
        if not _HIDDEN_CLASSES.isdisjoint((attrs.get("class") or "").split()):
            continue
        if rank == 4 and position > 12:
            continue
        text = squash(attrs.get("content") or node.text())
        if 3 <= len(text) <= 300 and _key(text) != site_key:
            ranked.append((rank, position, text, node))
    ranked.sort(key=lambda item: item[:2])
    return [(text, node) for _, _, text, node in ranked]


def choose_headline(
    tree: LexborHTMLParser, meta: PageMetadata, first: list[LexborNode]
) -> tuple[str, LexborNode | None]:
    """The page's headline (see the module docstring for the order of evidence), and the heading
    element that shows it (None when it comes from metadata only).

    `first`: what FIRST_HEADINGS selects, in document order."""
    declared = [t for t in (*meta.titles, meta.html_title) if t]
    declared_keys = {_key(t) for t in declared} | {_key(strip_site_name(t, meta.site_name)) for t in declared}
    site_key = _key(meta.site_name)
    if declared_keys:
        # Most pages show the declared title in their <h1> (or mark it as schema.org's headline), and
        # those outrank every other heading: the rest are looked for only when none of them matches.
        for heading, node in _headings(tree, site_key, first):
            if _key(heading) in declared_keys:
                return heading, node
    headings = _headings(tree, site_key)
    for heading, node in headings:
        if _key(heading) in declared_keys:
            return heading, node
    for heading, node in headings:
        key = _key(heading)
        if len(key) > 10 and any(key in d for d in declared_keys):
            return heading, node
    # A page with one <h1> of its own (not the site's name) shows its readers that headline, however
    # its metadata words it (SEO titles are often another wording of the story).
    own = [(text, node) for text, node in _headings(tree, site_key, first) if node.tag == "h1"]
    if len(own) == 1 and sum(node.tag == "h1" for node in first) == 1 and len(own[0][0].split()) >= _MIN_H1_WORDS:
        return own[0]
    if meta.titles:
        return strip_site_name(meta.titles[0], meta.site_name), None
    if meta.html_title:
        return strip_site_name(meta.html_title, meta.site_name), None
    return headings[0] if headings else ("", None)
