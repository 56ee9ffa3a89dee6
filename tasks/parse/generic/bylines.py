"""Byline strings into clean person names: no "By", no dates, no job titles, one name per entry.

Fewer authors beat wrong authors: anything that does not look like a name is dropped.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tasks.parse.generic.text import css_unique, squash

_PREFIX = re.compile(
    r"^(?:(?:written|posted|published|reported|compiled|edited|photos?|text|story|words|interview)\s+by|"
    r"by|von|par|por|di|da|door|av|af|de|dal|del|från|from|autor(?:in)?|auteur|author|autore|"
    r"verfasst von|geschrieben von|publié par|escrito por|scritto da|redakcja|text|texte|fotos?)"
    r"\s*[:\-–]?\s+",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^(?:authors?|autor(?:en|in)?|auteurs?|autori?|byline)\s*:\s*", re.IGNORECASE)
_ROLE_WORDS = (
    "staff writer", "staff reporter", "staff", "correspondent", "reporter", "editor", "editors",
    "editorial", "contributor", "contributing writer", "columnist", "writer", "redaktion", "redaction",
    "rédaction", "redazione", "redacción", "admin", "administrator", "guest", "guest author", "team",
    "newsroom", "news desk", "desk", "press", "associated press", "ap", "afp", "reuters", "dpa", "ansa",
    "efe", "bbc news", "cnn", "unknown", "anonymous", "news", "senior writer", "freelance", "online",
    "journalist", "photographer", "opinion", "views",
)  # fmt: skip
_ROLES = frozenset(_ROLE_WORDS)
_ROLE_SUFFIX = re.compile(
    r"\s*[,(|–—-]\s*(?:(?:senior|chief|deputy|managing|political|foreign|staff|special|contributing|"
    r"associate|executive|news|science|health|business|sports?|tech(?:nology)?|legal|economics?)\s+)*"
    r"(?:writer|reporter|correspondent|editor|columnist|contributor|journalist|analyst|producer)\b.*$",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s*(?:,|;|&|\+|/|\band\b|\bund\b|\bet\b|\by\b|\be\b|\ben\b|\bog\b|\boch\b|\bi\b)\s*")
_CUT = re.compile(
    r"\s*(?:\||•|·|\n|\t| - | – | — |\bupdated\b|\bpublished\b|\baktualisiert\b|\bon\s+\w+day\b).*$", re.I
)
_DATEISH = re.compile(r"\d")
_ACCOUNT = re.compile(r"admin|webmaster|wordpress|redakteur|editorial|^editor$|^user$", re.IGNORECASE)
_EMAIL_OR_URL = re.compile(r"\S+@\S+|https?://\S+|www\.\S+|@\w+")
_NAME_CHARS = re.compile(r"^[\w][\w .'’\-]*$", re.UNICODE)
_MAX_NAME_WORDS = 5
_MAX_BYLINE_TEXT = 120
# Links to an author's page: /author/jane-doe, /autoren/..., /profile/..., /people/..., /staff/...
_AUTHOR_PAGE = re.compile(
    r"/(?:authors?|autor(?:en|in)?|auteurs?|autori?|profiles?|people|staff|journalists?|redakteure?|"
    r"redaktion/[\w-]+|team/[\w-]+|contributors?|columnists?|writers?)(?:/|\.|$|\?)",
    re.IGNORECASE,
)
_MAX_AUTHORS = 6

# Byline containers, most specific first; classes every CMS family uses, no single site's markup.
BYLINE_SELECTORS = (
    '[itemprop="author"] [itemprop="name"]',
    '[rel="author"]',
    '[itemprop="author"]',
    ".byline .author",
    ".author-name",
    ".author_name",
    ".authorName",
    ".byline__name",
    ".entry-author-name",
    ".post-author-name",
    ".vcard .fn",
    ".byline",
    ".author",
    ".post-author",
    ".entry-author",
    ".article-author",
    ".by-author",
    ".posted-by",
    '[class*="byline"]',
    '[class*="author-name"]',
    '[class*="contributor"]',
    "address",
    ".submitted .username",
)


def clean_person_name(raw: str) -> str:
    """One name from one byline fragment, or "" when it is not a person's name."""
    text = squash(_EMAIL_OR_URL.sub(" ", raw or ""))
    text = _LABEL.sub("", text)
    for _ in range(2):
        text = _PREFIX.sub("", text).strip(" :-–—,.|")
    text = _ROLE_SUFFIX.sub("", text)
    text = text.strip(" :-–—,.|·•\"'()[]")
    if not text or _DATEISH.search(text) or text.lower() in _ROLES or _ACCOUNT.search(text):
        return ""
    words = text.split()
    if len(words) > _MAX_NAME_WORDS or len(text) > 60 or not _NAME_CHARS.match(text):
        return ""
    if len(words) > 1 and all(w.islower() for w in words):
        return ""  # "posted in news": a phrase, not a name
    return text


