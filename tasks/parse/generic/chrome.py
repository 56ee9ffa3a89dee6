"""Page chrome: what is never article text by its tag, and blocks whose class or id names them chrome
(share bars, related links, bylines, captions...), removed from a chosen container before its text is read."""

from __future__ import annotations

import re
from functools import lru_cache

from selectolax.lexbor import LexborNode

from tasks.parse.generic.marks import WordMarks
from tasks.parse.generic.text import HEADING_TAGS, LinkText, css_unique, decompose_all

INVISIBLE_TAGS = "script, style, noscript, template"
# Never article text. (Tags without text, like <img>, are left: removing costs more than it gains.)
NEVER_TEXT_TAGS = (
    "iframe, svg, nav, footer, button, select, textarea, object, video, audio, canvas, dialog, figcaption"
)
# Class/id words of page chrome, matched as whole parts of a token (see marks.py for the notation).
_BOILERPLATE_WORDS = """
    share shares sharing sharedaddy social socials related relatedposts recommend* newsletter subscribe subscription
    cookie cookies consent gdpr advert* ad ads adv adslot dfp sponsor* promo promos promotion outbrain taboola
    breadcrumb breadcrumbs sidebar comment comments commentlist disqus respond pagination pager signup recirc*
    trending popular tags tagcloud tagged tag-?list author authors author-?bio about-?author authorbox author-?box bio
    toolbar sr-only screen-reader-text visually-?hidden navbar navigation nav menu footer byline meta postmeta
    entry-?meta post-?meta article-?meta caption wp-caption credit credits copyright disclaimer more-?stories
    read-?more readmore see-?also also-?read jp-relatedposts addtoany a2a crp yarpp donate newsletter-?signup
    inline-?related post-?navigation nav-?links prev-?next author-?info share-?bar
"""
# Words that mark chrome often but content sometimes (page builders wrap every text block in a
# "widget"): such nodes go only when they are short or mostly links.
_WEAK_BOILERPLATE_WORDS = """
    widget widgets header embed player video-?player podcast-?player gallery slideshow audio hidden banner toc
    table-?of-?contents print overlay popup modal tooltip infobox cta follow rating vote skip login paywall topbar
    masthead notice
"""
CHROME_WORDS = WordMarks(_BOILERPLATE_WORDS, _WEAK_BOILERPLATE_WORDS)
_WEAK_KEEP_LENGTH = 200
_CHROME_CANDIDATES = "[class], [id], [style], [hidden], header, form, aside"
_BEM_MODIFIER = re.compile(r"--[\w-]+")
_KEEP_TAGS = frozenset(("html", "body", "main", "article"))
# Usually chrome, but some sites put the whole article inside one: removed only when small.
_SOFT_CHROME_TAGS = frozenset(("header", "form", "aside"))
# Readability's class weights: any of these anywhere in the (lower-cased) class or id.
_POSITIVE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|prose|rich-?text|markdown"
)
_NEGATIVE = re.compile(
    r"hidden|banner|combx|comment|contact|foot|footnote|gdpr|masthead|media|meta|outbrain|promo|related|"
    r"scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget|teaser|nav|menu|social"
)
# Containers CMSs conventionally give the article text (WordPress, Drupal, Ghost, schema.org, ...).


def strip_chrome(root: LexborNode, links: LinkText | None = None) -> None:
    """Remove class-marked chrome (share bars, related links, bylines, captions...) under `root`."""
    links = links or LinkText()
    total = 0  # the root's text length, measured when a strong candidate asks
    doomed: list[LexborNode] = []
    doomed_keys: set[int] = set()
    root_key = root.mem_id
    # Only elements with a class, id, style or a soft-chrome tag can be chrome; CSS finds them in C.
    for node in css_unique(root, _CHROME_CANDIDATES):
        tag = node.tag
        if tag in _KEEP_TAGS or node.mem_id == root_key:
            continue
        attrs = node.attributes
        style = attrs.get("style")
        if "hidden" in attrs or (
            style and ("display:none" in style.replace(" ", "") or "visibility:hidden" in style.replace(" ", ""))
        ):
            _doom(node, doomed, doomed_keys)
            continue
        # A heading's id is usually made from its own words (anchors for a table of contents:
        # "nav_what_we_found"), so only its class can mark it as chrome.
        marks = attrs.get("class") or ""
        if tag not in HEADING_TAGS:
            marks = f"{marks} {attrs.get('id') or ''}"
        strong, weak = _chrome_marks(marks)
        strong = strong or tag in _SOFT_CHROME_TAGS
        if (strong or weak) and doomed and _inside_any(node, doomed_keys, root_key):
            continue  # already going with a chrome ancestor: no need to measure it
        if weak and not strong:
            length = links.text_length(node)
            if length < _WEAK_KEEP_LENGTH or links.length(node) > 0.3 * length:
                _doom(node, doomed, doomed_keys)
            continue
        if strong:
            length = links.text_length(node)
            total = total or links.text_length(root) or 1
            # A whole article can sit in a container with an unlucky class ("post tag-social"):
            # keep a node that holds much of the page's text outside links.
            if length > 0.35 * total and links.length(node) < 0.3 * length:
                continue
            if tag in _SOFT_CHROME_TAGS and length > 0.35 * total:
                continue
            _doom(node, doomed, doomed_keys)
    decompose_all(doomed)
    links.forget_text()


def _doom(node: LexborNode, doomed: list[LexborNode], keys: set[int]) -> None:
    doomed.append(node)
    keys.add(node.mem_id)


def _inside_any(node: LexborNode, keys: set[int], stop: int) -> bool:
    """Whether an ancestor of `node` below the node keyed `stop` is in `keys`."""
    parent = node.parent
    while parent is not None:
        key = parent.mem_id
        if key == stop:
            return False
        if key in keys:
            return True
        parent = parent.parent
    return False


@lru_cache(maxsize=4096)
def _chrome_marks(marks: str) -> tuple[bool, bool]:
    """(strong, weak) chrome words in a "class id" string; cached: sites repeat their class names."""
    marks = marks.lower()
    if "--" in marks:
        # A BEM modifier describes the block ("section--ads": a section with ads in it).
        marks = _BEM_MODIFIER.sub("", marks)
    found = CHROME_WORDS.match(marks)
    return bool(found & 1), bool(found & 2)


def class_weight(attrs: dict[str, str | None]) -> int:
    """The chrome weight of an element's class and id (its `attributes`)."""
    return _marks_weight(f"{attrs.get('class') or ''} {attrs.get('id') or ''}") if attrs else 0


@lru_cache(maxsize=4096)
def _marks_weight(marks: str) -> int:
    marks = marks.lower()
    if not marks.strip():
        return 0
    weight = 0
    if _NEGATIVE.search(marks):
        weight -= 25
    if _POSITIVE.search(marks):
        weight += 25
    return weight

