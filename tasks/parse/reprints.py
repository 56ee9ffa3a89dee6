"""Reprint and syndication notes: a paragraph at the start or the end of a body that says where the article was
first published ("Reprinted from Bracing Views with the author's permission.", "Originally appeared on Jonathan
Cook's Substack.", "This article first appeared in The Nation.", "Republished with permission."). The note is
not the article: article_body takes its paragraph out of the body, and the publication it names, its link and
its wording go to the article's own fields (schemas.pipeline.ReprintNote).

The rules are the phrasings syndication notes use, not one site's wording. A note is a whole paragraph: a
sentence of the article that opens the same way ("Originally published in 1962, the book ...") is not one.
"""

from __future__ import annotations

import re

from schemas.pipeline import ReprintNote

_WORK = r"(?:article|piece|post|essay|story|column|commentary|op-?ed|interview|report|analysis|review|text)"
_PERMISSION = (
    r"with\s+(?:the\s+)?(?:kind\s+)?(?:\w+['’]s\s+)?(?:kind\s+|express\s+|written\s+)?permission"
    r"(?:\s+of\s+(?:the\s+)?(?:author|publisher|writer)s?)?"
)
# Leads that say "reprint" whatever follows them.
_CLEAR_LEAD = (
    rf"this\s+{_WORK}\s+(?:was\s+|is\s+|has\s+been\s+)?(?:originally\s+|first\s+)?"
    r"(?:published|appeared|posted|ran|reprinted|republished|reposted|syndicated|cross-?posted)"
    r"(?:\s+(?:originally|first))?"
    rf"|an?\s+(?:earlier\s+|shorter\s+|longer\s+|different\s+|previous\s+)?version\s+of\s+this\s+{_WORK}\s+"
    r"(?:was\s+)?(?:originally\s+|first\s+)?(?:published|appeared|ran|posted)"
    r"|(?:reprinted|republished|reposted|cross-?posted|syndicated)(?:\s+here)?"
)
# Leads an article's own sentence can start with: the publication must then look like a name, or be linked.
_WEAK_LEAD = r"(?:originally|first)\s+(?:published|appeared|posted|ran)"
_NOTE = re.compile(
    rf"^[\s(\[*_]*(?:(?P<clear>{_CLEAR_LEAD})|(?P<weak>{_WEAK_LEAD}))"
    rf"(?:\s*,?\s*{_PERMISSION})?\s*"
    r"(?:(?:from|at|in|on|by|with|via|of)\b\s*)?(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
# Where the publication's name ends: a permission clause, a licence, "and is reprinted ...", or a sentence end.
_SOURCE_END = re.compile(
    rf",?\s*{_PERMISSION}|\s+under\s+(?:an?\s+)?(?:creative\s+commons|cc\b)|\s+and\s+(?:is|was|has\s+been)\s"
    r"|\s*[:;!?()\[\]]|\.(?=\s|$)|\s+[–—-]\s",
    re.IGNORECASE,
)
# What may follow the name in a note, and nothing else.
_NOTE_TAIL = re.compile(
    rf"^\s*(?:,?\s*{_PERMISSION}|under\s+(?:an?\s+)?creative\s+commons\s+(?:\S+\s+)?licen[cs]e"
    r"|and\s+(?:is|was|has\s+been)\s+(?:reprinted|republished|reposted|reproduced|shared|used)(?:\s+here)?"
    rf"(?:\s*{_PERMISSION})?)?[\s.:;!)\]*_]*(?:read\s+the\s+original(?:\s+article)?(?:\s+here)?[\s.]*)?$",
    re.IGNORECASE,
)
_SMALL_WORDS = frozenset({"of", "the", "and", "for", "on", "in", "at", "a", "an", "&", "de", "la", "to"})
_MAX_NOTE_CHARS = 300
_MAX_SOURCE_WORDS = 15


def reprint_note(text: str, links: list[tuple[str, str]] | None = None) -> ReprintNote | None:
    """The reprint note a paragraph is, or None. `text` is the paragraph's text, `links` its links as
    (text, href), which mark where the publication's name ends and give its address."""
    note = " ".join(text.split())
    if not note or len(note) > _MAX_NOTE_CHARS:
        return None
    match = _NOTE.match(note)
    if match is None:
        return None
    rest = match.group("rest")
    linked = [(" ".join(label.split()), href) for label, href in links or [] if label.strip() and href]
    # a linked name is the publication, whatever punctuation it holds ("U.S. News"): the name runs to its end
    name_link = next(((label, href) for label, href in linked if label in rest), None)
    at_least = rest.index(name_link[0]) + len(name_link[0]) if name_link else 0
    end = _SOURCE_END.search(rest, at_least)
    cut = end.start() if end else len(rest)
    source = rest[:cut].strip(" ,")
    if not _NOTE_TAIL.match(rest[cut:]) or len(source.split()) > _MAX_SOURCE_WORDS:
        return None  # more than a note: a sentence of the article
    if match.group("weak") and not (name_link or _looks_like_a_name(source)):
        return None
    return ReprintNote(source=source, url=name_link[1] if name_link else "", note=note)


def _looks_like_a_name(text: str) -> bool:
    """A publication's name: capitalised words ("TomDispatch", "the Ron Paul Institute"), not a clause."""
    words = [w for w in text.split() if w.lower() not in _SMALL_WORDS]
    if not words or not words[0][:1].isupper():
        return False
    capitalised = [w for w in words if w[:1].isupper()]
    return len(capitalised) * 3 >= len(words) * 2
