"""How the parse stage read one page: a side record of `ParsedArticle` for source health, never stored as such.

The parse stage fills it (tasks/parse/html_article.py); source health (tasks/health/observe.py) counts it per run,
so that a redesign shows as "body selector `div.entry-content` matched 0 of 37 pages" on the night it happens.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class SelectorCheck(BaseModel):
    """A selector the source declares, tried on one page: did it match an element?"""

    model_config = ConfigDict(frozen=True)

    field: str  # the Selectors field: "title", "deck", "body", "byline", "date", "comments"
    selector: str  # the CSS selector as declared
    matched: bool


class ParseReport(BaseModel):
    """What the parser found out about a page beyond the article itself."""

    # Each selector the source declares, tried on the page (also where a WordPress post's page is read only for what
    # it adds to the REST post).
    selector_checks: list[SelectorCheck] = Field(default_factory=list)
    # The generic extractor supplied the body: no body selector is declared, or the declared one found no text.
    body_from_generic: bool = False
    # Slot for the plausibility gate's verdict (tasks/verify): True when the gate passed the article, None where
    # it did not judge it. A rejected article leaves the batch as a failure at stage "verify" with reason
    # "implausible" and source health counts it from there; False here is counted alike, so a rejection is
    # reported one way or the other, not both.
    plausible: bool | None = None
    # Where the article came from another channel (a WordPress REST post) and its page was read too: the page's
    # own title and body text, which the gate judges on their own (a page that is not the article must not add
    # its deck, bylines or comment facts to a good post). None where no such page was read.
    page_title: str | None = None
    page_text: str | None = None
