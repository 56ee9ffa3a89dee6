"""Byline strings into clean person names: no "By", no dates, no job titles, one name per entry.

Fewer authors beat wrong authors: anything that does not look like a name is dropped.
"""

from __future__ import annotations

import html
import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tasks.parse.generic.text import css_unique, squash

_PREFIX = re.compile(
    # "Recipe by", "Analysis by": a word or two and "by" introduce the name as well.
    r"^(?:(?:[^\W\d_]+\s+){1,2}by|"
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
# The same roles set after the name without punctuation (separate elements read as one text: "Rachel
# MacDonald Writer", "Jane Doe Founder at Acme"); only at the end, capitalized, after two words or more.
_BARE_ROLE_SUFFIX = re.compile(
    r"\s+(?:(?:Senior|Chief|Staff|Contributing|Head|Guest)\s+)?"
    r"(?:Writer|Reporter|Correspondent|Editor|Columnist|Contributor|Journalist|Founder|Co-Founder|CEO|Sponsored)"
    r"(?:\s+(?:at|of|for)\s+.*)?$"
)
_SPLIT = re.compile(r"\s*(?:,|;|&|\+|/|\band\b|\bund\b|\bet\b|\by\b|\be\b|\ben\b|\bog\b|\boch\b|\bi\b)\s*")
_CUT = re.compile(
    r"\s*(?:\||•|·|\n|\t| - | – | — |\bupdated\b|\bpublished\b|\baktualisiert\b|\bon\s+\w+day\b).*$", re.I
)
_DATEISH = re.compile(r"\d")
# A byline's label alone, without the name (which sits in the next element): "Written by", "Author:".
LABEL_ONLY = re.compile(
    r"^(?:(?:[^\W\d_]+\s+){0,2}(?:by|from)|authors?|"
    r"the author|about the author|autor(?:in)?|auteur|autore|verfasst von|geschrieben von|von|par|por|"
    r"écrit par|escrito por|scritto da|door)\s*:?$",
    re.IGNORECASE,
)
_WEEKDAYS = frozenset(
    [
        "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "monday", "tuesday", "wednesday",
        "thursday", "friday", "saturday", "sunday",
    ]
)
_ACCOUNT = re.compile(r"admin|webmaster|wordpress|redakteur|editorial|^editor$|^user$", re.IGNORECASE)
_DECLARED_ACCOUNT = re.compile(r"admin|webmaster|wordpress|^editor$|^user$", re.IGNORECASE)
_EMAIL_OR_URL = re.compile(r"\S+@\S+|https?://\S+|www\.\S+|@\w+")
_NAME_CHARS = re.compile(r"^[\w][\w .'’\-()]*$", re.UNICODE)
_MAX_NAME_WORDS = 5
NAME_PARTICLES = frozenset(("de", "da", "di", "van", "von", "der", "den", "le", "la", "del", "dos", "du", "bin", "al"))
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
    "(a class word author)",  # "author-title", "wp-block-post-author__name": see _AUTHOR_WORD_CLASS
    '[class*="byline"]',
    '[class*="author-name"]',
    '[class*="contributor"]',
    "address",
    ".submitted .username",
)
_RANK = {selector: rank for rank, selector in enumerate(BYLINE_SELECTORS)}
# A class token with "author" as one of its words, for a name: not the author's bio, picture or links.
_AUTHOR_WORD_CLASS = re.compile(r"(?:^|[-_])author(?:name)?(?:$|[-_])")
_NOT_NAME_WORDS = frozenset(
    [
        "bio", "bios", "biography", "description", "desc", "avatar", "image", "img", "photo", "pic", "picture",
        "social", "url", "links", "archive", "list", "posts", "more", "about", "comments", "comment", "reply", "count",
        "follow", "email", "twitter", "facebook",
    ]
)
# The text of a link to an author's page that names them in a phrase: "View all posts by Jane Doe",
# "View all of Jane Doe's posts", "More from Jane Doe".
_LINK_PHRASE = re.compile(
    r"^(?:(?:view|see|browse|read)\s+)?(?:(?:all|more)\s+)?(?:(?:posts?|articles?|stories|entries)\s+)?"
    r"(?:by|of|from)\s+(?P<name>.+?)(?:['’]s?\s+(?:posts?|articles?|stories|profile))?\s*[.!»›>→]*$",
    re.IGNORECASE,
)


def clean_person_name(raw: str, declared: bool = False) -> str:
    """One name from one byline fragment, or "" when it is not a person's name.

    `declared`: the page declares it a name (JSON-LD, <meta>): written in lower case ("kirstin boatto")
    or naming a team ("Acme Editorial Team"), it is still the byline the page gives."""
    text = squash(_EMAIL_OR_URL.sub(" ", raw or ""))
    text = _LABEL.sub("", text)
    for _ in range(2):
        text = _PREFIX.sub("", text).strip(" :-–—,.|")
    text = _ROLE_SUFFIX.sub("", text)
    text = text.strip(" :-–—,.|·•\"'[]")
    if text.count("(") != text.count(")"):
        text = text.strip("()")  # "(Jane Doe" from "Jane Doe (Reuters)" split at its parts
    bare = _BARE_ROLE_SUFFIX.search(text) if " " in text else None
    if bare is not None and " " in text[: bare.start()]:
        text = text[: bare.start()]
    if not text or _DATEISH.search(text) or text.lower() in _ROLES:
        return ""
    if (_DECLARED_ACCOUNT if declared else _ACCOUNT).search(text):
        return ""
    if LABEL_ONLY.match(text) or text.lower().rstrip(".") in _WEEKDAYS:
        return ""  # "Written by" without its name, "Sat" from a dateline
    words = text.split()
    if len(words) > _MAX_NAME_WORDS or len(text) > 60 or not _NAME_CHARS.match(text):
        return ""
    if declared or len(words) == 1:
        return text
    if all(w.islower() for w in words) or (words[0].islower() and words[0] not in NAME_PARTICLES):
        return ""  # "posted in news", "a founder of Intellectual Ventures": a phrase, not a name
    return text


