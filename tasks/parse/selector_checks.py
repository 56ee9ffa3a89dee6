"""Which of a source's declared selectors match a page: what source health counts to see a redesign coming."""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from schemas.parse_report import SelectorCheck
from schemas.source import Selectors
from tasks.parse.article_dom import first_match

# The Selectors fields that name one part of the page (body_exclude names what to drop, not something to find).
PAGE_PARTS = ("title", "deck", "body", "byline", "date", "comments")


def check_selectors(
    root: LexborNode, selectors: Selectors, fields: tuple[str, ...] = PAGE_PARTS
) -> list[SelectorCheck]:
    """One check per declared selector of `fields`: whether it matches an element of the page.

    A malformed selector matches nothing, so a declaration that never worked shows as well as one that stopped.
    """
    declared = [(field, selector) for field in fields if (selector := getattr(selectors, field))]
    return [SelectorCheck(field=field, selector=selector, matched=first_match(root, selector) is not None)
            for field, selector in declared]