def split_byline(raw: str) -> list[str]:
    """All person names in one byline string ("By A, B and C | 2 May 2020" -> [A, B, C])."""
    text = squash(_EMAIL_OR_URL.sub(" ", raw or ""))
    text = _LABEL.sub("", text)
    text = _PREFIX.sub("", text)
    text = _CUT.sub("", text)
    text = _ROLE_SUFFIX.sub("", text)
    names: list[str] = []
    for part in _SPLIT.split(text):
        name = clean_person_name(part)
        if name and name.lower() not in (n.lower() for n in names):
            names.append(name)
    return names


def names_from_strings(values: list[str]) -> list[str]:
    """Clean names from several raw strings, deduplicated in order."""
    names: list[str] = []
    seen: set[str] = set()
    for value in values:
        for name in split_byline(value):
            key = name.casefold()
            if key not in seen:
                seen.add(key)
                names.append(name)
    return names


def _inside(node: LexborNode, excluded: set[int]) -> bool:
    parent: LexborNode | None = node
    while parent is not None:
        if parent.mem_id in excluded:
            return True
        parent = parent.parent
    return False


# One CSS pass finds every element any BYLINE_SELECTORS entry can match; _selector_ranks then tells
# which ones it does (one walk instead of one per selector, most of which find nothing).
# ("uthor" stands for both "author" and "authorName": every selector costs a test on each element.)
_BYLINE_CANDIDATES = (
    '[itemprop="author"], [itemprop="name"], [rel="author"], [class*="uthor"], [class*="byline"], '
    '[class*="contributor"], .fn, .posted-by, .username, address'
)
# Class token -> its entry in BYLINE_SELECTORS, for the selectors that are a single class.
_CLASS_RANK = {sel[1:]: rank for rank, sel in enumerate(BYLINE_SELECTORS) if re.fullmatch(r"\.[\w-]+", sel)}
_ANCESTOR_LEVELS = 8


def _selector_ranks(node: LexborNode) -> list[int]:
    """The indexes of the BYLINE_SELECTORS entries `node` matches."""
    attrs = node.attributes
    classes = (attrs.get("class") or "").split()
    itemprop = attrs.get("itemprop")
    ranks = [_CLASS_RANK[c] for c in classes if c in _CLASS_RANK]
    if itemprop == "name" and _has_ancestor(node, "itemprop", "author"):
        ranks.append(0)
    if attrs.get("rel") == "author":
        ranks.append(1)
    if itemprop == "author":
        ranks.append(2)
    if "author" in classes and _has_ancestor(node, "class", "byline"):
        ranks.append(3)
    if "fn" in classes and _has_ancestor(node, "class", "vcard"):
        ranks.append(10)
    joined = attrs.get("class") or ""
    if "byline" in joined:
        ranks.append(18)
    if "author-name" in joined:
        ranks.append(19)
    if "contributor" in joined:
        ranks.append(20)
    if node.tag == "address":
        ranks.append(21)
    if "username" in classes and _has_ancestor(node, "class", "submitted"):
        ranks.append(22)
    return ranks


def _has_ancestor(node: LexborNode, attribute: str, value: str) -> bool:
    """Whether an ancestor (a few levels up) has `value` as its itemprop, or among its classes."""
    parent = node.parent
    for _ in range(_ANCESTOR_LEVELS):
        if parent is None:
            return False
        found = parent.attributes.get(attribute) or ""
        if found == value or (attribute == "class" and value in found.split()):
            return True
        parent = parent.parent
    return False


def bylines_from_dom(tree: LexborHTMLParser, excluded: set[int]) -> list[str]:
    """Names from the first byline-like element outside `excluded` subtrees (and its co-author siblings).

    Only the first match counts: the same classes mark the authors of teasers further down."""
    by_rank: dict[int, list[LexborNode]] = {}
    for node in css_unique(tree, _BYLINE_CANDIDATES):
        for rank in set(_selector_ranks(node)):
            by_rank.setdefault(rank, []).append(node)
    for rank in sorted(by_rank):
        names: list[str] = []
        first_parent: int | None = None
        for node in by_rank[rank]:
            if _inside(node, excluded) or node.tag in ("html", "body", "meta", "link"):
                continue
            parent = node.parent
            parent_key = parent.mem_id if parent is not None else None
            if first_parent is not None and parent_key != first_parent:
                break
            found = [n for n in _node_names(node) if n not in names]
            if found:
                names.extend(found)
                first_parent = parent_key
        if names:
            return names[:_MAX_AUTHORS]
    return []


def _node_names(node: LexborNode) -> list[str]:
    """Names in one byline element; in a long one (byline, date, rating and more in one box) only
    the links to author pages count."""
    text = squash(node.attributes.get("content") or node.text(separator=" "))
    if not text:
        return []
    if len(text) <= _MAX_BYLINE_TEXT:
        return split_byline(text)
    for link in node.css("a[href]"):
        if link.attributes.get("rel") == "author" or _AUTHOR_PAGE.search(link.attributes.get("href") or ""):
            names = split_byline(squash(link.text()))
            if names:
                return names
    return []
