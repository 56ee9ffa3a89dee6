"""The headline: the page's <h1> when the declared titles confirm it, else a declared title without
the " | Site name" that pages append to it."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from tasks.parse.generic.metadata import PageMetadata
from tasks.parse.generic.text import squash

_HEADLINE_NODES = '[itemprop="headline"], h1, h2, .entry-title, .post-title, .article-title, .headline'
_TITLE_CLASSES = frozenset(("entry-title", "post-title", "article-title", "headline"))
_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|»|«|·|•|/{1,2}|~|:)\s+")
_WORD = re.compile(r"\w+")


def _key(text: str) -> str:
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


def _headings(tree: LexborHTMLParser) -> list[str]:
    ranked: list[tuple[int, int, str]] = []
    for position, node in enumerate(tree.css(_HEADLINE_NODES)):
        attrs = node.attributes
        rank = _rank(node.tag, attrs)
        if rank == 4 and position > 12:
            continue
        text = squash(attrs.get("content") or node.text())
        if 3 <= len(text) <= 300:
            ranked.append((rank, position, text))
    return [text for _, _, text in sorted(ranked)]


def choose_title(tree: LexborHTMLParser, meta: PageMetadata) -> str:
    """The page's headline (see the module docstring for the order of evidence)."""
    declared = [*meta.titles, meta.html_title]
    declared_keys = [_key(t) for t in declared if t]
    headings = _headings(tree)
    for heading in headings:
        key = _key(heading)
        if key and any(key == d or (len(key) > 10 and key in d) for d in declared_keys):
            return heading
    if meta.titles:
        return strip_site_name(meta.titles[0], meta.site_name)
    if meta.html_title:
        return strip_site_name(meta.html_title, meta.site_name)
    return headings[0] if headings else ""