def split_byline(raw: str, declared: bool = False) -> list[str]:
    """All person names in one byline string ("By A, B and C | 2 May 2020" -> [A, B, C])."""
    if raw and "&" in raw:
        raw = html.unescape(raw)  # "Maria &amp; Katerina" in a meta tag written twice escaped
    text = squash(_EMAIL_OR_URL.sub(" ", raw or ""))
    text = _LABEL.sub("", text)
    text = _PREFIX.sub("", text)
    text = _CUT.sub("", text)
    text = _ROLE_SUFFIX.sub("", text)
    names: list[str] = []
    for part in _SPLIT.split(text):
        name = clean_person_name(part, declared)
        if name and name.lower() not in (n.lower() for n in names):
            names.append(name)
    return names


def names_from_strings(values: list[str], declared: bool = False) -> list[str]:
    """Clean names from several raw strings, deduplicated in order (`declared` as for clean_person_name)."""
    names: list[str] = []
    seen: set[str] = set()
    for value in values:
        for name in split_byline(value, declared):
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
    joined = attrs.get("class") or ""
    classes = joined.split()
    itemprop = attrs.get("itemprop")
    ranks = [_CLASS_RANK[c] for c in classes if c in _CLASS_RANK]
    if itemprop == "name" and _has_ancestor(node, "itemprop", "author"):
        ranks.append(_RANK['[itemprop="author"] [itemprop="name"]'])
    if attrs.get("rel") == "author":
        ranks.append(_RANK['[rel="author"]'])
    if itemprop == "author":
        ranks.append(_RANK['[itemprop="author"]'])
    if "author" in classes and _has_ancestor(node, "class", "byline"):
        ranks.append(_RANK[".byline .author"])
    if "fn" in classes and _has_ancestor(node, "class", "vcard"):
        ranks.append(_RANK[".vcard .fn"])
    if "author" in joined and any(_is_author_name_class(c) for c in classes):
        ranks.append(_RANK["(a class word author)"])
    if "byline" in joined:
        ranks.append(_RANK['[class*="byline"]'])
    if "author-name" in joined:
        ranks.append(_RANK['[class*="author-name"]'])
    if "contributor" in joined:
        ranks.append(_RANK['[class*="contributor"]'])
    if node.tag == "address":
        ranks.append(_RANK["address"])
    if "username" in classes and _has_ancestor(node, "class", "submitted"):
        ranks.append(_RANK[".submitted .username"])
    return ranks


def _is_author_name_class(token: str) -> bool:
    token = token.lower()
    return bool(_AUTHOR_WORD_CLASS.search(token)) and _NOT_NAME_WORDS.isdisjoint(re.split(r"[-_]+", token))


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
    the links to author pages count. A label alone ("Written by") names whoever the next element does."""
    raw = node.attributes.get("content") or node.text(separator="\n")
    text = squash(raw)
    if not text:
        return []
    if LABEL_ONLY.match(text):
        return _names_after(node)
    if len(text) <= _MAX_BYLINE_TEXT:
        names = split_byline(text) or (_link_phrase_names(text) if _is_author_link(node) else [])
        if not names and "\n" in raw:
            # Name and date on lines of their own ("Jane Doe<br>4 August 2010"): the first line naming one.
            names = next(filter(None, (split_byline(line) for line in raw.split("\n") if line.strip())), [])
        return names
    for link in node.css("a[href]"):
        if _is_author_link(link):
            link_text = squash(link.text())
            names = split_byline(link_text) or _link_phrase_names(link_text)
            if names:
                return names
    return []


def _is_author_link(node: LexborNode) -> bool:
    attrs = node.attributes
    return node.tag == "a" and (attrs.get("rel") == "author" or bool(_AUTHOR_PAGE.search(attrs.get("href") or "")))


def _link_phrase_names(text: str) -> list[str]:
    match = _LINK_PHRASE.match(text)
    return split_byline(match["name"]) if match else []


def _names_after(node: LexborNode) -> list[str]:
    """Names in what follows a label: its next sibling with text (an element or a bare text)."""
    sibling = node.next
    while sibling is not None:
        text = squash(sibling.text(separator=" "))
        if text:
            return split_byline(text) if len(text) <= _MAX_BYLINE_TEXT else []
        sibling = sibling.next
    return []


# Links to an author's archive, the path every CMS gives one: /author/jane-doe/, /authors/..., /autor/...
_AUTHOR_ARCHIVE_LINKS = 'a[href*="/author"], a[href*="/autor"], a[href*="/writer"], a[href*="/contributor"]'
_AUTHOR_ARCHIVE = re.compile(r"/(?:authors?|autor(?:en|in)?|writers?|contributors?)/[^/?#]+", re.IGNORECASE)


def names_from_author_links(tree: LexborHTMLParser) -> list[str]:
    """The name in the first link to an author's archive page whose text is one (a byline no class
    marks: "by <a href="/authors/jane-doe">Jane Doe</a>")."""
    for link in tree.css(_AUTHOR_ARCHIVE_LINKS):
        if _AUTHOR_ARCHIVE.search(link.attributes.get("href") or ""):
            text = squash(link.text())
            names = split_byline(text) if len(text) <= _MAX_BYLINE_TEXT else []
            if names:
                return names
    return []
