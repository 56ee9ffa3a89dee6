"""The article's authors: declared people first (JSON-LD, <meta>), then the byline in the DOM, then a
"By ..." line by the headline, then a link to an author's archive page, then the post author's own
replies among the comments, then a line of the page that is a byline alone.

A byline naming the site itself ("By The Daily Planet") is the house byline: it stands only when the
page names no person anywhere else."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from tasks.parse.generic.bylines import (
    NAME_PARTICLES,
    bylines_from_dom,
    names_from_author_links,
    names_from_strings,
    split_byline,
)
from tasks.parse.generic.headline import HeadlineText
from tasks.parse.generic.metadata import PageMetadata

_NAME_WORD = r"[^\W\d_][\w'’.-]*"
# "By Jane Doe", "Written by: Jane Doe", "Von Jane Doe" in the text: the label capitalized, as a
# byline starts, and then only capitalized words (the name ends at the first lowercase word).
_TEXT_BYLINE = re.compile(
    rf"(?:^|(?<=[\s|•·–—:(]))(?:Written by|Words by|Text by|Story by|Posted by|By|Von|Par|Por|Door|Av)\s*:?\s+"
    rf"(?P<name>(?:{_NAME_WORD})(?:[ \t]+{_NAME_WORD}){{0,3}})"
)


def choose_authors(
    tree: LexborHTMLParser, meta: PageMetadata, headline: HeadlineText, post_author: str = ""
) -> list[str]:
    """Clean person names, best evidence first (see the module docstring)."""
    site = frozenset(n.casefold() for n in (meta.site_name, *meta.organization_authors) if n)
    house: list[str] = []
    for values in (meta.authors, meta.meta_authors):
        names = names_from_strings(values, declared=True)
        if names and all(n.casefold() in site for n in names):
            house = house or names
        elif names:
            return names
    # Organizations (JSON-LD publisher-as-author) are not people: fewer authors beat wrong ones.
    names = bylines_from_dom(tree, set())
    if names and all(n.casefold() in site for n in names):
        house = house or names
    elif names:
        return names
    names = byline_from_text(headline.lines, site) or names_from_author_links(tree)
    if names:
        return names
    if post_author:
        return [post_author]
    return house or byline_from_page(headline.page_text, site)


# A line of the page that is a byline and nothing else, with a label a teaser or a comment does not
# use: "Written by Jane Doe", or "Written by" / "Article by" with the name on the next line.
_BYLINE_LINE = re.compile(
    rf"^(?:Written|Article|Story|Words)\s+by\s*:?\s+(?P<name>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{1,3}})$",
    re.MULTILINE,
)


def byline_from_page(page_text: str, not_people: frozenset[str] = frozenset()) -> list[str]:
    """The first line of the page's text (HeadlineText.page_text) that is a byline alone (see
    _BYLINE_LINE), when nothing marks one: pages built with utility classes only still write
    "Written by" for their readers."""
    for match in _BYLINE_LINE.finditer(page_text):
        names = [n for n in split_byline(match["name"]) if n.casefold() not in not_people]
        if names:
            return names
    return []


def byline_from_text(text: str, not_people: frozenset[str] = frozenset()) -> list[str]:
    """The names of the first "By Jane Doe" line in `text` that names people (not in `not_people`)."""
    for match in _TEXT_BYLINE.finditer(text):
        words = match["name"].split()
        # The name ends at the first word that is not capitalized (particles like "van" aside).
        kept: list[str] = []
        for word in words:
            if word[0].isupper() or (word in NAME_PARTICLES and kept):
                kept.append(word)
            else:
                break
        while kept and kept[-1] in NAME_PARTICLES:
            kept.pop()
        if len(kept) < 2 and not (kept and match.group(0).lower().startswith(("written", "posted"))):
            continue  # "By Monday": one capitalized word after a bare "By" is rarely a name
        names = [n for n in split_byline(" ".join(kept)) if n.casefold() not in not_people]
        if names:
            return names
    return []
